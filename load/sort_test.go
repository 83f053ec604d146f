package load_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

// compareSortKey orders observations as the writer sorts them: reporter,
// partner, flow, period, product (byte order). Used with a stable sort, so
// equal keys keep the order written.
func compareSortKey(a, b schemas.Observation) int {
	return cmp.Or(
		strings.Compare(a.Reporter, b.Reporter),
		strings.Compare(a.Partner, b.Partner),
		strings.Compare(a.Flow, b.Flow),
		strings.Compare(a.Period, b.Period),
		strings.Compare(a.Product, b.Product),
	)
}

// shuffledObservations returns n observations of 5 reporters, 7 partners,
// 3 flows, 12 years and 40 products in random order (seeded), with missing
// figures, percentages and rows that share their whole key.
func shuffledObservations(n int, seed uint64) []schemas.Observation {
	rng := rand.New(rand.NewPCG(seed, 1))
	reporters := []string{"Wallonia", "Belgium", "Flanders", "Brussels", "Netherlands"}
	partners := []string{"China", "World", "United States", "Germany", "India", "Japan", "Brazil"}
	flows := []string{schemas.FlowExports, schemas.FlowImports, schemas.FlowDeficit}
	out := make([]schemas.Observation, n)
	for i := range out {
		year := 2010 + rng.IntN(12)
		v := float64(rng.IntN(2_000_000)-100_000) / 100
		out[i] = obs(cellName(i), func(o *schemas.Observation) {
			o.Reporter = reporters[rng.IntN(len(reporters))]
			o.Partner = partners[rng.IntN(len(partners))]
			o.Flow = flows[rng.IntN(len(flows))]
			o.Product = "Product " + strconv.Itoa(rng.IntN(40))
			o.Label = o.Product
			o.Year, o.Period = year, strconv.Itoa(year)
			o.PeriodStart = time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
			o.Value, o.ValueEUR, o.Text = v, v*1e9, formatText(v)
			switch rng.IntN(20) {
			case 0:
				o.HasValue, o.HasValueEUR, o.Missing, o.Text = false, false, "n.a.", "n.a."
			case 1:
				o.Measure, o.Unit, o.Scale, o.HasValueEUR = schemas.MeasureShare, schemas.UnitPercent, 1, false
			}
		})
	}
	return out
}

