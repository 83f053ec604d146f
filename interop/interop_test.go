// Package interop proves that tradeetl's Parquet output reads correctly in
// real engines: DuckDB (through its Go driver, which needs cgo) and
// parquet-go, a reader independent of the arrow-go writer. It is its own
// module so that the tradeetl binary stays free of cgo; `make test` runs it.
package interop

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/tradeetl/tradeetl/pipeline"
	"github.com/tradeetl/tradeetl/schemas"
)

// out is the output of one tradeetl run over the bundled fixtures, shared by
// the tests.
var out struct {
	dir    string
	report schemas.Report
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "tradeetl-interop-")
	if err != nil {
		panic(err)
	}
	out.dir = filepath.Join(dir, "out")
	if _, err := pipeline.Run(context.Background(), pipeline.Config{
		Inputs:  []string{filepath.Join("..", "fixtures")},
		OutDir:  out.dir,
		Version: "interop-test",
	}); err != nil {
		panic(err)
	}
	b, err := os.ReadFile(filepath.Join(out.dir, "report.json"))
	if err != nil {
		panic(err)
	}
	if err := json.Unmarshal(b, &out.report); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// dataset returns the glob that reads a dataset of the output directory as
// one table: every Parquet file under OUT/<name>/, at any partition depth.
func dataset(name string) string {
	if fi, err := os.Stat(filepath.Join(out.dir, name)); err == nil && fi.IsDir() {
		return filepath.Join(out.dir, name, "**", "*.parquet")
	}
	return filepath.Join(out.dir, name+".parquet")
}

// files lists the Parquet files of a dataset.
func files(t *testing.T, name string) []string {
	t.Helper()
	var fs []string
	root := filepath.Join(out.dir, name)
	if fi, err := os.Stat(root); err == nil && fi.IsDir() {
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && filepath.Ext(p) == ".parquet" && d.Name()[0] != '.' {
				fs = append(fs, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return fs
	}
	return []string{root + ".parquet"}
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
