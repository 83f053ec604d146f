package extract

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

const fixture = "../fixtures/newsletter-2013.xlsx"

// rewrite copies the fixture workbook into dir/name, letting edit replace
// or drop parts: edit returns the new content of a part, or nil to keep it
// as it is; a part mapped to drop is left out.
func rewrite(t *testing.T, dir, name string, edit func(zw *zip.Writer, f *zip.File) bool) string {
	t.Helper()
	zr, err := zip.OpenReader(fixture)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if edit != nil && edit(zw, f) {
			continue
		}
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// replacePart returns an edit that writes content in place of one part.
func replacePart(part string, content []byte) func(*zip.Writer, *zip.File) bool {
	return func(zw *zip.Writer, f *zip.File) bool {
		if f.Name != part {
			return false
		}
		w, err := zw.Create(part)
		if err == nil {
			_, err = w.Write(content)
		}
		if err != nil {
			panic(err)
		}
		return true
	}
}

// deflated compresses n zero bytes, a chunk at a time.
func deflated(t *testing.T, n int64) ([]byte, uint32) {
	t.Helper()
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	crc := crc32.NewIEEE()
	chunk := make([]byte, 1<<20)
	for n > 0 {
		k := min(n, int64(len(chunk)))
		fw.Write(chunk[:k])
		crc.Write(chunk[:k])
		n -= k
	}
	fw.Close()
	return buf.Bytes(), crc.Sum32()
}

// bomb writes the fixture with its first sheet replaced by a part that
// declares `declared` bytes and expands to `actual` zero bytes.
func bomb(t *testing.T, dir, name string, declared uint64, actual int64) string {
	data, crc := deflated(t, actual)
	return rewrite(t, dir, name, func(zw *zip.Writer, f *zip.File) bool {
		if f.Name != "xl/worksheets/sheet1.xml" {
			return false
		}
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: f.Name, Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(len(data)), UncompressedSize64: declared,
		})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
		return true
	})
}

func TestOpenRefusesBrokenWorkbooks(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	zipOf := func(name string, parts map[string]string) string {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for n, c := range parts {
			w, _ := zw.Create(n)
			io.WriteString(w, c)
		}
		zw.Close()
		return write(name, buf.Bytes())
	}
	sheet := func() []byte {
		zr, _ := zip.NewReader(bytes.NewReader(good), int64(len(good)))
		for _, f := range zr.File {
			if f.Name == "xl/worksheets/sheet1.xml" {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				return b
			}
		}
		t.Fatal("fixture has no sheet1")
		return nil
	}()
	tests := []struct {
		name string
		path string
		want error
		text string
	}{
		{"truncated", write("truncated.xlsx", good[:len(good)/2]), ErrDamaged, "truncated or corrupt"},
		{"empty zip", zipOf("emptyzip.xlsx", nil), ErrNotWorkbook, "zip archive is empty"},
		{"ods renamed", zipOf("ods.xlsx", map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}), ErrNotWorkbook, "content.xml is not OpenDocument XML"},
		{"docx renamed", zipOf("docx.xlsx", map[string]string{"word/document.xml": "<x/>"}), ErrNotWorkbook, "Word document"},
		{"no workbook", zipOf("other.xlsx", map[string]string{"readme.txt": "hello"}), ErrNotWorkbook, "holds no workbook"},
		{"corrupt part", func() string {
			b := append([]byte{}, good...)
			// flip bytes in the middle of the first compressed part
			i := bytes.Index(b, []byte("xl/worksheets/sheet1.xml"))
			for j := i + 60; j < i+90; j++ {
				b[j] ^= 0x55
			}
			return write("corrupt.xlsx", b)
		}(), ErrDamaged, "sheet1.xml"},
		{"corrupt small part", func() string {
			b := append([]byte{}, good...)
			i := bytes.Index(b, []byte("xl/styles.xml"))
			for j := i + 60; j < i+90; j++ {
				b[j] ^= 0x55
			}
			return write("corruptstyles.xlsx", b)
		}(), ErrDamaged, "styles.xml"},
		{"xml cut short", rewrite(t, dir, "cut.xlsx", replacePart("xl/worksheets/sheet1.xml", sheet[:len(sheet)-40])), ErrDamaged, "cut short"},
		{"text before root", rewrite(t, dir, "foo.xlsx", replacePart("xl/worksheets/sheet1.xml", append([]byte("foo"), sheet...))), ErrDamaged, "not well-formed"},
		{"entity bomb", rewrite(t, dir, "lol.xlsx", replacePart("xl/worksheets/sheet1.xml", append([]byte(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>`), sheet[bytes.Index(sheet, []byte("<worksheet")):]...))), ErrHostile, "DOCTYPE"},
		{"doctype in a small part", rewrite(t, dir, "lolstyles.xlsx", replacePart("xl/styles.xml", []byte(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><styleSheet/>`))), ErrHostile, "DOCTYPE"},
		{"sheet cut short in its cells", rewrite(t, dir, "cutrows.xlsx", replacePart("xl/worksheets/sheet1.xml", sheet[:bytes.Index(sheet, []byte("</sheetData>"))-30])), ErrDamaged, "cut short"},
		{"cell out of range", rewrite(t, dir, "col.xlsx", replacePart("xl/worksheets/sheet1.xml", bytes.Replace(sheet, []byte(`r="B5"`), []byte(`r="XFE5"`), 1))), ErrDamaged, "XFE5"},
		{"duplicate part", rewrite(t, dir, "dup.xlsx", func(zw *zip.Writer, f *zip.File) bool {
			if f.Name == "xl/styles.xml" {
				zw.Copy(f)
			}
			return false
		}), ErrDamaged, "twice"},
		{"sheet missing", rewrite(t, dir, "nosheet.xlsx", func(zw *zip.Writer, f *zip.File) bool { return f.Name == "xl/worksheets/sheet1.xml" }), ErrDamaged, "no worksheet part"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readAll(t, tt.path)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.text) || !strings.Contains(err.Error(), filepath.Base(tt.path)) {
				t.Errorf("error %q should name the file and say %q", err, tt.text)
			}
			t.Log(err)
		})
	}
}