// readAll reads a file back with load.ReadObservations.
func readAll(t *testing.T, path string) []schemas.Observation {
	t.Helper()
	var got []schemas.Observation
	if err := load.ReadObservations(path, func(b []schemas.Observation) error {
		got = append(got, b...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

// normal returns o as it reads back.
func normal(o schemas.Observation) schemas.Observation {
	if !o.HasValue {
		o.Value = 0
	}
	if !o.HasValueEUR {
		o.ValueEUR = 0
	}
	o.Value, o.ValueEUR = roundTo(o.Value, 9), roundTo(o.ValueEUR, 2)
	if o.RunID == "" {
		o.RunID = testMeta().RunID // the writer's run
	}
	return o
}

// The whole file is sorted (not each row group), whether the rows fit in
// memory or are sorted in runs spilled to disk and merged: the same rows
// in the same order either way, and each row group's min/max of reporter
// follow one another without overlapping more than at their ends.
func TestSortedFile(t *testing.T) {
	in := shuffledObservations(20_000, 7)
	want := slices.Clone(in)
	slices.SortStableFunc(want, compareSortKey)
	for i := range want {
		want[i] = normal(want[i])
	}
	for _, tt := range []struct {
		name     string
		sortRows int
		batches  int
	}{
		{"in memory", 0, 1},
		{"in memory, many batches", 0, 37},
		{"runs of 3000 merged", 3000, 7},
		{"runs of 1 merged", 1, 3}, // one row per run: a merge of 20,000 runs
		{"runs of 19999 merged", 19_999, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			mem := checkedAlloc(t)
			dir := t.TempDir()
			var batches [][]schemas.Observation
			size := (len(in) + tt.batches - 1) / tt.batches
			for b := range slices.Chunk(in, size) {
				batches = append(batches, b)
			}
			path, n := writeObservations(t, dir, load.Options{Allocator: mem, RowGroupRows: 4000, SortRows: tt.sortRows}, batches...)
			if n != int64(len(in)) {
				t.Fatalf("Commit returned %d rows, want %d", n, len(in))
			}
			got := readAll(t, path)
			if len(got) != len(want) {
				t.Fatalf("read %d rows, want %d", len(got), len(want))
			}
			for i := range want {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Fatalf("row %d:\n got %+v\nwant %+v", i, got[i], want[i])
				}
			}
			if names := dirNames(t, dir); !slices.Equal(names, []string{"observations.parquet"}) {
				t.Errorf("directory holds %v", names)
			}
			ranges := columnRanges(t, path, "reporter")
			if len(ranges) != 5 {
				t.Fatalf("%d row groups, want 5", len(ranges))
			}
			for i := 1; i < len(ranges); i++ {
				if ranges[i][0] < ranges[i-1][1] {
					t.Errorf("row group %d: reporter %v starts before the end of row group %d %v", i, ranges[i], i-1, ranges[i-1])
				}
			}
			if ranges[0] == ranges[len(ranges)-1] {
				t.Errorf("every row group spans reporters %v: no pruning", ranges[0])
			}
			checkSortingColumns(t, path, []string{"reporter", "partner", "flow", "period", "product"})
		})
	}
}

// columnRanges returns the [min, max] statistics of a text column in each
// row group.
func columnRanges(t *testing.T, path, column string) [][2]string {
	t.Helper()
	rdr, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Close()
	col := rdr.MetaData().Schema.ColumnIndexByName(column)
	var out [][2]string
	for rg := range rdr.NumRowGroups() {
		cc, err := rdr.MetaData().RowGroup(rg).ColumnChunk(col)
		if err != nil {
			t.Fatal(err)
		}
		st, err := cc.Statistics()
		if err != nil || st == nil || !st.HasMinMax() {
			t.Fatalf("row group %d: %s has no min/max (%v)", rg, column, err)
		}
		bs := st.(*metadata.ByteArrayStatistics)
		out = append(out, [2]string{string(bs.Min()), string(bs.Max())})
	}
	return out
}

// checkSortingColumns checks that every row group declares the sort order.
func checkSortingColumns(t *testing.T, path string, want []string) {
	t.Helper()
	rdr, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Close()
	sch := rdr.MetaData().Schema
	for rg := range rdr.NumRowGroups() {
		var got []string
		for _, sc := range rdr.MetaData().RowGroup(rg).SortingColumns() {
			if sc.Descending || sc.NullsFirst {
				t.Errorf("row group %d: sorting column %+v", rg, sc)
			}
			got = append(got, sch.Column(int(sc.ColumnIdx)).Name())
		}
		if !slices.Equal(got, want) {
			t.Errorf("row group %d: sorting columns %v, want %v", rg, got, want)
		}
	}
}

// A dictionary column's statistics in each row group are those of the
// values the row group holds, not of the whole dictionary.
func TestDictionaryStatistics(t *testing.T) {
	var in []schemas.Observation
	for i, r := range []string{"A", "B", "C", "D", "E", "F"} {
		for j := range 100 {
			in = append(in, obs(cellName(100*i+j), func(o *schemas.Observation) {
				o.Reporter = r
				o.Partner = "P" + strconv.Itoa(5-i) // partner falls as reporter rises
			}))
		}
	}
	path, _ := writeObservations(t, t.TempDir(), load.Options{Allocator: checkedAlloc(t), RowGroupRows: 200, SortRows: 250}, in)
	if got, want := fmt.Sprint(columnRanges(t, path, "reporter")), "[[A B] [C D] [E F]]"; got != want {
		t.Errorf("reporter statistics %s, want %s", got, want)
	}
	if got, want := fmt.Sprint(columnRanges(t, path, "partner")), "[[P4 P5] [P2 P3] [P0 P1]]"; got != want {
		t.Errorf("partner statistics %s, want %s", got, want)
	}
}

// Partitioned by year, a writer writes one file per year into year=YYYY/,
// each holding that year's rows sorted, and none when it has no rows.
func TestPartitionByYear(t *testing.T) {
	in := shuffledObservations(6000, 3)
	for _, sortRows := range []int{0, 1000} {
		t.Run(fmt.Sprintf("SortRows=%d", sortRows), func(t *testing.T) {
			mem := checkedAlloc(t)
			dir := t.TempDir()
			path := filepath.Join(dir, "in-a-xlsx-01234567.parquet")
			w, err := load.NewObservationWriter(path, testMeta(), load.Options{Allocator: mem, PartitionBy: load.PartitionYear, SortRows: sortRows, RowGroupRows: 300})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Abort()
			for b := range slices.Chunk(in, 1000) {
				if err := w.Write(b); err != nil {
					t.Fatal(err)
				}
			}
			n, err := w.Commit()
			if err != nil || n != int64(len(in)) {
				t.Fatalf("Commit = %d, %v", n, err)
			}
			byYear := map[int][]schemas.Observation{}
			for _, o := range in {
				byYear[o.Year] = append(byYear[o.Year], normal(o))
			}
			files := w.Files()
			if len(files) != len(byYear) {
				t.Fatalf("%d files for %d years: %+v", len(files), len(byYear), files)
			}
			var total int64
			for i, f := range files {
				year := 2010 + i
				if want := fmt.Sprintf("year=%d/in-a-xlsx-01234567.parquet", year); f.Path != want {
					t.Errorf("file %d: %s, want %s", i, f.Path, want)
				}
				name := filepath.Join(dir, filepath.FromSlash(f.Path))
				got := readAll(t, name)
				want := byYear[year]
				slices.SortStableFunc(want, compareSortKey)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s: %d rows differ from the %d of year %d", f.Path, len(got), len(want), year)
				}
				if f.Rows != int64(len(want)) || f.Bytes == 0 || len(f.SHA256) != 64 {
					t.Errorf("%s: %+v", f.Path, f)
				}
				checkSortingColumns(t, name, []string{"year", "reporter", "partner", "flow", "period", "product"})
				total += f.Rows
			}
			if total != int64(len(in)) {
				t.Errorf("files hold %d rows, want %d", total, len(in))
			}
		})
	}
	t.Run("no rows", func(t *testing.T) {
		dir := t.TempDir()
		w, err := load.NewObservationWriter(filepath.Join(dir, "x.parquet"), testMeta(), load.Options{PartitionBy: load.PartitionYear})
		if err != nil {
			t.Fatal(err)
		}
		if n, err := w.Commit(); n != 0 || err != nil {
			t.Fatalf("Commit = %d, %v", n, err)
		}
		if names := dirNames(t, dir); len(names) != 0 || len(w.Files()) != 0 {
			t.Errorf("directory holds %v, Files %v; want nothing", names, w.Files())
		}
	})
	t.Run("unknown partitioning", func(t *testing.T) {
		if _, err := load.NewObservationWriter(filepath.Join(t.TempDir(), "x.parquet"), testMeta(), load.Options{PartitionBy: "month"}); err == nil {
			t.Error("PartitionBy month accepted")
		}
	})
}

// A dimension with too many distinct values for a dictionary page (1 MiB)
// is written PLAIN; the others keep their dictionary.
func TestDictionaryTooBig(t *testing.T) {
	in := manyObservations(40_000)
	for i := range in {
		in[i].Label = fmt.Sprintf("a label of its own, number %08d", i) // 40,000 × 35 bytes
	}
	path, _ := writeObservations(t, t.TempDir(), load.Options{Allocator: checkedAlloc(t), SortRows: 15_000}, in)
	rdr, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Close()
	encodings := func(col string) []parquet.Encoding {
		cc, err := rdr.MetaData().RowGroup(0).ColumnChunk(rdr.MetaData().Schema.ColumnIndexByName(col))
		if err != nil {
			t.Fatal(err)
		}
		return cc.Encodings()
	}
	if e := encodings("label"); slices.Contains(e, parquet.Encodings.RLEDict) {
		t.Errorf("label encodings %v, want PLAIN only", e)
	}
	if e := encodings("reporter"); !slices.Contains(e, parquet.Encodings.RLEDict) {
		t.Errorf("reporter encodings %v, want RLE_DICTIONARY", e)
	}
	got := readAll(t, path)
	labels := map[string]bool{}
	for _, o := range got {
		labels[o.Label] = true
	}
	if len(got) != len(in) || len(labels) != len(in) {
		t.Errorf("read %d rows with %d labels, want %d", len(got), len(labels), len(in))
	}
	checkBIFriendly(t, path, "ZSTD")
}

// Nothing of a writer's run file outlives it.
func TestNoRunFileLeft(t *testing.T) {
	for _, commit := range []bool{true, false} {
		dir := t.TempDir()
		w, err := load.NewObservationWriter(filepath.Join(dir, "o.parquet"), testMeta(), load.Options{SortRows: 100})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(manyObservations(1000)); err != nil {
			t.Fatal(err)
		}
		if commit {
			if _, err := w.Commit(); err != nil {
				t.Fatal(err)
			}
		} else {
			w.Abort()
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.Name() != "o.parquet" {
				t.Errorf("commit=%v: left %s", commit, e.Name())
			}
		}
	}
}
