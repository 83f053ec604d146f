package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// memoryPerWorker is what --memory-limit auto allows each worker: about
// the peak live heap of one 1M-row input in flight (its rule state, sort
// buffer and Parquet row group), measured with make bench.
const (
	memoryPerWorker = 100 << 20
	memoryFloor     = 200 << 20
)

// memoryLimit reads --memory-limit: the soft limit of the Go runtime's
// memory (debug.SetMemoryLimit), which makes the garbage collector work
// harder as the heap nears it rather than letting the heap grow to twice
// its live size. It never fails a run: above the limit the collector is
// held to half the CPU. "auto" (the default) is 100 MiB per worker and at
// least 200 MiB, unless the environment sets GOMEMLIMIT; "off" leaves the
// runtime's own setting. It returns 0 when the limit is not to be set.
func memoryLimit(cmd *cobra.Command, value string, workers int) (int64, error) {
	switch strings.ToLower(strings.TrimSpace(value)) {
	case "off", "none":
		return 0, nil
	case "auto", "":
		if os.Getenv("GOMEMLIMIT") != "" && !cmd.Flags().Changed("memory-limit") {
			return 0, nil
		}
		if workers <= 0 {
			workers = runtime.NumCPU()
		}
		return max(memoryFloor, int64(workers)*memoryPerWorker), nil
	}
	n, err := parseSize(value)
	if err != nil {
		return 0, usageError(fmt.Errorf("--memory-limit: %w", err))
	}
	return n, nil
}

// setMemoryLimit applies a limit from memoryLimit and returns the function
// that puts the previous one back.
func setMemoryLimit(n int64) (restore func()) {
	if n <= 0 {
		return func() {}
	}
	prev := debug.SetMemoryLimit(n)
	return func() { debug.SetMemoryLimit(prev) }
}
