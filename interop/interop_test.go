// Package interop proves that tradeetl's Parquet output reads correctly in
// real engines: DuckDB (through its Go driver, which needs cgo) and
// parquet-go, a reader independent of the arrow-go writer. It is its own
// module so that the tradeetl binary stays free of cgo; `make test` runs it.
package interop

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/tradeetl/tradeetl/bench/longtable"
	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/pipeline"
	"github.com/tradeetl/tradeetl/schemas"
)

// output is the output directory of one tradeetl run and its report.
type output struct {
	dir    string
	report schemas.Report
}

// stored returns the findings of report.json that findings/*.parquet
// holds: all but large_revision, which compares deliveries and is told in
// report.json and report.html only.
func (o output) stored() []schemas.Finding {
	var out []schemas.Finding
	for _, f := range o.report.Findings {
		if f.Rule != "large_revision" {
			out = append(out, f)
		}
	}
	return out
}

// The runs the tests read, made once by TestMain:
var (
	// fixtures: the bundled fixtures, default options.
	fixtures output
	// byYear: the same, partitioned by year.
	byYear output
	// long: longRows rows of the benchmark long table (CSV), in row groups
	// of 2000 rows, sorted in runs of 7000 rows merged on disk.
	long output
)

const longRows = 30_000

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	tmp, err := os.MkdirTemp("", "tradeetl-interop-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	csv := filepath.Join(tmp, "in", "long.csv")
	if err := os.MkdirAll(filepath.Dir(csv), 0o755); err != nil {
		return 0, err
	}
	f, err := os.Create(csv)
	if err != nil {
		return 0, err
	}
	err = longtable.WriteCSV(f, longRows)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	runs := []struct {
		out   *output
		input string
		opts  load.Options
	}{
		{&fixtures, "fixtures", load.Options{}},
		{&byYear, "fixtures", load.Options{PartitionBy: load.PartitionYear}},
		{&long, csv, load.Options{RowGroupRows: 2000, SortRows: 7000}},
	}
	// The pipeline runs from the repository's root, as make run does, so
	// that the file column reads "fixtures/newsletter-2013.xlsx" (the
	// queries of docs/bi.md show it).
	if err := os.Chdir(".."); err != nil {
		return 0, err
	}
	for i, r := range runs {
		r.out.dir = filepath.Join(tmp, fmt.Sprintf("out%d", i))
		if _, err := pipeline.Run(context.Background(), pipeline.Config{
			Inputs: []string{r.input}, OutDir: r.out.dir, Version: "interop-test", Load: r.opts,
		}); err != nil {
			return 0, err
		}
		b, err := os.ReadFile(filepath.Join(r.out.dir, "report.json"))
		if err != nil {
			return 0, err
		}
		if err := json.Unmarshal(b, &r.out.report); err != nil {
			return 0, err
		}
	}
	if err := os.Chdir("interop"); err != nil {
		return 0, err
	}
	return m.Run(), nil
}

// glob returns the pattern that reads a dataset of the output as one
// table: every Parquet file under OUT/<name>/, at any partition depth.
func (o output) glob(name string) string {
	return filepath.Join(o.dir, name, "**", "*.parquet")
}

// files lists the Parquet files of a dataset.
func (o output) files(t *testing.T, name string) []string {
	t.Helper()
	var fs []string
	err := filepath.WalkDir(filepath.Join(o.dir, name), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".parquet" && !strings.HasPrefix(d.Name(), ".") {
			fs = append(fs, p)
		}
		return err
	})
	if err != nil || len(fs) == 0 {
		t.Fatalf("%s/%s: %d files, %v", o.dir, name, len(fs), err)
	}
	return fs
}

// datasets are the datasets of an output directory and their columns.
var datasets = []struct {
	name string
	cols []schemas.Column
}{
	{load.ObservationsDir, schemas.ObservationColumns},
	{load.CurrentDir, schemas.ObservationColumns},
	{load.RevisionsDir, schemas.RevisionColumns},
	{load.FindingsDir, schemas.FindingColumns},
	{load.RunsDir, schemas.RunColumns},
}

// outputs are the three runs, for tests that read them all.
func outputs() map[string]output {
	return map[string]output{"fixtures": fixtures, "by year": byYear, "long table": long}
}

func duck(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// query runs q and returns its rows as text (NULL for nulls), columns
// joined by "|".
func query(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = "NULL"
			if v.Valid {
				parts[i] = v.String
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}
