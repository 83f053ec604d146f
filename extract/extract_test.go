package extract

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/klauspost/compress/zstd"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func TestDecimals(t *testing.T) {
	tests := []struct {
		format string
		want   int
	}{
		{"General", -1}, {"", -1}, {"@", -1}, {"0", 0}, {"0.00", 2}, {"#,##0.0", 1},
		{"0.0%", 1}, {"0%", 0}, {"#,##0.00_);(#,##0.00)", 2}, {`0.00" bn"`, 2},
		{"0.00E+00", 2}, {`[Red]0.000`, 3}, {`"€ "#,##0.00`, 2},
	}
	for _, tt := range tests {
		if got := Decimals(tt.format); got != tt.want {
			t.Errorf("Decimals(%q) = %d, want %d", tt.format, got, tt.want)
		}
	}
}

func TestFormatKinds(t *testing.T) {
	for _, f := range []string{"0%", "0.0%", "0.00%;[Red]-0.00%"} {
		if !IsPercentFormat(f) {
			t.Errorf("IsPercentFormat(%q) = false", f)
		}
	}
	for _, f := range []string{"0.00", `0.0" %"`, "General"} {
		if IsPercentFormat(f) {
			t.Errorf("IsPercentFormat(%q) = true", f)
		}
	}
	for _, f := range []string{"mm-dd-yy", "d-mmm-yy", "yyyy-mm-dd", "[$-409]mmm yyyy"} {
		if !IsDateFormat(f) {
			t.Errorf("IsDateFormat(%q) = false", f)
		}
	}
	for _, f := range []string{"0.00", "General", "#,##0", `0.0" days"`} {
		if IsDateFormat(f) {
			t.Errorf("IsDateFormat(%q) = true", f)
		}
	}
}

