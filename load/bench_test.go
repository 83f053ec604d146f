package load_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

// benchBatches returns 10 batches of 10,000 synthetic observations: one
// batch per input file, each a product table over 20 years, 5 flows or
// measures and 100 products. The benchmark writes each ten times under
// other file names, so that the live heap stays that of a streaming run.
func benchBatches() [][]schemas.Observation {
	const files, perFile = 10, 10_000
	flows := []string{schemas.FlowExports, schemas.FlowImports, schemas.FlowDeficit, schemas.FlowTotal, schemas.FlowExports}
	batches := make([][]schemas.Observation, files)
	for f := range batches {
		path := "in/products-" + strconv.Itoa(2000+f) + ".xlsx"
		sum := strconv.FormatInt(int64(f)*7919, 16)
		b := make([]schemas.Observation, perFile)
		for i := range b {
			year := 2000 + i%20
			product := "Product group " + strconv.Itoa(i/100)
			flow := flows[(i/20)%len(flows)]
			o := &b[i]
			*o = schemas.Observation{
				File: path, FileSHA256: sum, Sheet: "Table " + strconv.Itoa(i/2000), Cell: cellName(i), Table: "A4:V504",
				Label: product, Reporter: "Flanders", ReporterParent: "Belgium", Partner: "China",
				Flow: flow, Product: product, ProductCode: strconv.Itoa(i / 100), Measure: schemas.MeasureLevel,
				Period: strconv.Itoa(year), PeriodType: schemas.PeriodYear, Year: year,
				PeriodStart: time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC),
				HasValue:    true, Value: float64((f*perFile+i)%100_000) / 100, Decimals: 2,
				Unit: schemas.UnitEUR, Scale: 1e6, HasValueEUR: true,
			}
			o.Text = formatText(o.Value)
			o.ValueEUR = o.Value * o.Scale
			if (i/20)%5 == 4 {
				o.Measure, o.Unit, o.Scale, o.HasValueEUR, o.ValueEUR = schemas.MeasureShare, schemas.UnitPercent, 1, false, 0
			}
			if i%50 == 0 {
				o.HasValue, o.HasValueEUR, o.Missing, o.Text = false, false, "n.a.", "n.a."
			}
		}
		batches[f] = b
	}
	return batches
}

// BenchmarkObservationWriter writes 1M observations in batches of 10,000
// with the default options and reports rows/s and the file size.
func BenchmarkObservationWriter(b *testing.B) {
	batches := benchBatches()
	const rows = 1_000_000
	var files, sums []string
	for i := range rows / 10_000 {
		files = append(files, "in/products-"+strconv.Itoa(i)+".xlsx")
		sums = append(sums, strconv.FormatInt(int64(i)*7919, 16))
	}
	dir := b.TempDir()
	path := filepath.Join(dir, "observations.parquet")
	meta := load.Metadata{RunID: "bench", Version: "bench", LoadedAt: time.Now()}
	b.ReportAllocs()
	iters := 0
	for b.Loop() {
		w, err := load.NewObservationWriter(path, meta, load.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for i := range files {
			bt := batches[i%len(batches)]
			for j := range bt {
				bt[j].File, bt[j].FileSHA256 = files[i], sums[i]
			}
			if err := w.Write(bt); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := w.Commit(); err != nil {
			b.Fatal(err)
		}
		iters++
	}
	b.ReportMetric(float64(rows*iters)/b.Elapsed().Seconds(), "rows/s")
	if fi, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(fi.Size())/(1<<20), "MiB/file")
	}
}
