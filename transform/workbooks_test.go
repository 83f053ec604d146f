package transform

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/schemas"
)

// The real workbooks these tests read: testdata/office (written by
// LibreOffice and Gnumeric from the sources there, see build.py) and
// testdata/written (written by a library, excelize, and as CSV exports in
// several encodings, by writeTestFiles; regenerate with
// go test ./transform -run TestWrittenFilesUpToDate -update).
var update = flag.Bool("update", false, "rewrite testdata/written")

// readFile runs extract and transform on a file.
func readFile(t *testing.T, path string, lay *Layouts) ([]schemas.Observation, []schemas.Finding, []SheetInfo, error) {
	t.Helper()
	d, err := schemas.DefaultDictionary()
	if err != nil {
		t.Fatal(err)
	}
	wb, err := extract.Open(path, extract.Limits{})
	if err != nil {
		return nil, nil, nil, err
	}
	defer wb.Close()
	var obs []schemas.Observation
	var findings []schemas.Finding
	infos, err := Workbook(context.Background(), wb, Options{Dict: d, File: path, Layouts: lay}, func(o []schemas.Observation, f []schemas.Finding) error {
		obs = append(obs, o...)
		findings = append(findings, f...)
		return nil
	})
	return obs, findings, infos, err
}

// bySheetCell indexes observations by "Sheet!Cell".
func bySheetCell(obs []schemas.Observation) map[string]schemas.Observation {
	m := map[string]schemas.Observation{}
	for _, o := range obs {
		m[o.Ref()] = o
	}
	return m
}

func findingKeys(fs []schemas.Finding) []string {
	var out []string
	for _, f := range fs {
		cell := ""
		if len(f.Cells) > 0 {
			cell = f.Sheet + "!" + f.Cells[0]
		}
		out = append(out, f.Rule+"@"+cell)
	}
	slices.Sort(out)
	return out
}

