package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// In a run of many report tables, report.html draws the tables of every
// input with findings and of the first htmlMaxCleanInputs clean ones, and
// says of the others why their tables are not drawn.
func TestHTMLReportManyInputs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "in")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	const extra = 3
	for i := range htmlMaxCleanInputs + extra {
		copyFile(t, fixture("newsletter-2013.xlsx"), filepath.Join(dir, fmt.Sprintf("clean-%03d.xlsx", i)))
	}
	copyFile(t, fixture("newsletter-2013-errors.xlsx"), filepath.Join(dir, "zz-errors.xlsx"))
	out := filepath.Join(t.TempDir(), "out")
	if _, err := Run(context.Background(), Config{Inputs: []string{dir}, OutDir: out, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, HTMLReport))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	if got := strings.Count(page, "Its tables are not drawn"); got != extra {
		t.Errorf("report.html notes %d clean inputs as not drawn, want %d", got, extra)
	}
	// Each input has its section; the input with findings comes last and
	// its tables are drawn all the same.
	inputs, _, _ := strings.Cut(page, `<section class="input" id="outputs"`)
	sections := strings.Split(inputs, `<section class="input" id="input-`)[1:]
	if len(sections) != htmlMaxCleanInputs+extra+1 {
		t.Fatalf("report.html has %d input sections, want %d", len(sections), htmlMaxCleanInputs+extra+1)
	}
	drawn := 0
	for _, s := range sections {
		if strings.Contains(s, "<table") {
			drawn++
		}
	}
	if drawn != htmlMaxCleanInputs+1 {
		t.Errorf("report.html draws the tables of %d inputs, want %d", drawn, htmlMaxCleanInputs+1)
	}
	if last := sections[len(sections)-1]; !strings.Contains(last, "zz-errors.xlsx") || !strings.Contains(last, "<table") {
		t.Error("report.html does not draw the tables of the input with findings")
	}
	for i := htmlMaxCleanInputs; i < htmlMaxCleanInputs+extra; i++ {
		if !strings.Contains(page, fmt.Sprintf("clean-%03d.xlsx", i)) {
			t.Errorf("report.html does not list clean-%03d.xlsx", i)
		}
	}
}
