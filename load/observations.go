package load

import (
	"fmt"
	"math"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/tradeetl/tradeetl/schemas"
)

// ObservationWriter streams observations into one Parquet file with the
// columns of [schemas.ObservationColumns]. It is not safe for concurrent
// use: feed it from one goroutine.
type ObservationWriter struct {
	w       *tableWriter
	appends []func(array.Builder, *schemas.Observation, *obsDerived)
	derived []obsDerived // scratch, one per row of the current batch
	buf     [64]byte     // scratch for decimal conversion
}

// obsDerived holds the column values of an observation that need
// conversion, computed (and checked) before any row of a batch is appended.
type obsDerived struct {
	value, valueEUR decimal128.Num
	scale           int64
	periodStart     arrow.Date32
}

// NewObservationWriter creates the temporary file for path and returns a
// writer for it. Nothing appears at path until Commit.
func NewObservationWriter(path string, meta Metadata, opts Options) (*ObservationWriter, error) {
	appends, err := observationAppenders(schemas.ObservationColumns, stamp(meta))
	if err != nil {
		return nil, err
	}
	w, err := newTableWriter(path, schemas.ObservationColumns, meta, opts)
	if err != nil {
		return nil, err
	}
	return &ObservationWriter{w: w, appends: appends}, nil
}

// Write adds a batch of observations. It may be called many times; rows are
// gathered into row groups of Options.RowGroupRows whatever the batch sizes.
//
// A batch is all or nothing: when a figure cannot be stored exactly (a value
// that does not fit its DECIMAL column, a scale that is not a whole number)
// Write returns a *ValueError naming the file and cell, writes nothing of
// the batch, and the writer stays usable. Any other error (I/O) breaks the
// writer: Commit then fails and leaves nothing behind.
func (ow *ObservationWriter) Write(batch []schemas.Observation) error {
	w := ow.w
	if err := w.usable(); err != nil {
		return err
	}
	ow.derived = ow.derived[:0]
	for i := range batch {
		d, err := ow.derive(&batch[i])
		if err != nil {
			return err
		}
		ow.derived = append(ow.derived, d)
	}
	w.rb.Reserve(len(batch))
	for i := range batch {
		for j, app := range ow.appends {
			app(w.rb.Field(j), &batch[i], &ow.derived[i])
		}
	}
	return w.added(len(batch))
}

// Commit finishes the file, fsyncs it, re-opens it to check its row count
// and schema, renames it to its path and fsyncs the directory. It returns the
// number of rows written. On error nothing is left at the temporary name and
// a file that was already at path is untouched.
func (ow *ObservationWriter) Commit() (rows int64, err error) { return ow.w.commit() }

// Written returns the size in bytes and the hex SHA-256 of the published
// file, for manifests. It is valid after a successful Commit.
func (ow *ObservationWriter) Written() (bytes int64, sha256 string) { return ow.w.written() }

// Abort removes the temporary file and releases the writer's memory. It is
// safe to call after Commit (then it does nothing), so it can be deferred.
func (ow *ObservationWriter) Abort() { ow.w.abort() }

// derive converts and checks the fields of o that are not stored as is.
func (ow *ObservationWriter) derive(o *schemas.Observation) (obsDerived, error) {
	var d obsDerived
	var err error
	if o.HasValue {
		if d.value, err = decimalFromFloat(ow.buf[:0], o.Value, schemas.DecimalPrecision, schemas.ValueScale); err != nil {
			return d, valueError(o, "value", err)
		}
	}
	if o.HasValueEUR {
		if d.valueEUR, err = decimalFromFloat(ow.buf[:0], o.ValueEUR, schemas.DecimalPrecision, schemas.ValueEURScale); err != nil {
			return d, valueError(o, "value_eur", err)
		}
	}
	if o.Scale < 1 || o.Scale > 1e18 || o.Scale != math.Trunc(o.Scale) {
		return d, valueError(o, "scale", fmt.Errorf("%v is not a whole multiplier ≥ 1", o.Scale))
	}
	d.scale = int64(o.Scale)
	if o.Year < math.MinInt32 || o.Year > math.MaxInt32 {
		return d, valueError(o, "year", fmt.Errorf("%d out of range", o.Year))
	}
	if o.Decimals < 0 || o.Decimals > math.MaxInt32 {
		return d, valueError(o, "decimals", fmt.Errorf("%d out of range", o.Decimals))
	}
	d.periodStart = date32(o.PeriodStart)
	return d, nil
}

