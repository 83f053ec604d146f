package load_test

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

// TestWriteReport checks the report.json contract of docs/outputs.md.
func TestWriteReport(t *testing.T) {
	tests := []struct {
		name   string
		report schemas.Report
		check  func(t *testing.T, doc map[string]any)
	}{
		{"full", schemas.Report{
			RunID: "run-1", Version: "v0.1.0", Started: "2026-03-01T12:30:45Z", Finished: "2026-03-01T12:30:46Z",
			Inputs: []schemas.InputReport{
				{Path: "in/a.xlsx", SHA256: strings.Repeat("a", 64), Status: schemas.StatusLoaded, Observations: 5},
				{Path: "in/bad.xlsx", SHA256: strings.Repeat("c", 64), Status: schemas.StatusFailed, Error: "in/bad.xlsx: not a workbook"},
			},
			Outputs:  []schemas.Output{{Path: "observations.parquet", Rows: 5}, {Path: "findings.parquet", Rows: 2}},
			Findings: sampleFindings(),
		}, func(t *testing.T, doc map[string]any) {
			inputs := doc["inputs"].([]any)
			in0 := inputs[0].(map[string]any)
			wantKeys(t, "inputs[0]", in0, "path", "sha256", "status", "observations")
			if in0["status"] != "loaded" || in0["observations"] != 5.0 {
				t.Errorf("inputs[0] = %v", in0)
			}
			wantKeys(t, "inputs[1]", inputs[1].(map[string]any), "path", "sha256", "status", "error", "observations")
			out0 := doc["outputs"].([]any)[0].(map[string]any)
			wantKeys(t, "outputs[0]", out0, "path", "rows")
			f0 := doc["findings"].([]any)[0].(map[string]any)
			wantKeys(t, "findings[0]", f0, "rule", "severity", "file", "sheet", "cells", "message",
				"expected", "actual", "tolerance", "suspect_cell", "suggested_value", "slip", "candidates")
			if c, ok := f0["candidates"].([]any); !ok || len(c) != 0 {
				t.Errorf("candidates %v, want []", f0["candidates"])
			}
			if cells := f0["cells"].([]any); len(cells) != 3 || cells[0] != "C13" {
				t.Errorf("cells %v", cells)
			}
			if f0["expected"] != 4.48 || f0["suspect_cell"] != "C13" {
				t.Errorf("findings[0] = %v", f0)
			}
			f1 := doc["findings"].([]any)[1].(map[string]any)
			if f1["expected"] != nil || f1["suggested_value"] != nil {
				t.Errorf("findings[1] optional numbers = %v, %v, want null", f1["expected"], f1["suggested_value"])
			}
		}},
		{"empty lists are [] not null", schemas.Report{
			RunID:    "run-2",
			Findings: []schemas.Finding{{Rule: "non_negative", Severity: "error", Message: "m"}},
		}, func(t *testing.T, doc map[string]any) {
			for _, k := range []string{"inputs", "outputs", "findings", "revisions"} {
				if _, ok := doc[k].([]any); !ok {
					t.Errorf("%s = %#v, want a list", k, doc[k])
				}
			}
			if cells, ok := doc["findings"].([]any)[0].(map[string]any)["cells"].([]any); !ok || len(cells) != 0 {
				t.Errorf("cells = %#v, want []", cells)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "report.json")
			orig := tt.report
			if err := load.WriteReport(path, &tt.report); err != nil {
				t.Fatal(err)
			}
			if tt.report.Inputs == nil && orig.Inputs != nil {
				t.Error("WriteReport changed its argument")
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(string(data), "}\n") || !strings.HasPrefix(string(data), "{\n  \"run_id\"") {
				t.Errorf("not indented JSON with a trailing newline:\n%s", data)
			}
			var doc map[string]any
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			wantKeys(t, "report", doc, "run_id", "version", "started", "finished", "inputs", "outputs", "findings", "revisions", "revisions_more")
			tt.check(t, doc)
			var back schemas.Report
			if err := json.Unmarshal(data, &back); err != nil || back.RunID != tt.report.RunID {
				t.Errorf("round trip: %v %v", back.RunID, err)
			}
			if names := dirNames(t, dir); !slices.Equal(names, []string{"report.json"}) {
				t.Errorf("directory holds %v", names)
			}
		})
	}
}

func wantKeys(t *testing.T, what string, m map[string]any, keys ...string) {
	t.Helper()
	var got []string
	for k := range m {
		got = append(got, k)
	}
	slices.Sort(got)
	slices.Sort(keys)
	if !slices.Equal(got, keys) {
		t.Errorf("%s keys %v, want %v", what, got, keys)
	}
}

func TestWriteReportKeepsOldOnError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := schemas.Report{Findings: []schemas.Finding{{Expected: schemas.Float(nan())}}}
	if err := load.WriteReport(path, &bad); err == nil {
		t.Fatal("WriteReport with NaN succeeded")
	}
	if got, _ := os.ReadFile(path); string(got) != "old\n" {
		t.Errorf("report.json now %q", got)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"report.json"}) {
		t.Errorf("directory holds %v", names)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	errBoom := errors.New("boom")
	tests := []struct {
		name     string
		existing *os.FileMode // mode of a file already at the path
		write    func(io.Writer) error
		wantErr  error
		want     string // content afterwards
		wantMode os.FileMode
	}{
		{"new file", nil, writeString("hello\n"), nil, "hello\n", 0o644},
		{"replace keeps mode", modePtr(0o600), writeString("new\n"), nil, "new\n", 0o600},
		{"large write", nil, writeString(strings.Repeat("x", 1<<20+3)), nil, strings.Repeat("x", 1<<20+3), 0o644},
		{"write error keeps old", modePtr(0o640), func(w io.Writer) error {
			_, _ = io.WriteString(w, "partial")
			return errBoom
		}, errBoom, "old", 0o640},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.txt")
			if tt.existing != nil {
				if err := os.WriteFile(path, []byte("old"), *tt.existing); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, *tt.existing); err != nil {
					t.Fatal(err)
				}
			}
			err := load.WriteFileAtomic(path, tt.write)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			got, _ := os.ReadFile(path)
			if string(got) != tt.want {
				t.Errorf("content %.40q, want %.40q", got, tt.want)
			}
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != tt.wantMode {
				t.Errorf("mode %v (%v), want %v", fi.Mode().Perm(), err, tt.wantMode)
			}
			if names := dirNames(t, dir); !slices.Equal(names, []string{"out.txt"}) {
				t.Errorf("directory holds %v", names)
			}
		})
	}
}

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

