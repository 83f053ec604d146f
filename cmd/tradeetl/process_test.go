package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tradeetl/tradeetl/bench/longtable"
	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

// These tests run the real tradeetl binary (the test binary installed on
// $PATH by testscript.Main) as separate processes and kill, interrupt and
// race them.

// bigRows makes a run write Parquet for a few seconds: long enough to be
// caught in the middle.
const bigRows = 80_000

func binary(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("tradeetl")
	if err != nil {
		t.Fatalf("tradeetl not on PATH (set up by testscript.Main): %v", err)
	}
	return bin
}

type proc struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan struct{}
	err            error
}

func start(t *testing.T, args ...string) *proc {
	t.Helper()
	return startCmd(t, exec.Command(binary(t), args...))
}

// startCmd starts cmd, collecting its output; the test's end kills it.
func startCmd(t *testing.T, cmd *exec.Cmd) *proc {
	t.Helper()
	p := &proc{cmd: cmd, done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// wait waits for the process and returns its exit code, or -1 when a
// signal ended it.
func (p *proc) wait(t *testing.T, timeout time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(timeout):
		t.Fatalf("%v still running after %v\nstderr:\n%s", p.cmd.Args, timeout, p.stderr.String())
	}
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		return ee.ExitCode()
	}
	if p.err != nil {
		t.Fatal(p.err)
	}
	return 0
}

func runTool(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	p := start(t, args...)
	code := p.wait(t, 3*time.Minute)
	return code, p.stdout.String(), p.stderr.String()
}

