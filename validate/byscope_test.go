package validate

import (
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
)

func TestByScope(t *testing.T) {
	def, err := DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	mixed, err := LoadRules("mixed.yaml", []byte(`version: 1
rules:
  - id: non_negative
    match: {measure: level}
    check: value >= 0
  - id: china_share_of_imports
    scope: run
    match: {reporter: Flanders, partner: China, flow: imports, measure: level}
    as: china
    with:
      total: {partner: World}
    check: china <= 0.25 * total
`))
	if err != nil {
		t.Fatal(err)
	}
	onlyRun, err := LoadRulesFile("testdata/china.good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ids := func(rs *RuleSet) []string {
		if rs == nil {
			return nil
		}
		var out []string
		for _, r := range rs.Rules {
			out = append(out, r.ID)
		}
		return out
	}
	for _, tt := range []struct {
		name          string
		rs            *RuleSet
		perInput, run int // rules in each, -1 for nil
	}{
		{"nil", nil, -1, -1},
		{"built-in rules: all per input", def, len(def.Rules), -1},
		{"mixed", mixed, 1, 1},
		{"only run scope", onlyRun, -1, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in, run := tt.rs.ByScope()
			for _, part := range []struct {
				name string
				rs   *RuleSet
				want int
			}{{"per input", in, tt.perInput}, {"run", run, tt.run}} {
				switch {
				case part.want < 0 && part.rs != nil:
					t.Errorf("%s: %v, want nil", part.name, ids(part.rs))
				case part.want >= 0 && (part.rs == nil || len(part.rs.Rules) != part.want):
					t.Errorf("%s: %v, want %d rules", part.name, ids(part.rs), part.want)
				case part.rs != nil && (part.rs.Name != tt.rs.Name || part.rs.Version != tt.rs.Version):
					t.Errorf("%s: name/version %s %s, want %s %s", part.name, part.rs.Name, part.rs.Version, tt.rs.Name, tt.rs.Version)
				}
			}
			if tt.rs != nil && len(tt.rs.Rules) != max(tt.perInput, 0)+max(tt.run, 0) {
				t.Errorf("ByScope changed the rule set: %v", ids(tt.rs))
			}
		})
	}
	// The parts check what the whole checks, each its own figures.
	obs := []schemas.Observation{
		fig("C9", 11.3, 1, "flow=imports", "partner=China", "file=china.xlsx"),
		fig("D12", 40.0, 1, "flow=imports", "partner=World", "file=world.xlsx"),
		fig("B4", -1, 1, "file=china.xlsx"),
	}
	in, run := mixed.ByScope()
	got := append(in.Check(obs), run.Check(obs)...)
	want := mixed.Check(obs)
	if len(got) != len(want) || len(want) != 2 {
		t.Fatalf("parts found %d findings, the whole %d (want 2)", len(got), len(want))
	}
	rules := map[string]bool{}
	for _, f := range got {
		rules[f.Rule] = true
	}
	if !rules["non_negative"] || !rules["china_share_of_imports"] {
		t.Errorf("findings of the parts: %v", rules)
	}
}
