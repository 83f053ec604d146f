package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/pipeline"
)

// serveProc is a tradeetl serve process with its log lines, JSON or text.
type serveProc struct {
	t    *testing.T
	cmd  *exec.Cmd
	addr string
	mu   sync.Mutex
	log  []string
	done chan struct{}
}

var listenRe = regexp.MustCompile(`msg=serving listen=(\S+)|"msg":"serving","listen":"([^"]+)"`)

// startServeProc starts cmd (tradeetl serve, possibly under sh) and waits
// until it listens.
func startServeProc(t *testing.T, cmd *exec.Cmd) *serveProc {
	t.Helper()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serveProc{t: t, cmd: cmd, done: make(chan struct{})}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
	})
	listening := make(chan string, 1)
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.log = append(p.log, line)
			p.mu.Unlock()
			if m := listenRe.FindStringSubmatch(line); m != nil {
				listening <- m[1] + m[2]
			}
		}
	}()
	select {
	case p.addr = <-listening:
	case <-p.done:
		t.Fatalf("serve exited:\n%s", p.logged())
	case <-time.After(time.Minute):
		t.Fatalf("serve did not say where it listens:\n%s", p.logged())
	}
	return p
}

func (p *serveProc) logged() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.log, "\n")
}

// count is the number of log lines containing s.
func (p *serveProc) count(s string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, l := range p.log {
		if strings.Contains(l, s) {
			n++
		}
	}
	return n
}

// get fetches path; code 0 when the request failed.
func (p *serveProc) get(path string) (int, string) {
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get("http://" + p.addr + path)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// stop SIGTERMs serve and checks that it exits 0.
func (p *serveProc) stop() {
	p.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		p.t.Fatal(err)
	}
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		p.t.Fatalf("serve did not stop within 30s of SIGTERM:\n%s", p.logged())
	}
	if err := p.cmd.Wait(); err != nil {
		p.t.Errorf("serve exited with %v:\n%s", err, p.logged())
	}
}

// metric returns the value of a metric line of /metrics ("" if absent).
func metric(body, name string) string {
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` (\S+)$`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// An idle-connection flood (red-team row 90: 19,990 kept-alive connections
// exhausted serve's descriptors and 9 scheduled runs failed with "too many
// open files") no longer starves the runs: serve holds at most
// --max-connections of them. Here serve may open 256 files; 600
// connections make one request each and stay open for a few seconds,
// during which scheduled runs succeed; afterwards serve answers again. The
// log is JSON: a "run started" line per run, durations in seconds.
func TestServeIdleFlood(t *testing.T) {
	t.Parallel()
	const conns, hold = 600, 4 * time.Second
	out := filepath.Join(t.TempDir(), "out")
	fixture := filepath.Join(t.TempDir(), "in")
	copyFixture(t, "newsletter-2013.xlsx", filepath.Join(fixture, "newsletter-2013.xlsx"))
	cmd := exec.Command("sh", "-c", `ulimit -n 256 && exec "$0" "$@"`, binary(t), "serve",
		"--schedule", "@every 1s", "--run-at-start", "--listen", "127.0.0.1:0", "--max-connections", "16",
		"--log-format", "json", "--out", out, fixture)
	p := startServeProc(t, cmd)
	eventually(t, "the first run", time.Minute, func() bool { return p.count(`"msg":"run finished"`) >= 1 })

	// The flood: each connection sends a request and keeps the connection
	// open; those beyond the cap wait unaccepted.
	var flood []net.Conn
	defer func() {
		for _, c := range flood {
			c.Close()
		}
	}()
	start := time.Now()
	for range conns {
		c, err := net.DialTimeout("tcp", p.addr, 2*time.Second)
		if err != nil {
			t.Fatalf("dial %d: %v", len(flood), err)
		}
		flood = append(flood, c)
		if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
			t.Fatalf("write %d: %v", len(flood), err)
		}
	}
	before := p.count(`"msg":"run finished"`)
	time.Sleep(hold - time.Since(start))
	during := p.count(`"msg":"run finished"`) - before
	for _, c := range flood {
		c.Close()
	}
	flood = nil
	after := p.count(`"msg":"run finished"`)
	eventually(t, "a scheduled run after the flood", 30*time.Second, func() bool { return p.count(`"msg":"run finished"`) > after })
	if during < 1 {
		t.Errorf("no run finished during the %v of the flood", hold)
	}
	if log := p.logged(); strings.Contains(log, "too many open files") || strings.Contains(log, "scheduled run failed") {
		t.Errorf("the flood starved serve:\n%s", log)
	}
	var code int
	var body string
	eventually(t, "/metrics after the flood", 30*time.Second, func() bool {
		code, body = p.get("/metrics")
		return code == http.StatusOK
	})
	if got := metric(body, `tradeetl_runs_total{result="error"}`); got != "0" {
		t.Errorf("tradeetl_runs_total{result=\"error\"} = %s", got)
	}
	if got := metric(body, "tradeetl_healthy"); got != "1" {
		t.Errorf("tradeetl_healthy = %s", got)
	}
	p.stop()

	// JSON log lines: a run started line per run, seconds for durations.
	var started, finished int
	for _, line := range strings.Split(p.logged(), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not a JSON log line: %s", line)
		}
		switch m["msg"] {
		case "run started":
			started++
		case "run finished":
			finished++
			if _, ok := m["duration_seconds"].(float64); !ok {
				t.Errorf("run finished without duration_seconds: %s", line)
			}
			if _, ok := m["duration"]; ok {
				t.Errorf("run finished with a duration in nanoseconds: %s", line)
			}
		}
	}
	if started < finished || finished < 2 {
		t.Errorf("%d run started lines, %d run finished", started, finished)
	}
	t.Logf("flood of %d connections held %v; %d runs finished during it", conns, hold, during)
}