func modePtr(m os.FileMode) *os.FileMode { return &m }

// TestJSONKeepsPathsNotUTF8: input paths that are not valid UTF-8 are
// written to state.json, manifest.json and report.json as valid UTF-8
// (U+FFFD for each such byte) with their bytes in hex, and read back as
// the paths they were, so that the next run finds them; two such paths
// that read the same, and a path that really holds U+FFFD, stay apart.
func TestJSONKeepsPathsNotUTF8(t *testing.T) {
	paths := []string{"in/ok.xlsx", "in/bad\xff.xlsx", "in/bad\xfe.xlsx", "in/bad\uFFFD.xlsx"}
	state := load.NewState()
	for i, p := range paths {
		state.Inputs[p] = &load.InputState{ID: strings.Repeat("x", i+1), Files: []load.FileInfo{{Path: "observations/x.parquet", Input: p}}}
	}
	rep := schemas.Report{}
	for _, p := range paths {
		rep.Inputs = append(rep.Inputs, schemas.InputReport{Path: p, Status: schemas.StatusLoaded})
	}
	for _, v := range []any{state, rep} {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(b) || !strings.Contains(string(b), `626164ff2e786c7378`) { // hex of "bad\xff.xlsx"
			t.Fatalf("%T written as\n%s", v, b)
		}
		switch v := v.(type) {
		case *load.State:
			var back load.State
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			for _, p := range paths {
				st := back.Inputs[p]
				if st == nil || st.ID != v.Inputs[p].ID || st.PathHex != "" || len(st.Files) != 1 || st.Files[0].Input != p {
					t.Errorf("%q read back as %+v", p, st)
				}
			}
			if len(back.Inputs) != len(paths) {
				t.Errorf("%d inputs read back, want %d", len(back.Inputs), len(paths))
			}
		case schemas.Report:
			var back schemas.Report
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			for i, in := range back.Inputs {
				if in.Path != paths[i] || in.PathHex != "" {
					t.Errorf("input %d read back as %+v, want %q", i, in, paths[i])
				}
			}
		}
	}
}

// FuzzStatePaths: any input paths, UTF-8 or not, survive state.json.
func FuzzStatePaths(f *testing.F) {
	f.Add([]byte("in/ok.xlsx"), []byte("in/bad\xff\xfe.xlsx"), []byte("in/bad\uFFFD\uFFFD.xlsx"))
	f.Add([]byte("a\xff"), []byte("a\xfe"), []byte("a\uFFFD (61fe)"))
	f.Add([]byte("a\xfe"), []byte("a\uFFFD"), []byte("a\uFFFD (61fe)"))
	f.Fuzz(func(t *testing.T, a, b, c []byte) {
		state := load.NewState()
		for i, p := range []string{string(a), string(b), string(c)} {
			state.Inputs[p] = &load.InputState{ID: string(rune('a' + i)), Files: []load.FileInfo{{Input: p}}}
		}
		j, err := json.Marshal(state)
		if err != nil {
			t.Fatal(err)
		}
		var back load.State
		if err := json.Unmarshal(j, &back); err != nil {
			t.Fatalf("%v in %s", err, j)
		}
		if len(back.Inputs) != len(state.Inputs) {
			t.Fatalf("%d inputs back, want %d: %s", len(back.Inputs), len(state.Inputs), j)
		}
		for p, st := range state.Inputs {
			if got := back.Inputs[p]; got == nil || got.ID != st.ID || got.Files[0].Input != p {
				t.Fatalf("%q back as %+v: %s", p, got, j)
			}
		}
	})
}
