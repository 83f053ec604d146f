package load

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/tradeetl/tradeetl/schemas"
)

// RunRecord is one row of the run history, runs/RUN_ID.parquet, with the
// columns of [schemas.RunColumns].
type RunRecord struct {
	RunID              string
	Started, Finished  time.Time
	Version            string
	RulesVersion       string
	Mode               string // "incremental" or "full"
	ExitCode           int
	Inputs             int
	Loaded             int
	Skipped            int
	Failed             int
	Quarantined        int
	Removed            int
	Observations       int64
	ObservationsLoaded int64
	FindingsError      int64
	FindingsWarning    int64
}

// WriteRun writes the run history file of one run at path (atomically, like
// every Parquet file of load) and returns what was written.
func WriteRun(path string, r RunRecord, opts Options) (FileInfo, error) {
	return writeRun(path, r, opts, nil)
}

func writeRun(path string, r RunRecord, opts Options, beforeVerify func(string)) (FileInfo, error) {
	meta := Metadata{RunID: r.RunID, Version: r.Version, RulesVersion: r.RulesVersion, LoadedAt: r.Started}
	appends, err := runAppenders(schemas.RunColumns)
	if err != nil {
		return FileInfo{}, err
	}
	w, err := newTableWriter(path, schemas.RunColumns, meta, opts)
	if err != nil {
		return FileInfo{}, err
	}
	defer w.abort()
	w.beforeVerify = beforeVerify
	for j, app := range appends {
		app(w.rb.Field(j), &r)
	}
	if err := w.added(1); err != nil {
		return FileInfo{}, err
	}
	rows, err := w.commit()
	if err != nil {
		return FileInfo{}, err
	}
	n, sum := w.written()
	return FileInfo{Rows: rows, Bytes: n, SHA256: sum}, nil
}

func runAppenders(cols []schemas.Column) ([]func(array.Builder, *RunRecord), error) {
	type app = func(array.Builder, *RunRecord)
	str := func(get func(*RunRecord) string) app {
		return func(b array.Builder, r *RunRecord) { b.(*array.StringBuilder).Append(schemas.ValidUTF8(get(r))) }
	}
	i32 := func(get func(*RunRecord) int) app {
		return func(b array.Builder, r *RunRecord) { b.(*array.Int32Builder).Append(int32(get(r))) }
	}
	i64 := func(get func(*RunRecord) int64) app {
		return func(b array.Builder, r *RunRecord) { b.(*array.Int64Builder).Append(get(r)) }
	}
	ts := func(get func(*RunRecord) time.Time) app {
		return func(b array.Builder, r *RunRecord) {
			b.(*array.TimestampBuilder).Append(arrow.Timestamp(get(r).UnixMicro()))
		}
	}
	byName := map[string]app{
		"run_id":   str(func(r *RunRecord) string { return r.RunID }),
		"started":  ts(func(r *RunRecord) time.Time { return r.Started }),
		"finished": ts(func(r *RunRecord) time.Time { return r.Finished }),
		"duration_seconds": func(b array.Builder, r *RunRecord) {
			b.(*array.Float64Builder).Append(r.Finished.Sub(r.Started).Seconds())
		},
		"version":             str(func(r *RunRecord) string { return r.Version }),
		"rules_version":       str(func(r *RunRecord) string { return r.RulesVersion }),
		"mode":                str(func(r *RunRecord) string { return r.Mode }),
		"exit_code":           i32(func(r *RunRecord) int { return r.ExitCode }),
		"inputs":              i32(func(r *RunRecord) int { return r.Inputs }),
		"loaded":              i32(func(r *RunRecord) int { return r.Loaded }),
		"skipped":             i32(func(r *RunRecord) int { return r.Skipped }),
		"failed":              i32(func(r *RunRecord) int { return r.Failed }),
		"quarantined":         i32(func(r *RunRecord) int { return r.Quarantined }),
		"removed":             i32(func(r *RunRecord) int { return r.Removed }),
		"observations":        i64(func(r *RunRecord) int64 { return r.Observations }),
		"observations_loaded": i64(func(r *RunRecord) int64 { return r.ObservationsLoaded }),
		"findings_error":      i64(func(r *RunRecord) int64 { return r.FindingsError }),
		"findings_warning":    i64(func(r *RunRecord) int64 { return r.FindingsWarning }),
	}
	return appenders(cols, byName)
}
