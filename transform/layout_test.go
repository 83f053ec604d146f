package transform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tradeetl/tradeetl/schemas"
)

// stubbornWorkbook is a source detection cannot read: periods written as
// "J-1" and "J", labels no dictionary knows, a German long table.
func stubbornWorkbook(t *testing.T) []byte {
	f := excelize.NewFile()
	defer f.Close()
	set := func(sheet string, rows [][]any) {
		for i, row := range rows {
			for j, v := range row {
				if v == nil {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if err := f.SetCellValue(sheet, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	f.SetSheetName("Sheet1", "Tabel 3")
	set("Tabel 3", [][]any{
		{"Tabel 3"},
		{},
		{nil, "J-1", "J"},
		{"Export VL", 6.95, 6.80},
		{"Import VL", 12.08, 11.28},
		{"Saldo VL", -5.13, -4.48},
		{},
		{"Export VL", 1, 2},
	})
	f.NewSheet("Daten")
	set("Daten", [][]any{
		{"Ausfuhr nach China"},
		{"Land", "Richtung", "Jahr", "Wert (Mio EUR)"},
		{"Flanders", "exports", 2013, 6800.5},
		{"Belgium", "exports", 2013, 7410.25},
	})
	f.NewSheet("Notes")
	set("Notes", [][]any{{"2012", "2013"}, {"Export VL", 1, 2}})
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const stubbornLayout = `version: 1
layouts:
  - files: "stubborn*.xlsx"
    sheet: "Tabel*"
    range: A3:C6
    label_column: A
    partner: China
    unit: billion euro
    columns: {B: "2012", C: "2013"}
    labels:
      "Export VL": {reporter: Flanders, flow: exports}
      "Import VL": {reporter: Flanders, flow: imports}
      "Saldo VL":  {reporter: Flanders, flow: balance}
  - files: "stubborn*.xlsx"
    sheet: Daten
    header_row: 2
    partner: China
    columns: {Land: reporter, Richtung: flow, Jahr: year, "Wert (Mio EUR)": value}
  - files: "*.xlsx"
    sheet: Notes
    skip: true
`

func TestLayoutFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "stubborn-2013.xlsx")
	if err := os.WriteFile(path, stubbornWorkbook(t), 0o644); err != nil {
		t.Fatal(err)
	}
	// Without a layout, Tabel 3 is not read: J-1 and J are no periods.
	// (Daten is: its German column names are known.)
	obs, _, _, err := readFile(t, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range obs {
		if o.Sheet == "Tabel 3" {
			t.Fatalf("without layout: read %s!%s", o.Sheet, o.Cell)
		}
	}
	d, _ := schemas.DefaultDictionary()
	lay, err := LoadLayouts([]byte(stubbornLayout), d)
	if err != nil {
		t.Fatal(err)
	}
	obs, findings, infos, err := readFile(t, path, lay)
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) != 0 || len(obs) != 8 {
		t.Fatalf("with layout: %d observations, findings %v, infos %+v", len(obs), findings, infos)
	}
	m := bySheetCell(obs)
	check(t, m, "Tabel 3!C4", want{"Flanders", "China", "exports", "level", "2013", "", 6.8, 1, "EUR", 1e9, ""}) // 6.8 in General format
	check(t, m, "Tabel 3!B6", want{"Flanders", "China", "balance", "level", "2012", "", -5.13, 2, "EUR", 1e9, ""})
	check(t, m, "Daten!D4", want{"Belgium", "China", "exports", "level", "2013", "", 7410.25, 2, "EUR", 1e6, ""})
	if _, ok := m["Tabel 3!B8"]; ok {
		t.Error("row 8 is outside the layout's range but was read")
	}
	for _, in := range infos {
		if in.Name == "Notes" && (len(in.Notes) != 1 || !strings.Contains(in.Notes[0], "layout 3")) {
			t.Errorf("Notes sheet: %q", in.Notes)
		}
	}
	// The layout applies only to the files it names.
	other := filepath.Join(dir, "other.xlsx")
	os.WriteFile(other, stubbornWorkbook(t), 0o644)
	obs, _, _, _ = readFile(t, other, lay)
	for _, o := range obs {
		if o.Sheet == "Tabel 3" {
			t.Fatalf("a layout for stubborn*.xlsx was applied to other.xlsx (%s!%s read)", o.Sheet, o.Cell)
		}
	}
}

func TestLayoutErrors(t *testing.T) {
	d, _ := schemas.DefaultDictionary()
	tests := []struct{ yaml, want string }{
		{"version: 2\nlayouts: [{}]\n", "version 2"},
		{"version: 1\n", "no layouts"},
		{"version: 1\nlayouts:\n  - frobnicate: 1\n", "frobnicate"},
		{"version: 1\nlayouts:\n  - range: A1:Z\n", "range"},
		{"version: 1\nlayouts:\n  - range: A3:C6\n    header_row: 9\n", "outside the range"},
		{"version: 1\nlayouts:\n  - kind: wide\n", "kind"},
		{"version: 1\nlayouts:\n  - label_column: 3\n", "label_column"},
		{"version: 1\nlayouts:\n  - unit: bananas\n", "unit \"bananas\""},
		{"version: 1\nlayouts:\n  - labels: {\"X\": {reporter: Flanders, flow: exported goods}}\n", "flow"},
		{"version: 1\nlayouts:\n  - labels: {\"X\": {flow: exports}}\n", "names no reporter"},
		{"version: 1\nlayouts:\n  - labels: {\"X\": {reporter: Flanders, measure: growth}}\n", "measure"},
		{"version: 1\nlayouts:\n  - columns: {B: \"2013\", C: \"soon\"}\n", "not a period"},
		{"version: 1\nlayouts:\n  - kind: long\n    columns: {Jahr: when}\n", "role \"when\""},
		{"version: 1\nlayouts:\n  - files: \"[\"\n", "bad glob"},
	}
	for _, tt := range tests {
		_, err := LoadLayouts([]byte(tt.yaml), d)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("LoadLayouts(%q) = %v, want an error saying %q", tt.yaml, err, tt.want)
		}
	}
}

func TestLayoutFor(t *testing.T) {
	d, _ := schemas.DefaultDictionary()
	lay, err := LoadLayouts([]byte(`version: 1
layouts:
  - files: "incoming/*.xlsx"
    sheet: "T*"
    skip: true
  - files: "*.csv"
    skip: true
  - sheet: Notes
    skip: true
`), d)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file, sheet string
		want        int // entry index, 0 for none
	}{
		{"/data/incoming/a.xlsx", "Tabel", 1},
		{"incoming/a.xlsx", "Tabel", 1},
		{"/data/other/a.xlsx", "Tabel", 0},
		{"/data/incoming/a.xlsx", "Notes", 3},
		{"x/y.csv", "", 2},
		{"y.xlsx", "Data", 0},
	}
	for _, tt := range tests {
		got := 0
		if e := lay.For(tt.file, tt.sheet); e != nil {
			got = e.index
		}
		if got != tt.want {
			t.Errorf("For(%q, %q) = layout %d, want %d", tt.file, tt.sheet, got, tt.want)
		}
	}
}
