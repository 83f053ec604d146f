package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"time"

	"github.com/spf13/cobra"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/pipeline"
)

// registerEncoding adds --encoding, the encoding of delimited text that
// replaces the one detected (run, validate, inspect, serve).
func registerEncoding(cmd *cobra.Command, name *string) {
	cmd.Flags().StringVar(name, "encoding", "", "read CSV/TSV files in this encoding instead of the one detected: a WHATWG or IANA name or a common alias (cp1251, cp1253, cp932, shift_jis, cp949, gbk, big5, iso-8859-2, utf-16le)")
}

// checkEncoding reads --encoding into the limits; an unknown name is a
// usage error.
func checkEncoding(name string, lim *extract.Limits) error {
	if name == "" {
		return nil
	}
	canon, _, err := extract.LookupEncoding(name)
	if err != nil {
		return fmt.Errorf("--encoding: %w", err)
	}
	lim.Encoding = canon
	return nil
}

// runFlags are the flags of run and serve beyond those shared with
// validate.
type runFlags struct {
	out          string
	compression  string
	rowGroupRows int64
	partitionBy  string
	quiet        bool
	full         bool
	failOn       string
	wait         waitValue
	logFormat    string
	noProgress   bool
	maxRemove    string
	revisionWarn float64
}

func (f *runFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVarP(&f.out, "out", "o", "out", "output directory, or object storage URL (s3://, gs://, azblob://)")
	fl.StringVar(&f.compression, "compression", "zstd", "Parquet compression: zstd, snappy or none")
	fl.Int64Var(&f.rowGroupRows, "row-group-rows", load.DefaultRowGroupRows, "maximum rows per Parquet row group")
	fl.StringVar(&f.partitionBy, "partition-by", "none", "Hive partitioning of observations/: none, or year (observations/year=2013/ID.parquet)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing unless something failed (for cron)")
	fl.BoolVar(&f.full, "full", false, "reprocess every input, also those unchanged since the last run")
	fl.StringVar(&f.failOn, "fail-on", "none", "keep a delivery with findings of this severity from being published, keeping the input's last good output (quarantine): none, error or warning")
	fl.Var(&f.wait, "wait", "when another run holds the output directory, wait for it (--wait) or up to a duration (--wait=10m) instead of exiting with code 4")
	fl.Lookup("wait").NoOptDefVal = "forever"
	fl.StringVar(&f.logFormat, "log-format", "text", "log format when no progress bars are shown: text or json")
	fl.BoolVar(&f.noProgress, "no-progress", false, "log lines instead of progress bars on a terminal")
	fl.Float64Var(&f.revisionWarn, "revision-warn", pipeline.DefaultRevisionWarn, "a revision (a figure a later delivery changed) by more than PCT percent is a warning finding large_revision; 0 warns on every revision")
	fl.StringVar(&f.maxRemove, "max-remove", pipeline.DefaultRemoveLimit, "refuse (exit 2, nothing changed) a run that would remove the outputs of more published inputs than this: a count (10), a share (50%), or all; only all (or 100%) allows removing every one")
}

// apply sets the run options of cfg and sets up the run's output on
// stderr: progress bars on a terminal, log lines elsewhere. finish must be
// called when the run ends, before anything else is printed.
func (f *runFlags) apply(cfg *pipeline.Config, stderr io.Writer) (finish func(), err error) {
	failOn, err := pipeline.ParseFailOn(f.failOn)
	if err != nil {
		return nil, usageError(err)
	}
	maxRemove, err := pipeline.ParseRemoveLimit(f.maxRemove)
	if err != nil {
		return nil, usageError(err)
	}
	if f.rowGroupRows < 1 {
		return nil, usageError(fmt.Errorf("--row-group-rows %d: want at least 1", f.rowGroupRows))
	}
	partition := f.partitionBy
	switch partition {
	case "none":
		partition = load.PartitionNone
	case load.PartitionYear:
	default:
		return nil, usageError(fmt.Errorf("--partition-by %q: want none or year", f.partitionBy))
	}
	cfg.OutDir = f.out
	cfg.Version = version
	cfg.Load = load.Options{Compression: f.compression, RowGroupRows: f.rowGroupRows, PartitionBy: partition}
	if err := cfg.Load.Check(); err != nil {
		return nil, usageError(err)
	}
	cfg.Full = f.full
	cfg.FailOn = failOn
	cfg.MaxRemove = maxRemove
	switch {
	case f.revisionWarn < 0 || math.IsNaN(f.revisionWarn) || math.IsInf(f.revisionWarn, 0):
		return nil, usageError(fmt.Errorf("--revision-warn %g: want a percentage of 0 or more", f.revisionWarn))
	case f.revisionWarn == 0:
		cfg.RevisionWarn = math.SmallestNonzeroFloat64 // every change
	default:
		cfg.RevisionWarn = f.revisionWarn
	}
	cfg.Wait = time.Duration(f.wait)
	level := slog.LevelInfo
	if f.quiet {
		level = slog.LevelWarn
	}
	var b *bars
	logTo := stderr
	if !f.quiet && !f.noProgress && f.logFormat == "text" && isTerminal(stderr) {
		b = newBars(stderr)
		cfg.Progress = b
		logTo = b
		level = slog.LevelWarn // per-file lines would scroll the bars away
	}
	logger, err := newLogger(logTo, f.logFormat, level)
	if err != nil {
		if b != nil {
			b.Finish()
		}
		return nil, usageError(err)
	}
	cfg.Logger = logger
	return func() {
		if b != nil {
			b.Finish()
		}
	}, nil
}

// shardFlags are the flags of a sharded run (run --shard, --run-id).
type shardFlags struct {
	shard  string
	runID  string
	parsed pipeline.Shard
}

func (f *shardFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.shard, "shard", "", "read only shard I of N of the inputs (I/N, 0 <= I < N; e.g. $JOB_COMPLETION_INDEX/4) and stage its results under OUT/.shards/RUN_ID/I; the last shard to complete publishes the run (see tradeetl publish); needs --run-id")
	fl.StringVar(&f.runID, "run-id", "", "the id of the run (a plain name, e.g. the Kubernetes Job's name); the shards of one run share it (default: the time and random digits)")
}

// apply checks the flags and sets the run id of cfg.
func (f *shardFlags) apply(cfg *pipeline.Config) error {
	if f.runID != "" {
		if err := load.CheckRunID(f.runID); err != nil {
			return usageError(fmt.Errorf("--run-id: %w", err))
		}
		cfg.RunID = f.runID
	}
	if f.shard == "" {
		return nil
	}
	sh, err := pipeline.ParseShard(f.shard)
	if err != nil {
		return usageError(fmt.Errorf("--shard: %w", err))
	}
	if f.runID == "" {
		return usageError(errors.New("--shard needs --run-id, the id its shards share"))
	}
	f.parsed = sh
	return nil
}

// waitValue is the --wait flag: a duration, or "forever".
type waitValue time.Duration

func (w *waitValue) String() string {
	switch d := time.Duration(*w); {
	case d == 0:
		return "0s"
	case d == math.MaxInt64:
		return "forever"
	default:
		return d.String()
	}
}

func (w *waitValue) Set(s string) error {
	if s == "forever" {
		*w = waitValue(math.MaxInt64)
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return fmt.Errorf("want a duration such as 10m, or nothing to wait as long as it takes")
	}
	*w = waitValue(d)
	return nil
}

func (w *waitValue) Type() string { return "duration" }