// Both office suites write the same workbook; every form in it must read
// the same way from both.
func TestOfficeWorkbooks(t *testing.T) {
	for _, writer := range []string{"lo", "gnumeric"} {
		t.Run(writer, func(t *testing.T) {
			path := filepath.Join("testdata", "office", writer, "trade-china.xlsx")
			obs, findings, infos, err := readFile(t, path, nil)
			if err != nil {
				t.Fatal(err)
			}
			m := bySheetCell(obs)
			cells := map[string]want{
				// Dutch, table at B2 with a blank column A, merged title,
				// group headings "Waarde" | "Groei (%)" over a header
				// with the same years twice, "2013*", text figures with
				// decimal commas, ":" missing
				"China NL!E8":  {"Flanders", "China", "exports", "level", "2013", "", 6.8, 2, "EUR", 1e9, ""},
				"China NL!C7":  {"Belgium", "China", "exports", "level", "2011", "", 6.75, 2, "EUR", 1e9, ""},
				"China NL!G12": {"Flanders", "China", "imports", "growth", "2013", "2012", -6.6, 1, "%", 1, ""},
				"China NL!F15": {"Flanders", "China", "deficit", "growth", "2012", "2011", -17.1, 1, "%", 1, ""},
				"China NL!D13": {"Flanders", "China", "imports", "share", "2012", "", 90.1, 1, "%", 1, ""},
				"China NL!E16": {"Belgium", "China", "deficit", "level", "2013", "", 0, 0, "EUR", 1e9, ":"},
				// French, "€ mn" in the header corner, years as numbers,
				// thousands format, negatives shown in parentheses,
				// shares as 0.918 with a % format, formulas' cached values
				"Chine FR!E4":  {"Flanders", "China", "exports", "level", "2013", "", 6800, 1, "EUR", 1e6, ""},
				"Chine FR!F4":  {"Flanders", "China", "exports", "growth", "2013", "2012", -2.2, 1, "%", 1, ""},
				"Chine FR!E5":  {"Flanders", "China", "exports", "share", "2013", "", 91.8, 1, "%", 1, ""},
				"Chine FR!E9":  {"Flanders", "China", "deficit", "level", "2013", "", 4480, 1, "EUR", 1e6, ""},
				"Chine FR!E10": {"Belgium", "China", "deficit", "level", "2013", "", 0, 0, "EUR", 1e6, "#DIV/0!"},
				"Chine FR!F10": {"Belgium", "China", "deficit", "growth", "2013", "2012", 0, 0, "%", 1, "#N/A"},
				// quarters in three spellings, a unit column
				"Quarters!C4": {"Flanders", "China", "exports", "level", "2013Q1", "", 1690.5, 1, "EUR", 1e6, ""},
				"Quarters!F5": {"Flanders", "China", "imports", "level", "2013Q4", "", 2859.5, 1, "EUR", 1e6, ""},
				"Quarters!E6": {"Flanders", "China", "deficit", "level", "2013Q3", "", 1102, 1, "EUR", 1e6, ""},
				// months as date cells, then as text in a second table
				"Months!B3": {"Flanders", "China", "exports", "level", "2013-01", "", 560.2, 1, "EUR", 1e6, ""},
				"Months!D7": {"Flanders", "China", "imports", "level", "2014-03", "", 940.2, 1, "EUR", 1e6, ""},
				// long table, unit in the value header
				"Products!G6": {"Flanders", "China", "exports", "level", "2013", "", 2.1e9, 0, "EUR", 1, ""},
			}
			for ref, w := range cells {
				check(t, m, ref, w)
			}
			if len(obs) != 36+36+12+6+5 {
				t.Errorf("%d observations, want %d", len(obs), 36+36+12+6+5)
			}
			if p := m["Products!G5"]; p.Product != schemas.ProductTotal || p.ProductCode != "TOTAL" || m["Products!G7"].Product != "Metals" || m["Products!G7"].ProductCode != "15" {
				t.Errorf("products: %+v, %+v", p, m["Products!G7"])
			}
			if got, want := findingKeys(findings), []string{"excel_error@Chine FR!E10", "excel_error@Chine FR!F10"}; !slices.Equal(got, want) {
				t.Errorf("findings %v, want %v", got, want)
			}
			var notes []string
			for _, in := range infos {
				if in.Name == "Toelichting" {
					notes = in.Notes
				}
			}
			if len(notes) != 1 || !strings.Contains(notes[0], "no table found") {
				t.Errorf("sheet without a table: notes %q", notes)
			}
		})
	}
}

func TestOfficeDate1904(t *testing.T) {
	for _, writer := range []string{"lo", "gnumeric"} {
		obs, _, _, err := readFile(t, filepath.Join("testdata", "office", writer, "dates-1904.xlsx"), nil)
		if err != nil {
			t.Fatal(err)
		}
		m := bySheetCell(obs)
		// read in the 1900 system, these serials fall four years early
		check(t, m, "Monthly!B3", want{"Flanders", "China", "exports", "level", "2013-01", "", 560.2, 1, "EUR", 1e6, ""})
		check(t, m, "Monthly!D3", want{"Flanders", "China", "exports", "level", "2013-12", "", 590, 1, "EUR", 1e6, ""})
	}
}

func TestEmptyWorkbook(t *testing.T) {
	for _, writer := range []string{"lo", "gnumeric"} {
		_, _, _, err := readFile(t, filepath.Join("testdata", "office", writer, "empty.xlsx"), nil)
		if !errors.Is(err, ErrEmptyFile) || !strings.Contains(err.Error(), "empty.xlsx") {
			t.Errorf("%s: got %v, want ErrEmptyFile naming the file", writer, err)
		}
	}
}

