package interop

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/pipeline"
	"github.com/tradeetl/tradeetl/schemas"
)

// TestDuckDBInvalidUTF8AndExactDecimals: a sheet name and a file name
// that are not UTF-8 reach the Parquet STRING columns as
// valid UTF-8 (U+FFFD for each such byte), so that DuckDB reads the whole
// observations and findings datasets, the good inputs' rows included;
// each is said by an invalid_utf8 warning; the next run finds every input
// unchanged (the state keeps the file name's bytes). Figures of 16 to 19
// significant digits read back from DuckDB digit for digit.
func TestDuckDBInvalidUTF8AndExactDecimals(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	good := readFile(t, filepath.Join("..", "fixtures", "newsletter-2013.xlsx"))
	badSheet := renameSheet(t, readFile(t, filepath.Join("..", "fixtures", "newsletter-2013-errors.xlsx")), "Trade with China", "Trade \xc3( China")
	files := map[string][]byte{
		"good.xlsx":            good,
		"bad\xff\xfeutf8.xlsx": good,
		"bad-sheet.xlsx":       badSheet,
		"exact.csv": []byte("reporter,partner,flow,year,unit,value\n" +
			"Belgium,China,exports,2010,EUR,9007199254740993\n" +
			"Belgium,China,exports,2011,EUR,123456789.012345678\n" +
			"Belgium,China,exports,2012,EUR,12345678901234567.89\n"),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(in, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "out")
	run := func() schemas.Report {
		t.Helper()
		if _, err := pipeline.Run(context.Background(), pipeline.Config{Inputs: []string{in}, OutDir: out, Version: "interop-test"}); err != nil {
			t.Fatal(err)
		}
		var rep schemas.Report
		if err := json.Unmarshal(readFile(t, filepath.Join(out, "report.json")), &rep); err != nil {
			t.Fatal(err)
		}
		return rep
	}
	first := run()
	db := duck(t)
	obs := filepath.Join(out, load.ObservationsDir, "*.parquet")
	got := query(t, db, `SELECT regexp_replace(file, '.*/', ''), sheet, count(*) FROM read_parquet(?) GROUP BY ALL ORDER BY ALL`, obs)
	want := []string{
		"bad-sheet.xlsx|Trade \uFFFD( China|36",
		"bad\uFFFD\uFFFDutf8.xlsx|Trade with China|36",
		"exact.csv||3",
		"good.xlsx|Trade with China|36",
	}
	if !slices.Equal(got, want) {
		t.Errorf("observations by file and sheet:\n%q\nwant\n%q", got, want)
	}
	got = query(t, db, `SELECT regexp_replace(file, '.*/', ''), sheet FROM read_parquet(?) WHERE rule = 'invalid_utf8' ORDER BY ALL`,
		filepath.Join(out, load.FindingsDir, "*.parquet"))
	want = []string{"bad-sheet.xlsx|Trade \uFFFD( China", "bad\uFFFD\uFFFDutf8.xlsx|"}
	if !slices.Equal(got, want) {
		t.Errorf("invalid_utf8 findings %q, want %q", got, want)
	}
	got = query(t, db, `SELECT cell, value::VARCHAR, value_eur::VARCHAR FROM read_parquet(?) WHERE file LIKE '%exact.csv' ORDER BY cell`, obs)
	want = []string{
		"F2|9007199254740993.000000000|9007199254740993.00",
		"F3|123456789.012345678|123456789.01",
		"F4|12345678901234567.890000000|12345678901234567.89",
	}
	if !slices.Equal(got, want) {
		t.Errorf("exact decimals %q, want %q", got, want)
	}
	for _, name := range []string{"report.json", "report.html", "state.json", "manifest.json"} {
		if b := readFile(t, filepath.Join(out, name)); !utf8.Valid(b) {
			t.Errorf("%s is not valid UTF-8", name)
		}
	}
	for _, input := range first.Inputs {
		if input.Status != schemas.StatusLoaded {
			t.Errorf("first run: %q %s (%s)", input.Path, input.Status, input.Error)
		}
	}
	for _, input := range run().Inputs {
		if input.Status != schemas.StatusSkipped {
			t.Errorf("second run: %q %s, want skipped (unchanged)", input.Path, input.Status)
		}
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// renameSheet returns the workbook b with a sheet's name in workbook.xml
// replaced by name, bytes as given.
func renameSheet(t *testing.T, b []byte, from, to string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "xl/workbook.xml" {
			renamed := bytes.Replace(content, []byte(`name="`+from+`"`), []byte(`name="`+to+`"`), 1)
			if bytes.Equal(renamed, content) {
				t.Fatalf("no sheet %q in workbook.xml", from)
			}
			content = renamed
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(content); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
