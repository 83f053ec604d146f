package validate_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tradeetl/tradeetl/bench/longtable"
	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/transform"
	"github.com/tradeetl/tradeetl/validate"
)

// The streaming engine (validate.Evaluator, behind Check and Audit) must
// find the golden findings (golden_test.go: those of the batch engine it
// replaced), finding for finding, field for field, in the same order,
// however its input is cut into batches or collected by file. The inputs:
// the fixtures, the planted-error workbooks, every workbook of transform's
// testdata and of the shared corpus, synthetic long tables with planted
// errors, and random observations under random rules.

// namedRules is a rule set under test, and the name its golden findings go by.
type namedRules struct {
	name string
	rs   *validate.RuleSet
}

func defaultRuleSet(t testing.TB) namedRules {
	t.Helper()
	rs, err := validate.DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	return namedRules{"default", rs}
}

func loadRuleSet(t testing.TB, name, src string) namedRules {
	t.Helper()
	rs, err := validate.LoadRules(name, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return namedRules{name, rs}
}

// showAll writes findings as text, every field, floats exactly.
func showAll(fs []schemas.Finding) []string {
	p := func(x *float64) string {
		if x == nil {
			return "nil"
		}
		return strconv.FormatFloat(*x, 'g', -1, 64)
	}
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = fmt.Sprintf("%s|%s|%q|%q|%q|%q|e=%s a=%s t=%s|suspect=%s sugg=%s slip=%s|cand=%q",
			f.Rule, f.Severity, f.File, f.Sheet, f.Cells, f.Message, p(f.Expected), p(f.Actual), p(f.Tolerance),
			f.SuspectCell, p(f.SuggestedValue), f.Slip, f.Candidates)
	}
	return out
}

func sameFindings(t *testing.T, what string, got []schemas.Finding, want []string) {
	t.Helper()
	g, w := showAll(got), want
	if slices.Equal(g, w) {
		return
	}
	t.Errorf("%s: %d findings, the golden ones %d", what, len(g), len(w))
	for i := range max(len(g), len(w)) {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			t.Errorf("first difference at %d:\n got  %s\n want %s", i, a, b)
			return
		}
	}
}

// stream feeds obs to an evaluator in batches of size n through one
// reused buffer, which it clobbers after each Add.
func stream(rs *validate.RuleSet, opts validate.EvalOptions, obs []schemas.Observation, n int) []schemas.Finding {
	ev := rs.NewEvaluator(opts)
	buf := make([]schemas.Observation, n)
	for len(obs) > 0 {
		k := copy(buf, obs)
		ev.Add(buf[:k])
		for i := range buf[:k] {
			buf[i] = schemas.Observation{File: "clobbered", Reporter: "x", Value: math.NaN(), Cell: "Z1"}
		}
		obs = obs[k:]
	}
	return ev.Finish()
}

// collected feeds each file's run of observations to a Collector and the
// collectors, in order, to an evaluator.
func collected(rs *validate.RuleSet, obs []schemas.Observation) []schemas.Finding {
	ev := rs.NewEvaluator(validate.EvalOptions{})
	for len(obs) > 0 {
		n := 1
		for n < len(obs) && obs[n].File == obs[0].File {
			n++
		}
		col := rs.NewCollector()
		for i := 0; i < n; i += 5 {
			col.Add(obs[i:min(i+5, n)])
		}
		ev.AddCollected(col)
		obs = obs[n:]
	}
	return ev.Finish()
}

// checkAgainstGolden checks obs as Check and Audit, at once, streamed in
// batches and collected by file, against the golden findings.
func checkAgainstGolden(t *testing.T, e namedRules, obs []schemas.Observation) (check, audit []schemas.Finding) {
	t.Helper()
	check, audit = e.rs.Check(obs), e.rs.Audit(obs)
	wantCheck := want(t, e.name+" check", check)
	wantAudit := want(t, e.name+" audit", audit)
	sameFindings(t, e.name+" Check", check, wantCheck)
	sameFindings(t, e.name+" Audit", audit, wantAudit)
	for _, n := range []int{1, 7} {
		sameFindings(t, fmt.Sprintf("%s streamed in batches of %d", e.name, n), stream(e.rs, validate.EvalOptions{}, obs, n), wantCheck)
		sameFindings(t, fmt.Sprintf("%s audit streamed in batches of %d", e.name, n), stream(e.rs, validate.EvalOptions{Audit: true}, obs, n), wantAudit)
	}
	sameFindings(t, e.name+" collected by file", collected(e.rs, obs), wantCheck)
	return check, audit
}

