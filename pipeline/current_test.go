package pipeline

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

// readCurrent reads current/ as one table.
func readCurrent(t *testing.T, out string) []schemas.Observation {
	t.Helper()
	rels, err := load.ListFiles(out, load.CurrentDir)
	if err != nil || len(rels) == 0 {
		t.Fatalf("current/: %v, %v", rels, err)
	}
	var all []schemas.Observation
	for _, rel := range rels {
		if err := load.ReadObservations(filepath.Join(out, filepath.FromSlash(rel)), func(obs []schemas.Observation) error {
			all = append(all, obs...)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	return all
}

// figures maps each figure key of obs to the base names of the files
// that publish it.
func figures(obs []schemas.Observation) map[string][]string {
	m := map[string][]string{}
	for i := range obs {
		k := load.FigureKey(&obs[i])
		m[k] = append(m[k], filepath.Base(obs[i].File))
	}
	return m
}

// current/ holds each figure of observations/ once, from the latest
// delivery; a rerun that changes nothing keeps it as it is; removing an
// input removes the figures only it published and gives those it shared
// back to the other delivery; a partitioned output has a partitioned
// current/.
func TestCurrentDataset(t *testing.T) {
	for _, partition := range []string{"", load.PartitionYear} {
		t.Run("partition="+partition, func(t *testing.T) {
			in := filepath.Join(t.TempDir(), "in")
			if err := os.MkdirAll(in, 0o755); err != nil {
				t.Fatal(err)
			}
			// The newsletter was delivered in January, the product
			// table (which repeats the total exports) in February.
			older, newer := filepath.Join(in, "newsletter-2013.xlsx"), filepath.Join(in, "products-2013.xlsx")
			jan := time.Date(2014, 1, 10, 9, 0, 0, 0, time.UTC)
			deliver(t, fixture("newsletter-2013.xlsx"), older, jan)
			deliver(t, fixture("products-2013.xlsx"), newer, jan.AddDate(0, 1, 0))
			out := filepath.Join(t.TempDir(), "out")
			cfg := Config{Inputs: []string{in}, OutDir: out}
			cfg.Load.PartitionBy = partition
			rep := run(t, cfg)
			checkManifest(t, out)

			all := readObservations(t, out)
			cur := readCurrent(t, out)
			byKey := figures(all)
			if len(cur) != len(byKey) {
				t.Errorf("current holds %d rows for %d figures", len(cur), len(byKey))
			}
			shared := 0
			for k, files := range figures(cur) {
				if len(files) != 1 {
					t.Errorf("%s is %d times in current", k, len(files))
				}
				if len(byKey[k]) > 1 {
					shared++
					if files[0] != "products-2013.xlsx" {
						t.Errorf("%s, published by %v, comes from %s, not the later delivery", k, byKey[k], files[0])
					}
				}
			}
			if shared == 0 {
				t.Fatal("no figure is published by both deliveries; the test proves nothing")
			}
			for _, o := range cur {
				if o.RunID != rep.RunID {
					t.Errorf("%s: run_id %q, want %q", o.Ref(), o.RunID, rep.RunID)
				}
			}
			// Flanders' exports to China in 2013, once: 6.8 billion euro.
			var sum float64
			n := 0
			for _, o := range cur {
				if o.ReporterCode == "BE-VLG" && o.PartnerCode == "CN" && o.Flow == schemas.FlowExports &&
					o.Period == "2013" && o.Measure == schemas.MeasureLevel && o.Product == schemas.ProductTotal {
					sum += o.ValueEUR
					n++
				}
			}
			if n != 1 || sum != 6.8e9 {
				t.Errorf("Flanders–China exports 2013: %d rows, %v euro", n, sum)
			}
			curFiles, _ := load.ListFiles(out, load.CurrentDir)
			first := map[string]fileID{}
			for _, rel := range curFiles {
				fi, err := os.Stat(filepath.Join(out, filepath.FromSlash(rel)))
				if err != nil {
					t.Fatal(err)
				}
				first[rel] = fileID{fi}
			}
			if partition != "" && len(curFiles) < 2 {
				t.Errorf("partitioned current/ has files %v", curFiles)
			}

			// Nothing changed: current/ is not rewritten.
			run(t, cfg)
			checkManifest(t, out)
			again, _ := load.ListFiles(out, load.CurrentDir)
			if len(again) != len(curFiles) {
				t.Errorf("current files %v, were %v", again, curFiles)
			}
			for _, rel := range again {
				fi, err := os.Stat(filepath.Join(out, filepath.FromSlash(rel)))
				if err != nil || !first[rel].same(fileID{fi}) {
					t.Errorf("%s rewritten by a run that changed nothing (%v)", rel, err)
				}
			}
			if got := readCurrent(t, out); len(got) != len(cur) {
				t.Errorf("unchanged run: %d rows, were %d", len(got), len(cur))
			}

			// The later delivery is removed: its own figures go, the
			// shared ones come from the newsletter again.
			if err := os.Remove(newer); err != nil {
				t.Fatal(err)
			}
			rep = run(t, cfg)
			checkManifest(t, out)
			if rep.Inputs[0].Status != schemas.StatusSkipped || len(rep.Inputs) != 1 {
				t.Errorf("inputs %+v", rep.Inputs)
			}
			left := readObservations(t, out)
			after := readCurrent(t, out)
			if len(after) != len(figures(left)) {
				t.Errorf("after the removal current holds %d rows for %d figures", len(after), len(figures(left)))
			}
			for _, o := range after {
				if filepath.Base(o.File) != "newsletter-2013.xlsx" {
					t.Errorf("%s of a removed input is still current", o.Ref())
				}
			}
			if len(after) >= len(cur) {
				t.Errorf("current kept %d rows of %d after a removal", len(after), len(cur))
			}
		})
	}
}

// A table is delivered with errors, then corrected: revisions/ holds
// exactly the figures the correction changed (the planted cells of the
// errors fixture), the corrected delivery raises no finding, and
// current/ holds the corrected values.
func TestRevisionsOfACorrectedDelivery(t *testing.T) {
	in := filepath.Join(t.TempDir(), "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	first, corrected := filepath.Join(in, "table-v1.xlsx"), filepath.Join(in, "table-v2.xlsx")
	jan := time.Date(2014, 1, 10, 9, 0, 0, 0, time.UTC)
	deliver(t, fixture("newsletter-2013-errors.xlsx"), first, jan)
	deliver(t, fixture("newsletter-2013.xlsx"), corrected, jan.AddDate(0, 0, 7))
	out := filepath.Join(t.TempDir(), "out")
	rep := run(t, Config{Inputs: []string{in}, OutDir: out})
	checkManifest(t, out)
	for _, f := range rep.Findings {
		if f.File == corrected && f.Rule != schemas.RuleLargeRevision {
			t.Errorf("the corrected delivery has a finding: %+v", f)
		}
	}
	// The planted cells of the errors fixture are what changed.
	var want []string
	for _, p := range plantedCells(t) {
		want = append(want, p+">"+p)
	}
	slices.Sort(want)
	var got []string
	err := load.ReadRevisions(filepath.Join(out, filepath.FromSlash(load.RevisionsPath())), func(r load.RevisionRow) {
		if r.OldFile != first || r.NewFile != corrected || r.NewRunID != rep.RunID {
			t.Errorf("revision %+v", r)
		}
		_, oc, _ := strings.Cut(r.OldCell, "!")
		_, nc, _ := strings.Cut(r.NewCell, "!")
		got = append(got, oc+">"+nc)
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("revisions %v, want %v", got, want)
	}
	for _, o := range readCurrent(t, out) {
		if o.File != corrected {
			t.Errorf("%s of the first delivery is current", o.Ref())
		}
	}
}

// A table is delivered, then corrected with one figure changed by 20% and
// one by 1%: report.json lists both revisions, largest first, with their
// labels, values and cells; the 20% one is a warning large_revision on the
// new cell (the 1% one is under the default 10%), which leaves the exit
// code at 0; report.html says it in words.
func TestRevisionsInTheReport(t *testing.T) {
	in := filepath.Join(t.TempDir(), "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	v1, v2 := filepath.Join(in, "v1.csv"), filepath.Join(in, "v2.csv")
	const head = "Belgium: trade with China (million EUR)\nYear,Exports,Imports\n"
	write := func(name, body string, mt time.Time) {
		if err := os.WriteFile(name, []byte(head+body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(name, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	jan := time.Date(2014, 1, 10, 9, 0, 0, 0, time.UTC)
	write(v1, "2011,50.0,10.5\n2012,60.0,11.9\n2013,70.0,13.0\n", jan)
	out := filepath.Join(t.TempDir(), "out")
	rep := run(t, Config{Inputs: []string{in}, OutDir: out})
	if len(rep.Revisions) != 0 || len(rep.Findings) != 0 {
		t.Fatalf("one delivery: revisions %+v, findings %+v", rep.Revisions, rep.Findings)
	}
	write(v2, "2011,50.5,10.5\n2012,60.0,11.9\n2013,84.0,13.0\n", jan.AddDate(0, 1, 0))
	rep = run(t, Config{Inputs: []string{in}, OutDir: out})
	checkManifest(t, out)
	if code := ExitCode(rep); code != ExitOK {
		t.Errorf("exit code %d, want %d (a revision is a warning)", code, ExitOK)
	}
	b, err := os.ReadFile(filepath.Join(out, load.ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	var js schemas.Report
	if err := json.Unmarshal(b, &js); err != nil {
		t.Fatal(err)
	}
	if len(js.Revisions) != 2 || js.RevisionsMore != 0 {
		t.Fatalf("report.json revisions %+v (more %d), want 2", js.Revisions, js.RevisionsMore)
	}
	for i, want := range []struct {
		period, text, oldCell, newCell string
		old, new, pct                  float64
	}{
		{"2013", "2013 exports revised from 70 to 84 (+20.0%)", "B5", "B5", 70, 84, 20},
		{"2011", "2011 exports revised from 50 to 50.5 (+1.0%)", "B3", "B3", 50, 50.5, 1},
	} {
		r := js.Revisions[i]
		if r.Period != want.period || r.Text != want.text || r.Reporter != "Belgium" || r.Partner != "China" || r.Flow != "exports" ||
			r.OldFile != v1 || r.NewFile != v2 || r.OldCell != want.oldCell || r.NewCell != want.newCell ||
			r.NewRunID != rep.RunID || r.OldRunID == "" || r.OldRunID == rep.RunID ||
			r.OldValue == nil || *r.OldValue != want.old || r.NewValue == nil || *r.NewValue != want.new ||
			r.ChangePct == nil || math.Abs(*r.ChangePct-want.pct) > 1e-9 {
			t.Errorf("revision %d: %+v, want %+v", i, r, want)
		}
	}
	var large []schemas.Finding
	for _, f := range js.Findings {
		if f.Rule == schemas.RuleLargeRevision {
			large = append(large, f)
		} else {
			t.Errorf("finding %+v, want only large_revision", f)
		}
	}
	if len(large) != 1 {
		t.Fatalf("large_revision findings %+v, want 1", large)
	}
	f := large[0]
	if f.Severity != schemas.SeverityWarning || f.File != v2 || !slices.Equal(f.Cells, []string{"B5"}) ||
		!strings.Contains(f.Message, "70") || !strings.Contains(f.Message, "84") {
		t.Errorf("large_revision %+v", f)
	}
	html, err := os.ReadFile(filepath.Join(out, HTMLReport))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"<h2>Revisions</h2>", "2013 exports revised from 70 to 84 (&#43;20.0%)", "2011 exports revised from 50 to 50.5 (&#43;1.0%)"} {
		if !strings.Contains(string(html), s) {
			t.Errorf("report.html lacks %q", s)
		}
	}

	// A higher threshold: no warning; a rerun that changes nothing
	// reports the revisions all the same.
	rep = run(t, Config{Inputs: []string{in}, OutDir: out, RevisionWarn: 25})
	if len(rep.Revisions) != 2 {
		t.Errorf("rerun: revisions %+v", rep.Revisions)
	}
	for _, f := range rep.Findings {
		if f.Rule == schemas.RuleLargeRevision {
			t.Errorf("--revision-warn 25: %+v", f)
		}
	}
}

// plantedCells reads the cells of the planted-errors table of
// fixtures/README.md.
func plantedCells(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(fixture("README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i, j := strings.Index(s, "<!-- planted:start -->"), strings.Index(s, "<!-- planted:end -->")
	if i < 0 || j < i {
		t.Fatal("fixtures/README.md has no planted-errors table")
	}
	var cells []string
	for _, line := range strings.Split(s[i:j], "\n") {
		fields := strings.Split(line, "|")
		if len(fields) > 2 {
			if c := strings.TrimSpace(fields[1]); c != "" && c != "Cell" && !strings.HasPrefix(c, "---") {
				cells = append(cells, c)
			}
		}
	}
	if len(cells) == 0 {
		t.Fatal("no planted cells")
	}
	return cells
}

// deliver copies the file from to to, modified at mt: a delivery of that
// day, which the current dataset ranks by.
func deliver(t *testing.T, from, to string, mt time.Time) {
	t.Helper()
	copyFile(t, from, to)
	if err := os.Chtimes(to, mt, mt); err != nil {
		t.Fatal(err)
	}
}
