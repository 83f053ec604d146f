package load_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/apache/arrow-go/v18/parquet/schema"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

var loadedAt = time.Date(2026, 3, 1, 12, 30, 45, 123456789, time.UTC)

func testMeta() load.Metadata {
	return load.Metadata{
		RunID:        "run-1",
		Version:      "v0.1.0",
		RulesVersion: "rules-3",
		Sources:      map[string]string{"in/b.xlsx": strings.Repeat("b", 64), "in/a.xlsx": strings.Repeat("a", 64)},
		LoadedAt:     loadedAt,
	}
}

// checkedAlloc returns an allocator that fails the test if anything
// allocated through it is still held when the test ends.
func checkedAlloc(t testing.TB) *memory.CheckedAllocator {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return mem
}

// obs returns a complete observation of Flanders–China trade.
func obs(cell string, mod func(*schemas.Observation)) schemas.Observation {
	o := schemas.Observation{
		File: "in/a.xlsx", FileSHA256: strings.Repeat("a", 64), Sheet: "Sheet1", Cell: cell, Table: "A4:F20",
		Label: "Uitvoer", Reporter: "Flanders", ReporterParent: "Belgium", Partner: "China",
		Flow: schemas.FlowExports, Product: schemas.ProductTotal, Measure: schemas.MeasureLevel,
		Period: "2013", PeriodType: schemas.PeriodYear, Year: 2013,
		PeriodStart: time.Date(2013, 1, 1, 0, 0, 0, 0, time.UTC),
		HasValue:    true, Value: 6.8, Text: "6,80", Decimals: 2,
		Unit: schemas.UnitEUR, Scale: 1e9, HasValueEUR: true, ValueEUR: 6.8e9,
	}
	if mod != nil {
		mod(&o)
	}
	return o
}

// sampleObservations covers a money figure, a missing figure, a percentage,
// a growth rate and a negative balance.
func sampleObservations() []schemas.Observation {
	return []schemas.Observation{
		obs("C9", nil),
		obs("D9", func(o *schemas.Observation) {
			o.Period, o.Year, o.PeriodStart = "2012", 2012, time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC)
			o.HasValue, o.Value, o.Text, o.Missing, o.Decimals = false, 0, "n.a.", "n.a.", 0
			o.HasValueEUR, o.ValueEUR = false, 0
		}),
		obs("C12", func(o *schemas.Observation) {
			o.Measure, o.Value, o.Text, o.Decimals = schemas.MeasureShare, 91.8, "91,8%", 1
			o.Unit, o.Scale, o.HasValueEUR, o.ValueEUR = schemas.UnitPercent, 1, false, 0
		}),
		obs("E9", func(o *schemas.Observation) {
			o.Sheet = "" // CSV
			o.Measure, o.BasePeriod, o.Value, o.Text, o.Decimals = schemas.MeasureGrowth, "2012", -3.25, "-3,25", 2
			o.Period, o.PeriodType, o.PeriodStart = "2013Q2", schemas.PeriodQuarter, time.Date(2013, 4, 1, 0, 0, 0, 0, time.UTC)
			o.Unit, o.Scale, o.HasValueEUR = schemas.UnitPercent, 1, false
		}),
		obs("C11", func(o *schemas.Observation) {
			o.Flow, o.Value, o.Text, o.ValueEUR = schemas.FlowBalance, -4.48, "-4,48", -4.48e9
		}),
	}
}

func sampleFindings() []schemas.Finding {
	return []schemas.Finding{
		{
			Rule: "balance", Severity: schemas.SeverityError, File: "in/a.xlsx", Sheet: "Sheet1",
			Cells: []string{"C13", "C9", "C5"}, Message: "deficit 4.38 differs from imports − exports 4.48",
			Expected: schemas.Float(4.48), Actual: schemas.Float(4.38), Tolerance: schemas.Float(0.015),
			SuspectCell: "C13", SuggestedValue: schemas.Float(4.48),
		},
		{
			Rule: "share_range", Severity: schemas.SeverityWarning, File: "in/b.csv",
			Cells: []string{"B7"}, Message: "share above 100%",
		},
	}
}

