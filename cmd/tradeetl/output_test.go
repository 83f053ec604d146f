package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/bench/longtable"
	"github.com/tradeetl/tradeetl/schemas"
)

func TestSafe(t *testing.T) {
	for _, tc := range []struct{ in, want, lines string }{
		{"Flanders", "Flanders", "Flanders"},
		{"Côte d'Ivoire — 中国", "Côte d'Ivoire — 中国", "Côte d'Ivoire — 中国"},
		{"\x1b[2J\x1b[31mANSI\x1b]0;PWNED\a", `\x1b[2J\x1b[31mANSI\x1b]0;PWNED\x07`, `\x1b[2J\x1b[31mANSI\x1b]0;PWNED\x07`},
		{"line1\nlevel=ERROR msg=forged", `line1\nlevel=ERROR msg=forged`, "line1\nlevel=ERROR msg=forged"},
		{"tab\there\r", `tab\there\r`, `tab\there\r`},
		{"csi \u009b31m and del \x7f", `csi \u009b31m and del \x7f`, `csi \u009b31m and del \x7f`},
		{"bidi \u202egnp.exe", `bidi \u202egnp.exe`, `bidi \u202egnp.exe`},
		{"bad \xff\xfe utf8", `bad \xff\xfe utf8`, `bad \xff\xfe utf8`},
	} {
		if got := safe(tc.in); got != tc.want {
			t.Errorf("safe(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := safeLines(tc.in); got != tc.lines {
			t.Errorf("safeLines(%q) = %q, want %q", tc.in, got, tc.lines)
		}
	}
}

// payloads are labels and file names built to take over a terminal.
const (
	ansiPayload = "\x1b[2J\x1b[31mANSI\x1b]0;PWNED\a"
	linePayload = "line1\nlevel=ERROR msg=forged"
)

// writePayloadCSV writes a long table whose product labels carry escape
// sequences and a newline, with typing slips planted so that findings
// quote them, under a file name with escape sequences.
func writePayloadCSV(t *testing.T, dir string) string {
	t.Helper()
	name := filepath.Join(dir, "esc-\x1b[31mRED\x1b]0;PWNED\a.csv")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.Write(longtable.Header)
	longtable.Generate(2*longtable.BlockRows, 8, func(r longtable.Row) bool {
		switch r.Code {
		case "01", "02", "03", "04", "05", "06":
			r.Label = ansiPayload + " " + r.Code
		case "07", "08", "09", "10", "11", "12":
			r.Label = linePayload + " " + r.Code
		}
		w.Write(r.Strings())
		return true
	})
	w.Flush()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return name
}

// No escape sequence, bell or forged line reaches the terminal from a
// label or a file name, in run and validate, in summaries and in --quiet.
func TestEscapeSequencesNeverPrinted(t *testing.T) {
	dir := t.TempDir()
	in := writePayloadCSV(t, dir)
	forged := regexp.MustCompile(`(?m)^level=ERROR`)
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"validate", []string{"validate", in}, 1},
		{"run", []string{"run", "--no-progress", "--out", filepath.Join(dir, "out"), in}, 1},
		{"inspect", []string{"inspect", in}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := execute(context.Background(), tc.args, &stdout, &stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s\n%s", code, tc.code, stdout.String(), stderr.String())
			}
			out := stdout.String()
			if tc.name != "inspect" && !strings.Contains(out, `esc-\x1b[31mRED\x1b]0;PWNED\x07.csv`) {
				t.Errorf("the file name is not shown escaped:\n%s", out)
			}
			if tc.name == "validate" && !strings.Contains(out, `\x1b[2J\x1b[31mANSI`) && !strings.Contains(out, `line1\nlevel=ERROR`) {
				t.Errorf("no finding quotes a label, escaped:\n%s", out)
			}
			for _, bad := range []string{"\x1b", "\a", "\u009b"} {
				if strings.Contains(out, bad) {
					t.Errorf("stdout holds %q:\n%s", bad, out)
				}
			}
			if forged.MatchString(out) {
				t.Errorf("a label's newline forged a line:\n%s", out)
			}
		})
	}
}

// reportWith makes a report of groups files, each with verdicts suspects
// and rules findings.
func reportWith(groups, verdicts, rules int) *schemas.Report {
	rep := &schemas.Report{RunID: "r"}
	for g := range groups {
		file := fmt.Sprintf("in/file-%03d.xlsx", g)
		rep.Inputs = append(rep.Inputs, schemas.InputReport{Path: file, Status: schemas.StatusLoaded, Observations: 10})
		for i := range verdicts {
			cell := fmt.Sprintf("B%d", i+2)
			rep.Findings = append(rep.Findings, schemas.Finding{Rule: schemas.RuleSuspect, Severity: schemas.SeverityError, File: file, Sheet: "S",
				Cells: []string{cell}, SuspectCell: cell, Message: "suspect " + cell})
		}
		for i := range rules {
			cell := fmt.Sprintf("B%d", i%max(verdicts, 1)+2)
			rep.Findings = append(rep.Findings, schemas.Finding{Rule: "balance", Severity: schemas.SeverityError, File: file, Sheet: "S",
				Cells: []string{fmt.Sprintf("C%d", i+2), cell}, SuspectCell: cell, Message: "balance"})
		}
	}
	return rep
}

