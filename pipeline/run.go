package pipeline

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/transform"
	"github.com/tradeetl/tradeetl/validate"
)

// Config is what a run needs. Zero values mean defaults where noted.
type Config struct {
	// Inputs are files or directories (see Discover).
	Inputs []string
	// OutDir is where Parquet files and report.json are written; empty
	// means validate only (nothing is written).
	OutDir string
	// Rules are the consistency rules; nil means validate.DefaultRules.
	Rules *validate.RuleSet
	// Dict is the label dictionary; nil means the embedded one.
	Dict *schemas.Dictionary
	// Limits protect against hostile files.
	Limits extract.Limits
	// Layouts override table detection for the sources they match; nil
	// means detect everything.
	Layouts *transform.Layouts
	// Workers is the number of files read in parallel; default the number
	// of CPUs.
	Workers int
	// Version is the tradeetl version recorded in outputs.
	Version string
	// Load options for the Parquet files.
	Load load.Options
	// Logger receives one line per file; nil discards.
	Logger *slog.Logger
}

// Output file names inside OutDir.
const (
	ObservationsFile = "observations.parquet"
	FindingsFile     = "findings.parquet"
	ReportFile       = "report.json"
)

// fileResult is what one input produced.
type fileResult struct {
	input    schemas.InputReport
	obs      []schemas.Observation
	findings []schemas.Finding
}

