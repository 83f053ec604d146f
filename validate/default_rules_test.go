package validate

import (
	"slices"
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
)

// want describes one expected finding.
type want struct {
	rule     string
	severity schemas.Severity
	cells    []string
	expected float64
	actual   float64
	tol      float64
	message  string // substring
	noValues bool   // Expected, Actual and Tolerance are nil
}

func checkFindings(t *testing.T, got []schemas.Finding, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		for _, f := range got {
			t.Logf("got %s %v: %s", f.Rule, f.Cells, f.Message)
		}
		t.Fatalf("got %d findings, want %d", len(got), len(wants))
	}
	for i, w := range wants {
		f := got[i]
		if f.Rule != w.rule {
			t.Errorf("finding %d: rule %q, want %q", i, f.Rule, w.rule)
		}
		sev := w.severity
		if sev == "" {
			sev = schemas.SeverityError
		}
		if f.Severity != sev {
			t.Errorf("finding %d: severity %q, want %q", i, f.Severity, sev)
		}
		if !slices.Equal(f.Cells, w.cells) {
			t.Errorf("finding %d: cells %q, want %q", i, f.Cells, w.cells)
		}
		if w.noValues {
			if f.Expected != nil || f.Actual != nil || f.Tolerance != nil {
				t.Errorf("finding %d: expected/actual/tolerance %s/%s/%s, want nil", i, ptrString(f.Expected), ptrString(f.Actual), ptrString(f.Tolerance))
			}
		} else {
			if !near(f.Expected, w.expected) {
				t.Errorf("finding %d: expected %s, want %v", i, ptrString(f.Expected), w.expected)
			}
			if !near(f.Actual, w.actual) {
				t.Errorf("finding %d: actual %s, want %v", i, ptrString(f.Actual), w.actual)
			}
			if !near(f.Tolerance, w.tol) {
				t.Errorf("finding %d: tolerance %s, want %v", i, ptrString(f.Tolerance), w.tol)
			}
		}
		if !strings.Contains(f.Message, w.message) {
			t.Errorf("finding %d: message %q\nwant it to contain %q", i, f.Message, w.message)
		}
		if f.SuspectCell != "" || f.SuggestedValue != nil {
			t.Errorf("finding %d: suspect cell and suggested value are for the audit layer", i)
		}
		if f.File == "" {
			t.Errorf("finding %d: no file", i)
		}
	}
}

// ratio returns the midpoint and half-width of (a/b)·100 − offset for
// figures a, b with half-widths ha, hb (all positive).
func ratio(a, ha, b, hb, offset float64) (mid, half float64) {
	lo := (a-ha)/(b+hb)*100 - offset
	hi := (a+ha)/(b-hb)*100 - offset
	return (lo + hi) / 2, (hi - lo) / 2
}

