package auditxlsx_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/load/auditxlsx"
	"github.com/tradeetl/tradeetl/schemas"
)

// addEntries copies the zip in src to dst with extra entries appended,
// stored under their names as given (no normalisation).
func addEntries(t *testing.T, src, dst string, extra map[string][]byte, symlink string) {
	t.Helper()
	b := mustRead(t, src)
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	names := make([]string, 0, len(extra))
	for n := range extra {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(extra[n])
	}
	if symlink != "" {
		h := &zip.FileHeader{Name: symlink, Method: zip.Store}
		h.SetMode(os.ModeSymlink | 0o777)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("/etc/shadow"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// entries lists the names in a zip file.
func entries(t *testing.T, path string) []string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var out []string
	for _, f := range zr.File {
		out = append(out, f.Name)
		if f.Mode()&os.ModeSymlink != 0 {
			t.Errorf("%s is stored as a symlink", f.Name)
		}
	}
	return out
}

// findingsOf audits the fixture with planted errors, as the run does.
func findingsOf(t *testing.T, src string) []schemas.Finding {
	t.Helper()
	_, _, fs := audited(t)
	out := slices.Clone(fs)
	for i := range out {
		out[i].File = src
	}
	return out
}

// A bad delivery's audit copy carries the annotations and the parts of
// the workbook, and none of the entries a hostile archive adds: zip-slip
// names (with / and \), absolute names, a nested archive, a huge zero part
// and a symlink are left out, and no name is rewritten.
func TestHostileEntriesLeftOut(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "hostile.xlsx")
	nested := zipOf(t, map[string][]byte{"bomb.bin": make([]byte, 1<<20)})
	hostile := map[string][]byte{
		"../../../../../../tmp/zipslip_pwned.txt": []byte("pwned"),
		"..\\..\\zipslip_backslash.txt":           []byte("pwned"),
		"xl/../../zipslip_rel.txt":                []byte("pwned"),
		"/tmp/zipslip_abs.txt":                    []byte("pwned"),
		"xl/embeddings/oleObject1.bin":            nested,
		"xl/media/padding.bin":                    make([]byte, 64<<20),
	}
	addEntries(t, filepath.Join("..", "..", "fixtures", "newsletter-2013-errors.xlsx"), src, hostile, "xl/media/link")
	findings := findingsOf(t, src)
	dst := filepath.Join(dir, "out", "audit", auditxlsx.FileName(src))
	res, err := auditxlsx.Write(context.Background(), dst, src, findings, auditxlsx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := entries(t, dst)
	for _, name := range got {
		if strings.Contains(name, "..") || strings.Contains(name, "\\") || strings.HasPrefix(name, "/") ||
			strings.Contains(name, "zipslip") || strings.HasPrefix(name, "xl/media/") || strings.HasPrefix(name, "xl/embeddings/") {
			t.Errorf("the audit copy holds %q", name)
		}
	}
	for _, want := range []string{"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/sharedStrings.xml"} {
		if !slices.Contains(got, want) {
			t.Errorf("the audit copy lacks %s: %v", want, got)
		}
	}
	if len(res.Omitted) != len(hostile)+1 {
		t.Errorf("omitted %v, want the %d hostile entries", res.Omitted, len(hostile)+1)
	}
	if fi, err := os.Stat(dst); err != nil || fi.Size() > 200<<10 {
		t.Errorf("audit copy: %v, %d bytes", err, fi.Size())
	}
	f, err := excelize.OpenFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	comments, err := f.GetComments(sheet)
	if err != nil || len(comments) != res.Commented || res.Commented < 10 {
		t.Errorf("%d comments (%v), %d commented", len(comments), err, res.Commented)
	}
	if got, _ := fillOf(t, f, "C13"); got != auditxlsx.SuspectFill {
		t.Errorf("C13 fill %q", got)
	}
}

func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for n, c := range files {
		w, _ := zw.Create(n)
		w.Write(c)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The parts copied count against the reader's limit (--max-unzip-size),
// and a cancelled run stops the copy.
func TestLimitsAndCancellation(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "errors.xlsx")
	if err := os.WriteFile(src, mustRead(t, filepath.Join("..", "..", "fixtures", "newsletter-2013-errors.xlsx")), 0o644); err != nil {
		t.Fatal(err)
	}
	findings := findingsOf(t, src)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		lim  int64
		want string
	}{
		{"limit", context.Background(), 20 << 10, "--max-unzip-size"},
		{"cancelled", cancelled, 0, context.Canceled.Error()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst := filepath.Join(dir, tc.name, "copy.audit.xlsx")
			_, err := auditxlsx.Write(tc.ctx, dst, src, findings, auditxlsx.Options{Limits: extract.Limits{MaxUnzipSize: tc.lim}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
			if _, err := os.Stat(dst); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a copy was left: %v", err)
			}
		})
	}
}

// The comments and the Findings sheet are capped, and the sheet says what
// it leaves out.
func TestCaps(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "errors.xlsx")
	if err := os.WriteFile(src, mustRead(t, filepath.Join("..", "..", "fixtures", "newsletter-2013-errors.xlsx")), 0o644); err != nil {
		t.Fatal(err)
	}
	findings := findingsOf(t, src)
	for _, tc := range []struct {
		name                  string
		comments, rows        int
		wantComments, wantRow int
		notes                 []string
	}{
		{"defaults", 0, 0, -1, len(findings), nil},
		{"capped", 3, 2, 3, 2, []string{
			fmt.Sprintf("… and %d more findings of this file", len(findings)-2),
			"the first 3 of them (suspects first) have a comment"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst := filepath.Join(dir, tc.name+".audit.xlsx")
			res, err := auditxlsx.Write(context.Background(), dst, src, findings, auditxlsx.Options{MaxComments: tc.comments, MaxFindings: tc.rows})
			if err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenFile(dst)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			comments, _ := f.GetComments(sheet)
			if tc.wantComments >= 0 && len(comments) != tc.wantComments {
				t.Errorf("%d comments, want %d", len(comments), tc.wantComments)
			}
			if tc.wantComments < 0 && len(comments) != res.Marked {
				t.Errorf("%d comments for %d marked cells", len(comments), res.Marked)
			}
			rows, _ := f.GetRows(auditxlsx.FindingsSheet)
			listed := 0
			var notes []string
			for _, r := range rows[1:] {
				switch {
				case len(r) > 1:
					listed++
				case len(r) == 1:
					notes = append(notes, r[0])
				}
			}
			if listed != tc.wantRow || res.Listed != tc.wantRow {
				t.Errorf("%d findings listed (result %d), want %d", listed, res.Listed, tc.wantRow)
			}
			for _, n := range tc.notes {
				if !slices.ContainsFunc(notes, func(s string) bool { return strings.Contains(s, n) }) {
					t.Errorf("no note saying %q in %q", n, notes)
				}
			}
		})
	}
}

