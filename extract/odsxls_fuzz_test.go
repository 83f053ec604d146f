package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/richardlehane/mscfb"
)

// fuzzLimits keep a fuzzed input small to read.
var fuzzLimits = Limits{MaxUnzipSize: 8 << 20, MaxCells: 200_000, MaxLineSize: 1 << 20, MaxFieldSize: 64 << 10}

// checkWorkbook reads every sheet of a fuzzed workbook and checks what a
// reader promises: no panic (the readers turn one into an error, refused
// here), errors that name the file and have a known class, rows in
// increasing order whose cells are in increasing columns on their row,
// text that is UTF-8, merged ranges inside the sheet.
func checkWorkbook(t *testing.T, name string, wb Workbook, err error) {
	t.Helper()
	check := func(err error) {
		t.Helper()
		if strings.Contains(err.Error(), "reader failed on it") {
			t.Fatalf("the reader panicked: %v", err)
		}
		if !strings.Contains(err.Error(), name) {
			t.Fatalf("error does not name the file: %v", err)
		}
		known := false
		for _, class := range []error{ErrDamaged, ErrNotWorkbook, ErrEncrypted, ErrLegacyXLS, ErrHostile, ErrTooLarge, ErrTooManyCells} {
			known = known || errors.Is(err, class)
		}
		if !known {
			t.Fatalf("error of no known class: %v", err)
		}
	}
	if err != nil {
		check(err)
		return
	}
	defer wb.Close()
	for _, sheet := range wb.Sheets() {
		if !utf8.ValidString(sheet) {
			t.Fatalf("sheet name %q is not UTF-8", sheet)
		}
		sr, err := wb.Open(context.Background(), sheet)
		if err != nil {
			check(err)
			continue
		}
		last := 0
		for {
			row, err := sr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				check(err)
				break
			}
			if row.Num <= last || len(row.Cells) == 0 {
				t.Fatalf("sheet %q: row %d after row %d, %d cells", sheet, row.Num, last, len(row.Cells))
			}
			last = row.Num
			col := 0
			for _, c := range row.Cells {
				if c.Row != row.Num || c.Col <= col || c.Col > xlsMaxCol {
					t.Fatalf("sheet %q row %d: cell %s after column %d", sheet, row.Num, c.Ref(), col)
				}
				col = c.Col
				if !utf8.ValidString(c.Text) || len(c.Text) > fuzzLimits.MaxFieldSize {
					t.Fatalf("cell %s: text %q", c.Ref(), c.Text)
				}
			}
		}
		if m, ok := sr.(MergeReader); ok {
			ranges, _ := m.MergedCells()
			for _, r := range ranges {
				if r.FromCol < 1 || r.FromRow < 1 || r.ToCol < r.FromCol || r.ToRow < r.FromRow {
					t.Fatalf("sheet %q: merged range %+v", sheet, r)
				}
			}
		}
		sr.Close()
	}
}

// FuzzODS reads fuzzed OpenDocument XML both as the content.xml of an
// .ods package and as a flat .fods file, and checks that the sheet
// scanner reads what encoding/xml reads.
func FuzzODS(f *testing.F) {
	// a few small ones: the fuzzer is slow on long inputs
	var files []string
	for _, name := range []string{"lo/newsletter-2013.ods", "gnumeric/p01_ireland_partners.ods", "lo/dates-1904.fods"} {
		files = append(files, filepath.Join("testdata", "office", filepath.FromSlash(name)))
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if strings.HasSuffix(p, ".fods") {
			f.Add(b)
			continue
		}
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			f.Fatal(err)
		}
		for _, z := range zr.File {
			if z.Name == "content.xml" {
				rc, _ := z.Open()
				c, _ := io.ReadAll(rc)
				rc.Close()
				f.Add(c)
			}
		}
	}
	f.Add([]byte(odsHead + `<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="2" office:value-type="float" office:value="1.5" table:number-columns-spanned="2"/><table:covered-table-cell/></table:table-row>` + odsTail))
	f.Fuzz(func(t *testing.T, b []byte) {
		z := odsZip(t, string(b))
		wb, err := openODS("fuzz.ods", bytes.NewReader(z), int64(len(z)), fuzzLimits.withDefaults())
		checkWorkbook(t, "fuzz.ods", wbOrNil(wb, err), err)
		// the scanner reads as encoding/xml does, where both read
		if fast, slow, ok := readODSBoth(t, "fuzz.ods", z); ok && fast != slow {
			t.Fatalf("the scanner reads\n%.3000s\nencoding/xml reads\n%.3000s", fast, slow)
		}
		fw, err := openFODS("fuzz.fods", bytes.NewReader(b), int64(len(b)), fuzzLimits.withDefaults())
		checkWorkbook(t, "fuzz.fods", wbOrNil(fw, err), err)
	})
}

func wbOrNil(w *odsWorkbook, err error) Workbook {
	if err != nil {
		return nil
	}
	return w
}

// FuzzXLS reads a fuzzed BIFF8 Workbook stream, and a fuzzed whole .xls
// file when the input is an OLE compound file.
func FuzzXLS(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "office", "*", "*.xls"))
	for i, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if i%4 == 0 {
			f.Add(b) // a few whole files
		}
		doc, err := mscfb.New(bytes.NewReader(b))
		if err != nil {
			f.Fatal(err)
		}
		for {
			e, err := doc.Next()
			if err != nil {
				break
			}
			if e.Name == "Workbook" || e.Name == "Book" {
				s := make([]byte, e.Size)
				io.ReadFull(e, s)
				f.Add(s)
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if bytes.HasPrefix(b, oleMagic) {
			wb, err := openXLS("fuzz.xls", bytes.NewReader(b), int64(len(b)), fuzzLimits.withDefaults())
			checkWorkbook(t, "fuzz.xls", wb, err)
			return
		}
		w := &xlsWorkbook{path: "fuzz.xls", stream: b, lim: fuzzLimits.withDefaults()}
		err := w.readGlobals()
		if err != nil {
			err = errorNaming("fuzz.xls", err)
		}
		if err == nil && len(w.sheets) == 0 {
			return
		}
		checkWorkbook(t, "fuzz.xls", w, err)
	})
}

// errorNaming wraps an error with a file name, as openXLS does.
func errorNaming(name string, err error) error {
	return &namedError{name, err}
}

type namedError struct {
	name string
	err  error
}

func (e *namedError) Error() string { return "open " + e.name + ": " + e.err.Error() }
func (e *namedError) Unwrap() error { return e.err }
