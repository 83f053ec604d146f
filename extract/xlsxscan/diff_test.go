package xlsxscan

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The differential test: every workbook of the repository (fixtures/,
// testdata directories) and of the shared corpus (../shared/corpus/xlsx/
// next to the repository) must read the same through xlsxscan and through
// excelize, cell for cell — position, kind, text, number, format, formula —
// with the same sheets, visibility and date system; or both readers must
// fail. Where they disagree because excelize is wrong, the file is listed
// in knownDiffs with the kind of disagreement and why.

// diffKind is a kind of disagreement between the readers.
type diffKind string

const (
	dOpen     diffKind = "excelize cannot open the file"
	dSheetErr diffKind = "excelize cannot read a sheet"
	dCells    diffKind = "cells differ"
	dFormat   diffKind = "number formats differ"
	dMerges   diffKind = "merged ranges differ"
)

type knownDiff struct {
	kinds []diffKind
	why   string
}

// knownDiffs lists the files where excelize is wrong, by corpus file name.
// The test fails if a listed disagreement does not occur (so the list
// stays true) as well as on any other disagreement.
var knownDiffs = map[string]knownDiff{
	"calamine__empty_s_attribute.xlsx": {[]diffKind{dCells},
		`excelize's row iterator drops every cell with an empty style attribute (s=""), which its own worksheet decoder reads as style 0`},
	"closedxml__InvalidFirstPageNumber.xlsx": {[]diffKind{dFormat},
		`the styles define format 160 with an empty code: xlsxscan reads that as General, excelize returns the empty code`},
	"closedxml__SheetsWithoutRelId.xlsx": {[]diffKind{dSheetErr},
		`two sheets are listed with r:id="" (no part): xlsxscan reads them as empty sheets, excelize fails on them`},
	"b01_word_document_renamed.xlsx": {[]diffKind{dOpen},
		`a Word document named .xlsx (testdata/world, a case that must fail): excelize refuses it; xlsxscan opens the zip and finds no worksheet; package extract refuses it as "a Word document (.docx)"`},
	"gnumeric__beta2-tr_test.xlsx": {[]diffKind{dOpen},
		`Excel 2007 beta namespace: excelize refuses the whole file (over its calcChain part); the worksheets themselves are ordinary and xlsxscan reads them`},
	"sheetjs__Attendance.xlsx": {[]diffKind{dFormat},
		`the styles define format id 59 as "m/d"; excelize ignores the definition because it takes 59 for a built-in Thai format, and reports General`},
	"sheetjs__minimal_112.xlsx": {[]diffKind{dFormat},
		`the styles define format id 59 as "0.0%"; excelize ignores the definition because it takes 59 for a built-in Thai format, and reports General`},
}

// repoRoot is the repository's top directory, two levels above this
// package.
func repoRoot(t testing.TB) string {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// diffFiles lists the workbooks of the differential test.
func diffFiles(t testing.TB) (files []string, withCorpus bool) {
	root := repoRoot(t)
	files, _ = filepath.Glob(filepath.Join(root, "fixtures", "*.xlsx"))
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "bench") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.Contains(filepath.ToSlash(path), "/testdata/") {
			if ext := strings.ToLower(filepath.Ext(path)); ext == ".xlsx" || ext == ".xlsm" {
				files = append(files, path)
			}
		}
		return nil
	})
	corpus := filepath.Join(root, "..", "shared", "corpus", "xlsx")
	more, _ := filepath.Glob(filepath.Join(corpus, "*.xlsx"))
	if len(more) == 0 {
		t.Logf("no shared corpus at %s: only the repository's workbooks are compared", corpus)
	}
	return append(files, more...), len(more) > 0
}

func TestDifferential(t *testing.T) {
	files, withCorpus := diffFiles(t)
	if len(files) == 0 {
		t.Fatal("no workbooks found")
	}
	seen := map[string]bool{}
	for _, path := range files {
		name := filepath.Base(path)
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := compareFile(t, path)
			want := knownDiffs[name]
			for _, k := range got.kinds() {
				if !slices.Contains(want.kinds, k) {
					t.Errorf("%s:\n  %s", k, strings.Join(got[k], "\n  "))
				}
			}
			for _, k := range want.kinds {
				if len(got[k]) == 0 {
					t.Errorf("knownDiffs lists %q for this file, but the readers agree there: update the list", k)
				}
			}
		})
	}
	for name := range knownDiffs {
		if !seen[name] && withCorpus {
			t.Errorf("knownDiffs lists %s, which is not among the compared files", name)
		}
	}
}

// diffs collects disagreements by kind.
type diffs map[diffKind][]string

func (d diffs) add(k diffKind, format string, args ...any) {
	if len(d[k]) < 10 {
		d[k] = append(d[k], fmt.Sprintf(format, args...))
	}
}