func TestSniffDelimiter(t *testing.T) {
	tests := []struct {
		in   string
		want rune
	}{
		{"a,b,c\n1,2,3\n", ','},
		{"a;b;c\n1,5;2,5;3\n", ';'},
		{"a\tb\tc\n1\t2\t3\n", '\t'},
		{"a|b\n1|2\n", '|'},
		{"\"x,y\";b\n\"1,2\";3\n", ';'},
		{"single\n", ','},
		// A Statistics Sweden export: commas in the title and in the
		// headings, decimal commas and no-break space thousands in the
		// figures. Split on commas, every data line has as many fields as
		// on semicolons, but torn ones ("januari 2023;162 661").
		{"Varuhandel med utlandet, samtliga länder, mnkr\r\n\r\n" +
			"Månad;Export;Import;Export, förändring, %;Import, förändring, %\r\n" +
			"januari 2023;162\u00a0661,2;160\u00a0091,7;-0,7;1,1\r\n" +
			"februari 2023;167\u00a0596,3;162\u00a0538,3;2,5;0,1\r\n" +
			"mars 2023;170\u00a0239,7;167\u00a0600,9;-2,7;1,0\r\n", ';'},
		// Decimal commas split on commas look like two numbers each; on
		// semicolons they are one number holding a comma.
		{"Land;2023;2024\nDeutschland;25,5;24,1\nItalien;10,2;9,8\n", ';'},
		{"Land;2023;2024\nDeutschland;25'318.5;24'107.6\nItalien;10'216.8;9'804.5\n", ';'},
		// Prose commas in semicolon-separated labels, decimal points.
		{"Partner;Exports;Imports\nKorea, Republic of;12.5;10.1\nHong Kong, China;3.1;4.2\n", ';'},
		// Comma-separated with quoted figures and a title holding a semicolon.
		{"Trade; in million euro\n,2012,2013\nExports,\"6,950.0\",\"6,800.0\"\nShare,91.2%,91.8%\n", ','},
		{"Region,Value\nFlanders;Wallonia,6.8\nBrussels,1.2\nBelgium,8.0\n", ','},
		// Eurostat's bulk TSV: commas in the packed first column.
		{"freq,partner,geo\\TIME_PERIOD\t2019 \t2020 \nA,CN_X_HK,AT\t-4549.3 \t-4744.5 p\nA,CN_X_HK,FI\t: \t-2808.2 e\n", '\t'},
		{"Zeitraum\tAusfuhr\tVeränderung in %\n1. Quartal 2023\t50.318.428\t\n2. Quartal 2023\t48.712.305\t-3,2\n", '\t'},
		{"a|b, c|d\n1,5|2|3\n4|5,5|6\n", '|'},
		{"sep=;\na,b;c\n", ','}, // the sniffer skips a "sep=" line (the reader obeys it)
		{"", ','},
		{"\n\n", ','},
	}
	for _, tt := range tests {
		if got := SniffDelimiter([]byte(tt.in)); got != tt.want {
			t.Errorf("SniffDelimiter(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLooksNumeric(t *testing.T) {
	for _, s := range []string{"1234", "-0,7", "162\u00a0661,2", "1 594 837,6", "1.234,5", "6,950.0", "4'812.6",
		"4\u2019812.6", "25\u202f318,5", "(12.7)", "\u22122 745,6", "91.2%", "1.5E+06", "4512.3 p", "2019 ", ".5", "50.318.428", "-1.888.387"} {
		if !looksNumeric(s) {
			t.Errorf("looksNumeric(%q) = false", s)
		}
	}
	for _, s := range []string{"", "-", "2023-01", "2023M07", "Q1 2023", "januari 2023;162 661", "1,2,3,4", "12,34,56", "1.2.3",
		"5;2", ": c", "EU", "1e", "1 2", "1,234.567,8", "12 p q"} {
		if looksNumeric(s) {
			t.Errorf("looksNumeric(%q) = true", s)
		}
	}
}

func readAll(t *testing.T, path string) ([]Row, error) {
	t.Helper()
	return readAllLimits(t, path, Limits{})
}

func readAllLimits(t *testing.T, path string, lim Limits) ([]Row, error) {
	t.Helper()
	wb, err := Open(path, lim)
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	return readSheets(wb)
}

// readSheets reads every row of every sheet of wb.
func readSheets(wb Workbook) ([]Row, error) {
	var rows []Row
	for _, sheet := range wb.Sheets() {
		sr, err := wb.Open(context.Background(), sheet)
		if err != nil {
			return nil, err
		}
		for {
			row, err := sr.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				sr.Close()
				return rows, err
			}
			rows = append(rows, row)
		}
		sr.Close()
	}
	return rows, nil
}

func TestCSVEncodings(t *testing.T) {
	text := "Rapporteur;Valeur\nBelgique;6,80\nRégion flamande;1.234,5\n"
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	cp1252, err := charmap.Windows1252.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"utf8.csv":    text,
		"bom.csv":     "\xEF\xBB\xBF" + text,
		"utf16.csv":   utf16,
		"cp1252.csv":  cp1252,
		"ragged.csv":  "Rapporteur;Valeur;x\nBelgique;6,80\nRégion flamande;1.234,5\n",
		"crlf.csv":    strings.ReplaceAll(text, "\n", "\r\n"),
		"tabbed.tsv":  strings.ReplaceAll(text, ";", "\t"),
		"quoted.csv":  "\"Rapporteur\";\"Valeur\"\n\"Belgique\";\"6,80\"\n\"Région flamande\";\"1.234,5\"\n",
		"blanks.csv":  "Rapporteur;Valeur\n;\nBelgique;6,80\n\nRégion flamande;1.234,5\n",
		"unicode.csv": text,
	}
	dir := t.TempDir()
	for name, content := range files {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			rows, err := readAll(t, path)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 3 {
				t.Fatalf("got %d rows: %+v", len(rows), rows)
			}
			last := rows[2]
			if last.Cells[0].Text != "Région flamande" || last.Cells[1].Text != "1.234,5" || last.Cells[1].Ref() != "B"+itoa(last.Num) {
				t.Errorf("last row %+v", last)
			}
			if rows[0].Cells[0].Text != "Rapporteur" {
				t.Errorf("first cell %q (BOM not removed?)", rows[0].Cells[0].Text)
			}
		})
	}
}

