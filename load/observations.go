package load

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/tradeetl/tradeetl/schemas"
)

// ObservationWriter writes observations into Parquet with the columns of
// [schemas.ObservationColumns]: one file, or with Options.PartitionBy one
// file per year. It is not safe for concurrent use: feed it from one
// goroutine.
//
// Rows are sorted by reporter, partner, flow, period and product (by year
// first when partitioned by year), rows with equal keys staying in the
// order they were written (the order of the source: sheet, row, column).
// The whole file is sorted, not each row group, so that each row group's
// min/max statistics of reporter (then partner, ...) cover a narrow range
// and readers filtering on them skip the rest. Sorting needs every row
// before the first is written: a writer holds up to Options.SortRows rows
// in memory, sorts them and spills them as a run to a temporary file
// beside path, and Commit merges the runs (or sorts the rows in memory
// when they fit) while writing the Parquet files.
type ObservationWriter struct {
	path     string
	meta     Metadata
	opts     Options
	mem      memory.Allocator
	cols     []*obsCol
	buf      *rowBuf
	derived  []obsDerived // scratch, one per row of the current batch
	sorter   sorter
	keyNames []string
	sp       *spill // runs spilled so far; nil when all rows are in buf
	rows     int64  // rows accepted by Write
	files    []FileInfo
	err      error // sticky: the writer is broken, only Abort remains
	done     bool
	buf64    [64]byte // scratch for decimal conversion

	// beforeVerify, when set, runs on each finished temporary file before
	// it is verified (tests corrupt it).
	beforeVerify func(name string)
}

