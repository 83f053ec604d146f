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

// parquet FILE [COLUMN...] prints a Parquet file read back with arrow-go:
// a line "rows N", a line "column: type" per column, then one line per row
// with the given columns joined by "|".
func cmdParquet(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: parquet FILE [COLUMN...]")
	}
	f, err := os.Open(ts.MkAbs(args[0]))
	ts.Check(err)
	defer f.Close()
	rdr, err := file.NewParquetReader(f)
	ts.Check(err)
	defer rdr.Close()
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	ts.Check(err)
	table, err := fr.ReadTable(context.Background())
	ts.Check(err)
	defer table.Release()
	var out strings.Builder
	fmt.Fprintf(&out, "rows %d\n", table.NumRows())
	schema := table.Schema()
	for _, field := range schema.Fields() {
		fmt.Fprintf(&out, "%s: %s\n", field.Name, field.Type)
	}
	cols := make([]arrow.Array, 0, len(args)-1)
	for _, name := range args[1:] {
		idx := schema.FieldIndices(name)
		if len(idx) != 1 {
			ts.Fatalf("parquet: no column %q", name)
		}
		chunks := table.Column(idx[0]).Data().Chunks()
		if len(chunks) != 1 {
			concat, err := array.Concatenate(chunks, memory.DefaultAllocator)
			ts.Check(err)
			defer concat.Release()
			cols = append(cols, concat)
			continue
		}
		cols = append(cols, chunks[0])
	}
	for i := 0; i < int(table.NumRows()) && len(cols) > 0; i++ {
		vals := make([]string, len(cols))
		for j, c := range cols {
			vals[j] = c.ValueStr(i)
		}
		fmt.Fprintln(&out, strings.Join(vals, "|"))
	}
	ts.Stdout().Write([]byte(out.String()))
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