// TestCSVPhysicalLines: a CSV cell is addressed by its field (A = first)
// and the physical line its record starts on, every line counted (title,
// blank and "sep=" lines included), whatever the BOM, line ends and
// encoding. Up to a quoted line break this is the address LibreOffice Calc
// 7.4 shows for the same file (checked by converting it with
// soffice --headless --infilter=CSV:59,34,76,1 --convert-to xlsx: A1, B3,
// A4, A7, and Wallonia in row 8). After a record that spans two lines,
// the spreadsheet counts the record as one row, the line count goes on
// counting lines: Wallonia's line is 9, one more than Calc's row 8. The
// line is the convention of the corpus key (and of a text editor's "go to
// line").
func TestCSVPhysicalLines(t *testing.T) {
	lines := []string{
		"Trade with China, in billion euro",
		"",
		";2012;2013",
		"Flanders exports;6,95;6,80",
		"",
		"",
		"\"Note: a label\non two lines\";1,00;2,00",
		"Wallonia exports;0,31;0,30 ", // a trailing space is kept
	}
	lf := strings.Join(lines, "\n") + "\n"
	crlf := strings.ReplaceAll(lf, "\n", "\r\n")
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(crlf)
	if err != nil {
		t.Fatal(err)
	}
	utf16be, err := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().String(lf)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"A1": "Trade with China, in billion euro",
		"B3": "2012", "C3": "2013",
		"A4": "Flanders exports", "B4": "6,95", "C4": "6,80",
		"A7": "Note: a label\non two lines", "B7": "1,00", "C7": "2,00",
		"A9": "Wallonia exports", "B9": "0,31", "C9": "0,30 ",
	}
	files := []struct {
		name, content string
		shift         int // lines before the table's first line
	}{
		{"lf.csv", lf, 0},
		{"crlf.csv", crlf, 0},
		{"bom-crlf.csv", "\xEF\xBB\xBF" + crlf, 0},
		{"utf16.csv", utf16, 0},
		{"utf16be-nobom.csv", utf16be, 0},
		{"sep.csv", "sep=;\r\n" + crlf, 1},
		{"bom-sep.csv", "\xEF\xBB\xBFsep=;\n" + lf, 1},
		{"tabs.tsv", strings.ReplaceAll(lf, ";", "\t"), 0},
		{"no-final-newline.csv", strings.TrimSuffix(lf, "\n"), 0},
		{"blank-start.csv", "\n\n" + lf, 2},
	}
	dir := t.TempDir()
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) {
			path := filepath.Join(dir, f.name)
			if err := os.WriteFile(path, []byte(f.content), 0o644); err != nil {
				t.Fatal(err)
			}
			rows, err := readAll(t, path)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, r := range rows {
				for _, c := range r.Cells {
					if c.Row != r.Num {
						t.Errorf("cell %+v in row %d", c, r.Num)
					}
					got[CellName(c.Col, c.Row-f.shift)] = c.Text
				}
			}
			for ref, text := range want {
				if got[ref] != text {
					t.Errorf("%s = %q, want %q", ref, got[ref], text)
				}
			}
			if len(got) != len(want) {
				t.Errorf("got cells %q, want %q", got, want)
			}
		})
	}
}

func itoa(n int) string {
	s := ""
	for n > 0 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}

func TestOpenRefusesNonWorkbooks(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...)
	encrypted := append(append([]byte{}, ole...), encryptedPackage...)
	tests := []struct {
		name string
		path string
		want error
		text string
	}{
		{"empty", write("empty.xlsx", nil), ErrNotWorkbook, "empty"},
		{"random bytes", write("random.xlsx", []byte("this is not a workbook at all")), ErrNotWorkbook, "not a zip"},
		{"damaged xls", write("old.xlsx", ole), ErrDamaged, "OLE compound file container (.xls)"},
		{"legacy xls", write("biff4.xls", []byte("\x09\x04\x06\x00\x00\x00\x10\x00")), ErrLegacyXLS, "Excel 2.x–4.0"},
		{"encrypted", write("secret.xlsx", encrypted), ErrEncrypted, "password"},
		{"truncated zip", write("trunc.xlsx", []byte("PK\x03\x04\x14\x00\x00\x00")), ErrDamaged, "truncated or corrupt"},
		{"unsupported type", write("data.json", []byte("{}")), ErrNotWorkbook, "unsupported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(tt.path, Limits{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("Open: %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.text) || !strings.Contains(err.Error(), filepath.Base(tt.path)) {
				t.Errorf("error %q should name the file and say %q", err, tt.text)
			}
		})
	}
}

