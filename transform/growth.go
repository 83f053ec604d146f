package transform

import (
	"fmt"
	"math"
	"sort"

	"github.com/tradeetl/tradeetl/extract"

	"github.com/tradeetl/tradeetl/schemas"
)

// What a growth rate compares is read, in this order, from:
//
//  1. its heading, when it names both periods ("% change 2023/2022",
//     "Change H1 2024 / H1 2023");
//  2. its heading's or the table's words for the base ("y/y", "Vorjahr",
//     "föregående kvartal", "Veränderung zum Vorquartal"), applied to its
//     own period or the period beside it;
//  3. arithmetic: of the readings the table allows (the period before,
//     the same period a year earlier, the two level columns beside it),
//     the one the figures agree with on most rows, within rounding;
//  4. failing all that, the period directly before it when that is the
//     column (or row) before it, else the same period a year earlier —
//     which the rules then check only if that period is in the data.
//
// A rule never checks a growth rate against a base it was not given or
// could not confirm, so a guess never becomes a false error.

// resolveGrowthColumns settles the current and base period of each growth
// column of a table with periods across.
func (w *wide) resolveGrowthColumns() {
	for i, g := range w.cols {
		if !g.growth {
			continue
		}
		base := g.base
		if base == "" {
			base = w.ctx.base
		}
		// level columns to the left, in the same group, nearest first
		var left []*colInfo
		for j := i - 1; j >= 0; j-- {
			c := w.cols[j]
			if c.level && c.period != nil && sameGroup(c, g) {
				left = append(left, c)
			}
		}
		switch {
		case len(g.explicit) >= 2:
			a, b := g.explicit[0], g.explicit[1]
			if a.Start().Before(b.Start()) {
				a, b = b, a
			}
			// "Var. % 2024/2023" beside Jan–Jun columns: the years name
			// the columns of those years left of it
			if a.Type == schemas.PeriodYear && b.Type == schemas.PeriodYear {
				for _, c := range left {
					if c.period.Type != schemas.PeriodYear && c.period.Year == a.Year {
						ya := c.period.YearAgo()
						for _, d := range left {
							if *d.period == ya && b.Year == ya.Year {
								a, b = *c.period, ya
								break
							}
						}
						break
					}
				}
			}
			g.period, g.baseP = &a, &b
			continue
		case len(g.explicit) == 1:
			cur := g.explicit[0]
			// "June 2023 to June 2024", "May to June 2024" over a change:
			// from one month to the other, when the span is longer than
			// a year (no cumulative period is) or both months are columns
			// to the left
			if a, b, ok := monthEnds(cur); ok && (cur.EndYear*12+cur.EndMonth-cur.Year*12-cur.Sub >= 12 || hasPeriod(left, a) && hasPeriod(left, b)) {
				g.period, g.baseP = &b, &a
				continue
			}
			g.period = &cur
			switch base {
			case "year_ago":
				b := cur.YearAgo()
				g.baseP = &b
				continue
			case "previous":
				b := cur.Prev()
				g.baseP = &b
				continue
			}
			g.cands = candidates(cur, left)
		default:
			if len(left) == 0 {
				continue
			}
			cur := *left[0].period
			g.period = &cur
			switch base {
			case "year_ago":
				b := cur.YearAgo()
				g.baseP = &b
				continue
			case "previous":
				b := cur.Prev()
				g.baseP = &b
				continue
			}
			g.cands = candidates(cur, left)
			// the two level columns left of it, later first: "2023 |
			// 2022 | Variation" compares 2023 with 2022
			if len(left) >= 2 {
				a, b := *left[0].period, *left[1].period
				if a.Type == b.Type && a != b {
					if a.Start().Before(b.Start()) {
						a, b = b, a
					}
					g.cands = appendCand(g.cands, [2]schemas.Period{a, b})
				}
			}
		}
		if len(g.cands) > 0 {
			c := defaultCand(g.cands, left)
			g.period, g.baseP = &c[0], &c[1]
		}
	}
}

// candidates are the readings of a growth rate of period cur: against the
// period before it, and against the same period a year earlier.
func candidates(cur schemas.Period, left []*colInfo) [][2]schemas.Period {
	var out [][2]schemas.Period
	if len(left) >= 2 && *left[1].period == cur.Prev() {
		out = appendCand(out, [2]schemas.Period{cur, cur.Prev()})
	}
	out = appendCand(out, [2]schemas.Period{cur, cur.YearAgo()})
	out = appendCand(out, [2]schemas.Period{cur, cur.Prev()})
	return out
}

