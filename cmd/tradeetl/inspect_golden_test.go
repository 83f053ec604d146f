package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var updateInspect = flag.Bool("update-inspect", false, "rewrite testdata/inspect/*.golden from what inspect prints")

// TestInspectGolden compares what `tradeetl inspect` prints for the
// repository's own trade tables (testdata/world: other countries' styles
// and languages, written by LibreOffice, Gnumeric, openpyxl and
// XlsxWriter; and the bundled fixtures) with golden files, so that a
// change in how a table is read shows up in review. With -update-inspect
// it rewrites them.
func TestInspectGolden(t *testing.T) {
	root := filepath.Join("..", "..")
	var files []string
	for _, pattern := range []string{"testdata/world/cases/*", "fixtures/*.xlsx"} {
		m, err := filepath.Glob(filepath.Join(root, pattern))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 20 {
		t.Fatalf("only %d files", len(files))
	}
	for _, path := range files {
		rel, _ := filepath.Rel(root, path)
		name := strings.NewReplacer("/", "__").Replace(rel)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			// run from the repository root so that paths print as in the README
			code := execute(context.Background(), []string{"inspect", path}, &out, &errOut)
			got := strings.ReplaceAll(out.String(), filepath.Join(root)+string(filepath.Separator), "")
			got += "exit " + strconv.Itoa(code) + "\n"
			golden := filepath.Join("testdata", "inspect", name+".golden")
			if *updateInspect {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./cmd/tradeetl -run TestInspectGolden -update-inspect)", err)
			}
			if got != string(want) {
				t.Errorf("inspect %s differs from %s (run with -update-inspect and review the diff):\n%s", rel, golden, lineDiff(string(want), got))
			}
		})
	}
}

// lineDiff shows the first lines that differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("  line " + strconv.Itoa(i+1) + ":\n    want " + wl + "\n    got  " + gl + "\n")
			shown++
		}
	}
	return b.String()
}
