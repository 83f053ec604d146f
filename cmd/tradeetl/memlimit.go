package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
)

// What --memory-limit auto allows: 100 MiB per worker, about the peak live
// heap of one 1M-row input in flight (its rule state, sort buffer and
// Parquet row group, measured with make bench), and at least 200 MiB; and
// at least headroom times the live heap, so that an input larger than that
// (or several at once) raises the limit instead of making the collector run
// without pause.
const (
	memoryPerWorker = 100 << 20
	memoryFloor     = 200 << 20
	headroomNum     = 4 // headroom = 4/3: collect when the heap has grown by a third of its live size
	headroomDen     = 3
	watchEvery      = 50 * time.Millisecond
)

// memoryLimit reads --memory-limit: the soft limit of the Go runtime's
// memory (debug.SetMemoryLimit), which makes the garbage collector work
// harder as the heap nears it rather than letting the heap grow to twice
// its live size. It never fails a run. "auto" (the default) is adaptive:
// 100 MiB per worker and at least 200 MiB, raised to 4/3 of the live heap
// when the live heap grows past three quarters of it, unless the
// environment sets GOMEMLIMIT. A size is a fixed limit (above it the
// collector is held to half the CPU); "off" leaves the runtime's own
// setting. It returns 0 when the limit is not to be set.
func memoryLimit(cmd *cobra.Command, value string, workers int) (limit int64, adaptive bool, err error) {
	switch strings.ToLower(strings.TrimSpace(value)) {
	case "off", "none":
		return 0, false, nil
	case "auto", "":
		if os.Getenv("GOMEMLIMIT") != "" && !cmd.Flags().Changed("memory-limit") {
			return 0, false, nil
		}
		if workers <= 0 {
			workers = runtime.NumCPU()
		}
		return max(memoryFloor, int64(workers)*memoryPerWorker), true, nil
	}
	n, err := parseSize(value)
	if err != nil {
		return 0, false, usageError(fmt.Errorf("--memory-limit: %w", err))
	}
	return n, false, nil
}

// adaptiveLimit is the limit for a live heap of live bytes: floor, or
// headroom times live when that is more.
func adaptiveLimit(floor, live int64) int64 {
	return max(floor, live/headroomDen*headroomNum)
}

// setMemoryLimit applies a limit from memoryLimit and returns the function
// that stops adapting it and puts the previous one back.
func setMemoryLimit(n int64, adaptive bool) (restore func()) {
	if n <= 0 {
		return func() {}
	}
	prev := debug.SetMemoryLimit(n)
	if !adaptive {
		return func() { debug.SetMemoryLimit(prev) }
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		tick := time.NewTicker(watchEvery)
		defer tick.Stop()
		current := n
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() != metrics.KindUint64 {
				return
			}
			if want := adaptiveLimit(n, int64(sample[0].Value.Uint64())); want != current {
				current = want
				debug.SetMemoryLimit(current)
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
		debug.SetMemoryLimit(prev)
	}
}
