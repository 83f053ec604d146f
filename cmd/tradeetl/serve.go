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
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/robfig/cron/v3"
	"github.com/spf13/cobra"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/pipeline"
	"github.com/tradeetl/tradeetl/schemas"
)

func newServeCmd(stdout, stderr io.Writer) *cobra.Command {
	var c common
	var f runFlags
	var spec, listen string
	var atStart bool
	cmd := &cobra.Command{
		Use:   "serve --schedule SPEC [flags] INPUT...",
		Short: "Run on a cron schedule, with Prometheus /metrics and /healthz",
		Long: `Run the same job as 'tradeetl run' on a cron schedule, in the foreground,
until SIGINT or SIGTERM. Runs never overlap: a run that outlasts its slot
delays the next one, and the lock on the output directory keeps other
processes out too. The rules file is read again before each run.

The schedule is a cron expression, in the server's time zone unless it
starts with CRON_TZ=Zone: "0 6 * * *" (06:00 every day), "0 6 * * 1-5",
"*/30 * * * * *" (with seconds), "@hourly", "@every 15m".

HTTP endpoints on --listen:
  /metrics  Prometheus: runs by result, durations, findings by rule of the
            last run, inputs by status, last run and last success times
  /healthz  200 and the state of the scheduler as JSON

A run that 'tradeetl run' would refuse with exit 2 (an input path that
does not exist or cannot be listed, more removals than --max-remove
allows) is logged as an error and changes nothing; the next run tries
again.

On SIGINT or SIGTERM a run in progress stops cleanly (nothing of it is
published; the next run redoes it) and serve exits 0.`,
		Example: `  tradeetl serve --schedule "0 6 * * *" --listen :9090 --out /data/trade /data/incoming`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sched, err := parseSchedule(spec)
			if err != nil {
				return usageError(err)
			}
			_, lift, err := c.setup(cmd, args) // the flags checked once at start
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
			newConfig := func() (pipeline.Config, error) {
				run, err := c.config(args)
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
			return s.serve(cmd.Context(), ln, atStart)
		},
	}
	c.register(cmd)
	c.acceptOutput(cmd)
	f.register(cmd)
	cmd.Flags().StringVar(&spec, "schedule", "", `cron schedule, e.g. "0 6 * * *" (required)`)
	cmd.Flags().StringVar(&listen, "listen", ":9090", "address of the /metrics and /healthz endpoints")
	cmd.Flags().BoolVar(&atStart, "run-at-start", false, "also run once at start, before the first scheduled time")
	_ = cmd.MarkFlagRequired("schedule")
	return cmd
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
	newConfig func() (pipeline.Config, error)
	sched     cron.Schedule
	spec      string
	log       *slog.Logger
	reg       *prometheus.Registry

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

	mu     sync.Mutex
	health health
}

// health is the body of /healthz.
type health struct {
	Status   string     `json:"status"`
	Schedule string     `json:"schedule"`
	Running  bool       `json:"running"`
	NextRun  time.Time  `json:"next_run"`
	LastRun  *lastRun   `json:"last_run"`
	Started  time.Time  `json:"started"`
	Success  *time.Time `json:"last_success"`
}

type lastRun struct {
	RunID    string    `json:"run_id,omitempty"`
	Result   string    `json:"result"`
	ExitCode int       `json:"exit_code"`
	Finished time.Time `json:"finished"`
	Error    string    `json:"error,omitempty"`
}

