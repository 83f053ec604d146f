package validate

import (
	"slices"
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
)

func TestRecordChecker(t *testing.T) {
	rc := NewRecordChecker()
	good := func() schemas.Observation {
		o := fig("B7", 6.80, 2)
		o.FileSHA256 = strings.Repeat("ab", 32)
		return o
	}
	tests := []struct {
		name   string
		edit   func(o *schemas.Observation)
		want   []string // message of each finding
		noCell bool
	}{
		{"valid", func(o *schemas.Observation) {}, nil, false},
		{"valid growth", func(o *schemas.Observation) {
			o.Measure, o.BasePeriod, o.Unit, o.Scale = schemas.MeasureGrowth, "2012", schemas.UnitPercent, 1
		}, nil, false},
		{"missing reporter", func(o *schemas.Observation) { o.Reporter = "" },
			[]string{"cell B7: reporter is missing (required)"}, false},
		{"year out of range", func(o *schemas.Observation) { o.Year = 1700 },
			[]string{"cell B7: year 1700 is out of range (gte=1800)"}, false},
		{"bad flow", func(o *schemas.Observation) { o.Flow = "exprts" },
			[]string{`cell B7: flow "exprts" is not one of exports, imports, deficit, surplus, balance, total, re_exports, re_imports, domestic_exports (oneof=exports imports deficit surplus balance total re_exports re_imports domestic_exports)`}, false},
		{"growth without base period", func(o *schemas.Observation) {
			o.Measure, o.Unit, o.Scale = schemas.MeasureGrowth, schemas.UnitPercent, 1
		}, []string{"cell B7: base_period is missing; it is required when measure is growth (required_if=Measure growth)"}, false},
		{"bad digest", func(o *schemas.Observation) { o.FileSHA256 = "xyz" },
			[]string{`cell B7: file_sha256 "xyz" has the wrong length (len=64)`}, false},
		{"zero scale", func(o *schemas.Observation) { o.Scale = 0 },
			[]string{"cell B7: scale 0 is out of range (gt=0)"}, false},
		{"several at once", func(o *schemas.Observation) { o.Partner, o.Unit = "", "EURO" }, []string{
			"cell B7: partner is missing (required)",
			`cell B7: unit "EURO" is not an ISO 4217 currency code (iso4217|eq=%)`,
		}, false},
		{"no cell", func(o *schemas.Observation) { o.Cell = "" },
			[]string{"observation without a cell: cell is missing (required)"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := good()
			tt.edit(&o)
			got := rc.Check(&o)
			var msgs []string
			for _, f := range got {
				msgs = append(msgs, f.Message)
				if f.Rule != schemas.RuleRecord || f.Severity != schemas.SeverityError || f.File != o.File || f.Sheet != o.Sheet {
					t.Errorf("finding %+v: want rule record, severity error, file and sheet of the observation", f)
				}
				wantCells := []string{"B7"}
				if tt.noCell {
					wantCells = nil
				}
				if !slices.Equal(f.Cells, wantCells) {
					t.Errorf("cells %q, want %q", f.Cells, wantCells)
				}
				if f.Expected != nil || f.Actual != nil || f.Tolerance != nil {
					t.Errorf("record findings carry no numbers")
				}
			}
			if !slices.Equal(msgs, tt.want) {
				t.Errorf("messages\n got %q\nwant %q", msgs, tt.want)
			}
		})
	}
}
