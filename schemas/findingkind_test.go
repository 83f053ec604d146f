package schemas

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var updateFindings = flag.Bool("update-findings", false, "rewrite kinds_gen.go and ../docs/findings.md from findings.yaml")

// Generated from findings.yaml: the constants of the kinds the code raises,
// and the findings reference page.
const (
	kindsGoFile   = "kinds_gen.go"
	findingsPage  = "../docs/findings.md"
	generatedNote = "Code generated from findings.yaml by `go test ./schemas -run TestFindingsGenerated -update-findings`; DO NOT EDIT."
)

// TestFindingsGenerated fails when kinds_gen.go or docs/findings.md is not
// what findings.yaml generates; -update-findings rewrites them.
func TestFindingsGenerated(t *testing.T) {
	kinds := FindingKinds()
	goSrc, err := renderKindsGo(kinds)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		path string
		want []byte
	}{
		{kindsGoFile, goSrc},
		{findingsPage, renderFindingsPage(kinds)},
	} {
		if *updateFindings {
			if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(f.path, f.want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatalf("%v (generate it: go test ./schemas -run TestFindingsGenerated -update-findings)", err)
		}
		if !bytes.Equal(got, f.want) {
			t.Errorf("%s is stale: regenerate it with go test ./schemas -run TestFindingsGenerated -update-findings", f.path)
		}
	}
}

// renderKindsGo writes the constants of the kinds the code raises.
func renderKindsGo(kinds []FindingKind) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// %s\n\npackage schemas\n\n", generatedNote)
	b.WriteString("// Finding rule ids of the kinds tradeetl raises (see FindingKinds). The\n// rules of the built-in rules file have no constants: their ids are in\n// the rules file.\nconst (\n")
	for _, k := range kinds {
		if k.Const == "" {
			continue
		}
		fmt.Fprintf(&b, "\t// %s (%s, %s): %s\n", k.Const, k.Stage, k.Severity, k.Description)
		fmt.Fprintf(&b, "\t%s = %q\n", k.Const, k.ID)
	}
	b.WriteString(")\n")
	return format.Source(b.Bytes())
}

var stageTitles = []struct{ stage, title, intro string }{
	{StageExtract, "Reading a file", "Raised while a file is opened and decoded, before any table is read."},
	{StageTransform, "Reading a table", "Raised while the tables of a sheet are read: cells that cannot be read, and labels that were assumed rather than read. A table whose reporter or period cannot be found is not read; its finding says why."},
	{StageRules, "The built-in rules", "The consistency rules of the built-in rules file (`tradeetl rules --yaml` prints it). A rules file of your own replaces them and adds its own ids; the severity and scope are the built-in file's."},
	{StageRecord, "Record rules", "Every observation is checked against the record rules before the consistency rules."},
	{StageAudit, "The audit", "Error localization reads the failed rules together and names the cell most likely wrong. Its findings marked *verdict* name a cell as wrong on their own: report.html, the audit workbook and the summary of `tradeetl run` show them apart from the checks that failed."},
	{StageRun, "The run", "Raised by the run itself, beside the findings of each input."},
}

