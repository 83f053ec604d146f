package objstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"time"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/pipeline"
	"github.com/tradeetl/tradeetl/schemas"
)

// A sharded run on an output in object storage has no shared disk: the
// store is where the shards meet. Each shard stages on its own mirror and
// uploads its staging tree (.shards/RUN_ID/I, completion marker included);
// then it looks in the store for the completion markers of every shard,
// and when they are all there it publishes the run (see Publish). Two
// shards that finish together both try: the output's lock lets one
// through, and the other finds the run published (the manifest's run id)
// and does nothing.

// autoPublishWait is the least a shard that found every shard complete
// waits for the output's lock: another shard of the run publishing it.
const autoPublishWait = 10 * time.Minute

// RunShard is pipeline.RunShard with inputs and an output that may be in
// object storage. The shard copies the input objects of its own shard (the
// others are listed, not copied), stages its results and uploads them, and
// publishes the run when it is the last shard to complete. With a local
// output it is pipeline.RunShard.
func RunShard(ctx context.Context, cfg pipeline.Config, sh pipeline.Shard, opts RunOptions) (*pipeline.ShardResult, *Result, error) {
	if opts.WorkDir == "" {
		opts.WorkDir = DefaultWorkDir()
	}
	out := cfg.OutDir
	if IsURL(out) {
		opts.Keep = func(name string) bool { return pipeline.ShardOf(name, sh.Count) == sh.Index }
	}
	res := &Result{Out: cfg.OutDir}
	cfg, err := fetchRunInputs(ctx, cfg, opts, res)
	if err != nil {
		return nil, res, err
	}
	if !IsURL(cfg.OutDir) {
		sres, err := pipeline.RunShard(ctx, cfg, sh)
		return sres, res, err
	}
	if published, err := runPublished(ctx, cfg.OutDir, cfg.RunID); err != nil {
		return nil, res, &pipeline.OutputError{Err: err}
	} else if published {
		return &pipeline.ShardResult{RunID: cfg.RunID, Shard: sh, Published: true}, res, nil
	}
	tree := load.ShardDir(cfg.RunID, sh.Index)
	var sres *pipeline.ShardResult
	err = Do(ctx, cfg.OutDir, opts, Work{
		Logger:   cfg.Logger,
		PutTrees: []string{tree},
		Run: func(ctx context.Context, mirror string) error {
			// Stage only: the shards meet in the store, where the
			// publication is a step of its own, under the store's lock.
			// The store says what is published (runPublished): a
			// staging of this run left in the mirror by an earlier
			// attempt does not.
			if err := os.RemoveAll(filepath.Join(mirror, filepath.FromSlash(load.ShardRunDir(cfg.RunID)))); err != nil {
				return &pipeline.OutputError{Err: fmt.Errorf("work directory: %w", err)}
			}
			c := cfg
			c.OutDir = mirror
			var err error
			sres, err = pipeline.StageShard(ctx, c, sh)
			return err
		},
	}, res)
	if err != nil {
		return sres, res, err
	}
	missing, err := missingShards(ctx, cfg.OutDir, cfg.RunID, sh.Count)
	if err != nil {
		return sres, res, &pipeline.OutputError{Err: err}
	}
	sres.Waiting = missing
	if len(missing) > 0 {
		return sres, res, nil
	}
	// Shards that complete together all try to publish: the lock lets one
	// through, and the others wait for it (at least autoPublishWait, the
	// lock's lease bounding the wait on a killed holder), then find the
	// run published.
	pc := cfg
	pc.Wait = max(pc.Wait, autoPublishWait)
	rep, err := Publish(ctx, pc, opts, res)
	if errors.Is(err, pipeline.ErrPublished) {
		sres.Published = true
		return sres, res, nil
	}
	sres.Report = rep
	return sres, res, err
}

// Publish is pipeline.Publish on an output in object storage: under the
// output's lock, it brings the shards' staging into the mirror, publishes
// the run there, commits it (manifest.json last) and removes the staging
// from the store. A run the store's manifest already names is not
// published again (an error matching pipeline.ErrPublished). With a local
// output it is pipeline.Publish.
func Publish(ctx context.Context, cfg pipeline.Config, opts RunOptions, res *Result) (*schemas.Report, error) {
	if opts.WorkDir == "" {
		opts.WorkDir = DefaultWorkDir()
	}
	if res == nil {
		res = &Result{}
	}
	out, err := LocalPath(cfg.OutDir)
	if err != nil {
		return nil, err
	}
	cfg.OutDir, res.Out = out, out
	if !IsURL(out) {
		return pipeline.Publish(ctx, cfg)
	}
	tree := load.ShardRunDir(cfg.RunID)
	var rep *schemas.Report
	err = Do(ctx, out, opts, Work{
		Lock: true, Wait: cfg.Wait, Logger: cfg.Logger, Commit: true,
		GetTrees:    []string{tree},
		RemoveTrees: []string{tree},
		Run: func(ctx context.Context, mirror string) error {
			// The lock is held: a run the manifest names was published
			// by another shard that got here first.
			if m, err := load.ReadManifest(mirror); err != nil {
				return &pipeline.OutputError{Err: fmt.Errorf("work directory: %w", err)}
			} else if m.RunID == cfg.RunID {
				return fmt.Errorf("run %s: %w", cfg.RunID, pipeline.ErrPublished)
			}
			c := cfg
			c.OutDir = mirror
			c.Wait = 0 // the store's lock is held; the mirror's is this process's
			var err error
			rep, err = pipeline.Publish(ctx, c)
			return err
		},
	}, res)
	return rep, err
}

// runPublished reports whether the manifest of the output at out names
// run runID.
func runPublished(ctx context.Context, out, runID string) (bool, error) {
	b, loc, err := openPrefix(ctx, out)
	if err != nil {
		return false, err
	}
	defer b.Close()
	data, err := b.ReadAll(ctx, load.ManifestFile)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read %s/%s: %w", loc, load.ManifestFile, err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return false, fmt.Errorf("read %s/%s: %w", loc, load.ManifestFile, err)
	}
	return m.RunID == runID, nil
}

// missingShards lists the shards of n of run runID whose completion
// marker is not in the output at out.
func missingShards(ctx context.Context, out, runID string, n int) ([]int, error) {
	b, loc, err := openPrefix(ctx, out)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	var missing []int
	for i := range n {
		ok, err := b.Exists(ctx, path.Join(load.ShardDir(runID, i), load.ShardCompleteFile))
		if err != nil {
			return nil, fmt.Errorf("look for shard %d of run %s in %s: %w", i, runID, loc, err)
		}
		if !ok {
			missing = append(missing, i)
		}
	}
	return missing, nil
}

// openPrefix opens the output at out as a bucket whose keys are relative
// to its prefix.
func openPrefix(ctx context.Context, out string) (*blob.Bucket, Location, error) {
	loc, err := ParseURL(out)
	if err != nil {
		return nil, loc, err
	}
	b, err := loc.Open(ctx, true)
	return b, loc, err
}
