package load_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

// writeDelivery writes obs as the observations file of one delivery.
func writeDelivery(t *testing.T, dir, input string, mtime time.Time, runID string, obs ...schemas.Observation) load.Delivery {
	t.Helper()
	sub := filepath.Join(dir, strings.NewReplacer("/", "-", ".", "-").Replace(input))
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range obs {
		obs[i].File = input
	}
	for i := range obs {
		obs[i].RunID = runID
	}
	path, _ := writeObservations(t, sub, load.Options{}, obs)
	return load.Delivery{Input: input, SHA256: strings.Repeat("c", 64), ModTime: mtime, RunID: runID, Files: []string{path}}
}

// The current dataset holds each figure once, from the latest delivery
// (by the input's modification time, whatever the order given), and the
// figures that only an earlier delivery publishes.
func TestWriteCurrent(t *testing.T) {
	dir := t.TempDir()
	jan := time.Date(2014, 1, 15, 0, 0, 0, 0, time.UTC)
	feb := jan.AddDate(0, 1, 0)
	exports2013 := func(cell string, v float64, text string, scale float64) schemas.Observation {
		return obs(cell, func(o *schemas.Observation) {
			o.ReporterCode, o.PartnerCode = "BE-VLG", "CN"
			o.Value, o.Text, o.Scale, o.ValueEUR = v, text, scale, v*scale
		})
	}
	old := writeDelivery(t, dir, "in/newsletter-jan.xlsx", jan, "run-a",
		exports2013("C9", 6.7, "6,70", 1e9),
		obs("C8", func(o *schemas.Observation) { // 2012: only the old delivery has it
			o.ReporterCode, o.PartnerCode = "BE-VLG", "CN"
			o.Period, o.Year, o.Value, o.Text, o.ValueEUR = "2012", 2012, 6.1, "6,10", 6.1e9
		}),
	)
	// The later delivery writes the same figure in millions, and twice.
	newer := writeDelivery(t, dir, "in/products-feb.xlsx", feb, "run-b",
		exports2013("B20", 6800, "6800", 1e6),
		exports2013("B30", 6801, "6801", 1e6),
	)
	out := filepath.Join(dir, "current")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(out, load.CurrentName)
	files, stats, err := load.WriteCurrent(path, []load.Delivery{newer, old}, testMeta(), load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].Path != load.CurrentName || files[0].Rows != 2 {
		t.Errorf("files %+v", files)
	}
	if stats.Rows != 2 || stats.Read != 4 || stats.Superseded != 1 || stats.Duplicates != 1 || stats.Deliveries != 2 {
		t.Errorf("stats %+v", stats)
	}
	// 6.70 billion became 6,800 million: a revision of +1.49%.
	if len(stats.Revisions) != 1 {
		t.Fatalf("revisions %+v", stats.Revisions)
	}
	rv := stats.Revisions[0]
	if pct, ok := rv.ChangePct(); rv.Old.Cell != "C9" || rv.New.Cell != "B20" || rv.New.RunID != "run-b" || rv.Old.RunID != "run-a" ||
		!ok || math.Abs(pct-100.0/67) > 1e-9 || rv.Key != "BE-VLG|CN|X|Total|2013|level||EUR" {
		t.Errorf("revision %s: %s@%s -> %s@%s, %v%%", rv.Key, rv.Old.Ref(), rv.Old.RunID, rv.New.Ref(), rv.New.RunID, pct)
	}
	got := readAll(t, path)
	var cells []string
	for _, o := range got {
		cells = append(cells, o.File+"!"+o.Cell+"@"+o.RunID)
	}
	slices.Sort(cells)
	want := []string{"in/newsletter-jan.xlsx!C8@run-a", "in/products-feb.xlsx!B20@run-b"}
	if !slices.Equal(cells, want) {
		t.Errorf("current rows %v, want %v", cells, want)
	}
	for _, o := range got {
		if o.Cell == "B20" && (o.ValueEUR != 6.8e9 || o.Value != 6800) {
			t.Errorf("2013 exports: value %v, value_eur %v", o.Value, o.ValueEUR)
		}
	}

	// Same modification time: the later run wins, then the later path.
	tie := writeDelivery(t, dir, "in/a-revised.xlsx", feb, "run-c", exports2013("D9", 6.9, "6,90", 1e9))
	if _, _, err := load.WriteCurrent(path, []load.Delivery{tie, newer, old}, testMeta(), load.Options{}); err != nil {
		t.Fatal(err)
	}
	for _, o := range readAll(t, path) {
		if o.Period == "2013" && (o.File != "in/a-revised.xlsx" || o.RunID != "run-c") {
			t.Errorf("2013 exports from %s (run %s), want the later run's", o.File, o.RunID)
		}
	}

	// One delivery that prints each figure once: its file, under a
	// second name, not a copy written again.
	files, stats, err = load.WriteCurrent(path, []load.Delivery{old}, testMeta(), load.Options{})
	if err != nil || len(files) != 1 || files[0].Rows != 2 || stats.Rows != 2 || files[0].Path != load.CurrentName {
		t.Fatalf("one delivery: %+v %+v %v", files, stats, err)
	}
	a, errA := os.Stat(path)
	b, errB := os.Stat(old.Files[0])
	if errA != nil || errB != nil || !os.SameFile(a, b) {
		t.Errorf("one delivery: current is not the delivery's file (%v, %v)", errA, errB)
	}
	if got := readAll(t, path); len(got) != 2 || got[0].RunID != "run-a" {
		t.Errorf("one delivery: %+v", got)
	}
	// A delivery that prints a figure twice is filtered.
	files, _, err = load.WriteCurrent(path, []load.Delivery{newer}, testMeta(), load.Options{})
	if err != nil || len(files) != 1 || files[0].Rows != 1 {
		t.Errorf("one delivery with a duplicate: %+v %v", files, err)
	}

	// No delivery: an empty file, so that a glob still finds the dataset.
	files, stats, err = load.WriteCurrent(path, nil, testMeta(), load.Options{})
	if err != nil || len(files) != 1 || files[0].Rows != 0 || stats.Rows != 0 {
		t.Errorf("no deliveries: %+v %+v %v", files, stats, err)
	}
}