func (d diffs) kinds() []diffKind {
	var ks []diffKind
	for k := range d {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// compareFile reads a workbook through both readers and returns their
// disagreements; disagreements no entry of knownDiffs can explain (xlsxscan
// failing alone, different sheet lists, date systems or visibility) fail
// the test directly.
func compareFile(t *testing.T, path string) diffs {
	d := diffs{}
	ours, oerr := scanRead(path)
	ref, rerr := refReadUTF8(path)
	switch {
	case oerr != nil && rerr != nil:
		t.Logf("both readers fail: xlsxscan: %v; excelize: %v", oerr, rerr)
		return d
	case oerr != nil:
		t.Fatalf("xlsxscan fails, excelize reads it: %v", oerr)
	case rerr != nil:
		d.add(dOpen, "%v", rerr)
		return d
	}
	if ours.date1904 != ref.date1904 {
		t.Errorf("date1904: xlsxscan %v, excelize %v", ours.date1904, ref.date1904)
	}
	k := 0
	for _, rs := range ref.sheets {
		if k >= len(ours.sheets) || ours.sheets[k].Name != rs.name {
			// excelize lists chartsheets, dialog and macro sheets, which
			// hold no cells; xlsxscan leaves them out
			if n := countCells(rs.rows); n > 0 || rs.err != nil {
				t.Errorf("sheet %q: only excelize lists it (%d cells, error %v)", rs.name, n, rs.err)
			}
			continue
		}
		os := ours.sheets[k]
		k++
		if (os.Visibility == Visible) != rs.visible {
			t.Errorf("sheet %q: xlsxscan says %v, excelize visible=%v", rs.name, os.Visibility, rs.visible)
		}
		switch {
		case os.err != nil && rs.err != nil:
			continue
		case os.err != nil:
			t.Errorf("sheet %q: xlsxscan fails, excelize reads it: %v", rs.name, os.err)
			continue
		case rs.err != nil:
			d.add(dSheetErr, "sheet %q: %v", rs.name, rs.err)
			continue
		}
		if rs.mergeErr != nil {
			d.add(dMerges, "sheet %q: excelize cannot read its merged ranges: %v", rs.name, rs.mergeErr)
		} else if !sameRanges(os.merges, rs.merges) {
			d.add(dMerges, "sheet %q: merged ranges %v, excelize %v", rs.name, os.merges, rs.merges)
		}
		for _, m := range diffRows(os.rows, rs.rows, 1<<30) {
			if m.formatOnly {
				d.add(dFormat, "sheet %q: %s", rs.name, m.line)
			} else {
				d.add(dCells, "sheet %q: %s", rs.name, m.line)
			}
		}
	}
	for ; k < len(ours.sheets); k++ {
		t.Errorf("sheet %q: only xlsxscan lists it", ours.sheets[k].Name)
	}
	return d
}

// sameRanges reports whether two lists hold the same ranges, in any order.
func sameRanges(a, b []Range) bool {
	if len(a) != len(b) {
		return false
	}
	key := func(r Range) string { return fmt.Sprint(r) }
	count := map[string]int{}
	for _, r := range a {
		count[key(r)]++
	}
	for _, r := range b {
		count[key(r)]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return true
}

func countCells(rows []Row) int {
	n := 0
	for _, r := range rows {
		n += len(r.Cells)
	}
	return n
}

// refReadUTF8 reads a workbook with the reference reader. excelize cannot
// read XML parts encoded in UTF-16, which xlsxscan converts; for those
// files the reference reads a copy whose parts were converted to UTF-8
// beforehand, so that the cells are still compared.
func refReadUTF8(path string) (*refBook, error) {
	b, err := refRead(path)
	if err == nil {
		return b, nil
	}
	pkg, converted, cerr := utf8Package(path)
	if cerr != nil || !converted {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(pkg), excelize.Options{UnzipSizeLimit: 1 << 30, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return refReadFile(f)
}

var encodingDecl = regexp.MustCompile(`(?i)encoding=["']utf-16[a-z]*["']`)

// utf8Package returns a copy of a zip package with its UTF-16 parts
// converted to UTF-8, and whether there was any.
func utf8Package(path string) ([]byte, bool, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, false, err
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	converted := false
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, false, err
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, false, err
		}
		if enc := utf16Of(data); enc != nil {
			if data, err = enc.NewDecoder().Bytes(data); err != nil {
				return nil, false, err
			}
			data = bytes.TrimPrefix(data, []byte("\uFEFF"))
			data = encodingDecl.ReplaceAll(data, []byte(`encoding="UTF-8"`))
			converted = true
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			return nil, false, err
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		return nil, false, err
	}
	return buf.Bytes(), converted, nil
}
