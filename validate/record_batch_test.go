package validate

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
)

// mutated returns n observations in which every validated field takes, now
// and then, a value that breaks its tags, alone or together with others
// (growth without base period, a bad digest, an empty cell...), and
// otherwise repeats a few good values, as the observations of a table do.
func mutated(n int) []schemas.Observation {
	rng := rand.New(rand.NewPCG(3, 4))
	pick := func(vals ...string) string { return vals[rng.IntN(len(vals))] }
	obs := make([]schemas.Observation, n)
	for i := range obs {
		o := fig("G"+strconv.Itoa(i+2), float64(i)/10, 2)
		o.FileSHA256 = strings.Repeat("ab", 32)
		if rng.IntN(4) == 0 {
			switch rng.IntN(14) {
			case 0:
				o.Reporter = pick("", "Wallonia", "Belgium")
			case 1:
				o.Partner = pick("", "World")
			case 2:
				o.Flow = pick("", "exprts", "imports", "deficit")
			case 3:
				o.Measure, o.BasePeriod = pick("level", "growth", "share", "bogus"), pick("", "2012")
			case 4:
				o.Year = []int{1700, 1800, 2013, 2200, 2201, 0}[rng.IntN(6)]
			case 5:
				o.FileSHA256 = pick("", "xyz", strings.Repeat("zz", 32), strings.Repeat("AB", 32))
			case 6:
				o.Cell = pick("", "A1")
			case 7:
				o.Decimals = rng.IntN(20) - 2
			case 8:
				o.Unit = pick("EUR", "%", "USD", "")
			case 9:
				o.Scale = []float64{0, -1, 1, 1e9}[rng.IntN(4)]
			case 10:
				o.PeriodType, o.Period = pick("year", "quarter", "week", ""), pick("", "2013Q1")
			case 11:
				o.Product = pick("", "Total", "Cereals")
			case 12:
				o.File = pick("", "other.csv")
			case 13:
				o.Partner, o.Unit, o.Measure = "", "USD", "growth"
			}
		}
		obs[i] = o
	}
	return obs
}

// CheckBatch gives exactly the findings of Check on each observation, in
// the same order: the same validator verdicts, reused per value.
func TestCheckBatchIsCheck(t *testing.T) {
	rc := NewRecordChecker()
	for _, n := range []int{0, 1, 37, 5000, memoLimit + 700} {
		obs := mutated(n)
		var want []schemas.Finding
		for i := range obs {
			want = append(want, rc.Check(&obs[i])...)
		}
		got := rc.CheckBatch(obs)
		if n > 1000 && len(want) < 100 {
			t.Fatalf("only %d findings in %d observations: the test data breaks too few tags", len(want), n)
		}
		if !reflect.DeepEqual(got, want) {
			for i := range max(len(got), len(want)) {
				var g, w schemas.Finding
				if i < len(got) {
					g = got[i]
				}
				if i < len(want) {
					w = want[i]
				}
				if !reflect.DeepEqual(g, w) {
					t.Fatalf("n=%d: finding %d of %d/%d:\n got %+v\nwant %+v", n, i, len(got), len(want), g, w)
				}
			}
		}
	}
}

// The validated fields are found from the struct tags, with the fields
// their tags read.
func TestRecordFields(t *testing.T) {
	byName := map[string]recordField{}
	for _, f := range recordFields() {
		byName[f.name] = f
	}
	if len(byName) < 10 {
		t.Fatalf("only %d validated fields", len(byName))
	}
	bp := byName["BasePeriod"]
	measure, _ := reflect.TypeFor[schemas.Observation]().FieldByName("Measure")
	if !bp.cross || len(bp.deps) != 1 || bp.deps[0] != measure.Index[0] {
		t.Errorf("BasePeriod: %+v, want a cross-field check reading Measure", bp)
	}
	if f := byName["Flow"]; f.cross || f.expr != "flow" {
		t.Errorf("Flow: %+v", f)
	}
}

// BenchmarkRecordRules compares checking the observations of a long table
// one by one (Check) and by batch (CheckBatch).
func BenchmarkRecordRules(b *testing.B) {
	rc := NewRecordChecker()
	obs := make([]schemas.Observation, 8192)
	for i := range obs {
		obs[i] = fig("G"+strconv.Itoa(i+2), float64(i)/10, 2, "reporter="+[]string{"Flanders", "Wallonia"}[i%2])
		obs[i].FileSHA256 = strings.Repeat("ab", 32)
		obs[i].Product = "chapter " + strconv.Itoa(i%99)
		obs[i].Year = 1990 + i/400
	}
	b.Run("Check", func(b *testing.B) {
		for b.Loop() {
			for i := range obs {
				rc.Check(&obs[i])
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(obs)), "ns/obs")
	})
	b.Run("CheckBatch", func(b *testing.B) {
		for b.Loop() {
			rc.CheckBatch(obs)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(obs)), "ns/obs")
	})
}