// The summary draws a bounded number of rows, whatever the findings, and
// says how many more there are and where they all are.
func TestSummaryCaps(t *testing.T) {
	for _, tc := range []struct {
		name                      string
		groups, verdicts, rules   int
		want                      []string
		maxLines                  int
		everyFinding, outputsLast bool
	}{
		{name: "small", groups: 1, verdicts: 3, rules: 5, maxLines: 30},
		{name: "one long table", groups: 1, verdicts: 5000, rules: 100_000, maxLines: 80,
			want: []string{"  … and 4980 more suspects\n", "  … and 99980 more findings\n"}, everyFinding: true},
		{name: "many files", groups: 300, verdicts: 1, rules: 2, maxLines: 300,
			want: []string{"\n… and 825 more findings in 275 more files and sheets\n"}, everyFinding: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := reportWith(tc.groups, tc.verdicts, tc.rules)
			var b bytes.Buffer
			printSummary(&b, rep, "out", false)
			out := b.String()
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("no %q in\n%s", w, out)
				}
			}
			if n := strings.Count(out, "\n"); n > tc.maxLines {
				t.Errorf("%d lines, want at most %d", n, tc.maxLines)
			}
			if got := strings.Contains(out, "every finding: out/report.html (for people), out/report.json\n"); got != tc.everyFinding {
				t.Errorf("says where every finding is: %v, want %v\n%s", got, tc.everyFinding, out)
			}
		})
	}
}

// explainsNaive is the summary's former explanation: a pass over every
// finding per verdict.
func explainsNaive(all []schemas.Finding, v *schemas.Finding) string {
	if v.Rule == schemas.RuleScaleSlip {
		return "1000 times off its series (" + strings.Join(v.Cells[1:], ",") + ")"
	}
	var ids []string
	at := map[string][]string{}
	for i := range all {
		f := &all[i]
		if f.Verdict() || f.File != v.File || f.Sheet != v.Sheet || len(f.Cells) == 0 {
			continue
		}
		hit := v.SuspectCell != "" && f.SuspectCell == v.SuspectCell && slices.Contains(f.Cells, v.SuspectCell)
		if v.SuspectCell == "" {
			for _, c := range f.Candidates {
				hit = hit || slices.Contains(v.Candidates, c)
			}
		}
		if !hit {
			continue
		}
		if _, ok := at[f.Rule]; !ok {
			ids = append(ids, f.Rule)
		}
		at[f.Rule] = append(at[f.Rule], f.Cells[0])
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = id + " " + strings.Join(at[id], " ")
	}
	return strings.Join(parts, ", ")
}

// The indexed explanation says what the pass over every finding said, on
// the audit of the planted errors (suspects, candidates, scale slips).
func TestExplainerMatchesNaive(t *testing.T) {
	var stdout, stderr bytes.Buffer
	dir := t.TempDir()
	code := execute(context.Background(), []string{"validate", "--format", "json", filepath.Join("..", "..", "fixtures"), writePayloadCSV(t, dir)}, &stdout, &stderr)
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	rep := decodeReport(t, stdout.Bytes())
	ex := newExplainer(rep.Findings)
	n := 0
	for i := range rep.Findings {
		v := &rep.Findings[i]
		if !v.Verdict() {
			continue
		}
		n++
		if got, want := ex.explains(v), explainsNaive(rep.Findings, v); got != want {
			t.Errorf("%s %s: explains %q, want %q", v.File, v.SuspectCell, got, want)
		}
	}
	if n < 5 {
		t.Errorf("only %d verdicts to compare", n)
	}
}

// --quiet prints nothing for a run with findings only, and the failed
// inputs alone when one fails.
func TestQuiet(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	data := readFileT(t, filepath.Join("..", "..", "fixtures", "newsletter-2013-errors.xlsx"))
	if err := os.WriteFile(filepath.Join(in, "errors.xlsx"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	run := func() (int, string) {
		var stdout, stderr bytes.Buffer
		code := execute(context.Background(), []string{"run", "--quiet", "--no-progress", "--out", filepath.Join(dir, "out"), in}, &stdout, &stderr)
		return code, stdout.String()
	}
	if code, out := run(); code != 1 || out != "" {
		t.Errorf("findings only: exit %d, stdout %q; want 1 and nothing", code, out)
	}
	if err := os.WriteFile(filepath.Join(in, "broken.xlsx"), []byte("not a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := run()
	if code != 3 || !strings.HasPrefix(out, "FAILED "+filepath.Join(in, "broken.xlsx")+": ") || strings.Count(out, "\n") != 1 {
		t.Errorf("a failed input: exit %d, stdout %q; want 3 and its FAILED line alone", code, out)
	}
}

func decodeReport(t *testing.T, b []byte) *schemas.Report {
	t.Helper()
	var rep schemas.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	return &rep
}

// BenchmarkSummary prints the summary of a run with 100k findings (5,000
// verdicts) in one file: linear in findings since the explanations are
// looked up (a pass over every finding per verdict took 52 s).
//
//	go test ./cmd/tradeetl -run '^$' -bench Summary -count 5
func BenchmarkSummary(b *testing.B) {
	rep := reportWith(1, 5000, 100_000)
	var out bytes.Buffer
	for b.Loop() {
		out.Reset()
		printSummary(&out, rep, "out", false)
	}
	b.ReportMetric(float64(len(rep.Findings)), "findings")
}
