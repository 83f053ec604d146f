package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/validate"
)

// The shard of an input depends on its name alone: a golden assignment
// (the first 8 bytes of the SHA-256 of the name, big-endian, modulo N;
// python3 -c 'import hashlib; print(int.from_bytes(hashlib.sha256(b"NAME").digest()[:8], "big") % N)'
// gives the same).
func TestShardOfGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		n    int
		want int
	}{
		{"fixtures/newsletter-2013.xlsx", 4, 0},
		{"fixtures/newsletter-2013.xlsx", 7, 1},
		{"fixtures/newsletter-2013-errors.xlsx", 4, 0},
		{"fixtures/products-2013.xlsx", 4, 1},
		{"fixtures/products-2013.xlsx", 100, 93},
		{"in/d3/g-017.csv", 7, 4},
		{"/data/incoming/2026-12/exports.xlsx", 4, 2},
		{"/data/incoming/2026-12/exports.xlsx", 100, 50},
		{"in/sub/../d3/g-017.csv", 7, 4}, // the cleaned path
		{"anything.csv", 1, 0},
	} {
		if got := ShardOf(c.name, c.n); got != c.want {
			t.Errorf("ShardOf(%q, %d) = %d, want %d", c.name, c.n, got, c.want)
		}
	}
}

func TestParseShard(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Shard
		ok   bool
	}{
		{"0/4", Shard{0, 4}, true},
		{"3/4", Shard{3, 4}, true},
		{"4/4", Shard{}, false},
		{"-1/4", Shard{}, false},
		{"0/0", Shard{}, false},
		{"1", Shard{}, false},
		{"a/b", Shard{}, false},
	} {
		got, err := ParseShard(c.in)
		if (err == nil) != c.ok || c.ok && got != c.want {
			t.Errorf("ParseShard(%q) = %v, %v", c.in, got, err)
		}
	}
}

// fixedClock is the clock of runs whose outputs are compared byte for
// byte: every time a run records is this one.
func fixedClock() time.Time { return time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC) }

// runShards runs the n shards of a run, each as a run of its own, all at
// once, and returns the report of the one that published the run.
func runShards(t *testing.T, cfg Config, n int) *schemas.Report {
	t.Helper()
	var mu sync.Mutex
	var reps []*schemas.Report
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := RunShard(context.Background(), cfg, Shard{i, n})
			if err != nil {
				t.Errorf("shard %d/%d: %v", i, n, err)
				return
			}
			if res.Report != nil {
				mu.Lock()
				reps = append(reps, res.Report)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(reps) != 1 {
		t.Fatalf("%d shards published the run, want 1", len(reps))
	}
	return reps[0]
}

// sameOutput checks that two output directories hold the same published
// run: the same manifest.json (every file, its rows, bytes and SHA-256,
// so every Parquet file, report.json, report.html and state.json byte
// for byte), and nothing else in them but the lock and the shards'
// staging.
func sameOutput(t *testing.T, single, sharded string) {
	t.Helper()
	a, err := os.ReadFile(filepath.Join(single, load.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(sharded, load.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		ma, _ := load.ReadManifest(single)
		mb, _ := load.ReadManifest(sharded)
		pa, pb := map[string]load.FileInfo{}, map[string]load.FileInfo{}
		for _, f := range ma.Files {
			pa[f.Path] = f
		}
		for _, f := range mb.Files {
			pb[f.Path] = f
			if g, ok := pa[f.Path]; !ok {
				t.Errorf("sharded run publishes %s, a single run does not", f.Path)
			} else if g != f {
				t.Errorf("%s differs:\n single  %+v\n sharded %+v", f.Path, g, f)
			}
		}
		for _, f := range ma.Files {
			if _, ok := pb[f.Path]; !ok {
				t.Errorf("a single run publishes %s, the sharded run does not", f.Path)
			}
		}
		if len(ma.Files) == len(mb.Files) && !t.Failed() {
			t.Errorf("manifests differ:\n%s\n%s", a, b)
		}
	}
	man := checkManifest(t, sharded)
	for _, f := range man.Files {
		x, errA := os.ReadFile(filepath.Join(single, filepath.FromSlash(f.Path)))
		y, errB := os.ReadFile(filepath.Join(sharded, filepath.FromSlash(f.Path)))
		if errA != nil || errB != nil || !bytes.Equal(x, y) {
			t.Errorf("%s: not the same bytes (%v, %v)", f.Path, errA, errB)
		}
	}
	for _, dir := range []string{single, sharded} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") && e.Name() != load.LockFile && e.Name() != load.ShardsDir {
				t.Errorf("%s left in %s", e.Name(), dir)
			}
		}
	}
}

