package extract

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	}
	for _, tt := range tests {
		if got := SniffDelimiter([]byte(tt.in)); got != tt.want {
			t.Errorf("SniffDelimiter(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func readAll(t *testing.T, path string) ([]Row, error) {
	t.Helper()
	wb, err := Open(path, Limits{})
	if err != nil {
		return nil, err
	}
	defer wb.Close()
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
		{"legacy xls", write("old.xlsx", ole), ErrLegacyXLS, ".xls"},
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
// candidates, rows come in order with cells in column order, and a broken
// file gives an error naming it, never a panic.
func FuzzCSV(f *testing.F) {
	seeds := []string{
		"a,b,c\n1,2,3\n",
		"sep=;\nReporter;Value\nBelgium;6,80\n",
		"\xEF\xBB\xBFRapporteur;Valeur\nBelgique;6,80\n",
		"\xFF\xFEa\x00\t\x00b\x00\n\x001\x00\t\x002\x00\n\x00",
		"R\xe9gion flamande,\"1,234.5\"\n",
		"a,\"b\nc,d\ne\n",
		"\"x,y\";b\n\"1,2\";3\n",
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
		last := 0
		for _, r := range rows {
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
