package validate

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
)

// A run-scope rule compares figures from different files: imports from
// China never exceed 25% of Flanders' imports from the world.
func TestRunScope(t *testing.T) {
	rs, err := LoadRulesFile("testdata/china.good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	china := func(v float64) schemas.Observation {
		return fig("C9", v, 1, "flow=imports", "file=china.xlsx")
	}
	world := fig("D12", 40.0, 1, "flow=imports", "partner=World", "file=world.xlsx", "sheet=Partners")
	tests := []struct {
		name string
		obs  []schemas.Observation
		want []want
	}{
		{"under a quarter", figs(china(9.9), world), nil},
		{"a quarter within rounding", figs(china(10.0), world), nil},
		{"over a quarter", figs(china(11.3), world), []want{{
			rule: "china_share_of_imports", severity: schemas.SeverityWarning,
			cells:    []string{"C9", "[world.xlsx]Partners!D12"},
			expected: 10, actual: 11.3, tol: 0.05 + 0.25*0.05,
			message: "Flanders imports 2013 (C9) is 11.3, but must not exceed 0.25 × total = 0.25 × 40.0 = 10.0 ([world.xlsx]Partners!D12)",
		}}},
		{"other reporters are not anchors", figs(
			fig("C9", 11.3, 1, "flow=imports", "reporter=Wallonia", "file=china.xlsx"),
			fig("D12", 40.0, 1, "flow=imports", "partner=World", "reporter=Wallonia", "file=world.xlsx"),
		), nil},
		{"world total missing: not applicable", figs(china(11.3)), nil},
		{"world total n.a.: not applicable", figs(china(11.3),
			fig("D12", 0, 0, "flow=imports", "partner=World", "file=world.xlsx", "missing=n.a.")), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkFindings(t, rs.Check(tt.obs), tt.want) })
	}

	// The same rule with the default table scope does not look in other
	// files, so it finds nothing.
	tableRS := mustLoad(t, `
version: 1
rules:
  - id: china_share_of_imports
    match: {reporter: Flanders, partner: China, flow: imports, measure: level}
    as: china
    with:
      total: {partner: World}
    check: china <= 0.25 * total
`)
	if got := tableRS.Check(figs(china(11.3), world)); len(got) != 0 {
		t.Errorf("table scope found %d findings across files, want 0", len(got))
	}
}

func TestScopes(t *testing.T) {
	const rule = `
version: 1
rules:
  - id: balance
    scope: %s
    match: {flow: deficit}
    as: deficit
    with:
      exports: {flow: exports}
      imports: {flow: imports}
    check: deficit == imports - exports
`
	// The deficit is in its own table on another sheet.
	obs := figs(
		fig("C5", 6.80, 2), fig("C9", 11.28, 2, "flow=imports"),
		fig("B2", 9.99, 2, "flow=deficit", "sheet=Balance", "table=A1:B3"),
	)
	for _, tt := range []struct {
		scope string
		want  int
	}{{"table", 0}, {"file", 1}, {"run", 1}} {
		t.Run(tt.scope, func(t *testing.T) {
			got := mustLoad(t, fmt.Sprintf(rule, tt.scope)).Check(obs)
			if len(got) != tt.want {
				t.Fatalf("%d findings, want %d", len(got), tt.want)
			}
			if tt.want > 0 && !slices.Equal(got[0].Cells, []string{"B2", "Table 1!C5", "Table 1!C9"}) {
				t.Errorf("cells %q", got[0].Cells)
			}
		})
	}
}

func TestRuleRestrictedToOneReporter(t *testing.T) {
	obs := figs(fig("C5", 11, 0), fig("C6", 12, 0, "reporter=Wallonia"), fig("C7", 13, 0, "reporter=Wallonia", "period=2009"))
	finding := func(cell string, v float64, period string) want {
		return want{rule: "wallonia_small", cells: []string{cell}, expected: 10, actual: v, tol: 0.5,
			message: fmt.Sprintf("Wallonia exports %s (%s) is %v, but must not exceed 10", period, cell, v)}
	}
	tests := []struct {
		name, src string
		want      []want
	}{
		{"by match", `
version: 1
rules:
  - id: wallonia_small
    match: {reporter: Wallonia, measure: level}
    check: value <= 10
`, []want{finding("C6", 12, "2013"), finding("C7", 13, "2009")}},
		{"by where", `
version: 1
rules:
  - id: wallonia_small
    match: {measure: level}
    where: reporter == "Wallonia" && year >= 2010
    check: value <= 10
`, []want{finding("C6", 12, "2013")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkFindings(t, mustLoad(t, tt.src).Check(obs), tt.want) })
	}
}