// Files written by a library (formulas without cached values) and CSV
// exports in the encodings Excel writes.
func TestWrittenFiles(t *testing.T) {
	dir := filepath.Join("testdata", "written")
	t.Run("excelize", func(t *testing.T) {
		obs, findings, _, err := readFile(t, filepath.Join(dir, "library.xlsx"), nil)
		if err != nil {
			t.Fatal(err)
		}
		m := bySheetCell(obs)
		for ref, w := range map[string]want{
			"Values!B4": {"Flanders", "China", "exports", "level", "2012", "", 6950, 1, "EUR", 1e6, ""},
			"Values!C4": {"Flanders", "China", "exports", "level", "2013", "", 6800, 1, "EUR", 1e6, ""},
			"Values!B5": {"Flanders", "China", "exports", "share", "2012", "", 91.2, 1, "%", 1, ""},
			"Values!C5": {"Flanders", "China", "exports", "share", "2013", "", 91.8, 1, "%", 1, ""},
			"Values!B6": {"Belgium", "China", "exports", "level", "2012", "", 7620, 1, "EUR", 1e6, ""},
			"Values!C6": {"Belgium", "China", "exports", "level", "2013", "", 7410, 1, "EUR", 1e6, ""},
			"Values!B7": {"Flanders", "China", "balance", "level", "2012", "", -5130, 1, "EUR", 1e6, ""},
			"Values!C7": {"Flanders", "China", "balance", "level", "2013", "", 0, 0, "EUR", 1e6, "=C4-C8"},
			"Values!B8": {"Flanders", "China", "imports", "level", "2012", "", 12080, 1, "EUR", 1e6, ""},
			"Values!C8": {"Flanders", "China", "imports", "level", "2013", "", 0, 0, "EUR", 1e6, "n.a."},
			"Values!B9": {"Belgium", "China", "imports", "level", "2012", "", 0, 0, "EUR", 1e6, "…"},
			"Values!C9": {"Belgium", "China", "imports", "level", "2013", "", 12620.5, 1, "EUR", 1e6, ""},
			"Lang!F3":   {"Flanders", "China", "exports", "level", "2013", "", 6800000, 0, "EUR", 1000, ""},
			"Lang!F4":   {"Flanders", "China", "exports", "level", "2013", "", 2100000, 0, "EUR", 1000, ""},
		} {
			check(t, m, ref, w)
		}
		if o := m["Values!C7"]; o.HasValue || o.Text != "" {
			t.Errorf("a formula without a cached value must be missing, never 0: %+v", o)
		}
		if m["Lang!F3"].Product != schemas.ProductTotal || m["Lang!F4"].Product != "Chemie" {
			t.Errorf("products %q %q", m["Lang!F3"].Product, m["Lang!F4"].Product)
		}
		if got, want := findingKeys(findings), []string{"formula_no_value@Values!C7"}; !slices.Equal(got, want) {
			t.Errorf("findings %v, want %v", got, want)
		}
	})
	csvs := []struct {
		file  string
		count int
		cells map[string]want
	}{
		{"long-bom-semicolon.csv", 3, map[string]want{
			"F2": {"Flanders", "China", "exports", "level", "2013", "", 6800000000, 2, "EUR", 1, ""},
			"F3": {"Flanders", "China", "exports", "level", "2013", "", 2100000000.5, 2, "EUR", 1, ""},
			"F4": {"Belgium", "China", "imports", "level", "2013Q1", "", -1234.5, 1, "EUR", 1, ""},
		}},
		{"report-utf16.tsv", 6, map[string]want{
			"C3": {"Belgium", "China", "exports", "level", "2013", "", 7.41, 2, "EUR", 1e9, ""},
			"B4": {"Flanders", "China", "exports", "level", "2012", "", 6.95, 2, "EUR", 1e9, ""},
			"C5": {"Flanders", "China", "deficit", "level", "2013", "", 4.48, 2, "EUR", 1e9, ""},
		}},
		{"report-cp1252.csv", 6, map[string]want{
			"B4": {"Flanders", "China", "exports", "level", "2012", "", 6950, 1, "EUR", 1e6, ""},
			"C6": {"Flanders", "China", "deficit", "level", "2013", "", 4480, 1, "EUR", 1e6, ""},
			"C5": {"Flanders", "China", "exports", "share", "2013", "", 91.8, 1, "%", 1, ""},
		}},
		{"sep-line.csv", 2, map[string]want{
			"C4": {"Flanders", "China", "exports", "level", "2013", "", 6.8, 2, "EUR", 1e9, ""},
		}},
	}
	for _, tt := range csvs {
		t.Run(tt.file, func(t *testing.T) {
			obs, findings, _, err := readFile(t, filepath.Join(dir, tt.file), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(obs) != tt.count || len(findings) != 0 {
				for _, o := range obs {
					t.Logf("%s %s %s %v", o.Cell, o.Reporter, o.Flow, o.Value)
				}
				t.Fatalf("%d observations, findings %v; want %d and none", len(obs), findings, tt.count)
			}
			m := byCell(obs)
			for ref, w := range tt.cells {
				check(t, m, ref, w)
			}
		})
	}
	t.Run("inconsistent.csv", func(t *testing.T) {
		_, _, _, err := readFile(t, filepath.Join(dir, "inconsistent.csv"), nil)
		if !errors.Is(err, extract.ErrInconsistent) || !strings.Contains(err.Error(), "row 2") || !strings.Contains(err.Error(), "unquoted delimiter") {
			t.Fatalf("got %v, want ErrInconsistent naming row 2", err)
		}
	})
}

// testFiles are the files of testdata/written, by name.
func testFiles(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	files["library.xlsx"] = libraryWorkbook(t)
	files["long-bom-semicolon.csv"] = []byte("\xEF\xBB\xBF" +
		"reporter;partner;flow;product;period;value_eur\r\n" +
		"Flanders;China;exports;Total;2013;6.800.000.000,00\r\n" +
		"Vlaanderen;China;uitvoer;Chemie;2013;2.100.000.000,50\r\n" +
		"Belgique;Chine;importations;Total;Q1 2013;(1.234,5)\r\n")
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(
		"Commerce avec la Chine (en milliards d'euros)\r\n" +
			"\t2012\t2013\r\n" +
			"Exportations belges\t7,62\t7,41\r\n" +
			"Exportations flamandes\t6,95\t6,80\r\n" +
			"Déficit flamand\t5,13\t4,48\r\n")
	if err != nil {
		t.Fatal(err)
	}
	files["report-utf16.tsv"] = []byte(utf16)
	cp1252, err := charmap.Windows1252.NewEncoder().String(
		"Région flamande – commerce avec la Chine\r\n" +
			"en millions d'euros\r\n" +
			",2012,2013\r\n" +
			"Exportations flamandes,\"6,950.0\",\"6,800.0\"\r\n" +
			"Part de la Flandre,91.2%,91.8%\r\n" +
			"Déficit flamand,\"5,130.0\",\"4,480.0\"\r\n" +
			"Source: BNB\r\n")
	if err != nil {
		t.Fatal(err)
	}
	files["report-cp1252.csv"] = []byte(cp1252)
	files["sep-line.csv"] = []byte("sep=;\nTrade with China (EUR bn)\n;2012;2013\nFlanders exports;6,95;6,80\n")
	files["inconsistent.csv"] = []byte("reporter,flow,year,value\nFlanders,exports,2013,6,80\nFlanders,imports,2013,11,28\n")
	return files
}

// libraryWorkbook writes a workbook the way programs using a library do:
// figures as text in every notation, a share as 0.912 with a percent
// format, a formula without a cached value, and a Dutch long table.
func libraryWorkbook(t *testing.T) []byte {
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "Values"))
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 11 - 1}) // 10: 0.00%
	must(err)
	pct1 := "0.0%"
	pct1Style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &pct1})
	must(err)
	num1 := "#,##0.0"
	num1Style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &num1})
	must(err)
	_ = pct
	rows := [][]any{
		{"Flanders trade with China (EUR million)"},
		{},
		{nil, 2012, "2013*"},
		{"Flanders exports", "6.950,0", 6800.0},
		{"% Flanders", 0.912, "91,8 %"},
		{"Belgium exports", "7 620,0*", "7410.0 (p)"},
		{"Flanders trade balance", "(5.130,0)", nil},
		{"Flanders imports", "12,080.0", "n.a."},
		{"Belgium imports", "…", "12.620,5"},
	}
	for i, row := range rows {
		for j, v := range row {
			if v == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			must(f.SetCellValue("Values", cell, v))
		}
	}
	must(f.SetCellStyle("Values", "C4", "C4", num1Style))
	must(f.SetCellStyle("Values", "B5", "B5", pct1Style))
	must(f.SetCellFormula("Values", "C7", "C4-C8"))
	_, err = f.NewSheet("Lang")
	must(err)
	long := [][]any{
		{"Gewest", "Partnerland", "Stroom", "Productgroep", "Jaar", "Waarde (duizend euro)"},
		{"Vlaanderen", "China", "Uitvoer", "Totaal", 2013, 6800000},
		{"Vlaanderen", "China", "Uitvoer", "Chemie", 2013, 2100000},
	}
	for i, row := range long {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
			must(f.SetCellValue("Lang", cell, v))
		}
	}
	buf, err := f.WriteToBuffer()
	must(err)
	return buf.Bytes()
}