// The HTTP server closes connections that send nothing, a header too
// slowly, or stay idle after a response, and serves at most
// max-connections at once (real connections on loopback, with the limits
// shortened).
func TestServeHTTPLimits(t *testing.T) {
	t.Parallel()
	sched, err := parseSchedule("@every 1h")
	if err != nil {
		t.Fatal(err)
	}
	s := newServer(func() (pipeline.Config, error) { return pipeline.Config{}, errors.New("no run in this test") },
		sched, "@every 1h", slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.limits = httpLimits{maxConns: 4, readHeaderTimeout: 300 * time.Millisecond, readTimeout: time.Second,
		writeTimeout: time.Second, idleTimeout: 300 * time.Millisecond}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.serve(ctx, ln, false) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	addr := ln.Addr().String()

	for _, tt := range []struct {
		name string
		send string // what the client sends, then waits
		read bool   // read one response first
	}{
		{"silent", "", false},
		{"half a header", "GET /healthz HTTP/1.1\r\nHost: x\r\n", false},
		{"idle after a response", "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if _, err := io.WriteString(c, tt.send); err != nil {
				t.Fatal(err)
			}
			br := bufio.NewReader(c)
			if tt.read {
				resp, err := http.ReadResponse(br, nil)
				if err != nil {
					t.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			start := time.Now()
			_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
			_, err = io.Copy(io.Discard, br) // until the server closes
			if err != nil || time.Since(start) > 2*time.Second {
				t.Errorf("connection not closed by the server: %v after %v", err, time.Since(start))
			}
		})
	}

	// The cap: 4 silent connections hold every slot; a fifth client waits
	// until the server drops them, then is served.
	var held []net.Conn
	for range 4 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if waited := time.Since(start); waited < 150*time.Millisecond {
		t.Errorf("served after %v, beside 4 connections that held every slot", waited)
	}
}

// /healthz answers 503 when the last run could not read or publish, or
// when no run has completed for unhealthyAfter schedule intervals, and
// tradeetl_healthy says the same.
func TestServeHealthStatus(t *testing.T) {
	t.Parallel()
	daily, err := parseSchedule("0 6 * * *")
	if err != nil {
		t.Fatal(err)
	}
	completed := time.Date(2026, 3, 2, 6, 0, 30, 0, time.UTC) // Monday, 06:00:30
	at := func(d time.Duration) time.Time { return completed.Add(d) }
	for _, tt := range []struct {
		name   string
		last   *lastRun
		now    time.Time
		after  int
		status string
	}{
		{"no run yet", nil, at(time.Hour), 3, healthOK},
		{"exit 0", &lastRun{Result: resultOK, ExitCode: 0}, at(time.Hour), 3, healthOK},
		{"exit 1: findings, published", &lastRun{Result: resultFindings, ExitCode: 1}, at(time.Hour), 3, healthOK},
		{"exit 2: refused", &lastRun{Result: resultError, ExitCode: 2}, at(time.Hour), 3, healthFailing},
		{"exit 3: an input unreadable", &lastRun{Result: resultInputFailed, ExitCode: 3}, at(time.Hour), 3, healthFailing},
		{"exit 4: locked", &lastRun{Result: resultLocked, ExitCode: 4}, at(time.Hour), 3, healthFailing},
		{"exit 5: output failed", &lastRun{Result: resultError, ExitCode: 5}, at(time.Hour), 3, healthFailing},
		{"interrupted by shutdown", &lastRun{Result: resultInterrupted, ExitCode: 143}, at(time.Hour), 3, healthOK},
		{"within 3 days", &lastRun{Result: resultOK}, at(71 * time.Hour), 3, healthOK},
		{"3 days without a completed run", &lastRun{Result: resultOK}, at(72 * time.Hour), 3, healthStale},
		{"1 interval", &lastRun{Result: resultOK}, at(24 * time.Hour), 1, healthStale},
		{"never stale", &lastRun{Result: resultOK}, at(1000 * time.Hour), 0, healthOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(nil, daily, "0 6 * * *", slog.New(slog.NewTextHandler(io.Discard, nil)))
			s.health.LastRun, s.completed, s.unhealthyAfter = tt.last, completed, tt.after
			s.now = func() time.Time { return tt.now }
			rec := httptest.NewRecorder()
			s.healthz(rec, httptest.NewRequest("GET", "/healthz", nil))
			var h health
			if err := json.Unmarshal(rec.Body.Bytes(), &h); err != nil {
				t.Fatal(err)
			}
			wantCode := http.StatusOK
			if tt.status != healthOK {
				wantCode = http.StatusServiceUnavailable
			}
			if h.Status != tt.status || rec.Code != wantCode || (tt.status != healthOK) != (h.Reason != "") {
				t.Errorf("status %q (%s), code %d; want %q, %d", h.Status, h.Reason, rec.Code, tt.status, wantCode)
			}
		})
	}
}