func TestFigureKey(t *testing.T) {
	base := obs("C9", func(o *schemas.Observation) { o.ReporterCode, o.PartnerCode = "BE-VLG", "CN" })
	if got, want := load.FigureKey(&base), "BE-VLG|CN|X|Total|2013|level||EUR"; got != want {
		t.Errorf("key %q, want %q", got, want)
	}
	same := []func(*schemas.Observation){
		func(o *schemas.Observation) { o.Reporter = "Vlaanderen" }, // the code decides
		func(o *schemas.Observation) { o.Value, o.Scale, o.Text = 6800, 1e6, "6800" },
		func(o *schemas.Observation) { o.File, o.Cell, o.Label = "other.xlsx", "Z1", "Exports" },
		func(o *schemas.Observation) { o.Flow = schemas.FlowExports; o.ProductCode = "TOTAL" }, // Total is Total
	}
	for i, mod := range same {
		o := base
		mod(&o)
		if load.FigureKey(&o) != load.FigureKey(&base) {
			t.Errorf("change %d: key %q differs from %q", i, load.FigureKey(&o), load.FigureKey(&base))
		}
	}
	other := []func(*schemas.Observation){
		func(o *schemas.Observation) { o.PartnerCode = "US" },
		func(o *schemas.Observation) { o.ReporterCode, o.Reporter = "", "Atlantis" },
		func(o *schemas.Observation) { o.Flow = schemas.FlowImports },
		func(o *schemas.Observation) { o.Period = "2013Q1" },
		func(o *schemas.Observation) { o.Measure, o.Unit = schemas.MeasureShare, schemas.UnitPercent },
		func(o *schemas.Observation) { o.Measure, o.BasePeriod = schemas.MeasureGrowth, "2012" },
		func(o *schemas.Observation) { o.Unit = "USD" },
		func(o *schemas.Observation) { o.Product = "Machinery" },
		func(o *schemas.Observation) {
			o.Product, o.ProductCode, o.ProductClass = "Machinery", "84", schemas.ClassHS
		},
	}
	seen := map[string]int{load.FigureKey(&base): -1}
	for i, mod := range other {
		o := base
		mod(&o)
		k := load.FigureKey(&o)
		if j, dup := seen[k]; dup {
			t.Errorf("change %d: key %q is that of %d", i, k, j)
		}
		seen[k] = i
	}
}