// readObs extracts and transforms a workbook the way the pipeline does,
// or reports why it cannot.
func readObs(path string) ([]schemas.Observation, error) {
	wb, err := extract.Open(path, extract.Limits{})
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	dict, err := schemas.DefaultDictionary()
	if err != nil {
		return nil, err
	}
	var obs []schemas.Observation
	_, err = transform.Workbook(context.Background(), wb, transform.Options{Dict: dict, File: path},
		func(o []schemas.Observation, _ []schemas.Finding) error {
			obs = append(obs, o...)
			return nil
		})
	return obs, err
}

func TestStreamingMatchesBatchOnWorkbooks(t *testing.T) {
	var paths []string
	for _, pattern := range []string{
		"../fixtures/*.xlsx", "testdata/planted/*.xlsx", "../transform/testdata/written/*",
		"../transform/testdata/office/*/*.xlsx", "../transform/testdata/*.xlsx", "../transform/testdata/*.csv",
	} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	corpus, _ := filepath.Glob("../../shared/corpus/xlsx/*.xlsx")
	if len(corpus) == 0 {
		t.Log("shared corpus absent (../../shared/corpus/xlsx): comparing on the repository's workbooks only")
	}
	paths = append(paths, corpus...)
	e := defaultRuleSet(t)
	var all []schemas.Observation
	tested, found := 0, 0
	for _, path := range paths {
		obs, err := readObs(path)
		if err != nil || len(obs) == 0 {
			continue
		}
		tested++
		inCorpus := strings.HasPrefix(path, "../../shared/")
		t.Run(filepath.Base(path), func(t *testing.T) {
			if inCorpus && !hasGolden(t, e.name+" check") {
				// The corpus lies beside the repository and may change;
				// none of its workbooks gives observations today.
				t.Skip("a corpus workbook without golden findings: run -update and review them")
			}
			_, audit := checkAgainstGolden(t, e, obs)
			found += len(audit)
		})
		if strings.Contains(path, "planted") || strings.Contains(path, "fixtures") {
			all = append(all, obs...)
		}
	}
	if tested < 15 || found == 0 {
		t.Fatalf("%d workbooks compared, %d findings: the comparison saw too little", tested, found)
	}
	// Many files at once: the scopes file and run, the run-scope rules.
	t.Run("fixtures and planted together", func(t *testing.T) {
		checkAgainstGolden(t, e, all)
		checkAgainstGolden(t, loadRuleSet(t, "run.yaml", runRules), all)
	})
}

// runRules are rules of scope run and file over several files.
const runRules = `
version: 1
rules:
  - id: regions_vs_world
    scope: run
    match: {measure: level, flow: [exports, imports]}
    where: reporter_parent != ""
    with:
      whole: {reporter: $reporter_parent, partner: World}
    check: value <= whole
  - id: same_figure_elsewhere
    scope: run
    match: {measure: level}
    with:
      other: {flow: total}
    check: value <= other
  - id: sum_of_partners
    scope: file
    match: {partner: World, measure: level}
    as: world
    with:
      partners: {partner: "*"}
    check: world >= partners
`

// longObs turns the first n rows of the benchmark long table into the
// observations transform makes of them.
func longObs(file string, n int) []schemas.Observation {
	obs := make([]schemas.Observation, 0, n)
	row := 1
	longtable.Rows(n, func(r longtable.Row) bool {
		row++
		obs = append(obs, longObservation(file, row, r))
		return true
	})
	return obs
}

func longObservation(file string, row int, r longtable.Row) schemas.Observation {
	parent := ""
	if r.Reporter != "Belgium" {
		parent = "Belgium"
	}
	v := float64(r.Value) / 100
	text := strconv.FormatFloat(v, 'f', 2, 64)
	return schemas.Observation{
		File: file, Cell: "G" + strconv.Itoa(row), Table: "A1:H1", Label: r.Label,
		Reporter: r.Reporter, ReporterParent: parent, Partner: r.Partner, Flow: r.Flow,
		Product: r.Label, ProductCode: r.Code, Measure: schemas.MeasureLevel,
		Period: strconv.Itoa(r.Year), PeriodType: schemas.PeriodYear, Year: r.Year,
		PeriodStart: time.Date(r.Year, 1, 1, 0, 0, 0, 0, time.UTC),
		HasValue:    true, Value: v, Text: text, Decimals: 2, Unit: schemas.UnitEUR, Currency: schemas.UnitEUR, Scale: 1e6,
		HasValueBase: true, ValueBase: v * 1e6, HasValueEUR: true, ValueEUR: v * 1e6,
	}
}