// renderFindingsPage writes the findings reference.
func renderFindingsPage(kinds []FindingKind) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<!-- %s -->\n\n", generatedNote)
	b.WriteString("# Findings reference\n\n")
	b.WriteString("Every finding tradeetl writes (report.json, `findings/*.parquet`, report.html,\n" +
		"the audit workbook, the summary of `tradeetl run`) has a `rule`: one of the\n" +
		"kinds below, or the id of a rule of your own rules file.\n\n" +
		"- **severity**: what the finding is raised with. Error findings make\n" +
		"  `tradeetl run` exit 1 (and, with `--fail-on`, keep a delivery from\n" +
		"  being published). A rules file may set a rule's severity; a suspect\n" +
		"  takes the highest severity of the failures it explains.\n" +
		"- **scope**: what one finding covers: a cell, a table, a file or the run.\n" +
		"- **verdict**: the audit's verdicts name a cell as wrong on their own;\n" +
		"  every other finding is a check that failed.\n" +
		"- **message**: the shape of the message, `{names}` standing for what varies.\n\n")
	for _, st := range stageTitles {
		fmt.Fprintf(&b, "## %s\n\n%s\n\n", st.title, st.intro)
		b.WriteString("| rule | severity | scope | verdict | description |\n|---|---|---|---|---|\n")
		var msgs []FindingKind
		for _, k := range kinds {
			if k.Stage != st.stage {
				continue
			}
			verdict := ""
			if k.Verdict {
				verdict = "yes"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", k.ID, k.Severity, k.Scope, verdict, strings.ReplaceAll(k.Description, "|", `\|`))
			if k.Message != "" {
				msgs = append(msgs, k)
			}
		}
		b.WriteString("\n")
		if len(msgs) > 0 {
			b.WriteString("Messages:\n\n")
			for _, k := range msgs {
				fmt.Fprintf(&b, "- `%s`: `%s`\n", k.ID, k.Message)
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("The registry is `schemas/findings.yaml`; this page and the constants of\n" +
		"package schemas are generated from it.\n")
	return b.Bytes()
}

// The summary, report.html and the audit workbook tell verdicts from
// failed checks by the registry.
func TestVerdict(t *testing.T) {
	for _, tt := range []struct {
		rule string
		want bool
	}{
		{RuleSuspect, true},
		{RuleScaleSlip, true},
		{RuleAuditLimit, false},
		{RuleRecord, false},
		{"balance", false},
		{"a_rule_of_my_own", false},
	} {
		f := Finding{Rule: tt.rule}
		if got := f.Verdict(); got != tt.want {
			t.Errorf("%s: Verdict() = %v, want %v", tt.rule, got, tt.want)
		}
	}
}

func TestLookupFindingKind(t *testing.T) {
	k, ok := LookupFindingKind(RuleNoUnit)
	if !ok || k.Severity != SeverityWarning || k.Stage != StageTransform || k.Const != "RuleNoUnit" {
		t.Errorf("LookupFindingKind(%q) = %+v, %v", RuleNoUnit, k, ok)
	}
	if _, ok := LookupFindingKind("a_rule_of_my_own"); ok {
		t.Error("a user's rule id is registered")
	}
}

// The loader refuses a registry that is not complete and consistent.
func TestLoadFindingKindsStrict(t *testing.T) {
	const good = "  - id: no_unit\n    stage: transform\n    severity: warning\n    scope: table\n    description: No unit.\n    go: RuleNoUnit\n"
	for _, tt := range []struct {
		name, yaml, want string
	}{
		{"good", "version: 1\nkinds:\n" + good, ""},
		{"version", "version: 2\nkinds:\n" + good, "want version: 1"},
		{"no kinds", "version: 1\n", "no kinds"},
		{"unknown field", "version: 1\nkinds:\n" + good + "    colour: red\n", "colour"},
		{"duplicate", "version: 1\nkinds:\n" + good + good, "duplicate id"},
		{"severity", "version: 1\nkinds:\n" + strings.Replace(good, "warning", "fatal", 1), `severity "fatal"`},
		{"scope", "version: 1\nkinds:\n" + strings.Replace(good, "scope: table", "scope: sheet", 1), `scope "sheet"`},
		{"stage", "version: 1\nkinds:\n" + strings.Replace(good, "transform", "load", 1), `stage "load"`},
		{"id", "version: 1\nkinds:\n" + strings.Replace(good, "no_unit", "No Unit", 1), "id: want lower case"},
		{"description", "version: 1\nkinds:\n" + strings.Replace(good, "    description: No unit.\n", "", 1), "description: want one line"},
		{"no constant", "version: 1\nkinds:\n" + strings.Replace(good, "    go: RuleNoUnit\n", "", 1), "want the name of its constant"},
		{"rule with constant", "version: 1\nkinds:\n" + strings.Replace(good, "transform", "rules", 1), "a built-in rule has no constant"},
		{"verdict", "version: 1\nkinds:\n" + good + "    verdict: true\n", "only the audit gives verdicts"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadFindingKinds([]byte(tt.yaml))
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestTally(t *testing.T) {
	rep := &Report{
		Inputs: []InputReport{
			{Status: StatusLoaded, Observations: 10}, {Status: StatusLoaded, Observations: 5},
			{Status: StatusSkipped}, {Status: StatusFailed}, {Status: StatusQuarantined, Observations: 3},
		},
		Findings: []Finding{
			{Rule: "balance", Severity: SeverityError},
			{Rule: RuleSuspect, Severity: SeverityError, SuspectCell: "B6"},
			{Rule: RuleSuspect, Severity: SeverityWarning, Candidates: []string{"B6", "B7"}},
			{Rule: RuleScaleSlip, Severity: SeverityError, SuspectCell: "C9"},
			{Rule: RuleNoUnit, Severity: SeverityWarning},
		},
	}
	want := Tally{Inputs: 5, Loaded: 2, Skipped: 1, Failed: 1, Quarantined: 1, Observations: 18, Findings: 5, Errors: 3, Warnings: 2, Suspects: 2}
	got := rep.Tally()
	if got != want {
		t.Errorf("Tally() = %+v, want %+v", got, want)
	}
	for _, st := range Statuses {
		if got.Status(st) == 0 {
			t.Errorf("Status(%s) = 0", st)
		}
	}
	if got.Status("unknown") != 0 {
		t.Error("Status of an unknown status is not 0")
	}
}

// The doc of the findings' rule column names registered kinds only.
func TestRuleColumnDocNamesRegisteredKinds(t *testing.T) {
	i := slices.IndexFunc(FindingColumns, func(c Column) bool { return c.Name == "rule" })
	if i < 0 {
		t.Fatal("findings have no rule column")
	}
	doc := FindingColumns[i].Doc
	ids := regexp.MustCompile(`\b[a-z]+(?:_[a-z0-9]+)+\b|\b(?:balance|suspect|record)\b`).FindAllString(doc, -1)
	if len(ids) < 10 {
		t.Fatalf("the rule column's doc names %d kinds: %q", len(ids), doc)
	}
	for _, id := range ids {
		if _, ok := LookupFindingKind(id); !ok {
			t.Errorf("the rule column's doc names %q, which is not a registered finding kind", id)
		}
	}
}