// date32 returns the calendar date of t (in t's own location) as days since
// 1970-01-01.
func date32(t time.Time) arrow.Date32 {
	y, m, day := t.Date()
	return arrow.Date32(time.Date(y, m, day, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// ValueError is a figure that cannot be stored in its column.
type ValueError struct {
	File   string // input path
	Cell   string // "Sheet!B7", or "B7" for CSV
	Column string // Parquet column
	Err    error
}

func (e *ValueError) Error() string {
	return fmt.Sprintf("%s: %s: %s: %v", e.File, e.Cell, e.Column, e.Err)
}

func (e *ValueError) Unwrap() error { return e.Err }

func valueError(o *schemas.Observation, column string, err error) error {
	return &ValueError{File: o.File, Cell: o.Ref(), Column: column, Err: err}
}

// observationAppenders returns, for each column in cols, the function that
// appends an observation's value to that column's builder. A column without
// one is an error, so the column list and this code cannot drift apart.
func observationAppenders(cols []schemas.Column, loadedAt arrow.Timestamp) ([]func(array.Builder, *schemas.Observation, *obsDerived), error) {
	type obs = schemas.Observation
	str := func(get func(*obs) string) func(array.Builder, *obs, *obsDerived) {
		return func(b array.Builder, o *obs, _ *obsDerived) { b.(*array.StringBuilder).Append(get(o)) }
	}
	byName := map[string]func(array.Builder, *obs, *obsDerived){
		"file":            str(func(o *obs) string { return o.File }),
		"file_sha256":     str(func(o *obs) string { return o.FileSHA256 }),
		"sheet":           str(func(o *obs) string { return o.Sheet }),
		"cell":            str(func(o *obs) string { return o.Cell }),
		"table_range":     str(func(o *obs) string { return o.Table }),
		"label":           str(func(o *obs) string { return o.Label }),
		"reporter":        str(func(o *obs) string { return o.Reporter }),
		"reporter_parent": str(func(o *obs) string { return o.ReporterParent }),
		"partner":         str(func(o *obs) string { return o.Partner }),
		"flow":            str(func(o *obs) string { return o.Flow }),
		"product":         str(func(o *obs) string { return o.Product }),
		"product_code":    str(func(o *obs) string { return o.ProductCode }),
		"measure":         str(func(o *obs) string { return o.Measure }),
		"period":          str(func(o *obs) string { return o.Period }),
		"period_type":     str(func(o *obs) string { return o.PeriodType }),
		"year": func(b array.Builder, o *obs, _ *obsDerived) {
			b.(*array.Int32Builder).Append(int32(o.Year))
		},
		"period_start": func(b array.Builder, _ *obs, d *obsDerived) {
			b.(*array.Date32Builder).Append(d.periodStart)
		},
		"base_period": str(func(o *obs) string { return o.BasePeriod }),
		"value": func(b array.Builder, o *obs, d *obsDerived) {
			if o.HasValue {
				b.(*array.Decimal128Builder).Append(d.value)
			} else {
				b.AppendNull()
			}
		},
		"value_text": str(func(o *obs) string { return o.Text }),
		"decimals": func(b array.Builder, o *obs, _ *obsDerived) {
			b.(*array.Int32Builder).Append(int32(o.Decimals))
		},
		"missing": func(b array.Builder, o *obs, _ *obsDerived) {
			if o.Missing == "" {
				b.AppendNull()
			} else {
				b.(*array.StringBuilder).Append(o.Missing)
			}
		},
		"unit": str(func(o *obs) string { return o.Unit }),
		"scale": func(b array.Builder, _ *obs, d *obsDerived) {
			b.(*array.Int64Builder).Append(d.scale)
		},
		"value_eur": func(b array.Builder, o *obs, d *obsDerived) {
			if o.HasValueEUR {
				b.(*array.Decimal128Builder).Append(d.valueEUR)
			} else {
				b.AppendNull()
			}
		},
		"loaded_at": func(b array.Builder, _ *obs, _ *obsDerived) {
			b.(*array.TimestampBuilder).Append(loadedAt)
		},
	}
	return appenders(cols, byName)
}

// appenders orders byName by cols. A column without an appender, or an
// appender without a column, is an error.
func appenders[F any](cols []schemas.Column, byName map[string]F) ([]F, error) {
	out := make([]F, len(cols))
	for i, c := range cols {
		f, ok := byName[c.Name]
		if !ok {
			return nil, fmt.Errorf("load: no appender for column %s", c.Name)
		}
		out[i] = f
		delete(byName, c.Name)
	}
	for name := range byName {
		return nil, fmt.Errorf("load: appender for unknown column %s", name)
	}
	return out, nil
}