func TestDefaultRules(t *testing.T) {
	rs := mustDefault(t)
	shareMid, shareHalf := ratio(6.80, 0.005, 14.37, 0.005, 0)
	growthMid, growthHalf := ratio(6.80, 0.005, 6.95, 0.005, 100)

	tests := []struct {
		name string
		rule string
		obs  []schemas.Observation
		want []want
	}{
		// balance
		{"balance holds (newsletter 2013)", "balance", figs(
			fig("C5", 6.80, 2), fig("C9", 11.28, 2, "flow=imports"), fig("C13", 4.48, 2, "flow=deficit"),
		), nil},
		{"balance broken (2012)", "balance", figs(
			fig("C5", 6.95, 2, "period=2012"), fig("C9", 12.08, 2, "flow=imports", "period=2012"),
			fig("C13", 5.31, 2, "flow=deficit", "period=2012"),
		), []want{{
			rule: "balance", cells: []string{"C13", "C5", "C9"}, expected: 5.13, actual: 5.31, tol: 0.015,
			message: "Flanders deficit 2012 (C13) is 5.31, but imports − exports = 12.08 − 6.95 = 5.13 (C9, C5); rounding allows ±0.015",
		}}},
		{"balance near miss inside rounding", "balance", figs(
			fig("C5", 1.81, 2), fig("C9", 4.66, 2, "flow=imports"), fig("C13", 2.84, 2, "flow=deficit"),
		), nil},
		{"balance just outside rounding", "balance", figs(
			fig("C5", 1.81, 2), fig("C9", 4.66, 2, "flow=imports"), fig("C13", 2.80, 2, "flow=deficit"),
		), []want{{rule: "balance", cells: []string{"C13", "C5", "C9"}, expected: 2.85, actual: 2.80, tol: 0.015,
			message: "is 2.80, but imports − exports = 4.66 − 1.81 = 2.85 (C9, C5)"}}},

		// share_range
		{"share in range", "share_range", figs(fig("D5", 47.3, 1, "measure=share")), nil},
		{"share of exactly 100", "share_range", figs(fig("D5", 100, 0, "measure=share")), nil},
		{"share over 100", "share_range", figs(fig("D5", 104.2, 1, "measure=share")), []want{{
			rule: "share_range", cells: []string{"D5"}, expected: 100, actual: 104.2, tol: 0.05,
			message: "Flanders share of exports 2013 (D5) is 104.2, but must not exceed 100; rounding allows ±0.05",
		}}},
		{"negative share", "share_range", figs(fig("D5", -0.4, 1, "measure=share")), []want{{
			rule: "share_range", cells: []string{"D5"}, expected: 0, actual: -0.4, tol: 0.05,
			message: "is -0.4, but must be at least 0",
		}}},

		// share_consistency: Belgium's level sits on another sheet (scope file)
		{"share consistent", "share_consistency", figs(
			fig("C5", 6.80, 2), fig("D5", 47.3, 1, "measure=share"),
			fig("F5", 14.37, 2, "reporter=Belgium", "sheet=Belgium", "table=A1:F9"),
		), nil},
		{"share near miss inside rounding", "share_consistency", figs(
			fig("C5", 6.80, 2), fig("D5", 47.4, 1, "measure=share"),
			fig("F5", 14.37, 2, "reporter=Belgium", "sheet=Belgium", "table=A1:F9"),
		), nil},
		{"share inconsistent", "share_consistency", figs(
			fig("C5", 6.80, 2), fig("D5", 52.1, 1, "measure=share"),
			fig("F5", 14.37, 2, "reporter=Belgium", "sheet=Belgium", "table=A1:F9"),
		), []want{{
			rule: "share_consistency", cells: []string{"D5", "C5", "Belgium!F5"},
			expected: shareMid, actual: 52.1, tol: 0.05 + shareHalf,
			message: "Flanders share of exports 2013 (D5) is 52.1, but part / whole × 100 = 6.80 / 14.37 × 100 = 47.32 (C5, Belgium!F5)",
		}}},
		{"share of a country has no parent: not applicable", "share_consistency", figs(
			fig("F5", 14.37, 2, "reporter=Belgium"), fig("G5", 99.9, 1, "reporter=Belgium", "measure=share"),
		), nil},

		// part_le_whole
		{"part below whole", "part_le_whole", figs(
			fig("C5", 6.80, 2), fig("F5", 14.37, 2, "reporter=Belgium", "sheet=Belgium"),
		), nil},
		{"part above whole", "part_le_whole", figs(
			fig("C9", 15.2, 1, "flow=imports"), fig("F9", 14.9, 1, "flow=imports", "reporter=Belgium", "sheet=Belgium"),
		), []want{{
			rule: "part_le_whole", cells: []string{"C9", "Belgium!F9"}, expected: 14.9, actual: 15.2, tol: 0.1,
			message: "Flanders imports 2013 (C9) is 15.2, but must not exceed whole = 14.9 (Belgium imports 2013, Belgium!F9); rounding allows ±0.1",
		}}},
		{"part equal to whole within rounding", "part_le_whole", figs(
			fig("C9", 14.95, 2, "flow=imports"), fig("F9", 14.9, 1, "flow=imports", "reporter=Belgium"),
		), nil},
		{"deficits are not compared", "part_le_whole", figs(
			fig("C13", 9, 0, "flow=deficit"), fig("F13", 1, 0, "flow=deficit", "reporter=Belgium"),
		), nil},

		// growth_consistency
		{"growth consistent", "growth_consistency", figs(
			fig("C5", 6.80, 2), fig("B5", 6.95, 2, "period=2012"),
			fig("E5", -2.2, 1, "measure=growth", "base=2012"),
		), nil},
		{"growth near miss inside rounding", "growth_consistency", figs(
			fig("C5", 6.80, 2), fig("B5", 6.95, 2, "period=2012"),
			fig("E5", -2.3, 1, "measure=growth", "base=2012"),
		), nil},
		{"growth with the wrong sign", "growth_consistency", figs(
			fig("C5", 6.80, 2), fig("B5", 6.95, 2, "period=2012"),
			fig("E5", 2.2, 1, "measure=growth", "base=2012"),
		), []want{{
			rule: "growth_consistency", cells: []string{"E5", "C5", "B5"},
			expected: growthMid, actual: 2.2, tol: 0.05 + growthHalf,
			message: "Flanders exports growth 2013 (E5) is 2.2, but (cur / prev − 1) × 100 = (6.80 / 6.95 − 1) × 100 = -2.16 (C5, B5)",
		}}},
		{"growth without base period: not applicable", "growth_consistency", figs(
			fig("C5", 6.80, 2), fig("B5", 6.95, 2, "period=2012"), fig("E5", 2.2, 1, "measure=growth"),
		), nil},

		// index_consistency: 6.80 on 6.95 is 97.8 (base = 100)
		{"index consistent", "index_consistency", figs(
			fig("C5", 6.80, 2), fig("B5", 6.95, 2, "period=2012"),
			fig("E5", 97.8, 1, "measure=index", "base=2012"),
		), nil},
		{"index read as a growth rate", "index_consistency", figs(
			fig("C5", 6.80, 2), fig("B5", 6.95, 2, "period=2012"),
			fig("E5", -2.2, 1, "measure=index", "base=2012"),
		), []want{{
			rule: "index_consistency", cells: []string{"E5", "C5", "B5"},
			expected: growthMid + 100, actual: -2.2, tol: 0.05 + growthHalf,
			message: "Flanders exports index 2013 (E5) is -2.2, but cur / prev × 100 = 6.80 / 6.95 × 100 = 97.84 (C5, B5)",
		}}},

		// non_negative
		{"positive level", "non_negative", figs(fig("C5", 6.80, 2)), nil},
		{"zero level", "non_negative", figs(fig("C5", 0, 2)), nil},
		{"negative exports", "non_negative", figs(fig("C5", -0.5, 1)), []want{{
			rule: "non_negative", cells: []string{"C5"}, expected: 0, actual: -0.5, tol: 0.05,
			message: "Flanders exports 2013 (C5) is -0.5, but must be at least 0; rounding allows ±0.05",
		}}},
		{"negative deficit is a surplus, not an error", "non_negative", figs(fig("C13", -0.5, 1, "flow=deficit")), nil},

		// sum_of_parts
		{"products add up", "sum_of_parts", figs(
			fig("C5", 2.10, 2, "product=Machines"), fig("C6", 1.35, 2, "product=Chemicals"),
			fig("C7", 0.80, 2, "product=Vehicles"), fig("C8", 2.55, 2, "product=Other"),
			fig("C10", 6.80, 2),
		), nil},
		{"products add up within rounding", "sum_of_parts", figs(
			fig("C5", 2.10, 2, "product=Machines"), fig("C6", 1.35, 2, "product=Chemicals"),
			fig("C7", 0.80, 2, "product=Vehicles"), fig("C8", 2.55, 2, "product=Other"),
			fig("C10", 6.82, 2),
		), nil},
		{"products do not add up", "sum_of_parts", figs(
			fig("C5", 2.10, 2, "product=Machines"), fig("C6", 1.35, 2, "product=Chemicals"),
			fig("C7", 0.80, 2, "product=Vehicles"), fig("C8", 2.55, 2, "product=Other"),
			fig("C10", 7.10, 2),
		), []want{{
			rule: "sum_of_parts", severity: schemas.SeverityWarning, cells: []string{"C10", "C5", "C6", "C7", "C8"},
			expected: 6.80, actual: 7.10, tol: 0.025,
			message: "Flanders exports 2013 (C10) is 7.10, but parts = 6.80 (sum of C5, C6, C7, C8); rounding allows ±0.025",
		}}},
		{"a missing product line: not applicable", "sum_of_parts", figs(
			fig("C5", 2.10, 2, "product=Machines"), fig("C6", 0, 0, "product=Chemicals", "missing=n.a."),
			fig("C10", 7.10, 2),
		), nil},
		{"total alone: not applicable", "sum_of_parts", figs(fig("C10", 7.10, 2)), nil},
		{"a duplicate product line counts once", "sum_of_parts", figs(
			fig("C5", 2.10, 2, "product=Machines"), fig("C6", 4.70, 2, "product=Chemicals"),
			fig("H6", 4.70, 2, "product=Chemicals"), fig("C10", 6.80, 2),
		), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFindings(t, only(rs, tt.rule).Check(tt.obs), tt.want)
		})
	}
}