// A cell's own comment is kept before the audit's, and comments on other
// cells are kept as they are.
func TestExistingComments(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "commented.xlsx")
	f, err := excelize.OpenFile(filepath.Join("..", "..", "fixtures", "newsletter-2013-errors.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	for cell, text := range map[string]string{"C13": "Provisional figure.", "A1": "Source: the statistics office."} {
		if err := f.AddComment(sheet, excelize.Comment{Cell: cell, Author: "analyst", Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(src); err != nil {
		t.Fatal(err)
	}
	f.Close()
	dst := filepath.Join(dir, "commented.audit.xlsx")
	if _, err := auditxlsx.Write(context.Background(), dst, src, findingsOf(t, src), auditxlsx.Options{}); err != nil {
		t.Fatal(err)
	}
	g, err := excelize.OpenFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	comments, err := g.GetComments(sheet)
	if err != nil {
		t.Fatal(err)
	}
	text := map[string]string{}
	for _, c := range comments {
		s := c.Text
		for _, r := range c.Paragraph {
			s += r.Text
		}
		text[c.Cell] += s
	}
	if s := text["C13"]; !strings.HasPrefix(s, "Provisional figure.") || !strings.Contains(s, "looks wrong") {
		t.Errorf("C13: %q, want its own comment then the audit's", s)
	}
	if s := text["A1"]; !strings.Contains(s, "Source: the statistics office.") {
		t.Errorf("A1: %q, want its own comment kept", s)
	}
	// the sheet names one drawing, with a shape for every comment
	sheetXML := string(partOf(t, dst, "xl/worksheets/sheet1.xml"))
	if n := strings.Count(sheetXML, "legacyDrawing "); n != 1 {
		t.Errorf("%d legacyDrawing elements", n)
	}
	rels := string(partOf(t, dst, "xl/worksheets/_rels/sheet1.xml.rels"))
	i := strings.Index(rels, `Id="rIdTradeetlV1"`)
	if i < 0 || !strings.Contains(sheetXML, `r:id="rIdTradeetlV1"`) {
		t.Fatalf("the sheet does not name the audit's drawing:\n%s", rels)
	}
	target := rels[i:]
	target = target[strings.Index(target, `Target="`)+8:]
	target = "xl/" + strings.TrimPrefix(target[:strings.Index(target, `"`)], "../")
	if n := strings.Count(string(partOf(t, dst, target)), "<v:shape "); n != len(comments) {
		t.Errorf("%s has %d shapes for %d comments", target, n, len(comments))
	}
}

// partOf reads a part of a zip file.
func partOf(t *testing.T, path, name string) []byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Every workbook of the repository's tests and of the shared corpus that
// the reader opens gets an annotated copy that excelize and the reader
// open again, with the same figures, its comments and the Findings sheet.
func TestCorpusWorkbooks(t *testing.T) {
	var files []string
	for _, pattern := range []string{
		filepath.Join("..", "..", "fixtures", "*.xlsx"),
		filepath.Join("..", "..", "transform", "testdata", "*.xlsx"),
		filepath.Join("..", "..", "..", "shared", "corpus", "xlsx", "*.xlsx"),
	} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	if len(files) < 10 {
		t.Skipf("only %d workbooks found", len(files))
	}
	annotated := 0
	for _, src := range files {
		name := filepath.Base(src)
		cells, _, sheetName := figures(src, 40)
		if len(cells) == 0 {
			continue
		}
		annotated++
		var findings []schemas.Finding
		for i := 0; i < len(cells); i += 8 {
			group := cells[i:min(i+8, len(cells))]
			findings = append(findings, schemas.Finding{Rule: "balance", Severity: schemas.SeverityError, File: src, Sheet: sheetName,
				Cells: group, SuspectCell: group[0], Message: "test finding at " + group[0]})
		}
		dst := filepath.Join(t.TempDir(), auditxlsx.FileName(src))
		res, err := auditxlsx.Write(context.Background(), dst, src, findings, auditxlsx.Options{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		_, before, _ := figures(src, 1<<20)
		_, after, _ := figures(dst, 1<<20)
		if !slices.Equal(before, after) {
			t.Errorf("%s: the copy's figures differ from the source's (%d vs %d cells)", name, len(after), len(before))
		}
		if orig, err := excelize.OpenFile(src); err != nil {
			continue // excelize cannot read the source either
		} else {
			orig.Close()
		}
		f, err := excelize.OpenFile(dst)
		if err != nil {
			t.Errorf("%s: excelize: %v", name, err)
			continue
		}
		comments, err := f.GetComments(sheetName)
		if err != nil || len(comments) < res.Commented {
			t.Errorf("%s: %d comments (%v), want %d", name, len(comments), err, res.Commented)
		}
		if idx, err := f.GetSheetIndex(auditxlsx.FindingsSheet); err != nil || idx < 0 {
			t.Errorf("%s: no Findings sheet", name)
		}
		f.Close()
	}
	t.Logf("%d of %d workbooks annotated", annotated, len(files))
}

// figures returns the references of the first n number cells of the first
// sheet with any, as the reader sees them, and the same with their values.
func figures(path string, n int) (cells, values []string, sheetName string) {
	wb, err := extract.Open(path, extract.Limits{})
	if err != nil {
		return nil, nil, ""
	}
	defer wb.Close()
	for _, s := range wb.Sheets() {
		sr, err := wb.Open(context.Background(), s)
		if err != nil {
			continue
		}
		for len(cells) < n {
			row, err := sr.Next()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					cells, values = nil, nil
				}
				break
			}
			for _, c := range row.Cells {
				if c.Kind == extract.Number && len(cells) < n {
					cells = append(cells, extract.CellName(c.Col, c.Row))
					values = append(values, extract.CellName(c.Col, c.Row)+"="+c.Text)
				}
			}
		}
		sr.Close()
		if len(cells) > 0 {
			return cells, values, s
		}
	}
	return nil, nil, ""
}
