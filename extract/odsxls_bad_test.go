package extract

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf16"
)

const odsHead = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" office:version="1.3"><office:body><office:spreadsheet><table:table table:name="S">`
const odsTail = `</table:table></office:spreadsheet></office:body></office:document-content>`

// odsZip builds an .ods package with the given content.xml.
func odsZip(t testing.TB, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	w.Write([]byte(odsMimetype))
	w, _ = zw.Create("content.xml")
	w.Write([]byte(content))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func readFileT(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestODSCells: value types, repeated rows and columns, covered cells,
// spans, text with spaces, tabs and line breaks, annotations left out,
// and the addresses LibreOffice shows.
func TestODSCells(t *testing.T) {
	content := odsHead +
		`<table:table-column table:number-columns-repeated="2"/>` +
		`<table:table-row><table:table-cell office:value-type="string"><text:p>Exports<text:s text:c="2"/>to<text:tab/>China</text:p><text:p>line two</text:p><office:annotation><text:p>a comment</text:p></office:annotation></table:table-cell>` +
		`<table:table-cell table:number-columns-spanned="2" office:value-type="float" office:value="6.8"><text:p>6.8</text:p></table:table-cell><table:covered-table-cell/>` +
		`<table:table-cell office:value-type="percentage" office:value="0.054"/>` +
		`<table:table-cell office:value-type="currency" office:currency="EUR" office:value="12.5"/>` +
		`<table:table-cell office:value-type="date" office:date-value="2024-01-31"/>` +
		`<table:table-cell office:value-type="boolean" office:boolean-value="true"/>` +
		`<table:table-cell table:formula="of:=1/0" office:value-type="float" office:value="0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>` +
		`<table:table-cell table:formula="of:=[.B1]*2"/>` +
		`</table:table-row>` +
		`<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="1000000"/></table:table-row>` +
		`<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="3" office:value-type="float" office:value="1"/></table:table-row>` +
		`<table:table-row table:number-rows-repeated="45572"><table:table-cell/></table:table-row>` +
		odsTail
	rows, err := readAll(t, writeFile(t, "cells.ods", odsZip(t, content)))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Cell{}
	for _, r := range rows {
		for _, c := range r.Cells {
			got[c.Ref()] = c
		}
	}
	want := map[string]struct {
		kind Kind
		text string
		num  float64
	}{
		"A1":       {String, "Exports  to\tChina\nline two", 0},
		"B1":       {Number, "6.8", 6.8},
		"D1":       {Number, "0.054", 0.054},
		"E1":       {Number, "12.5", 12.5},
		"F1":       {Number, "45322", 45322},
		"G1":       {Bool, "1", 1},
		"H1":       {Error, "#DIV/0!", 0},
		"I1":       {NoValue, "", 0},
		"A1000002": {Number, "1", 1},
		"C1000003": {Number, "1", 1},
	}
	for ref, w := range want {
		c, ok := got[ref]
		if !ok || c.Kind != w.kind || c.Text != w.text || c.Number != w.num {
			t.Errorf("%s = %+v, want %+v", ref, c, w)
		}
	}
	if len(got) != 8+6 {
		t.Errorf("%d cells, want 14: %v", len(got), got)
	}
	if !IsDateFormat(got["F1"].Format) || got["I1"].Formula != "[.B1]*2" || !strings.Contains(got["E1"].Format, "EUR") {
		t.Errorf("formats/formula: F1 %q, I1 %q, E1 %q", got["F1"].Format, got["I1"].Formula, got["E1"].Format)
	}
	wb, _ := Open(writeFile(t, "cells.ods", odsZip(t, content)), Limits{})
	defer wb.Close()
	_, merges, err := readSheet(wb, "S")
	if err != nil || len(merges) != 1 || merges[0].String() != "B1:C1" {
		t.Errorf("merges %v (%v), want B1:C1", merges, err)
	}
}

// TestODSRepeatedEmptyNoAlloc: a million empty cells repeated a million
// times is read without allocating for them.
func TestODSRepeatedEmptyNoAlloc(t *testing.T) {
	content := odsHead + strings.Repeat(`<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="1000000"/><table:table-cell table:number-columns-repeated="1000000" table:style-name="x"/></table:table-row>`, 1) +
		`<table:table-row><table:table-cell office:value-type="string"><text:p>after</text:p></table:table-cell></table:table-row>` + odsTail
	path := writeFile(t, "empty.ods", odsZip(t, content))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rows, err := readAll(t, path)
	runtime.ReadMemStats(&after)
	if err != nil || len(rows) != 1 || rows[0].Cells[0].Ref() != "A1000001" || rows[0].Cells[0].Text != "after" {
		t.Errorf("got %v, err %v; want the one cell A1000001", rows, err)
	}
	if d := after.TotalAlloc - before.TotalAlloc; d > 4<<20 {
		t.Errorf("reading allocated %d bytes", d)
	}
}

func TestODSHostile(t *testing.T) {
	good := readFileT(t, filepath.Join("testdata", "office", "lo", "newsletter-2013.ods"))
	var content []byte
	zr, _ := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	for _, f := range zr.File {
		if f.Name == "content.xml" {
			rc, _ := f.Open()
			content, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	// a part whose header says 2000 bytes and that inflates to 64 MiB
	lying := func() []byte {
		var data bytes.Buffer
		fw, _ := flate.NewWriter(&data, flate.BestCompression)
		crc := crc32.NewIEEE()
		chunk := bytes.Repeat([]byte(" "), 1<<20)
		fw.Write([]byte(odsHead))
		crc.Write([]byte(odsHead))
		for range 64 {
			fw.Write(chunk)
			crc.Write(chunk)
		}
		fw.Close()
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
		w.Write([]byte(odsMimetype))
		w, _ = zw.CreateRaw(&zip.FileHeader{Name: "content.xml", Method: zip.Deflate, CRC32: crc.Sum32(), CompressedSize64: uint64(data.Len()), UncompressedSize64: 2000})
		w.Write(data.Bytes())
		zw.Close()
		return buf.Bytes()
	}
	tests := []struct {
		name string
		file []byte
		lim  Limits
		want error
		text string
	}{
		{"bomb", odsZip(t, odsHead+strings.Repeat("<table:table-row/>", 1<<20)+odsTail), Limits{MaxUnzipSize: 4 << 20}, ErrTooLarge, "decompress to more than the 4 MiB limit"},
		{"lying bomb", lying(), Limits{MaxUnzipSize: 16 << 20}, ErrDamaged, "content.xml"},
		{"truncated zip", good[:len(good)/2], Limits{}, ErrDamaged, "truncated or corrupt"},
		{"truncated xml", odsZip(t, string(content[:len(content)*2/3])), Limits{}, ErrDamaged, "content.xml"},
		{"doctype", odsZip(t, `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>`+odsHead[len(`<?xml version="1.0" encoding="UTF-8"?>`):]+odsTail), Limits{}, ErrHostile, "DOCTYPE"},
		{"long text", odsZip(t, odsHead+`<table:table-row><table:table-cell/><table:table-cell office:value-type="string"><text:p><text:s text:c="2000000"/></text:p></table:table-cell></table:table-row>`+odsTail), Limits{}, ErrTooLarge, `sheet "S" cell B1`},
		{"long run", odsZip(t, odsHead+`<table:table-row><table:table-cell office:value-type="string"><text:p>`+strings.Repeat("x", 3<<20)+`</text:p></table:table-cell></table:table-row>`+odsTail), Limits{MaxLineSize: 1 << 20}, ErrTooLarge, "--max-line-size"},
		{"repeated past the columns", odsZip(t, odsHead+`<table:table-row><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="999999999"/></table:table-row>`+odsTail), Limits{}, ErrDamaged, `cell A1: the workbook is damaged: a cell repeated 999999999 times`},
		{"too many cells", odsZip(t, odsHead+`<table:table-row table:number-rows-repeated="100000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="100"/></table:table-row>`+odsTail), Limits{MaxCells: 1_000_000}, ErrTooManyCells, `sheet "S" row`},
		{"sheet name escaping", odsZip(t, strings.Replace(odsHead, `table:name="S"`, `table:name="../../x"`, 1)+odsTail), Limits{}, ErrDamaged, "a sheet name holds a character"},
		{"sheet name twice", odsZip(t, odsHead+`</table:table><table:table table:name="S">`+odsTail), Limits{}, ErrDamaged, `two sheets are named "S"`},
		{"not a spreadsheet", func() []byte {
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			w, _ := zw.Create("mimetype")
			w.Write([]byte("application/vnd.oasis.opendocument.text"))
			w, _ = zw.Create("content.xml")
			w.Write([]byte(odsHead + odsTail))
			zw.Close()
			return buf.Bytes()
		}(), Limits{}, ErrNotWorkbook, "opendocument.text, not a spreadsheet"},
		{"encrypted", func() []byte {
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			w, _ := zw.Create("mimetype")
			w.Write([]byte(odsMimetype))
			w, _ = zw.Create("META-INF/manifest.xml")
			w.Write([]byte(`<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>`))
			w, _ = zw.Create("content.xml")
			w.Write([]byte("\x00\x01garbage"))
			zw.Close()
			return buf.Bytes()
		}(), Limits{}, ErrEncrypted, "password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "bad.ods", tt.file)
			rows, err := readAllLimits(t, path, tt.lim)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.text) || !strings.Contains(err.Error(), path) {
				t.Fatalf("read %d rows, err %v; want %v saying %q and naming the file", len(rows), err, tt.want, tt.text)
			}
		})
	}
}

// TestODSCancel: a cancelled context stops reading a sheet.
func TestODSCancel(t *testing.T) {
	path := writeFile(t, "many.ods", odsZip(t, odsHead+`<table:table-row table:number-rows-repeated="100000"><table:table-cell office:value-type="float" office:value="1"/></table:table-row>`+odsTail))
	wb, err := Open(path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	ctx, cancel := context.WithCancel(context.Background())
	sr, err := wb.Open(ctx, "S")
	if err != nil {
		t.Fatal(err)
	}
	defer sr.Close()
	cancel()
	for i := 0; ; i++ {
		_, err := sr.Next()
		if errors.Is(err, context.Canceled) {
			return
		}
		if err != nil || i > 1000 {
			t.Fatalf("after %d rows: %v, want context.Canceled", i, err)
		}
	}
}

// cfbEntry finds a stream's directory entry in a compound file of 512-byte
// sectors: the entry's offset, the stream's first sector and its size.
func cfbEntry(t *testing.T, b []byte, name string) (entry int, start uint32, size uint32) {
	t.Helper()
	if binary.LittleEndian.Uint16(b[0x1E:]) != 9 {
		t.Skip("not 512-byte sectors")
	}
	want := utf16.Encode([]rune(name))
	dir := binary.LittleEndian.Uint32(b[0x30:])
	for k := 0; k < 4; k++ { // the directory's first sector holds 4 entries
		off := int(dir+1)*512 + 128*k
		n := int(binary.LittleEndian.Uint16(b[off+64:]))/2 - 1
		if n != len(want) {
			continue
		}
		match := true
		for i, u := range want {
			match = match && binary.LittleEndian.Uint16(b[off+2*i:]) == u
		}
		if match {
			return off, binary.LittleEndian.Uint32(b[off+0x74:]), binary.LittleEndian.Uint32(b[off+0x78:])
		}
	}
	t.Fatalf("no %s stream", name)
	return
}

// fatEntry is the offset of sector n's entry in the first FAT sector.
func fatEntry(b []byte, n uint32) int {
	fat := binary.LittleEndian.Uint32(b[0x4C:])
	return int(fat+1)*512 + 4*int(n)
}

func TestXLSHostile(t *testing.T) {
	good := readFileT(t, filepath.Join("testdata", "office", "lo", "products-2013.xls"))
	patch := func(f func(b []byte)) []byte {
		b := append([]byte(nil), good...)
		f(b)
		return b
	}
	_, start, size := cfbEntry(t, good, "Workbook")
	if size < 4096 {
		t.Fatalf("the Workbook stream is in the mini stream (%d bytes)", size)
	}
	streamAt := int(start+1) * 512 // LibreOffice writes the stream in consecutive sectors
	if !bytes.HasPrefix(good[streamAt:], []byte{0x09, 0x08}) {
		t.Fatal("the Workbook stream does not start with BOF")
	}
	// the records of the globals, from the stream's start
	record := func(b []byte, id uint16) int {
		for pos := streamAt; pos+4 <= len(b); {
			if binary.LittleEndian.Uint16(b[pos:]) == id {
				return pos
			}
			pos += 4 + int(binary.LittleEndian.Uint16(b[pos+2:]))
		}
		t.Fatalf("no record 0x%04X", id)
		return 0
	}
	tests := []struct {
		name string
		file []byte
		want error
		text string
	}{
		{"truncated", good[:len(good)/2], ErrDamaged, "truncated"},
		{"cyclic FAT chain", patch(func(b []byte) {
			// the stream's first sector is followed by itself
			binary.LittleEndian.PutUint32(b[fatEntry(b, start):], start)
		}), ErrDamaged, "loops back to sector"},
		{"cyclic directory chain", patch(func(b []byte) {
			dir := binary.LittleEndian.Uint32(b[0x30:])
			binary.LittleEndian.PutUint32(b[fatEntry(b, dir):], dir)
		}), ErrDamaged, "OLE compound file"},
		{"stream larger than the file", patch(func(b []byte) {
			off, _, _ := cfbEntry(t, b, "Workbook")
			binary.LittleEndian.PutUint32(b[off+0x78:], 1<<30)
		}), ErrDamaged, "more than the whole file"},
		{"encrypted", patch(func(b []byte) {
			// the record after BOF becomes FILEPASS
			pos := streamAt + 4 + int(binary.LittleEndian.Uint16(b[streamAt+2:]))
			binary.LittleEndian.PutUint16(b[pos:], recFilePass)
		}), ErrEncrypted, "password"},
		{"huge SST count", patch(func(b []byte) {
			pos := record(b, recSST)
			binary.LittleEndian.PutUint32(b[pos+4:], 0xFFFFFFFF)
			binary.LittleEndian.PutUint32(b[pos+8:], 0xFFFFFFFF)
		}), nil, ""},
		{"sheet offset outside", patch(func(b []byte) {
			pos := record(b, recBoundSheet)
			binary.LittleEndian.PutUint32(b[pos+4:], 0x7FFFFFF0)
		}), ErrDamaged, "does not point at its BOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "bad.xls", tt.file)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			rows, err := readAll(t, path)
			runtime.ReadMemStats(&after)
			if d := after.TotalAlloc - before.TotalAlloc; d > 16<<20 {
				t.Errorf("reading allocated %d bytes", d)
			}
			if tt.want == nil {
				if err != nil || len(rows) == 0 {
					t.Fatalf("read %d rows, err %v; want it read", len(rows), err)
				}
				return
			}
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.text) || !strings.Contains(err.Error(), path) {
				t.Fatalf("read %d rows, err %v; want %v saying %q and naming the file", len(rows), err, tt.want, tt.text)
			}
		})
	}
}

// TestSniffByContent: a workbook is read by what its bytes are, whatever
// its name, and what is not a workbook is named.
func TestSniffByContent(t *testing.T) {
	src := filepath.Join("testdata", "office", "src", "newsletter-2013.xlsx")
	want := sheetCells(t, src)
	for _, c := range []struct{ from, as string }{
		{src, "really-xlsx.xls"},
		{filepath.Join("testdata", "office", "lo", "newsletter-2013.xls"), "really-xls.xlsx"},
		{filepath.Join("testdata", "office", "lo", "newsletter-2013.ods"), "really-ods.xlsx"},
		{filepath.Join("testdata", "office", "lo", "newsletter-2013.fods"), "really-fods.xls"},
		{src, "really-xlsx.ods"},
	} {
		t.Run(c.as, func(t *testing.T) {
			got := sheetCells(t, writeFile(t, c.as, readFileT(t, c.from)))
			if d := diffCells(want, got); len(d) > 0 {
				t.Errorf("%d differences: %v", len(d), d[:min(3, len(d))])
			}
		})
	}
	for _, c := range []struct{ name, content, text string }{
		{"portal.xls", "<html><head><meta charset=utf-8></head><body><table><tr><td>1</td></tr></table></body></html>", "this is an HTML page"},
		{"export.xls", "\xEF\xBB\xBF  <table border=1><tr><td>1</td></tr></table>", "this is an HTML page"},
		{"xml2003.xls", `<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>`, "Excel 2003 XML Spreadsheet"},
		{"page.ods", "MIME-Version: 1.0\r\nContent-Type: multipart/related", "web archive"},
		{"report.xls", "%PDF-1.7\n", "PDF document"},
		{"empty.ods", "", "the file is empty"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := writeFile(t, c.name, []byte(c.content))
			_, err := Open(path, Limits{})
			if !errors.Is(err, ErrNotWorkbook) || !strings.Contains(err.Error(), c.text) || !strings.Contains(err.Error(), path) {
				t.Errorf("Open: %v; want ErrNotWorkbook saying %q", err, c.text)
			}
		})
	}
}

