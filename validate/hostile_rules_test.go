package validate

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// hostileRules are rules files that crashed the process or ran for
// minutes before (red-team rows 94, 95, 101, 102): each now loads in
// well under a second into an error that names its line.
var hostileRules = []struct {
	name string
	yaml string
	line int
	msg  string
}{
	{"nested repeat in where", rule(`where: len(repeat(repeat(reporter, 100000), 100000)) > 0`), 4, "where may call only len, lower"},
	{"repeat in where", rule(`where: repeat(reporter, 100000000) != ""`), 4, "where may call only"},
	{"split index in where", rule(`where: split(reporter, "x")[5] != "zz"`), 4, "not allowed in where"},
	{"range in where", rule(`where: "all(1..100000000, # > 0)"`), 4, "where may call only"},
	{"let in where", rule(`where: let a = reporter; a != ""`), 4, "is not allowed in where"},
	{"method call in where", rule(`where: period_start.AddDate(1000000, 0, 0).Year() > 0`), 4, "where may call only"},
	{"member access in where", rule(`where: reporter[8] == "x"`), 4, "member access is not allowed in where"},
	{"string concatenation in where", rule(`where: reporter + reporter + reporter != ""`), 4, "strings cannot be joined"},
	{"range operator in where", rule(`where: year in 1..100000000`), 4, "operator .. is not allowed in where"},
	{"3M parentheses in where", rule("where: " + strings.Repeat("(", 3_000_000) + "true" + strings.Repeat(")", 3_000_000)), 1, "the file is 6000"},
	{"300k parentheses in where", rule("where: " + strings.Repeat("(", 300_000) + "true" + strings.Repeat(")", 300_000)), 4, "the expression is 600004 bytes long"},
	{"4k parentheses in where", rule("where: " + strings.Repeat("(", 4000) + "true" + strings.Repeat(")", 4000)), 4, "brackets nested more than 32 deep"},
	{"4k parentheses in check", strings.Replace(rule(""), "check: value >= 0", "check: "+strings.Repeat("(", 4000)+"value"+strings.Repeat(")", 4000)+" >= 0", 1), 6, "brackets nested more than 32 deep"},
	{"unary minus chain in check", strings.Replace(rule(""), "check: value >= 0", "check: value >= "+strings.Repeat("- ", 4000)+"1", 1), 6, "maximum allowed nodes"},
	{"not chain in where", rule("where: " + strings.Repeat("not ", 2000) + "true"), 4, "maximum allowed nodes"},
	{"300 nots in where", rule("where: " + strings.Repeat("not ", 300) + "true"), 4, "more than 256 operations deep"},
	{"300 minus in check", strings.Replace(rule(""), "check: value >= 0", "check: value >= "+strings.Repeat("-", 300)+"1", 1), 6, "more than 256 operations deep"},
	{"long or chain in where", rule("where: " + strings.Repeat(`year == 1 or `, 600) + "true"), 4, "maximum allowed nodes"},
	{"many nodes in check", strings.Replace(rule(""), "check: value >= 0", "check: value >= "+strings.Repeat("1*", 3000)+"1", 1), 6, "maximum allowed nodes"},
	{"brackets in where", rule("where: reporter in " + strings.Repeat("[", 100) + `"x"` + strings.Repeat("]", 100)), 4, "brackets [ { nested more than 64 deep"},
	{"1M deep YAML flow sequence", strings.Replace(rule(""), "match: {flow: exports}", "match: {flow: "+strings.Repeat("[", 1_000_000), 1), 5, "brackets [ { nested more than 64 deep"},
	{"100k deep YAML flow sequence", strings.Replace(rule(""), "match: {flow: exports}", "match: {flow: "+strings.Repeat("[", 100_000), 1), 5, "brackets [ { nested more than 64 deep"},
	{"100k deep YAML flow mapping", strings.Replace(rule(""), "match: {flow: exports}", "match: "+strings.Repeat("{a: ", 100_000), 1), 5, "brackets [ { nested more than 64 deep"},
	{"closed deep YAML flow sequence", strings.Replace(rule(""), "match: {flow: exports}", "match: {flow: "+strings.Repeat("[", 50_000)+strings.Repeat("]", 50_000)+"}", 1), 5, "brackets [ { nested more than 64 deep"},
	{"compact block sequences", "version: 1\nrules:\n  - id: x\n    with:\n      a:\n        " + strings.Repeat("- ", 100_000) + "x\n    check: value >= 0\n", 6, "block collections opened on one line"},
	{"file over 1 MiB", rule("description: " + strings.Repeat("x", 1<<20)), 1, "may hold at most 1048576"},
}

// rule is a one-rule file whose line 4 is extra (or a blank line).
func rule(extra string) string {
	return "version: 1\nrules:\n  - id: x\n    " + extra + "\n    match: {flow: exports}\n    check: value >= 0\n"
}

func TestHostileRulesFiles(t *testing.T) {
	for _, tt := range hostileRules {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := LoadRules("hostile.yaml", []byte(tt.yaml))
			took := time.Since(start)
			if err == nil {
				t.Fatal("loaded without error")
			}
			want := fmt.Sprintf("hostile.yaml:%d: ", tt.line)
			if got := err.Error(); !strings.HasPrefix(got, want) || !strings.Contains(got, tt.msg) {
				t.Errorf("error\n%.400s\nwant it to start with %q and contain %q", got, want, tt.msg)
			}
			if took > 2*time.Second {
				t.Errorf("took %v to refuse", took)
			}
		})
	}
}

