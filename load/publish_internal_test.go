package load

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestRecoverAfterKill kills a publication (in effect) after its journal is
// written and after each of its steps, and checks that a reader following
// manifest.json finds one complete run at every step (the old one, or the
// new one) and that Recover brings the output directory to exactly what an
// uninterrupted commit gives.
func TestRecoverAfterKill(t *testing.T) {
	old := map[string]string{
		"observations/a.parquet": "old a", "findings/a.parquet": "old fa", "observations/gone.parquet": "old gone",
		"observations/kept.parquet": "kept", "report.json": "old report",
	}
	news := map[string]string{
		"observations/a.parquet": "new a", "findings/a.parquet": "new fa", "observations/b.parquet": "new b", "report.json": "new report",
	}
	manifestOf := func(runID string, files map[string]string) *Manifest {
		m := &Manifest{RunID: runID}
		for _, rel := range slices.Sorted(maps.Keys(files)) {
			m.Files = append(m.Files, FileInfo{Path: rel, Bytes: int64(len(files[rel])), SHA256: sha(files[rel])})
		}
		return m
	}
	oldMan := manifestOf("run1", old)
	final := map[string]string{"observations/kept.parquet": "kept"}
	maps.Copy(final, news)
	newMan := manifestOf("run2", final)
	setup := func(t *testing.T) (string, *Publication) {
		out := t.TempDir()
		for rel, content := range old {
			write(t, out, rel, content)
		}
		b, _ := json.Marshal(oldMan)
		write(t, out, ManifestFile, string(b))
		p, err := NewPublication(out, "run2")
		if err != nil {
			t.Fatal(err)
		}
		for _, rel := range slices.Sorted(maps.Keys(news)) {
			name, err := p.StagePath(rel)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, []byte(news[rel]), 0o644); err != nil {
				t.Fatal(err)
			}
			p.Publish(rel)
		}
		p.Remove("observations/gone.parquet")
		return out, p
	}
	out, p := setup(t)
	if err := p.CommitManifest(newMan); err != nil {
		t.Fatal(err)
	}
	want := files(t, out)
	if got := readByManifest(t, out); got != "run2" {
		t.Fatalf("after the commit the manifest names %s", got)
	}

	for k := 0; k <= len(p.ops)+len(p.removals)+2; k++ {
		out, p := setup(t)
		ops, err := p.plan(newMan)
		if err != nil {
			t.Fatal(err)
		}
		j, err := p.writeJournal(ops)
		if err != nil {
			t.Fatal(err)
		}
		// killed after k of the steps
		if err := apply(out, journal{RunID: j.RunID, Ops: j.Ops[:min(k, len(j.Ops))]}); err != nil {
			t.Fatal(err)
		}
		wantRun := "run2"
		if k == 0 {
			wantRun = "run1"
		}
		if got := readByManifest(t, out); got != wantRun {
			t.Errorf("killed after %d steps: the manifest names %s, want %s", k, got, wantRun)
		}
		rec, err := Recover(out)
		if err != nil {
			t.Fatalf("killed after %d steps: %v", k, err)
		}
		if rec.Finished != "run2" {
			t.Errorf("killed after %d steps: recovery %+v", k, rec)
		}
		if got := files(t, out); !reflect.DeepEqual(got, want) {
			t.Errorf("killed after %d steps, recovered to\n%v\nwant\n%v", k, got, want)
		}
	}
}

// readByManifest reads manifest.json and every file it lists, as a reader
// following it does, and returns the run it names; it fails the test when
// a listed file is missing or differs.
func readByManifest(t *testing.T, out string) string {
	t.Helper()
	m, err := ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Files {
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(f.Path)))
		if err != nil {
			t.Errorf("manifest of %s: %v", m.RunID, err)
			continue
		}
		if sha(string(b)) != f.SHA256 {
			t.Errorf("manifest of %s: %s holds %q, not the file listed", m.RunID, f.Path, b)
		}
	}
	return m.RunID
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// A journal is read back from OUT, where others may write: one that moves
// files from outside its staging area, or touches files outside the
// output's layout, is refused and nothing is done.
func TestRecoverRefusesForeignJournal(t *testing.T) {
	for _, tt := range []struct {
		name, journal string
	}{
		{"from outside", `{"run_id":"r1","ops":[{"from":".staging/../../secret.txt","to":"stolen.txt"}]}`},
		{"from another run", `{"run_id":"r1","ops":[{"from":".staging/r2/x.parquet","to":"observations/x.parquet"}]}`},
		{"from OUT", `{"run_id":"r1","ops":[{"from":"state.json","to":"observations/x.parquet"}]}`},
		{"to outside", `{"run_id":"r1","ops":[{"to":"../victim.txt"}]}`},
		{"the lock", `{"run_id":"r1","ops":[{"to":".lock"}]}`},
		{"bad run id", `{"run_id":"../x","ops":[]}`},
		{"link without source", `{"run_id":"r1","ops":[{"to":"a","link":true}]}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "out")
			write(t, dir, "secret.txt", "secret")
			write(t, out, ".staging/r2/x.parquet", "x")
			write(t, out, "state.json", "{}")
			write(t, out, journalFile, tt.journal)
			before := files(t, dir)
			if _, err := Recover(out); err == nil || !strings.Contains(err.Error(), "not written by tradeetl") {
				t.Errorf("Recover: %v", err)
			}
			if got := files(t, dir); !reflect.DeepEqual(got, before) {
				t.Errorf("changed:\n%v\nwant\n%v", got, before)
			}
		})
	}
}

func write(t *testing.T, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
