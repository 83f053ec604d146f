package interop

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/load"
)

// Findings join their observations through cell_list, a LIST column, with
// no string function: every cell a finding names in its own sheet is a
// figure of observations, found once, and cell_list holds exactly the
// cells of report.json (and of the flat cells column).
func TestFindingsJoinObservations(t *testing.T) {
	db := duck(t)
	for oname, o := range map[string]output{"fixtures": fixtures, "by year": byYear} {
		t.Run(oname, func(t *testing.T) {
			// What report.json says: one (rule, file, sheet, cell) per cell
			// of a finding, anchor first.
			var want []string
			for _, f := range o.stored() {
				for _, c := range f.Cells {
					want = append(want, fmt.Sprintf("%s|%s|%s|%s", f.Rule, f.File, f.Sheet, c))
				}
			}
			got := query(t, db, `SELECT rule, file, sheet, unnest(cell_list) FROM read_parquet(?)`, o.glob(load.FindingsDir))
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("unnest(cell_list):\n%s\nwant (report.json):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			// The join: each cell of each finding against observations on
			// file, sheet and cell. Every cell names one figure.
			cells := `(SELECT rule, file, sheet, unnest(cell_list) AS cell FROM read_parquet(?))`
			obs := `read_parquet(?, hive_partitioning = false)`
			fg, og := o.glob(load.FindingsDir), o.glob(load.ObservationsDir)
			if n := query(t, db, `SELECT count(*) FROM `+cells+` f JOIN `+obs+` o
				ON o.file = f.file AND o.sheet = f.sheet AND o.cell = f.cell`, fg, og); n[0] != fmt.Sprint(len(want)) {
				t.Errorf("join: %s rows, want one per finding cell, %d", n[0], len(want))
			}
			if n := query(t, db, `SELECT count(*) FROM `+cells+` f ANTI JOIN `+obs+` o
				ON o.file = f.file AND o.sheet = f.sheet AND o.cell = f.cell`, fg, og); n[0] != "0" {
				t.Errorf("%s finding cells join no observation", n[0])
			}
			// The balance findings of newsletter-2013-errors and their figures.
			got = query(t, db, `SELECT f.cell, o.reporter, o.flow, o.period, o.value::VARCHAR FROM `+cells+` f JOIN `+obs+` o
				ON o.file = f.file AND o.sheet = f.sheet AND o.cell = f.cell
				WHERE f.rule = 'balance' ORDER BY o.period, o.flow`, fg, og)
			want = []string{
				"B12|Belgium|deficit|2011|7.100000000",
				"B4|Belgium|exports|2011|6.750000000",
				"B8|Belgium|imports|2011|11.850000000",
				"C13|Flanders|deficit|2012|5.310000000",
				"C5|Flanders|exports|2012|6.950000000",
				"C9|Flanders|imports|2012|12.080000000",
			}
			if !slices.Equal(got, want) {
				t.Errorf("balance findings' figures:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}