// The where conditions a rule needs still load and agree with the
// figures.
func TestWhereAllowed(t *testing.T) {
	obs := figs(fig("C5", 6.80, 2), fig("C6", 1.5, 1, "reporter=Wallonia"), fig("C7", 2, 0, "reporter=France", "partner=World"))
	tests := []struct {
		where string
		cells []string // anchors, with check value < 0 failing everywhere
	}{
		{`reporter in ["Flanders", "Wallonia"]`, []string{"C5", "C6"}},
		{`reporter not in ["Flanders", "Wallonia"]`, []string{"C7"}},
		{`len(reporter) > 7`, []string{"C5", "C6"}},
		{`lower(reporter) == "france"`, []string{"C7"}},
		{`upper(trim(partner)) == "WORLD"`, []string{"C7"}},
		{`reporter matches "^[FW]a?l"`, []string{"C5", "C6"}},
		{`reporter startsWith "Fr" or partner endsWith "ld"`, []string{"C7"}},
		{`reporter contains "ande"`, []string{"C5"}},
		{`not has_value`, nil},
		{`year % 2 == 1 and decimals >= 1`, []string{"C5", "C6"}},
		{`value * 2 > 3.5 ? true : false`, []string{"C5", "C7"}},
		{`indexOf(reporter, "a") == 1 && abs(value - 1.5) < 0.01`, []string{"C6"}},
		{`(reporter_parent ?? "") != ""`, []string{"C5", "C6"}},
	}
	for _, tt := range tests {
		t.Run(tt.where, func(t *testing.T) {
			src := "version: 1\nrules:\n  - id: neg\n    where: '" + strings.ReplaceAll(tt.where, "'", "''") + "'\n    check: value < 0\n"
			rs, err := LoadRules("ok.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			var cells []string
			for _, f := range rs.Check(obs) {
				cells = append(cells, f.Cells[0])
			}
			if fmt.Sprint(cells) != fmt.Sprint(tt.cells) {
				t.Errorf("findings at %v, want %v", cells, tt.cells)
			}
		})
	}
}

// A where that fails at run time is a finding at each figure it failed
// on, with the rule's id and severity, never silence (red-team row 103:
// 0 findings, exit 0).
func TestWhereRuntimeError(t *testing.T) {
	obs := figs(fig("C5", 6.80, 2), fig("C6", 1.5, 1, "reporter=Wallonia"), fig("C7", 2, 0, "reporter=-12"))
	tests := []struct {
		name, where, severity string
		cells                 []string
		msg                   string
	}{
		{"int of a word", `int(reporter) > 0`, "error", []string{"C5", "C6"}, `where int(reporter) > 0 could not be evaluated (invalid operation: int(`},
		{"modulo by zero", `year % (year - year) == 0`, "warning", []string{"C5", "C6", "C7"}, "integer divide by zero (1:6)), so rule pos was not checked on this figure; fix the condition at rt.yaml:5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "version: 1\nrules:\n  - id: pos\n    severity: " + tt.severity + "\n    where: " + tt.where + "\n    check: value < 0\n"
			rs, err := LoadRules("rt.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			fs := rs.Check(obs)
			for _, ev := range []bool{false, true} { // Check, and Audit through an evaluator
				if ev {
					e := rs.NewEvaluator(EvalOptions{Audit: true})
					e.Add(obs)
					fs = nil
					for _, f := range e.Finish() {
						if f.Rule == "pos" {
							fs = append(fs, f)
						}
					}
				}
				var cells []string
				for _, f := range fs {
					cells = append(cells, f.Cells[0])
					if f.Rule != "pos" || string(f.Severity) != tt.severity || !strings.Contains(f.Message, tt.msg) {
						t.Errorf("finding %+v, want rule pos, severity %s, message containing %q", f, tt.severity, tt.msg)
					}
				}
				if fmt.Sprint(cells) != fmt.Sprint(tt.cells) {
					t.Errorf("audit %v: findings at %v, want %v", ev, cells, tt.cells)
				}
			}
		})
	}
}

// A where that fails on figures a Collector kept (rules of scope run) is
// reported by the evaluator that takes them in.
func TestWhereRuntimeErrorCollected(t *testing.T) {
	rs, err := LoadRules("rt.yaml", []byte("version: 1\nrules:\n  - id: pos\n    scope: run\n    where: int(reporter) > 0\n    with: {w: {partner: World}}\n    check: value < w\n"))
	if err != nil {
		t.Fatal(err)
	}
	col := rs.NewCollector()
	col.Add(figs(fig("C5", 6.80, 2)))
	ev := rs.NewEvaluator(EvalOptions{})
	ev.AddCollected(col)
	fs := ev.Finish()
	if len(fs) != 1 || fs[0].Rule != "pos" || !strings.Contains(fs[0].Message, "could not be evaluated") {
		t.Fatalf("findings %+v, want one where failure", fs)
	}
}
