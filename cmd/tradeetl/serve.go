package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/robfig/cron/v3"
	"github.com/spf13/cobra"
	"golang.org/x/net/netutil"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/pipeline"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/validate"
)

func newServeCmd(stdout, stderr io.Writer) *cobra.Command {
	var c common
	var f runFlags
	var spec, listen string
	var atStart bool
	lim := defaultHTTPLimits
	var unhealthyAfter int
	cmd := &cobra.Command{
		Use:   "serve --schedule SPEC [flags] INPUT...",
		Short: "Run on a cron schedule, with Prometheus /metrics and /healthz",
		Long: `Run the same job as 'tradeetl run' on a cron schedule, in the foreground,
until SIGINT or SIGTERM. Runs never overlap: a run that outlasts its slot
delays the next one, and the lock on the output directory keeps other
processes out too.

The rules file (--rules) is read again before each run. A rules file that
no longer loads (an edit with a mistake) does not stop serve: the run uses
the last good rules, says so in the log, in /healthz ("rules") and in the
metric tradeetl_rules_file_ok (0), and the next run tries the file again.
A rules file that does not load at start is an error (exit 2).

The schedule is a cron expression, in the server's time zone unless it
starts with CRON_TZ=Zone: "0 6 * * *" (06:00 every day), "0 6 * * 1-5",
"*/30 * * * * *" (with seconds), "@hourly", "@every 15m".

HTTP endpoints on --listen (default 127.0.0.1:9090, this machine only; in
a container, --listen :9090 makes them reachable from outside it):
  /metrics  Prometheus: runs by result, durations, findings by rule of the
            last run, inputs by status, last run and last success times,
            last exit code, health
  /healthz  the state of the scheduler as JSON: 200 while healthy, 503
            when the last run could not read or publish (exit code 2 or
            more) or no run has completed (exit 0 or 1) within
            --unhealthy-after schedule intervals
The server closes connections that are slow to send a request (5s) or
idle (30s), and serves at most --max-connections at once; the others wait.

A run that 'tradeetl run' would refuse with exit 2 (an input path that
does not exist or cannot be listed, more removals than --max-remove
allows) is logged as an error and changes nothing; the next run tries
again.

On SIGINT or SIGTERM a run in progress stops cleanly (nothing of it is
published; the next run redoes it) and serve exits 0.`,
		Example: `  tradeetl serve --schedule "0 6 * * *" --out /data/trade /data/incoming
  tradeetl serve --schedule "@every 15m" --listen :9090 --log-format json --out /data/trade /data/incoming   # in a container`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sched, err := parseSchedule(spec)
			if err != nil {
				return usageError(err)
			}
			if lim.maxConns < 1 {
				return usageError(fmt.Errorf("--max-connections %d: want at least 1", lim.maxConns))
			}
			if unhealthyAfter < 0 {
				return usageError(fmt.Errorf("--unhealthy-after %d: want 0 (never) or more schedule intervals", unhealthyAfter))
			}
			start, lift, err := c.setup(cmd, args) // the flags checked once at start
			if err != nil {
				return err
			}
			defer lift()
			f.noProgress = true
			var cfg pipeline.Config
			finish, err := f.apply(&cfg, stderr)
			if err != nil {
				return err
			}
			defer finish()
			// The rules are read by the server before each run; the
			// other files with the rest of the configuration.
			rest := c
			rest.rules = ""
			newConfig := func() (pipeline.Config, error) {
				run, err := rest.config(args)
				if err != nil {
					return run, err
				}
				run.OutDir, run.Version, run.Load, run.Full, run.FailOn, run.Wait, run.Logger, run.MaxRemove =
					cfg.OutDir, cfg.Version, cfg.Load, cfg.Full, cfg.FailOn, cfg.Wait, cfg.Logger, cfg.MaxRemove
				return run, nil
			}
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return usageError(fmt.Errorf("--listen: %w", err))
			}
			for _, in := range args {
				if _, err := os.Stat(in); err != nil {
					cfg.Logger.Warn("input path not found; each run refuses (changing nothing) until it is there", "input", in, "error", err)
				}
			}
			s := newServer(newConfig, sched, spec, cfg.Logger)
			s.rules = newRulesKeeper(c.rules, start.Rules)
			s.limits = lim
			s.unhealthyAfter = unhealthyAfter
			return s.serve(cmd.Context(), ln, atStart)
		},
	}
	c.register(cmd)
	c.acceptOutput(cmd)
	f.register(cmd)
	cmd.Flags().StringVar(&spec, "schedule", "", `cron schedule, e.g. "0 6 * * *" (required)`)
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:9090", "address of the /metrics and /healthz endpoints (:9090 for every interface, as in a container)")
	cmd.Flags().BoolVar(&atStart, "run-at-start", false, "also run once at start, before the first scheduled time")
	cmd.Flags().IntVar(&lim.maxConns, "max-connections", lim.maxConns, "HTTP connections served at once; more wait until one closes")
	cmd.Flags().IntVar(&unhealthyAfter, "unhealthy-after", 3, "/healthz answers 503 when no run has completed (exit 0 or 1) within this many schedule intervals (0: never)")
	_ = cmd.MarkFlagRequired("schedule")
	return cmd
}