// NewObservationWriter returns a writer for the observations file path
// (with Options.PartitionBy year, the files DIR/year=YYYY/NAME for path
// DIR/NAME). Nothing appears at path until Commit.
func NewObservationWriter(path string, meta Metadata, opts Options) (*ObservationWriter, error) {
	if err := opts.Check(); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || !fi.IsDir() {
		if err == nil {
			err = fmt.Errorf("%s is not a directory", filepath.Dir(path))
		}
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	if meta.LoadedAt.IsZero() {
		meta.LoadedAt = time.Now()
	}
	cols, err := observationCols(schemas.ObservationColumns, int64(stamp(meta)), meta.RunID)
	if err != nil {
		return nil, err
	}
	return &ObservationWriter{
		path: path, meta: meta, opts: opts, mem: opts.allocator(), cols: cols,
		buf: newRowBuf(cols), keyNames: keyCols(opts.PartitionBy),
	}, nil
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
	if err := ow.usable(); err != nil {
		return err
	}
	ow.derived = slices.Grow(ow.derived[:0], len(batch))[:len(batch)]
	for i := range batch {
		if err := ow.derive(&batch[i], &ow.derived[i]); err != nil {
			return err
		}
	}
	limit := ow.opts.sortRows()
	for i := range batch {
		ow.buf.add(&batch[i], &ow.derived[i])
		if ow.buf.n >= limit {
			if err := ow.spillRun(); err != nil {
				ow.err = fmt.Errorf("write %s: %w", ow.path, err)
				return ow.err
			}
		}
	}
	ow.rows += int64(len(batch))
	return nil
}

// spillRun sorts the rows in memory and appends them to the run file.
func (ow *ObservationWriter) spillRun() error {
	if ow.sp == nil {
		sp, err := newSpill(ow.path)
		if err != nil {
			return err
		}
		ow.sp = sp
	}
	ks, err := ow.buf.keySpec(ow.keyNames, nil)
	if err != nil {
		return err
	}
	ow.sorter.sort(ow.buf, &ks)
	if err := ow.sp.writeRun(ow.buf); err != nil {
		return err
	}
	ow.buf.reset()
	return nil
}

func (ow *ObservationWriter) usable() error {
	if ow.done {
		return fmt.Errorf("write %s: %w", ow.path, errFinished)
	}
	return ow.err
}

// Commit sorts the rows and writes the file (or, partitioned, a file per
// year: none when no rows were written), fsyncs each, re-opens it to check
// its row count and schema, and renames them to their paths. It returns the
// number of rows written. On error nothing is left at the temporary names
// and files that were already at the paths are untouched.
func (ow *ObservationWriter) Commit() (rows int64, err error) {
	if err := ow.usable(); err != nil {
		ow.Abort()
		return 0, err
	}
	ow.done = true
	defer ow.release()
	out, err := newObsOut(ow)
	if err != nil {
		return 0, fmt.Errorf("write %s: %w", ow.path, err)
	}
	defer out.release()
	if err := ow.writeSorted(out); err != nil {
		out.abort()
		return 0, fmt.Errorf("write %s: %w", ow.path, err)
	}
	if err := out.install(); err != nil {
		return 0, err
	}
	for _, f := range out.done {
		n, sum := f.tmp.written()
		ow.files = append(ow.files, FileInfo{Path: f.rel, Rows: f.rows, Bytes: n, SHA256: sum})
	}
	return ow.rows, nil
}

// writeSorted writes every row, sorted, through out and seals the files.
func (ow *ObservationWriter) writeSorted(out *obsOut) error {
	ks, err := ow.buf.keySpec(ow.keyNames, out.dicts)
	if err != nil {
		return err
	}
	byYear := out.yearCol >= 0
	if ow.sp == nil {
		ow.sorter.sort(ow.buf, &ks)
		ow.sorter = sorter{}
		n := ow.buf.n
		segs := []segment{{lo: 0, hi: n}}
		if byYear {
			segs = segs[:0]
			years := ow.buf.data[out.yearCol].i32
			for t := range n {
				if len(segs) == 0 || years[t] != segs[len(segs)-1].year {
					if len(segs) > 0 {
						segs[len(segs)-1].hi = t
					}
					segs = append(segs, segment{year: years[t], lo: t, hi: n})
				}
			}
		}
		return out.write(bufSource{ow.buf}, segs)
	}
	if ow.buf.n > 0 {
		if err := ow.spillRun(); err != nil {
			return err
		}
	}
	ow.buf, ow.sorter = nil, sorter{} // free the rows before the merge
	order, segs, err := ow.sp.mergeOrder(ow.cols, &ks, byYear)
	if err != nil {
		return err
	}
	return out.write(newSpillSource(ow.sp, ow.cols, order), segs)
}

// Files returns the files Commit wrote, with Path relative to the
// directory of the writer's path ("NAME", or "year=2013/NAME" when
// partitioned), rows, size and SHA-256, in path order.
func (ow *ObservationWriter) Files() []FileInfo { return ow.files }

// Abort removes the temporary files and releases the writer's memory. It is
// safe to call after Commit (then it does nothing), so it can be deferred.
func (ow *ObservationWriter) Abort() {
	if ow.done {
		return
	}
	ow.done = true
	ow.release()
}

// release drops the rows and the run file.
func (ow *ObservationWriter) release() {
	if ow.sp != nil {
		ow.sp.close()
		ow.sp = nil
	}
	ow.buf, ow.sorter, ow.derived = nil, sorter{}, nil
}

// derive converts and checks the fields of o that are not stored as is.
func (ow *ObservationWriter) derive(o *schemas.Observation, d *obsDerived) error {
	if o.Scale < 1 || o.Scale > 1e18 || o.Scale != math.Trunc(o.Scale) {
		return valueError(o, "scale", fmt.Errorf("%v is not a whole multiplier ≥ 1", o.Scale))
	}
	d.scale = int64(o.Scale)
	var err error
	if o.Digits != "" {
		// more digits than the floats hold: the published text, exactly
		err = ow.deriveDigits(o, d)
	} else {
		err = ow.deriveFloats(o, d)
	}
	if err != nil {
		return err
	}
	if err := ow.deriveQuantity(o, d); err != nil {
		return err
	}
	if o.Year < math.MinInt32 || o.Year > math.MaxInt32 {
		return valueError(o, "year", fmt.Errorf("%d out of range", o.Year))
	}
	if o.Decimals < 0 || o.Decimals > math.MaxInt32 {
		return valueError(o, "decimals", fmt.Errorf("%d out of range", o.Decimals))
	}
	d.periodStart = int32(date32(o.PeriodStart))
	return nil
}

// deriveFloats sets the decimals of an observation from its floats, each
// the shortest decimal that reads back as it (see decimalFromFloat).
func (ow *ObservationWriter) deriveFloats(o *schemas.Observation, d *obsDerived) error {
	var err error
	// The published decimals are the first guess of the fast path; a euro
	// amount is mostly whole, or in cents.
	if o.HasValue {
		if d.value, err = decimalOf(ow.buf64[:0], o.Value, schemas.DecimalPrecision, schemas.ValueScale, o.Decimals); err != nil {
			return valueError(o, "value", err)
		}
	}
	if o.HasValueBase {
		if d.valueBase, err = decimalOf(ow.buf64[:0], o.ValueBase, schemas.DecimalPrecision, schemas.ValueBaseScale, schemas.ValueBaseScale); err != nil {
			return valueError(o, "value_base", err)
		}
	}
	if o.HasValueEUR {
		if d.valueEUR, err = decimalOf(ow.buf64[:0], o.ValueEUR, schemas.DecimalPrecision, schemas.ValueEURScale, schemas.ValueEURScale); err != nil {
			return valueError(o, "value_eur", err)
		}
	}
	return nil
}

// deriveQuantity sets the decimal of an observation's quantity.
func (ow *ObservationWriter) deriveQuantity(o *schemas.Observation, d *obsDerived) error {
	if !o.HasQuantity {
		d.quantity = decimal128.Num{}
		return nil
	}
	var err error
	if d.quantity, err = decimalOf(ow.buf64[:0], o.Quantity, schemas.DecimalPrecision, schemas.QuantityScale, 0); err != nil {
		return valueError(o, "quantity", err)
	}
	return nil
}

// deriveDigits sets the decimals of an observation whose figure has more
// digits than a float holds from o.Digits: value as published, value_base
// and value_eur as value × scale, rounded once to their scale.
func (ow *ObservationWriter) deriveDigits(o *schemas.Observation, d *obsDerived) error {
	var err error
	if o.HasValue {
		if d.value, err = decimalFromText(o.Digits, 1, schemas.DecimalPrecision, schemas.ValueScale); err != nil {
			return valueError(o, "value", err)
		}
	}
	if o.HasValueBase {
		if d.valueBase, err = decimalFromText(o.Digits, d.scale, schemas.DecimalPrecision, schemas.ValueBaseScale); err != nil {
			return valueError(o, "value_base", err)
		}
	}
	if o.HasValueEUR {
		if d.valueEUR, err = decimalFromText(o.Digits, d.scale, schemas.DecimalPrecision, schemas.ValueEURScale); err != nil {
			return valueError(o, "value_eur", err)
		}
	}
	return nil
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
