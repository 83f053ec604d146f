package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"tradeetl": func() { os.Exit(tradeetl(os.Args[1:])) },
	})
}

// TestScripts runs the CLI end to end: each testdata/script/*.txtar runs
// the real binary on copies of the bundled fixtures.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			if err := copyDir(filepath.Join("..", "..", "transform", "testdata", "office", "lo"), filepath.Join(env.WorkDir, "office"), ".xlsx"); err != nil {
				return err
			}
			if err := copyDir(filepath.Join("..", "..", "fixtures"), filepath.Join(env.WorkDir, "fixtures"), ".xlsx"); err != nil {
				return err
			}
			// The audit's planted-error workbooks (fixtures/gen writes them).
			return copyDir(filepath.Join("..", "..", "validate", "testdata", "planted"), filepath.Join(env.WorkDir, "planted"), ".xlsx")
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"exitcode": cmdExitCode,
			"parquet":  cmdParquet,
		},
	})
}

// exitcode N PROG ARGS... runs PROG and fails unless it exits with N; its
// output is kept for the stdout and stderr commands that follow.
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N prog args...")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: %v", err)
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("exitcode: %v", err)
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}

// parquet PATH [COLUMN...] prints Parquet read back with arrow-go: a line
// "rows N", a line "column: type" per column, then one line per row with
// the given columns joined by "|". PATH is a file, or a directory whose
// *.parquet files, at any depth (partitions), are read as one table (in
// path order, as DuckDB reads read_parquet('DIR/**/*.parquet')); their
// schemas must be identical.
func cmdParquet(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: parquet PATH [COLUMN...]")
	}
	files := []string{ts.MkAbs(args[0])}
	if fi, err := os.Stat(files[0]); err == nil && fi.IsDir() {
		root := files[0]
		files = nil
		ts.Check(filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".parquet") && !strings.HasPrefix(d.Name(), ".") {
				files = append(files, p)
			}
			return err
		}))
		if len(files) == 0 {
			ts.Fatalf("parquet: no *.parquet in %s", args[0])
		}
	}
	var schema *arrow.Schema
	var rows int64
	cols := make([][]arrow.Array, len(args)-1)
	for _, name := range files {
		table := readTable(ts, name)
		defer table.Release()
		if schema == nil {
			schema = table.Schema()
		} else if !schema.Equal(table.Schema()) {
			ts.Fatalf("parquet: %s has another schema than %s", name, files[0])
		}
		rows += table.NumRows()
		for j, col := range args[1:] {
			idx := schema.FieldIndices(col)
			if len(idx) != 1 {
				ts.Fatalf("parquet: no column %q", col)
			}
			cols[j] = append(cols[j], table.Column(idx[0]).Data().Chunks()...)
		}
	}
	var out strings.Builder
	fmt.Fprintf(&out, "rows %d\n", rows)
	for _, field := range schema.Fields() {
		fmt.Fprintf(&out, "%s: %s\n", field.Name, field.Type)
	}
	if len(cols) > 0 {
		flat := make([]arrow.Array, len(cols))
		for j, chunks := range cols {
			concat, err := array.Concatenate(chunks, memory.DefaultAllocator)
			ts.Check(err)
			defer concat.Release()
			flat[j] = concat
		}
		for i := 0; i < int(rows); i++ {
			vals := make([]string, len(flat))
			for j, c := range flat {
				vals[j] = c.ValueStr(i)
			}
			fmt.Fprintln(&out, strings.Join(vals, "|"))
		}
	}
	ts.Stdout().Write([]byte(out.String()))
}

func readTable(ts *testscript.TestScript, name string) arrow.Table {
	f, err := os.Open(name)
	ts.Check(err)
	defer f.Close()
	rdr, err := file.NewParquetReader(f)
	ts.Check(err)
	defer rdr.Close()
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	ts.Check(err)
	table, err := fr.ReadTable(context.Background())
	ts.Check(err)
	return table
}

func copyDir(src, dst, ext string) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ext {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