func newServer(newConfig func() (pipeline.Config, error), sched cron.Schedule, spec string, log *slog.Logger) *server {
	s := &server{newConfig: newConfig, sched: sched, spec: spec, log: log, reg: prometheus.NewRegistry()}
	f := promauto{s.reg}
	s.runs = f.counterVec("tradeetl_runs_total", "Scheduled runs by result: ok, findings (error findings or a quarantined delivery), input_failed, locked, error, interrupted.", "result")
	s.duration = f.histogram("tradeetl_run_duration_seconds", "Duration of scheduled runs.", prometheus.ExponentialBuckets(0.5, 2, 16))
	s.findings = f.gaugeVec("tradeetl_findings", "Findings of the current inputs at the last completed run, by rule and severity.", "rule", "severity")
	s.inputs = f.gaugeVec("tradeetl_inputs", "Inputs at the last completed run, by status: loaded, skipped, failed, quarantined.", "status")
	s.obs = f.gauge("tradeetl_observations", "Observations of the inputs at the last completed run.")
	s.lastRun = f.gauge("tradeetl_last_run_timestamp_seconds", "When the last run ended (Unix time), whatever its result.")
	s.lastSuccess = f.gauge("tradeetl_last_success_timestamp_seconds", "When the last run with exit code 0 ended (Unix time); 0 before the first.")
	s.lastExit = f.gauge("tradeetl_last_exit_code", "Exit code of the last completed run, as `tradeetl run` would exit.")
	s.nextRun = f.gauge("tradeetl_next_run_timestamp_seconds", "When the next run is due (Unix time).")
	s.running = f.gauge("tradeetl_running", "1 while a run is in progress.")
	s.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, r := range []string{resultOK, resultFindings, resultInputFailed, resultLocked, resultError, resultInterrupted} {
		s.runs.WithLabelValues(r)
	}
	s.health = health{Status: "ok", Schedule: spec, Started: time.Now().UTC()}
	return s
}

// serve runs the schedule until ctx ends, then shuts the HTTP server down.
func (s *server) serve(ctx context.Context, ln net.Listener, atStart bool) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{Registry: s.reg}))
	mux.HandleFunc("GET /healthz", s.healthz)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("serving", "listen", ln.Addr().String(), "schedule", s.spec, "metrics", "/metrics", "health", "/healthz")

	if atStart {
		s.runOnce(ctx)
	}
	for ctx.Err() == nil {
		next := s.sched.Next(time.Now())
		s.setNext(next)
		t := time.NewTimer(time.Until(next))
		select {
		case <-t.C:
			s.runOnce(ctx)
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
func (s *server) runOnce(ctx context.Context) {
	s.setRunning(true)
	defer s.setRunning(false)
	start := time.Now()
	var rep *schemas.Report
	cfg, err := s.newConfig()
	if err == nil {
		rep, err = pipeline.Run(ctx, cfg)
	}
	end := time.Now()
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
		lr.Error = err.Error()
		lr.ExitCode = -1
		var ee *exitError
		var oe *pipeline.OutputError
		switch {
		case lr.Result == resultInterrupted:
		case errors.As(err, &oe):
			lr.ExitCode = pipeline.ExitOutput
			s.log.Error("scheduled run failed: output directory or environment", "result", lr.Result, "exit_code", lr.ExitCode, "error", err)
		case refused(err):
			// a missing input path, too many removals: as `tradeetl
			// run` would, change nothing and say why
			lr.ExitCode = pipeline.ExitUsage
			s.log.Error("scheduled run refused; the published output is unchanged", "result", lr.Result, "exit_code", lr.ExitCode, "error", err)
		case errors.As(err, &ee):
			lr.ExitCode = ee.code
			s.log.Error("scheduled run failed", "result", lr.Result, "exit_code", lr.ExitCode, "error", err)
		default:
			s.log.Error("scheduled run failed", "result", lr.Result, "error", err)
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
		s.record(rep, lr.ExitCode)
	}
	s.runs.WithLabelValues(lr.Result).Inc()
	s.duration.Observe(end.Sub(start).Seconds())
	s.lastRun.Set(float64(end.Unix()))
	s.mu.Lock()
	s.health.LastRun = lr
	if lr.Result == resultOK {
		t := lr.Finished
		s.health.Success = &t
		s.lastSuccess.Set(float64(end.Unix()))
	}
	s.mu.Unlock()
}

// record sets the gauges describing the last completed run.
func (s *server) record(rep *schemas.Report, exit int) {
	s.lastExit.Set(float64(exit))
	s.findings.Reset()
	for _, f := range rep.Findings {
		s.findings.WithLabelValues(f.Rule, f.Severity).Inc()
	}
	s.inputs.Reset()
	obs := 0
	for _, st := range []string{schemas.StatusLoaded, schemas.StatusSkipped, schemas.StatusFailed, schemas.StatusQuarantined} {
		s.inputs.WithLabelValues(st)
	}
	for _, in := range rep.Inputs {
		s.inputs.WithLabelValues(in.Status).Inc()
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

func (s *server) healthz(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	b, err := json.MarshalIndent(s.health, "", "  ")
	s.mu.Unlock()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(append(b, '\n'))
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
