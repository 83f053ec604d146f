package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/xuri/excelize/v2"
)

// TestExactDecimals: figures of up to 18 significant digits (more than a
// float64 holds) written as text in a CSV, as text in an xlsx cell and as
// the stored number of an xlsx cell reach value, value_base and value_eur
// digit for digit, read back from the Parquet; a number Excel stored as
// a float printout ("2.6749999999999998") is the figure Excel shows; a
// number format's decimals round the stored digits.
func TestExactDecimals(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	csv := "reporter,partner,flow,year,unit,value\n" +
		"Belgium,China,exports,2010,EUR,9007199254740993\n" +
		"Belgium,China,exports,2011,EUR,123456789.012345678\n" +
		"Belgium,China,exports,2012,EUR,\"-1 234 567 890,12345678\"\n" + // decimal comma, digit groups
		"Belgium,China,exports,2013,EUR,6.8\n"
	if err := os.WriteFile(filepath.Join(in, "exact.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	x := excelize.NewFile()
	for i, h := range []string{"Reporter", "Partner", "Flow", "Year", "Unit", "Value"} {
		x.SetCellStr("Sheet1", string(rune('A'+i))+"1", h)
	}
	twoDecimals, err := x.NewStyle(&excelize.Style{NumFmt: 2}) // 0.00
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range []struct {
		year    int
		text    string
		number  bool
		rounded bool
	}{
		{2010, "123456789.012345678", true, false},   // a stored number with digits its float lacks
		{2011, "9007199254740993", false, false},     // text
		{2012, "2.6749999999999998", true, false},    // Excel's 2.675
		{2013, "123456789012345.678", true, true},    // shown as 0.00
		{2014, "-98765432109876543.2", true, false},  // 18 digits, negative
		{2015, "12345678901234567.89", false, false}, // text, 19 digits
	} {
		row := i + 2
		cell := func(col string) string { return col + strconv.Itoa(row) }
		x.SetCellStr("Sheet1", cell("A"), "Belgium")
		x.SetCellStr("Sheet1", cell("B"), "China")
		x.SetCellStr("Sheet1", cell("C"), "exports")
		x.SetCellInt("Sheet1", cell("D"), int64(v.year))
		x.SetCellStr("Sheet1", cell("E"), "EUR")
		if v.number {
			x.SetCellDefault("Sheet1", cell("F"), v.text) // <v>text</v>, a number
		} else {
			x.SetCellStr("Sheet1", cell("F"), v.text)
		}
		if v.rounded {
			x.SetCellStyle("Sheet1", cell("F"), cell("F"), twoDecimals)
		}
	}
	if err := x.SaveAs(filepath.Join(in, "exact.xlsx")); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	var stdout, stderr bytes.Buffer
	if code := execute(context.Background(), []string{"run", "--quiet", "--out", out, in}, &stdout, &stderr); code > 1 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	got := map[string]string{}
	paths, _ := filepath.Glob(filepath.Join(out, "observations", "*.parquet"))
	for _, p := range paths {
		for _, row := range parquetRows(t, p, "file", "cell", "value", "value_base", "value_eur", "decimals") {
			got[filepath.Base(row[0])+" "+row[1]] = strings.Join(row[2:], " ")
		}
	}
	// (arrow prints decimals without trailing zeros)
	want := map[string]string{
		"exact.csv F2":  "9007199254740993 9007199254740993 9007199254740993 0",
		"exact.csv F3":  "123456789.012345678 123456789.01 123456789.01 9",
		"exact.csv F4":  "-1234567890.12345678 -1234567890.12 -1234567890.12 8",
		"exact.csv F5":  "6.8 6.8 6.8 1",
		"exact.xlsx F2": "123456789.012345678 123456789.01 123456789.01 9",
		"exact.xlsx F3": "9007199254740993 9007199254740993 9007199254740993 0",
		"exact.xlsx F4": "2.675 2.68 2.68 3",
		"exact.xlsx F5": "123456789012345.68 123456789012345.68 123456789012345.68 2",
		"exact.xlsx F6": "-98765432109876543.2 -98765432109876543.2 -98765432109876543.2 1",
		"exact.xlsx F7": "12345678901234567.89 12345678901234567.89 12345678901234567.89 2",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: value, value_base, value_eur, decimals = %s, want %s", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d observations, want %d: %v", len(got), len(want), got)
	}
}

// parquetRows reads the given columns of a Parquet file as text, row by
// row.
func parquetRows(t *testing.T, path string, cols ...string) [][]string {
	t.Helper()
	rdr, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Close()
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	table, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer table.Release()
	rows := make([][]string, table.NumRows())
	for _, col := range cols {
		idx := table.Schema().FieldIndices(col)
		if len(idx) != 1 {
			t.Fatalf("%s: no column %s", path, col)
		}
		flat, err := array.Concatenate(table.Column(idx[0]).Data().Chunks(), memory.DefaultAllocator)
		if err != nil {
			t.Fatal(err)
		}
		for i := range rows {
			rows[i] = append(rows[i], flat.ValueStr(i))
		}
		flat.Release()
	}
	return rows
}
