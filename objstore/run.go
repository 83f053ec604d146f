package objstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/pipeline"
	"github.com/tradeetl/tradeetl/schemas"
)

// RunOptions tune Run.
type RunOptions struct {
	// WorkDir holds the copies of input objects and the mirror of an
	// output in object storage; empty means DefaultWorkDir().
	WorkDir string
	// Output tunes the output (grace period, concurrency).
	Output Options
	// Lock tunes the output's lock (lease); its Wait is the run's
	// Config.Wait.
	Lock LockOptions
	// MaxObjectBytes bounds an input object; 0 means DefaultMaxObjectBytes.
	MaxObjectBytes int64
	// Keep, when set, picks the input objects to fetch by name (their
	// URL): a shard fetches only its own.
	Keep func(name string) bool
}

// DefaultWorkDir is the work directory when none is given: tradeetl/ in
// the user's cache directory, or in the temporary directory where there
// is none.
func DefaultWorkDir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "tradeetl")
	}
	return filepath.Join(os.TempDir(), "tradeetl-cache")
}

// NeedsStore reports whether a run with these inputs and output needs
// Run rather than pipeline.Run: one of them is an object store URL.
func NeedsStore(cfg pipeline.Config) bool {
	if IsURL(cfg.OutDir) {
		return true
	}
	for _, in := range cfg.Inputs {
		if IsURL(in) {
			return true
		}
	}
	return false
}

// Result is what Run did besides the run's report.
type Result struct {
	// Out names the output: its URL (without query) or local directory.
	Out string
	// Mirror is the local mirror of an output in object storage.
	Mirror string
	// Manifest is the manifest committed to the store; nil for a local
	// output.
	Manifest *Manifest
	// Inputs counts the input objects fetched.
	Inputs *Inputs
	// Sweep is what the grace-period sweep removed.
	Sweep SweepResult
}

// Run is pipeline.Run with inputs and an output that may be object store
// URLs (see the package documentation); local paths and file:// URLs
// run as they do in pipeline.Run. cfg.OutDir and cfg.Inputs are read as
// given; the report names URL inputs by their URLs. A run whose
// publication does not reach the store's manifest returns an error and
// has published nothing.
func Run(ctx context.Context, cfg pipeline.Config, opts RunOptions) (*schemas.Report, *Result, error) {
	if opts.WorkDir == "" {
		opts.WorkDir = DefaultWorkDir()
	}
	res := &Result{Out: cfg.OutDir}
	cfg, err := fetchRunInputs(ctx, cfg, opts, res)
	if err != nil {
		return nil, res, err
	}
	if !IsURL(cfg.OutDir) {
		rep, err := pipeline.Run(ctx, cfg)
		return rep, res, err
	}
	return runStore(ctx, cfg, opts, res)
}

// fetchRunInputs resolves cfg's output and inputs: file:// URLs become
// paths, input objects are copied into the work directory (those opts.Keep
// picks), and cfg.InputNames names the copies by their URLs.
func fetchRunInputs(ctx context.Context, cfg pipeline.Config, opts RunOptions, res *Result) (pipeline.Config, error) {
	out, err := LocalPath(cfg.OutDir)
	if err != nil {
		return cfg, err
	}
	cfg.OutDir, res.Out = out, out
	var urls, local []string
	for _, in := range cfg.Inputs {
		if IsURL(in) {
			urls = append(urls, in)
			continue
		}
		p, err := LocalPath(in)
		if err != nil {
			return cfg, err
		}
		local = append(local, p)
	}
	if len(urls) > 0 {
		in, err := FetchInputs(ctx, urls, InputOptions{Dir: opts.WorkDir, MaxObjectBytes: opts.MaxObjectBytes, Exclude: cfg.Exclude, Concurrency: opts.Output.Concurrency, Wrap: opts.Output.Wrap, Keep: opts.Keep})
		if err != nil {
			return cfg, err
		}
		res.Inputs = in
		if cfg.Logger != nil {
			for _, x := range in.Excluded {
				cfg.Logger.Info("input excluded", "file", x.Path, "pattern", x.Pattern)
			}
			cfg.Logger.Info("input objects fetched", "objects", len(in.Files), "downloaded", in.Downloaded, "bytes", in.Bytes)
		}
		names := map[string]string{}
		for k, v := range cfg.InputNames {
			names[k] = v
		}
		for k, v := range in.Names {
			names[k] = v
		}
		cfg.InputNames = names
		local = append(local, in.Files...)
	}
	// No input left (a prefix holding no input object) is for the
	// pipeline to judge, as an empty directory is: an error, or the
	// removal of what was published, within --max-remove.
	cfg.Inputs = local
	return cfg, nil
}

// runStore is Run into an output in object storage.
func runStore(ctx context.Context, cfg pipeline.Config, opts RunOptions, res *Result) (*schemas.Report, *Result, error) {
	var rep *schemas.Report
	err := Do(ctx, cfg.OutDir, opts, Work{
		Lock: true, Wait: cfg.Wait, Logger: cfg.Logger, Commit: true,
		Run: func(ctx context.Context, mirror string) error {
			c := cfg
			c.OutDir = mirror
			c.Wait = 0 // the store's lock is held; the mirror's is this process's
			var err error
			rep, err = pipeline.Run(ctx, c)
			return err
		},
	}, res)
	return rep, res, err
}