func TestMatchLists(t *testing.T) {
	rs := mustLoad(t, `
version: 1
rules:
  - id: small
    match: {flow: [exports, imports], year: [2012, 2013], has_value: true}
    check: value < 5
`)
	got := rs.Check(figs(
		fig("C5", 6, 0), fig("C9", 6, 0, "flow=imports"), fig("C13", 6, 0, "flow=deficit"),
		fig("B5", 6, 0, "period=2012"), fig("A5", 6, 0, "period=2011"),
	))
	var cells []string
	for _, f := range got {
		cells = append(cells, f.Cells[0])
	}
	if !slices.Equal(cells, []string{"B5", "C5", "C9"}) {
		t.Errorf("anchors %q, want [B5 C5 C9]", cells)
	}
}

func TestAggregates(t *testing.T) {
	// World equals the sum over partners; a with entry may combine "*"
	// with fixed fields and $references.
	rs := mustLoad(t, `
version: 1
rules:
  - id: partners_add_up
    match: {partner: World, measure: level}
    as: world
    with:
      partners: {partner: "*"}
    check: world == partners
  - id: imports_by_product
    match: {product: Total, flow: deficit}
    as: deficit
    with:
      imports: {flow: imports, product: "*"}
      exports: {flow: exports, product: "*"}
    check: deficit == imports - exports
`)
	obs := figs(
		fig("C5", 6.80, 2), fig("C6", 3.20, 2, "partner=USA"), fig("C7", 10.0, 1, "partner=World"),
		fig("E5", 1.5, 1, "product=A"), fig("E6", 2.5, 1, "product=B"),
		fig("F5", 3.0, 1, "product=A", "flow=imports"), fig("F6", 4.0, 1, "product=B", "flow=imports"),
		fig("G5", 3.0, 1, "flow=deficit"),
	)
	if got := rs.Check(obs); len(got) != 0 {
		for _, f := range got {
			t.Errorf("unexpected %s %v: %s", f.Rule, f.Cells, f.Message)
		}
	}
	obs[2].Value = 10.5
	obs[7].Value = 4.0
	// Findings come in row order: G5 before C7.
	checkFindings(t, rs.Check(obs), []want{
		{rule: "imports_by_product", cells: []string{"G5", "F5", "F6", "E5", "E6"}, expected: 3, actual: 4, tol: 0.25,
			message: "Flanders deficit 2013 (G5) is 4.0, but imports − exports = 7.0 − 4.0 = 3.0 (F5, F6, E5, E6); rounding allows ±0.25"},
		{rule: "partners_add_up", cells: []string{"C7", "C5", "C6"}, expected: 10, actual: 10.5, tol: 0.06,
			message: "Flanders exports 2013 (C7) is 10.5, but partners = 10.00 (sum of C5, C6); rounding allows ±0.06"},
	})
}

func TestNotApplicable(t *testing.T) {
	rs := mustLoad(t, `
version: 1
rules:
  - id: vs_parent_last_year
    match: {measure: level}
    with:
      parent: {reporter: $reporter_parent, period: $base_period}
      other: {partner: USA}
    check: value <= parent + other
`)
	base := func(fields ...string) []schemas.Observation {
		return figs(
			fig("C5", 9, 0, fields...),
			fig("B5", 1, 0, "reporter=Belgium", "period=2012"),
			fig("D5", 1, 0, "partner=USA"),
		)
	}
	tests := []struct {
		name string
		obs  []schemas.Observation
		want int
	}{
		{"applies", base("base=2012"), 1},
		{"empty $base_period", base(), 0},
		{"empty $reporter_parent", base("base=2012", "parent="), 0},
		{"$base_period names a period nobody has", base("base=1999"), 0},
		{"anchor without value", base("base=2012", "missing=n.a."), 0},
		{"fixed value nobody has", figs(fig("C5", 9, 0, "base=2012"), fig("B5", 1, 0, "reporter=Belgium", "period=2012")), 0},
		{"operand without value", append(base("base=2012")[:2], fig("D5", 0, 0, "partner=USA", "missing=-")), 0},
		{"no observations", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rs.Check(tt.obs); len(got) != tt.want {
				t.Errorf("%d findings, want %d", len(got), tt.want)
			}
		})
	}
}

func TestDuplicateKeysUseTheFirst(t *testing.T) {
	rs := only(mustDefault(t), "balance")
	obs := figs(
		fig("C5", 6.80, 2), fig("C9", 11.28, 2, "flow=imports"),
		fig("H9", 99.99, 2, "flow=imports"), // same key again
		fig("C13", 4.48, 2, "flow=deficit"), fig("H13", 4.48, 2, "flow=deficit"),
	)
	if got := rs.Check(obs); len(got) != 0 {
		t.Errorf("%d findings; the first of each duplicate key should be used", len(got))
	}
}