// httpLimits bound what the HTTP clients of serve may hold: each
// connection (netutil.LimitListener) and how long it may take.
type httpLimits struct {
	maxConns          int
	readHeaderTimeout time.Duration // to send a request's header
	readTimeout       time.Duration // to send a whole request
	writeTimeout      time.Duration // to take the response
	idleTimeout       time.Duration // between requests on a kept-alive connection
}

var defaultHTTPLimits = httpLimits{
	maxConns:          64,
	readHeaderTimeout: 5 * time.Second,
	readTimeout:       10 * time.Second,
	writeTimeout:      30 * time.Second,
	idleTimeout:       30 * time.Second,
}

// parseSchedule reads a cron expression: five fields, or six with seconds
// first, or a descriptor (@daily, @every 1h), optionally after CRON_TZ=.
func parseSchedule(spec string) (cron.Schedule, error) {
	p := cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
	s, err := p.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("--schedule %q: %w", spec, err)
	}
	return s, nil
}

// Results of a scheduled run, the result label of tradeetl_runs_total.
const (
	resultOK          = "ok"           // exit 0
	resultFindings    = "findings"     // exit 1
	resultInputFailed = "input_failed" // exit 3
	resultLocked      = "locked"       // another process held the output directory
	resultError       = "error"        // the run could not be carried out
	resultInterrupted = "interrupted"  // stopped by shutdown
)

// server runs the job on its schedule and serves its metrics.
type server struct {
	newConfig      func() (pipeline.Config, error)
	rules          *rulesKeeper
	sched          cron.Schedule
	spec           string
	log            *slog.Logger
	reg            *prometheus.Registry
	limits         httpLimits
	unhealthyAfter int // schedule intervals without a completed run before /healthz fails; 0: never
	now            func() time.Time

	runs        *prometheus.CounterVec
	duration    prometheus.Histogram
	findings    *prometheus.GaugeVec
	inputs      *prometheus.GaugeVec
	obs         prometheus.Gauge
	lastRun     prometheus.Gauge
	lastSuccess prometheus.Gauge
	lastExit    prometheus.Gauge
	nextRun     prometheus.Gauge
	running     prometheus.Gauge
	rulesOK     prometheus.Gauge

	mu        sync.Mutex
	health    health
	completed time.Time // when the last run that completed (exit 0 or 1) ended, or serve started
}

// health is the body of /healthz.
type health struct {
	Status    string       `json:"status"`           // ok, failing or stale
	Reason    string       `json:"reason,omitempty"` // why not ok
	Schedule  string       `json:"schedule"`
	Running   bool         `json:"running"`
	NextRun   time.Time    `json:"next_run"`
	LastRun   *lastRun     `json:"last_run"`
	Started   time.Time    `json:"started"`
	Success   *time.Time   `json:"last_success"`   // exit 0
	Completed *time.Time   `json:"last_completed"` // exit 0 or 1: published
	Rules     *rulesHealth `json:"rules,omitempty"`
}

type lastRun struct {
	RunID    string    `json:"run_id,omitempty"`
	Result   string    `json:"result"`
	ExitCode int       `json:"exit_code"`
	Finished time.Time `json:"finished"`
	Error    string    `json:"error,omitempty"` // its first line
}

// Health statuses of /healthz.
const (
	healthOK      = "ok"
	healthFailing = "failing" // the last run could not read or publish
	healthStale   = "stale"   // no run completed for too long
)

