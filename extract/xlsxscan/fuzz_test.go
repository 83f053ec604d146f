package xlsxscan

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// fuzzStyles are the styles of the fuzzed workbooks: formats on which both
// readers agree (no format ids excelize misreads).
const fuzzStyles = `<styleSheet ` + nsMain + `><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>` +
	`<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="2"/><xf numFmtId="164"/><xf numFmtId="14"/></cellXfs></styleSheet>`

// fuzzBook wraps a worksheet part into a workbook with the test's shared
// strings.
func fuzzBook(t testing.TB, sheet []byte) []byte {
	parts := bookParts("")
	parts[7] = fuzzStyles
	parts[len(parts)-1] = string(sheet)
	return zipOf(t, parts...)
}

// FuzzSheetXML feeds mutated worksheet XML to xlsxscan and to excelize.
// xlsxscan must never panic; it must read the same whatever the chunk
// size; it may refuse only XML that encoding/xml refuses too (or a
// DOCTYPE), or data that breaks a rule of the format; and where both
// readers succeed on well-formed XML they must agree, except for the
// constructs listed in fuzzDivergence, where excelize is wrong.
func FuzzSheetXML(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sheet []byte) {
		data := fuzzBook(t, sheet)
		ours, oerr := readSheet(t, data, Limits{MaxTotalSize: 64 << 20}, defaultTuning)
		small, serr := readSheet(t, data, Limits{MaxTotalSize: 64 << 20}, tuning{chunk: 7, prefix: 5, sync: 0, slow: true})
		if fmt.Sprint(oerr) != fmt.Sprint(serr) {
			t.Fatalf("error %v, with small chunks %v", oerr, serr)
		}
		if oerr == nil {
			for _, m := range diffRows(small, ours, 5) {
				t.Errorf("small chunks: %s", m.line)
			}
		}
		wellFormed := xmlWellFormed(sheet)
		if oerr != nil {
			if errors.Is(oerr, ErrSyntax) && wellFormed && !bytes.Contains(sheet, []byte("<!DOCTYPE")) {
				t.Fatalf("xlsxscan refuses XML that encoding/xml reads: %v", oerr)
			}
			if !errors.Is(oerr, ErrSyntax) && !errors.Is(oerr, ErrInvalid) && !errors.Is(oerr, ErrTooLarge) {
				t.Fatalf("unexpected error: %v", oerr)
			}
			return
		}
		if !wellFormed || maxRow(ours) > 100000 {
			// excelize stops silently at the first XML error; and it
			// builds every row up to the last in memory
			return
		}
		if why := fuzzDivergence(sheet); why != "" {
			t.Skip(why)
		}
		ref, rerr := fuzzRef(data)
		if rerr != nil {
			return
		}
		for _, m := range diffRows(ours, ref, 10) {
			t.Errorf("%s", m.line)
		}
	})
}

func maxRow(rows []Row) int {
	if len(rows) == 0 {
		return 0
	}
	return rows[len(rows)-1].Num
}

func fuzzRef(data []byte) (rows []Row, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("excelize panicked: %v", r)
		}
	}()
	fx, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer fx.Close()
	b, err := refReadFile(fx)
	if err != nil {
		return nil, err
	}
	return b.sheets[0].rows, b.sheets[0].err
}

// xmlWellFormed reports whether a document is well-formed XML as far as
// encoding/xml (which excelize uses) can tell, plus the rules it leaves
// out: one root element, no text outside it, no markup declarations
// (encoding/xml takes any "<!...>" for a directive, anywhere).
func xmlWellFormed(doc []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(doc))
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return roots == 1 && depth == 0
		}
		if err != nil {
			return false
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.Directive:
			return false
		case xml.CharData:
			if depth == 0 && len(bytes.TrimLeft(e, " \t\r\n")) > 0 {
				return false
			}
		}
	}
}