// Figures in different scales are compared in one: Belgium in million euro,
// Flanders in billion euro.
func TestScales(t *testing.T) {
	rs := only(mustDefault(t), "part_le_whole", "share_consistency")
	obs := figs(
		fig("C5", 6.80, 2), fig("D5", 47.3, 1, "measure=share"),
		fig("F5", 14370, 0, "reporter=Belgium", "scale=1e6"),
	)
	if got := rs.Check(obs); len(got) != 0 {
		t.Fatalf("unexpected: %s", got[0].Message)
	}
	obs[2].Value = 6100
	mid, half := ratio(6.80, 0.005, 6.1, 0.0005, 0)
	checkFindings(t, rs.Check(obs), []want{
		{rule: "part_le_whole", cells: []string{"C5", "F5"}, expected: 6.1, actual: 6.8, tol: 0.0055,
			message: "Flanders exports 2013 (C5) is 6.80, but must not exceed whole = 6.100 (Belgium exports 2013, F5); rounding allows ±0.0055"},
		{rule: "share_consistency", cells: []string{"D5", "C5", "F5"}, expected: mid, actual: 47.3, tol: 0.05 + half,
			message: "part / whole × 100 = 6.80 / 6.100 × 100 = 111.475 (C5, F5)"},
	})
}

func TestConditionAtoms(t *testing.T) {
	rs := mustLoad(t, `
version: 1
rules:
  - id: either
    match: {flow: exports}
    with:
      imports: {flow: imports}
    check: value > 0 && (value < 1 || imports < 1)
`)
	checkFindings(t, rs.Check(figs(fig("C5", 2, 0), fig("C9", 3, 0, "flow=imports"))), []want{{
		rule: "either", cells: []string{"C5", "C9"}, noValues: true,
		message: "Flanders exports 2013 (C5) is 2, but value < 1 or imports < 1 does not hold with imports = 3 (C9)",
	}})
}

func TestFindingOrder(t *testing.T) {
	rs := mustLoad(t, `
version: 1
rules:
  - id: second
    check: value < 0
  - id: first
    check: value < 10
`)
	obs := figs(
		fig("AA2", 11, 0), fig("B10", 11, 0, "period=2012"), fig("B9", 11, 0, "period=2011"),
		fig("A1", 11, 0, "sheet=Z", "period=2010"), fig("Z1", 11, 0, "file=a.xlsx"),
	)
	var got []string
	for _, f := range rs.Check(obs) {
		got = append(got, f.File+"/"+f.Sheet+"/"+f.Cells[0]+"/"+f.Rule)
	}
	want := []string{
		"a.xlsx/Table 1/Z1/second", "a.xlsx/Table 1/Z1/first",
		"news.xlsx/Table 1/AA2/second", "news.xlsx/Table 1/AA2/first",
		"news.xlsx/Table 1/B9/second", "news.xlsx/Table 1/B9/first",
		"news.xlsx/Table 1/B10/second", "news.xlsx/Table 1/B10/first",
		"news.xlsx/Z/A1/second", "news.xlsx/Z/A1/first",
	}
	if !slices.Equal(got, want) {
		t.Errorf("order\n got %q\nwant %q", got, want)
	}
}

// One RuleSet serves many goroutines (run with -race).
func TestCheckConcurrent(t *testing.T) {
	rs := mustDefault(t)
	obs := benchObservations(3, 2, 3)
	obs[10].Value += 5
	want := rs.Check(obs)
	if len(want) == 0 {
		t.Fatal("no findings to compare")
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			got := rs.Check(obs)
			if len(got) != len(want) || got[0].Message != want[0].Message {
				t.Errorf("concurrent Check differs")
			}
		})
	}
	wg.Wait()
}

func TestMessages(t *testing.T) {
	tests := []struct {
		check string
		want  string
	}{
		{"0 <= value", "Flanders exports 2013 (C5) is -0.5, but must be at least 0; rounding allows ±0.05"},
		{"imports - value == 0.5", "Flanders exports 2013 (C5): imports − value = 1.2 − (-0.5) = 1.7 (C9, C5), but must equal 0.5; rounding allows ±0.1"},
		{"imports == value", "Flanders exports 2013 (C5) is -0.5, but imports = 1.2 (Flanders imports 2013, C9); rounding allows ±0.1"},
		{"value == imports * 2", "Flanders exports 2013 (C5) is -0.5, but imports × 2 = 1.2 × 2 = 2.4 (C9); rounding allows ±0.15"},
	}
	for _, tt := range tests {
		t.Run(tt.check, func(t *testing.T) {
			rs := mustLoad(t, "version: 1\nrules:\n  - id: m\n    match: {flow: exports}\n    with:\n      imports: {flow: imports}\n    check: "+tt.check+"\n")
			got := rs.Check(figs(fig("C5", -0.5, 1), fig("C9", 1.2, 1, "flow=imports")))
			if len(got) != 1 {
				t.Fatalf("%d findings, want 1", len(got))
			}
			if got[0].Message != tt.want {
				t.Errorf("message\n got %q\nwant %q", got[0].Message, tt.want)
			}
		})
	}
}
