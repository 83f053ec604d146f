package load

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/tradeetl/tradeetl/schemas"
)

// readBatchRows is the number of rows per batch the readers hand out.
const readBatchRows = 64 * 1024

// readFile calls fn for each record batch of a Parquet file written by load.
// The batch is released when fn returns.
func readFile(path string, want []schemas.Column, fn func(rec arrow.RecordBatch) error) error {
	mem := memory.DefaultAllocator
	rdr, err := file.OpenParquetFile(path, false, file.WithReadProps(parquet.NewReaderProperties(mem)))
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	defer rdr.Close()
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: readBatchRows}, mem)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if got := fr.Manifest.Fields; len(got) != len(want) {
		return fmt.Errorf("read %s: %d columns, want %d (written by another version?)", path, len(got), len(want))
	}
	rr, err := fr.GetRecordReader(context.Background(), nil, nil)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	defer rr.Release()
	for rr.Next() {
		rec := rr.RecordBatch()
		if !sameFields(rec.Schema(), ArrowSchema(want)) {
			return fmt.Errorf("read %s: schema %s differs from the one tradeetl writes", path, rec.Schema())
		}
		if err := fn(rec); err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
	}
	if err := rr.Err(); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}

// ReadObservations reads back an observations file written by
// [ObservationWriter], calling fn with batches of observations in file
// order. Values come back exactly as they were written (DECIMAL to the
// nearest float64, which is the float written).
func ReadObservations(path string, fn func([]schemas.Observation) error) error {
	return readFile(path, schemas.ObservationColumns, func(rec arrow.RecordBatch) error {
		n := int(rec.NumRows())
		out := make([]schemas.Observation, n)
		col := func(i int) arrow.Array { return rec.Column(i) }
		for ci, c := range schemas.ObservationColumns {
			a := col(ci)
			for i := range out {
				o := &out[i]
				switch c.Name {
				case "file":
					o.File = str(a, i)
				case "file_sha256":
					o.FileSHA256 = str(a, i)
				case "sheet":
					o.Sheet = str(a, i)
				case "cell":
					o.Cell = str(a, i)
				case "table_range":
					o.Table = str(a, i)
				case "label":
					o.Label = str(a, i)
				case "reporter":
					o.Reporter = str(a, i)
				case "reporter_code":
					o.ReporterCode = str(a, i)
				case "partner_code":
					o.PartnerCode = str(a, i)
				case "obs_status":
					o.Status = str(a, i)
				case "currency":
					o.Currency = str(a, i)
				case "value_base":
					if err := optDecimal(a, i, schemas.ValueBaseScale, &o.HasValueBase, &o.ValueBase); err != nil {
						return err
					}
				case "reporter_parent":
					o.ReporterParent = str(a, i)
				case "partner":
					o.Partner = str(a, i)
				case "flow":
					o.Flow = str(a, i)
				case "product":
					o.Product = str(a, i)
				case "product_code":
					o.ProductCode = str(a, i)
				case "measure":
					o.Measure = str(a, i)
				case "period":
					o.Period = str(a, i)
				case "period_type":
					o.PeriodType = str(a, i)
				case "year":
					o.Year = int(a.(*array.Int32).Value(i))
				case "period_start":
					o.PeriodStart = time.Unix(int64(a.(*array.Date32).Value(i))*86400, 0).UTC()
				case "base_period":
					o.BasePeriod = str(a, i)
				case "value":
					if a.IsValid(i) {
						text := a.(*array.Decimal128).Value(i).ToString(schemas.ValueScale)
						v, err := strconv.ParseFloat(text, 64)
						if err != nil {
							return err
						}
						o.HasValue, o.Value = true, v
						if d, ok := schemas.ParseDecimal(text); ok && d.Significant() > schemas.FloatExact {
							// more digits than the float holds: written
							// from them, and written again from them
							o.Digits = text
						}
					}
				case "value_text":
					o.Text = str(a, i)
				case "decimals":
					o.Decimals = int(a.(*array.Int32).Value(i))
				case "missing":
					if a.IsValid(i) {
						o.Missing = str(a, i)
					}
				case "unit":
					o.Unit = str(a, i)
				case "scale":
					o.Scale = float64(a.(*array.Int64).Value(i))
				case "value_eur":
					if err := optDecimal(a, i, schemas.ValueEURScale, &o.HasValueEUR, &o.ValueEUR); err != nil {
						return err
					}
				case "product_classification":
					o.ProductClass = str(a, i)
				case "quantity":
					if err := optDecimal(a, i, schemas.QuantityScale, &o.HasQuantity, &o.Quantity); err != nil {
						return err
					}
				case "quantity_unit":
					o.QuantityUnit = str(a, i)
				case "run_id":
					o.RunID = str(a, i)
				case "loaded_at", "flow_code", "time_period":
					// written from the run and from flow and period
				default:
					return fmt.Errorf("no reader for column %s", c.Name)
				}
			}
		}
		return fn(out)
	})
}

