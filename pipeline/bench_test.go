package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// BenchmarkLongTable runs the whole pipeline (extract, transform, record and
// consistency rules, Parquet, publication) on the long tables that
// `make bench-data` writes into bench/data (not committed), and reports
// rows/s and the peak of the live heap during the run:
//
//	make bench-data
//	go test ./pipeline -run '^$' -bench LongTable -benchtime 1x
//
// Sub-benchmarks whose input is missing are skipped. "rules=none" runs with
// no consistency rules: the streaming path alone, whose memory does not
// depend on the number of rows; "rules=default" adds the consistency rules,
// which today hold one file's observations in memory (validate.RuleSet.Check
// takes them all at once).
func BenchmarkLongTable(b *testing.B) {
	for _, name := range []string{"long-100k.csv", "long-1m.csv", "long-100k.xlsx", "long-1m.xlsx"} {
		path := filepath.Join("..", "bench", "data", name)
		for _, rules := range []string{"none", "default"} {
			b.Run(name+"/rules="+rules, func(b *testing.B) {
				if _, err := os.Stat(path); err != nil {
					b.Skipf("%s missing: run make bench-data", path)
				}
				cfg := Config{Inputs: []string{path}, Full: true}
				if err := cfg.defaults(); err != nil {
					b.Fatal(err)
				}
				if rules == "none" {
					none := *cfg.Rules
					none.Rules = nil
					cfg.Rules = &none
				}
				var rows int
				var peak, live uint64
				var elapsed time.Duration
				for b.Loop() {
					cfg.OutDir = b.TempDir()
					runtime.GC()
					stop := samplePeakHeap()
					start := time.Now()
					rep, err := Run(context.Background(), cfg)
					elapsed += time.Since(start)
					p, l := stop()
					peak, live = max(peak, p), max(live, l)
					if err != nil {
						b.Fatal(err)
					}
					if rep.Inputs[0].Status != "loaded" {
						b.Fatalf("%+v", rep.Inputs[0])
					}
					rows += rep.Inputs[0].Observations
				}
				b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
				b.ReportMetric(float64(live)/(1<<20), "peak-live-MB")
			})
		}
	}
}

// samplePeakHeap samples the heap every millisecond until the returned
// function is called, which returns the largest samples of the bytes of
// heap objects (live, and dead but not yet swept: what the process holds)
// and of the live heap as the last garbage collection marked it (what the
// run keeps).
func samplePeakHeap() func() (heap, live uint64) {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
	var peak, peakLive uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			peakLive = max(peakLive, s[1].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() (uint64, uint64) {
		close(done)
		wg.Wait()
		return peak, peakLive
	}
}
