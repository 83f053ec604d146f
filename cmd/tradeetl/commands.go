package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/pipeline"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/transform"
	"github.com/tradeetl/tradeetl/validate"
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageError(err error) error { return &exitError{pipeline.ExitUsage, err} }

// execute runs the command line and returns the exit code.
func execute(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return pipeline.ExitOK
	}
	var se *signalError
	if errors.Is(err, context.Canceled) && errors.As(context.Cause(ctx), &se) {
		fmt.Fprintf(stderr, "tradeetl: %v: stopped cleanly; nothing of this run was published\n", se)
		return signalExitCode(se.sig)
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "tradeetl:", safeLines(ee.err.Error()))
		}
		return ee.code
	}
	// cobra's own errors: unknown command or flag, wrong arguments
	fmt.Fprintln(stderr, "tradeetl:", safeLines(err.Error()))
	fmt.Fprintln(stderr, "Run 'tradeetl --help' for usage.")
	return pipeline.ExitUsage
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "tradeetl",
		Short: "Check trade-statistics spreadsheets and load them into Parquet",
		Long: `tradeetl reads spreadsheets of trade statistics (.xlsx, .xlsm, .ods, .xls, .csv), finds
their tables wherever they sit, checks that the figures are consistent
(deficit = imports − exports, shares, growth rates, regions within their
country, product lines adding up), within the rounding of the published
figures, and writes Parquet for BI tools plus a findings report.

Exit codes:
  0  every input read, no error-severity finding
  1  finished with error-severity findings, or a delivery was quarantined
  2  usage or configuration error; an input path that does not exist or
     cannot be listed; a run that would remove more published inputs than
     --max-remove allows (nothing is read, published or removed)
  3  at least one input could not be read (the others are still processed)
  4  another run holds the output directory (see run --wait)
  5  the output directory or the environment failed: OUT is not a
     directory, read-only or full, its lock cannot be written...;
     nothing of the run was published
  6  publish (or the last shard of a sharded run): a shard is missing or
     failed, or the shards do not make one run; nothing was published
  130, 143  stopped by SIGINT or SIGTERM; nothing of the run was published
     (a signal once the run has begun to publish lets it finish: it
     says so and exits with its own code)`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newRunCmd(stdout, stderr), newPublishCmd(stdout, stderr), newServeCmd(stdout, stderr), newValidateCmd(stdout, stderr),
		newInspectCmd(stdout), newLabelsCmd(stdout), newRulesCmd(stdout), newExportCmd(stdout), newVersionCmd(stdout))
	return root
}

// common holds the flags shared by run and validate.
type common struct {
	rules        string
	workers      int
	maxUnzipSize string
	maxTextSize  string
	maxFieldSize string
	maxLineSize  string
	maxCells     int64
	layout       string
	labels       string
	memLimit     string
	ruleMemory   string
	exclude      []string
	encoding     string
	out          output
}

func (c *common) register(cmd *cobra.Command) {
	c.out.format, c.out.color, c.out.findingsExit = formatText, "auto", pipeline.ExitFindings // without registerOutput
	cmd.Flags().StringVar(&c.rules, "rules", "", "rules file (YAML) replacing the built-in rules")
	cmd.Flags().StringVar(&c.layout, "layout", "", "layout file (YAML) telling where the tables of stubborn sources are")
	cmd.Flags().StringVar(&c.labels, "labels", "", "labels file (YAML) merged over the built-in vocabularies: words of flows, measures, units, periods and columns per language, areas and their names, currencies (see `tradeetl labels`)")
	cmd.Flags().IntVar(&c.workers, "workers", 0, "files read in parallel (default: number of CPUs)")
	cmd.Flags().StringVar(&c.maxUnzipSize, "max-unzip-size", "1GiB", "refuse workbooks that decompress to more than this (e.g. 512MiB, 4GiB)")
	cmd.Flags().StringVar(&c.maxTextSize, "max-text-size", "1GiB", "refuse delimited text files (CSV, TSV) larger than this")
	cmd.Flags().StringVar(&c.maxFieldSize, "max-field-size", "1MiB", "refuse files with a CSV field or a workbook string (cell text, shared string, formula) longer than this")
	cmd.Flags().StringVar(&c.maxLineSize, "max-line-size", "64MiB", "refuse files with a CSV record (its lines together) or a worksheet row's XML larger than this (at most 1GiB)")
	cmd.Flags().Int64Var(&c.maxCells, "max-cells", extract.DefaultMaxCells, "refuse files with more non-empty cells than this")
	cmd.Flags().StringArrayVar(&c.exclude, "exclude", nil, "skip input files (and directories) whose name, or path suffix with a /, matches this glob, e.g. 'notes*.xlsx', 'minutes/*', 'archive/' (repeatable); a published input now excluded is removed")
	registerEncoding(cmd, &c.encoding)
	cmd.Flags().StringVar(&c.ruleMemory, "rule-memory", "64MiB", "memory of one input's rule state: past it the figures the rules check go to a temporary file (in TMPDIR) and are checked in partitions, so that a table of any length runs in fixed memory (a SIZE; off: all in memory)")
	cmd.Flags().StringVar(&c.memLimit, "memory-limit", "auto", "soft limit of the process's memory: the garbage collector works harder near it (auto: 100MiB per worker, at least 200MiB, raised to 4/3 of the live heap, or GOMEMLIMIT; a fixed SIZE; off)")
}