// ReadFindings reads back a findings file written by [FindingWriter].
func ReadFindings(path string) ([]schemas.Finding, error) {
	var out []schemas.Finding
	err := readFile(path, schemas.FindingColumns, func(rec arrow.RecordBatch) error {
		n := int(rec.NumRows())
		batch := make([]schemas.Finding, n)
		for ci, c := range schemas.FindingColumns {
			a := rec.Column(ci)
			for i := range batch {
				f := &batch[i]
				switch c.Name {
				case "rule":
					f.Rule = str(a, i)
				case "severity":
					f.Severity = schemas.Severity(str(a, i))
				case "file":
					f.File = str(a, i)
				case "sheet":
					f.Sheet = str(a, i)
				case "cells":
					if s := str(a, i); s != "" {
						f.Cells = strings.Split(s, ",")
					}
				case "message":
					f.Message = str(a, i)
				case "expected":
					f.Expected = float(a, i)
				case "actual":
					f.Actual = float(a, i)
				case "tolerance":
					f.Tolerance = float(a, i)
				case "suspect_cell":
					if a.IsValid(i) {
						f.SuspectCell = str(a, i)
					}
				case "suggested_value":
					f.SuggestedValue = float(a, i)
				case "slip":
					if a.IsValid(i) {
						f.Slip = str(a, i)
					}
				case "candidates":
					if a.IsValid(i) && str(a, i) != "" {
						f.Candidates = strings.Split(str(a, i), ",")
					}
				case "run_id", "created_at", "cell_list":
					// cell_list repeats cells; the round trip test compares them
				default:
					return fmt.Errorf("no reader for column %s", c.Name)
				}
			}
		}
		out = append(out, batch...)
		return nil
	})
	return out, err
}

// FileRows returns the number of rows of a Parquet file from its footer.
func FileRows(path string) (int64, error) {
	rdr, err := file.OpenParquetFile(path, false)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", path, err)
	}
	defer rdr.Close()
	return rdr.NumRows(), nil
}

func str(a arrow.Array, i int) string { return a.(*array.String).Value(i) }

func float(a arrow.Array, i int) *float64 {
	if a.IsNull(i) {
		return nil
	}
	v := a.(*array.Float64).Value(i)
	return &v
}

// decimalValue returns the float64 nearest to a DECIMAL value: for a value
// written from a float64 by decimalFromFloat, that float itself.
// optDecimal reads row i of a nullable decimal column into v, setting has
// when it holds a value.
func optDecimal(a arrow.Array, i int, scale int32, has *bool, v *float64) error {
	if !a.IsValid(i) {
		return nil
	}
	x, err := decimalValue(a, i, scale)
	if err != nil {
		return err
	}
	*has, *v = true, x
	return nil
}

func decimalValue(a arrow.Array, i int, scale int32) (float64, error) {
	s := a.(*array.Decimal128).Value(i).ToString(scale)
	return strconv.ParseFloat(s, 64)
}

// figureColumns are the columns [readFigures] reads: what a figure's key
// and value need.
var figureColumns = []string{"reporter", "reporter_code", "partner", "partner_code", "flow", "product", "product_code",
	"product_classification", "period", "measure", "base_period", "unit", "value", "scale", "decimals"}

// readFigures reads the figures of an observations file written by
// [ObservationWriter], in file order, with only the fields of
// figureColumns set (the others zero): the first pass of the current
// dataset, which needs no cell, text or lineage, reads a third of the
// columns.
func readFigures(path string, fn func([]schemas.Observation) error) error {
	mem := memory.DefaultAllocator
	rdr, err := file.OpenParquetFile(path, false, file.WithReadProps(parquet.NewReaderProperties(mem)))
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	defer rdr.Close()
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: readBatchRows}, mem)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	want := ArrowSchema(schemas.ObservationColumns)
	got, err := fr.Schema()
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if !sameFields(got, want) {
		return fmt.Errorf("read %s: schema %s differs from the one tradeetl writes", path, got)
	}
	idx := make([]int, len(figureColumns))
	for i, name := range figureColumns {
		idx[i] = want.FieldIndices(name)[0]
	}
	rr, err := fr.GetRecordReader(context.Background(), idx, nil)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	defer rr.Release()
	var out []schemas.Observation
	for rr.Next() {
		rec := rr.RecordBatch()
		n := int(rec.NumRows())
		out = slices.Grow(out[:0], n)[:n]
		clear(out)
		for ci, name := range figureColumns {
			a := rec.Column(ci)
			for i := range out {
				o := &out[i]
				switch name {
				case "reporter":
					o.Reporter = str(a, i)
				case "reporter_code":
					o.ReporterCode = str(a, i)
				case "partner":
					o.Partner = str(a, i)
				case "partner_code":
					o.PartnerCode = str(a, i)
				case "flow":
					o.Flow = str(a, i)
				case "product":
					o.Product = str(a, i)
				case "product_code":
					o.ProductCode = str(a, i)
				case "product_classification":
					o.ProductClass = str(a, i)
				case "period":
					o.Period = str(a, i)
				case "measure":
					o.Measure = str(a, i)
				case "base_period":
					o.BasePeriod = str(a, i)
				case "unit":
					o.Unit = str(a, i)
				case "value":
					if a.IsValid(i) {
						v, err := decimalValue(a, i, schemas.ValueScale)
						if err != nil {
							return fmt.Errorf("read %s: %w", path, err)
						}
						o.HasValue, o.Value = true, v
					}
				case "scale":
					o.Scale = float64(a.(*array.Int64).Value(i))
				case "decimals":
					o.Decimals = int(a.(*array.Int32).Value(i))
				}
			}
		}
		if err := fn(out); err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
	}
	if err := rr.Err(); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}