// eventually polls cond until it holds.
func eventually(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// writeLong writes a long table of n rows as CSV.
func writeLong(t *testing.T, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := longtable.WriteCSV(f, n); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// published sets up an input directory (a fixture and a small long table)
// and publishes it into out; it returns the input directory, the output
// directory and a snapshot of what was published.
func published(t *testing.T) (in, out string, snap map[string]string) {
	t.Helper()
	dir := t.TempDir()
	in, out = filepath.Join(dir, "in"), filepath.Join(dir, "out")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "newsletter-2013.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(in, "newsletter-2013.xlsx"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	writeLong(t, filepath.Join(in, "long.csv"), 2000)
	if code, _, stderr := runTool(t, "run", "--out", out, in); code != 0 {
		t.Fatalf("first run exited %d:\n%s", code, stderr)
	}
	return in, out, snapshot(t, out)
}

// snapshot maps every published file (not the lock) to its SHA-256.
func snapshot(t *testing.T, out string) map[string]string {
	t.Helper()
	snap := map[string]string{}
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == load.LockFile {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(out, p)
		sum := sha256.Sum256(b)
		snap[filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
		return nil
	})
	return snap
}

// writing reports whether a run is writing an observations file in its
// staging area.
func writing(out string) bool {
	m, _ := filepath.Glob(filepath.Join(out, ".staging", "*", "observations", ".*.tmp"))
	return len(m) > 0
}

// checkReadable checks that the output directory holds exactly the files of
// snap, unchanged, and that every Parquet file reads back whole with the
// rows the manifest gives.
func checkReadable(t *testing.T, out string, snap map[string]string) {
	t.Helper()
	man, err := load.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range man.Files {
		if snap[f.Path] != f.SHA256 {
			t.Errorf("manifest: %s differs from the published file", f.Path)
		}
		if strings.HasPrefix(f.Path, load.ObservationsDir+"/") {
			n := 0
			if err := load.ReadObservations(filepath.Join(out, f.Path), func(obs []schemas.Observation) error {
				n += len(obs)
				return nil
			}); err != nil || int64(n) != f.Rows {
				t.Errorf("%s: read %d rows (%v), manifest says %d", f.Path, n, err, f.Rows)
			}
		}
	}
	now := snapshot(t, out)
	for rel, sum := range snap {
		if now[rel] != sum {
			t.Errorf("%s changed", rel)
		}
	}
	for rel := range now {
		if _, ok := snap[rel]; !ok && !strings.HasPrefix(rel, ".staging/") {
			t.Errorf("%s appeared in the output directory", rel)
		}
	}
}

func readReport(t *testing.T, out string) schemas.Report {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, load.ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	var rep schemas.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

// SIGKILL while the Parquet of a changed input is being written: the
// previous output stays readable and complete, and the next run succeeds
// without manual cleanup.
func TestKillDuringWrite(t *testing.T) {
	t.Parallel()
	in, out, snap := published(t)
	writeLong(t, filepath.Join(in, "long.csv"), bigRows)

	p := start(t, "run", "--out", out, in)
	eventually(t, "the Parquet write", time.Minute, func() bool { return writing(out) })
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t, 10*time.Second); code != -1 {
		t.Fatalf("killed run exited %d", code)
	}
	checkReadable(t, out, snap)
	if rep := readReport(t, out); len(rep.Inputs) != 2 || rep.Inputs[0].Status != schemas.StatusLoaded {
		t.Errorf("report of the previous run changed: %+v", rep.Inputs)
	}

	code, stdout, stderr := runTool(t, "run", "--out", out, in)
	if code != 0 {
		t.Fatalf("run after the kill exited %d\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"previous run ended without releasing its lock", "removed leftovers of an interrupted run"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	rep := readReport(t, out)
	for _, in := range rep.Inputs {
		if filepath.Base(in.Path) == "long.csv" && (in.Status != schemas.StatusLoaded || in.Observations != bigRows) {
			t.Errorf("long.csv after recovery: %+v", in)
		}
	}
	if _, err := os.Stat(filepath.Join(out, ".staging")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("staging area left: %v", err)
	}
}

// SIGINT and SIGTERM stop a run cleanly: exit 130/143, nothing of the run
// published, no temporary file left, the lock released.
func TestSignals(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		sig  syscall.Signal
		code int
	}{{"SIGINT", syscall.SIGINT, 130}, {"SIGTERM", syscall.SIGTERM, 143}} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in, out, snap := published(t)
			writeLong(t, filepath.Join(in, "long.csv"), bigRows)
			p := start(t, "run", "--out", out, in)
			eventually(t, "the Parquet write", time.Minute, func() bool { return writing(out) })
			if err := p.cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			if code := p.wait(t, 30*time.Second); code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", code, tt.code, p.stderr.String())
			}
			if !strings.Contains(p.stderr.String(), "interrupted by "+tt.name+": stopped cleanly; nothing of this run was published") {
				t.Errorf("stderr:\n%s", p.stderr.String())
			}
			checkReadable(t, out, snap)
			if _, err := os.Stat(filepath.Join(out, ".staging")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("staging area left: %v", err)
			}
			if b, _ := os.ReadFile(filepath.Join(out, load.LockFile)); len(b) != 0 {
				t.Errorf("lock not released: %s", b)
			}
		})
	}
}

// A second run on the same output directory is refused while the first
// runs, or waits for it with --wait.
func TestConcurrentRun(t *testing.T) {
	t.Parallel()
	in, out, _ := published(t)
	writeLong(t, filepath.Join(in, "long.csv"), bigRows)
	first := start(t, "run", "--out", out, in)
	pid := strconv.Itoa(first.cmd.Process.Pid)
	eventually(t, "the first run's lock", time.Minute, func() bool {
		b, _ := os.ReadFile(filepath.Join(out, load.LockFile))
		return strings.Contains(string(b), `"pid":`+pid)
	})
	// Hold the first run (SIGSTOP) while the second starts, so that it
	// meets the lock however fast the first would finish; it goes on
	// (SIGCONT) before the waiting run starts.
	if err := first.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runTool(t, "run", "--out", out, in)
	if err := first.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	if code != 4 {
		t.Fatalf("concurrent run exited %d, want 4\n%s%s", code, stdout, stderr)
	}
	if !regexp.MustCompile(`is locked by another tradeetl run \(run \S+, pid ` + pid + ` on .*\); two runs cannot write one output directory at once \(use --wait to wait for it\)`).MatchString(stderr) {
		t.Errorf("stderr:\n%s", stderr)
	}

	waiting := start(t, "run", "--wait", "--out", out, in)
	if code := first.wait(t, 3*time.Minute); code != 0 {
		t.Fatalf("first run exited %d\n%s", code, first.stderr.String())
	}
	if code := waiting.wait(t, time.Minute); code != 0 {
		t.Fatalf("waiting run exited %d\n%s", code, waiting.stderr.String())
	}
	if !strings.Contains(waiting.stdout.String(), "2 inputs: 0 loaded, 0 failed, 2 skipped") {
		t.Errorf("the waiting run did not see the first run's output:\n%s", waiting.stdout.String())
	}
}

