// Package objstore runs tradeetl with inputs and an output in object
// storage (gocloud.dev/blob: s3://, gs://, azblob://). In: pipeline
// configuration whose inputs and output may be URLs, and a local work
// directory. Out: the run published into the store under unique object
// names, with manifest.json, written last, as the single commit point.
//
// The pipeline itself only knows local files. [Run] wraps it:
//
//  1. input URLs are listed and their objects copied into the work
//     directory, under a path that depends only on the object's URL
//     ([FetchInputs]); the run records and reports each input under its
//     URL (pipeline.Config.InputNames), so incremental runs and output ids
//     are stable whatever the work directory;
//  2. the output's lock object is taken ([AcquireLock]): a conditional
//     create, renewed as a lease while the run goes;
//  3. the files the output's manifest names are brought into a local
//     mirror of OUT, verified by their SHA-256 ([Output.Pull]);
//  4. pipeline.Run runs against the mirror, unchanged;
//  5. the files the run published are uploaded under new names
//     (data/RUN_ID/PATH), files it kept keep their objects, and
//     manifest.json naming every object is written last
//     ([Output.Push]); objects that no manifest names any longer are
//     removed once a grace period has passed ([Output.Sweep]).
//
// [Do] carries out such a step for any work on the mirror: a run, a
// shard of a sharded run (which only uploads its staging tree,
// [Output.PutTree]) and its publish step (which brings the shards' trees
// down, [Output.GetTree], and commits once).
//
// A reader that reads manifest.json and then the objects it names always
// finds one complete run: objects are never overwritten, and those of the
// previous manifest stay for the grace period. Credentials come only from
// the environment and the SDKs' own chains; a URL that carries a secret is
// refused.
package objstore
