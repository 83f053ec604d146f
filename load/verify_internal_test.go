package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/tradeetl/tradeetl/schemas"
)

func verifyTestObs(n int) []schemas.Observation {
	out := make([]schemas.Observation, n)
	for i := range out {
		y := 2010 + i%3
		out[i] = schemas.Observation{
			File: "in/a.xlsx", Cell: "B" + string(rune('0'+i%10)), Reporter: "Flanders", Partner: "China",
			Flow: schemas.FlowExports, Product: schemas.ProductTotal, Measure: schemas.MeasureLevel,
			Period: "x", PeriodType: schemas.PeriodYear, Year: y, PeriodStart: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC),
			HasValue: true, Value: float64(i), Text: "1", Unit: schemas.UnitEUR, Scale: 1,
		}
	}
	return out
}

// Every file a writer produces is re-opened and checked before it is
// renamed into place: a file that changed on disk between its writing and
// its verification fails the commit, and nothing is published. This covers
// the three datasets (observations, also partitioned; findings; runs).
func TestVerifyBeforePublish(t *testing.T) {
	corruptions := map[string]func(t *testing.T, name string){
		"truncated": func(t *testing.T, name string) {
			if err := os.Truncate(name, 100); err != nil {
				t.Fatal(err)
			}
		},
		"a byte flipped in the footer": func(t *testing.T, name string) {
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			b[len(b)-12] ^= 0xff
			if err := os.WriteFile(name, b, 0o600); err != nil {
				t.Fatal(err)
			}
		},
		"replaced by other bytes of the same size": func(t *testing.T, name string) {
			fi, err := os.Stat(name)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, []byte(strings.Repeat("x", int(fi.Size()))), 0o600); err != nil {
				t.Fatal(err)
			}
		},
	}
	writers := map[string]func(path string, hook func(string)) error{
		"observations": func(path string, hook func(string)) error {
			w, err := NewObservationWriter(path, Metadata{RunID: "r"}, Options{})
			if err != nil {
				return err
			}
			defer w.Abort()
			w.beforeVerify = hook
			if err := w.Write(verifyTestObs(50)); err != nil {
				return err
			}
			_, err = w.Commit()
			return err
		},
		"observations by year": func(path string, hook func(string)) error {
			w, err := NewObservationWriter(path, Metadata{RunID: "r"}, Options{PartitionBy: PartitionYear, SortRows: 20})
			if err != nil {
				return err
			}
			defer w.Abort()
			calls := 0
			w.beforeVerify = func(name string) { // the second year's file
				if calls++; calls == 2 {
					hook(name)
				}
			}
			if err := w.Write(verifyTestObs(50)); err != nil {
				return err
			}
			_, err = w.Commit()
			return err
		},
		"findings": func(path string, hook func(string)) error {
			w, err := NewFindingWriter(path, Metadata{RunID: "r"}, Options{})
			if err != nil {
				return err
			}
			defer w.Abort()
			w.w.beforeVerify = hook
			if err := w.Write([]schemas.Finding{{Rule: "balance", Severity: "error", File: "in/a.xlsx", Cells: []string{"B3"}}}); err != nil {
				return err
			}
			_, err = w.Commit()
			return err
		},
		"runs": func(path string, hook func(string)) error {
			_, err := writeRun(path, []RunRecord{{RunID: "r", Started: time.Now(), Finished: time.Now()}}, Options{}, hook)
			return err
		},
	}
	for wname, write := range writers {
		for cname, corrupt := range corruptions {
			t.Run(wname+"/"+cname, func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, "x.parquet")
				if err := os.WriteFile(path, []byte("previous"), 0o644); err != nil {
					t.Fatal(err)
				}
				called := false
				err := write(path, func(name string) {
					called = true
					corrupt(t, name)
				})
				if !called {
					t.Fatal("the writer never verified its file")
				}
				if err == nil || !strings.Contains(err.Error(), "verify") {
					t.Fatalf("commit of a corrupted file: %v, want a verification error", err)
				}
				var left []string
				_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
					if err == nil && !d.IsDir() {
						left = append(left, strings.TrimPrefix(p, dir))
					}
					return err
				})
				if len(left) != 1 || left[0] != "/x.parquet" {
					t.Errorf("left %v, want only the previous x.parquet", left)
				}
				if b, _ := os.ReadFile(path); string(b) != "previous" {
					t.Errorf("previous file changed to %q", b)
				}
			})
		}
	}
}

// verifyParquet checks each property on its own: size, magic, row count,
// schema version, schema.
func TestVerifyParquet(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "o.parquet")
	w, err := NewObservationWriter(path, Metadata{RunID: "r"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(verifyTestObs(7)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	mem := memory.DefaultAllocator
	obsSchema := ArrowSchema(schemas.ObservationColumns)
	if err := verifyParquet(path, fi.Size(), 7, obsSchema, mem); err != nil {
		t.Fatalf("a good file fails: %v", err)
	}
	// The schema an Arrow reader sees has plain strings, although the
	// writer wrote dictionary indices.
	if f := obsSchema.Field(obsSchema.FieldIndices("reporter")[0]); f.Type.ID() != arrow.STRING {
		t.Fatalf("reporter is %s", f.Type)
	}
	tests := []struct {
		name   string
		size   int64
		rows   int64
		schema *arrow.Schema
		want   string
	}{
		{"size", fi.Size() + 1, 7, obsSchema, "bytes"},
		{"rows", fi.Size(), 8, obsSchema, "rows"},
		{"schema", fi.Size(), 7, ArrowSchema(schemas.FindingColumns), "schema differs"},
	}
	for _, tt := range tests {
		if err := verifyParquet(path, tt.size, tt.rows, tt.schema, mem); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error about %s", tt.name, err, tt.want)
		}
	}
	bad := filepath.Join(dir, "bad.parquet")
	if err := os.WriteFile(bad, []byte("not a parquet file at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := verifyParquet(bad, 25, 0, obsSchema, mem); err == nil || !strings.Contains(err.Error(), "PAR1") {
		t.Errorf("not Parquet: %v", err)
	}
}
