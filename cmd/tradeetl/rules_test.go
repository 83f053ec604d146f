package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tradeetl/tradeetl/schemas"
)

// A hostile rules file (red-team rows 94, 95, 101–103) is an error with its
// file and line, exit 2, within a second, for every command that reads
// one; before, a nested repeat was a fatal out-of-memory error and 3
// million brackets a stack overflow, both with a goroutine dump.
func TestRulesFileHostile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture := filepath.Join("..", "..", "fixtures", "newsletter-2013.xlsx")
	head := "version: 1\nrules:\n  - id: x\n"
	for _, tt := range []struct {
		name, body string
		line       int
		msg        string
	}{
		{"nested repeat", "    where: len(repeat(repeat(reporter, 100000), 100000)) > 0\n    check: value >= 0\n", 4, `rule "x": where: where may call only len, lower`},
		{"3M parentheses in where", "    where: " + strings.Repeat("(", 3_000_000) + "true" + strings.Repeat(")", 3_000_000) + "\n    check: value >= 0\n", 1, "a rules file may hold at most 1048576"},
		{"300k parentheses in check", "    check: " + strings.Repeat("(", 300_000) + "value" + strings.Repeat(")", 300_000) + " >= 0\n", 4, `rule "x": check: the expression is 600010 bytes long; at most 8192`},
		{"deep brackets in where", "    where: " + strings.Repeat("(", 40) + "true" + strings.Repeat(")", 40) + "\n    check: value >= 0\n", 4, `where: brackets nested more than 32 deep`},
		{"1M-deep YAML flow sequence", "    match: {flow: " + strings.Repeat("[", 1_000_000) + "\n    check: value >= 0\n", 4, "brackets [ { nested more than 64 deep"},
		{"split in where", "    where: split(reporter, \"x\")[5] != \"zz\"\n    check: value >= 0\n", 4, "not allowed in where"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rules := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".yaml")
			if err := os.WriteFile(rules, []byte(head+tt.body), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{
				{"validate", "--rules", rules, fixture},
				{"rules", "--rules", rules},
				{"run", "--rules", rules, "--out", filepath.Join(dir, "out"), fixture},
			} {
				start := time.Now()
				code, _, stderr := runTool(t, args...)
				took := time.Since(start)
				want := "tradeetl: " + rules + ":" + itoa(tt.line) + ": "
				if code != 2 || !strings.HasPrefix(stderr, want) || !strings.Contains(stderr, tt.msg) || strings.Contains(stderr, "goroutine") {
					t.Errorf("%s: exit %d, stderr:\n%.500s\nwant exit 2, %q, %q", args[0], code, stderr, want, tt.msg)
				}
				if took > 5*time.Second {
					t.Errorf("%s took %v", args[0], took)
				}
			}
		})
	}
}

// A where that fails at run time is a finding, never silence (red-team
// row 103: 0 findings, exit 0).
func TestWhereFailsAtRunTime(t *testing.T) {
	t.Parallel()
	rules := filepath.Join(t.TempDir(), "rules.yaml")
	src := "version: 1\nrules:\n  - id: numeric_reporter\n    where: int(reporter) > 0\n    check: value < 0\n"
	if err := os.WriteFile(rules, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runTool(t, "validate", "--format", "json", "--rules", rules, filepath.Join("..", "..", "fixtures", "newsletter-2013.xlsx"))
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, stderr)
	}
	var rep schemas.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range rep.Findings {
		if f.Rule == "numeric_reporter" {
			n++
			if !strings.Contains(f.Message, "where int(reporter) > 0 could not be evaluated (invalid operation: int(") || !strings.Contains(f.Message, "fix the condition at "+rules+":4") {
				t.Errorf("finding %s", f.Message)
			}
		}
	}
	if n == 0 {
		t.Errorf("no finding of the failing where:\n%s", stdout)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