// A figure published again at another precision is no revision; one
// printed differently at the same precision is; so is a figure that
// becomes missing.
func TestRevisionsNeedAChange(t *testing.T) {
	dir := t.TempDir()
	jan := time.Date(2014, 1, 15, 0, 0, 0, 0, time.UTC)
	fig := func(cell, period string, v float64, text string, decimals int, scale float64) schemas.Observation {
		return obs(cell, func(o *schemas.Observation) {
			o.ReporterCode, o.PartnerCode = "BE-VLG", "CN"
			o.Period = period
			o.Value, o.Text, o.Decimals, o.Scale, o.ValueEUR = v, text, decimals, scale, v*scale
		})
	}
	missing := fig("B4", "2014", 0, "n.a.", 0, 1e9)
	missing.HasValue, missing.HasValueEUR, missing.Missing = false, false, "n.a."
	old := writeDelivery(t, dir, "in/old.xlsx", jan, "run-a",
		fig("B1", "2011", 6.8, "6,8", 1, 1e9),
		fig("B2", "2012", 5.79, "5,79", 2, 1e9),
		fig("B3", "2013", 5.13, "5,13", 2, 1e9),
		fig("B4", "2014", 4.2, "4,2", 1, 1e9),
	)
	newer := writeDelivery(t, dir, "in/new.xlsx", jan.AddDate(0, 3, 0), "run-b",
		fig("C1", "2011", 6812, "6812", 0, 1e6), // the same figure, finer
		fig("C2", "2012", 5.78, "5,78", 2, 1e9), // revised within a rounding unit
		fig("C3", "2013", 5.13, "5,13", 2, 1e9), // unchanged
		missing,
	)
	out := filepath.Join(dir, "current")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	_, stats, err := load.WriteCurrent(filepath.Join(out, load.CurrentName), []load.Delivery{old, newer}, testMeta(), load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range stats.Revisions {
		got = append(got, r.Old.Cell+">"+r.New.Cell)
	}
	slices.Sort(got)
	if want := []string{"B2>C2", "B4>B4"}; !slices.Equal(got, want) {
		t.Errorf("revisions %v, want %v", got, want)
	}
	path := filepath.Join(dir, "revisions.parquet")
	info, err := load.WriteRevisions(path, stats.Revisions, testMeta(), load.Options{})
	if err != nil || info.Rows != 2 {
		t.Fatalf("WriteRevisions: %+v, %v", info, err)
	}
	mem := checkedAlloc(t)
	sc, rows := readRows(t, path, mem)
	if !sameFields(sc, load.ArrowSchema(schemas.RevisionColumns)) {
		t.Errorf("schema %s", sc)
	}
	byNew := map[string]map[string]string{}
	for _, r := range rows {
		byNew[r["new_cell"]] = r
	}
	r := byNew["Sheet1!C2"]
	if r["old_value"] != "5.790000000" || r["new_value"] != "5.780000000" || r["old_scale"] != "1000000000" ||
		r["old_cell"] != "Sheet1!B2" || r["old_file"] != "in/old.xlsx" || r["new_run_id"] != "run-b" || r["old_run_id"] != "run-a" ||
		r["time_period"] != "2012" || r["flow_code"] != "X" || r["run_id"] != "run-1" || !strings.HasPrefix(r["change_pct"], "-0.172") {
		t.Errorf("revision row %v", r)
	}
	if r := byNew["Sheet1!B4"]; r["new_value"] != array.NullValueStr || r["change_pct"] != array.NullValueStr || r["old_value"] != "4.200000000" {
		t.Errorf("revision to missing %v", r)
	}
}

// The first pass sorts a record of each row by figure key, spilling
// sorted runs past Options.SortRows: spilled or not, the current dataset,
// its counts and its revisions (in the order read) are the same, and no
// temporary file is left.
func TestWriteCurrentSpills(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(7, 11))
	partners := []string{"CN", "IN", "JP", "US", "BR", "ZA", "DE"}
	var ds []load.Delivery
	for d := range 5 {
		var rows []schemas.Observation
		for i := range 300 {
			p, year := partners[rng.IntN(len(partners))], 2000+rng.IntN(30)
			v := float64(rng.IntN(4000)) / 10
			rows = append(rows, obs(fmt.Sprintf("B%d", i+1), func(o *schemas.Observation) {
				o.ReporterCode, o.PartnerCode, o.Partner = "BE", p, p
				o.Period, o.Year = strconv.Itoa(year), year
				o.Value, o.ValueEUR, o.Decimals = v, v*1e9, 1
			}))
		}
		ds = append(ds, writeDelivery(t, dir, fmt.Sprintf("in/d%d.xlsx", d), time.Date(2014, time.Month(d+1), 1, 0, 0, 0, 0, time.UTC), fmt.Sprintf("run-%d", d), rows...))
	}
	write := func(name string, opts load.Options) ([]schemas.Observation, load.CurrentStats) {
		out := filepath.Join(dir, name)
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
		_, stats, err := load.WriteCurrent(filepath.Join(out, load.CurrentName), ds, testMeta(), opts)
		if err != nil {
			t.Fatal(err)
		}
		left, _ := filepath.Glob(filepath.Join(out, ".*"))
		if len(left) > 0 {
			t.Errorf("%s: temporary files left: %v", name, left)
		}
		return readAll(t, filepath.Join(out, load.CurrentName)), stats
	}
	want, wantStats := write("memory", load.Options{})
	if wantStats.Duplicates == 0 || wantStats.Superseded == 0 || len(wantStats.Revisions) == 0 {
		t.Fatalf("the deliveries test too little: %+v", wantStats)
	}
	for _, sortRows := range []int{1, 7, 300} {
		got, stats := write(fmt.Sprintf("spilled-%d", sortRows), load.Options{SortRows: sortRows})
		if !reflect.DeepEqual(got, want) {
			t.Errorf("SortRows %d: %d rows differ from the %d in memory", sortRows, len(got), len(want))
		}
		if stats.Rows != wantStats.Rows || stats.Read != wantStats.Read || stats.Duplicates != wantStats.Duplicates || stats.Superseded != wantStats.Superseded {
			t.Errorf("SortRows %d: %+v, in memory %+v", sortRows, stats, wantStats)
		}
		if !reflect.DeepEqual(stats.Revisions, wantStats.Revisions) {
			t.Errorf("SortRows %d: revisions differ", sortRows)
		}
	}
}
