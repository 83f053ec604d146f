package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/tradeetl/tradeetl/objstore"
	"github.com/tradeetl/tradeetl/pipeline"
	"github.com/tradeetl/tradeetl/schemas"
)

// storeFlags are the flags of inputs and outputs in object storage (run,
// validate).
type storeFlags struct {
	workDir        string
	grace          time.Duration
	lease          time.Duration
	maxObjectBytes string
}

func (s *storeFlags) register(cmd *cobra.Command, output bool) {
	fl := cmd.Flags()
	fl.StringVar(&s.workDir, "work-dir", "", "with s3://, gs:// or azblob:// inputs or --out: where copies of input objects and the local mirror of the output are kept between runs (default: tradeetl/ in the user's cache directory)")
	fl.StringVar(&s.maxObjectBytes, "max-object-bytes", "4GiB", "refuse input objects in object storage larger than this")
	if output {
		fl.DurationVar(&s.grace, "grace", objstore.DefaultGrace, "with --out in object storage: keep objects that the manifest no longer names this long, for readers of an earlier manifest, before a later run removes them")
		fl.DurationVar(&s.lease, "lock-lease", objstore.DefaultLease, "with --out in object storage: how long the output's lock outlives a run that stopped renewing it (was killed)")
	}
}

func (s *storeFlags) options() (objstore.RunOptions, error) {
	n, err := parseSize(s.maxObjectBytes)
	if err != nil || n <= 0 {
		return objstore.RunOptions{}, usageError(fmt.Errorf("--max-object-bytes %q: want a size such as 512MiB or 4GiB", s.maxObjectBytes))
	}
	if s.lease < 0 || s.lease > 0 && s.lease < 3*time.Second {
		return objstore.RunOptions{}, usageError(fmt.Errorf("--lock-lease %s: want at least 3s", s.lease))
	}
	return objstore.RunOptions{
		WorkDir:        s.workDir,
		MaxObjectBytes: n,
		Output:         objstore.Options{Grace: s.graceOption()},
		Lock:           objstore.LockOptions{Lease: s.lease},
	}, nil
}

// graceOption turns --grace into objstore.Options.Grace, where 0 means
// the default: --grace 0 removes unreferenced objects at once.
func (s *storeFlags) graceOption() time.Duration {
	if s.grace <= 0 {
		return time.Nanosecond
	}
	return s.grace
}

// runStore runs cfg, whose inputs or output are in object storage or
// local, and prints where an output in object storage was committed.
func (s *storeFlags) run(ctx context.Context, cfg pipeline.Config, stdout io.Writer, quiet bool) (*schemas.Report, pipeline.Config, error) {
	opts, err := s.options()
	if err != nil {
		return nil, cfg, err
	}
	rep, res, err := objstore.Run(ctx, cfg, opts)
	s.committed(&cfg, res, err, stdout, quiet)
	return rep, cfg, err
}

// committed points cfg at the local mirror of an output in object
// storage, whose files the summary names, and says where the run was
// committed.
func (s *storeFlags) committed(cfg *pipeline.Config, res *objstore.Result, err error, stdout io.Writer, quiet bool) {
	if res != nil && res.Mirror != "" {
		cfg.OutDir = res.Mirror
	}
	if err == nil && res != nil && res.Manifest != nil && !quiet {
		fmt.Fprintf(stdout, "committed %s/manifest.json (run %s, %d files; local copies in %s)\n", res.Out, res.Manifest.RunID, len(res.Manifest.Files), res.Mirror)
	}
}

// runShard runs shard sh of cfg, whose inputs or output are in object
// storage or local (see objstore.RunShard).
func (s *storeFlags) runShard(ctx context.Context, cfg pipeline.Config, sh pipeline.Shard, stdout io.Writer, quiet bool) (*pipeline.ShardResult, pipeline.Config, error) {
	opts, err := s.options()
	if err != nil {
		return nil, cfg, err
	}
	sres, res, err := objstore.RunShard(ctx, cfg, sh, opts)
	s.committed(&cfg, res, err, stdout, quiet)
	return sres, cfg, err
}

// publish publishes the sharded run cfg.RunID of an output in object
// storage or local (see objstore.Publish).
func (s *storeFlags) publish(ctx context.Context, cfg pipeline.Config, stdout io.Writer, quiet bool) (*schemas.Report, pipeline.Config, error) {
	opts, err := s.options()
	if err != nil {
		return nil, cfg, err
	}
	res := &objstore.Result{}
	rep, err := objstore.Publish(ctx, cfg, opts, res)
	s.committed(&cfg, res, err, stdout, quiet)
	return rep, cfg, err
}