// TestOpenRefusesBinaryText: a file named as delimited text whose bytes
// are compressed, archived or binary is refused on open with ErrNotText,
// naming the file and what it is; text that merely looks odd is read.
func TestOpenRefusesBinaryText(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	table := []byte("freq,geo\\TIME_PERIOD\t2023 \nA,AT\t4512.3 p\n")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(table)
	zw.Close()
	var zs bytes.Buffer
	ze, err := zstd.NewWriter(&zs)
	if err != nil {
		t.Fatal(err)
	}
	ze.Write(table)
	ze.Close()
	var zb bytes.Buffer
	za := zip.NewWriter(&zb)
	fw, _ := za.Create("data.csv")
	fw.Write(table)
	za.Close()
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().Bytes(table)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		b    []byte
		text string // "" for a file that must be read
	}{
		{"gz.tsv", gz.Bytes(), "gzip-compressed data, not text: decompress it first (gunzip)"},
		{"gz.csv", gz.Bytes(), "gzip-compressed data, not text"},
		{"bz2.csv", []byte("BZh91AY&SY\x12\x34\x56\x78\x00\x00"), "bzip2-compressed data, not text: decompress it first (bunzip2)"},
		{"xz.tsv", []byte("\xFD7zXZ\x00\x00\x04\xE6\xD6\xB4\x46"), "xz-compressed data, not text: decompress it first (unxz)"},
		{"zst.csv", zs.Bytes(), "zstd-compressed data, not text: decompress it first (unzstd)"},
		{"archive.csv", zb.Bytes(), "a zip archive (an .xlsx workbook or a zipped download), not text: unzip it, or name it .xlsx"},
		{"empty-zip.txt", []byte("PK\x05\x06" + strings.Repeat("\x00", 18)), "an empty zip archive, not text"},
		{"report.csv", []byte("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n"), "a PDF document, not text"},
		{"7z.tab", []byte("7z\xBC\xAF\x27\x1C\x00\x04"), "a 7-Zip archive, not text"},
		{"utf32.csv", []byte("\xFF\xFE\x00\x00a\x00\x00\x00"), "UTF-32 text, not text"},
		{"int16.csv", []byte("\x01\x00\x02\x00\x03\x00\x04\x00\x05\x00\x40\x00\x41\x00"), "binary data (a NUL byte at offset 1), not text"},
		{"parquet.csv", []byte("PAR1\x15\x04\x15\x10\x15\x14L\x15\x02\x15\x00\x12\x00\x00\x08\x1c\x01\x00\x00\x00"), "binary data (a NUL byte at offset 14), not text"},
		{"jsonstat.csv", []byte("\xEF\xBB\xBF{\n  \"version\": \"2.0\",\n  \"class\": \"dataset\"\n}"), "JSON data, not text: an API response"},
		{"sdmx.csv", []byte("[{\"id\":1}]"), "JSON data, not text"},
		{"login.csv", []byte("\n<!DOCTYPE html>\n<html><body>Sign in</body></html>"), "an HTML page, not text"},
		{"sdmxml.csv", []byte("<?xml version=\"1.0\"?><message:GenericData>"), "XML data, not text"},
		// text, read as such
		{"braces.csv", []byte("{a},1\n[b],2\n"), ""},
		{"lt.csv", []byte("<5,1\n>5,2\n"), ""},
		{"utf16-nobom.tsv", utf16, ""},
		{"bzh.csv", []byte("BZh is a label,1\nother,2\n"), ""},
		{"gzip-word.csv", []byte("\x1F\x8Bx,1\n"), ""},
		{"empty.csv", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := write(tt.name, tt.b)
			_, err := readAll(t, path)
			if tt.text == "" {
				if err != nil {
					t.Fatalf("read: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrNotText) {
				t.Fatalf("read: %v, want ErrNotText", err)
			}
			if !strings.Contains(err.Error(), tt.text) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %q should name the file and say %q", err, tt.text)
			}
		})
	}
	// The same zip named .xlsx is a workbook (here one without a workbook
	// part), an HTML error page named .xlsx is no workbook, and said to be
	// an HTML page.
	if _, err := Open(write("archive.xlsx", zb.Bytes()), Limits{}); !errors.Is(err, ErrNotWorkbook) || errors.Is(err, ErrNotText) {
		t.Errorf("zip named .xlsx: %v, want ErrNotWorkbook", err)
	}
	html := write("portal.xlsx", []byte("<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head></html>\n"))
	if _, err := Open(html, Limits{}); !errors.Is(err, ErrNotWorkbook) || !strings.Contains(err.Error(), "this is an HTML page") || !strings.Contains(err.Error(), "portal.xlsx") {
		t.Errorf("HTML named .xlsx: %v", err)
	}
}

