package validate

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The rules file example of docs/rules.md loads, and does what it says.
func TestDocsRulesExample(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "docs", "rules.md"))
	if err != nil {
		t.Fatalf("read the rules reference: %v", err)
	}
	s := string(b)
	i := strings.Index(s, "\n## Rules files\n")
	if i < 0 {
		t.Fatal(`docs/rules.md has no section "Rules files"`)
	}
	s = s[i:]
	start := strings.Index(s, "```yaml\n")
	if start < 0 {
		t.Fatal("docs/rules.md's Rules files section has no yaml example")
	}
	src := s[start+len("```yaml\n"):]
	src = src[:strings.Index(src, "```")]
	rs, err := LoadRules("docs/rules.md", []byte(src))
	if err != nil {
		t.Fatalf("the example of docs/rules.md does not load: %v", err)
	}
	ids := map[string]*Rule{}
	for _, r := range rs.Rules {
		ids[r.ID] = r
	}
	for _, id := range []string{"balance", "china_import_share", "large_swing", "flanders_dominates_exports"} {
		if ids[id] == nil {
			t.Errorf("the example of docs/rules.md lacks rule %s", id)
		}
	}
	if r := ids["large_swing"]; r == nil || r.Severity != "warning" {
		t.Error("the warning-level rule of docs/rules.md's example is not a warning")
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

// The table of built-in rules in docs/rules.md lists exactly the rules of
// rules.yaml, each with its severity.
func TestDocsBuiltinRules(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "docs", "rules.md"))
	if err != nil {
		t.Fatalf("read the rules reference: %v", err)
	}
	s := string(b)
	i := strings.Index(s, "\n## The built-in rules\n")
	if i < 0 {
		t.Fatal(`docs/rules.md has no section "The built-in rules"`)
	}
	s = s[i+1:]
	if j := strings.Index(s[1:], "\n## "); j >= 0 {
		s = s[:j+1]
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\|.*\\| (error|warning) \\|$")
	documented := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(s, -1) {
		documented[m[1]] = m[2]
	}
	rs, err := DefaultRules()
	if err != nil {
		t.Fatalf("load the built-in rules: %v", err)
	}
	builtin := map[string]bool{}
	for _, r := range rs.Rules {
		builtin[r.ID] = true
		sev, ok := documented[r.ID]
		switch {
		case !ok:
			t.Errorf("docs/rules.md: built-in rule %s is not in the table of built-in rules", r.ID)
		case sev != string(r.Severity):
			t.Errorf("docs/rules.md: built-in rule %s is documented as %s, rules.yaml says %s", r.ID, sev, r.Severity)
		}
	}
	for id := range documented {
		if !builtin[id] {
			t.Errorf("docs/rules.md: the table of built-in rules lists %s, which rules.yaml does not have", id)
		}
	}
}