// plant changes figures of a long table the ways sources go wrong.
func plant(obs []schemas.Observation, rng *rand.Rand, n int) {
	for range n {
		o := &obs[rng.IntN(len(obs))]
		switch rng.IntN(6) {
		case 0: // digits swapped
			s := []byte(strconv.FormatFloat(o.Value, 'f', 2, 64))
			if len(s) > 4 {
				s[0], s[1] = s[1], s[0]
				o.Value, _ = strconv.ParseFloat(string(s), 64)
			}
		case 1: // million for billion
			o.Value *= 1000
		case 2: // missing
			o.HasValue, o.Value, o.Missing = false, 0, "n.a."
		case 3: // a region above its country
			o.Value += 1e6
		case 4: // sign flipped
			o.Value = -o.Value
		case 5: // a duplicate key further down
			d := *o
			d.Cell = "G" + strconv.Itoa(1_000_000+rng.IntN(1000))
			d.Value++
			obs[rng.IntN(len(obs))] = d
		}
	}
}

func TestStreamingMatchesBatchOnLongTables(t *testing.T) {
	e := defaultRuleSet(t)
	// each subtest its own generator, so that any of them can run alone
	seed := func(k uint64) *rand.Rand { return rand.New(rand.NewPCG(5, k)) }
	clean := longObs("long.csv", 3*longtable.BlockRows*2)
	t.Run("clean", func(t *testing.T) {
		if check, _ := checkAgainstGolden(t, e, clean); len(check) != 0 {
			t.Errorf("%d findings on the clean long table, first %s", len(check), check[0].Message)
		}
	})
	for _, errors := range []int{1, 5, 40} {
		t.Run(fmt.Sprintf("%d planted", errors), func(t *testing.T) {
			obs := slices.Clone(clean)
			plant(obs, seed(uint64(1000+errors)), errors)
			if check, _ := checkAgainstGolden(t, e, obs); len(check) == 0 {
				t.Error("no findings after planting errors")
			}
		})
	}
	// A CSV longer than Excel's grid: extract names the cells past row
	// 1,048,576 R<row>C<col>, which the evaluator keeps as row and column
	// too (not as odd cells, one map entry each).
	t.Run("rows beyond Excel's grid", func(t *testing.T) {
		obs := slices.Clone(clean)
		for i := range obs {
			if i%2 == 1 {
				obs[i].Cell = "R" + strconv.Itoa(1_048_577+i) + "C7"
			}
		}
		plant(obs, seed(100), 20)
		check, _ := checkAgainstGolden(t, e, obs)
		rc := 0
		for _, f := range check {
			for _, c := range f.Cells {
				if strings.HasPrefix(c, "R1") {
					rc++
				}
			}
		}
		if rc == 0 {
			t.Error("no finding names an R1C1 cell")
		}
	})
	// Two files, and a table split over two sheets: scopes file and run
	// no longer coincide with the table.
	t.Run("two files and two sheets", func(t *testing.T) {
		a := longObs("a.csv", 2*longtable.BlockRows)
		b := longObs("b.xlsx", 2*longtable.BlockRows)
		for i := range b {
			b[i].Sheet = "Sheet" + strconv.Itoa(1+i%2)
			b[i].Table = "A1:H" + strconv.Itoa(1+i%2)
		}
		obs := append(a, b...)
		plant(obs, seed(200), 10)
		checkAgainstGolden(t, e, obs)
		checkAgainstGolden(t, loadRuleSet(t, "run.yaml", runRules), obs)
	})
}

