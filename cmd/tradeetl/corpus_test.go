package main

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tradeetl/tradeetl/pipeline"
	"github.com/tradeetl/tradeetl/schemas"
)

// corpusDir finds ../shared/corpus relative to the repository root (the
// directory holding go.mod), where CI and developers keep the shared
// corpus of public test workbooks.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no go.mod above the test: cannot locate ../shared")
		}
		dir = parent
	}
	corpus := filepath.Join(dir, "..", "shared", "corpus")
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("the shared corpus is not at %s (it sits beside the repository in CI): %v", corpus, err)
	}
	return corpus
}

// clearReasons are the phrases a failed input's error must hold: the
// reason in words, never a bare "EOF" or "XML syntax error".
var clearReasons = []string{
	"not an xlsx workbook", "the workbook is damaged", "password-protected", "old binary Excel",
	"looks hostile", "exceeds the configured", "the file is empty", "limit (--max-unzip-size)",
	"no figure could be read",
}

// peakHeap samples the live heap until stop is closed.
func peakHeap(stop <-chan struct{}, peak *atomic.Uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for {
		metrics.Read(sample)
		if v := sample[0].Value.Uint64(); v > peak.Load() {
			peak.Store(v)
		}
		select {
		case <-stop:
			return
		case <-tick.C:
		}
	}
}

// TestCorpus runs the whole pipeline, outputs included, over every
// workbook of the shared corpus (valid ones from a dozen writers, and
// malformed, encrypted and hostile ones): each reads or fails with a
// clear reason, without a panic, a hang or a heap beyond 512 MiB.
func TestCorpus(t *testing.T) {
	corpus := corpusDir(t)
	var files []string
	for _, sub := range []string{"xlsx", "xlsx-bad"} {
		matches, err := filepath.Glob(filepath.Join(corpus, sub, "*"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, matches...)
	}
	if len(files) < 100 {
		t.Fatalf("only %d corpus files in %s", len(files), corpus)
	}
	loaded, failed := 0, 0
	for _, file := range files {
		name := filepath.Base(filepath.Dir(file)) + "/" + filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			runtime.GC()
			var peak atomic.Uint64
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() { peakHeap(stop, &peak); close(done) }()
			rep, err := pipeline.Run(ctx, pipeline.Config{Inputs: []string{file}, OutDir: t.TempDir(), Workers: 1})
			close(stop)
			<-done
			if ctx.Err() != nil {
				t.Fatalf("did not finish within 60 s (a hang?)")
			}
			if err != nil {
				t.Fatalf("the run failed as a whole: %v", err)
			}
			if peak.Load() > 512<<20 {
				t.Errorf("heap peaked at %d MiB", peak.Load()>>20)
			}
			if len(rep.Inputs) != 1 {
				t.Fatalf("%d inputs reported", len(rep.Inputs))
			}
			in := rep.Inputs[0]
			switch in.Status {
			case schemas.StatusLoaded:
				loaded++
			case schemas.StatusFailed:
				failed++
				clear := false
				for _, r := range clearReasons {
					clear = clear || strings.Contains(in.Error, r)
				}
				if !clear || !strings.Contains(in.Error, file) {
					t.Errorf("unclear error: %s", in.Error)
				}
				if in.Observations != 0 {
					t.Errorf("failed with %d observations", in.Observations)
				}
			default:
				t.Errorf("status %q", in.Status)
			}
		})
	}
	t.Logf("%d corpus files: %d loaded, %d failed with a clear error", len(files), loaded, failed)
}