// serve keeps its last good rules when an edit breaks the rules file
// (red-team rows 94, 95: a nested repeat or 3 million brackets killed it):
// it says so in the log, /healthz and tradeetl_rules_file_ok, the runs go
// on with the last good rules, and a fixed file is taken up again.
// Neither /metrics nor /healthz shows what the broken file holds.
func TestServeRulesEdit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rules := filepath.Join(dir, "rules.yaml")
	good := "version: 1\nrules:\n  - id: positive\n    match: {flow: exports}\n    check: value >= 0\n"
	if err := os.WriteFile(rules, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "in")
	copyFixture(t, "newsletter-2013.xlsx", filepath.Join(in, "newsletter-2013.xlsx"))
	p := startServeProc(t, exec.Command(binary(t), "serve", "--schedule", "@every 1s", "--run-at-start",
		"--listen", "127.0.0.1:0", "--rules", rules, "--out", filepath.Join(dir, "out"), in))
	const secret = "SECRET-CONTENT-7f3a"
	prevErr := "" // the error of the edit before: serve says it again each tick
	for i, tt := range []struct {
		name, yaml, errPrefix string
	}{
		{"nested repeat", "version: 1\nrules:\n  - id: positive\n    where: len(repeat(repeat(reporter, 100000), 100000)) > 0 # " + secret + "\n    check: value >= 0\n", "rules.yaml:4: "},
		{"3 million brackets", "version: 1\nrules:\n  - id: positive\n    where: " + strings.Repeat("(", 3_000_000) + "true" + strings.Repeat(")", 3_000_000) + "\n    check: value >= 0 # " + secret + "\n", "rules.yaml:1: "},
		{"deep flow sequence", "version: 1\nrules:\n  - id: positive # " + secret + "\n    match: {flow: " + strings.Repeat("[", 200_000) + "\n    check: value >= 0\n", "rules.yaml:4: "},
		{"YAML syntax", "version: 1\nrules:\n  - id: positive\n    match: {flow: [exports}  # " + secret + "\n    check: value >= 0\n", "rules.yaml:4: "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.WriteFile(rules, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			var h health
			eventually(t, "a run with the last good rules", time.Minute, func() bool {
				_, body := p.get("/healthz")
				h = health{}
				return json.Unmarshal([]byte(body), &h) == nil && h.Rules != nil && h.Rules.Error != "" && h.Rules.Error != prevErr &&
					p.count("rules file no longer loads; this run uses the last good rules") > i &&
					h.LastRun != nil && h.LastRun.Finished.After(time.Now().Add(-2*time.Second))
			})
			prevErr = h.Rules.Error
			if !strings.HasPrefix(h.Rules.Error, filepath.Join(dir, tt.errPrefix)) || strings.Contains(h.Rules.Error, secret) {
				t.Errorf("/healthz rules error %q, want it to start with %q and not show the file", h.Rules.Error, tt.errPrefix)
			}
			if h.Status != healthOK || h.LastRun.Result == resultError {
				t.Errorf("/healthz %+v, last run %+v", h, *h.LastRun)
			}
			_, metrics := p.get("/metrics")
			if got := metric(metrics, "tradeetl_rules_file_ok"); got != "0" {
				t.Errorf("tradeetl_rules_file_ok = %s", got)
			}
			if strings.Contains(metrics, secret) || strings.Contains(metrics, "repeat") {
				t.Errorf("/metrics shows the rules file")
			}
		})
	}
	if err := os.WriteFile(rules, []byte(strings.Replace(good, "value >= 0", "value >= -1", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the fixed rules file taken up", time.Minute, func() bool {
		_, metrics := p.get("/metrics")
		return metric(metrics, "tradeetl_rules_file_ok") == "1"
	})
	p.stop()
	if n := p.count(`level=ERROR msg="scheduled run failed"`); n != 0 {
		t.Errorf("%d runs failed:\n%s", n, p.logged())
	}
}