// openODSSlow opens an .ods or .fods file; slow reads its sheets with
// encoding/xml instead of the scanner.
func openODSSlow(t testing.TB, name string, b []byte, slow bool) (Workbook, error) {
	var w *odsWorkbook
	var err error
	if bytes.HasPrefix(b, zipMagic) {
		w, err = openODS(name, bytes.NewReader(b), int64(len(b)), fuzzLimits.withDefaults())
	} else {
		w, err = openFODS(name, bytes.NewReader(b), int64(len(b)), fuzzLimits.withDefaults())
	}
	if err != nil {
		return nil, err
	}
	w.slow = slow
	return w, nil
}

// readODSBoth reads a workbook's cells and merges with the scanner and
// with encoding/xml; ok is false when either fails.
func readODSBoth(t testing.TB, name string, b []byte) (fast, slow string, ok bool) {
	var out [2]string
	for i, s := range []bool{false, true} {
		wb, err := openODSSlow(t, name, b, s)
		if err != nil {
			return "", "", false
		}
		var sb strings.Builder
		for _, sheet := range wb.Sheets() {
			rows, merges, err := readSheet(wb, sheet)
			if err != nil {
				return "", "", false
			}
			fmt.Fprintf(&sb, "%q %v %+v\n", sheet, merges, rows)
		}
		out[i] = sb.String()
	}
	return out[0], out[1], true
}