// Workbooks that excelize could not read, and the reader reads: a cell
// with an empty style attribute, a workbook part whose name differs in
// case, XML parts in UTF-16. Their cells are all there.
func TestOpenReadsUnusualWorkbooks(t *testing.T) {
	dir := t.TempDir()
	want, err := readAll(t, fixture)
	if err != nil {
		t.Fatal(err)
	}
	part := func(name string) []byte {
		zr, err := zip.OpenReader(fixture)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			if f.Name == name {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				return b
			}
		}
		t.Fatalf("fixture has no %s", name)
		return nil
	}
	utf16 := func(b []byte) []byte {
		b = bytes.Replace(b, []byte(`encoding="UTF-8"`), []byte(`encoding="UTF-16"`), 1)
		out := []byte{0xFF, 0xFE}
		for _, r := range string(b) {
			if r > 0xFFFF {
				t.Fatal("no surrogates in the fixture")
			}
			out = append(out, byte(r), byte(r>>8))
		}
		return out
	}
	sheet := part("xl/worksheets/sheet1.xml")
	for _, tt := range []struct{ name, path string }{
		{"empty style attribute", rewrite(t, dir, "empty-s.xlsx", replacePart("xl/worksheets/sheet1.xml", regexp.MustCompile(`<c r="([A-Z]+[0-9]+)"( s="[0-9]+")?`).ReplaceAll(sheet, []byte(`<c r="$1" s=""`))))},
		{"workbook part name in another case", rewrite(t, dir, "case.xlsx", func(zw *zip.Writer, f *zip.File) bool {
			if f.Name != "xl/workbook.xml" {
				return false
			}
			h := f.FileHeader
			h.Name = "xl/WorkBook.xml"
			w, _ := zw.CreateRaw(&h)
			r, _ := f.OpenRaw()
			io.Copy(w, r)
			return true
		})},
		{"UTF-16 parts", rewrite(t, dir, "utf16.xlsx", func(zw *zip.Writer, f *zip.File) bool {
			if f.Name != "xl/workbook.xml" && f.Name != "xl/worksheets/sheet1.xml" {
				return false
			}
			return replacePart(f.Name, utf16(part(f.Name)))(zw, f)
		})},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readAll(t, tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d rows, want %d", len(got), len(want))
			}
			for i := range got {
				for j, c := range got[i].Cells {
					w := want[i].Cells[j]
					w.Format, c.Format = "", "" // s="" is style 0
					if c != w {
						t.Errorf("%s: %+v, want %+v", c.Ref(), c, w)
					}
				}
			}
		})
	}
}

