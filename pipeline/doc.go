// Package pipeline runs tradeetl's stages over a set of inputs.
//
// In: paths (files or directories) and a Config. Out: a schemas.Report
// describing every input, the files published and the findings; with an
// output directory, the files published there through package load.
//
// A run with an output directory locks it (load.AcquireLock), finishes or
// discards what an interrupted run left (load.Recover), and reads the state
// of the previous run: an input whose size and mtime (or, failing that,
// SHA-256) are unchanged since it was published is skipped. The others flow
// through the stages, joined by bounded channels under one errgroup:
// extract (a read-ahead goroutine per sheet) → transform → record rules (a
// pool of workers) → load (per file, in order: each batch written to
// Parquet and fed to the consistency rules, a validate.Evaluator that keeps
// compact records, not observations; at the end the findings). Files are processed
// in parallel, Config.Workers at a time; one file's failure is recorded in
// its InputReport and never stops the others, and nothing of a failed file
// is published. A delivery whose findings reach Config.FailOn is
// quarantined: not published, the input's last good output kept. Rules with
// scope run are checked once over every published input (what they can
// reach of each input is collected as it is read, a validate.Collector).
//
// Everything the run writes is staged and published together
// (load.Publication): each input's observations and findings, run-scope
// findings, the run history, report.json, state.json and, last,
// manifest.json; the outputs of inputs that disappeared are removed. A
// cancelled run publishes nothing.
//
// Removal needs proof of absence. Discover fails (*InputPathError) when a
// given path does not exist or a given directory cannot be listed, before
// anything is locked or written. A directory below one that cannot be
// listed is a failed input, and the inputs published from under it keep
// their outputs. A run that would remove more published inputs than
// Config.MaxRemove allows (default half, never all) is refused
// (*RemovalRefusedError) before any input is read. Inputs matching
// Config.Exclude are not read; published ones count as removed.
//
// A run from Go (see ExampleRun):
//
//	rep, err := pipeline.Run(ctx, pipeline.Config{
//		Inputs: []string{"incoming/"},
//		OutDir: "out",
//	})
//	if err != nil {
//		return err // the run could not be made; nothing was published
//	}
//	t := rep.Tally() // a bad input is a result, not an error
//	log.Printf("%d inputs, %d failed, %d error findings", t.Inputs, t.Failed, t.Errors)
//	os.Exit(pipeline.ExitCode(rep))
//
// Sharded, each of N processes runs RunShard with the same Config.RunID
// and its own Shard{Index: i, Count: N}; the last to complete publishes,
// or Publish does (see docs/sharding.md).
package pipeline