// serve ticking over inputs that do not change adds no runs/ file per
// tick: the runs that changed nothing share one file a day
// (runs/unchanged-YYYY-MM-DD.parquet), one row each, listed in the
// manifest.
func TestServeRunHistoryCompact(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	copyFixture(t, "newsletter-2013.xlsx", filepath.Join(in, "newsletter-2013.xlsx"))
	p := startServeProc(t, exec.Command(binary(t), "serve", "--schedule", "@every 1s", "--run-at-start",
		"--listen", "127.0.0.1:0", "--out", out, in))
	eventually(t, "5 runs", time.Minute, func() bool { return p.count(`msg="run finished"`) >= 5 })
	p.stop()
	runs := p.count(`msg="run finished"`)
	files, err := filepath.Glob(filepath.Join(out, load.RunsDir, "*.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, f := range files {
		rs, err := load.ReadRuns(f)
		if err != nil {
			t.Fatal(err)
		}
		rows += len(rs)
	}
	// The first run loads the input: a file of its own; the others, one
	// file (two if the test ran over midnight UTC).
	if len(files) > 3 || rows != runs {
		t.Errorf("%d runs in %d files with %d rows: %v", runs, len(files), rows, files)
	}
	man, err := load.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	listed := 0
	for _, f := range man.Files {
		if strings.HasPrefix(f.Path, load.RunsDir+"/") {
			listed++
		}
	}
	if listed != len(files) {
		t.Errorf("manifest lists %d run history files of %d", listed, len(files))
	}
}
