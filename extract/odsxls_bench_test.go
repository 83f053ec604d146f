package extract

import (
	"os"
	"path/filepath"
	"testing"
)

// The benchmark workbooks: the long table of bench/xlsxgen (100,000 rows
// of 9 columns) as LibreOffice writes it (bench/odsxls.sh, make
// bench-odsxls): long-100k.ods, one sheet; long-100k.xls, two sheets of
// 50,000 rows (a BIFF8 sheet holds at most 65,536).
func benchFile(b *testing.B, name string) string {
	p := filepath.Join("..", "bench", "data", name)
	if _, err := os.Stat(p); err != nil {
		b.Skipf("no %s: run make bench-odsxls", p)
	}
	return p
}

func benchRead(b *testing.B, path string) {
	fi, _ := os.Stat(path)
	b.SetBytes(fi.Size())
	b.ReportAllocs()
	var rows, cells int
	for b.Loop() {
		wb, err := Open(path, Limits{})
		if err != nil {
			b.Fatal(err)
		}
		rs, err := readSheets(wb)
		wb.Close()
		if err != nil {
			b.Fatal(err)
		}
		rows, cells = len(rs), 0
		for _, r := range rs {
			cells += len(r.Cells)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(cells), "cells")
}

func BenchmarkReadODS100k(b *testing.B) { benchRead(b, benchFile(b, "long-100k.ods")) }
func BenchmarkReadXLS100k(b *testing.B) { benchRead(b, benchFile(b, "long-100k.xls")) }