func appendCand(list [][2]schemas.Period, c [2]schemas.Period) [][2]schemas.Period {
	for _, x := range list {
		if x == c {
			return list
		}
	}
	return append(list, c)
}

// defaultCand is the reading without evidence: the period before, when it
// is the level column beside it, else the same period a year earlier.
func defaultCand(cands [][2]schemas.Period, left []*colInfo) [2]schemas.Period {
	if len(left) >= 2 {
		for _, c := range cands {
			if c[0] == *left[0].period && c[1] == *left[1].period && c[1] == c[0].Prev() {
				return c
			}
		}
	}
	for _, c := range cands {
		if c[1] == c[0].YearAgo() {
			return c
		}
	}
	return cands[0]
}

// sameGroup reports whether two columns sit under the same group heading
// ("Exports" over "2022 | 2023 | % change").
func sameGroup(a, b *colInfo) bool {
	return a.group == b.group || a.group == "" || b.group == ""
}

// resolveGrowthRows settles the base of growth columns in a table with
// periods down (each row a period), and of growth rows ("Veränderung in
// %" under two rows of periods).
func (w *wide) resolveGrowthRows() {
	base := w.ctx.base
	for _, g := range w.cols {
		if !g.growth {
			continue
		}
		b := g.base
		if b == "" {
			b = base
		}
		g.period = nil
		g.baseWord = b // "" : decided by arithmetic over the rows
	}
	// growth rows: the two level rows above
	for i, ri := range w.rows {
		if !ri.growth || ri.period != nil {
			continue
		}
		var above []*rowInfo
		for j := i - 1; j >= 0 && len(above) < 2; j-- {
			if w.rows[j].period != nil && !w.rows[j].growth && !w.rows[j].section {
				above = append(above, w.rows[j])
			}
		}
		if len(ri.explicit) >= 2 {
			a, b := ri.explicit[0], ri.explicit[1]
			if a.Start().Before(b.Start()) {
				a, b = b, a
			}
			ri.period, ri.baseP = &a, &b
			continue
		}
		if len(above) == 2 && above[0].period.Type == above[1].period.Type {
			a, b := *above[0].period, *above[1].period
			if a.Start().Before(b.Start()) {
				a, b = b, a
			}
			ri.period, ri.baseP = &a, &b
		} else if len(above) >= 1 {
			a := *above[0].period
			bb := a.YearAgo()
			ri.period, ri.baseP = &a, &bb
		}
	}
}

// interval is a published figure's range of true values.
type interval struct{ lo, hi float64 }

func figureInterval(v float64, decimals int) interval {
	h := 0.5 * math.Pow(10, -float64(decimals))
	return interval{v - h, v + h}
}

// growthAgrees reports whether a growth rate g (percent) can be the change
// from base to cur, within the rounding of all three.
func growthAgrees(g, cur, base interval) bool {
	if base.lo <= 0 && base.hi >= 0 {
		return false
	}
	ratios := []float64{cur.lo / base.lo, cur.lo / base.hi, cur.hi / base.lo, cur.hi / base.hi}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range ratios {
		lo, hi = math.Min(lo, r), math.Max(hi, r)
	}
	lo, hi = (lo-1)*100, (hi-1)*100
	eps := 1e-9 * math.Max(1, math.Abs(g.lo))
	return g.hi >= lo-eps && g.lo <= hi+eps
}

// levelKey identifies a level figure a growth rate may compare with.
type levelKey struct {
	reporter, partner, flow, product, currency, period string
}

