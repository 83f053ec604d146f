package validate_test

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"unsafe"

	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/validate"
)

// BenchmarkEngines runs the default rules over the clean long table of
// `make bench-data` (reporter × partner × flow × 99 chapters and a Total
// × year; Belgium the sum of Flanders, Wallonia and Brussels), with the
// streaming Evaluator fed batches of 8192, as Check and as Audit:
//
//	go test ./validate -run '^$' -bench Engines -count 5
//
// ns/obs is the wall time per observation, cpu-ns/obs the CPU time of
// the process (the engine and the garbage collector) per observation,
// which a busy machine inflates less; held-MB, for the evaluator, the
// live heap it holds after the last Add (records and indexes); input-MB
// the observations themselves, which the evaluator never holds at once
// (one batch at a time).
func BenchmarkEngines(b *testing.B) {
	e := defaultRuleSet(b)
	for _, rows := range []int{100_000, 1_000_000} {
		obs := longObs("long.csv", rows)
		inputMB := float64(len(obs)) * float64(unsafe.Sizeof(schemas.Observation{})) / (1 << 20)
		for _, audit := range []bool{false, true} {
			mode := "check"
			if audit {
				mode = "audit"
			}
			b.Run(fmt.Sprintf("rows=%d/%s/engine=stream", rows, mode), func(b *testing.B) {
				b.ReportAllocs()
				run := func(measure bool) float64 {
					var base uint64
					if measure {
						base = liveHeap()
					}
					ev := e.rs.NewEvaluator(validate.EvalOptions{Audit: audit})
					for i := 0; i < len(obs); i += 8192 {
						ev.Add(obs[i:min(i+8192, len(obs))])
					}
					var held float64
					if measure {
						held = float64(liveHeap()-base) / (1 << 20)
					}
					if fs := ev.Finish(); len(fs) != 0 {
						b.Fatalf("%d findings on the clean table, first %s", len(fs), fs[0].Message)
					}
					return held
				}
				held := run(true)
				runtime.GC()
				cpu := cpuTime()
				for b.Loop() {
					run(false)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(obs)), "ns/obs")
				b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/float64(len(obs)), "cpu-ns/obs")
				b.ReportMetric(held, "held-MB")
				b.ReportMetric(inputMB, "input-MB")
			})
		}
	}
}

// cpuTime is the user and system CPU time of the process, in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// liveHeap collects garbage and returns the bytes of live heap objects.
func liveHeap() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
