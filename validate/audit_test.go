package validate

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
)

func TestSlipCandidates(t *testing.T) {
	tests := []struct {
		v        float64
		decimals int
		want     float64
		kind     string
	}{
		{5.31, 2, 5.13, schemas.SlipSwapped},
		{-8.5, 1, -5.8, schemas.SlipSwapped}, // across the decimal point
		{11.85, 2, 13.85, schemas.SlipMistyped},
		{11.8, 2, 11.28, schemas.SlipDropped},
		{1.85, 2, 13.85, schemas.SlipDropped},
		{66.75, 2, 6.75, schemas.SlipRepeated},
		{13.885, 3, 13.85, schemas.SlipRepeated},
		{-6.80, 2, 6.80, schemas.SlipSign},
		{126.2, 2, 12.62, schemas.SlipDecimal},
		{0.68, 2, 68, schemas.SlipDecimal},
		{12080, 2, 12.08, schemas.SlipUnit},
		{0.01, 2, 10, schemas.SlipUnit},
	}
	for _, tt := range tests {
		got := slipCandidates(tt.v, tt.decimals)
		i := slices.IndexFunc(got, func(s slip) bool { return s.value == tt.want })
		if i < 0 {
			t.Errorf("slipCandidates(%v, %d) has no %v", tt.v, tt.decimals, tt.want)
			continue
		}
		if got[i].kind != tt.kind {
			t.Errorf("slipCandidates(%v, %d): %v is %q, want %q", tt.v, tt.decimals, tt.want, got[i].kind, tt.kind)
		}
	}
	// Only values with the published decimals, never the figure itself,
	// never a value twice.
	for _, s := range slipCandidates(5.31, 2) {
		if s.value == 5.31 || s.value == 5.131 || s.value == 6.75*0 {
			t.Errorf("candidate %v (%s)", s.value, s.kind)
		}
	}
	seen := map[float64]bool{}
	for _, s := range slipCandidates(66.75, 2) {
		if seen[s.value] {
			t.Errorf("%v twice", s.value)
		}
		seen[s.value] = true
		if s.value == 6.75 && s.kind != schemas.SlipRepeated {
			t.Errorf("6.75 from 66.75 is %q (06.75 is no way to type 6.75)", s.kind)
		}
	}
}

// series builds Flanders exports in billion euro over consecutive years,
// one column each.
func series(values ...float64) []schemas.Observation {
	var obs []schemas.Observation
	for i, v := range values {
		obs = append(obs, fig(string(rune('B'+i))+"5", v, 2, "period="+strconv.Itoa(2008+i)))
	}
	return obs
}