// writeObservations writes batches to a new file in dir and returns its path.
func writeObservations(t testing.TB, dir string, opts load.Options, batches ...[]schemas.Observation) (string, int64) {
	t.Helper()
	path := filepath.Join(dir, "observations.parquet")
	w, err := load.NewObservationWriter(path, testMeta(), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, b := range batches {
		if err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	n, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return path, n
}

func writeFindings(t testing.TB, dir string, opts load.Options, batches ...[]schemas.Finding) (string, int64) {
	t.Helper()
	path := filepath.Join(dir, "findings.parquet")
	w, err := load.NewFindingWriter(path, testMeta(), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, b := range batches {
		if err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	n, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return path, n
}

// readRows reads a Parquet file with pqarrow and returns its schema and its
// rows as column name → ValueStr ("(null)" for nulls).
func readRows(t *testing.T, path string, mem memory.Allocator) (*arrow.Schema, []map[string]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tbl, err := pqarrow.ReadTable(context.Background(), f, parquet.NewReaderProperties(mem), pqarrow.ArrowReadProperties{}, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	rows := make([]map[string]string, tbl.NumRows())
	for i := range rows {
		rows[i] = map[string]string{}
	}
	for c := range int(tbl.NumCols()) {
		name := tbl.Schema().Field(c).Name
		i := 0
		for _, chunk := range tbl.Column(c).Data().Chunks() {
			for j := range chunk.Len() {
				// Decimals print with all their scale digits, so that the
				// test sees 6.800000000 and not 6.8.
				if d, ok := chunk.(*array.Decimal128); ok && d.IsValid(j) {
					rows[i][name] = d.Value(j).ToString(d.DataType().(*arrow.Decimal128Type).Scale)
				} else {
					rows[i][name] = chunk.ValueStr(j)
				}
				i++
			}
		}
	}
	return tbl.Schema(), rows
}

// sameFields compares names, types and nullability, in order.
func sameFields(a, b *arrow.Schema) bool {
	if a.NumFields() != b.NumFields() {
		return false
	}
	for i, f := range a.Fields() {
		g := b.Field(i)
		if f.Name != g.Name || f.Nullable != g.Nullable || !arrow.TypeEqual(f.Type, g.Type) {
			return false
		}
	}
	return true
}

func TestObservationRoundTrip(t *testing.T) {
	mem := checkedAlloc(t)
	coded := obs("C20", func(o *schemas.Observation) {
		o.Flow, o.Product, o.ProductCode, o.ProductClass = schemas.FlowImports, "Laptops", "847130", schemas.ClassHS
		o.HasQuantity, o.Quantity, o.QuantityUnit, o.RunID = true, 1234.5, "t", "run-0"
		o.Period, o.PeriodType, o.Year = "2024-01/2024-06", schemas.PeriodCumulative, 2024
	})
	path, n := writeObservations(t, t.TempDir(), load.Options{Allocator: mem}, append(sampleObservations(), coded))
	if n != 6 {
		t.Fatalf("Commit returned %d rows, want 6", n)
	}
	sc, rows := readRows(t, path, mem)
	if !sameFields(sc, load.ArrowSchema(schemas.ObservationColumns)) {
		t.Errorf("schema read back:\n%s\nwant:\n%s", sc, load.ArrowSchema(schemas.ObservationColumns))
	}
	if len(rows) != 6 {
		t.Fatalf("read %d rows, want 6", len(rows))
	}
	// Rows come sorted by reporter, partner, flow, period, product.
	var cells []string
	byCell := map[string]map[string]string{}
	for _, r := range rows {
		cells = append(cells, r["cell"])
		byCell[r["cell"]] = r
	}
	if got, want := strings.Join(cells, " "), "C11 D9 C9 C12 E9 C20"; got != want {
		t.Errorf("rows in order %s, want %s (balance before exports; 2012, 2013, 2013Q2; C9 before C12 as written)", got, want)
	}
	const null = array.NullValueStr
	tests := []struct {
		name string
		cell string
		want map[string]string
	}{
		{"money figure", "C9", map[string]string{
			"file": "in/a.xlsx", "sheet": "Sheet1", "cell": "C9", "table_range": "A4:F20", "label": "Uitvoer",
			"reporter": "Flanders", "reporter_parent": "Belgium", "partner": "China", "flow": "exports",
			"product": "Total", "product_code": "", "measure": "level", "period": "2013", "period_type": "year",
			"year": "2013", "period_start": "2013-01-01", "base_period": "",
			"value": "6.800000000", "value_text": "6,80", "decimals": "2", "missing": null,
			"unit": "EUR", "scale": "1000000000", "value_eur": "6800000000.00",
			"loaded_at": "2026-03-01T12:30:45.123456Z",
			"run_id":    "run-1", "flow_code": "X", "time_period": "2013", "product_classification": "",
			"quantity": null, "quantity_unit": "",
		}},
		{"missing figure", "D9", map[string]string{
			"value": null, "value_text": "n.a.", "missing": "n.a.", "value_eur": null, "decimals": "0",
			"period": "2012", "year": "2012", "period_start": "2012-01-01",
		}},
		{"percentage", "C12", map[string]string{
			"measure": "share", "value": "91.800000000", "value_text": "91,8%", "unit": "%", "scale": "1",
			"value_eur": null, "missing": null,
		}},
		{"growth rate from CSV", "E9", map[string]string{
			"sheet": "", "measure": "growth", "base_period": "2012", "value": "-3.250000000",
			"period": "2013Q2", "period_type": "quarter", "period_start": "2013-04-01", "value_eur": null,
			"time_period": "2013-Q2",
		}},
		{"negative balance", "C11", map[string]string{
			"flow": "balance", "value": "-4.480000000", "value_eur": "-4480000000.00", "flow_code": "B",
		}},
		{"product with a code and a quantity, published by an earlier run", "C20", map[string]string{
			"product": "Laptops", "product_code": "847130", "product_classification": "HS",
			"quantity": "1234.500000", "quantity_unit": "t", "run_id": "run-0", "flow_code": "M",
			"period": "2024-01/2024-06", "time_period": "2024-01-01/P6M",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for col, want := range tt.want {
				if got, ok := byCell[tt.cell][col]; !ok || got != want {
					t.Errorf("%s = %q, want %q", col, got, want)
				}
			}
		})
	}
	checkKV(t, path)
}

func TestFindingRoundTrip(t *testing.T) {
	mem := checkedAlloc(t)
	path, n := writeFindings(t, t.TempDir(), load.Options{Allocator: mem}, sampleFindings())
	if n != 2 {
		t.Fatalf("Commit returned %d rows, want 2", n)
	}
	sc, rows := readRows(t, path, mem)
	if !sameFields(sc, load.ArrowSchema(schemas.FindingColumns)) {
		t.Errorf("schema read back:\n%s\nwant:\n%s", sc, load.ArrowSchema(schemas.FindingColumns))
	}
	const null = array.NullValueStr
	want := []map[string]string{
		{
			"run_id": "run-1", "rule": "balance", "severity": "error", "file": "in/a.xlsx", "sheet": "Sheet1",
			"cells": "C13,C9,C5", "message": "deficit 4.38 differs from imports − exports 4.48",
			"expected": "4.48", "actual": "4.38", "tolerance": "0.015", "suspect_cell": "C13",
			"suggested_value": "4.48", "created_at": "2026-03-01T12:30:45.123456Z",
			"cell_list": `["C13","C9","C5"]`,
		},
		{
			"run_id": "run-1", "rule": "share_range", "severity": "warning", "file": "in/b.csv", "sheet": "",
			"cells": "B7", "message": "share above 100%", "expected": null, "actual": null, "tolerance": null,
			"suspect_cell": null, "suggested_value": null, "created_at": "2026-03-01T12:30:45.123456Z",
			"cell_list": `["B7"]`,
		},
	}
	if len(rows) != len(want) {
		t.Fatalf("read %d rows, want %d", len(rows), len(want))
	}
	for i := range want {
		for col, w := range want[i] {
			if got := rows[i][col]; got != w {
				t.Errorf("row %d: %s = %q, want %q", i, col, got, w)
			}
		}
	}
	checkKV(t, path)
}

// cell_list holds a finding's cells as a list, in order, references to
// other sheets and files as written, and an empty list (not null) for a
// finding without cells; cells keeps the comma-separated form and
// ReadFindings reads the same cells back.
func TestFindingCellList(t *testing.T) {
	mem := checkedAlloc(t)
	in := []schemas.Finding{
		{Rule: "sum_of_parts", Severity: schemas.SeverityError, File: "in/a.xlsx", Sheet: "S1",
			Cells: []string{"C9", "Sheet 2!C9", "[in/b.xlsx]S1!A1"}, Message: "m"},
		{Rule: "audit_limit", Severity: schemas.SeverityWarning, File: "in/a.xlsx", Sheet: "S1", Message: "m"},
	}
	path, _ := writeFindings(t, t.TempDir(), load.Options{Allocator: mem}, in)
	_, rows := readRows(t, path, mem)
	want := [][2]string{
		{"C9,Sheet 2!C9,[in/b.xlsx]S1!A1", `["C9","Sheet 2!C9","[in/b.xlsx]S1!A1"]`},
		{"", `[]`},
	}
	for i, w := range want {
		if got := [2]string{rows[i]["cells"], rows[i]["cell_list"]}; got != w {
			t.Errorf("row %d: cells, cell_list = %q, want %q", i, got, w)
		}
	}
	back, err := load.ReadFindings(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range in {
		if !slices.Equal(back[i].Cells, in[i].Cells) {
			t.Errorf("row %d: read back cells %q, want %q", i, back[i].Cells, in[i].Cells)
		}
	}
}

// checkKV checks the footer's key-value metadata.
func checkKV(t *testing.T, path string) {
	t.Helper()
	rdr, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Close()
	kv := rdr.MetaData().KeyValueMetadata()
	for key, want := range map[string]string{
		load.KeyVersion:       "v0.1.0",
		load.KeyRunID:         "run-1",
		load.KeyRulesVersion:  "rules-3",
		load.KeySchemaVersion: schemas.SchemaVersion,
		load.KeySources:       `{"in/a.xlsx":"` + strings.Repeat("a", 64) + `","in/b.xlsx":"` + strings.Repeat("b", 64) + `"}`,
	} {
		if got := kv.FindValue(key); got == nil || *got != want {
			t.Errorf("footer %s = %v, want %q", key, got, want)
		}
	}
	if kv.FindValue("ARROW:schema") == nil {
		t.Error("footer lacks ARROW:schema")
	}
	var sources map[string]string
	if err := json.Unmarshal([]byte(*kv.FindValue(load.KeySources)), &sources); err != nil || len(sources) != 2 {
		t.Errorf("sources %v, %v", sources, err)
	}
}

// manyObservations returns n observations with mostly distinct cells, texts
// and values, so that dictionaries overflow and fall back to PLAIN.
func manyObservations(n int) []schemas.Observation {
	out := make([]schemas.Observation, n)
	for i := range out {
		v := float64(i)/100 - 500
		out[i] = obs(cellName(i), func(o *schemas.Observation) {
			o.Value, o.ValueEUR, o.Text = v, v*1e9, formatText(v)
			o.File = "in/file" + string(rune('a'+i%20)) + ".xlsx"
			o.Year = 2000 + i%20
			o.Period = formatInt(o.Year)
			o.PeriodStart = time.Date(o.Year, 1, 1, 0, 0, 0, 0, time.UTC)
			if i%97 == 0 {
				o.HasValue, o.HasValueEUR, o.Missing = false, false, "-"
			}
		})
	}
	return out
}

// TestParquetIsBIFriendly walks every column chunk of written files and
// fails on anything FEATURE_ANCHORS §4 rules out.
func TestParquetIsBIFriendly(t *testing.T) {
	// 150,000 rows overflow the 1 MiB dictionary of value and value_eur,
	// so their chunks fall back to PLAIN pages; the other cases stay small.
	big, small := manyObservations(150_000), manyObservations(20_000)
	tests := []struct {
		compression string
		want        string // codec name in the metadata
		rows        []schemas.Observation
	}{
		{"", "ZSTD", big},
		{"zstd", "ZSTD", small},
		{"snappy", "SNAPPY", small},
		{"none", "UNCOMPRESSED", small},
	}
	for _, tt := range tests {
		t.Run("compression="+tt.compression, func(t *testing.T) {
			mem := checkedAlloc(t)
			dir := t.TempDir()
			opts := load.Options{Compression: tt.compression, RowGroupRows: 15_000, Allocator: mem}
			if len(tt.rows) > 100_000 {
				opts.RowGroupRows = 100_000
			}
			obsPath, _ := writeObservations(t, dir, opts, tt.rows, sampleObservations())
			fndPath, _ := writeFindings(t, dir, opts, sampleFindings())
			for _, path := range []string{obsPath, fndPath} {
				checkBIFriendly(t, path, tt.want)
			}
		})
	}
}

func checkBIFriendly(t *testing.T, path, codec string) {
	t.Helper()
	rdr, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Close()
	md := rdr.MetaData()
	name := filepath.Base(path)
	if md.Version() != parquet.V2_6 {
		t.Errorf("%s: format version %s, want 2.6", name, md.Version())
	}
	sch := md.Schema
	for c := range sch.NumColumns() {
		col := sch.Column(c)
		if col.PhysicalType() == parquet.Types.Int96 {
			t.Errorf("%s.%s: INT96", name, col.Name())
		}
		switch lt := col.LogicalType().(type) {
		case schema.IntLogicalType:
			if !lt.IsSigned() {
				t.Errorf("%s.%s: unsigned type %s", name, col.Name(), lt)
			}
		case schema.TimestampLogicalType:
			if lt.TimeUnit() != schema.TimeUnitMicros || !lt.IsAdjustedToUTC() {
				t.Errorf("%s.%s: timestamp %s, want microseconds adjusted to UTC", name, col.Name(), lt)
			}
		}
		if name == "findings.parquet" && col.Path() == "cell_list.list.element" {
			// The one nested column: a required LIST of required strings.
			if col.MaxRepetitionLevel() != 1 || col.MaxDefinitionLevel() != 1 {
				t.Errorf("%s.%s: repetition %d, definition %d, want 1 and 1", name, col.Path(), col.MaxRepetitionLevel(), col.MaxDefinitionLevel())
			}
		} else if col.MaxRepetitionLevel() > 0 || strings.Contains(col.Path(), ".") {
			t.Errorf("%s.%s: nested column", name, col.Path())
		}
	}
	allowed := []parquet.Encoding{parquet.Encodings.Plain, parquet.Encodings.RLEDict, parquet.Encodings.RLE}
	sawDict, sawPlainFallback := false, false
	for rg := range md.NumRowGroups() {
		rgm := md.RowGroup(rg)
		for c := range rgm.NumColumns() {
			cc, err := rgm.ColumnChunk(c)
			if err != nil {
				t.Fatal(err)
			}
			where := name + "." + cc.PathInSchema().String()
			for _, e := range cc.Encodings() {
				if !slices.Contains(allowed, e) {
					t.Errorf("%s: encoding %s", where, e)
				}
				if e == parquet.Encodings.RLEDict {
					sawDict = true
				}
			}
			for _, es := range cc.EncodingStats() {
				if es.PageType == 3 { // DATA_PAGE_V2
					t.Errorf("%s: data page v2", where)
				}
				if es.PageType == 0 && es.Encoding == parquet.Encodings.Plain && cc.HasDictionaryPage() {
					sawPlainFallback = true
				}
			}
			if got := cc.Compression().String(); got != codec {
				t.Errorf("%s: compression %s, want %s", where, got, codec)
			}
			if ok, err := cc.StatsSet(); !ok || err != nil {
				t.Errorf("%s: no statistics (%v)", where, err)
				continue
			}
			stats, err := cc.Statistics()
			if err != nil {
				t.Fatal(err)
			}
			if !stats.HasNullCount() {
				t.Errorf("%s: statistics without null count", where)
			}
			if stats.NullCount() < cc.NumValues() && !stats.HasMinMax() {
				t.Errorf("%s: statistics without min/max", where)
			}
		}
	}
	if !sawDict && name == "observations.parquet" {
		t.Errorf("%s: no dictionary-encoded column", name)
	}
	if name == "observations.parquet" && !sawPlainFallback {
		t.Logf("%s: no column fell back from dictionary to PLAIN", name)
	}
}

func TestRowGroups(t *testing.T) {
	tests := []struct {
		name    string
		batches []int // batch sizes
		rgRows  int64
		want    []int64 // rows per row group
	}{
		{"10 batches of 1000 in groups of 4000", []int{1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, 4000, []int64{4000, 4000, 2000}},
		{"one big batch is split", []int{10_000}, 4000, []int64{4000, 4000, 2000}},
		{"exact multiple", []int{4000, 4000}, 4000, []int64{4000, 4000}},
		{"many tiny batches make one group", slices.Repeat([]int{7}, 300), 0, []int64{2100}},
		{"batches above the flush size", []int{70_000, 70_000}, 100_000, []int64{100_000, 40_000}},
		{"batches straddling groups", []int{3000, 3000, 3000, 3000}, 4000, []int64{4000, 4000, 4000}},
		{"no rows", nil, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := checkedAlloc(t)
			var batches [][]schemas.Observation
			total := 0
			for _, n := range tt.batches {
				total += n
			}
			all := manyObservations(total)
			for _, n := range tt.batches {
				batches = append(batches, all[:n])
				all = all[n:]
			}
			path, n := writeObservations(t, t.TempDir(), load.Options{RowGroupRows: tt.rgRows, Allocator: mem}, batches...)
			if n != int64(total) {
				t.Errorf("Commit returned %d rows, want %d", n, total)
			}
			rdr, err := file.OpenParquetFile(path, false)
			if err != nil {
				t.Fatal(err)
			}
			defer rdr.Close()
			var got []int64
			for rg := range rdr.NumRowGroups() {
				got = append(got, rdr.MetaData().RowGroup(rg).NumRows())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("row groups %v, want %v", got, tt.want)
			}
			if rdr.NumRows() != int64(total) {
				t.Errorf("file holds %d rows, want %d", rdr.NumRows(), total)
			}
		})
	}
}

// dirNames lists dir, hidden files included.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// Before Commit nothing visible is in the directory: rows wait in memory
// (or in a run file unlinked as soon as it is created); during Commit the
// file is written under a hidden temporary name.
func TestTemporaryName(t *testing.T) {
	mem := checkedAlloc(t)
	dir := t.TempDir()
	// SortRows 2: five rows make runs spilled to a temporary file.
	w, err := load.NewObservationWriter(filepath.Join(dir, "observations.parquet"), testMeta(), load.Options{Allocator: mem, SortRows: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.Write(sampleObservations()); err != nil {
		t.Fatal(err)
	}
	for _, name := range dirNames(t, dir) {
		if !strings.HasPrefix(name, ".observations.parquet.") || !strings.HasSuffix(name, ".tmp") {
			t.Errorf("before Commit the directory holds %s", name)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*.parquet")); len(m) != 0 {
		t.Errorf("*.parquet matches %v before Commit", m)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"observations.parquet"}) {
		t.Errorf("after Commit the directory holds %v", names)
	}
	fi, err := os.Stat(filepath.Join(dir, "observations.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
}

func TestAbort(t *testing.T) {
	tests := []struct {
		name   string
		before func(w *load.ObservationWriter) error // steps before Abort
		file   bool                                  // destination exists after Abort
	}{
		{"fresh writer", func(*load.ObservationWriter) error { return nil }, false},
		{"after writes", func(w *load.ObservationWriter) error { return w.Write(manyObservations(5000)) }, false},
		{"after commit (no-op)", func(w *load.ObservationWriter) error {
			if err := w.Write(sampleObservations()); err != nil {
				return err
			}
			_, err := w.Commit()
			return err
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := checkedAlloc(t)
			dir := t.TempDir()
			path := filepath.Join(dir, "observations.parquet")
			w, err := load.NewObservationWriter(path, testMeta(), load.Options{Allocator: mem, RowGroupRows: 1000})
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.before(w); err != nil {
				t.Fatal(err)
			}
			w.Abort()
			w.Abort() // twice is fine
			var want []string
			if tt.file {
				want = []string{"observations.parquet"}
			}
			if names := dirNames(t, dir); !slices.Equal(names, want) {
				t.Errorf("directory holds %v, want %v", names, want)
			}
			if err := w.Write(sampleObservations()); err == nil {
				t.Error("Write after Abort succeeded")
			}
			if _, err := w.Commit(); err == nil {
				t.Error("Commit after Abort succeeded")
			}
		})
	}
}

// TestFailedCommit checks that a Commit that fails leaves no file behind and
// the previous output at the destination as it was. (Verification failures
// are in verify_internal_test.go.)
func TestFailedCommit(t *testing.T) {
	tests := []struct {
		name    string
		opts    load.Options
		destDir bool // the destination is a directory
	}{
		{"destination is a directory", load.Options{RowGroupRows: 1000}, true},
		{"destination is a directory, rows spilled", load.Options{RowGroupRows: 1000, SortRows: 700}, true},
		{"partition directory is a file", load.Options{PartitionBy: load.PartitionYear}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := checkedAlloc(t)
			tt.opts.Allocator = mem
			dir := t.TempDir()
			path := filepath.Join(dir, "observations.parquet")
			old := []byte("previous run's file")
			if tt.destDir {
				if err := os.MkdirAll(filepath.Join(path, "part"), 0o755); err != nil {
					t.Fatal(err)
				}
			} else if err := os.WriteFile(path, old, 0o600); err != nil {
				t.Fatal(err)
			}
			if tt.opts.PartitionBy != "" {
				// year=2003 cannot be created: the writer fails after
				// writing the earlier years.
				if err := os.WriteFile(filepath.Join(dir, "year=2003"), nil, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			w, err := load.NewObservationWriter(path, testMeta(), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Abort()
			if err := w.Write(manyObservations(5000)); err != nil {
				t.Fatal(err)
			}
			if n, err := w.Commit(); err == nil {
				t.Fatalf("Commit succeeded with %d rows", n)
			} else {
				t.Logf("Commit: %v", err)
			}
			var left []string
			err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err == nil && d.IsDir() && p != dir {
					if entries, _ := os.ReadDir(p); len(entries) == 0 {
						return nil // partition directories may stay, empty
					}
				}
				if err == nil && p != dir {
					rel, _ := filepath.Rel(dir, p)
					left = append(left, filepath.ToSlash(rel))
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"observations.parquet"}
			switch {
			case tt.destDir:
				want = []string{"observations.parquet"} // and the empty observations.parquet/part
			case tt.opts.PartitionBy != "":
				want = append(want, "year=2003")
			}
			if !slices.Equal(left, want) {
				t.Errorf("the directory holds %v, want %v", left, want)
			}
			if tt.destDir {
				if fi, err := os.Stat(path); err != nil || !fi.IsDir() {
					t.Errorf("destination directory gone: %v", err)
				}
				return
			}
			got, err := os.ReadFile(path)
			if err != nil || string(got) != string(old) {
				t.Errorf("destination now holds %q (%v), want %q", got, err, old)
			}
		})
	}
}

// TestReplace checks that a committed file replaces the previous one and
// keeps its permissions.
func TestReplace(t *testing.T) {
	mem := checkedAlloc(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "observations.parquet")
	if err := os.WriteFile(path, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	writeObservations(t, dir, load.Options{Allocator: mem}, sampleObservations())
	_, rows := readRows(t, path, mem)
	if len(rows) != 5 {
		t.Errorf("read %d rows, want 5", len(rows))
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want the replaced file's 0640", fi.Mode().Perm())
	}
}

func TestValueErrors(t *testing.T) {
	tests := []struct {
		name   string
		mod    func(*schemas.Observation)
		column string
	}{
		{"value too large", func(o *schemas.Observation) { o.Value = 1e30 }, "value"},
		{"value NaN", func(o *schemas.Observation) { o.Value = nan() }, "value"},
		{"value infinite", func(o *schemas.Observation) { o.Value = inf() }, "value"},
		{"value_eur too large", func(o *schemas.Observation) { o.ValueEUR = -1e37 }, "value_eur"},
		{"fractional scale", func(o *schemas.Observation) { o.Scale = 1.5 }, "scale"},
		{"zero scale", func(o *schemas.Observation) { o.Scale = 0 }, "scale"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := checkedAlloc(t)
			dir := t.TempDir()
			path := filepath.Join(dir, "observations.parquet")
			w, err := load.NewObservationWriter(path, testMeta(), load.Options{Allocator: mem})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Abort()
			bad := []schemas.Observation{obs("C8", nil), obs("C9", tt.mod), obs("C10", nil)}
			err = w.Write(bad)
			var ve *load.ValueError
			if !errors.As(err, &ve) {
				t.Fatalf("Write: %v, want a *load.ValueError", err)
			}
			if ve.File != "in/a.xlsx" || ve.Cell != "Sheet1!C9" || ve.Column != tt.column {
				t.Errorf("error names %s %s %s, want in/a.xlsx Sheet1!C9 %s", ve.File, ve.Cell, ve.Column, tt.column)
			}
			if !strings.Contains(err.Error(), "Sheet1!C9") {
				t.Errorf("message %q does not name the cell", err)
			}
			// The bad batch wrote nothing and the writer goes on.
			if err := w.Write(sampleObservations()); err != nil {
				t.Fatal(err)
			}
			n, err := w.Commit()
			if err != nil || n != 5 {
				t.Fatalf("Commit = %d, %v; want 5 rows", n, err)
			}
			if _, rows := readRows(t, path, mem); len(rows) != 5 {
				t.Errorf("file holds %d rows, want 5", len(rows))
			}
		})
	}
}

func TestOptionErrors(t *testing.T) {
	tests := []struct {
		name string
		path func(dir string) string
		opts load.Options
	}{
		{"unknown compression", func(d string) string { return filepath.Join(d, "o.parquet") }, load.Options{Compression: "gzip"}},
		{"negative row groups", func(d string) string { return filepath.Join(d, "o.parquet") }, load.Options{RowGroupRows: -1}},
		{"missing directory", func(d string) string { return filepath.Join(d, "nope", "o.parquet") }, load.Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if w, err := load.NewObservationWriter(tt.path(dir), testMeta(), tt.opts); err == nil {
				w.Abort()
				t.Error("NewObservationWriter succeeded")
			}
			if w, err := load.NewFindingWriter(tt.path(dir), testMeta(), tt.opts); err == nil {
				w.Abort()
				t.Error("NewFindingWriter succeeded")
			}
			if names := dirNames(t, dir); len(names) != 0 {
				t.Errorf("left behind %v", names)
			}
		})
	}
}

// TestNoLeaks runs every way a writer can end with a CheckedAllocator.
func TestNoLeaks(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, dir string, opts load.Options)
	}{
		{"observations committed", func(t *testing.T, dir string, opts load.Options) {
			opts.RowGroupRows = 1000
			writeObservations(t, dir, opts, manyObservations(5000), sampleObservations())
		}},
		{"findings committed", func(t *testing.T, dir string, opts load.Options) {
			writeFindings(t, dir, opts, sampleFindings(), sampleFindings())
		}},
		{"observations aborted with pending rows", func(t *testing.T, dir string, opts load.Options) {
			opts.RowGroupRows = 1000
			w, err := load.NewObservationWriter(filepath.Join(dir, "o.parquet"), testMeta(), opts)
			if err != nil {
				t.Fatal(err)
			}
			_ = w.Write(manyObservations(5000))
			w.Abort()
		}},
		{"findings aborted", func(t *testing.T, dir string, opts load.Options) {
			w, err := load.NewFindingWriter(filepath.Join(dir, "f.parquet"), testMeta(), opts)
			if err != nil {
				t.Fatal(err)
			}
			_ = w.Write(sampleFindings())
			w.Abort()
		}},
		{"value error then commit", func(t *testing.T, dir string, opts load.Options) {
			w, err := load.NewObservationWriter(filepath.Join(dir, "o.parquet"), testMeta(), opts)
			if err != nil {
				t.Fatal(err)
			}
			_ = w.Write([]schemas.Observation{obs("C9", func(o *schemas.Observation) { o.Value = 1e40 })})
			if _, err := w.Commit(); err != nil {
				t.Fatal(err)
			}
		}},
		{"observations spilled and committed", func(t *testing.T, dir string, opts load.Options) {
			opts.RowGroupRows, opts.SortRows = 1000, 1500
			writeObservations(t, dir, opts, manyObservations(5000), sampleObservations())
		}},
		{"observations spilled and aborted", func(t *testing.T, dir string, opts load.Options) {
			opts.SortRows = 1500
			w, err := load.NewObservationWriter(filepath.Join(dir, "o.parquet"), testMeta(), opts)
			if err != nil {
				t.Fatal(err)
			}
			_ = w.Write(manyObservations(5000))
			w.Abort()
		}},
		{"observations partitioned", func(t *testing.T, dir string, opts load.Options) {
			opts.PartitionBy, opts.SortRows = load.PartitionYear, 1500
			writeObservations(t, dir, opts, manyObservations(5000))
		}},
		{"failed commit", func(t *testing.T, dir string, opts load.Options) {
			path := filepath.Join(dir, "o.parquet")
			w, err := load.NewObservationWriter(path, testMeta(), opts)
			if err != nil {
				t.Fatal(err)
			}
			_ = w.Write(sampleObservations())
			_ = os.Mkdir(path, 0o755)
			_ = os.WriteFile(filepath.Join(path, "x"), nil, 0o644)
			if _, err := w.Commit(); err == nil {
				t.Fatal("Commit succeeded")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			tt.run(t, t.TempDir(), load.Options{Allocator: mem})
			mem.AssertSize(t, 0)
		})
	}
}

func cellName(i int) string {
	return string(rune('B'+i%20)) + formatInt(5+i/20)
}

func formatInt(i int) string { return strconv.Itoa(i) }

// formatText writes v the way a Dutch-language sheet does: "6,80".
func formatText(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', 2, 64), ".", ",", 1)
}

func nan() float64 { return math.NaN() }
func inf() float64 { return math.Inf(1) }
