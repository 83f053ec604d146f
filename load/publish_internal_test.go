package load

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path"
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

// A journal planted in OUT must not make a run move, link or delete
// anything outside OUT: not by "..", an absolute path or a symbolic link
// on the way (OUT/audit -> elsewhere), and a journal that does not match
// the run it names (no staging area, a manifest of another run) is
// refused before any step.
func TestRecoverConfinesJournal(t *testing.T) {
	manifestOps := func(run string, ops ...string) string {
		all := []string{fmt.Sprintf(`{"from":".staging/%s/.staged-manifest.json","to":"manifest.json"}`, run)}
		all = append(all, ops...)
		all = append(all, fmt.Sprintf(`{"from":".staging/%s/manifest.json","to":"manifest.json"}`, run))
		return fmt.Sprintf(`{"run_id":%q,"ops":[%s]}`, run, strings.Join(all, ","))
	}
	for _, tt := range []struct {
		name    string
		setup   func(t *testing.T, dir, out string)
		journal string
		want    string // in the error
	}{
		{"dot-dot from", nil, manifestOps("r1", `{"from":".staging/r1/../../../secret.txt","to":"observations/stolen.parquet"}`), "outside the staging area"},
		{"dot-dot to", nil, manifestOps("r1", `{"to":"observations/../../victim/important.txt"}`), "not a path inside"},
		{"absolute to", nil, manifestOps("r1", `{"to":"/tmp/victim/important.txt"}`), "not a path inside"},
		{"absolute from", nil, manifestOps("r1", `{"from":"/etc/passwd","to":"observations/x.parquet"}`), "outside the staging area"},
		{"not an output file", nil, manifestOps("r1", `{"to":"link/important.txt"}`), "not an output file"},
		{"removal through a symlink", func(t *testing.T, dir, out string) {
			symlink(t, filepath.Join(dir, "victim"), filepath.Join(out, "audit"))
		}, manifestOps("r1", `{"to":"audit/important.txt"}`), "symbolic link"},
		{"partition through a symlink", func(t *testing.T, dir, out string) {
			write(t, out, "observations/keep.parquet", "k")
			symlink(t, filepath.Join(dir, "victim"), filepath.Join(out, "observations", "year=2013"))
		}, manifestOps("r1", `{"to":"observations/year=2013/important.txt"}`), "symbolic link"},
		{"link through a symlink", func(t *testing.T, dir, out string) {
			symlink(t, filepath.Join(dir, "victim"), filepath.Join(out, "findings"))
			write(t, out, ".staging/r1/findings/important.txt", "overwritten")
		}, manifestOps("r1", `{"from":".staging/r1/findings/important.txt","to":"findings/important.txt","link":true}`), "symbolic link"},
		{"staged file is a symlink", func(t *testing.T, dir, out string) {
			symlink(t, filepath.Join(dir, "secret.txt"), filepath.Join(out, ".staging", "r1", "x.parquet"))
		}, manifestOps("r1", `{"from":".staging/r1/x.parquet","to":"observations/x.parquet","link":true}`), "not a regular file"},
		{"staged directory is a symlink", func(t *testing.T, dir, out string) {
			symlink(t, dir, filepath.Join(out, ".staging", "r1", "up"))
		}, manifestOps("r1", `{"from":".staging/r1/up/secret.txt","to":"observations/x.parquet"}`), "symbolic link"},
		{"no staging area", nil, manifestOps("r9", `{"to":"observations/a.parquet"}`), "staging area"},
		{"staging area is a symlink", func(t *testing.T, dir, out string) {
			symlink(t, filepath.Join(out, ".staging", "r1"), filepath.Join(out, ".staging", "r2"))
		}, manifestOps("r2", `{"to":"observations/a.parquet"}`), "staging area"},
		{"no manifest", nil, `{"run_id":"r1","ops":[{"to":"observations/a.parquet"}]}`, "manifest"},
		{"manifest of another run", func(t *testing.T, dir, out string) {
			write(t, out, ".staging/r1/manifest.json", `{"run_id":"r0"}`)
		}, manifestOps("r1", `{"to":"observations/a.parquet"}`), `names run "r0"`},
		{"unknown field", nil, `{"run_id":"r1","ops":[],"rm":"-rf"}`, "unreadable journal"},
		{"trailing data", nil, manifestOps("r1") + `{"run_id":"r1"}`, "unreadable journal"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "out")
			write(t, dir, "secret.txt", "secret")
			write(t, dir, "victim/important.txt", "important")
			write(t, out, "manifest.json", `{"run_id":"r0"}`)
			write(t, out, "observations/a.parquet", "a")
			write(t, out, ".staging/r1/.staged-manifest.json", `{"run_id":"r1"}`)
			write(t, out, ".staging/r1/manifest.json", `{"run_id":"r1"}`)
			if tt.setup != nil {
				tt.setup(t, dir, out)
			}
			write(t, out, journalFile, tt.journal)
			_, err := Recover(out)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Recover: %v, want an error with %q", err, tt.want)
			}
			if b, err := os.ReadFile(filepath.Join(dir, "secret.txt")); err != nil || string(b) != "secret" {
				t.Errorf("secret.txt: %q, %v", b, err)
			}
			if b, err := os.ReadFile(filepath.Join(dir, "victim", "important.txt")); err != nil || string(b) != "important" {
				t.Errorf("victim/important.txt: %q, %v", b, err)
			}
			if m, _ := filepath.Glob(filepath.Join(dir, "victim", "*")); len(m) != 1 {
				t.Errorf("victim holds %v", m)
			}
		})
	}
}