// registerOutput adds the flags of the findings printed at the end
// (run and validate).
func (c *common) registerOutput(cmd *cobra.Command) {
	cmd.Flags().StringVar(&c.out.format, "format", formatText, "output: text (a table of findings, suspect cells first) or json (the report, for scripts)")
	cmd.Flags().StringVar(&c.out.color, "color", "auto", "colour the text output: auto (on a terminal, unless NO_COLOR is set), always or never")
	cmd.Flags().IntVar(&c.out.findingsExit, "findings-exit-code", pipeline.ExitFindings, "exit code of a run that finished with error-severity findings or a quarantined delivery: 0 where findings are data to publish, not a failed job (a Kubernetes Job would retry the pod)")
}

// acceptOutput accepts --format and --color on a command that prints no
// findings (serve, inspect), so that a command line written for run still
// parses: hidden, with a note that they do nothing.
func (c *common) acceptOutput(cmd *cobra.Command) {
	c.registerOutput(cmd)
	for _, name := range []string{"format", "color", "findings-exit-code"} {
		_ = cmd.Flags().MarkDeprecated(name, "it has no effect on "+cmd.Name())
	}
}

// setup reads the flags into the configuration of a run over inputs and
// sets the soft memory limit of --memory-limit for the command; lift puts
// the previous limit back.
func (c *common) setup(cmd *cobra.Command, inputs []string) (cfg pipeline.Config, lift func(), err error) {
	cfg, err = c.config(inputs)
	if err != nil {
		return cfg, nil, err
	}
	n, adaptive, err := memoryLimit(cmd, c.memLimit, c.workers)
	if err != nil {
		return cfg, nil, err
	}
	return cfg, setMemoryLimit(n, adaptive), nil
}

func (c *common) config(inputs []string) (pipeline.Config, error) {
	cfg := pipeline.Config{Inputs: inputs, Workers: c.workers, Exclude: c.exclude}
	if err := c.out.check(); err != nil {
		return cfg, usageError(err)
	}
	if err := pipeline.CheckExclude(c.exclude); err != nil {
		return cfg, usageError(err)
	}
	if c.rules != "" {
		rs, err := validate.LoadRulesFile(c.rules)
		if err != nil {
			return cfg, usageError(err)
		}
		cfg.Rules = rs
	}
	lim, err := c.limits()
	if err != nil {
		return cfg, usageError(err)
	}
	cfg.Limits = lim
	if cfg.RuleMemory, err = ruleMemory(c.ruleMemory); err != nil {
		return cfg, usageError(err)
	}
	labels, err := loadLabels(c.labels)
	if err != nil {
		return cfg, err
	}
	cfg.Labels = labels
	if c.layout != "" {
		lay, err := transform.LoadLayoutsFile(c.layout, labels.Dict)
		if err != nil {
			return cfg, usageError(err)
		}
		cfg.Layouts = lay
	}
	return cfg, nil
}

