package htmlreport_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/load/htmlreport"
	"github.com/tradeetl/tradeetl/schemas"
)

// badReport is a run of inputs inputs (not drawn: no observations given),
// each with verdicts suspects and rules findings.
func badReport(inputs, verdicts, rules int) *schemas.Report {
	rep := &schemas.Report{RunID: "20261206T000000Z-00000000"}
	for i := range inputs {
		file := fmt.Sprintf("in/long-%02d.csv", i)
		rep.Inputs = append(rep.Inputs, schemas.InputReport{Path: file, Status: schemas.StatusLoaded, Observations: 100_000})
		for k := range verdicts {
			cell := fmt.Sprintf("G%d", k+2)
			rep.Findings = append(rep.Findings, schemas.Finding{Rule: schemas.RuleSuspect, Severity: schemas.SeverityError, File: file,
				Cells: []string{cell}, SuspectCell: cell, Message: "suspect " + cell})
		}
		for k := range rules {
			rep.Findings = append(rep.Findings, schemas.Finding{Rule: "part_le_whole", Severity: schemas.SeverityError, File: file,
				Cells: []string{fmt.Sprintf("G%d", k+2), "G1"}, Message: "part above whole"})
		}
	}
	return rep
}

// report.html draws a bounded number of findings per input and in all,
// and says how many more each input has.
func TestFindingsCapped(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		inputs, verdicts, rule int
		drawn                  int
		want                   []string
	}{
		{name: "few", inputs: 2, verdicts: 3, rule: 10, drawn: 26},
		{name: "one long table", inputs: 1, verdicts: 300, rule: 2000, drawn: 700,
			want: []string{"… and 100 more verdicts, not drawn here", "… and 1500 more findings, not drawn here", "300 verdicts · 2000 findings"}},
		{name: "many inputs", inputs: 20, verdicts: 0, rule: 600, drawn: 5000,
			want: []string{"… and 100 more findings, not drawn here", "600 findings, not drawn here"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := badReport(tc.inputs, tc.verdicts, tc.rule)
			path := filepath.Join(t.TempDir(), "report.html")
			if err := htmlreport.Write(context.Background(), path, rep, nil, htmlreport.Options{}); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			page := string(b)
			if n := strings.Count(page, `class="finding `) + strings.Count(page, `class="verdict finding `); n != tc.drawn {
				t.Errorf("%d findings drawn, want %d", n, tc.drawn)
			}
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("the page does not say %q", w)
				}
			}
		})
	}
}
