package load

import (
	"fmt"
	"path"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/tradeetl/tradeetl/schemas"
)

// RevisionsDir is the directory of the revisions dataset, written with
// the current dataset: the figures a later delivery changed (see
// [CurrentStats.Revisions]).
const RevisionsDir = "revisions"

// RevisionsPath is the path in OUT of the revisions file.
func RevisionsPath() string { return path.Join(RevisionsDir, "revisions.parquet") }

// WriteRevisions writes revs into path with the columns of
// [schemas.RevisionColumns], verified and renamed into place when
// complete. An empty list writes an empty file.
func WriteRevisions(path string, revs []schemas.Revision, meta Metadata, opts Options) (FileInfo, error) {
	appends, err := revisionAppenders(schemas.RevisionColumns, meta.RunID)
	if err != nil {
		return FileInfo{}, err
	}
	w, err := newTableWriter(path, schemas.RevisionColumns, meta, opts)
	if err != nil {
		return FileInfo{}, err
	}
	defer w.abort()
	var buf [64]byte
	for i := range revs {
		r := &revs[i]
		var vals [2]*decimal128.Num
		for k, o := range []*schemas.Observation{&r.Old, &r.New} {
			if !o.HasValue {
				continue
			}
			var v decimal128.Num
			if o.Digits != "" {
				v, err = decimalFromText(o.Digits, 1, schemas.DecimalPrecision, schemas.ValueScale)
			} else {
				v, err = decimalOf(buf[:0], o.Value, schemas.DecimalPrecision, schemas.ValueScale, o.Decimals)
			}
			if err != nil {
				return FileInfo{}, fmt.Errorf("write %s: revision of %s: %w", path, o.Ref(), err)
			}
			vals[k] = &v
		}
		for j, app := range appends {
			app(w.rb.Field(j), r, vals)
		}
		if err := w.added(1); err != nil {
			return FileInfo{}, err
		}
	}
	rows, err := w.commit()
	if err != nil {
		return FileInfo{}, err
	}
	n, sum := w.written()
	return FileInfo{Rows: rows, Bytes: n, SHA256: sum}, nil
}

// revisionAppenders returns the appender of each column in cols; vals are
// the old and new value as decimals (nil when missing).
func revisionAppenders(cols []schemas.Column, runID string) ([]func(array.Builder, *schemas.Revision, [2]*decimal128.Num), error) {
	type rev = schemas.Revision
	type app = func(array.Builder, *rev, [2]*decimal128.Num)
	str := func(get func(*rev) string) app {
		return func(b array.Builder, r *rev, _ [2]*decimal128.Num) {
			b.(*array.StringBuilder).Append(schemas.ValidUTF8(get(r)))
		}
	}
	value := func(k int) app {
		return func(b array.Builder, _ *rev, vals [2]*decimal128.Num) {
			if vals[k] == nil {
				b.AppendNull()
				return
			}
			b.(*array.Decimal128Builder).Append(*vals[k])
		}
	}
	scale := func(get func(*rev) float64) app {
		return func(b array.Builder, r *rev, _ [2]*decimal128.Num) { b.(*array.Int64Builder).Append(int64(get(r))) }
	}
	byName := map[string]app{
		"run_id":        str(func(*rev) string { return runID }),
		"figure_key":    str(func(r *rev) string { return r.Key }),
		"reporter":      str(func(r *rev) string { return r.New.Reporter }),
		"reporter_code": str(func(r *rev) string { return r.New.ReporterCode }),
		"partner":       str(func(r *rev) string { return r.New.Partner }),
		"partner_code":  str(func(r *rev) string { return r.New.PartnerCode }),
		"flow":          str(func(r *rev) string { return r.New.Flow }),
		"flow_code":     str(func(r *rev) string { return schemas.FlowCode(r.New.Flow) }),
		"product":       str(func(r *rev) string { return r.New.Product }),
		"product_code":  str(func(r *rev) string { return r.New.ProductCode }),
		"time_period":   str(func(r *rev) string { return schemas.TimePeriod(r.New.Period) }),
		"measure":       str(func(r *rev) string { return r.New.Measure }),
		"unit":          str(func(r *rev) string { return r.New.Unit }),
		"old_value":     value(0),
		"old_scale":     scale(func(r *rev) float64 { return r.Old.Scale }),
		"new_value":     value(1),
		"new_scale":     scale(func(r *rev) float64 { return r.New.Scale }),
		"change_pct": func(b array.Builder, r *rev, _ [2]*decimal128.Num) {
			if pct, ok := r.ChangePct(); ok {
				b.(*array.Float64Builder).Append(pct)
			} else {
				b.AppendNull()
			}
		},
		"old_file":   str(func(r *rev) string { return r.Old.File }),
		"old_cell":   str(func(r *rev) string { return r.Old.Ref() }),
		"old_run_id": str(func(r *rev) string { return r.Old.RunID }),
		"new_file":   str(func(r *rev) string { return r.New.File }),
		"new_cell":   str(func(r *rev) string { return r.New.Ref() }),
		"new_run_id": str(func(r *rev) string { return r.New.RunID }),
	}
	return appenders(cols, byName)
}

// RevisionRow is a row of revisions.parquet as [ReadRevisions] reads it
// back: the key, where the two figures are, and their values.
type RevisionRow struct {
	Key                         string
	Reporter, Partner, Flow     string
	Product, Period, Measure    string
	Unit                        string
	OldScale, NewScale          float64
	OldFile, OldCell, OldRunID  string
	NewFile, NewCell, NewRunID  string
	OldValue, NewValue, Percent *float64 // nil when null
}

// ReadRevisions reads back a file written by [WriteRevisions], calling fn
// with each row in file order.
func ReadRevisions(path string, fn func(RevisionRow)) error {
	return readFile(path, schemas.RevisionColumns, func(rec arrow.RecordBatch) error {
		cols := map[string]arrow.Array{}
		for i, c := range schemas.RevisionColumns {
			cols[c.Name] = rec.Column(i)
		}
		dec := func(name string, i int) (*float64, error) {
			a := cols[name]
			if a.IsNull(i) {
				return nil, nil
			}
			v, err := decimalValue(a, i, schemas.ValueScale)
			return &v, err
		}
		for i := range int(rec.NumRows()) {
			r := RevisionRow{
				Key:     str(cols["figure_key"], i),
				OldFile: str(cols["old_file"], i), OldCell: str(cols["old_cell"], i), OldRunID: str(cols["old_run_id"], i),
				NewFile: str(cols["new_file"], i), NewCell: str(cols["new_cell"], i), NewRunID: str(cols["new_run_id"], i),
				Percent:  float(cols["change_pct"], i),
				Reporter: str(cols["reporter"], i), Partner: str(cols["partner"], i), Flow: str(cols["flow"], i),
				Product: str(cols["product"], i), Period: str(cols["time_period"], i), Measure: str(cols["measure"], i),
				Unit:     str(cols["unit"], i),
				OldScale: float64(cols["old_scale"].(*array.Int64).Value(i)),
				NewScale: float64(cols["new_scale"].(*array.Int64).Value(i)),
			}
			var err error
			if r.OldValue, err = dec("old_value", i); err != nil {
				return err
			}
			if r.NewValue, err = dec("new_value", i); err != nil {
				return err
			}
			fn(r)
		}
		return nil
	})
}