func newServer(newConfig func() (pipeline.Config, error), sched cron.Schedule, spec string, log *slog.Logger) *server {
	s := &server{newConfig: newConfig, sched: sched, spec: spec, log: log, reg: prometheus.NewRegistry(),
		limits: defaultHTTPLimits, unhealthyAfter: 3, now: time.Now, rules: newRulesKeeper("", nil)}
	f := promauto{s.reg}
	s.runs = f.counterVec("tradeetl_runs_total", "Scheduled runs by result: ok, findings (error findings or a quarantined delivery), input_failed, locked, error, interrupted.", "result")
	s.duration = f.histogram("tradeetl_run_duration_seconds", "Duration of scheduled runs.", prometheus.ExponentialBuckets(0.5, 2, 16))
	s.findings = f.gaugeVec("tradeetl_findings", "Findings of the current inputs at the last completed run, by rule and severity.", "rule", "severity")
	s.inputs = f.gaugeVec("tradeetl_inputs", "Inputs at the last completed run, by status: loaded, skipped, failed, quarantined.", "status")
	s.obs = f.gauge("tradeetl_observations", "Observations of the inputs at the last completed run.")
	s.lastRun = f.gauge("tradeetl_last_run_timestamp_seconds", "When the last run ended (Unix time), whatever its result.")
	s.lastSuccess = f.gauge("tradeetl_last_success_timestamp_seconds", "When the last run with exit code 0 ended (Unix time); 0 before the first.")
	s.lastExit = f.gauge("tradeetl_last_exit_code", "Exit code of the last run, as `tradeetl run` would exit (the exit_code of /healthz); -1 before the first.")
	s.nextRun = f.gauge("tradeetl_next_run_timestamp_seconds", "When the next run is due (Unix time).")
	s.running = f.gauge("tradeetl_running", "1 while a run is in progress.")
	s.rulesOK = f.gauge("tradeetl_rules_file_ok", "1 when the rules file loaded before the last run (or there is none); 0 when it did not and the run used the last good rules.")
	s.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "tradeetl_healthy",
		Help: "1 when /healthz answers 200, 0 when it answers 503."}, func() float64 {
		if st, _ := s.status(); st == healthOK {
			return 1
		}
		return 0
	}))
	s.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, r := range []string{resultOK, resultFindings, resultInputFailed, resultLocked, resultError, resultInterrupted} {
		s.runs.WithLabelValues(r)
	}
	s.lastExit.Set(-1)
	s.rulesOK.Set(1)
	started := time.Now().UTC()
	s.health = health{Status: healthOK, Schedule: spec, Started: started}
	s.completed = started
	return s
}

// serve runs the schedule until ctx ends, then shuts the HTTP server down.
func (s *server) serve(ctx context.Context, ln net.Listener, atStart bool) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{Registry: s.reg}))
	mux.HandleFunc("GET /healthz", s.healthz)
	lim := s.limits
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: lim.readHeaderTimeout,
		ReadTimeout:       lim.readTimeout,
		WriteTimeout:      lim.writeTimeout,
		IdleTimeout:       lim.idleTimeout,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	// Connections beyond the cap wait in the kernel's queue, holding no
	// descriptor of this process: a flood of them cannot starve the runs
	// of files to open.
	ln = netutil.LimitListener(ln, lim.maxConns)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("serving", "listen", ln.Addr().String(), "schedule", s.spec, "metrics", "/metrics", "health", "/healthz")

	if atStart {
		s.runOnce(ctx, "start")
	}
	for ctx.Err() == nil {
		next := s.sched.Next(time.Now())
		s.setNext(next)
		t := time.NewTimer(time.Until(next))
		select {
		case <-t.C:
			s.runOnce(ctx, "schedule")
		case <-ctx.Done():
			t.Stop()
		case err := <-errc:
			t.Stop()
			return fmt.Errorf("http server: %w", err)
		}
	}
	s.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("http server shutdown: %w", err)
	}
	return nil
}

