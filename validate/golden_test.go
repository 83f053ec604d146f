package validate_test

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
)

// The findings the consistency rules and the audit must give on the
// inputs of the streaming tests (stream_test.go) are golden: they were
// written by the batch engine the streaming Evaluator replaced, checked
// finding for finding against it while both existed, and are kept in
// testdata/stream-findings.txt.gz. When findings change on purpose,
//
//	go test ./validate -run 'TestStreaming|TestEvaluator' -update
//
// rewrites the entries of the tests that ran (entries of tests that did
// not run, such as those of the shared corpus when it is absent, stay);
// review the change with `zdiff` before committing it.
var update = flag.Bool("update", false, "rewrite testdata/stream-findings.txt.gz from the current engine")

const goldenFile = "testdata/stream-findings.txt.gz"

var golden struct {
	once    sync.Once
	mu      sync.Mutex
	entries map[string][]string
	err     error
}

// readGolden loads the golden file: sections "== KEY" each followed by
// the lines of its findings (showAll).
func readGolden() (map[string][]string, error) {
	f, err := os.Open(goldenFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", goldenFile, err)
	}
	entries := map[string][]string{}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<20)
	var key string
	for sc.Scan() {
		line := sc.Text()
		if k, ok := strings.CutPrefix(line, "== "); ok {
			key = k
			entries[key] = []string{}
			continue
		}
		entries[key] = append(entries[key], line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", goldenFile, err)
	}
	return entries, nil
}

func writeGolden(entries map[string][]string) error {
	if err := os.MkdirAll(filepath.Dir(goldenFile), 0o755); err != nil {
		return err
	}
	f, err := os.Create(goldenFile)
	if err != nil {
		return err
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	w := bufio.NewWriter(zw)
	keys := make([]string, 0, len(entries))
	for k := range entries {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "== %s\n", k)
		for _, line := range entries[k] {
			fmt.Fprintln(w, line)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// want returns the golden findings of key (one section of a test), as
// showAll lines. With -update it records got as the golden findings
// first.
func want(t *testing.T, key string, got []schemas.Finding) []string {
	t.Helper()
	key = t.Name() + " | " + key
	golden.once.Do(func() {
		golden.entries, golden.err = readGolden()
		if *update && os.IsNotExist(golden.err) {
			golden.entries, golden.err = map[string][]string{}, nil
		}
	})
	if golden.err != nil {
		t.Fatal(golden.err)
	}
	golden.mu.Lock()
	defer golden.mu.Unlock()
	if *update {
		golden.entries[key] = showAll(got)
		if err := writeGolden(golden.entries); err != nil {
			t.Fatal(err)
		}
	}
	lines, ok := golden.entries[key]
	if !ok {
		t.Fatalf("no golden findings for %q in %s: run go test ./validate -run 'TestStreaming|TestEvaluator' -update", key, goldenFile)
	}
	return lines
}