func newRunCmd(stdout, stderr io.Writer) *cobra.Command {
	var c common
	var f runFlags
	var sf shardFlags
	var st storeFlags
	cmd := &cobra.Command{
		Use:   "run [flags] INPUT...",
		Short: "Read, check and load inputs into Parquet",
		Long: `Read every input (files, or directories searched for .xlsx, .xlsm, .ods,
.fods, .xls, .csv and .tsv), check the figures, and publish to the output
directory:

  observations/ID.parquet  every figure of one input, tidy, with its source cell
                           (--partition-by year: observations/year=YYYY/ID.parquet)
  current/observations.parquet
                           one row per figure, from the latest delivery: sums right
  revisions/revisions.parquet
                           figures a later delivery changed, old and new value
  dim/areas.parquet, dim/products.parquet
                           dimension tables: areas by code (names, parent, M49),
                           products of current/
  findings/ID.parquet      every broken rule and unreadable cell of that input
  audit/ID.audit.xlsx      an annotated copy of each workbook with findings
  runs/RUN_ID.parquet      one row per run: the run history (runs that changed
                           nothing: runs/unchanged-YYYY-MM-DD.parquet)
  report.json              inputs, outputs and findings of the run
  report.html              the audit for people: tables, flagged cells, findings
  state.json               what each input produced, for incremental runs
  manifest.json            every published file with rows and SHA-256, written last

A rerun reads only inputs that changed since the last run (--full reads
all), removes the outputs of inputs that are gone (from a directory that
was listed; at most half of them unless --max-remove says otherwise; an
input path that does not exist is an error that changes nothing), and
publishes the run's
files together: a run killed at any moment leaves the previous output
complete, and the next run finishes or discards what it left. One bad input
never stops the others. Two runs on one output directory never overlap.

Inputs and --out may be in object storage: s3://BUCKET/PREFIX (with
?endpoint=...&use_path_style=true for S3-compatible servers), gs://, azblob://.
Credentials come from the environment (AWS_*, GOOGLE_APPLICATION_CREDENTIALS,
AZURE_STORAGE_*), never from flags. In object storage every file gets a new
object name and manifest.json, written last, names them: readers that follow
it never see a half-published run (see docs/object-storage.md).`,
		Example: `  tradeetl run fixtures/
  tradeetl run --out /data/trade --fail-on error --quiet /data/incoming
  tradeetl run --out /data/trade --rules my-rules.yaml --log-format json incoming/*.xlsx
  tradeetl run --out s3://trade-data/published s3://trade-inbox/2024/`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, lift, err := c.setup(cmd, args)
			if err != nil {
				return err
			}
			defer lift()
			finish, err := f.apply(&cfg, stderr)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			cfg.Publishing = watchStop(ctx)
			if err := sf.apply(&cfg); err != nil {
				return err
			}
			if sf.shard != "" {
				res, cfg, err := st.runShard(ctx, cfg, sf.parsed, stdout, f.quiet)
				finish()
				return reportShard(res, err, cfg, stdout, stderr, f.quiet, c.out)
			}
			rep, cfg, err := st.run(ctx, cfg, stdout, f.quiet)
			finish()
			// A signal too late to stop the run: it was published. It
			// says so and exits with the run's code (what runs/
			// records); the summary is in report.json.
			return finishRun(ctx, rep, err, cfg, stdout, stderr, f.quiet, c.out)
		},
	}
	c.register(cmd)
	c.registerOutput(cmd)
	f.register(cmd)
	sf.register(cmd)
	st.register(cmd, true)
	return cmd
}

func newValidateCmd(stdout, stderr io.Writer) *cobra.Command {
	var c common
	var st storeFlags
	cmd := &cobra.Command{
		Use:   "validate [flags] INPUT...",
		Short: "Check inputs and print the findings, without writing anything",
		Example: `  tradeetl validate fixtures/newsletter-2013-errors.xlsx
  tradeetl validate --rules my-rules.yaml incoming/`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, lift, err := c.setup(cmd, args)
			if err != nil {
				return err
			}
			defer lift()
			cfg.Version = version
			cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
			watchStop(cmd.Context())
			rep, cfg, err := st.run(cmd.Context(), cfg, stdout, false)
			return report(rep, err, cfg, stdout, false, c.out)
		},
	}
	c.register(cmd)
	c.registerOutput(cmd)
	st.register(cmd, false)
	return cmd
}

func newVersionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, args []string) {
			fmt.Fprintln(stdout, "tradeetl", version)
		},
	}
}

// report prints the summary of a run and turns its outcome into the exit
// code.
func report(rep *schemas.Report, err error, cfg pipeline.Config, stdout io.Writer, quiet bool, out output) error {
	if err != nil {
		if refused(err) {
			return usageError(err)
		}
		if errors.Is(err, load.ErrLocked) && !errors.Is(err, context.Canceled) {
			return &exitError{pipeline.ExitLocked, err}
		}
		if errors.Is(err, pipeline.ErrShards) {
			return &exitError{pipeline.ExitShards, err}
		}
		// The run failed as a whole, from no input's fault: the output
		// directory or the environment (*pipeline.OutputError), or
		// something unforeseen. Nothing of it was published.
		if !errors.Is(err, load.ErrUnfinished) {
			err = fmt.Errorf("%w; nothing of this run was published", err)
		}
		return &exitError{pipeline.ExitOutput, err}
	}
	code := pipeline.ExitCode(rep)
	if code == pipeline.ExitFindings {
		code = out.findingsExit
	}
	if err := out.printRun(stdout, rep, cfg.OutDir, quiet); err != nil {
		return &exitError{pipeline.ExitOutput, fmt.Errorf("print report: %w", err)}
	}
	if code != pipeline.ExitOK {
		return &exitError{code: code}
	}
	return nil
}

// refused reports whether a run was refused before it changed anything,
// as a usage error (exit 2): no inputs, an input path that does not exist
// or cannot be listed, too many removals for --max-remove.
func refused(err error) bool {
	var tooMany *pipeline.RemovalRefusedError
	return errors.Is(err, pipeline.ErrNoInputs) || errors.Is(err, pipeline.ErrInputPath) || errors.As(err, &tooMany)
}

// limits reads the size limits of the flags.
func (c *common) limits() (extract.Limits, error) {
	lim := extract.Limits{MaxCells: c.maxCells}
	for _, f := range []struct {
		flag, value string
		max         int64
		set         func(int64)
	}{
		{"--max-unzip-size", c.maxUnzipSize, math.MaxInt64, func(n int64) { lim.MaxUnzipSize = n }},
		{"--max-text-size", c.maxTextSize, math.MaxInt64, func(n int64) { lim.MaxTextSize = n }},
		{"--max-field-size", c.maxFieldSize, 1 << 30, func(n int64) { lim.MaxFieldSize = int(n) }},
		{"--max-line-size", c.maxLineSize, 1 << 30, func(n int64) { lim.MaxLineSize = int(n) }},
	} {
		n, err := parseSize(f.value)
		if err != nil {
			return lim, fmt.Errorf("%s: %w", f.flag, err)
		}
		if n > f.max {
			return lim, fmt.Errorf("%s: %s is more than the most allowed, 1GiB", f.flag, f.value)
		}
		f.set(n)
	}
	return lim, checkEncoding(c.encoding, &lim)
}

// parseSize reads a byte size such as "1GiB", "512MB", "1048576".
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	units := []struct {
		suffix string
		factor int64
	}{
		{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1},
	}
	factor := int64(1)
	for _, u := range units {
		if strings.HasSuffix(strings.ToUpper(s), strings.ToUpper(u.suffix)) {
			s, factor = strings.TrimSpace(s[:len(s)-len(u.suffix)]), u.factor
			break
		}
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n <= 0 || n*float64(factor) >= math.MaxInt64 {
		return 0, fmt.Errorf("invalid size %q (want e.g. 512MiB, 2GiB)", s)
	}
	return int64(n * float64(factor)), nil
}

// ruleMemory reads --rule-memory: a size, or off (-1: no spilling).
func ruleMemory(v string) (int64, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "off", "none":
		return -1, nil
	}
	n, err := parseSize(v)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("--rule-memory %q: a size such as 64MiB, or off", v)
	}
	return n, nil
}
