package validate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The rules file examples of the README load, and do what they say.
func TestREADMERulesExample(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	s = s[strings.Index(s, "## Rules"):]
	start := strings.Index(s, "```yaml\n")
	if start < 0 {
		t.Fatal("README's Rules section has no yaml example")
	}
	src := s[start+len("```yaml\n"):]
	src = src[:strings.Index(src, "```")]
	rs, err := LoadRules("README.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]*Rule{}
	for _, r := range rs.Rules {
		ids[r.ID] = r
	}
	for _, id := range []string{"balance", "china_import_share", "large_swing", "flanders_dominates_exports"} {
		if ids[id] == nil {
			t.Errorf("README example lacks rule %s", id)
		}
	}
	if r := ids["large_swing"]; r == nil || r.Severity != "warning" {
		t.Error("README's warning-level example is not a warning")
	}
	// China above a quarter of Flanders' imports from the world, in
	// another file: the custom rule fires.
	obs := figs(
		fig("C9", 11.3, 1, "flow=imports", "file=china.xlsx"),
		fig("D12", 40.0, 1, "flow=imports", "partner=World", "file=world.xlsx"),
		// Flanders exports 6.80 of Belgium's 7.41: above 80%, fine;
		fig("E5", 6.80, 2), fig("E4", 7.41, 2, "reporter=Belgium"),
		// Wallonia's small share is no finding: the rule is Flanders' only.
		fig("E6", 0.61, 2, "reporter=Wallonia"),
		// Flanders imports growth of 60%: a warning.
		fig("F9", 60.0, 1, "flow=imports", "measure=growth", "base=2012"),
	)
	var got []string
	for _, f := range rs.Check(obs) {
		got = append(got, f.Rule+"@"+f.Cells[0]+":"+string(f.Severity))
	}
	want := []string{"china_import_share@C9:error", "large_swing@F9:warning"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("findings %v, want %v", got, want)
	}
}
