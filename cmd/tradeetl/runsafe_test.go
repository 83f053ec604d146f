//go:build unix

package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tradeetl/tradeetl/bench/longtable"
	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

// Process-level tests of a run's safety: the real binary, real signals,
// real files (see process_test.go for the helpers).

// trials reads a trial count from the environment (for the long version
// of a test), or returns def.
func trials(t *testing.T, env string, def int) int {
	t.Helper()
	v := os.Getenv(env)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a count", env, v)
	}
	return n
}

// A named pipe, /dev/zero (linked as a CSV, and given on the command
// line) are refused at once, named, exit 3; the other input is published
// and the lock released.
func TestNonRegularInputs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	copyFixture(t, "newsletter-2013.xlsx", filepath.Join(in, "newsletter-2013.xlsx"))
	if err := syscall.Mkfifo(filepath.Join(in, "pipe.csv"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(in, "zero.csv")); err != nil {
		t.Fatal(err)
	}
	p := start(t, "run", "--no-progress", "--out", out, in, "/dev/zero")
	if code := p.wait(t, 30*time.Second); code != 3 {
		t.Fatalf("exit %d, want 3\n%s", code, p.stderr.String())
	}
	want := map[string]string{
		"newsletter-2013.xlsx": string(schemas.StatusLoaded),
		"pipe.csv":             "not a regular file but a named pipe (FIFO)",
		"zero.csv":             "not a regular file but a character device",
		"/dev/zero":            "not a regular file but a character device",
	}
	rep := readReport(t, out)
	if len(rep.Inputs) != len(want) {
		t.Fatalf("inputs %+v", rep.Inputs)
	}
	for _, in := range rep.Inputs {
		name := filepath.Base(in.Path)
		if in.Path == "/dev/zero" {
			name = in.Path
		}
		w := want[name]
		if w == string(schemas.StatusLoaded) {
			if string(in.Status) != w {
				t.Errorf("%s: %s %s", name, in.Status, in.Error)
			}
			continue
		}
		if in.Status != schemas.StatusFailed || !strings.Contains(in.Error, w) {
			t.Errorf("%s: %s %q, want failed with %q", name, in.Status, in.Error, w)
		}
	}
	if pipe := filepath.Join(in, "pipe.csv"); !strings.Contains(p.stdout.String(), "FAILED "+pipe+": open "+pipe+": not a regular file") {
		t.Errorf("stdout:\n%s", p.stdout.String())
	}
	if b, _ := os.ReadFile(filepath.Join(out, load.LockFile)); len(b) != 0 {
		t.Errorf("lock not released: %s", b)
	}
}