// A zip bomb is refused without being expanded: from its directory when
// the headers are honest, after its declared size when they lie (the
// worksheet is read to find out, as it streams).
func TestZipBombs(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name     string
		declared uint64
		actual   int64
		limit    int64
		text     string
	}{
		{"honest headers over the limit", 64 << 20, 64 << 20, 16 << 20, "more than the 16 MiB limit"},
		{"lying headers", 2000, 128 << 20, 0, "more than the 2000 bytes its header declares"},
		{"declared size beyond int64", 1<<64 - 1, 1 << 20, 0, "more than the 1 GiB limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := bomb(t, dir, "bomb.xlsx", tt.declared, tt.actual)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			err := func() error {
				wb, err := Open(p, Limits{MaxUnzipSize: tt.limit})
				if err != nil {
					return err
				}
				defer wb.Close()
				sr, err := wb.Open(context.Background(), wb.Sheets()[0])
				if err != nil {
					return err
				}
				defer sr.Close()
				for {
					if _, err := sr.Next(); err != nil {
						return err
					}
				}
			}()
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), tt.text) || !strings.Contains(err.Error(), "bomb.xlsx") {
				t.Fatalf("reading: %v, want an error naming the file and saying %q", err, tt.text)
			}
			if !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrDamaged) {
				t.Errorf("Open: %v is neither ErrTooLarge nor ErrDamaged", err)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
				t.Errorf("refusing the bomb allocated %d bytes; it must not be expanded into memory", alloc)
			}
		})
	}
}

func TestFileLargerThanLimit(t *testing.T) {
	_, err := Open(fixture, Limits{MaxUnzipSize: 1000})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "--max-unzip-size") {
		t.Fatalf("Open: %v, want ErrTooLarge naming the flag", err)
	}
}