// runOnce runs the job and records its outcome.
func (s *server) runOnce(ctx context.Context, trigger string) {
	s.setRunning(true)
	defer s.setRunning(false)
	start := time.Now()
	s.log.Info("run started", "trigger", trigger, "schedule", s.spec)
	var rep *schemas.Report
	cfg, err := s.newConfig()
	if err == nil {
		cfg.Rules = s.reloadRules()
		rep, err = pipeline.Run(ctx, cfg)
	}
	end := time.Now()
	took := end.Sub(start).Round(time.Millisecond)
	lr := &lastRun{Finished: end.UTC()}
	switch {
	case err != nil && ctx.Err() != nil:
		lr.Result = resultInterrupted
	case errors.Is(err, load.ErrLocked):
		lr.Result = resultLocked
	case err != nil:
		lr.Result = resultError
	}
	if err != nil {
		lr.Error = firstLine(err.Error())
		lr.ExitCode = exitCodeOf(ctx, err)
		switch {
		case lr.Result == resultInterrupted:
			s.log.Info("run interrupted; nothing of it was published", "exit_code", lr.ExitCode, "duration", took)
		case refused(err):
			// a missing input path, too many removals: as `tradeetl
			// run` would, change nothing and say why
			s.log.Error("scheduled run refused; the published output is unchanged", "result", lr.Result, "exit_code", lr.ExitCode, "error", err, "duration", took)
		case lr.ExitCode == pipeline.ExitOutput:
			s.log.Error("scheduled run failed: output directory or environment", "result", lr.Result, "exit_code", lr.ExitCode, "error", err, "duration", took)
		default:
			s.log.Error("scheduled run failed", "result", lr.Result, "exit_code", lr.ExitCode, "error", err, "duration", took)
		}
	} else {
		lr.RunID = rep.RunID
		lr.ExitCode = pipeline.ExitCode(rep)
		switch lr.ExitCode {
		case pipeline.ExitOK:
			lr.Result = resultOK
		case pipeline.ExitFindings:
			lr.Result = resultFindings
		default:
			lr.Result = resultInputFailed
		}
		s.record(rep)
	}
	s.runs.WithLabelValues(lr.Result).Inc()
	s.duration.Observe(end.Sub(start).Seconds())
	s.lastRun.Set(float64(end.Unix()))
	s.lastExit.Set(float64(lr.ExitCode))
	s.mu.Lock()
	s.health.LastRun = lr
	if lr.ExitCode <= pipeline.ExitFindings && lr.Result != resultError && lr.Result != resultInterrupted {
		t := lr.Finished
		s.health.Completed = &t
		s.completed = t
	}
	if lr.Result == resultOK {
		t := lr.Finished
		s.health.Success = &t
		s.lastSuccess.Set(float64(end.Unix()))
	}
	s.mu.Unlock()
}

// exitCodeOf is the exit code `tradeetl run` gives a run that ended in
// err (see report).
func exitCodeOf(ctx context.Context, err error) int {
	var se *signalError
	var ee *exitError
	switch {
	case ctx.Err() != nil && errors.As(context.Cause(ctx), &se):
		return signalExitCode(se.sig)
	case ctx.Err() != nil:
		return signalExitCode(syscall.SIGTERM)
	case refused(err):
		return pipeline.ExitUsage
	case errors.Is(err, load.ErrLocked):
		return pipeline.ExitLocked
	case errors.As(err, &ee):
		return ee.code
	}
	return pipeline.ExitOutput
}

// firstLine is the first line of an error message, at most 300 bytes:
// enough to say what failed, without the excerpts of files that some
// messages carry below it.
func firstLine(msg string) string {
	msg, _, _ = strings.Cut(msg, "\n")
	if len(msg) > 300 {
		msg = strings.ToValidUTF8(msg[:300], "") + "…"
	}
	return msg
}

// reloadRules reads the rules file again for a run: its rules, or the
// last good ones when it no longer loads, which it then says.
func (s *server) reloadRules() *validate.RuleSet {
	rs, err := s.rules.reload()
	s.mu.Lock()
	s.health.Rules = s.rules.health()
	s.mu.Unlock()
	if err != nil {
		s.rulesOK.Set(0)
		s.log.Error("rules file no longer loads; this run uses the last good rules", "rules", s.rules.path, "version", rs.Version, "error", err)
		return rs
	}
	s.rulesOK.Set(1)
	return rs
}

