package schemas

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the README's generated column tables")

// TestREADMETables checks that the README documents exactly the Parquet
// columns tradeetl writes. With -update it rewrites the tables.
func TestREADMETables(t *testing.T) {
	path := filepath.Join("..", "README.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("README not found: %v", err)
	}
	readme := string(b)
	for _, section := range []struct {
		name string
		cols []Column
	}{
		{"observations", ObservationColumns},
		{"findings", FindingColumns},
		{"runs", RunColumns},
		{"revisions", RevisionColumns},
		{"dim-areas", DimAreaColumns},
		{"dim-products", DimProductColumns},
	} {
		start := "<!-- columns:" + section.name + ":start -->\n"
		end := "<!-- columns:" + section.name + ":end -->"
		i, j := strings.Index(readme, start), strings.Index(readme, end)
		if i < 0 || j < i {
			t.Fatalf("README.md has no %q ... %q markers", start, end)
		}
		want := MarkdownTable(section.cols)
		if got := readme[i+len(start) : j]; got != want {
			if !*update {
				t.Errorf("README.md %s table is out of date; run go test ./schemas -run TestREADMETables -update\n got:\n%s\nwant:\n%s", section.name, got, want)
				continue
			}
			readme = readme[:i+len(start)] + want + readme[j:]
		}
	}
	if *update {
		if err := os.WriteFile(path, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