// fuzzDivergence names a construct of the input on which excelize reads
// differently and is wrong (see TestCells and knownDiffs), or returns "".
func fuzzDivergence(sheet []byte) string {
	d := xml.NewDecoder(bytes.NewReader(sheet))
	var stack []string
	var lastRow, lastCol int
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		switch e := tok.(type) {
		case xml.StartElement:
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			stack = append(stack, e.Name.Local)
			switch e.Name.Local {
			case "row":
				if parent != "sheetData" {
					return "a row outside sheetData: excelize reads rows anywhere"
				}
				lastCol = 0
				lastRow++
				for _, a := range e.Attr {
					if a.Name.Local == "r" {
						fmt.Sscan(a.Value, &lastRow)
					}
				}
			case "c":
				if parent != "row" {
					return "a cell outside a row"
				}
				for _, a := range e.Attr {
					switch a.Name.Local {
					case "s":
						if strings.TrimSpace(a.Value) == "" || strings.ContainsAny(a.Value, "+- \t\n") {
							return `a style written "", with a sign or spaces: excelize's row iterator drops the cell`
						}
					case "r":
						col, ok := parseRef([]byte(a.Value))
						if !ok || a.Value != strings.ToUpper(a.Value) || strings.Contains(a.Value, "$") {
							return "a cell reference in lower case or with $: excelize cannot look up the cell's type and formula"
						}
						if col <= lastCol {
							return "cells out of order: excelize's row iterator misplaces them"
						}
						if !strings.HasSuffix(a.Value, fmt.Sprint(lastRow)) {
							return "a cell reference naming another row"
						}
						lastCol = col
					case "t", "si", "ref":
						if strings.TrimSpace(a.Value) != a.Value {
							return "an attribute with spaces"
						}
					}
				}
			case "v", "f", "is", "t":
				for _, s := range stack[:len(stack)-1] {
					if s == "v" || s == "f" || s == "t" {
						return "elements nested in a value"
					}
				}
			}
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
}

// fuzzSeeds returns worksheet parts to start from: the sheets of the
// cell tests, and small sheets of the shared corpus when it is present.
func fuzzSeeds() [][]byte {
	var seeds [][]byte
	for _, sd := range []string{
		`<row r="1"><c r="A1"><v>6.8</v></c><c r="B1" s="1"><v>11.28</v></c><c r="C1" s="2" t="s"><v>2</v></c></row>`,
		`<row r="2"><c r="A2" t="inlineStr"><is><r><t>rich </t></r><r><t>text</t></r><rPh><t>x</t></rPh></is></c><c r="B2" t="b"><v>1</v></c><c r="C2" t="e"><v>#N/A</v></c><c r="D2" t="str"><f>A1</f><v>x</v></c></row>`,
		`<row r="4"><c r="A4"><f>B4-C4</f><v>4.48</v></c><c r="B4"><f>SUM(C1:C3)</f></c><c r="C4"><f t="shared" ref="C4:C5" si="0">A4+$B$1</f><v>1</v></c></row><row r="5"><c r="C5"><f t="shared" si="0"/><v>2</v></c></row>`,
		`<row><c><v>1</v></c><c t="s"><v>0</v></c></row><row r="3"><c r="B3" t="d"><v>2013-12-31</v></c></row>`,
		"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a &amp; &#233; <![CDATA[<x>]]>\r\n_x000D_</t></is></c><c r=\"B1\"><v>&#49;2</v></c></row>",
	} {
		seeds = append(seeds, []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<worksheet `+nsMain+`><dimension ref="A1"/><sheetData>`+sd+`</sheetData><mergeCells count="0"/></worksheet>`))
	}
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "xlsx")
	files, _ := filepath.Glob(filepath.Join(dir, "*.xlsx"))
	for _, path := range files {
		zr, err := zip.OpenReader(path)
		if err != nil {
			continue
		}
		for _, zf := range zr.File {
			if strings.HasPrefix(zf.Name, "xl/worksheets/sheet") && zf.UncompressedSize64 < 3000 && zf.UncompressedSize64 > 400 {
				rc, err := zf.Open()
				if err != nil {
					continue
				}
				b, err := io.ReadAll(rc)
				rc.Close()
				if err == nil && utf16Of(b) == nil {
					seeds = append(seeds, b)
				}
			}
		}
		zr.Close()
	}
	return seeds
}

// TestFuzzSeedsExist keeps the fuzz seeds honest: with the corpus present
// there are many.
func TestFuzzSeedsExist(t *testing.T) {
	n := len(fuzzSeeds())
	if _, err := os.Stat(filepath.Join("..", "..", "..", "shared", "corpus", "xlsx")); err == nil && n < 20 {
		t.Errorf("%d fuzz seeds", n)
	}
}

// FuzzParts feeds mutated structure parts — the package relationships,
// the workbook, its relationships, the styles, the shared strings — to
// xlsxscan, under a sheet that uses them. It must not panic, must read the
// same whatever the chunk size, and must fail only with its own errors.
func FuzzParts(f *testing.F) {
	base := bookParts(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>1.5</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>`)
	for i := 1; i < 10; i += 2 {
		f.Add(uint8(i/2), []byte(base[i]))
	}
	// shared strings in the layouts the fast path reads, and near misses
	f.Add(uint8(4), []byte(`<sst `+nsMain+`><si><t>a</t></si>`+"\n"+`<si><t xml:space="preserve"> b é</t></si><si><t>c_d</t></si><si><t>e_x0041_</t></si><si><t>f&amp;</t></si></sst>`))
	f.Add(uint8(4), []byte(`<sst `+nsMain+`><si><t>a</t> </si><si> <t>b</t></si><si><t>\xff</t></si><si><t>d</t></si><si><t>e</t></si></sst>`))
	f.Fuzz(func(t *testing.T, which uint8, part []byte) {
		parts := append([]string(nil), base...)
		parts[1+2*(int(which)%5)] = string(part)
		data := zipOf(t, parts...)
		read := func(tun tuning) ([]Row, error) {
			w, err := newReader(bytes.NewReader(data), int64(len(data)), Limits{MaxTotalSize: 64 << 20}, tun)
			if err != nil {
				return nil, err
			}
			var rows []Row
			for i := range w.Sheets() {
				r, err := w.OpenSheetAt(t.Context(), i)
				if err != nil {
					return rows, err
				}
				for {
					row, err := r.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						r.Close()
						return rows, err
					}
					rows = append(rows, row.Clone())
				}
				r.Close()
			}
			return rows, nil
		}
		got, err := read(defaultTuning)
		small, serr := read(tuning{chunk: 5, prefix: 3, sync: 0, slow: true})
		if fmt.Sprint(err) != fmt.Sprint(serr) {
			t.Fatalf("error %v, with small chunks %v", err, serr)
		}
		if err != nil && !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrTooLarge) &&
			!errors.Is(err, ErrNotWorkbook) && !errors.Is(err, ErrNoSheet) {
			t.Fatalf("unexpected error: %v", err)
		}
		for _, m := range diffRows(small, got, 5) {
			t.Errorf("small chunks: %s", m.line)
		}
	})
}

