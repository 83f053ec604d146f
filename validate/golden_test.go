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
// testdata/stream-findings.txt.gz (one section per test and rule set, the
// findings in showAll's form). They depend on what extract and transform
// make of the test workbooks too. When findings change on purpose,
//
//	go test ./validate -run 'TestStreaming|TestEvaluator' -update
//
// rewrites the sections of the tests that ran and keeps the others (each
// subtest's input is the same whether it runs alone or with the rest);
// review the change with `zdiff` before committing it. A workbook of the
// shared corpus without a section is skipped, since the corpus lies
// outside the repository.
var update = flag.Bool("update", false, "rewrite testdata/stream-findings.txt.gz from the current engine")

const goldenFile = "testdata/stream-findings.txt.gz"

var golden struct {
	once    sync.Once
	mu      sync.Mutex
	entries map[string][]string
	err     error
	dirty   bool // -update changed entries: TestMain writes the file
}

// TestMain writes the golden file once the tests ran, when -update
// changed it.
func TestMain(m *testing.M) {
	code := m.Run()
	if golden.dirty {
		if err := writeGolden(golden.entries); err != nil {
			fmt.Fprintln(os.Stderr, "write", goldenFile+":", err)
			code = 1
		}
	}
	os.Exit(code)
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

// writeGolden writes the golden file under a temporary name and renames
// it into place, so that an interrupted -update leaves the old one.
func writeGolden(entries map[string][]string) error {
	if err := os.MkdirAll(filepath.Dir(goldenFile), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(goldenFile), ".stream-findings-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after the rename, a no-op
	if err := f.Chmod(0o644); err != nil {
		f.Close()
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
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), goldenFile)
}

// loadGolden reads the golden file once.
func loadGolden(t *testing.T) {
	t.Helper()
	golden.once.Do(func() {
		golden.entries, golden.err = readGolden()
		if *update && os.IsNotExist(golden.err) {
			golden.entries, golden.err = map[string][]string{}, nil
		}
	})
	if golden.err != nil {
		t.Fatal(golden.err)
	}
}

// hasGolden reports whether key has golden findings (or -update will
// write them).
func hasGolden(t *testing.T, key string) bool {
	t.Helper()
	loadGolden(t)
	golden.mu.Lock()
	defer golden.mu.Unlock()
	_, ok := golden.entries[t.Name()+" | "+key]
	return ok || *update
}

// want returns the golden findings of key (one section of a test), as
// showAll lines. With -update it records got as the golden findings
// first.
func want(t *testing.T, key string, got []schemas.Finding) []string {
	t.Helper()
	key = t.Name() + " | " + key
	loadGolden(t)
	golden.mu.Lock()
	defer golden.mu.Unlock()
	if *update {
		golden.entries[key] = showAll(got)
		golden.dirty = true
	}
	lines, ok := golden.entries[key]
	if !ok {
		t.Fatalf("no golden findings for %q in %s: run go test ./validate -run 'TestStreaming|TestEvaluator' -update", key, goldenFile)
	}
	return lines
}