// The committed files are what testFiles writes (run with -update after
// changing it). The workbook's bytes carry timestamps, so it is compared
// by what it holds.
func TestWrittenFilesUpToDate(t *testing.T) {
	dir := filepath.Join("testdata", "written")
	files := testFiles(t)
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, b := range files {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	for name, b := range files {
		if strings.HasSuffix(name, ".xlsx") {
			continue
		}
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(b) {
			t.Errorf("testdata/written/%s is out of date: go test ./transform -run TestWrittenFilesUpToDate -update", name)
		}
	}
}

// A note under a CSV table may hold commas: only data rows must fit the
// table.
func TestCSVNoteWiderThanTable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.csv")
	os.WriteFile(path, []byte("Trade with China (EUR bn)\n,2012,2013\nFlanders exports,6.95,6.80\nSource: NBB, Eurostat, own calculations, 2014, rounded\n"), 0o644)
	obs, findings, _, err := readFile(t, path, nil)
	if err != nil || len(obs) != 2 || len(findings) != 0 {
		t.Fatalf("got %d observations, findings %v, error %v", len(obs), findings, err)
	}
}

// Labels over two columns with the reporter merged down its block, and a
// growth heading merged over two columns with its years in the row below.
func TestOfficeMergedBlocks(t *testing.T) {
	for _, writer := range []string{"lo", "gnumeric"} {
		obs, findings, infos, err := readFile(t, filepath.Join("testdata", "office", writer, "merged.xlsx"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(obs) != 20 || len(findings) != 0 {
			t.Fatalf("%s: %d observations, findings %v, want 20 and none", writer, len(obs), findings)
		}
		m := bySheetCell(obs)
		check(t, m, "Blocks!C5", want{"Belgium", "China", "imports", "level", "2012", "", 13.4, 2, "EUR", 1e9, ""})
		check(t, m, "Blocks!D8", want{"Flanders", "China", "deficit", "level", "2013", "", 4.48, 2, "EUR", 1e9, ""})
		check(t, m, "Blocks!F7", want{"Flanders", "China", "imports", "growth", "2013", "2012", -6.6, 1, "%", 1, ""})
		check(t, m, "Blocks!E4", want{"Belgium", "China", "exports", "growth", "2012", "2011", 12.9, 1, "%", 1, ""})
		if tb := infos[0].Tables[0]; tb.LabelCol != "A+B" || tb.HeaderRow != 2 {
			t.Errorf("%s: table %+v", writer, tb)
		}
	}
}
