package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/validate"
)

// inputs copies the bundled fixtures into a fresh directory.
// errorsFixtureFindings is what fixtures/newsletter-2013-errors.xlsx yields:
// the 10 rule findings of its planted errors (fixtures/README.md) and the
// audit's 4 verdicts naming the suspect cells.
const errorsFixtureFindings = 14

// ruleFindings leaves out the large_revision warnings of fs: the
// fixtures publish the same figures, so a run with both newsletters sees
// the planted errors as revisions too.
func ruleFindings(fs []schemas.Finding) []schemas.Finding {
	var out []schemas.Finding
	for _, f := range fs {
		if f.Rule != schemas.RuleLargeRevision {
			out = append(out, f)
		}
	}
	return out
}

func inputs(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "in")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"newsletter-2013.xlsx", "newsletter-2013-errors.xlsx", "products-2013.xlsx"} {
		copyFile(t, fixture(name), filepath.Join(dir, name))
	}
	return dir
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// statuses maps each input's base name to its status.
func statuses(rep *schemas.Report) map[string]schemas.Status {
	out := map[string]schemas.Status{}
	for _, in := range rep.Inputs {
		out[filepath.Base(in.Path)] = in.Status
	}
	return out
}

// fileID identifies a file on disk: a rewritten file (written anew and
// renamed into place) is another file (os.SameFile), with another mtime.
type fileID struct{ fi os.FileInfo }

func (a fileID) same(b fileID) bool {
	return a.fi != nil && b.fi != nil && os.SameFile(a.fi, b.fi) && a.fi.ModTime().Equal(b.fi.ModTime())
}

func sameFiles(a, b map[string]fileID) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !v.same(b[k]) {
			return false
		}
	}
	return true
}

func fileIDs(t *testing.T, dir string) map[string]fileID {
	t.Helper()
	out := map[string]fileID{}
	for _, sub := range []string{load.ObservationsDir, load.FindingsDir} {
		rels, err := load.ListFiles(dir, sub)
		if err != nil || len(rels) == 0 {
			t.Fatalf("%s: %v, %v", sub, rels, err)
		}
		for _, rel := range rels {
			fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel)))
			if err != nil {
				t.Fatal(err)
			}
			out[rel] = fileID{fi}
		}
	}
	return out
}

// checkManifest checks that manifest.json lists exactly the Parquet files
// in observations/, findings/ and runs/ plus report.json, each with its
// SHA-256 and row count, and that state.json agrees.
func checkManifest(t *testing.T, out string) *load.Manifest {
	t.Helper()
	man, err := load.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	var listed, onDisk []string
	for _, f := range man.Files {
		listed = append(listed, f.Path)
		name := filepath.Join(out, filepath.FromSlash(f.Path))
		b, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("manifest lists %s: %v", f.Path, err)
			continue
		}
		sum := sha256.Sum256(b)
		if hex.EncodeToString(sum[:]) != f.SHA256 || int64(len(b)) != f.Bytes {
			t.Errorf("manifest: %s has another SHA-256 or size", f.Path)
		}
		if strings.HasSuffix(f.Path, ".parquet") {
			if n, err := load.FileRows(name); err != nil || n != f.Rows {
				t.Errorf("manifest: %s has %d rows (%v), listed %d", f.Path, n, err, f.Rows)
			}
		}
	}
	for _, sub := range []string{load.ObservationsDir, load.CurrentDir, load.RevisionsDir, load.DimDir, load.FindingsDir, load.RunsDir, load.AuditDir} {
		rels, err := load.ListFiles(out, sub)
		if err != nil {
			t.Fatal(err)
		}
		onDisk = append(onDisk, rels...)
	}
	// No directory is left empty (a partition whose files all went).
	for _, sub := range []string{load.ObservationsDir, load.CurrentDir} {
		_ = filepath.WalkDir(filepath.Join(out, sub), func(p string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				if entries, _ := os.ReadDir(p); len(entries) == 0 {
					t.Errorf("empty directory %s", p)
				}
			}
			return err
		})
	}
	onDisk = append(onDisk, load.ReportFile, HTMLReport)
	slices.Sort(onDisk)
	if !slices.Equal(listed, onDisk) {
		t.Errorf("manifest lists\n%v\ndirectory holds\n%v", listed, onDisk)
	}
	state, err := load.ReadState(out)
	if err != nil {
		t.Fatal(err)
	}
	if state.RunID != man.RunID {
		t.Errorf("state of run %s, manifest of run %s", state.RunID, man.RunID)
	}
	noLeftovers(t, out)
	return man
}