// Run processes every input and, with an OutDir, publishes the outputs. It
// returns an error only when the run as a whole could not be carried out
// (cancelled, outputs not writable); problems with single inputs are in the
// report.
func Run(ctx context.Context, cfg Config) (*schemas.Report, error) {
	started := time.Now().UTC()
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	files, err := Discover(cfg.Inputs)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, ErrNoInputs
	}
	rep := &schemas.Report{RunID: newRunID(started), Version: cfg.Version, Started: started.Format(time.RFC3339)}
	results := make([]fileResult, len(files))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(cfg.Workers)
	for i, path := range files {
		g.Go(func() error {
			results[i] = processFile(gctx, cfg, path)
			return gctx.Err()
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	var obs []schemas.Observation
	var findings []schemas.Finding
	sources := map[string]string{}
	for _, r := range results {
		rep.Inputs = append(rep.Inputs, r.input)
		if r.input.Status != schemas.StatusLoaded {
			continue
		}
		sources[r.input.Path] = r.input.SHA256
		obs = append(obs, r.obs...)
		findings = append(findings, r.findings...)
	}
	// Audit = the consistency rules, then error localization (suspect
	// cells, suggested values, typing slips) and scale slips.
	findings = append(findings, cfg.Rules.Audit(obs)...)
	sortFindings(findings)
	rep.Findings = findings
	if rep.Findings == nil {
		rep.Findings = []schemas.Finding{}
	}

	if cfg.OutDir != "" {
		meta := load.Metadata{RunID: rep.RunID, Version: cfg.Version, RulesVersion: cfg.Rules.Version, Sources: sources, LoadedAt: started}
		if err := publish(cfg, meta, rep, obs); err != nil {
			return rep, err
		}
	}
	rep.Finished = time.Now().UTC().Format(time.RFC3339)
	if cfg.OutDir != "" {
		// The audit for people: annotated workbooks and report.html.
		if err := publishAudit(ctx, cfg, rep, obs); err != nil {
			return rep, err
		}
		if err := load.WriteReport(filepath.Join(cfg.OutDir, ReportFile), rep); err != nil {
			return rep, fmt.Errorf("write report: %w", err)
		}
	}
	return rep, nil
}

func (cfg *Config) defaults() error {
	if cfg.Rules == nil {
		rs, err := validate.DefaultRules()
		if err != nil {
			return err
		}
		cfg.Rules = rs
	}
	if cfg.Dict == nil {
		d, err := schemas.DefaultDictionary()
		if err != nil {
			return err
		}
		cfg.Dict = d
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}

// processFile runs extract, transform and the record rules on one file.
func processFile(ctx context.Context, cfg Config, path string) fileResult {
	start := time.Now()
	res := fileResult{input: schemas.InputReport{Path: path}}
	fail := func(err error) fileResult {
		res.input.Status = schemas.StatusFailed
		res.input.Error = err.Error()
		res.obs, res.findings = nil, nil
		cfg.Logger.Warn("input failed", "file", path, "error", err)
		return res
	}
	sum, err := fileSHA256(path)
	if err != nil {
		return fail(fmt.Errorf("read %s: %w", path, err))
	}
	res.input.SHA256 = sum
	wb, err := extract.Open(path, cfg.Limits)
	if err != nil {
		return fail(err)
	}
	defer wb.Close()
	checker := validate.NewRecordChecker()
	opts := transform.Options{Dict: cfg.Dict, File: path, SHA256: sum, Layouts: cfg.Layouts}
	sheets, err := transform.Workbook(ctx, wb, opts, func(obs []schemas.Observation, findings []schemas.Finding) error {
		for i := range obs {
			findings = append(findings, checker.Check(&obs[i])...)
		}
		res.obs = append(res.obs, obs...)
		res.findings = append(res.findings, findings...)
		return nil
	})
	if err != nil {
		if ctx.Err() != nil {
			return fail(ctx.Err())
		}
		return fail(err)
	}
	res.input.Status = schemas.StatusLoaded
	res.input.Observations = len(res.obs)
	tables := 0
	for _, s := range sheets {
		tables += len(s.Tables)
	}
	cfg.Logger.Info("input loaded", "file", path, "sheets", len(sheets), "tables", tables,
		"observations", len(res.obs), "findings", len(res.findings), "duration", time.Since(start).Round(time.Millisecond))
	return res
}

// publish writes the Parquet files. Each file is written under a temporary
// name and renamed into place only when complete.
func publish(cfg Config, meta load.Metadata, rep *schemas.Report, obs []schemas.Observation) error {
	if err := os.MkdirAll(cfg.OutDir, 0o755); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	ow, err := load.NewObservationWriter(filepath.Join(cfg.OutDir, ObservationsFile), meta, cfg.Load)
	if err != nil {
		return err
	}
	defer ow.Abort()
	if err := ow.Write(obs); err != nil {
		return err
	}
	fw, err := load.NewFindingWriter(filepath.Join(cfg.OutDir, FindingsFile), meta, cfg.Load)
	if err != nil {
		return err
	}
	defer fw.Abort()
	if err := fw.Write(rep.Findings); err != nil {
		return err
	}
	n, err := ow.Commit()
	if err != nil {
		return err
	}
	rep.Outputs = append(rep.Outputs, schemas.Output{Path: ObservationsFile, Rows: n})
	n, err = fw.Commit()
	if err != nil {
		return err
	}
	rep.Outputs = append(rep.Outputs, schemas.Output{Path: FindingsFile, Rows: n})
	return nil
}

// Exit codes of a run (DESIGN.md).
const (
	ExitOK       = 0 // every input read, no error-severity finding
	ExitFindings = 1 // finished with error-severity findings
	ExitUsage    = 2 // usage or configuration error
	ExitInput    = 3 // at least one input could not be read
)

// ExitCode returns the exit code a report calls for: 3 when an input
// failed (it wins over 1), 1 for error-severity findings, else 0.
func ExitCode(rep *schemas.Report) int {
	for _, in := range rep.Inputs {
		if in.Status == schemas.StatusFailed {
			return ExitInput
		}
	}
	for _, f := range rep.Findings {
		if f.Severity == schemas.SeverityError {
			return ExitFindings
		}
	}
	return ExitOK
}

// sortFindings orders findings by file, sheet, first cell (row, then
// column) and rule, so that reports are stable from run to run.
func sortFindings(fs []schemas.Finding) {
	slices.SortStableFunc(fs, func(a, b schemas.Finding) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Sheet, b.Sheet),
			compareCells(first(a.Cells), first(b.Cells)),
			cmp.Compare(a.Rule, b.Rule),
		)
	})
}

func first(cells []string) string {
	if len(cells) == 0 {
		return ""
	}
	return cells[0]
}

// compareCells orders A1 addresses by row, then column.
func compareCells(a, b string) int {
	ca, ra := splitCell(a)
	cb, rb := splitCell(b)
	return cmp.Or(cmp.Compare(ra, rb), cmp.Compare(len(ca), len(cb)), cmp.Compare(ca, cb))
}

func splitCell(s string) (string, int) {
	i := 0
	for i < len(s) && (s[i] < '0' || s[i] > '9') {
		i++
	}
	row := 0
	for _, c := range s[i:] {
		if c < '0' || c > '9' {
			break
		}
		row = row*10 + int(c-'0')
	}
	return s[:i], row
}

func newRunID(t time.Time) string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		return t.Format("20060102T150405Z")
	}
	return t.Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
}

// ErrNoInputs is returned when the paths given hold no input files.
var ErrNoInputs = errors.New("no input files found (want .xlsx, .xlsm or .csv)")
