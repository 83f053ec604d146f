//go:build linux

package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/metrics"
	"sync"
	"syscall"
	"testing"
	"time"
)

// BenchmarkLongTable runs the whole pipeline (extract, transform, record and
// consistency rules, Parquet, publication) on the long tables that
// `make bench-data` writes into bench/data (not committed):
//
//	make bench-data
//	go test ./pipeline -run '^$' -bench LongTable -benchtime 1x
//
// Each run is a child process (this test binary, running
// TestBenchmarkChild), so that its peak memory is its own: peak-rss-MB is
// the child's maximum resident set size, peak-heap-MB the largest Go heap
// (live and not yet collected objects) sampled during the run. rows/s
// counts observations over the child's wall time of pipeline.Run.
//
// "rules=none" runs with no consistency rules: the streaming path alone.
// "rules=default" adds the default rules, which today hold one input's
// observations in memory (validate.RuleSet.Check takes them all at once).
// Inputs that are missing are skipped.
func BenchmarkLongTable(b *testing.B) {
	for _, name := range []string{"long-100k.csv", "long-1m.csv", "long-100k-inline.xlsx", "long-1m-inline.xlsx", "long-100k-shared.xlsx", "long-1m-shared.xlsx"} {
		path, err := filepath.Abs(filepath.Join("..", "bench", "data", name))
		if err != nil {
			b.Fatal(err)
		}
		for _, rules := range []string{"none", "default"} {
			b.Run(name+"/rules="+rules, func(b *testing.B) {
				if _, err := os.Stat(path); err != nil {
					b.Skipf("%s missing: run make bench-data", path)
				}
				var res childResult
				var rss int64
				for b.Loop() {
					r, maxRSS := runChild(b, path, rules)
					res.Rows += r.Rows
					res.Seconds += r.Seconds
					res.PeakHeap = max(res.PeakHeap, r.PeakHeap)
					rss = max(rss, maxRSS)
				}
				b.ReportMetric(float64(res.Rows)/res.Seconds, "rows/s")
				b.ReportMetric(float64(rss)/(1<<20), "peak-rss-MB")
				b.ReportMetric(float64(res.PeakHeap)/(1<<20), "peak-heap-MB")
			})
		}
	}
}

// childResult is what TestBenchmarkChild reports on stdout.
type childResult struct {
	Rows     int     `json:"rows"`
	Seconds  float64 `json:"seconds"`
	PeakHeap uint64  `json:"peak_heap"`
}

// runChild runs one pipeline in a child process and returns its result and
// its maximum resident set size in bytes.
func runChild(b *testing.B, input, rules string) (childResult, int64) {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestBenchmarkChild$", "-test.v")
	cmd.Env = append(os.Environ(), "TRADEETL_BENCH_INPUT="+input, "TRADEETL_BENCH_RULES="+rules, "TRADEETL_BENCH_OUT="+b.TempDir())
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("child: %v\n%s", err, out)
	}
	var res childResult
	for _, line := range splitLines(string(out)) {
		if json.Unmarshal([]byte(line), &res) == nil && res.Rows > 0 {
			break
		}
	}
	if res.Rows == 0 {
		b.Fatalf("child reported no rows:\n%s", out)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return res, ru.Maxrss * 1024 // KiB on Linux
}

func splitLines(s string) []string {
	var out []string
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] != '\n' {
			i++
		}
		out = append(out, s[:i])
		if i < len(s) {
			i++
		}
		s = s[i:]
	}
	return out
}

// TestBenchmarkChild is the child process of BenchmarkLongTable; it skips
// unless started by it.
func TestBenchmarkChild(t *testing.T) {
	input := os.Getenv("TRADEETL_BENCH_INPUT")
	if input == "" {
		t.Skip("run by BenchmarkLongTable")
	}
	cfg := Config{Inputs: []string{input}, OutDir: os.Getenv("TRADEETL_BENCH_OUT"), Full: true}
	if err := cfg.defaults(); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("TRADEETL_BENCH_RULES") == "none" {
		none := *cfg.Rules
		none.Rules = nil
		cfg.Rules = &none
	}
	stop := samplePeakHeap()
	start := time.Now()
	rep, err := Run(context.Background(), cfg)
	elapsed := time.Since(start)
	peak := stop()
	if err != nil {
		t.Fatal(err)
	}
	if in := rep.Inputs[0]; in.Status != "loaded" {
		t.Fatalf("%+v", in)
	}
	b, _ := json.Marshal(childResult{Rows: rep.Inputs[0].Observations, Seconds: elapsed.Seconds(), PeakHeap: peak})
	fmt.Println(string(b))
}

// samplePeakHeap samples the bytes of heap objects (live, and dead but not
// yet collected) every millisecond until the returned function is called,
// which returns the largest sample.
func samplePeakHeap() func() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak
	}
}