// observationRows counts the rows of observations/ read as one table, by
// input file name.
func observationRows(t *testing.T, out string) map[string]int {
	t.Helper()
	rows := map[string]int{}
	for _, o := range readObservations(t, out) {
		rows[filepath.Base(o.File)]++
	}
	return rows
}

// readObservations reads observations/ as one table, files in path order.
func readObservations(t *testing.T, out string) []schemas.Observation {
	t.Helper()
	var all []schemas.Observation
	rels, err := load.ListFiles(out, load.ObservationsDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range rels {
		if err := load.ReadObservations(filepath.Join(out, filepath.FromSlash(rel)), func(obs []schemas.Observation) error {
			all = append(all, obs...)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	return all
}

// A rerun skips unchanged inputs and rewrites nothing of theirs, picks up a
// changed input and rewrites only its files, removes the files of an input
// that is gone, and --full reads everything again.
func TestIncremental(t *testing.T) {
	in := inputs(t)
	out := filepath.Join(t.TempDir(), "out")
	cfg := Config{Inputs: []string{in}, OutDir: out}

	rep := run(t, cfg)
	if got := statuses(rep); got["newsletter-2013.xlsx"] != "loaded" || got["products-2013.xlsx"] != "loaded" || got["newsletter-2013-errors.xlsx"] != "loaded" {
		t.Fatalf("first run %v", got)
	}
	checkManifest(t, out)
	first := fileIDs(t, out)
	if len(first) != 6 {
		t.Fatalf("files %v", first)
	}

	// Unchanged: everything skipped, nothing rewritten; the findings of
	// the skipped inputs are still reported (and the exit code with them).
	rep = run(t, cfg)
	for name, st := range statuses(rep) {
		if st != schemas.StatusSkipped {
			t.Errorf("rerun: %s %s", name, st)
		}
	}
	if len(ruleFindings(rep.Findings)) != errorsFixtureFindings || ExitCode(rep) != ExitFindings {
		t.Errorf("rerun: %d findings, exit %d", len(ruleFindings(rep.Findings)), ExitCode(rep))
	}
	for _, in := range rep.Inputs {
		if in.OutputRunID == "" || in.OutputRunID == rep.RunID || in.Observations == 0 {
			t.Errorf("skipped input %+v", in)
		}
	}
	if got := fileIDs(t, out); !sameFiles(got, first) {
		t.Errorf("a rerun rewrote files:\n%v\n%v", first, got)
	}
	checkManifest(t, out)

	// Same content, new mtime: hashed, found unchanged, skipped.
	later := time.Now().Add(-time.Minute)
	if err := os.Chtimes(filepath.Join(in, "products-2013.xlsx"), later, later); err != nil {
		t.Fatal(err)
	}
	rep = run(t, cfg)
	if got := statuses(rep)["products-2013.xlsx"]; got != schemas.StatusSkipped {
		t.Errorf("touched input %s", got)
	}
	if st, _ := load.ReadState(out); !st.Inputs[filepath.Join(in, "products-2013.xlsx")].ModTime.Equal(later) {
		t.Error("state keeps the old mtime of a touched input")
	}

	// Changed and removed inputs.
	copyFile(t, fixture("newsletter-2013-errors.xlsx"), filepath.Join(in, "newsletter-2013.xlsx"))
	if err := os.Remove(filepath.Join(in, "products-2013.xlsx")); err != nil {
		t.Fatal(err)
	}
	rep = run(t, cfg)
	got := statuses(rep)
	if len(got) != 2 || got["newsletter-2013.xlsx"] != schemas.StatusLoaded || got["newsletter-2013-errors.xlsx"] != schemas.StatusSkipped {
		t.Errorf("after a change and a removal: %v", got)
	}
	after := fileIDs(t, out)
	changed := load.InputID(filepath.Join(in, "newsletter-2013.xlsx"))
	gone := load.InputID(filepath.Join(in, "products-2013.xlsx"))
	for name, id := range first {
		switch {
		case strings.Contains(name, gone):
			if _, ok := after[name]; ok {
				t.Errorf("%s of the removed input is still there", name)
			}
		case strings.Contains(name, changed):
			if after[name].same(id) {
				t.Errorf("%s of the changed input was not rewritten", name)
			}
		default:
			if !after[name].same(id) {
				t.Errorf("%s of an unchanged input was rewritten", name)
			}
		}
	}
	if rows := observationRows(t, out); rows["products-2013.xlsx"] != 0 || rows["newsletter-2013.xlsx"] != 36 || len(rows) != 2 {
		t.Errorf("observations/ holds %v", rows)
	}
	if len(ruleFindings(rep.Findings)) != 2*errorsFixtureFindings {
		t.Errorf("%d findings, want the errors fixture's %d twice", len(ruleFindings(rep.Findings)), errorsFixtureFindings)
	}
	checkManifest(t, out)
	if st, _ := load.ReadState(out); len(st.Inputs) != 2 {
		t.Errorf("state lists %d inputs", len(st.Inputs))
	}

	// --full reads everything again; the data is the same, row for row.
	before := readObservations(t, out)
	full := cfg
	full.Full = true
	rep = run(t, full)
	for name, st := range statuses(rep) {
		if st != schemas.StatusLoaded {
			t.Errorf("--full: %s %s", name, st)
		}
	}
	reread := readObservations(t, out)
	for i := range reread {
		if reread[i].RunID != rep.RunID {
			t.Errorf("--full: %s run_id %q, want %q", reread[i].Ref(), reread[i].RunID, rep.RunID)
		}
		reread[i].RunID = "" // the run is all that differs
	}
	for i := range before {
		before[i].RunID = ""
	}
	if len(reread) != 72 || !reflect.DeepEqual(reread, before) {
		t.Errorf("--full changed the data: %d rows, were %d", len(reread), len(before))
	}
	// Five runs in the history; the two that changed nothing share the
	// day's file of unchanged runs.
	man := checkManifest(t, out)
	files, runs := 0, 0
	for _, f := range man.Files {
		if strings.HasPrefix(f.Path, load.RunsDir+"/") {
			files++
			runs += int(f.Rows)
		}
	}
	if runs != 5 || files != 4 {
		t.Errorf("%d runs in %d files of the history, want 5 in 4", runs, files)
	}
}

// A delivery that cannot be read, or whose findings reach --fail-on, keeps
// the input's last good output published.
func TestQuarantine(t *testing.T) {
	in := inputs(t)
	out := filepath.Join(t.TempDir(), "out")
	clean := filepath.Join(in, "newsletter-2013.xlsx")
	cfg := Config{Inputs: []string{in}, OutDir: out, FailOn: FailOnError}

	rep := run(t, cfg)
	good := rep.RunID
	got := statuses(rep)
	if got["newsletter-2013.xlsx"] != schemas.StatusLoaded || got["newsletter-2013-errors.xlsx"] != schemas.StatusQuarantined {
		t.Fatalf("first run %v", got)
	}
	// A first delivery with errors publishes nothing.
	if rows := observationRows(t, out); rows["newsletter-2013-errors.xlsx"] != 0 || rows["newsletter-2013.xlsx"] != 36 {
		t.Errorf("observations/ holds %v", rows)
	}
	if ExitCode(rep) != ExitFindings {
		t.Errorf("exit %d", ExitCode(rep))
	}
	ids := fileIDs(t, out)

	// The clean input now arrives with errors: quarantined, last good kept.
	copyFile(t, fixture("newsletter-2013-errors.xlsx"), clean)
	rep = run(t, cfg)
	in1 := rep.Inputs[slices.IndexFunc(rep.Inputs, func(i schemas.InputReport) bool { return i.Path == clean })]
	if in1.Status != schemas.StatusQuarantined || in1.OutputRunID != good || !strings.Contains(in1.Error, fmt.Sprintf("%d errors", errorsFixtureFindings)) {
		t.Errorf("bad delivery %+v", in1)
	}
	if rows := observationRows(t, out); rows["newsletter-2013.xlsx"] != 36 {
		t.Errorf("observations/ holds %v", rows)
	}
	if got := fileIDs(t, out); !sameFiles(got, ids) {
		t.Error("a quarantined delivery rewrote files")
	}
	checkManifest(t, out)
	if len(ruleFindings(rep.Findings)) != 2*errorsFixtureFindings || ExitCode(rep) != ExitFindings {
		t.Errorf("%d findings, exit %d", len(rep.Findings), ExitCode(rep))
	}

	// Now it cannot be read at all: failed, last good still kept, exit 3.
	if err := os.WriteFile(clean, []byte("not a workbook"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep = run(t, cfg)
	in1 = rep.Inputs[slices.IndexFunc(rep.Inputs, func(i schemas.InputReport) bool { return i.Path == clean })]
	if in1.Status != schemas.StatusFailed || in1.OutputRunID != good || ExitCode(rep) != ExitInput {
		t.Errorf("unreadable delivery %+v, exit %d", in1, ExitCode(rep))
	}
	if rows := observationRows(t, out); rows["newsletter-2013.xlsx"] != 36 {
		t.Errorf("observations/ holds %v", rows)
	}
	checkManifest(t, out)

	// The good file comes back: skipped, since its output is the one
	// published.
	copyFile(t, fixture("newsletter-2013.xlsx"), clean)
	rep = run(t, cfg)
	if got := statuses(rep)["newsletter-2013.xlsx"]; got != schemas.StatusSkipped {
		t.Errorf("good file back: %s", got)
	}
}

// Rules with scope run see the observations of every input, also of
// skipped ones (read back from their published files).
func TestRunScopeRules(t *testing.T) {
	rules, err := validate.LoadRules("cross.yaml", []byte(`version: 1
rules:
  - id: flanders_half
    severity: warning
    scope: run
    match: {reporter: Flanders, flow: imports, measure: level}
    with:
      belgium: {reporter: Belgium}
    check: value <= 0.5 * belgium
`))
	if err != nil {
		t.Fatal(err)
	}
	// Skipped inputs' observations are read back for the run-scope
	// rules, from one file each or, partitioned, from one per year.
	for _, partition := range []string{load.PartitionNone, load.PartitionYear} {
		t.Run("partition="+partition, func(t *testing.T) {
			runScopeRules(t, rules, partition)
		})
	}
}

func runScopeRules(t *testing.T, rules *validate.RuleSet, partition string) {
	dir := filepath.Join(t.TempDir(), "in")
	os.MkdirAll(dir, 0o755)
	copyFile(t, fixture("newsletter-2013.xlsx"), filepath.Join(dir, "newsletter-2013.xlsx"))
	copyFile(t, fixture("products-2013.xlsx"), filepath.Join(dir, "products-2013.xlsx"))
	out := filepath.Join(t.TempDir(), "out")
	cfg := Config{Inputs: []string{dir}, OutDir: out, Rules: rules, Load: load.Options{PartitionBy: partition}}
	// A Parquet file in findings/ that no run lists (here one named like
	// a file Spark skips as hidden) goes.
	legacy := filepath.Join(out, load.FindingsDir, "_run.parquet")
	os.MkdirAll(filepath.Dir(legacy), 0o755)
	os.WriteFile(legacy, []byte("old"), 0o644)
	rep := run(t, cfg)
	crossFile := 0
	for _, f := range rep.Findings {
		if f.Rule == "flanders_half" && strings.HasSuffix(f.File, "products-2013.xlsx") {
			crossFile++ // Flanders in products-2013, Belgium in newsletter-2013
		}
	}
	if crossFile == 0 {
		t.Fatalf("no cross-file finding in %+v (%+v)", rep.Findings, rep.Inputs)
	}
	if _, err := os.Stat(legacy); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s still there: %v", legacy, err)
	}
	runFile := filepath.Join(out, load.FindingsPath(load.RunFindingsID))
	first, err := load.ReadFindings(runFile)
	if err != nil || len(first) == 0 {
		t.Fatalf("%s: %d findings, %v", runFile, len(first), err)
	}
	rep = run(t, cfg)
	for name, st := range statuses(rep) {
		if st != schemas.StatusSkipped {
			t.Errorf("rerun: %s %s", name, st)
		}
	}
	second, err := load.ReadFindings(runFile)
	if err != nil || len(second) != len(first) {
		t.Errorf("rerun: %d run-scope findings, want %d (%v)", len(second), len(first), err)
	}
	checkManifest(t, out)

	// Without run-scope rules the file goes.
	cfg.Rules = nil
	cfg.Full = true
	run(t, cfg)
	if _, err := os.Stat(runFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s still there: %v", runFile, err)
	}
	checkManifest(t, out)
}

// A run that finds the output directory locked fails at once, or waits.
func TestLocked(t *testing.T) {
	out := t.TempDir()
	l, _, err := load.AcquireLock(context.Background(), out, load.LockHolder{PID: 1, RunID: "other"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Inputs: []string{fixture("newsletter-2013.xlsx")}, OutDir: out}
	if _, err := Run(context.Background(), cfg); !errors.Is(err, load.ErrLocked) {
		t.Fatalf("run on a locked directory: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, load.ManifestFile)); err == nil {
		t.Error("a refused run published")
	}
	go func() {
		time.Sleep(300 * time.Millisecond)
		l.Release()
	}()
	cfg.Wait = 10 * time.Second
	if _, err := Run(context.Background(), cfg); err != nil {
		t.Fatalf("waiting run: %v", err)
	}
	checkManifest(t, out)
}

// A cancelled run publishes nothing and leaves the previous output as it
// was.
func TestCancelledRunPublishesNothing(t *testing.T) {
	in := inputs(t)
	out := filepath.Join(t.TempDir(), "out")
	run(t, Config{Inputs: []string{in}, OutDir: out})
	before := fileIDs(t, out)
	state, _ := os.ReadFile(filepath.Join(out, load.StateFile))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, Config{Inputs: []string{in}, OutDir: out, Full: true}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled run: %v", err)
	}
	if got := fileIDs(t, out); !sameFiles(got, before) {
		t.Error("a cancelled run changed the output")
	}
	if now, _ := os.ReadFile(filepath.Join(out, load.StateFile)); string(now) != string(state) {
		t.Error("a cancelled run changed the state")
	}
	checkManifest(t, out)
}

// An input that keeps its last good output through a change of options
// (quarantined in the run that turned partitioning on) is read again when
// the good file comes back, so that observations/ never mixes the two
// layouts.
func TestLayoutChangeWhileQuarantined(t *testing.T) {
	in := filepath.Join(t.TempDir(), "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	clean := filepath.Join(in, "newsletter-2013.xlsx")
	copyFile(t, fixture("newsletter-2013.xlsx"), clean)
	out := filepath.Join(t.TempDir(), "out")
	flat := Config{Inputs: []string{in}, OutDir: out, FailOn: FailOnError}
	byYear := flat
	byYear.Load = load.Options{PartitionBy: load.PartitionYear}

	run(t, flat)
	copyFile(t, fixture("newsletter-2013-errors.xlsx"), clean)
	if got := statuses(run(t, byYear))["newsletter-2013.xlsx"]; got != schemas.StatusQuarantined {
		t.Fatalf("bad delivery with partitioning on: %s", got)
	}
	copyFile(t, fixture("newsletter-2013.xlsx"), clean)
	for i := range 2 {
		rep := run(t, byYear)
		want := schemas.StatusLoaded // read again in the new layout
		if i == 1 {
			want = schemas.StatusSkipped
		}
		if got := statuses(rep)["newsletter-2013.xlsx"]; got != want {
			t.Errorf("run %d after the good file came back: %s, want %s", i+1, got, want)
		}
		rels, err := load.ListFiles(out, load.ObservationsDir)
		if err != nil {
			t.Fatal(err)
		}
		for _, rel := range rels {
			if !strings.HasPrefix(rel, load.ObservationsDir+"/year=") {
				t.Errorf("run %d: %s is not in a year partition", i+1, rel)
			}
		}
		if rows := observationRows(t, out); rows["newsletter-2013.xlsx"] != 36 {
			t.Errorf("run %d: observations/ holds %v", i+1, rows)
		}
	}
}