// settleByArithmetic chooses, for each growth column or row with several
// readings, the one most of its rows agree with, and sets the period and
// base_period of its observations accordingly.
func (w *wide) settleByArithmetic() {
	if len(w.growthOf) == 0 {
		return
	}
	levels := map[levelKey]interval{}
	for i := range w.obs {
		o := &w.obs[i]
		if o.Measure == schemas.MeasureLevel && o.HasValue {
			levels[levelKey{o.Reporter, o.Partner, o.Flow, o.Product, o.Currency, o.Period}] = figureInterval(o.Value, o.Decimals)
		}
	}
	type group struct {
		idx   []int
		cands [][2]schemas.Period
		def   int
	}
	resolve := func(i int, c [2]schemas.Period) (string, string) {
		if p := w.growthOf[i].partial; p != nil && c[0].Type == schemas.PeriodYear && c[1].Type == schemas.PeriodYear {
			return withYear(*p, c[0].Year).String(), withYear(*p, c[1].Year).String()
		}
		return readCand(&w.obs[i], c)
	}
	groups := map[int]*group{}
	for i := range w.obs {
		gi, ok := w.growthOf[i]
		if !ok {
			continue
		}
		g := groups[gi.key]
		if g == nil {
			g = &group{cands: gi.cands, def: gi.def}
			groups[gi.key] = g
		}
		g.idx = append(g.idx, i)
	}
	keys := make([]int, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for _, k := range keys {
		g := groups[k]
		best, bestN := g.def, 0
		tested := make([]int, len(g.cands)) // rows where both levels are known
		for ci, c := range g.cands {
			n := 0
			for _, i := range g.idx {
				o := &w.obs[i]
				if !o.HasValue {
					continue
				}
				curP, baseP := resolve(i, c)
				cur, ok1 := levels[levelKey{o.Reporter, o.Partner, o.Flow, o.Product, o.Currency, curP}]
				base, ok2 := levels[levelKey{o.Reporter, o.Partner, o.Flow, o.Product, o.Currency, baseP}]
				if ok1 && ok2 {
					tested[ci]++
					g := figureInterval(o.Value, o.Decimals)
					if w.indexObs[i] {
						g = interval{g.lo - 100, g.hi - 100} // 101.5 is a growth of 1.5%
					}
					if growthAgrees(g, cur, base) {
						n++
					}
				}
			}
			if n > bestN {
				best, bestN = ci, n
			}
		}
		if bestN == 0 && tested[best] >= 2 {
			// the figures contradict the default reading on every row: the
			// rates compare with a period the table does not show; read
			// them so, unchecked, rather than raise false errors
			for ci, c := range g.cands {
				if tested[ci] == 0 {
					best = ci
					o := &w.obs[g.idx[0]]
					_, baseP := readCand(o, c)
					w.assume(schemas.RuleGrowthBase, fmt.Sprintf("the growth rates of column %s agree with no period the table shows: read as growth on %s (not in the table, so not checked)", extract.ColumnName(k%rowGrowthCol), baseWords(c)), o.Cell)
					_ = baseP
					break
				}
			}
		}
		c := g.cands[best]
		for _, i := range g.idx {
			o := &w.obs[i]
			curP, baseP := resolve(i, c)
			if p, ok := schemas.ParsePeriod(curP); ok {
				setPeriod(o, p)
			}
			o.BasePeriod = baseP
		}
	}
}

// rowGrowthCol keeps the column number in a growth group's key.
const rowGrowthCol = 1 << 20

// baseWords describes a reading's base for a finding.
func baseWords(c [2]schemas.Period) string {
	switch {
	case c[1].Type == "prev":
		return "the period before"
	case c[1].Type == "yearago", c[1] == c[0].YearAgo():
		return "the same period a year earlier"
	}
	return c[1].String()
}

// growthRef records, for an observation of a growth column whose base is
// not decided by words, which readings to test.
type growthRef struct {
	key     int
	cands   [][2]schemas.Period
	def     int
	partial *schemas.Period // the row's period without its year, when the columns give years
}

// Relative readings, for growth columns of tables with periods down: the
// current period is the row's, the base the period before it or the same
// period a year earlier.
var (
	candPrev    = [2]schemas.Period{{Type: "rel"}, {Type: "prev"}}
	candYearAgo = [2]schemas.Period{{Type: "rel"}, {Type: "yearago"}}
)

// readCand returns the current and base period a reading stands for, for
// observation o.
func readCand(o *schemas.Observation, c [2]schemas.Period) (string, string) {
	if c[0].Type != "rel" {
		return c[0].String(), c[1].String()
	}
	cur, ok := schemas.ParsePeriod(o.Period)
	if !ok {
		return o.Period, ""
	}
	if c[1].Type == "prev" {
		return o.Period, cur.Prev().String()
	}
	return o.Period, cur.YearAgo().String()
}

// monthEnds returns the first and the last month of a cumulative period.
func monthEnds(p schemas.Period) (first, last schemas.Period, ok bool) {
	if p.Type != schemas.PeriodCumulative || p.EndYear == 0 {
		return first, last, false
	}
	return schemas.Period{Type: schemas.PeriodMonth, Year: p.Year, Sub: p.Sub}, schemas.Period{Type: schemas.PeriodMonth, Year: p.EndYear, Sub: p.EndMonth}, true
}

// hasPeriod reports whether one of the columns is of period p.
func hasPeriod(cols []*colInfo, p schemas.Period) bool {
	for _, c := range cols {
		if c.period != nil && *c.period == p {
			return true
		}
	}
	return false
}