// FuzzCell builds cells in the exact layout the fast path reads
// (<c r="…" s="…" t="…"><v>…</v></c> or <is><t>…</t></is>) from fuzzed
// attribute values and text, and checks that the fast path and the
// general scanner read them the same, and like excelize where the
// result is well-formed and excelize is not known to differ.
func FuzzCell(f *testing.F) {
	f.Add("B7", "1", "", "6.8", false)
	f.Add("A1", "", "s", "1", false)
	f.Add("XFD1048576", "2", "inlineStr", "text é_x000D_", true)
	f.Add("b2", "007", "b", "1", false)
	f.Add("A01", "-1", "str", "&amp;", false)
	// the edges of what the fast path accepts
	for _, r := range []string{"A1048576", "A1048577", "A9999999", "A10000000", "XFD1", "XFE1", "AAAA1", "ZZZ1", "A0", "A", "1", "$A$1", "a1", " A1"} {
		f.Add(r, "", "", "1", false)
	}
	for _, s := range []string{"65430", "65431", "99999999", "0", " 1", "+1", "1 "} {
		f.Add("C3", s, "", "2.5", false)
	}
	for _, v := range []string{"_x0041_", "a_b", "&#65;", "x\r\ny", "é", "\xff", "]]>", "-0", "1e400", "NaN", " 12 ", "#REF!"} {
		f.Add("D4", "", "", v, false)
		f.Add("D4", "", "inlineStr", v, true)
	}
	f.Fuzz(func(t *testing.T, cellRef, style, typ, value string, inline bool) {
		var c strings.Builder
		c.WriteString("<c")
		for _, a := range [][2]string{{"r", cellRef}, {"s", style}, {"t", typ}} {
			if a[1] != "" {
				c.WriteString(" " + a[0] + `="` + a[1] + `"`)
			}
		}
		if inline {
			c.WriteString("><is><t>" + value + "</t></is></c>")
		} else {
			c.WriteString("><v>" + value + "</v></c>")
		}
		sheet := []byte(`<worksheet ` + nsMain + `><sheetData><row r="7">` + c.String() + `</row></sheetData></worksheet>`)
		data := fuzzBook(t, sheet)
		fast, ferr := readSheet(t, data, Limits{}, defaultTuning)
		slow, serr := readSheet(t, data, Limits{}, tuning{chunk: 1 << 20, prefix: 1 << 10, sync: 1 << 30, slow: true})
		if fmt.Sprint(ferr) != fmt.Sprint(serr) {
			t.Fatalf("fast path: %v, general scanner: %v", ferr, serr)
		}
		for _, m := range diffRows(fast, slow, 5) {
			t.Errorf("fast path vs general scanner: %s", m.line)
		}
		if ferr != nil || !xmlWellFormed(sheet) || fuzzDivergence(sheet) != "" {
			return
		}
		ref, rerr := fuzzRef(data)
		if rerr != nil {
			return
		}
		for _, m := range diffRows(fast, ref, 5) {
			t.Errorf("xlsxscan vs excelize: %s", m.line)
		}
	})
}
