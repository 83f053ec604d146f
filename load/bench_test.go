package load_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/tradeetl/tradeetl/bench/longtable"
	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

// longTable returns the first n rows of the issue-7 long table
// (bench/longtable).
func longTable(n int) []longtable.Row {
	rows := make([]longtable.Row, 0, n)
	longtable.Rows(n, func(r longtable.Row) bool {
		rows = append(rows, r)
		return true
	})
	return rows
}

// observe returns the observations transform reads from rows of the long
// table (the first being row first of the sheet) into batch.
func observe(batch []schemas.Observation, rows []longtable.Row, first int) []schemas.Observation {
	batch = batch[:0]
	for i, r := range rows {
		v := float64(r.Value) / 100
		o := schemas.Observation{
			File: "bench/data/long-1m.csv", FileSHA256: "6f1ed002ab5595859014ebf0951522d9fd7c5d0a0b4a7a4e0fbc3b8c0a1b2c3d",
			Cell: "G" + strconv.Itoa(first+i), Table: "A1:H1", Label: r.Label,
			Reporter: r.Reporter, Partner: r.Partner, Flow: r.Flow, Product: r.Label, ProductCode: r.Code,
			Measure: schemas.MeasureLevel, Period: strconv.Itoa(r.Year), PeriodType: schemas.PeriodYear, Year: r.Year,
			PeriodStart: time.Date(r.Year, 1, 1, 0, 0, 0, 0, time.UTC),
			HasValue:    true, Value: v, Text: strconv.FormatFloat(v, 'f', 2, 64), Decimals: 2,
			Unit: schemas.UnitEUR, Scale: 1e6, HasValueEUR: true, ValueEUR: v * 1e6,
		}
		if r.Reporter != "Belgium" {
			o.ReporterParent = "Belgium"
		}
		if r.Code == "TOTAL" {
			o.Product, o.ProductCode = schemas.ProductTotal, ""
		}
		batch = append(batch, o)
	}
	return batch
}

// BenchmarkObservationWriter writes the observations of the long table of
// make bench-data (100k and 1M rows) with the default options, in batches of 8192
// as the pipeline hands them over, and reports rows/s and the file size.
// The batches are made while the timer is stopped, one at a time, so that
// the input does not weigh on the garbage collector more than in a run.
func BenchmarkObservationWriter(b *testing.B) {
	const batchRows = 8192
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(strconv.Itoa(n/1000)+"k", func(b *testing.B) {
			rows := longTable(n)
			batch := make([]schemas.Observation, 0, batchRows)
			dir := b.TempDir()
			path := filepath.Join(dir, "observations.parquet")
			meta := load.Metadata{RunID: "bench", Version: "bench", LoadedAt: time.Now()}
			b.ReportAllocs()
			b.ResetTimer()
			iters := 0
			for b.Loop() {
				w, err := load.NewObservationWriter(path, meta, load.Options{})
				if err != nil {
					b.Fatal(err)
				}
				for lo := 0; lo < n; lo += batchRows {
					b.StopTimer()
					batch = observe(batch, rows[lo:min(lo+batchRows, n)], lo+2)
					b.StartTimer()
					if err := w.Write(batch); err != nil {
						b.Fatal(err)
					}
				}
				if _, err := w.Commit(); err != nil {
					b.Fatal(err)
				}
				iters++
			}
			b.ReportMetric(float64(n*iters)/b.Elapsed().Seconds(), "rows/s")
			if fi, err := os.Stat(path); err == nil {
				b.ReportMetric(float64(fi.Size())/(1<<20), "MiB/file")
			}
		})
	}
}