func symlink(t *testing.T, target, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, name); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
}

// FuzzJournal reads arbitrary journals back from OUT, as Recover does,
// and carries out those it accepts in a sandbox: whatever the journal
// says, nothing outside OUT changes, through "..", absolute paths or the
// symbolic links the sandbox holds (OUT/audit -> ../victim, a staged
// link to a file outside).
func FuzzJournal(f *testing.F) {
	for _, seed := range []string{
		`{"run_id":"r1","ops":[{"from":".staging/r1/.staged-manifest.json","to":"manifest.json"},{"from":".staging/r1/observations/a.parquet","to":"observations/a.parquet","link":true},{"to":"observations/gone.parquet"},{"from":".staging/r1/manifest.json","to":"manifest.json"}]}`,
		`{"run_id":"r1","ops":[{"from":".staging/r1/.staged-manifest.json","to":"manifest.json"},{"to":"audit/important.txt"},{"from":".staging/r1/manifest.json","to":"manifest.json"}]}`,
		`{"run_id":"r1","ops":[{"from":".staging/r1/.staged-manifest.json","to":"manifest.json"},{"from":".staging/r1/up/secret.txt","to":"observations/s.parquet"},{"from":".staging/r1/manifest.json","to":"manifest.json"}]}`,
		`{"run_id":"r1","ops":[{"from":".staging/r1/.staged-manifest.json","to":"manifest.json"},{"from":".staging/r1/secret","to":"findings/s.parquet","link":true},{"from":".staging/r1/manifest.json","to":"manifest.json"}]}`,
		`{"run_id":"r1","ops":[{"from":".staging/../../secret.txt","to":"stolen.txt"}]}`,
		`{"run_id":"..","ops":[{"to":"/etc/passwd"}]}`,
		`garbage`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		j, err := readJournal(b)
		if err == nil {
			for _, op := range j.Ops {
				for _, p := range []string{op.To, op.From} {
					if p == "" { // a removal has no source
						continue
					}
					if path.IsAbs(p) || path.Clean(p) != p || p == ".." || strings.HasPrefix(p, "../") || strings.Contains(p, `\`) {
						t.Fatalf("accepted path %q", p)
					}
				}
				if !outputPath(op.To) {
					t.Fatalf("accepted a journal that writes %q", op.To)
				}
				if op.From != "" && !strings.HasPrefix(op.From, ".staging/"+j.RunID+"/") {
					t.Fatalf("accepted a journal that moves %q", op.From)
				}
			}
		}
		dir := t.TempDir()
		out := filepath.Join(dir, "out")
		write(t, dir, "secret.txt", "secret")
		write(t, dir, "victim/important.txt", "important")
		write(t, out, "manifest.json", `{"run_id":"r0"}`)
		write(t, out, "observations/a.parquet", "a")
		write(t, out, "observations/gone.parquet", "gone")
		write(t, out, ".staging/r1/.staged-manifest.json", `{"run_id":"r1"}`)
		write(t, out, ".staging/r1/manifest.json", `{"run_id":"r1"}`)
		write(t, out, ".staging/r1/observations/a.parquet", "new a")
		if err := os.Symlink(filepath.Join(dir, "victim"), filepath.Join(out, "audit")); err != nil {
			t.Skip(err)
		}
		_ = os.Symlink(dir, filepath.Join(out, ".staging", "r1", "up"))
		_ = os.Symlink(filepath.Join(dir, "secret.txt"), filepath.Join(out, ".staging", "r1", "secret"))
		write(t, out, journalFile, string(b))
		_, _ = Recover(out)
		want := map[string]string{"secret.txt": "secret", "victim/important.txt": "important"}
		got := map[string]string{}
		for rel := range want {
			if b, err := os.ReadFile(filepath.Join(dir, rel)); err == nil {
				got[rel] = string(b)
			}
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 3 { // out, secret.txt, victim
			t.Errorf("the journal made files beside OUT: %v", entries)
		}
		if vs, _ := os.ReadDir(filepath.Join(dir, "victim")); len(vs) != 1 {
			t.Errorf("the journal changed victim/: %v", vs)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("the journal changed files outside OUT: %v", got)
		}
	})
}
