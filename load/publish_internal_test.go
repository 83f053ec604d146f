package load

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestRecoverAfterKill kills a publication (in effect) after its journal is
// written and after each of its steps, and checks that Recover brings the
// output directory to exactly what an uninterrupted Commit gives.
func TestRecoverAfterKill(t *testing.T) {
	setup := func(t *testing.T) (string, *Publication) {
		out := t.TempDir()
		for rel, content := range map[string]string{
			"observations/a.parquet": "old a", "findings/a.parquet": "old fa",
			"observations/gone.parquet": "old gone", "manifest.json": "old manifest",
		} {
			write(t, out, rel, content)
		}
		p, err := NewPublication(out, "run2")
		if err != nil {
			t.Fatal(err)
		}
		for rel, content := range map[string]string{
			"observations/a.parquet": "new a", "findings/a.parquet": "new fa", "observations/b.parquet": "new b",
		} {
			name, err := p.StagePath(rel)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		p.Publish("observations/a.parquet")
		p.Publish("findings/a.parquet")
		p.Publish("observations/b.parquet")
		p.Remove("observations/gone.parquet")
		if err := p.WriteJSON("manifest.json", "run2"); err != nil {
			t.Fatal(err)
		}
		return out, p
	}
	out, p := setup(t)
	if err := p.Commit(); err != nil {
		t.Fatal(err)
	}
	want := files(t, out)

	for k := 0; k <= len(p.ops); k++ {
		out, p := setup(t)
		j, err := p.writeJournal()
		if err != nil {
			t.Fatal(err)
		}
		// killed after k of the steps
		if err := apply(out, journal{RunID: j.RunID, Ops: j.Ops[:k]}); err != nil {
			t.Fatal(err)
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