// record sets the gauges describing the last completed run.
func (s *server) record(rep *schemas.Report) {
	s.findings.Reset()
	for _, f := range rep.Findings {
		s.findings.WithLabelValues(f.Rule, string(f.Severity)).Inc()
	}
	s.inputs.Reset()
	obs := 0
	for _, st := range []schemas.Status{schemas.StatusLoaded, schemas.StatusSkipped, schemas.StatusFailed, schemas.StatusQuarantined} {
		s.inputs.WithLabelValues(string(st))
	}
	for _, in := range rep.Inputs {
		s.inputs.WithLabelValues(string(in.Status)).Inc()
		obs += in.Observations
	}
	s.obs.Set(float64(obs))
}

func (s *server) setRunning(on bool) {
	v := 0.0
	if on {
		v = 1
	}
	s.running.Set(v)
	s.mu.Lock()
	s.health.Running = on
	s.mu.Unlock()
}

func (s *server) setNext(t time.Time) {
	s.nextRun.Set(float64(t.Unix()))
	s.mu.Lock()
	s.health.NextRun = t.UTC()
	s.mu.Unlock()
}

// status tells whether serve is healthy, and why not: the last run could
// not read or publish (exit code 2 or more; a run interrupted by shutdown
// does not count), or no run has completed within unhealthyAfter schedule
// intervals of the last that did (or of the start).
func (s *server) status() (status, reason string) {
	s.mu.Lock()
	lr, completed := s.health.LastRun, s.completed
	s.mu.Unlock()
	if lr != nil && lr.ExitCode >= pipeline.ExitUsage && lr.Result != resultInterrupted {
		return healthFailing, fmt.Sprintf("the last run could not read or publish (exit code %d)", lr.ExitCode)
	}
	if s.unhealthyAfter > 0 {
		deadline := completed
		for range s.unhealthyAfter {
			deadline = s.sched.Next(deadline)
		}
		if now := s.now(); !deadline.IsZero() && now.After(deadline) {
			return healthStale, fmt.Sprintf("no run has completed since %s (%d schedule intervals)", completed.UTC().Format(time.RFC3339), s.unhealthyAfter)
		}
	}
	return healthOK, ""
}

func (s *server) healthz(w http.ResponseWriter, _ *http.Request) {
	status, reason := s.status()
	s.mu.Lock()
	h := s.health
	s.mu.Unlock()
	h.Status, h.Reason = status, reason
	b, err := json.MarshalIndent(h, "", "  ")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if status != healthOK {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	_, _ = w.Write(append(b, '\n'))
}

// rulesKeeper reads the rules file of serve before each run and keeps the
// last rule set that loaded.
type rulesKeeper struct {
	path    string // "" for the built-in rules
	good    *validate.RuleSet
	lastErr error
}

func newRulesKeeper(path string, loaded *validate.RuleSet) *rulesKeeper {
	return &rulesKeeper{path: path, good: loaded}
}

// reload returns the rules to run with: those of the file as it is now,
// or the last good ones with the error of the file. nil stands for the
// built-in rules.
func (k *rulesKeeper) reload() (*validate.RuleSet, error) {
	if k.path == "" {
		return nil, nil
	}
	rs, err := validate.LoadRulesFile(k.path)
	k.lastErr = err
	if err != nil {
		return k.good, err
	}
	k.good = rs
	return rs, nil
}

// rulesHealth is the rules part of /healthz.
type rulesHealth struct {
	File    string `json:"file"`
	Version string `json:"version"`         // of the rules in use
	Error   string `json:"error,omitempty"` // why the file as it is now is not in use
}

func (k *rulesKeeper) health() *rulesHealth {
	if k.path == "" {
		return nil
	}
	h := &rulesHealth{File: k.path}
	if k.good != nil {
		h.Version = k.good.Version
	}
	if k.lastErr != nil {
		h.Error = firstLine(k.lastErr.Error())
	}
	return h
}

// promauto registers metrics on a registry as it creates them.
type promauto struct{ reg *prometheus.Registry }

func (p promauto) counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	p.reg.MustRegister(c)
	return c
}

func (p promauto) gaugeVec(name, help string, labels ...string) *prometheus.GaugeVec {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, labels)
	p.reg.MustRegister(g)
	return g
}

func (p promauto) gauge(name, help string) prometheus.Gauge {
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
	p.reg.MustRegister(g)
	return g
}

func (p promauto) histogram(name, help string, buckets []float64) prometheus.Histogram {
	h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets})
	p.reg.MustRegister(h)
	return h
}
