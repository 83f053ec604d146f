package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
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

// A rerun that skips every input draws the same page: skipped inputs show
// their tables (read back from their Parquet files) and findings; a
// quarantined delivery shows the findings that kept it back.
func TestHTMLReportSkippedAndQuarantined(t *testing.T) {
	in := inputs(t)
	out := filepath.Join(t.TempDir(), "out")
	cfg := Config{Inputs: []string{in}, OutDir: out, Version: "test", FailOn: FailOnError}
	sections := func() map[string]string {
		b, err := os.ReadFile(filepath.Join(out, HTMLReport))
		if err != nil {
			t.Fatal(err)
		}
		inputs, _, _ := strings.Cut(string(b), `<section class="input" id="outputs"`)
		bySection := map[string]string{}
		for _, s := range strings.Split(inputs, `<section class="input" id="input-`)[1:] {
			for _, name := range []string{"newsletter-2013.xlsx", "newsletter-2013-errors.xlsx", "products-2013.xlsx"} {
				if strings.Contains(s, "/"+name+" <span") { // the heading: path, then status
					bySection[name] = s
				}
			}
		}
		return bySection
	}
	for i, want := range []schemas.Status{schemas.StatusLoaded, schemas.StatusSkipped} {
		rep := run(t, cfg)
		if got := statuses(rep)["newsletter-2013.xlsx"]; got != want {
			t.Fatalf("run %d: %s, want %s", i+1, got, want)
		}
		s := sections()
		for _, name := range []string{"newsletter-2013.xlsx", "products-2013.xlsx"} {
			if !strings.Contains(s[name], "<table") {
				t.Errorf("run %d (%s): report.html draws no table of %s", i+1, want, name)
			}
		}
		// quarantined on both runs (unchanged, it is read again each time:
		// it has no published output to skip to)
		if q := s["newsletter-2013-errors.xlsx"]; !strings.Contains(q, "B6") || !strings.Contains(q, "13.85") {
			t.Errorf("run %d: the quarantined delivery's verdicts (B6, 13.85 for B8) are not on the page", i+1)
		}
	}
}
