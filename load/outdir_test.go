package load_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

func TestInputID(t *testing.T) {
	valid := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*-[0-9a-f]{8}$`)
	tests := []struct {
		path, prefix string
	}{
		{"fixtures/newsletter-2013.xlsx", "fixtures-newsletter-2013-xlsx-"},
		{"./fixtures//newsletter-2013.xlsx", "fixtures-newsletter-2013-xlsx-"},
		{"/data/in/Handel met China 2013.xlsx", "data-in-Handel-met-China-2013-xlsx-"},
		{"../../etc/passwd.csv", "etc-passwd-csv-"},
		{".hidden/_x.csv", "hidden-_x-csv-"},
		{"échanges/région wallonne.csv", "changes-r-gion-wallonne-csv-"},
		{"...", "input-"},
		{"_run", "run-"},
		{strings.Repeat("verylongfolder/", 20) + "file.xlsx", "verylongfolder-"},
	}
	seen := map[string]string{}
	for _, tt := range tests {
		id := load.InputID(tt.path)
		if !valid.MatchString(id) || !strings.HasPrefix(id, tt.prefix) || len(id) > 89 {
			t.Errorf("InputID(%q) = %q, want a plain name starting %q", tt.path, id, tt.prefix)
		}
		if id != load.InputID(tt.path) {
			t.Errorf("InputID(%q) is not stable", tt.path)
		}
		if other, ok := seen[id]; ok && filepath.Clean(other) != filepath.Clean(tt.path) {
			t.Errorf("InputID(%q) = InputID(%q) = %q", tt.path, other, id)
		}
		seen[id] = tt.path
	}
	// The run-scope findings file can never be an input's.
	if valid.MatchString(load.RunFindingsID) || load.InputID(load.RunFindingsID) == load.RunFindingsID {
		t.Errorf("an input id can be %s", load.RunFindingsID)
	}
	for _, name := range []string{load.RunFindingsID, load.ObservationsDir, load.FindingsDir, load.RunsDir} {
		if strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") {
			t.Errorf("%s starts with a character Spark and Hadoop take for hidden", name)
		}
	}
	// Paths that slug alike stay apart through the hash.
	if a, b := load.InputID("a/b-c.xlsx"), load.InputID("a-b/c.xlsx"); a == b {
		t.Errorf("a/b-c.xlsx and a-b/c.xlsx both map to %s", a)
	}
	if long := load.InputID(strings.Repeat("d/", 100) + "report.xlsx"); !strings.Contains(long, "-report-xlsx-") {
		t.Errorf("a long path's id %s lost its file name", long)
	}
}

// writeFile creates dir/rel with content.
func writeFile(t *testing.T, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// tree returns every file under dir (slash paths) with its content.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func stage(t *testing.T, p *load.Publication, rel, content string) {
	t.Helper()
	name, err := p.StagePath(rel)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	p.Publish(rel)
}

func TestPublication(t *testing.T) {
	out := t.TempDir()
	writeFile(t, out, "observations/a.parquet", "old a")
	writeFile(t, out, "observations/gone.parquet", "old gone")
	writeFile(t, out, "manifest.json", "old manifest")

	p, err := load.NewPublication(out, "run2")
	if err != nil {
		t.Fatal(err)
	}
	stage(t, p, "observations/a.parquet", "new a")
	stage(t, p, "observations/b.parquet", "new b")
	p.Remove("observations/gone.parquet")
	p.Remove("observations/never-there.parquet")
	if err := p.WriteJSON("manifest.json", map[string]string{"run_id": "run2"}); err != nil {
		t.Fatal(err)
	}
	// Nothing changes before Commit.
	if got := tree(t, out)["observations/a.parquet"]; got != "old a" {
		t.Fatalf("a before commit: %q", got)
	}
	if err := p.Commit(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"observations/a.parquet": "new a",
		"observations/b.parquet": "new b",
		"manifest.json":          "{\n  \"run_id\": \"run2\"\n}\n",
	}
	if got := tree(t, out); !reflect.DeepEqual(got, want) {
		t.Errorf("after commit\n got %v\nwant %v", got, want)
	}
	if err := p.Commit(); err == nil {
		t.Error("a second Commit succeeded")
	}
}

func TestPublicationAbort(t *testing.T) {
	out := t.TempDir()
	writeFile(t, out, "observations/a.parquet", "old a")
	before := tree(t, out)
	p, err := load.NewPublication(out, "run2")
	if err != nil {
		t.Fatal(err)
	}
	stage(t, p, "observations/a.parquet", "new a")
	p.Remove("observations/a.parquet")
	p.Abort()
	p.Abort()
	if got := tree(t, out); !reflect.DeepEqual(got, before) {
		t.Errorf("after abort %v, want %v", got, before)
	}
	if err := p.Commit(); err == nil {
		t.Error("Commit after Abort succeeded")
	}
}

func TestPublicationRejectsPathsOutsideOut(t *testing.T) {
	out := t.TempDir()
	p, err := load.NewPublication(out, "run")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Abort()
	for _, rel := range []string{"../x.parquet", "/etc/x", "a/../../x", "", `a\b`} {
		if _, err := p.StagePath(rel); err == nil {
			t.Errorf("StagePath(%q) accepted", rel)
		}
	}
	p.Remove("../outside")
	if err := p.Commit(); err == nil {
		t.Error("Commit removed a path outside OUT")
	}
	for _, id := range []string{"", "../x", ".hidden", "a/b"} {
		if _, err := load.NewPublication(out, id); err == nil {
			t.Errorf("run id %q accepted", id)
		}
	}
}

func TestRecoverRemovesLeftovers(t *testing.T) {
	out := t.TempDir()
	writeFile(t, out, "observations/a.parquet", "a")
	writeFile(t, out, "report.json", "{}")
	want := tree(t, out)
	// A run killed while writing: a staging area and temporary files.
	p, err := load.NewPublication(out, "killed")
	if err != nil {
		t.Fatal(err)
	}
	stage(t, p, "observations/a.parquet", "half")
	writeFile(t, out, "observations/.a.parquet.123.tmp", "half")
	writeFile(t, out, ".report.json.456.tmp", "half")
	writeFile(t, out, "observations/.keep-me", "not a temporary file of ours")
	want["observations/.keep-me"] = "not a temporary file of ours"

	rec, err := load.Recover(out)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Finished != "" || len(rec.Removed) != 3 {
		t.Errorf("recovery %+v", rec)
	}
	if got := tree(t, out); !reflect.DeepEqual(got, want) {
		t.Errorf("after recovery\n got %v\nwant %v", got, want)
	}
	// Nothing to do the second time.
	if rec, err := load.Recover(out); err != nil || rec.Finished != "" || len(rec.Removed) != 0 {
		t.Errorf("second recovery %+v, %v", rec, err)
	}
}

func TestState(t *testing.T) {
	out := t.TempDir()
	s, err := load.ReadState(out)
	if err != nil || len(s.Inputs) != 0 || s.Version != load.StateVersion {
		t.Fatalf("missing state: %+v, %v", s, err)
	}
	s.RunID, s.Config = "run1", "cfg"
	mtime := time.Date(2026, 1, 2, 3, 4, 5, 678901234, time.FixedZone("CET", 3600))
	s.Inputs["in/a.xlsx"] = &load.InputState{
		ID: "in-a-xlsx-12345678", Size: 42, ModTime: mtime, SHA256: strings.Repeat("b", 64), HashedAt: mtime.Add(time.Hour),
		RunID: "run1", Observations: 36, Errors: 1, Warnings: 2,
		Files: []load.FileInfo{{Path: "observations/in-a-xlsx-12345678.parquet", Rows: 36, Bytes: 1000, SHA256: "c", Input: "in/a.xlsx"}},
	}
	p, err := load.NewPublication(out, "run1")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.WriteJSON(load.StateFile, s); err != nil {
		t.Fatal(err)
	}
	if err := p.Commit(); err != nil {
		t.Fatal(err)
	}
	got, err := load.ReadState(out)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Inputs["in/a.xlsx"].ModTime.Equal(mtime) {
		t.Errorf("mtime %v, want %v", got.Inputs["in/a.xlsx"].ModTime, mtime)
	}
	got.Inputs["in/a.xlsx"].ModTime, got.Inputs["in/a.xlsx"].HashedAt = mtime, mtime.Add(time.Hour)
	if !reflect.DeepEqual(got, s) {
		t.Errorf("state round trip\n got %+v\nwant %+v", got, s)
	}
	writeFile(t, out, load.StateFile, `{"version": 99}`)
	if _, err := load.ReadState(out); err == nil || !strings.Contains(err.Error(), "version 99") {
		t.Errorf("future state version: %v", err)
	}
}

func TestLock(t *testing.T) {
	out := t.TempDir()
	ctx := context.Background()
	first := load.LockHolder{PID: 111, Host: "h1", RunID: "run1", Started: time.Date(2026, 1, 1, 6, 0, 0, 0, time.UTC)}
	l1, stale, err := load.AcquireLock(ctx, out, first, 0)
	if err != nil || stale != nil {
		t.Fatalf("first lock: %v, stale %v", err, stale)
	}
	_, _, err = load.AcquireLock(ctx, out, load.LockHolder{PID: 222, RunID: "run2"}, 0)
	var le *load.LockedError
	if !errors.As(err, &le) || !errors.Is(err, load.ErrLocked) || le.Holder == nil || le.Holder.RunID != "run1" {
		t.Fatalf("second lock: %v", err)
	}
	for _, want := range []string{"run run1", "pid 111 on h1", "--wait"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("lock error %q lacks %q", err, want)
		}
	}
	// --wait: the second run gets the lock once the first releases it.
	go func() {
		time.Sleep(300 * time.Millisecond)
		l1.Release()
	}()
	l2, stale, err := load.AcquireLock(ctx, out, load.LockHolder{PID: 222, RunID: "run2"}, 10*time.Second)
	if err != nil || stale != nil {
		t.Fatalf("waiting lock: %v, stale %v", err, stale)
	}
	// A waiting run gives up at the end of its wait, or of its context.
	start := time.Now()
	if _, _, err := load.AcquireLock(ctx, out, load.LockHolder{PID: 333}, 500*time.Millisecond); !errors.Is(err, load.ErrLocked) || time.Since(start) < 400*time.Millisecond {
		t.Errorf("bounded wait: %v after %v", err, time.Since(start))
	}
	cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if _, _, err := load.AcquireLock(cctx, out, load.LockHolder{PID: 333}, time.Hour); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled wait: %v", err)
	}
	// A run killed while holding the lock: the operating system drops
	// the lock with the file descriptor, the file still names it.
	l2.Close()
	l3, stale, err := load.AcquireLock(ctx, out, load.LockHolder{PID: 444, RunID: "run4"}, 0)
	if err != nil || stale == nil || stale.RunID != "run2" || stale.PID != 222 {
		t.Fatalf("after a killed holder: %v, stale %+v", err, stale)
	}
	if err := l3.Release(); err != nil {
		t.Fatal(err)
	}
	l4, stale, err := load.AcquireLock(ctx, out, load.LockHolder{PID: 555}, 0)
	if err != nil || stale != nil {
		t.Fatalf("after a clean release: %v, stale %+v", err, stale)
	}
	l4.Release()
}

func TestReadBack(t *testing.T) {
	dir := t.TempDir()
	want := append(sampleObservations(), manyObservations(100_000)...)
	path, _ := writeObservations(t, dir, load.Options{RowGroupRows: 30_000}, want[:7], want[7:])
	var got []schemas.Observation
	batches := 0
	if err := load.ReadObservations(path, func(b []schemas.Observation) error {
		got = append(got, b...)
		batches++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || batches < 2 {
		t.Fatalf("read %d observations in %d batches, want %d in several", len(got), batches, len(want))
	}
	// The file holds them sorted, equal keys in the order written.
	want = slices.Clone(want)
	slices.SortStableFunc(want, compareSortKey)
	for i := range want {
		w := want[i]
		w.PeriodStart = w.PeriodStart.UTC()
		if !w.HasValueEUR { // not stored
			w.ValueEUR = 0
		}
		if !w.HasValue {
			w.Value = 0
		}
		// Stored as DECIMAL(38,9) and DECIMAL(38,2): a computed float
		// such as -467.90999999999997 comes back as -467.91.
		w.Value = roundTo(w.Value, 9)
		w.ValueEUR = roundTo(w.ValueEUR, 2)
		w.RunID = testMeta().RunID // the writer's run
		if !reflect.DeepEqual(got[i], w) {
			t.Fatalf("observation %d\n got %+v\nwant %+v", i, got[i], w)
		}
	}
	fpath, _ := writeFindings(t, dir, load.Options{}, sampleFindings())
	findings, err := load.ReadFindings(fpath)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(findings, sampleFindings()) {
		t.Errorf("findings\n got %+v\nwant %+v", findings, sampleFindings())
	}
	if n, err := load.FileRows(path); err != nil || n != int64(len(want)) {
		t.Errorf("FileRows = %d, %v", n, err)
	}
	// A findings file is not an observations file.
	if err := load.ReadObservations(fpath, func([]schemas.Observation) error { return nil }); err == nil {
		t.Error("ReadObservations read a findings file")
	}
}

func roundTo(v float64, decimals int) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', decimals, 64), 64)
	return r
}

func TestWriteRun(t *testing.T) {
	dir := t.TempDir()
	started := time.Date(2026, 11, 28, 6, 0, 0, 0, time.UTC)
	rec := load.RunRecord{
		RunID: "20261128T060000Z-01020304", Started: started, Finished: started.Add(90 * time.Second),
		Version: "v1.2.3", RulesVersion: "abcdef012345", Mode: "incremental", ExitCode: 1,
		Inputs: 10, Loaded: 3, Skipped: 5, Failed: 1, Quarantined: 1, Removed: 2,
		Observations: 123456, ObservationsLoaded: 789, FindingsError: 4, FindingsWarning: 5,
	}
	path := filepath.Join(dir, "run.parquet")
	info, err := load.WriteRun(path, rec, load.Options{Allocator: checkedAlloc(t)})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	sum := sha256.Sum256(b)
	if info.Rows != 1 || info.Bytes != int64(len(b)) || info.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("info %+v for %d bytes", info, len(b))
	}
	schema, rows := readRows(t, path, memory.DefaultAllocator)
	if !sameFields(schema, load.ArrowSchema(schemas.RunColumns)) {
		t.Errorf("schema %s", schema)
	}
	want := map[string]string{
		"run_id": rec.RunID, "started": "2026-11-28T06:00:00Z", "finished": "2026-11-28T06:01:30Z",
		"duration_seconds": "90", "version": "v1.2.3", "rules_version": "abcdef012345", "mode": "incremental",
		"exit_code": "1", "inputs": "10", "loaded": "3", "skipped": "5", "failed": "1", "quarantined": "1",
		"removed": "2", "observations": "123456", "observations_loaded": "789",
		"findings_error": "4", "findings_warning": "5",
	}
	if len(rows) != 1 {
		t.Fatalf("%d rows", len(rows))
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range want {
			if !yield(k) {
				return
			}
		}
	})
	for _, k := range keys {
		if got := rows[0][k]; got != want[k] {
			t.Errorf("%s = %q, want %q", k, got, want[k])
		}
	}
}