// A CSV that another program is still writing while the run reads it is
// failed with a message saying so, and its last good output stays; the
// next run, once the file is complete, loads it whole.
func TestInputChangedWhileRead(t *testing.T) {
	t.Parallel()
	in, out, snap := published(t)
	long := filepath.Join(in, "long.csv")
	var full bytes.Buffer
	const rows = 40_000
	if err := longtable.WriteCSV(&full, rows); err != nil {
		t.Fatal(err)
	}
	data := full.Bytes()
	half := len(data) * 2 / 5
	if err := os.WriteFile(long, data[:half], 0o644); err != nil {
		t.Fatal(err)
	}
	p := start(t, "run", "--no-progress", "--out", out, in)
	// The producer goes on writing, a chunk every millisecond, as long as
	// the run lasts (on a loaded machine the run may start late: when the
	// rest is written, the producer starts the second half over), and
	// leaves the whole file when the run has ended.
	f, err := os.OpenFile(long, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	rest := data[half:]
	chunk := len(rest)/400 + 1
	for off := half; ; {
		select {
		case <-p.done:
		case <-time.After(time.Millisecond):
			if off == len(data) {
				if err := f.Truncate(int64(half)); err != nil {
					t.Fatal(err)
				}
				off = half
			}
			n := min(chunk, len(data)-off)
			if _, err := f.WriteAt(data[off:off+n], int64(off)); err != nil {
				t.Fatal(err)
			}
			off += n
			continue
		}
		break
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(long, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t, time.Minute); code != 3 {
		t.Fatalf("run while the input was written: exit %d, want 3\n%s\n%s", code, p.stdout.String(), p.stderr.String())
	}
	first := snap[load.ManifestFile]
	rep := readReport(t, out)
	for _, in := range rep.Inputs {
		if filepath.Base(in.Path) != "long.csv" {
			continue
		}
		if in.Status != schemas.StatusFailed || !strings.Contains(in.Error, "the file changed while it was read") ||
			!strings.Contains(in.Error, "the next run reads it again") || in.OutputRunID == "" {
			t.Errorf("long.csv: %+v", in)
		}
	}
	if man, _ := os.ReadFile(filepath.Join(out, load.ManifestFile)); sha(man) == first {
		t.Error("the run published nothing")
	}
	readByManifest(t, out)

	code, stdout, stderr := runTool(t, "run", "--no-progress", "--out", out, in)
	if code != 0 {
		t.Fatalf("next run exited %d\n%s\n%s", code, stdout, stderr)
	}
	for _, in := range readReport(t, out).Inputs {
		if filepath.Base(in.Path) == "long.csv" && (in.Status != schemas.StatusLoaded || in.Observations != rows || in.SHA256 != sha(data)) {
			t.Errorf("long.csv in the next run: %+v", in)
		}
	}
}

// SIGTERM at random moments of a bad delivery (200,000 rows, 7% of them
// breaking a rule, as a workbook: the audit stage has much to do) ends the
// run within 2 s, exit 143, the previous output intact.
func TestSignalBadDelivery(t *testing.T) {
	t.Parallel()
	in, out, snap := published(t)
	bad := filepath.Join(in, "delivery.xlsx")
	writeBadXLSX(t, bad, 200_000, 14_000)
	n := trials(t, "TRADEETL_SIGNAL_TRIALS", 2)
	for i := range n {
		p := start(t, "run", "--no-progress", "--out", out, in)
		if i == 0 {
			// At the end of the file: its Parquet file is finished
			// while the audit (localization, the annotated copy) runs,
			// the stage that once ignored SIGTERM for minutes.
			staged := filepath.Join(out, ".staging", "*", load.ObservationsDir, load.InputID(bad)+".parquet")
			eventually(t, "the audit stage", 2*time.Minute, func() bool {
				m, _ := filepath.Glob(staged)
				return len(m) > 0
			})
		} else {
			// Up to 4 s in: reading, checking, writing, the audit.
			time.Sleep(time.Duration(200+rand.IntN(3800)) * time.Millisecond)
		}
		sent := time.Now()
		if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		code := p.wait(t, 30*time.Second)
		took := time.Since(sent)
		// The target is 2 s (README); the suite runs every package in
		// parallel on two cores, where scheduling alone has added 0.3 s
		// to an exit, so the test allows 3 s.
		if code != 143 || took > 3*time.Second {
			t.Errorf("trial %d: exit %d %v after SIGTERM, want 143 within 2s (3s under the suite's load)\n%s", i, code, took.Round(time.Millisecond), p.stderr.String())
		}
		t.Logf("trial %d: exit %d %v after SIGTERM", i, code, took.Round(time.Millisecond))
		checkReadable(t, out, snap)
		if _, err := os.Stat(filepath.Join(out, ".staging")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("trial %d: staging area left: %v", i, err)
		}
	}
}

// writeBadXLSX writes a long table of n rows, planted of them with a
// figure ten times too large, as a workbook.
func writeBadXLSX(t *testing.T, path string, n, planted int) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	row := make([]any, len(longtable.Header))
	for i, h := range longtable.Header {
		row[i] = h
	}
	if err := sw.SetRow("A1", row); err != nil {
		t.Fatal(err)
	}
	r := 2
	longtable.Generate(n, planted, func(g longtable.Row) bool {
		row = append(row[:0], g.Reporter, g.Partner, g.Flow, g.Code, g.Label, g.Year, float64(g.Value)/100, g.Quantity)
		cell, _ := excelize.CoordinatesToCellName(1, r)
		err = sw.SetRow(cell, row)
		r++
		return err == nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// journalName is the journal a run writes before it changes OUT.
const journalName = ".publish.json"

// inPublication watches out for the journal of the run p and stops the
// process (SIGSTOP) a random few microseconds after it appears. It reports
// whether the process was stopped with the journal in place, that is in
// the middle of publishing; false when the run ended first (then it is
// not stopped).
func inPublication(t *testing.T, p *proc, out string) bool {
	t.Helper()
	journal := filepath.Join(out, journalName)
	for {
		if _, err := os.Stat(journal); err == nil {
			break
		}
		select {
		case <-p.done:
			return false
		default:
		}
	}
	for deadline := time.Now().Add(time.Duration(rand.IntN(3000)) * time.Microsecond); time.Now().Before(deadline); {
	}
	if err := p.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		return false
	}
	// A signal is delivered, not obeyed at once: wait until the process
	// is stopped before looking.
	waitStopped(t, p)
	if _, err := os.Stat(journal); err != nil {
		// published before the stop
		p.cmd.Process.Signal(syscall.SIGCONT)
		return false
	}
	return true
}

// waitStopped waits until the process p is stopped (state T in
// /proc/PID/stat), or has ended.
func waitStopped(t *testing.T, p *proc) {
	t.Helper()
	stat := filepath.Join("/proc", strconv.Itoa(p.cmd.Process.Pid), "stat")
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Microsecond) {
		b, err := os.ReadFile(stat)
		if err != nil {
			return // ended, or no /proc
		}
		// pid (comm) state ...: the state follows the last ')'
		if i := bytes.LastIndexByte(b, ')'); i >= 0 && i+2 < len(b) && (b[i+2] == 'T' || b[i+2] == 't' || b[i+2] == 'Z') {
			return
		}
	}
	t.Fatal("the run did not stop on SIGSTOP")
}

// SIGKILL in the middle of publishing — between the journal and the final
// manifest.json — never shows a reader that follows manifest.json anything
// but one complete run: every file it lists is there, whole, with the
// listed SHA-256, while the run is stopped there and after it is killed;
// and the next run finishes the publication. make test runs a few trials;
// TRADEETL_KILL_TRIALS=20 runs twenty.
func TestKillDuringPublication(t *testing.T) {
	t.Parallel()
	in, out, _ := published(t)
	n := trials(t, "TRADEETL_KILL_TRIALS", 5)
	long, extra := filepath.Join(in, "long.csv"), filepath.Join(in, "extra.csv")
	caught, named := 0, map[string]int{}
	for i := range n {
		// A new delivery of the long table each time, the other one
		// alternating between two versions, a third input added and
		// removed.
		writeLong(t, long, 2000+i)
		copyFixture(t, []string{"newsletter-2013-errors.xlsx", "newsletter-2013.xlsx"}[i%2], filepath.Join(in, "newsletter-2013.xlsx"))
		if i%3 == 2 {
			os.Remove(extra)
		} else {
			writeLong(t, extra, 500+i)
		}
		before := readByManifest(t, out)
		p := start(t, "run", "--no-progress", "--max-remove", "all", "--out", out, in)
		if inPublication(t, p, out) {
			caught++
			during := readByManifest(t, out)
			if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			p.wait(t, 10*time.Second)
			after := readByManifest(t, out)
			if after != during {
				t.Errorf("trial %d: the manifest named %s while the run was stopped, %s after the kill", i, during, after)
			}
			if after == before {
				named["previous run"]++
			} else {
				named["killed run"]++
			}
		} else if code := p.wait(t, time.Minute); code > 1 {
			t.Fatalf("trial %d: run exited %d\n%s", i, code, p.stderr.String())
		}
		code, stdout, stderr := runTool(t, "run", "--no-progress", "--max-remove", "all", "--out", out, in)
		if code > 1 {
			t.Fatalf("trial %d: run after the kill exited %d\n%s\n%s", i, code, stdout, stderr)
		}
		now := readByManifest(t, out)
		if rep := readReport(t, out); rep.RunID != now {
			t.Errorf("trial %d: report.json of run %s, manifest of %s", i, rep.RunID, now)
		}
		for _, left := range []string{journalName, ".staging"} {
			if _, err := os.Stat(filepath.Join(out, left)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("trial %d: %s left after recovery", i, left)
			}
		}
	}
	t.Logf("%d trials, %d killed while publishing; then the manifest named %v", n, caught, named)
	if caught == 0 {
		t.Error("no trial caught a run publishing")
	}
}

// A signal once the run has begun publishing does not stop it: the run
// is published in full, says so, and exits with its own code.
func TestSignalDuringPublication(t *testing.T) {
	t.Parallel()
	in, out, _ := published(t)
	for i := range 10 {
		writeLong(t, filepath.Join(in, "long.csv"), 3000+i)
		p := start(t, "run", "--no-progress", "--out", out, in)
		if !inPublication(t, p, out) {
			p.wait(t, time.Minute)
			continue
		}
		if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		if err := p.cmd.Process.Signal(syscall.SIGCONT); err != nil {
			t.Fatal(err)
		}
		if code := p.wait(t, 30*time.Second); code != 0 {
			t.Fatalf("exit %d, want the run's own 0\n%s", code, p.stderr.String())
		}
		m := regexp.MustCompile(`tradeetl: interrupted by SIGTERM after run (\S+) had begun to publish: it was published in full`).FindStringSubmatch(p.stderr.String())
		if m == nil {
			t.Fatalf("stderr:\n%s", p.stderr.String())
		}
		if got := readByManifest(t, out); got != m[1] {
			t.Errorf("the manifest names run %s, not the one published (%s)", got, m[1])
		}
		if _, err := os.Stat(filepath.Join(out, journalName)); !errors.Is(err, os.ErrNotExist) {
			t.Error("journal left")
		}
		return
	}
	t.Skip("no run caught publishing in 10 tries")
}

// readByManifest reads manifest.json and every file it lists, as a reader
// that follows the manifest does, and returns the run it names. It fails
// the test when a listed file is missing, has other bytes than listed, or
// (for Parquet) another row count.
func readByManifest(t *testing.T, out string) string {
	t.Helper()
	man, err := load.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range man.Files {
		name := filepath.Join(out, filepath.FromSlash(f.Path))
		b, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("manifest of run %s: %v", man.RunID, err)
			continue
		}
		if sha(b) != f.SHA256 || int64(len(b)) != f.Bytes {
			t.Errorf("manifest of run %s: %s is not the file listed", man.RunID, f.Path)
			continue
		}
		if strings.HasSuffix(f.Path, ".parquet") {
			if rows, err := load.FileRows(name); err != nil || rows != f.Rows {
				t.Errorf("manifest of run %s: %s has %d rows (%v), listed %d", man.RunID, f.Path, rows, err, f.Rows)
			}
		}
	}
	return man.RunID
}

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// copyFixture copies a bundled fixture to dst.
func copyFixture(t *testing.T, name, dst string) {
	t.Helper()
	src, err := os.Open(filepath.Join("..", "..", "fixtures", name))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	w, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(w, src); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}