// The full default set over the newsletter's consistent figures finds
// nothing; one broken figure gives exactly the findings that involve it.
func TestDefaultRulesTogether(t *testing.T) {
	rs := mustDefault(t)
	ids := make([]string, len(rs.Rules))
	for i, r := range rs.Rules {
		ids[i] = r.ID
	}
	wantIDs := []string{"balance", "trade_balance", "total_trade", "share_range", "share_consistency", "part_le_whole", "growth_consistency", "index_consistency", "non_negative", "sum_of_parts"}
	if !slices.Equal(ids, wantIDs) {
		t.Fatalf("default rule ids %q, want %q", ids, wantIDs)
	}
	table := func(deficit2013 float64) []schemas.Observation {
		return figs(
			fig("B5", 6.95, 2, "period=2012"), fig("C5", 6.80, 2),
			fig("B9", 12.08, 2, "flow=imports", "period=2012"), fig("C9", 11.28, 2, "flow=imports"),
			fig("B13", 5.13, 2, "flow=deficit", "period=2012"), fig("C13", deficit2013, 2, "flow=deficit"),
			fig("D5", -2.2, 1, "measure=growth", "base=2012"), fig("D9", -6.6, 1, "flow=imports", "measure=growth", "base=2012"),
			fig("E5", 47.3, 1, "measure=share"),
			fig("F5", 14.37, 2, "reporter=Belgium", "sheet=Belgium"),
		)
	}
	if got := rs.Check(table(4.48)); len(got) != 0 {
		for _, f := range got {
			t.Errorf("unexpected %s %v: %s", f.Rule, f.Cells, f.Message)
		}
	}
	checkFindings(t, rs.Check(table(4.84)), []want{{
		rule: "balance", cells: []string{"C13", "C5", "C9"}, expected: 4.48, actual: 4.84, tol: 0.015, message: "C13",
	}})
}