// TestODSScannerMatchesEncodingXML: the sheet scanner reads every .ods and
// .fods of testdata/office and of the ods-xls corpus as encoding/xml does.
func TestODSScannerMatchesEncodingXML(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "office", "*", "*.*ods"))
	corpus, _ := filepath.Glob(filepath.Join(odsXLSCorpus, "*.ods"))
	n := 0
	for _, f := range append(files, corpus...) {
		fast, slow, ok := readODSBoth(t, f, readFileT(t, f))
		if !ok {
			continue
		}
		n++
		if fast != slow {
			t.Errorf("%s: the scanner reads\n%.2000s\nencoding/xml reads\n%.2000s", f, fast, slow)
		}
	}
	if n < 20 {
		t.Errorf("only %d files compared", n)
	}
}

// TestODSScannerEdges: XML that office suites rarely write reads through
// the scanner as through encoding/xml.
func TestODSScannerEdges(t *testing.T) {
	for i, body := range []string{
		`<table:table-row><table:table-cell table:formula="of:=IF([.A1]>0;1;2)" office:value-type="float" office:value="1"/></table:table-row>`,
		`<table:table-row><!-- a comment <table:table-cell> --><table:table-cell office:value-type='string'><text:p><![CDATA[a <b> & c]]> &#x41;&#66;&amp;&lt;</text:p></table:table-cell ></table:table-row>`,
		"<table:table-row><table:table-cell office:value-type=\"string\"><text:p>two\r\nlines</text:p></table:table-cell></table:table-row>",
		`<table:table-row xmlns:t="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><t:table-cell office:value-type="float" office:value="2"/><table:table-cell office:value-type="float" office:value="3"/></table:table-row>`,
		`<table:table-row><table:table-cell office:value-type="string"><text:p>x<?pi data?>y<text:span>z</text:span></text:p></table:table-cell></table:table-row>`,
		`<table:table-row><table:table-cell office:value-type="string"><text:p>é ü 中</text:p></table:table-cell></table:table-row>`,
	} {
		z := odsZip(t, odsHead+body+odsTail)
		fast, slow, ok := readODSBoth(t, "edge.ods", z)
		if !ok {
			t.Errorf("case %d: a reader failed", i)
			continue
		}
		if fast != slow || !strings.Contains(fast, "Num:1") {
			t.Errorf("case %d: the scanner reads\n%s\nencoding/xml reads\n%s", i, fast, slow)
		}
	}
}

// TestODSCancelOpen: opening a later sheet of a cancelled read stops.
func TestODSCancelOpen(t *testing.T) {
	body := odsHead + strings.Repeat(`<table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>`, 1000) +
		`</table:table><table:table table:name="T"><table:table-row><table:table-cell office:value-type="float" office:value="2"/></table:table-row>` + odsTail
	wb, err := Open(writeFile(t, "two.ods", odsZip(t, body)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := wb.Open(ctx, "T"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Open: %v, want context.Canceled", err)
	}
	rows, _, err := readSheet(wb, "T")
	if err != nil || len(rows) != 1 || rows[0].Cells[0].Ref() != "A1" || rows[0].Cells[0].Number != 2 {
		t.Errorf("sheet T: %v, %v", rows, err)
	}
}
