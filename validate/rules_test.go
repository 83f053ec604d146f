package validate

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// expectedErrors pairs every bad rules file in testdata with the messages
// loading it must give: the file, the line, the rule and what is wrong.
var expectedErrors = []struct {
	filename string
	errMsgs  []string
}{
	{"unknown_rule_field.bad.yaml", []string{`unknown_rule_field.bad.yaml:5: rule "balance": unknown field "chek" (valid: id, description, severity, scope, match, where, as, with, check)`}},
	{"duplicate_id.bad.yaml", []string{`duplicate_id.bad.yaml:6: rule "positive": duplicate id (first at line 3)`}},
	{"missing_id.bad.yaml", []string{`missing_id.bad.yaml:5: rule #2: missing id`}},
	{"missing_check.bad.yaml", []string{`missing_check.bad.yaml:3: rule "nothing_to_check": missing check`}},
	{"unknown_severity.bad.yaml", []string{`unknown_severity.bad.yaml:4: rule "loud": unknown severity "fatal" (want error or warning)`}},
	{"unknown_scope.bad.yaml", []string{`unknown_scope.bad.yaml:4: rule "sheetwide": unknown scope "sheet" (want table, file or run)`}},
	{"match_unknown_field.bad.yaml", []string{`match_unknown_field.bad.yaml:5: rule "typo": match: unknown field flw (valid: file, file_sha256, sheet, cell, table, label, reporter, reporter_code, reporter_parent, partner, partner_code, flow, product,`}},
	{"match_float_field.bad.yaml", []string{`match_float_field.bad.yaml:4: rule "by_value": match: unknown field value (valid: `}},
	{"with_unknown_field.bad.yaml", []string{`with_unknown_field.bad.yaml:7: rule "balance": with exports: unknown field flw (valid: reporter, partner, flow, product, measure, period, currency)`}},
	{"bad_grouping.bad.yaml", []string{`bad_grouping.bad.yaml:6: rule "last_year": with prev: bad grouping: year is not a key field; with may change only reporter, partner, flow, product, measure, period, currency`}},
	{"unknown_ref.bad.yaml", []string{`unknown_ref.bad.yaml:6: rule "parent": with whole: reporter: unknown field $parent (valid: $file,`, `$reporter_parent,`}},
	{"two_stars.bad.yaml", []string{`two_stars.bad.yaml:6: rule "everything": with parts: only one field may be "*"`}},
	{"check_syntax.bad.yaml", []string{`check_syntax.bad.yaml:9: rule "balance": check: unexpected token EOF (1:20)`, "\n | deficit == imports -\n | ...................^"}},
	{"undefined_name.bad.yaml", []string{`undefined_name.bad.yaml:9: rule "balance": check: unknown name exprts (known: deficit, exports, imports) (1:22)`, "\n | .....................^"}},
	{"check_not_condition.bad.yaml", []string{`check_not_condition.bad.yaml:8: rule "balance": check: a check must be a condition (a comparison such as a == b), not a number`}},
	{"check_string.bad.yaml", []string{`check_string.bad.yaml:4: rule "strings": check: a string is not allowed in a check`}},
	{"check_power.bad.yaml", []string{`check_power.bad.yaml:4: rule "squares": check: operator ** is not supported in a check`}},
	{"where_unknown_field.bad.yaml", []string{`where_unknown_field.bad.yaml:5: rule "flanders_only": where: unknown name reportr (1:1)`, "\n | reportr == \"Flanders\"\n | ^"}},
	{"where_not_bool.bad.yaml", []string{`where_not_bool.bad.yaml:4: rule "flanders_only": where: expected bool, but got string`}},
	{"as_collision.bad.yaml", []string{`as_collision.bad.yaml:7: rule "balance": with exports: the name collides with as: exports`}},
	{"second_document.bad.yaml", []string{`second_document.bad.yaml:6: a second YAML document; a rules file holds one`}},
	{"yaml_syntax.bad.yaml", []string{`yaml_syntax.bad.yaml:4: [4:36] ',' or ']' must be specified`, ">  4 |     match: {flow: [exports, imports}"}},
	{"version.bad.yaml", []string{`version.bad.yaml:1: unsupported version 2; want 1`}},
	{"no_rules.bad.yaml", []string{`no_rules.bad.yaml:1: no rules`}},
	{"top_unknown_field.bad.yaml", []string{`top_unknown_field.bad.yaml:2: unknown field "rule" (valid: version, rules)`}},
	{"several_errors.bad.yaml", []string{
		"several_errors.bad.yaml:4: rule \"first\": unknown severity \"high\" (want error or warning)\n" +
			"testdata/several_errors.bad.yaml:7: rule \"second\": unknown scope \"galaxy\" (want table, file or run)",
	}},
}