func TestXLSXCells(t *testing.T) {
	rows, err := readAll(t, filepath.Join("..", "fixtures", "newsletter-2013.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	cells := map[string]Cell{}
	for _, r := range rows {
		for _, c := range r.Cells {
			cells[c.Ref()] = c
		}
	}
	tests := []struct {
		ref    string
		kind   Kind
		text   string
		format string
	}{
		{"A1", String, "Trade with China", "General"},
		{"B3", Number, "2011", "0"},
		{"D3", String, "Growth rate", "0"},
		{"E5", Number, "6.8", "0.00"},
		{"D5", Number, "11.9", "0.0"},
		{"A15", String, "(in billion euro)", "General"},
	}
	for _, tt := range tests {
		c, ok := cells[tt.ref]
		if !ok {
			t.Errorf("no cell %s", tt.ref)
			continue
		}
		if c.Kind != tt.kind || c.Text != tt.text || c.Format != tt.format {
			t.Errorf("%s = %+v, want kind %v text %q format %q", tt.ref, c, tt.kind, tt.text, tt.format)
		}
	}
	if _, ok := cells["D6"]; ok {
		t.Errorf("D6 is empty in the fixture but was read")
	}
}

func TestCSVSepLineAndBrokenQuotes(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "sep.csv")
	os.WriteFile(p, []byte("sep=;\r\nReporter;Value\r\nBelgium;6,80\r\n"), 0o644)
	rows, err := readAll(t, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Num != 2 || rows[1].Cells[1].Text != "6,80" || rows[1].Cells[1].Ref() != "B3" {
		t.Fatalf("rows %+v", rows)
	}
	p = filepath.Join(dir, "quote.csv")
	os.WriteFile(p, []byte("Reporter,Value\nBelgium,\"6.80\nFlanders,6.21\nWallonia,0.3\n"), 0o644)
	_, err = readAll(t, p)
	if !errors.Is(err, ErrInconsistent) || !strings.Contains(err.Error(), "quote is not closed") || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("got %v, want ErrInconsistent naming row 2", err)
	}
}

// FuzzCSV reads fuzzed bytes as a CSV file: the delimiter is one of the
// candidates, rows come in order of their lines with cells in column
// order, and a broken or binary file gives an error naming it, never a
// panic.
func FuzzCSV(f *testing.F) {
	seeds := []string{
		"a,b,c\n1,2,3\n",
		"sep=;\nReporter;Value\nBelgium;6,80\n",
		"\xEF\xBB\xBFRapporteur;Valeur\nBelgique;6,80\n",
		"\xFF\xFEa\x00\t\x00b\x00\n\x001\x00\t\x002\x00\n\x00",
		"R\xe9gion flamande,\"1,234.5\"\n",
		"a,\"b\nc,d\ne\n",
		"\"x,y\";b\n\"1,2\";3\n",
		"Title, with commas\r\n\r\nMonth;Export;Change, %\r\njanuari 2023;162\u00a0661,2;-0,7\r\n",
		"a;b\n\n\n\"two\nlines\";1,5\n\nc;2,5\n",
		"sep=;\n\na;b\n",
		"\x1F\x8B\x08\x00\x00\x00\x00\x00\x02\x03K+J-",
		"PK\x03\x04\x14\x00\x00\x00",
		"%PDF-1.7\n",
		"a\x00b\x00\t\x00c\x00\n\x001\x00\t\x002\x00\n\x00",
		"ab\x00\x00\x01c",
		"BZh is text,1\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		switch d := SniffDelimiter(b); d {
		case ',', ';', '\t', '|':
		default:
			t.Fatalf("SniffDelimiter gives %q", d)
		}
		path := filepath.Join(dir, "fuzz.csv")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		rows, err := readAll(t, path)
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		// Rows are numbered by physical line: none beyond the last line
		// of a UTF-8 file.
		lines := bytes.Count(b, []byte("\n")) + 1
		last := 0
		for _, r := range rows {
			if utf8.Valid(b) && r.Num > lines {
				t.Fatalf("row %d in a file of %d lines", r.Num, lines)
			}
			if r.Num <= last {
				t.Fatalf("row %d after row %d", r.Num, last)
			}
			last = r.Num
			col := 0
			for _, c := range r.Cells {
				if c.Col <= col || c.Row != r.Num || c.Text == "" {
					t.Fatalf("row %d: cell %+v", r.Num, c)
				}
				col = c.Col
			}
		}
	})
}
