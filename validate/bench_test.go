package validate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
)

// benchObservations builds a consistent long table: for every reporter
// (Belgium and its regions, then other countries), partner and year, the
// exports, imports and deficit of six products and their total, and the
// growth of exports and imports against the year before.
func benchObservations(countries, partners, years int) []schemas.Observation {
	rng := rand.New(rand.NewPCG(1, 2))
	round := func(v float64, d int) float64 {
		p := math.Pow(10, float64(d))
		return math.Round(v*p) / p
	}
	type rep struct{ name, parent string }
	reps := []rep{{"Belgium", ""}, {"Flanders", "Belgium"}, {"Wallonia", "Belgium"}, {"Brussels", "Belgium"}}
	for i := range countries {
		reps = append(reps, rep{fmt.Sprintf("Country%02d", i), ""})
	}
	products := []string{"Machines", "Chemicals", "Vehicles", "Food", "Textiles", "Other"}
	var obs []schemas.Observation
	row := 0
	add := func(r rep, partner, flow, product, measure string, year int, v float64, d int, base string) {
		row++
		unit, scale := schemas.UnitEUR, 1e6
		if measure != schemas.MeasureLevel {
			unit, scale = schemas.UnitPercent, 1
		}
		obs = append(obs, schemas.Observation{
			File: "long.csv", Cell: fmt.Sprintf("F%d", row+1), Table: "A1:H999999", Label: product,
			Reporter: r.name, ReporterParent: r.parent, Partner: partner, Flow: flow, Product: product,
			Measure: measure, Period: fmt.Sprint(year), PeriodType: schemas.PeriodYear, Year: year,
			BasePeriod: base, HasValue: true, Value: v, Decimals: d, Unit: unit, Scale: scale,
		})
	}
	for pi := range partners {
		partner := fmt.Sprintf("Partner%02d", pi)
		// level[reporter][year][flow][product]
		belgium := map[[3]int]float64{}
		for ri, r := range reps {
			var prev [2]float64
			for y := range years {
				year := 2000 + y
				var total [2]float64
				var lines [2][]float64
				for fi := range 2 {
					for p := range products {
						var v float64
						switch {
						case r.parent != "":
							v = round(belgium[[3]int{y, fi, p}]*(0.2+0.1*float64(ri)), 2)
						default:
							v = round(50+rng.Float64()*500, 2)
						}
						if r.name == "Belgium" {
							belgium[[3]int{y, fi, p}] = v
						}
						lines[fi] = append(lines[fi], v)
						total[fi] += v
					}
					total[fi] = round(total[fi], 2)
				}
				for p, product := range products {
					add(r, partner, schemas.FlowExports, product, schemas.MeasureLevel, year, lines[0][p], 2, "")
					add(r, partner, schemas.FlowImports, product, schemas.MeasureLevel, year, lines[1][p], 2, "")
					add(r, partner, schemas.FlowDeficit, product, schemas.MeasureLevel, year, round(lines[1][p]-lines[0][p], 2), 2, "")
				}
				add(r, partner, schemas.FlowExports, schemas.ProductTotal, schemas.MeasureLevel, year, total[0], 2, "")
				add(r, partner, schemas.FlowImports, schemas.ProductTotal, schemas.MeasureLevel, year, total[1], 2, "")
				add(r, partner, schemas.FlowDeficit, schemas.ProductTotal, schemas.MeasureLevel, year, round(total[1]-total[0], 2), 2, "")
				if y > 0 {
					add(r, partner, schemas.FlowExports, schemas.ProductTotal, schemas.MeasureGrowth, year, round((total[0]/prev[0]-1)*100, 1), 1, fmt.Sprint(year-1))
					add(r, partner, schemas.FlowImports, schemas.ProductTotal, schemas.MeasureGrowth, year, round((total[1]/prev[1]-1)*100, 1), 1, fmt.Sprint(year-1))
				}
				prev = total
			}
		}
	}
	return obs
}

func TestBenchObservationsAreConsistent(t *testing.T) {
	obs := benchObservations(2, 2, 3)
	if got := mustDefault(t).Check(obs); len(got) != 0 {
		t.Fatalf("%d findings on consistent data, first: %s", len(got), got[0].Message)
	}
	obs[0].Value += 1 // Belgium's machine exports: breaks balance and sum_of_parts, and maybe part_le_whole
	if got := mustDefault(t).Check(obs); len(got) < 2 {
		t.Fatalf("%d findings after breaking a figure, want at least 2", len(got))
	}
}

// BenchmarkCheck runs the default rules over a long table of about 100k
// observations and reports ns per observation.
func BenchmarkCheck(b *testing.B) {
	obs := benchObservations(6, 31, 14)
	rs := mustDefault(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if got := rs.Check(obs); len(got) != 0 {
			b.Fatalf("%d findings, first: %s", len(got), got[0].Message)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(obs)), "ns/obs")
	b.ReportMetric(float64(len(obs)), "obs")
}

// BenchmarkAudit runs Audit over the same table, clean and with one figure
// in a thousand mistyped (digits swapped), and reports ns per observation;
// compare with BenchmarkCheck of the same run.
func BenchmarkAudit(b *testing.B) {
	for _, rate := range []int{0, 1000, 100} {
		obs := benchObservations(6, 31, 14)
		planted := 0
		if rate > 0 {
			for i := 7; i < len(obs); i += rate {
				o := &obs[i]
				if o.Measure != schemas.MeasureLevel || o.Value < 10 {
					continue
				}
				s := []byte(strconv.FormatFloat(o.Value, 'f', o.Decimals, 64))
				s[0], s[1] = s[1], s[0]
				if v, err := strconv.ParseFloat(string(s), 64); err == nil && v != o.Value {
					o.Value = v
					planted++
				}
			}
		}
		rs := mustDefault(b)
		b.Run(fmt.Sprintf("errors=%d", planted), func(b *testing.B) {
			b.ReportAllocs()
			var found int
			for b.Loop() {
				found = len(rs.Audit(obs))
			}
			if (planted == 0) != (found == 0) {
				b.Fatalf("%d planted, %d findings", planted, found)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(obs)), "ns/obs")
		})
	}
}