func TestByteSize(t *testing.T) {
	for n, want := range map[uint64]string{12: "12 bytes", 2048: "2 KiB", 1 << 30: "1 GiB", 3 << 19: "1.5 MiB"} {
		if got := byteSize(n); got != want {
			t.Errorf("byteSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestCellLimit(t *testing.T) {
	for _, p := range []string{fixture, filepath.Join("..", "transform", "testdata", "written", "long-bom-semicolon.csv")} {
		wb, err := Open(p, Limits{MaxCells: 5})
		if err != nil {
			t.Fatal(err)
		}
		var rerr error
		for _, sheet := range wb.Sheets() {
			sr, err := wb.Open(context.Background(), sheet)
			if err != nil {
				t.Fatal(err)
			}
			for rerr == nil {
				_, rerr = sr.Next()
			}
			sr.Close()
		}
		wb.Close()
		if !errors.Is(rerr, ErrTooManyCells) || !strings.Contains(rerr.Error(), filepath.Base(p)) {
			t.Errorf("%s: got %v, want ErrTooManyCells naming the file", p, rerr)
		}
	}
}

// Merged ranges are known once the sheet was read: LibreOffice's
// merged.xlsx merges its title over the table, a growth heading over two
// columns and reporters down their blocks; the fixture merges nothing.
func TestMergedCells(t *testing.T) {
	for _, tt := range []struct {
		path string
		want []Range
	}{
		{filepath.Join("..", "transform", "testdata", "office", "lo", "merged.xlsx"), []Range{{1, 1, 6, 1}, {5, 2, 6, 2}, {1, 4, 1, 5}, {1, 6, 1, 8}}},
		{fixture, nil},
	} {
		wb, err := Open(tt.path, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		sr, err := wb.Open(context.Background(), wb.Sheets()[0])
		if err != nil {
			t.Fatal(err)
		}
		m := sr.(MergeReader)
		if _, err := m.MergedCells(); err == nil {
			t.Errorf("%s: merged cells before the last row: no error", tt.path)
		}
		for {
			if _, err := sr.Next(); err != nil {
				if !errors.Is(err, io.EOF) {
					t.Fatal(err)
				}
				break
			}
		}
		got, err := m.MergedCells()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: merged %v, want %v", tt.path, got, tt.want)
		}
		sr.Close()
		wb.Close()
	}
}

// BenchmarkOpen measures what the package check adds to reading a
// workbook: checkPackage alone against Open plus reading every row, on a
// long table of 100,000 rows.
func BenchmarkOpen(b *testing.B) {
	path := filepath.Join(b.TempDir(), "long.xlsx")
	f := excelize.NewFile()
	sw, _ := f.NewStreamWriter("Sheet1")
	sw.SetRow("A1", []any{"reporter", "partner", "flow", "product", "year", "value (EUR million)"})
	for i := 2; i <= 100_001; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i)
		sw.SetRow(cell, []any{"Flanders", "China", "exports", "product " + strconv.Itoa(i%97), 2013, float64(i) / 10})
	}
	sw.Flush()
	f.SaveAs(path)
	f.Close()
	b.Run("checkPackage", func(b *testing.B) {
		for b.Loop() {
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			fi, _ := f.Stat()
			if err := checkPackage(f, fi.Size(), Limits{}.withDefaults()); err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
	})
	b.Run("open+read", func(b *testing.B) {
		for b.Loop() {
			wb, err := Open(path, Limits{})
			if err != nil {
				b.Fatal(err)
			}
			sr, _ := wb.Open(context.Background(), "Sheet1")
			for {
				if _, err := sr.Next(); err != nil {
					break
				}
			}
			sr.Close()
			wb.Close()
		}
	})
}

// TestSheetNamesNotUTF8: a sheet name that is not valid UTF-8 is given
// with U+FFFD for each such byte (as JSON writes it; distinct from the
// other sheets' names), the sheet opens under that name and reads like
// the original, and TextRepairs says what was replaced, with the bytes.
func TestSheetNamesNotUTF8(t *testing.T) {
	dir := t.TempDir()
	workbook := func(names ...string) []byte {
		var sheets strings.Builder
		for i, n := range names {
			sheets.WriteString(`<sheet name="` + n + `" sheetId="` + strconv.Itoa(i+1) + `" r:id="rId1"/>`)
		}
		return []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>` + sheets.String() + `</sheets></workbook>`)
	}
	want, err := readAll(t, fixture)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		sheets []string
		want   []string
	}{
		{"one bad byte", []string{"Trade \xc3( China"}, []string{"Trade \uFFFD( China"}},
		{"two names that read the same", []string{"a\xff", "a\xfe", "a\uFFFD"}, []string{"a\uFFFD\uFFFD", "a\uFFFD\uFFFD\uFFFD", "a\uFFFD"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := rewrite(t, dir, strings.ReplaceAll(tt.name, " ", "-")+".xlsx", replacePart("xl/workbook.xml", workbook(tt.sheets...)))
			wb, err := Open(path, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			defer wb.Close()
			if got := wb.Sheets(); !slices.Equal(got, tt.want) {
				t.Fatalf("sheets %q, want %q", got, tt.want)
			}
			rows, err := readSheets(wb)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(want)*len(tt.sheets) {
				t.Errorf("%d rows, want %d", len(rows), len(want)*len(tt.sheets))
			}
			var bad int
			for _, s := range tt.sheets {
				if !utf8.ValidString(s) {
					bad++
				}
			}
			reps := wb.(TextRepairer).TextRepairs()
			if len(reps) != bad {
				t.Fatalf("repairs %+v, want %d", reps, bad)
			}
			for _, r := range reps {
				if !slices.Contains(tt.want, r.Sheet) || !strings.Contains(r.Message, "is not valid UTF-8 (its bytes in hex: ") {
					t.Errorf("repair %+v", r)
				}
			}
		})
	}
}