// randomRules exercise what the default rules do not: matches on fields
// that are not interned, where conditions the VM evaluates, sums over
// partners, references to fields that are not key slots, constants nobody
// has, conditions, and every scope.
const randomRules = `
version: 1
rules:
  - id: recent_small
    match: {year: [2012, 2013], has_value: true}
    where: value > 1 || reporter == "France"
    check: value < 500
  - id: partners_add_up
    scope: file
    match: {partner: World, measure: level}
    as: world
    with:
      partners: {partner: "*"}
    check: world == partners
  - id: vs_parent_last_year
    scope: run
    match: {measure: level}
    where: year >= 2012 && reporter_parent != "" && !(flow == "deficit")
    with:
      parent: {reporter: $reporter_parent, period: $base_period}
      other: {partner: USA}
    check: value <= parent + other
  - id: nobody
    match: {flow: exports}
    with:
      ghost: {partner: Atlantis}
    check: value == ghost
  - id: either
    scope: table
    match: {flow: [exports, imports]}
    with:
      imports: {flow: imports}
    check: value > 0 && (value < 100 || imports < 100)
  - id: by_sheet
    scope: file
    match: {measure: share}
    with:
      same: {measure: level, partner: $sheet}
    check: same >= 0
  - id: deficit_sums
    match: {product: Total, flow: deficit}
    as: deficit
    with:
      imports: {flow: imports, product: "*"}
      exports: {flow: exports, product: "*"}
    check: deficit == imports - exports
`

// randomObs draws observations from a small universe, so that keys
// repeat, figures go missing and scales mix.
func randomObs(rng *rand.Rand, n int) []schemas.Observation {
	pick := func(s ...string) string { return s[rng.IntN(len(s))] }
	obs := make([]schemas.Observation, 0, n)
	file := pick("a.xlsx", "b.xlsx")
	for range n {
		if rng.IntN(20) == 0 {
			file = pick("a.xlsx", "b.xlsx", "c.csv")
		}
		year := 2011 + rng.IntN(3)
		o := schemas.Observation{
			File: file, Sheet: pick("S1", "S2", "", "World"), Table: pick("A1:D1", "F1:H1"),
			Reporter: pick("Belgium", "Flanders", "Wallonia", "France"), Partner: pick("China", "World", "USA"),
			Flow: pick("exports", "imports", "deficit", "total"), Product: pick("Total", "A", "B"),
			Measure: pick("level", "level", "level", "share", "growth"), Period: strconv.Itoa(year),
			PeriodType: schemas.PeriodYear, Year: year, PeriodStart: time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC),
			HasValue: rng.IntN(10) > 0, Decimals: rng.IntN(3), Unit: schemas.UnitEUR, Currency: schemas.UnitEUR,
			Scale: []float64{1e6, 1e9, 1e3}[rng.IntN(3)],
		}
		if o.Reporter == "Flanders" || o.Reporter == "Wallonia" {
			o.ReporterParent = "Belgium"
		}
		if o.Measure != schemas.MeasureLevel {
			o.Unit, o.Scale = schemas.UnitPercent, 1
		}
		if o.Measure == schemas.MeasureGrowth {
			o.BasePeriod = strconv.Itoa(year - 1)
		}
		if o.HasValue {
			p := math.Pow(10, float64(o.Decimals))
			o.Value = math.Round(rng.NormFloat64()*300*p) / p
			if rng.IntN(8) == 0 {
				o.Value *= 1000
			}
		}
		col := string(rune('A' + rng.IntN(8)))
		o.Cell = col + strconv.Itoa(2+rng.IntN(30))
		switch rng.IntN(40) {
		case 0:
			o.Cell = strings.ToLower(o.Cell)
		case 1:
			o.Cell = col + "0" + strconv.Itoa(1+rng.IntN(9))
		case 2:
			o.Cell = ""
		case 3:
			o.Cell = "XFD1048576"
		case 4:
			o.Decimals = -1
		}
		obs = append(obs, o)
	}
	return obs
}

func TestStreamingMatchesBatchOnRandomObservations(t *testing.T) {
	rules := []namedRules{defaultRuleSet(t), loadRuleSet(t, "random.yaml", randomRules)}
	rng := rand.New(rand.NewPCG(11, 13))
	n := 80
	if testing.Short() {
		n = 30
	}
	findings := 0
	for i := range n {
		obs := randomObs(rng, 20+rng.IntN(120))
		for _, e := range rules {
			t.Run(fmt.Sprintf("%d/%s", i, e.name), func(t *testing.T) {
				check, audit := checkAgainstGolden(t, e, obs)
				findings += len(check) + len(audit)
			})
		}
		if t.Failed() {
			break
		}
	}
	if findings == 0 {
		t.Fatal("no findings at all: the random observations test nothing")
	}
}

