package load

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
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
	return writeRun(path, []RunRecord{r}, opts, nil)
}

// WriteRuns writes a run history file of several runs, in order (the
// compacted history of a day: see [CompactRunPath]). Its footer names the
// last run.
func WriteRuns(path string, rs []RunRecord, opts Options) (FileInfo, error) {
	if len(rs) == 0 {
		return FileInfo{}, fmt.Errorf("write %s: no runs", path)
	}
	return writeRun(path, rs, opts, nil)
}

// CompactRunPath is the file in OUT of the day's runs that changed
// nothing (every input skipped, none removed, failed or quarantined):
// runs/unchanged-YYYY-MM-DD.parquet, the day of started in UTC. Each such
// run adds its row there instead of a runs/RUN_ID.parquet of its own, so
// that serve, ticking every few minutes over inputs that rarely change,
// adds one file a day rather than hundreds.
func CompactRunPath(started time.Time) string {
	return path.Join(RunsDir, "unchanged-"+started.UTC().Format("2006-01-02")+".parquet")
}

// Unchanged reports whether a run changed nothing: an incremental run
// that skipped every input and loaded, removed, failed and quarantined
// none.
func (r RunRecord) Unchanged() bool {
	return r.Mode != "full" && r.Loaded == 0 && r.Removed == 0 && r.Failed == 0 && r.Quarantined == 0
}

// RunHistoryRows returns where in OUT the history row of run r goes, and
// the rows that file holds with it: runs/RUN_ID.parquet with r alone, or,
// for a run that changed nothing, the day's [CompactRunPath] with the rows
// it held before and r. When that file exists but cannot be read, r gets
// a file of its own and err says why (the caller warns; the day's file
// stays as it is).
func RunHistoryRows(out string, r RunRecord) (rel string, rows []RunRecord, err error) {
	own := RunPath(r.RunID)
	if !r.Unchanged() {
		return own, []RunRecord{r}, nil
	}
	rel = CompactRunPath(r.Started)
	name := filepath.Join(out, filepath.FromSlash(rel))
	fi, err := os.Lstat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return rel, []RunRecord{r}, nil
	case err != nil:
		return own, []RunRecord{r}, err
	case !fi.Mode().IsRegular():
		return own, []RunRecord{r}, fmt.Errorf("%s is not a regular file", name)
	}
	prior, err := ReadRuns(name)
	if err != nil {
		return own, []RunRecord{r}, err
	}
	return rel, append(prior, r), nil
}

// ReadRuns reads back a run history file written by [WriteRun] or
// [WriteRuns].
func ReadRuns(path string) ([]RunRecord, error) {
	var out []RunRecord
	err := readFile(path, schemas.RunColumns, func(rec arrow.RecordBatch) error {
		batch := make([]RunRecord, rec.NumRows())
		for ci, c := range schemas.RunColumns {
			a := rec.Column(ci)
			for i := range batch {
				r := &batch[i]
				switch c.Name {
				case "run_id":
					r.RunID = str(a, i)
				case "started":
					r.Started = time.UnixMicro(int64(a.(*array.Timestamp).Value(i))).UTC()
				case "finished":
					r.Finished = time.UnixMicro(int64(a.(*array.Timestamp).Value(i))).UTC()
				case "duration_seconds": // finished − started
				case "version":
					r.Version = str(a, i)
				case "rules_version":
					r.RulesVersion = str(a, i)
				case "mode":
					r.Mode = str(a, i)
				case "exit_code":
					r.ExitCode = int(a.(*array.Int32).Value(i))
				case "inputs":
					r.Inputs = int(a.(*array.Int32).Value(i))
				case "loaded":
					r.Loaded = int(a.(*array.Int32).Value(i))
				case "skipped":
					r.Skipped = int(a.(*array.Int32).Value(i))
				case "failed":
					r.Failed = int(a.(*array.Int32).Value(i))
				case "quarantined":
					r.Quarantined = int(a.(*array.Int32).Value(i))
				case "removed":
					r.Removed = int(a.(*array.Int32).Value(i))
				case "observations":
					r.Observations = a.(*array.Int64).Value(i)
				case "observations_loaded":
					r.ObservationsLoaded = a.(*array.Int64).Value(i)
				case "findings_error":
					r.FindingsError = a.(*array.Int64).Value(i)
				case "findings_warning":
					r.FindingsWarning = a.(*array.Int64).Value(i)
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

func writeRun(path string, rs []RunRecord, opts Options, beforeVerify func(string)) (FileInfo, error) {
	last := rs[len(rs)-1]
	meta := Metadata{RunID: last.RunID, Version: last.Version, RulesVersion: last.RulesVersion, LoadedAt: last.Started}
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
	for i := range rs {
		for j, app := range appends {
			app(w.rb.Field(j), &rs[i])
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