func TestBadRulesFiles(t *testing.T) {
	for _, ee := range expectedErrors {
		t.Run(ee.filename, func(t *testing.T) {
			_, err := LoadRulesFile(filepath.Join("testdata", ee.filename))
			if err == nil {
				t.Fatal("loaded without error")
			}
			for _, msg := range ee.errMsgs {
				if !strings.Contains(err.Error(), msg) {
					t.Errorf("error\n%v\nwant it to contain\n%s", err, msg)
				}
			}
			if !strings.HasPrefix(err.Error(), filepath.Join("testdata", ee.filename)+":") {
				t.Errorf("error %q does not start with the file name", err)
			}
		})
	}
	// Every bad file in testdata has its expected error.
	files, _ := filepath.Glob("testdata/*.bad.yaml")
	for _, f := range files {
		if !slices.ContainsFunc(expectedErrors, func(e struct {
			filename string
			errMsgs  []string
		}) bool {
			return e.filename == filepath.Base(f)
		}) {
			t.Errorf("%s has no entry in expectedErrors", f)
		}
	}
}

func TestGoodRulesFiles(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.good.yaml")
	files = append(files, "rules.yaml")
	for _, f := range files {
		if _, err := LoadRulesFile(f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestLoadRules(t *testing.T) {
	src := `version: 1
rules:
  # comment
  - id: one
    check: value >= 0

  - id: two
    description: >
      Two lines
      of description.
    severity: warning
    scope: run
    as: x
    check: x <= 100
`
	rs, err := LoadRules("custom.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(src))
	if rs.Name != "custom.yaml" || rs.Version != hex.EncodeToString(sum[:])[:12] || len(rs.Version) != 12 {
		t.Errorf("name %q version %q", rs.Name, rs.Version)
	}
	if len(rs.Rules) != 2 {
		t.Fatalf("%d rules, want 2", len(rs.Rules))
	}
	one, two := rs.Rules[0], rs.Rules[1]
	if one.ID != "one" || one.Line != 4 || one.Severity != "error" || one.Scope != ScopeTable || one.Check != "value >= 0" {
		t.Errorf("rule one: %+v", one)
	}
	if two.ID != "two" || two.Line != 7 || two.Severity != "warning" || two.Scope != ScopeRun || two.Description != "Two lines of description." {
		t.Errorf("rule two: %+v", two)
	}
}

func TestDefaultRulesFile(t *testing.T) {
	rs := mustDefault(t)
	if rs.Name != "default rules" || len(rs.Version) != 12 {
		t.Errorf("name %q version %q", rs.Name, rs.Version)
	}
	for _, r := range rs.Rules {
		if r.Description == "" || r.Line == 0 {
			t.Errorf("rule %s: no description or line", r.ID)
		}
	}
	data, err := os.ReadFile("rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if string(DefaultRulesYAML()) != string(data) {
		t.Error("DefaultRulesYAML differs from rules.yaml")
	}
	again, _ := DefaultRules()
	if again != rs {
		t.Error("DefaultRules parses the embedded file more than once")
	}
}

func FuzzLoadRules(f *testing.F) {
	f.Add(DefaultRulesYAML())
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("version: 1\nrules:\n  - id: x\n    with: {a: {product: \"*\"}}\n    check: value == a / (a - a) && abs(-a) >= min(a, 1) ? 1 : 2\n"))
	// The pathological files of TestHostileRulesFiles (those small enough
	// for the fuzzer to mutate), and where conditions that fail at run
	// time.
	for _, h := range hostileRules {
		if len(h.yaml) <= 64<<10 {
			f.Add([]byte(h.yaml))
		}
	}
	f.Add([]byte(rule("where: int(reporter) > 0")))
	f.Add([]byte(rule("where: year % (year - year) == 0")))
	f.Add([]byte(rule(`where: reporter matches "^(F|W)" and len(trim(partner)) > 0`)))
	obs := figs(
		fig("C5", 6.80, 2), fig("C9", 11.28, 2, "flow=imports"), fig("C13", 4.48, 2, "flow=deficit"),
		fig("D5", 47.3, 1, "measure=share"), fig("E5", 0, 0, "product=A", "missing=n.a."),
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := LoadRules("fuzz.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml:") {
				t.Errorf("error without file name: %v", err)
			}
			return
		}
		rs.Check(obs) // must not panic either
	})
}