func TestScaleSlips(t *testing.T) {
	rs := mustDefault(t)
	tests := []struct {
		name      string
		values    []float64
		cell      string
		suggested float64
	}{
		{"a million figure among billions", []float64{6.21, 6.95, 6800, 7.10, 7.30}, "D5", 6.8},
		{"a billion figure among millions", []float64{6210, 6950, 6.80, 7100}, "D5", 6800},
		{"at the start of the series", []float64{6210, 6.95, 6.80, 7.10}, "B5", 6.21},
		{"one year's growth is no slip", []float64{6.21, 6.95, 68.0, 7.10}, "", 0},
		{"neighbours disagree", []float64{0.5, 6.95, 6800, 70}, "", 0},
		{"two figures cannot tell", []float64{6.21, 6210}, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []schemas.Finding
			for _, f := range rs.Audit(series(tt.values...)) {
				if f.Rule == schemas.RuleScaleSlip {
					got = append(got, f)
				}
			}
			if tt.cell == "" {
				if len(got) != 0 {
					t.Errorf("findings %+v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("got %d scale slips: %+v", len(got), got)
			}
			f := got[0]
			if f.SuspectCell != tt.cell || !near(f.SuggestedValue, tt.suggested) || f.Slip != schemas.SlipUnit ||
				f.Cells[0] != tt.cell || f.Severity != schemas.SeverityError || !strings.Contains(f.Message, "unit slip") {
				t.Errorf("finding %+v", f)
			}
		})
	}
}

// Error localization on hand-built tables.
func TestLocalize(t *testing.T) {
	rs := mustDefault(t)
	exports, imports, deficit := "flow=exports", "flow=imports", "flow=deficit"
	suspects := func(fs []schemas.Finding) (named []string, cands []string) {
		for _, f := range fs {
			if f.Rule == schemas.RuleSuspect {
				if f.SuspectCell != "" {
					named = append(named, f.SuspectCell)
				} else {
					cands = append(cands, f.Candidates...)
				}
			}
		}
		return named, cands
	}

	t.Run("near miss inside rounding names nothing", func(t *testing.T) {
		got := rs.Audit(figs(fig("B5", 7.62, 2, exports, "reporter=Belgium"), fig("B8", 13.40, 2, imports, "reporter=Belgium"),
			fig("B12", 5.79, 2, deficit, "reporter=Belgium")))
		if len(got) != 0 {
			t.Errorf("findings %+v", got)
		}
	})

	t.Run("balance alone cannot tell", func(t *testing.T) {
		got := rs.Audit(figs(fig("C4", 6.80, 2, exports), fig("C5", 11.28, 2, imports), fig("C6", 4.93, 2, deficit)))
		named, cands := suspects(got)
		if len(named) != 0 || !sameSet(cands, []string{"C4", "C5", "C6"}) {
			t.Errorf("named %v, candidates %v", named, cands)
		}
		for _, f := range got {
			if f.Rule == schemas.RuleSuspect && (!strings.Contains(f.Message, "cannot tell") || !strings.Contains(f.Message, "4.48 would fit")) {
				t.Errorf("message %q", f.Message)
			}
		}
	})

	t.Run("a sign flip found by the only rule it breaks", func(t *testing.T) {
		// Only non_negative reads the figure: the rules give no value, but
		// one typing slip lands where they want it.
		got := rs.Audit(figs(fig("C4", -6.80, 2, exports, "partner=Japan")))
		named, _ := suspects(got)
		if !slices.Equal(named, []string{"C4"}) {
			t.Fatalf("named %v: %+v", named, got)
		}
		for _, f := range got {
			if !near(f.SuggestedValue, 6.80) || f.Slip != schemas.SlipSign {
				t.Errorf("%s: suggested %s slip %q", f.Rule, ptrString(f.SuggestedValue), f.Slip)
			}
		}
	})

	t.Run("an inequality names a cell without pinning its value", func(t *testing.T) {
		// Flanders imports above Belgium's, and nothing else reads either
		// figure: either could be wrong, and no value is implied.
		got := rs.Audit(figs(fig("B9", 12.40, 2, imports), fig("B8", 11.73, 2, imports, "reporter=Belgium")))
		named, cands := suspects(got)
		if len(named) != 0 || !sameSet(cands, []string{"B9", "B8"}) {
			t.Errorf("named %v, candidates %v: %+v", named, cands, got)
		}
		for _, f := range got {
			if f.SuggestedValue != nil {
				t.Errorf("%s suggests %v", f.Rule, *f.SuggestedValue)
			}
		}
	})

	t.Run("a custom warning rule is localized as a warning", func(t *testing.T) {
		rs := mustLoad(t, `
version: 1
rules:
  - id: total_is_sum
    severity: warning
    match: {flow: total, measure: level}
    as: total
    with:
      exports: {flow: exports}
      imports: {flow: imports}
    check: total == exports + imports
  - id: balance
    match: {flow: deficit, measure: level}
    as: deficit
    with:
      exports: {flow: exports}
      imports: {flow: imports}
    check: deficit == imports - exports
`)
		// Exports mistyped: both rules fail, exports is the one cell in both.
		got := rs.Audit(figs(fig("C4", 6.08, 2, exports), fig("C5", 11.28, 2, imports),
			fig("C6", 4.48, 2, deficit), fig("C7", 18.08, 2, "flow=total")))
		named, _ := suspects(got)
		if !slices.Equal(named, []string{"C4"}) {
			t.Fatalf("named %v: %+v", named, got)
		}
		for _, f := range got {
			if f.Rule == schemas.RuleSuspect && (f.Severity != schemas.SeverityError || !near(f.SuggestedValue, 6.80) || f.Slip != schemas.SlipSwapped ||
				!strings.Contains(f.Message, "total_is_sum (C7) and balance (C6)")) {
				t.Errorf("suspect %+v", f)
			}
		}
	})
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
