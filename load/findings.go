package load

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/tradeetl/tradeetl/schemas"
)

// FindingWriter streams findings into one Parquet file with the columns of
// [schemas.FindingColumns]: the Finding fields, with run_id and created_at
// from the Metadata, Cells joined by commas (cells) and as a list
// (cell_list). It is not safe for
// concurrent use.
type FindingWriter struct {
	w       *tableWriter
	appends []func(array.Builder, *schemas.Finding)
}

// NewFindingWriter creates the temporary file for path and returns a writer
// for it. Nothing appears at path until Commit.
func NewFindingWriter(path string, meta Metadata, opts Options) (*FindingWriter, error) {
	appends, err := findingAppenders(schemas.FindingColumns, meta.RunID, stamp(meta))
	if err != nil {
		return nil, err
	}
	w, err := newTableWriter(path, schemas.FindingColumns, meta, opts)
	if err != nil {
		return nil, err
	}
	return &FindingWriter{w: w, appends: appends}, nil
}

// Write adds a batch of findings; like [ObservationWriter.Write], batches
// are gathered into row groups.
func (fw *FindingWriter) Write(batch []schemas.Finding) error {
	w := fw.w
	if err := w.usable(); err != nil {
		return err
	}
	w.rb.Reserve(len(batch))
	for i := range batch {
		for j, app := range fw.appends {
			app(w.rb.Field(j), &batch[i])
		}
	}
	return w.added(len(batch))
}

// Commit finishes, verifies and publishes the file; see
// [ObservationWriter.Commit].
func (fw *FindingWriter) Commit() (int64, error) { return fw.w.commit() }

// Written returns the size and hex SHA-256 of the published file; see
// [ObservationWriter.Written].
func (fw *FindingWriter) Written() (bytes int64, sha256 string) { return fw.w.written() }

// Abort removes the temporary file; it is a no-op after Commit.
func (fw *FindingWriter) Abort() { fw.w.abort() }

// findingAppenders returns the appender of each column in cols.
func findingAppenders(cols []schemas.Column, runID string, createdAt arrow.Timestamp) ([]func(array.Builder, *schemas.Finding), error) {
	type fnd = schemas.Finding
	type app = func(array.Builder, *fnd)
	str := func(get func(*fnd) string) app {
		return func(b array.Builder, f *fnd) { b.(*array.StringBuilder).Append(schemas.ValidUTF8(get(f))) }
	}
	float := func(get func(*fnd) *float64) app {
		return func(b array.Builder, f *fnd) {
			if v := get(f); v != nil {
				b.(*array.Float64Builder).Append(*v)
			} else {
				b.AppendNull()
			}
		}
	}
	// nullStr writes "" as null: the column is optional.
	nullStr := func(get func(*fnd) string) app {
		return func(b array.Builder, f *fnd) {
			if v := get(f); v == "" {
				b.AppendNull()
			} else {
				b.(*array.StringBuilder).Append(schemas.ValidUTF8(v))
			}
		}
	}
	byName := map[string]app{
		"run_id":   func(b array.Builder, _ *fnd) { b.(*array.StringBuilder).Append(runID) },
		"rule":     str(func(f *fnd) string { return f.Rule }),
		"severity": str(func(f *fnd) string { return string(f.Severity) }),
		"file":     str(func(f *fnd) string { return f.File }),
		"sheet":    str(func(f *fnd) string { return f.Sheet }),
		"cells": func(b array.Builder, f *fnd) {
			b.(*array.StringBuilder).Append(schemas.ValidUTF8(strings.Join(f.Cells, ",")))
		},
		"message":         str(func(f *fnd) string { return f.Message }),
		"expected":        float(func(f *fnd) *float64 { return f.Expected }),
		"actual":          float(func(f *fnd) *float64 { return f.Actual }),
		"tolerance":       float(func(f *fnd) *float64 { return f.Tolerance }),
		"suspect_cell":    nullStr(func(f *fnd) string { return f.SuspectCell }),
		"suggested_value": float(func(f *fnd) *float64 { return f.SuggestedValue }),
		"slip":            nullStr(func(f *fnd) string { return f.Slip }),
		"candidates":      nullStr(func(f *fnd) string { return strings.Join(f.Candidates, ",") }),
		"created_at":      func(b array.Builder, _ *fnd) { b.(*array.TimestampBuilder).Append(createdAt) },
		"cell_list": func(b array.Builder, f *fnd) {
			lb := b.(*array.ListBuilder)
			lb.Append(true)
			vb := lb.ValueBuilder().(*array.StringBuilder)
			for _, c := range f.Cells {
				vb.Append(schemas.ValidUTF8(c))
			}
		},
	}
	return appenders(cols, byName)
}