// Work is what a step does with an output in object storage (see Do).
type Work struct {
	// Lock takes the output's lock for the whole step (a run, a publish);
	// a shard, which only stages, goes without. Wait is how long to wait
	// for another holder.
	Lock bool
	Wait time.Duration
	// GetTrees are brought into the mirror before Run (the publish step:
	// ".shards/RUN_ID"), see Output.GetTree.
	GetTrees []string
	// Run does the step's work against the mirror, a local output
	// holding what the store's manifest names.
	Run func(ctx context.Context, mirror string) error
	// PutTrees are uploaded after Run (a shard: ".shards/RUN_ID/I"), see
	// Output.PutTree.
	PutTrees []string
	// Commit publishes the run Run left in the mirror (Output.Push) and
	// sweeps (Output.Sweep); it needs Lock.
	Commit bool
	// RemoveTrees are removed from the store after the commit (the
	// publish step: ".shards/RUN_ID").
	RemoveTrees []string
	// Logger receives warnings; nil discards.
	Logger *slog.Logger
}

// Do carries out one step on the output at URL out: it opens the output
// with its mirror in the work directory, takes the lock (Work.Lock),
// pulls the manifest's files into the mirror, brings down GetTrees, calls
// Run, uploads PutTrees, commits (Work.Commit: upload, manifest.json,
// sweep) and removes RemoveTrees. A failure before the commit publishes
// nothing. res, when not nil, receives what was done.
//
// A run is Do with Lock and Commit; the shards of a sharded run are Do
// with PutTrees of their staging directory, and its publish step Do with
// Lock, GetTrees of the run's staging directory, Commit and RemoveTrees.
func Do(ctx context.Context, out string, opts RunOptions, w Work, res *Result) error {
	if res == nil {
		res = &Result{}
	}
	if opts.WorkDir == "" {
		opts.WorkDir = DefaultWorkDir()
	}
	if w.Commit && !w.Lock {
		return errors.New("objstore: a step that commits must hold the lock")
	}
	log := w.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	loc, err := ParseURL(out)
	if err != nil {
		return err
	}
	res.Out = loc.String()
	sum := sha256.Sum256([]byte(loc.bucketURL() + "\x00" + loc.Key))
	mirror := filepath.Join(opts.WorkDir, "out", safeName(loc.Bucket)+"-"+hex.EncodeToString(sum[:6]))
	res.Mirror = mirror
	o, err := OpenOutput(ctx, out, mirror, opts.Output)
	if err != nil {
		return &pipeline.OutputError{Err: err}
	}
	defer o.Close()

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var check func(context.Context) error
	if w.Lock {
		host, _ := os.Hostname()
		lo := opts.Lock
		lo.Wait = w.Wait
		lo.OnLost = cancel
		lock, stale, err := o.Lock(ctx, load.LockHolder{PID: os.Getpid(), Host: host, RunID: "(starting)", Started: time.Now().UTC()}, lo)
		if err != nil {
			if errors.Is(err, load.ErrLocked) {
				return err
			}
			return &pipeline.OutputError{Err: err}
		}
		defer lock.Release(context.WithoutCancel(ctx))
		check = lock.Check
		if stale != nil {
			log.Warn("previous run ended without releasing its lock (killed?); its lease ran out and this run took over", "output", res.Out, "stale_run_id", stale.RunID, "stale_pid", stale.PID, "stale_host", stale.Host)
		}
	}
	if err := o.Pull(ctx); err != nil {
		return &pipeline.OutputError{Err: fmt.Errorf("bring down %s: %w", res.Out, err)}
	}
	for _, t := range w.GetTrees {
		if err := o.GetTree(ctx, t); err != nil {
			return &pipeline.OutputError{Err: err}
		}
	}
	if w.Run != nil {
		if err := w.Run(ctx, mirror); err != nil {
			if c := context.Cause(ctx); c != nil && errors.Is(c, ErrLockLost) {
				err = errors.Join(err, c)
			}
			return err
		}
	}
	for _, t := range w.PutTrees {
		if err := o.PutTree(ctx, t); err != nil {
			return &pipeline.OutputError{Err: err}
		}
	}
	if !w.Commit {
		return nil
	}
	man, err := o.Push(ctx, check)
	if err != nil {
		if c := context.Cause(ctx); c != nil && !errors.Is(err, c) {
			err = errors.Join(err, c)
		}
		return &pipeline.OutputError{Err: err}
	}
	res.Manifest = man
	for _, t := range w.RemoveTrees {
		if err := o.RemoveTree(ctx, t); err != nil {
			log.Warn("staging objects of a published run not removed; remove them by hand", "output", res.Out, "tree", t, "error", err)
		}
	}
	sw, err := o.Sweep(ctx)
	res.Sweep = sw
	if err != nil {
		log.Warn("sweep of unreferenced objects failed; the next run tries again", "output", res.Out, "error", err)
	} else if len(sw.Removed) > 0 {
		log.Info("removed objects no manifest names", "output", res.Out, "objects", len(sw.Removed))
	}
	return nil
}