// serve runs on its schedule, never overlapping, answers /metrics and
// /healthz, and shuts down on SIGTERM.
func TestServe(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "out")
	fixtures := filepath.Join("..", "..", "fixtures")
	cmd := exec.Command(binary(t), "serve", "--schedule", "@every 1s", "--listen", "127.0.0.1:0", "--out", out, fixtures)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 100)
	var logged bytes.Buffer
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var addr string
	timeout := time.After(time.Minute)
	for addr == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("serve exited:\n%s", logged.String())
			}
			logged.WriteString(line + "\n")
			if m := regexp.MustCompile(`msg=serving listen=(\S+)`).FindStringSubmatch(line); m != nil {
				addr = m[1]
			}
		case <-timeout:
			t.Fatalf("serve did not say where it listens:\n%s", logged.String())
		}
	}
	go func() {
		for line := range lines {
			logged.WriteString(line + "\n") // only read after the process ended
		}
	}()
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	runs := regexp.MustCompile(`(?m)^tradeetl_runs_total\{result="findings"\} (\d+)$`)
	var metrics string
	eventually(t, "two scheduled runs", time.Minute, func() bool {
		code, body := get("/metrics")
		if code != http.StatusOK {
			return false
		}
		metrics = body
		m := runs.FindStringSubmatch(body)
		n, _ := strconv.Atoi(m[1])
		// a run after the first skips every input (on a loaded machine
		// the second may still be taking the first's state in)
		return n >= 2 && strings.Contains(body, `tradeetl_inputs{status="skipped"} 3`)
	})
	for _, want := range []string{
		`tradeetl_findings{rule="balance",severity="error"} 2`,
		`tradeetl_inputs{status="skipped"} 3`, // the second run skips all
		`tradeetl_run_duration_seconds_count `,
		`tradeetl_last_exit_code 1`,
		`tradeetl_last_success_timestamp_seconds 0`,
		`tradeetl_runs_total{result="error"} 0`,
		`go_goroutines `,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q; it has:\n%s", want, grepLines(metrics, "tradeetl_inputs", "tradeetl_runs_total"))
		}
	}
	if m := regexp.MustCompile(`(?m)^tradeetl_last_run_timestamp_seconds (\S+)$`).FindStringSubmatch(metrics); m == nil || m[1] == "0" {
		t.Errorf("no last run time in /metrics")
	}
	code, body := get("/healthz")
	var h struct {
		Status  string `json:"status"`
		LastRun struct {
			Result   string `json:"result"`
			ExitCode int    `json:"exit_code"`
		} `json:"last_run"`
	}
	if code != http.StatusOK || json.Unmarshal([]byte(body), &h) != nil || h.Status != "ok" || h.LastRun.Result != "findings" || h.LastRun.ExitCode != 1 {
		t.Errorf("/healthz %d %s", code, body)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve exited with %v\n%s", err, logged.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not shut down within 30s of SIGTERM")
	}
	if m, _ := filepath.Glob(filepath.Join(out, load.RunsDir, "*.parquet")); len(m) < 2 {
		t.Errorf("%d runs in the history", len(m))
	}
	if b, _ := os.ReadFile(filepath.Join(out, load.LockFile)); len(b) != 0 {
		t.Errorf("lock not released: %s", b)
	}
}

// grepLines returns the lines of text that start with one of prefixes.
func grepLines(text string, prefixes ...string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		for _, p := range prefixes {
			if strings.HasPrefix(l, p) {
				out = append(out, l)
				break
			}
		}
	}
	return strings.Join(out, "\n")
}
