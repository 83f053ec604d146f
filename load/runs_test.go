package load_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/tradeetl/tradeetl/load"
)

// The run history file of several runs reads back as written.
func TestWriteReadRuns(t *testing.T) {
	day := time.Date(2026, 12, 6, 14, 0, 0, 0, time.UTC)
	var rs []load.RunRecord
	for i := range 3 {
		rs = append(rs, load.RunRecord{
			RunID: "run" + string(rune('a'+i)), Started: day.Add(time.Duration(i) * time.Minute), Finished: day.Add(time.Duration(i)*time.Minute + 1500*time.Millisecond),
			Version: "v1", RulesVersion: "abcdef012345", Mode: "incremental", ExitCode: i % 2, Inputs: 3, Skipped: 3,
			Observations: 100, FindingsError: int64(i), FindingsWarning: 2,
		})
	}
	path := filepath.Join(t.TempDir(), "runs.parquet")
	info, err := load.WriteRuns(path, rs, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if info.Rows != 3 {
		t.Errorf("%d rows written", info.Rows)
	}
	got, err := load.ReadRuns(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, rs) {
		t.Errorf("read back\n%+v\nwant\n%+v", got, rs)
	}
}

// A run that changed nothing adds its row to the day's file of unchanged
// runs; any other run, or one whose day file cannot be read, gets a file
// of its own.
func TestRunHistoryRows(t *testing.T) {
	day := time.Date(2026, 12, 6, 23, 59, 0, 0, time.UTC)
	unchanged := load.RunRecord{RunID: "u2", Started: day, Finished: day.Add(time.Second), Mode: "incremental", Inputs: 2, Skipped: 2, ExitCode: 1}
	earlier := unchanged
	earlier.RunID, earlier.Started, earlier.Finished = "u1", day.Add(-time.Hour), day.Add(-time.Hour+time.Second)
	dayFile := "runs/unchanged-2026-12-06.parquet"
	for _, tt := range []struct {
		name    string
		r       load.RunRecord
		prepare func(t *testing.T, out string)
		rel     string
		ids     []string
		err     bool
	}{
		{"first unchanged run of the day", unchanged, nil, dayFile, []string{"u2"}, false},
		{"next unchanged run", unchanged, func(t *testing.T, out string) {
			if _, err := load.WriteRuns(filepath.Join(out, dayFile), []load.RunRecord{earlier}, load.Options{}); err != nil {
				t.Fatal(err)
			}
		}, dayFile, []string{"u1", "u2"}, false},
		{"a run that loaded", withLoaded(unchanged), nil, "runs/u2.parquet", []string{"u2"}, false},
		{"a full run", withMode(unchanged, "full"), nil, "runs/u2.parquet", []string{"u2"}, false},
		{"a run with a failed input", withFailed(unchanged), nil, "runs/u2.parquet", []string{"u2"}, false},
		{"a day file that is not Parquet", unchanged, func(t *testing.T, out string) {
			if err := os.WriteFile(filepath.Join(out, dayFile), []byte("garbage"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "runs/u2.parquet", []string{"u2"}, true},
		{"a day file that is a symlink", unchanged, func(t *testing.T, out string) {
			if err := os.Symlink("/etc/passwd", filepath.Join(out, dayFile)); err != nil {
				t.Fatal(err)
			}
		}, "runs/u2.parquet", []string{"u2"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			if err := os.MkdirAll(filepath.Join(out, "runs"), 0o755); err != nil {
				t.Fatal(err)
			}
			if tt.prepare != nil {
				tt.prepare(t, out)
			}
			rel, rows, err := load.RunHistoryRows(out, tt.r)
			var ids []string
			for _, r := range rows {
				ids = append(ids, r.RunID)
			}
			if rel != tt.rel || !reflect.DeepEqual(ids, tt.ids) || (err != nil) != tt.err {
				t.Errorf("got %s %v %v; want %s %v, error %v", rel, ids, err, tt.rel, tt.ids, tt.err)
			}
		})
	}
}

func withLoaded(r load.RunRecord) load.RunRecord         { r.Loaded, r.Skipped = 1, r.Skipped-1; return r }
func withMode(r load.RunRecord, m string) load.RunRecord { r.Mode = m; return r }
func withFailed(r load.RunRecord) load.RunRecord         { r.Failed, r.Skipped = 1, r.Skipped-1; return r }
