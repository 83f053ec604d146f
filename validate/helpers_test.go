package validate

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
)

// fig builds a published figure: a level of Flanders' exports to China in
// 2013 from news.xlsx, in billion euro, unless fields ("flow=imports",
// "reporter=Belgium", "measure=share", "currency=GBP", "unit=", ...) say
// otherwise. Fields apply in order: "currency=" after "measure=".
func fig(cell string, v float64, decimals int, fields ...string) schemas.Observation {
	o := schemas.Observation{
		File: "news.xlsx", Sheet: "Table 1", Table: "B4:F20", Cell: cell,
		Reporter: "Flanders", ReporterParent: "Belgium", Partner: "China",
		Flow: schemas.FlowExports, Product: schemas.ProductTotal, Measure: schemas.MeasureLevel,
		Period: "2013", PeriodType: schemas.PeriodYear, Year: 2013,
		HasValue: true, Value: v, Decimals: decimals, Text: strconv.FormatFloat(v, 'f', decimals, 64),
		Unit: schemas.UnitEUR, Currency: schemas.UnitEUR, Scale: 1e9,
	}
	for _, kv := range fields {
		k, val, _ := strings.Cut(kv, "=")
		switch k {
		case "file":
			o.File = val
		case "sheet":
			o.Sheet = val
		case "table":
			o.Table = val
		case "reporter":
			o.Reporter = val
			if val != "Flanders" && val != "Wallonia" {
				o.ReporterParent = ""
			}
		case "parent":
			o.ReporterParent = val
		case "partner":
			o.Partner = val
		case "flow":
			o.Flow = val
		case "product":
			o.Product = val
		case "measure":
			o.Measure = val
			if val != schemas.MeasureLevel {
				o.Unit, o.Scale = schemas.UnitPercent, 1
			}
		case "period":
			o.Period = val
			o.Year, _ = strconv.Atoi(val)
			if p, ok := schemas.ParsePeriod(val); ok && p.Type != schemas.PeriodYear {
				// "2023S1", "2023-01/2023-06": a half year, a cumulative period
				o.PeriodType, o.Year, o.PeriodStart = p.Type, p.Year, p.Start()
			}
		case "base":
			o.BasePeriod = val
		case "scale":
			o.Scale, _ = strconv.ParseFloat(val, 64)
		case "currency":
			// The table's currency: the unit of its money figures.
			o.Currency = val
			if schemas.IsMoney(o.Unit) {
				o.Unit = val
			}
		case "unit":
			o.Unit = val
		case "missing":
			o.HasValue, o.Value, o.Missing, o.Text = false, 0, val, val
		default:
			panic("fig: unknown field " + k)
		}
	}
	return o
}

func figs(o ...schemas.Observation) []schemas.Observation { return o }

func mustDefault(t testing.TB) *RuleSet {
	t.Helper()
	rs, err := DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// only returns a rule set holding just the named rules of rs.
func only(rs *RuleSet, ids ...string) *RuleSet {
	out := *rs
	out.Rules = nil
	for _, r := range rs.Rules {
		for _, id := range ids {
			if r.ID == id {
				out.Rules = append(out.Rules, r)
			}
		}
	}
	return &out
}

func mustLoad(t testing.TB, src string) *RuleSet {
	t.Helper()
	rs, err := LoadRules("test.yaml", []byte(src))
	if err != nil {
		t.Fatalf("LoadRules: %v", err)
	}
	return rs
}

// near reports whether a finding's number is want, up to float noise.
func near(got *float64, want float64) bool {
	return got != nil && math.Abs(*got-want) <= 1e-9*max(1, math.Abs(want))
}

func ptrString(p *float64) string {
	if p == nil {
		return "nil"
	}
	return strconv.FormatFloat(*p, 'g', -1, 64)
}