// crossRules are a rule of scope file and one of scope run, which sees
// the figures of every input.
func crossRules(t *testing.T) *validate.RuleSet {
	t.Helper()
	rs, err := validate.LoadRules("cross.yaml", []byte(`version: 1
rules:
  - id: balance_sign
    severity: warning
    scope: file
    match: {flow: exports, measure: level}
    with:
      imports: {flow: imports}
    check: value >= 0 and imports >= 0
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
	return rs
}

// genInputs writes n small trade tables under dir: CSV and xlsx, in
// subdirectories, Belgium and its regions trading with a few partners,
// some figures in more than one delivery (revisions), some broken (rule
// findings), one file unreadable (a failed input).
func genInputs(t *testing.T, dir string, n int, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	reporters := []string{"Belgium", "Flanders", "Wallonia", "Brussels"}
	partners := []string{"China", "India", "Japan", "Brazil", "Canada"}
	for i := range n {
		rep, par := reporters[rng.IntN(len(reporters))], partners[rng.IntN(len(partners))]
		title := fmt.Sprintf("%s: trade with %s (million EUR)", rep, par)
		rows := [][]string{{"Year", "Exports", "Imports", "Balance"}}
		for y := 2010 + rng.IntN(3); y < 2014+rng.IntN(3); y++ {
			ex, im := float64(100+rng.IntN(900))/10, float64(100+rng.IntN(900))/10
			bal := ex - im
			if rng.IntN(10) == 0 {
				bal += 5 // a broken balance
			}
			rows = append(rows, []string{fmt.Sprint(y), fmt.Sprintf("%.1f", ex), fmt.Sprintf("%.1f", im), fmt.Sprintf("%.1f", bal)})
		}
		sub := filepath.Join(dir, fmt.Sprintf("d%d", i%7))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		var name string
		switch {
		case i == n/2:
			name = filepath.Join(sub, fmt.Sprintf("g-%03d.xlsx", i))
			if err := os.WriteFile(name, []byte("not a workbook"), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		case i%3 == 0:
			name = filepath.Join(sub, fmt.Sprintf("g-%03d.xlsx", i))
			f := excelize.NewFile()
			f.SetCellValue("Sheet1", "A1", title)
			for r, row := range rows {
				for c, v := range row {
					cell, _ := excelize.CoordinatesToCellName(c+1, r+3)
					if r == 0 {
						f.SetCellValue("Sheet1", cell, v)
					} else {
						f.SetCellValue("Sheet1", cell, mustFloat(t, v))
					}
				}
			}
			if err := f.SaveAs(name); err != nil {
				t.Fatal(err)
			}
		default:
			name = filepath.Join(sub, fmt.Sprintf("g-%03d.csv", i))
			var b strings.Builder
			b.WriteString(title + "\n")
			for _, row := range rows {
				b.WriteString(strings.Join(row, ",") + "\n")
			}
			if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		mt := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
		if err := os.Chtimes(name, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
}

func mustFloat(t *testing.T, s string) float64 {
	var v float64
	if _, err := fmt.Sscan(s, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// N = 4 shards and their publication publish exactly what one run over
// every input publishes, with the same run id and clock: the same
// manifest, every file in it byte for byte. So over the fixtures and over
// 200 generated inputs (with a failed one and revisions), with the
// built-in rules and with a rule of scope run, partitioned by year or
// not; then again incrementally, after some inputs changed, some came
// and some went.
func TestShardsPublishWhatOneRunPublishes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 200 inputs several times")
	}
	for _, c := range []struct {
		name      string
		gen       int // generated inputs; 0: the fixtures
		rules     bool
		partition string
	}{
		{"fixtures", 0, false, load.PartitionNone},
		{"fixtures-run-scope-by-year", 0, true, load.PartitionYear},
		{"generated", 200, false, load.PartitionNone},
		{"generated-run-scope", 200, true, load.PartitionNone},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := filepath.Join(t.TempDir(), "in")
			if c.gen == 0 {
				in = inputs(t)
			} else {
				genInputs(t, in, c.gen, 1)
			}
			base := t.TempDir()
			single, sharded := filepath.Join(base, "single"), filepath.Join(base, "sharded")
			cfg := func(out, runID string) Config {
				cfg := Config{Inputs: []string{in}, OutDir: out, RunID: runID, Now: fixedClock, Workers: 1,
					Load: load.Options{PartitionBy: c.partition}}
				if c.rules {
					cfg.Rules = crossRules(t)
				}
				return cfg
			}
			one := run(t, cfg(single, "first"))
			many := runShards(t, cfg(sharded, "first"), 4)
			sameOutput(t, single, sharded)
			if ExitCode(one) != ExitCode(many) {
				t.Errorf("exit code %d, sharded %d", ExitCode(one), ExitCode(many))
			}
			if c.gen > 0 && (len(one.Revisions) == 0 || len(one.Findings) == 0 || ExitCode(one) != ExitInput) {
				t.Errorf("the generated inputs make %d revisions, %d findings, exit code %d; want revisions, findings and a failed input",
					len(one.Revisions), len(one.Findings), ExitCode(one))
			}
			if c.rules && !slices.ContainsFunc(one.Findings, func(f schemas.Finding) bool { return f.Rule == "flanders_half" }) {
				t.Errorf("no finding of the run-scope rule")
			}
			if entries, _ := os.ReadDir(filepath.Join(sharded, load.ShardsDir, "first")); len(entries) != 1 || entries[0].Name() != load.ShardPublishedFile {
				t.Errorf("shard staging after publication: %v", entries)
			}

			// Incrementally: some inputs change, one comes, one goes.
			if c.gen > 0 {
				genInputs(t, filepath.Join(in, "d3"), 5, 2) // new and changed
				if err := os.Remove(filepath.Join(in, "d1", "g-008.csv")); err != nil {
					t.Fatal(err)
				}
			} else {
				copyFile(t, fixture("newsletter-2013.xlsx"), filepath.Join(in, "again.xlsx"))
				if err := os.Remove(filepath.Join(in, "products-2013.xlsx")); err != nil {
					t.Fatal(err)
				}
			}
			one = run(t, cfg(single, "second"))
			many = runShards(t, cfg(sharded, "second"), 4)
			sameOutput(t, single, sharded)
			if ExitCode(one) != ExitCode(many) {
				t.Errorf("second run: exit code %d, sharded %d", ExitCode(one), ExitCode(many))
			}
			if tally := many.Tally(); tally.Status(schemas.StatusSkipped) == 0 || tally.Status(schemas.StatusLoaded) == 0 {
				t.Errorf("second run: %+v, want inputs skipped and loaded", tally)
			}
		})
	}
}

// A shard that is missing keeps the run from being published: publish
// says which, and publishes nothing.
func TestPublishRefusesMissingShard(t *testing.T) {
	in := inputs(t)
	out := filepath.Join(t.TempDir(), "out")
	cfg := Config{Inputs: []string{in}, OutDir: out, RunID: "job-1", Workers: 1}
	for _, i := range []int{0, 1, 3} {
		res, err := RunShard(context.Background(), cfg, Shard{i, 4})
		if err != nil {
			t.Fatal(err)
		}
		if res.Report != nil || res.Published {
			t.Fatalf("shard %d published with shard 2 missing", i)
		}
	}
	_, err := Publish(context.Background(), cfg)
	var se *ShardsError
	if !errors.As(err, &se) || !errors.Is(err, ErrShards) || !slices.Equal(se.Missing, []int{2}) || se.Shards != 4 {
		t.Fatalf("publish: %v (%+v), want shard 2 missing", err, se)
	}
	if !strings.Contains(err.Error(), "shards 2 of 4 missing") {
		t.Errorf("error %q does not name the missing shard", err)
	}
	for _, name := range []string{load.ManifestFile, load.StateFile, load.ReportFile, load.ObservationsDir} {
		if _, err := os.Stat(filepath.Join(out, name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s published: %v", name, err)
		}
	}
}

// A shard that fails is reported by name; run again, it completes the
// run, which it then publishes.
func TestFailedShardRetried(t *testing.T) {
	in := inputs(t)
	out := filepath.Join(t.TempDir(), "out")
	cfg := Config{Inputs: []string{in}, OutDir: out, RunID: "job-2", Workers: 1}
	for _, i := range []int{0, 2} {
		if _, err := RunShard(context.Background(), cfg, Shard{i, 3}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // shard 1 is killed
	if _, err := RunShard(ctx, cfg, Shard{1, 3}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled shard: %v", err)
	}
	_, err := Publish(context.Background(), cfg)
	var se *ShardsError
	if !errors.As(err, &se) || se.Failed[1] == "" || len(se.Missing) != 0 {
		t.Fatalf("publish: %v (%+v), want shard 1 failed", err, se)
	}
	if !strings.Contains(err.Error(), "shard 1/3 failed") {
		t.Errorf("error %q does not name the failed shard", err)
	}
	if _, err := os.Stat(filepath.Join(out, load.ManifestFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("published with a failed shard: %v", err)
	}
	res, err := RunShard(context.Background(), cfg, Shard{1, 3})
	if err != nil || res.Report == nil {
		t.Fatalf("retried shard: %+v, %v; want it to publish the run", res, err)
	}
	man := checkManifest(t, out)
	if man.RunID != "job-2" || len(res.Report.Inputs) != 3 {
		t.Errorf("published run %s with %d inputs", man.RunID, len(res.Report.Inputs))
	}
	// Any shard run again now has nothing to do.
	res, err = RunShard(context.Background(), cfg, Shard{0, 3})
	if err != nil || !res.Published || res.Report != nil {
		t.Errorf("shard after publication: %+v, %v", res, err)
	}
}

// Two publications of one run at once: one publishes, the other finds it
// published and does nothing. (The last shard's own publication is
// blocked here by another holder of the lock.)
func TestTwoPublishersAtOnce(t *testing.T) {
	in := inputs(t)
	out := filepath.Join(t.TempDir(), "out")
	cfg := Config{Inputs: []string{in}, OutDir: out, RunID: "job-3", Workers: 1}
	for _, i := range []int{0, 1} {
		if _, err := RunShard(context.Background(), cfg, Shard{i, 3}); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	lock, _, err := load.AcquireLock(context.Background(), out, load.LockHolder{RunID: "someone-else"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	res, err := RunShard(context.Background(), cfg, Shard{2, 3})
	if !errors.Is(err, load.ErrLocked) || res == nil || res.Report != nil {
		t.Fatalf("last shard with the output locked: %+v, %v", res, err)
	}
	lock.Release()

	cfg.Wait = time.Minute
	errs := make([]error, 2)
	reps := make([]*schemas.Report, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reps[i], errs[i] = Publish(context.Background(), cfg)
		}()
	}
	wg.Wait()
	published, noop := 0, 0
	for i := range 2 {
		switch {
		case errs[i] == nil && reps[i] != nil:
			published++
		case errors.Is(errs[i], ErrPublished):
			noop++
		default:
			t.Errorf("publisher %d: %v", i, errs[i])
		}
	}
	if published != 1 || noop != 1 {
		t.Fatalf("%d published, %d found it published; want 1 and 1", published, noop)
	}
	runs, err := load.ListFiles(out, load.RunsDir)
	if err != nil || len(runs) != 1 {
		t.Errorf("run history %v, %v: want one run", runs, err)
	}
}

// Shards read the inputs against the published state: when another run
// publishes in between, their results are refused.
func TestPublishRefusesShardsOfAnOlderState(t *testing.T) {
	in := inputs(t)
	out := filepath.Join(t.TempDir(), "out")
	cfg := Config{Inputs: []string{in}, OutDir: out, RunID: "job-4", Workers: 1}
	if _, err := RunShard(context.Background(), cfg, Shard{0, 2}); err != nil {
		t.Fatal(err)
	}
	run(t, Config{Inputs: []string{in}, OutDir: out, Workers: 1})
	if _, err := RunShard(context.Background(), cfg, Shard{1, 2}); !errors.Is(err, ErrShards) {
		t.Fatalf("shards over two states: %v, want ErrShards", err)
	}
	// Shard 0 run again against the state now published: shard 1 read
	// against it too, so shard 0 publishes.
	res, err := RunShard(context.Background(), cfg, Shard{0, 2})
	if err != nil || res.Report == nil {
		t.Fatalf("%+v, %v", res, err)
	}
	for _, in := range res.Report.Inputs {
		if in.Status != schemas.StatusSkipped {
			t.Errorf("%s %s, want skipped (unchanged since the run in between)", in.Path, in.Status)
		}
	}
}

// The staging of a run that was never published is removed once older
// than Config.ShardTTL.
func TestStaleShardsSwept(t *testing.T) {
	in := inputs(t)
	out := filepath.Join(t.TempDir(), "out")
	cfg := Config{Inputs: []string{in}, OutDir: out, RunID: "abandoned", Workers: 1}
	if _, err := RunShard(context.Background(), cfg, Shard{0, 2}); err != nil {
		t.Fatal(err)
	}
	cfg.RunID, cfg.Now = "later", func() time.Time { return time.Now().Add(2 * DefaultShardTTL) }
	if _, err := RunShard(context.Background(), cfg, Shard{0, 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(load.ShardRunDir("abandoned")))); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale staging kept: %v", err)
	}
}
