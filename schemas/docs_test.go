package schemas

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated column tables of docs/outputs.md (make docs)")

// TestDocsColumnTables checks that docs/outputs.md documents exactly the
// Parquet columns tradeetl writes. With -update (make docs) it rewrites
// the tables.
func TestDocsColumnTables(t *testing.T) {
	path := filepath.Join("..", "docs", "outputs.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read the column reference: %v", err)
	}
	doc := string(b)
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
		i, j := strings.Index(doc, start), strings.Index(doc, end)
		if i < 0 || j < i {
			t.Fatalf("docs/outputs.md has no %q ... %q markers", start, end)
		}
		want := MarkdownTable(section.cols)
		if got := doc[i+len(start) : j]; got != want {
			if !*update {
				t.Errorf("docs/outputs.md: the %s table is out of date; run make docs (go test ./schemas -run TestDocsColumnTables -update)\n got:\n%s\nwant:\n%s", section.name, got, want)
				continue
			}
			doc = doc[:i+len(start)] + want + doc[j:]
		}
	}
	if *update {
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			t.Fatalf("write %s: %v", path, err)
		}
	}
}
