package auditxlsx_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/load/auditxlsx"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/transform"
	"github.com/tradeetl/tradeetl/validate"
)

const sheet = "Trade with China"

// audited copies the errors fixture into a temporary directory, audits it
// and writes its annotated copy; it returns the source and the copy.
func audited(t *testing.T) (src, dst string, findings []schemas.Finding) {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "newsletter-2013-errors.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	src = filepath.Join(dir, "newsletter-2013-errors.xlsx")
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	wb, err := extract.Open(src, extract.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	dict, _ := schemas.DefaultDictionary()
	var obs []schemas.Observation
	if _, err := transform.Workbook(context.Background(), wb, transform.Options{Dict: dict, File: src},
		func(o []schemas.Observation, _ []schemas.Finding) error { obs = append(obs, o...); return nil }); err != nil {
		t.Fatal(err)
	}
	rs, _ := validate.DefaultRules()
	findings = rs.Audit(obs)
	dst = filepath.Join(dir, "out", "audit", auditxlsx.FileName(src))
	res, err := auditxlsx.Write(context.Background(), dst, src, findings, auditxlsx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Marked < 10 {
		t.Errorf("%d cells marked", res.Marked)
	}
	return src, dst, findings
}

func fillOf(t *testing.T, f *excelize.File, cell string) (string, *excelize.Style) {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Fill.Color) == 0 || st.Fill.Pattern != 1 {
		return "", st
	}
	return strings.ToUpper(st.Fill.Color[0]), st
}

// Read back: suspects red, other operands orange, untouched cells
// unchanged, number formats kept, comments with rule, expected vs actual
// and suggested value, a Findings sheet linking to each cell; the source
// is byte for byte what it was.
func TestAnnotatedWorkbook(t *testing.T) {
	src, dst, findings := audited(t)
	before := sha256.Sum256(mustRead(t, filepath.Join("..", "..", "fixtures", "newsletter-2013-errors.xlsx")))
	if sha256.Sum256(mustRead(t, src)) != before {
		t.Fatal("the source was modified")
	}
	if filepath.Base(dst) != "newsletter-2013-errors.audit.xlsx" {
		t.Errorf("name %s", dst)
	}
	f, err := excelize.OpenFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	for _, c := range []string{"C13", "B8", "F8", "B6"} {
		if got, st := fillOf(t, f, c); got != auditxlsx.SuspectFill {
			t.Errorf("%s fill %q, want red %s", c, got, auditxlsx.SuspectFill)
		} else if st.CustomNumFmt == nil && st.NumFmt == 0 {
			t.Errorf("%s lost its number format", c)
		}
	}
	for _, c := range []string{"C5", "C9", "D13", "B12", "B9", "E8", "C8"} {
		if got, _ := fillOf(t, f, c); got != auditxlsx.OperandFill {
			t.Errorf("%s fill %q, want orange %s", c, got, auditxlsx.OperandFill)
		}
	}
	for _, c := range []string{"E5", "C12", "A5", "B3"} {
		if got, _ := fillOf(t, f, c); got != "" {
			t.Errorf("%s (not in a failed rule) filled %q", c, got)
		}
	}
	_, st := fillOf(t, f, "C13")
	if st.CustomNumFmt == nil || *st.CustomNumFmt != "0.00" {
		t.Errorf("C13 number format %v, want 0.00", st.CustomNumFmt)
	}
	if v, _ := f.GetCellValue(sheet, "C13"); v != "5.31" {
		t.Errorf("C13 shows %q, want the published 5.31", v)
	}

	comments, err := f.GetComments(sheet)
	if err != nil {
		t.Fatal(err)
	}
	text := map[string]string{}
	for _, c := range comments {
		s := c.Text
		for _, r := range c.Paragraph {
			s += r.Text
		}
		text[c.Cell] = s
		if c.Author != auditxlsx.Author {
			t.Errorf("%s: author %q", c.Cell, c.Author)
		}
	}
	for cell, want := range map[string][]string{
		"C13": {"looks wrong", "should be 5.13", "digits swapped", "balance at C13: expected 5.13, actual 5.31 (±0.015)"},
		"C5":  {"part of a failed rule", "balance at C13", "Suspect: C13, suggested value 5.13 (digits swapped)"},
		"B8":  {"should be 13.85", "digit mistyped", "part_le_whole at B9"},
	} {
		for _, w := range want {
			if !strings.Contains(text[cell], w) {
				t.Errorf("comment on %s\n%s\nwant it to contain %q", cell, text[cell], w)
			}
		}
	}
	if _, ok := text["E5"]; ok {
		t.Error("comment on an untouched cell")
	}

	rows, err := f.GetRows(auditxlsx.FindingsSheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(findings)+1 || rows[0][0] != "Severity" || rows[1][1] != schemas.RuleSuspect {
		t.Fatalf("Findings sheet: %d rows (want %d), first %v", len(rows), len(findings)+1, rows[:min(2, len(rows))])
	}
	linked := 0
	for i := 2; i <= len(rows); i++ {
		ok, target, err := f.GetCellHyperLink(auditxlsx.FindingsSheet, "C"+itoa(i))
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			linked++
			cell := strings.TrimPrefix(rows[i-1][2], sheet+"!")
			if target != "'"+sheet+"'!"+cell {
				t.Errorf("row %d links to %q, want '%s'!%s", i, target, sheet, cell)
			}
		}
	}
	if linked != len(findings) {
		t.Errorf("%d of %d findings linked", linked, len(findings))
	}
	// The source's sheets are all there, first.
	if got := f.GetSheetList(); !slices.Equal(got, []string{sheet, auditxlsx.FindingsSheet}) {
		t.Errorf("sheets %v", got)
	}
}

func TestFileName(t *testing.T) {
	for in, want := range map[string]string{
		"in/report.xlsx":   "report.audit.xlsx",
		"a.b/Q1 2013.XLSX": "Q1 2013.audit.xlsx",
		"macro.xlsm":       "macro.audit.xlsm",
	} {
		if got := auditxlsx.FileName(in); got != want {
			t.Errorf("FileName(%q) = %q, want %q", in, got, want)
		}
	}
}

// LibreOffice opens the annotated workbook cleanly: converting it to CSV
// (every sheet) gives the table with its published figures and the
// Findings sheet. CI installs LibreOffice (.ci/run); locally the test
// skips without it.
func TestLibreOfficeOpensIt(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("soffice not found; .ci/run installs libreoffice-calc-nogui")
		}
		t.Skip("soffice not found (apt-get install libreoffice-calc-nogui); CI runs this test")
	}
	_, dst, findings := audited(t)
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// All sheets, one CSV each (sheet parameter -1), UTF-8, comma.
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore",
		"-env:UserInstallation=file://"+filepath.Join(out, "profile"),
		"--convert-to", `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1`,
		"--outdir", out, dst)
	cmd.Env = append(os.Environ(), "HOME="+out)
	msg, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, msg)
	}
	base := strings.TrimSuffix(filepath.Base(dst), ".xlsx")
	table := readCSV(t, filepath.Join(out, base+"-"+sheet+".csv"), msg)
	if !slices.ContainsFunc(table, func(r []string) bool { return len(r) > 2 && r[0] == "Flanders deficit" && r[2] == "5.31" }) {
		t.Errorf("the table as LibreOffice reads it has no Flanders deficit 5.31: %v", table)
	}
	fs := readCSV(t, filepath.Join(out, base+"-"+auditxlsx.FindingsSheet+".csv"), msg)
	if len(fs) != len(findings)+1 || fs[0][0] != "Severity" {
		t.Fatalf("Findings as LibreOffice reads them: %d rows, want %d", len(fs), len(findings)+1)
	}
	if !slices.ContainsFunc(fs, func(r []string) bool {
		return r[1] == schemas.RuleSuspect && r[3] == "C13" && r[4] == "5.13" && r[5] == "digits swapped"
	}) {
		t.Errorf("no suspect C13 → 5.13 row in %v", fs)
	}
}

func readCSV(t *testing.T, path string, log []byte) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		entries, _ := os.ReadDir(filepath.Dir(path))
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("%v (directory holds %v; soffice said %s)", err, names, log)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func itoa(i int) string { return strconv.Itoa(i) }