// An evaluator without rules still audits for scale slips; without audit
// it finds nothing. A nil rule set behaves as an empty one.
func TestEvaluatorWithoutRules(t *testing.T) {
	var obs []schemas.Observation
	for y := range 6 {
		r := longtable.Row{Reporter: "Flanders", Partner: "China", Flow: "exports", Code: "TOTAL", Label: "Total",
			Year: 2000 + y, Value: int64(10000 + 100*y)}
		if y == 3 {
			r.Value *= 1000
		}
		obs = append(obs, longObservation("long.csv", 2+y, r))
	}
	var nilRS *validate.RuleSet
	audit := want(t, "nil rules audit", nilRS.Audit(obs))
	if len(audit) == 0 {
		t.Fatal("the golden audit finds no scale slip")
	}
	sameFindings(t, "nil rules, audit", nilRS.Audit(obs), audit)
	sameFindings(t, "nil rules, streamed audit", stream(nilRS, validate.EvalOptions{Audit: true}, obs, 100), audit)
	if got := stream(nilRS, validate.EvalOptions{}, obs, 100); len(got) != 0 {
		t.Errorf("nil rules without audit: %d findings", len(got))
	}
}

// crossCurrencyRules reach across currencies, as a rules file may: a
// figure of another currency, and the sum over the other currencies.
const crossCurrencyRules = `
version: 1
rules:
  - id: below_euro
    scope: file
    match: {measure: level, currency: [GBP, CHF]}
    with:
      eur: {currency: EUR}
    check: value <= eur
  - id: other_currencies
    scope: run
    match: {measure: level, currency: EUR}
    as: eur
    with:
      others: {currency: "*"}
    check: eur >= others
  - id: same_currency_growth
    match: {measure: growth}
    with:
      cur: {measure: level}
      prev: {measure: level, period: $base_period}
      share: {measure: share, currency: $currency}
    check: share >= 0
`

// Random observations in several currencies, without unit, and shares
// and growth rates with and without their table's currency (as producers
// before schema v2 wrote them): every way of feeding the evaluator finds
// what Check and Audit find. Each file's observations come together, as
// the pipeline collects them.
func TestStreamingMatchesBatchAcrossCurrencies(t *testing.T) {
	rules := []namedRules{defaultRuleSet(t), loadRuleSet(t, "random.yaml", randomRules), loadRuleSet(t, "cross.yaml", crossCurrencyRules)}
	rng := rand.New(rand.NewPCG(17, 19))
	byRule := map[string]int{}
	n := 20
	if testing.Short() {
		n = 10
	}
	findings := 0
	for i := range n {
		obs := randomObs(rng, 100+rng.IntN(400))
		type tableKey struct{ file, sheet, table string }
		curOf := map[tableKey]string{}
		for j := range obs {
			o := &obs[j]
			k := tableKey{o.File, o.Sheet, o.Table}
			cur, ok := curOf[k]
			if !ok {
				cur = []string{"EUR", "GBP", "CHF", ""}[rng.IntN(4)]
				curOf[k] = cur
			}
			switch {
			case o.Unit != schemas.UnitPercent:
				o.Unit, o.Currency = cur, cur
			case rng.IntN(3) == 0:
				o.Currency = "" // the table's, found from its money figures
			default:
				o.Currency = cur
			}
		}
		slices.SortStableFunc(obs, func(a, b schemas.Observation) int { return strings.Compare(a.File, b.File) })
		for _, e := range rules {
			check, audit := e.rs.Check(obs), e.rs.Audit(obs)
			wantCheck, wantAudit := showAll(check), showAll(audit)
			for _, n := range []int{1, 7} {
				sameFindings(t, fmt.Sprintf("%d/%s streamed in batches of %d", i, e.name, n), stream(e.rs, validate.EvalOptions{}, obs, n), wantCheck)
				sameFindings(t, fmt.Sprintf("%d/%s audit streamed in batches of %d", i, e.name, n), stream(e.rs, validate.EvalOptions{Audit: true}, obs, n), wantAudit)
			}
			sameFindings(t, fmt.Sprintf("%d/%s collected by file", i, e.name), collected(e.rs, obs), wantCheck)
			findings += len(check) + len(audit)
			for _, f := range audit {
				byRule[f.Rule]++
			}
		}
		if t.Failed() {
			break
		}
	}
	t.Logf("findings by rule: %v", byRule)
	if findings == 0 {
		t.Fatal("no findings at all: the random observations test nothing")
	}
}
