package extract_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/extract/extracttest"
)

// cancelBound is the most rows a reader may return after its context was
// cancelled: the readers look at the context every few thousand rows.
const cancelBound = 4096 + 1

// TestConformance runs every reader through the extract contract: the
// office conversions of the same tables in each format (xlsx, ods, fods,
// xls BIFF8 and BIFF5), and generated sheets long enough to check that a
// cancelled read stops.
func TestConformance(t *testing.T) {
	var files []string
	for _, pattern := range []string{
		"testdata/office/src/*.xlsx",
		"testdata/office/lo/*",
		"testdata/office/gnumeric/*",
		"testdata/office/gnumeric-biff5/*",
	} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			if extract.Supported(f) {
				files = append(files, f)
			}
		}
	}
	if len(files) < 20 {
		t.Fatalf("found %d office files, want the conversions of testdata/office", len(files))
	}
	dir := t.TempDir()
	long := map[string]string{
		"csv":  writeLongCSV(t, filepath.Join(dir, "long.csv"), 20000),
		"xlsx": writeLongXLSX(t, filepath.Join(dir, "long.xlsx"), 20000),
	}
	for _, f := range files {
		t.Run(strings.TrimPrefix(f, "testdata/office/"), func(t *testing.T) {
			extracttest.Run(t, opener(f), 0)
		})
	}
	for kind, f := range long {
		t.Run("long-"+kind, func(t *testing.T) {
			extracttest.Run(t, opener(f), cancelBound)
		})
		// Read-ahead keeps the contract of the reader it wraps; its
		// queue holds a few chunks more than the reader's own bound.
		t.Run("prefetch-long-"+kind, func(t *testing.T) {
			extracttest.Run(t, prefetched(f), cancelBound+prefetchSlack)
		})
	}
	for _, f := range files[:4] {
		t.Run("prefetch-"+strings.TrimPrefix(f, "testdata/office/"), func(t *testing.T) {
			extracttest.Run(t, prefetched(f), 0)
		})
	}
}

// prefetchSlack is what read-ahead may have read when the context is
// cancelled: its queue of 4 chunks of 256 rows, the chunk the caller
// reads and the chunk being filled.
const prefetchSlack = 6 * 256

func prefetched(path string) extracttest.Opener {
	return func() (extract.Workbook, error) {
		wb, err := extract.Open(path, extract.Limits{})
		if err != nil {
			return nil, err
		}
		return extract.Prefetch(wb, nil), nil
	}
}

func opener(path string) extracttest.Opener {
	return func() (extract.Workbook, error) { return extract.Open(path, extract.Limits{}) }
}

func writeLongCSV(t *testing.T, path string, rows int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("reporter,partner,flow,year,value\n")
	for i := range rows {
		fmt.Fprintf(&b, "BE,P%04d,X,%d,%d.5\n", i%997, 2000+i%20, i)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func writeLongXLSX(t *testing.T, path string, rows int) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"reporter", "partner", "flow", "year", "value"}); err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, []any{"BE", fmt.Sprintf("P%04d", i%997), "X", 2000 + i%20, float64(i) + 0.5}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}
