package validate

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/tradeetl/tradeetl/schemas"
)

// Error localization: which cell is wrong, and what should it read?
//
// Every failed rule instance (a rule at one anchor) names the cells it
// read. Following Fellegi and Holt, the audit trusts most figures and
// looks for the fewest cells whose change makes every rule hold again —
// the failed ones and every rule that holds now and reads those cells,
// each within its rounding tolerance. A cell that alone explains all
// failures of its cluster is the suspect; solving the rules for it gives
// the value it should hold. When several cells explain the failures
// equally well, they are candidates and none is named. Suggested values
// are checked against typing slips (digits swapped, a digit dropped, ...),
// which also break ties: a figure the rules want as 5.13 that reads 5.31
// is a likelier culprit than its neighbours.

// Limits of the search: a cluster needs at most maxSuspects wrong cells to
// be localized, and clusters larger than maxClusterFailures failures, or
// needing more than maxSets candidate sets at one size, are left as they
// are (their findings stand without a suspect).
const (
	maxSuspects        = 3
	maxClusterFailures = 400
	maxSets            = 1500
)

// subst replaces published figures by other values: the corrections the
// audit tries.
type subst []cellValue

type cellValue struct {
	obs   int32
	value float64
}

func (s subst) get(i int32) (float64, bool) {
	for _, cv := range s {
		if cv.obs == i {
			return cv.value, true
		}
	}
	return 0, false
}

// with returns a copy of s with observation i set to v.
func (s subst) with(i int32, v float64) subst {
	out := make(subst, 0, len(s)+1)
	for _, cv := range s {
		if cv.obs != i {
			out = append(out, cv)
		}
	}
	return append(out, cellValue{i, v})
}

// withVar returns a copy of s with a slot for observation i and the
// function setting its value: the search tries many values of one figure
// without a copy per value.
func (s subst) withVar(i int32) (subst, func(float64)) {
	out := s.with(i, 0)
	k := len(out) - 1
	return out, func(v float64) { out[k].value = v }
}

// cells returns the observations an instance reads, anchor first, without
// repeats.
func (in *instance) cells() []int32 {
	if in.cellList != nil {
		return in.cellList
	}
	out := []int32{in.anchor}
	var seen map[int32]bool // for long instances (sums of a hundred figures)
	n := 0
	for _, ms := range in.members {
		n += len(ms)
	}
	if n > 16 {
		seen = map[int32]bool{in.anchor: true}
	}
	for _, ms := range in.members {
		for _, m := range ms {
			switch {
			case seen != nil:
				if !seen[m] {
					seen[m] = true
					out = append(out, m)
				}
			case !slices.Contains(out, m):
				out = append(out, m)
			}
		}
	}
	in.cellList = out
	return out
}

func (in *instance) reads(m int32) bool {
	if in.anchor == m {
		return true
	}
	for _, ms := range in.members {
		if slices.Contains(ms, m) {
			return true
		}
	}
	return false
}

// slotsReading returns the check's slots whose value includes m.
func (in *instance) slotReads(slot int, m int32) bool {
	if slot == 0 {
		return in.anchor == m
	}
	return slices.Contains(in.members[slot-1], m)
}

// holds evaluates an instance with the figures in sub replaced.
func (c *checker) holds(in *instance, sub subst) bool {
	b := c.prepare(in, sub, false)
	for _, at := range c.rs.Rules[in.rule].prog.atoms {
		if ok, _, _, _ := c.atomHolds(at, b); !ok {
			return false
		}
	}
	return true
}

func (c *checker) prepare(in *instance, sub subst, point bool) *binding {
	b := c.binding(in.rule)
	copy(b.members, in.members)
	c.work += workPerEval
	if len(in.members) == 0 {
		c.fill(in.anchor, b, sub, point)
		return b
	}
	// The search evaluates the same instance hundreds of times with one
	// to three figures replaced: the others are read once and kept, and
	// the slots are summed in fill's order, so that the values are the
	// same to the last bit.
	fg := in.figures
	if fg == nil {
		fg = c.figuresOf(in)
		in.figures = fg
	}
	b.scale = fg.scale
	v := 0
	if point {
		v = 1
	}
	// the replaced figures, looked up without a call per figure
	ids := [3]int32{-1, -1, -1}
	few := len(sub) <= len(ids)
	if few {
		for i, cv := range sub {
			ids[i] = cv.obs
		}
	}
	at := func(m int32, iv interval) interval {
		if few && m != ids[0] && m != ids[1] && m != ids[2] {
			return iv
		}
		if _, ok := sub.get(m); ok {
			return c.numAt(m, sub, point).in(b.scale)
		}
		return iv
	}
	b.vals[0] = at(in.anchor, fg.anchor[v])
	for j, ms := range in.members {
		ivs := fg.members[v][j]
		// the running sum up to the first replaced figure is kept
		from := len(ms)
		if few {
			for _, id := range ids[:len(sub)] {
				for _, p := range fg.at[id] {
					if int(p.slot) == j && int(p.k) < from {
						from = int(p.k)
					}
				}
			}
		} else {
			from = 0
		}
		if from == len(ms) {
			b.vals[j+1] = fg.sums[v][j][len(ms)-1]
			c.work++
			continue
		}
		c.work += int64(len(ms) - from)
		var x interval
		if from == 0 {
			x = at(ms[0], ivs[0])
			from = 1
		} else {
			x = fg.sums[v][j][from-1]
		}
		for k := from; k < len(ms); k++ {
			m := ms[k]
			if few && m != ids[0] && m != ids[1] && m != ids[2] {
				x = x.add(ivs[k])
			} else {
				x = x.add(at(m, ivs[k]))
			}
		}
		b.vals[j+1] = x
	}
	return b
}

// figures are an instance's figures in its scale, as fill reads them: with
// their rounding ([0]) and as points ([1]), the running sums of each slot,
// and where each member is.
type figures struct {
	scale   float64
	anchor  [2]interval
	members [2][][]interval
	sums    [2][][]interval // sums[v][j][k]: members[v][j][0] + … + members[v][j][k], in fill's order
	at      map[int32][]slotPos
}

type slotPos struct{ slot, k int32 }

func (c *checker) figuresOf(in *instance) *figures {
	b := c.binding(in.rule)
	copy(b.members, in.members)
	c.fill(in.anchor, b, nil, false) // sets b.scale
	fg := &figures{scale: b.scale, at: map[int32][]slotPos{}}
	for v, point := range []bool{false, true} {
		fg.anchor[v] = c.numAt(in.anchor, nil, point).in(fg.scale)
		fg.members[v] = make([][]interval, len(in.members))
		fg.sums[v] = make([][]interval, len(in.members))
		for j, ms := range in.members {
			ivs := make([]interval, len(ms))
			sums := make([]interval, len(ms))
			for k, m := range ms {
				ivs[k] = c.numAt(m, nil, point).in(fg.scale)
				sums[k] = ivs[k]
				if k > 0 {
					sums[k] = sums[k-1].add(ivs[k])
				}
			}
			fg.members[v][j], fg.sums[v][j] = ivs, sums
		}
	}
	for j, ms := range in.members {
		for k, m := range ms {
			fg.at[m] = append(fg.at[m], slotPos{int32(j), int32(k)})
		}
	}
	return fg
}

// gap is left − right of a comparison atom with every figure taken exactly
// as published (and those in sub replaced): zero where the atom is
// satisfied exactly.
func (c *checker) gap(in *instance, at *atom, sub subst) float64 {
	b := c.prepare(in, sub, true)
	_, l, r, err := c.atomHolds(at, b)
	if err != nil || !l.finite() || !r.finite() {
		return math.NaN()
	}
	return l.mid() - r.mid()
}

// root solves gap(x) = 0 for the value x of figure m by the secant method,
// starting from x0: one step for linear checks, a few for ratios.
func (c *checker) root(in *instance, at *atom, m int32, sub subst, x0 float64) (float64, bool) {
	s, set := sub.withVar(m)
	g := func(x float64) float64 { set(x); return c.gap(in, at, s) }
	x1 := x0 + max(math.Abs(x0)*0.01, 1)
	g0, g1 := g(x0), g(x1)
	for range 60 {
		if math.IsNaN(g0) || math.IsNaN(g1) || g1 == g0 {
			return 0, false
		}
		x2 := x1 - g1*(x1-x0)/(g1-g0)
		if math.IsNaN(x2) || math.IsInf(x2, 0) {
			return 0, false
		}
		x0, g0 = x1, g1
		x1, g1 = x2, g(x2)
		if g1 == 0 || math.Abs(x1-x0) <= 1e-13*max(1, math.Abs(x1)) {
			return x1, true
		}
	}
	return 0, false
}

// edge walks from x (where ok holds) in direction dir until ok fails and
// returns the last value where it holds, or ±Inf when it never fails.
func edge(ok func(float64) bool, x, dir, step float64) float64 {
	good := x
	for range 200 {
		next := x + dir*step
		if math.IsInf(next, 0) || math.Abs(next-x) > 1e15*max(1, math.Abs(x)) {
			return math.Inf(int(dir))
		}
		if !ok(next) {
			bad := next
			for range 60 {
				mid := good/2 + bad/2
				if mid == good || mid == bad {
					break
				}
				if ok(mid) {
					good = mid
				} else {
					bad = mid
				}
				if math.Abs(bad-good) <= 1e-12*max(1, math.Abs(good)) {
					break
				}
			}
			return good
		}
		good = next
		step *= 2
	}
	return math.Inf(int(dir))
}

// feasible returns the values of figure m (as published, in its own unit)
// for which instance in holds, the other figures as in sub: the pieces
// found around the current value, the roots of the comparisons that read m
// and the extra seeds.
func (c *checker) feasible(in *instance, m int32, sub subst, seeds []float64) []interval {
	cur, ok := sub.get(m)
	if !ok {
		cur = c.value(m)
	}
	all := append([]float64{cur}, seeds...)
	for _, at := range c.rs.Rules[in.rule].prog.atoms {
		if at.op == "" || !c.atomReads(in, at, m) {
			continue
		}
		if x, ok := c.root(in, at, m, sub, cur); ok {
			all = append(all, x)
		}
	}
	step := max(2*c.num(m).half, 1e-9*max(1, math.Abs(cur)))
	s, set := sub.withVar(m)
	okAt := func(x float64) bool { set(x); return c.holds(in, s) }
	var pieces []interval
	for _, s := range all {
		if math.IsNaN(s) || math.IsInf(s, 0) || inAny(pieces, s) || !okAt(s) {
			continue
		}
		pieces = append(pieces, interval{edge(okAt, s, -1, step), edge(okAt, s, 1, step)})
	}
	return pieces
}

func (c *checker) atomReads(in *instance, at *atom, m int32) bool {
	for _, s := range at.names {
		if in.slotReads(s, m) {
			return true
		}
	}
	return false
}

func inAny(pieces []interval, x float64) bool {
	for _, p := range pieces {
		if p.lo <= x && x <= p.hi {
			return true
		}
	}
	return false
}

// intersect returns the pieces common to a and b.
func intersect(a, b []interval) []interval {
	var out []interval
	for _, p := range a {
		for _, q := range b {
			lo, hi := max(p.lo, q.lo), min(p.hi, q.hi)
			if lo <= hi {
				out = append(out, interval{lo, hi})
			}
		}
	}
	return out
}

// fix is what the audit finds for one cell: the values the rules allow it,
// and the one it suggests.
type fix struct {
	obs    int32
	pieces []interval // values for which every rule reading the cell holds
	pinned bool       // an equality pins the value down: pieces is one bounded interval
	value  float64    // a value that makes every rule hold (the suggestion when has)
	has    bool       // value is a suggestion
	slip   string     // the typing slip value → published, or ""
}

// slips returns the slip candidates of figure m and their values, made
// once per figure: the search solves the same figure many times.
func (c *checker) slips(m int32) ([]slip, []float64) {
	if sc, ok := c.slipCache[m]; ok {
		return sc.slips, sc.seeds
	}
	c.work += workPerSlips
	slips := slipCandidates(c.value(m), c.decimals(m))
	seeds := make([]float64, len(slips))
	for i, s := range slips {
		seeds[i] = s.value
	}
	if c.slipCache == nil {
		c.slipCache = map[int32]slipSet{}
	}
	c.slipCache[m] = slipSet{slips, seeds}
	return slips, seeds
}

type slipSet struct {
	slips []slip
	seeds []float64
}

// solve finds values for figure m that make every instance in insts hold,
// the other figures as in sub.
func (c *checker) solve(m int32, insts []*instance, sub subst) (fix, bool) {
	f := fix{obs: m}
	slips, seeds := c.slips(m)
	var pieces []interval
	for i, in := range insts {
		p := c.feasible(in, m, sub, seeds)
		if i == 0 {
			pieces = p
		} else {
			pieces = intersect(pieces, p)
		}
		if len(pieces) == 0 {
			return f, false
		}
	}
	f.pieces = pieces
	s, set := sub.withVar(m)
	okAll := func(x float64) bool {
		set(x)
		for _, in := range insts {
			if !c.holds(in, s) {
				return false
			}
		}
		return true
	}
	equality := false
	for _, in := range insts {
		for _, at := range c.rs.Rules[in.rule].prog.atoms {
			if at.op == "==" && c.atomReads(in, at, m) {
				equality = true
			}
		}
	}
	p := pieces[0]
	f.pinned = equality && len(pieces) == 1 && p.finite()

	// Slips that land where the rules want the figure.
	var hits []slip
	for _, s := range slips {
		if inAny(pieces, s.value) && okAll(s.value) && !slices.ContainsFunc(hits, func(h slip) bool { return h.value == s.value }) {
			hits = append(hits, s)
		}
	}
	switch {
	case f.pinned && len(hits) > 0:
		// The slip closest to the middle of what the rules allow.
		mid := p.mid()
		best := hits[0]
		for _, h := range hits[1:] {
			if math.Abs(h.value-mid) < math.Abs(best.value-mid) {
				best = h
			}
		}
		f.value, f.has, f.slip = best.value, true, best.kind
		return f, true
	case f.pinned:
		if v, ok := gridPoint(p, c.decimals(m), okAll); ok {
			f.value, f.has = v, true
			return f, true
		}
	case len(hits) == 1:
		f.value, f.has, f.slip = hits[0].value, true, hits[0].kind
		return f, true
	}
	// No suggestion: still a value that makes the rules hold, for trying
	// this cell together with others.
	for _, q := range pieces {
		for _, x := range []float64{q.mid(), q.lo, q.hi} {
			if !math.IsInf(x, 0) && !math.IsNaN(x) && okAll(x) {
				f.value = x
				return f, true
			}
		}
		if math.IsInf(q.lo, -1) && math.IsInf(q.hi, 1) && okAll(0) {
			return f, true
		}
		for _, s := range seeds {
			if q.lo <= s && s <= q.hi && okAll(s) {
				f.value = s
				return f, true
			}
		}
	}
	return f, false
}

// gridPoint returns the value with the cell's published decimals nearest
// the middle of p that satisfies ok.
func gridPoint(p interval, decimals int, ok func(float64) bool) (float64, bool) {
	mid := p.mid()
	for d := max(decimals, 0); d <= max(decimals, 0)+3 && d <= 12; d++ {
		u := math.Pow(10, -float64(d))
		base := roundTo(mid, d)
		for k := range 5 {
			for _, x := range []float64{base + float64(k)*u, base - float64(k)*u} {
				x = roundTo(x, d)
				if p.lo-1e-12 <= x && x <= p.hi+1e-12 && ok(x) {
					return x, true
				}
			}
		}
	}
	if ok(mid) {
		return round12(mid), true
	}
	return 0, false
}

func roundTo(v float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(v*p) / p
}

// locate runs error localization over the failed instances and adds the
// audit's findings.
func (c *checker) locate() {
	var failed []*instance
	for i := range c.found {
		if c.found[i].inst != nil {
			failed = append(failed, c.found[i].inst)
		}
	}
	if len(failed) == 0 {
		return
	}
	// Rule by rule, each in anchor order (rules without operands were
	// decided as their anchors came).
	slices.SortStableFunc(failed, func(a, b *instance) int {
		return cmp.Or(cmp.Compare(a.rule, b.rule), cmp.Compare(a.anchor, b.anchor))
	})
	// Clusters that no maxSuspects cells can explain are left as they are
	// before anything is searched: a delivery with errors everywhere
	// costs no search.
	var comps [][]*instance
	var kept []*instance
	for _, comp := range clusters(failed) {
		if len(comp) <= maxClusterFailures && disjointFailures(comp) <= maxSuspects {
			comps = append(comps, comp)
			kept = append(kept, comp...)
		}
	}
	if len(comps) == 0 {
		return
	}
	slices.SortStableFunc(kept, func(a, b *instance) int {
		return cmp.Or(cmp.Compare(a.rule, b.rule), cmp.Compare(a.anchor, b.anchor))
	})
	cand := map[int32]bool{}
	for _, in := range kept {
		for _, m := range in.cells() {
			cand[m] = true
		}
	}
	byCell := c.touching(cand, kept)
	// The search costs a few thousand figure reads per cluster, hundreds
	// of thousands for large ones: within a budget that grows with the
	// input, the cheapest clusters first (clusters share no cell, so the
	// order changes nothing else), so that a delivery full of errors
	// costs at most a few times a clean one.
	type job struct {
		comp  []*instance
		cost  int
		order int // in the clusters' order
	}
	var jobs []job
	for _, comp := range comps {
		jobs = append(jobs, job{comp, clusterCost(comp, byCell), len(jobs)})
	}
	slices.SortStableFunc(jobs, func(a, b job) int { return cmp.Compare(a.cost, b.cost) })
	if c.budget <= 0 {
		c.budget = max(minLocateBudget, locateBudgetPerObs*int64(c.nObs))
	}
	if c.part != nil {
		// One partition of a spilled evaluation: the budget is the run's,
		// decided once every partition is localized (see partJobs).
		sorted := make([][]*instance, len(jobs))
		costs := make([]int, len(jobs))
		for k, j := range jobs {
			sorted[k], costs[k] = j.comp, j.cost
		}
		c.part.localize(c, sorted, costs, byCell)
		return
	}
	start := len(c.found)
	var of []int // the cluster of each finding added
	done := 0
	for _, j := range jobs {
		if c.work > c.budget || !c.localize(j.comp, byCell) {
			break
		}
		for len(of) < len(c.found)-start {
			of = append(of, j.order)
		}
		done++
	}
	// Findings at one cell sort by their sequence number: numbered as if
	// the clusters had been localized in their order.
	added := c.found[start:]
	idx := make([]int, len(added))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(of[a], of[b]) })
	seqs := make([]int, len(added))
	for rank, i := range idx {
		seqs[i] = added[0].seq + rank
	}
	for i := range added {
		added[i].seq = seqs[i]
	}
	for _, ins := range byCell {
		for _, in := range ins {
			in.figures = nil // the cache
		}
	}
	if done < len(jobs) {
		c.reportBudget(jobs[done].comp[0], done, len(jobs))
	}
}

// The budget of error localization, in units of about 4 ns: a rule
// instance evaluated costs workPerEval and a unit per figure summed, the
// slip candidates of a figure workPerSlips. The budget is
// locateBudgetPerObs per observation of the input (a clean 100k-row table
// takes about a second to check; localization gets about 1.6 s more at
// most), and at least minLocateBudget (0.8 s), so that small tables are
// always localized in full: the worst of the test suite's takes a fifth of
// it.
const (
	workPerEval        = 50
	workPerSlips       = 2000
	locateBudgetPerObs = 4000
	minLocateBudget    = 200_000_000
)

// disjointFailures counts failed instances of a cluster that share no
// cell, greedily, up to maxSuspects+1: each needs a cell of its own, so a
// cluster with more than maxSuspects of them cannot be explained by
// maxSuspects cells.
func disjointFailures(comp []*instance) int {
	var used map[int32]bool
	n := 0
	for _, in := range comp {
		cells := in.cells()
		if used != nil && slices.ContainsFunc(cells, func(m int32) bool { return used[m] }) {
			continue
		}
		if used == nil {
			used = map[int32]bool{}
		}
		for _, m := range cells {
			used[m] = true
		}
		if n++; n > maxSuspects {
			break
		}
	}
	return n
}

// clusterCost estimates what localizing a cluster costs: the figures of
// every rule instance reading each of its cells.
func clusterCost(comp []*instance, byCell map[int32][]*instance) int {
	seen := map[int32]bool{}
	cost := 0
	for _, in := range comp {
		for _, m := range in.cells() {
			if seen[m] {
				continue
			}
			seen[m] = true
			for _, t := range byCell[m] {
				cost++
				for _, ms := range t.members {
					cost += len(ms)
				}
			}
		}
	}
	return cost
}

// reportBudget adds the finding that localization stopped at its budget;
// first is a failed instance of the first cluster left.
func (c *checker) reportBudget(first *instance, done, total int) {
	o := c.obs(first.anchor)
	row, col := c.rowCol(first.anchor)
	c.found = append(c.found, found{row: row, col: col, rule: -1, seq: c.auditSeq(), f: budgetFinding(o.File, o.Sheet, done, total)})
}

// budgetFinding is the finding that localization stopped at its budget
// after done of total clusters, at the first cluster left, in file and
// sheet.
func budgetFinding(file, sheet string, done, total int) schemas.Finding {
	return schemas.Finding{
		Rule: schemas.RuleAuditLimit, Severity: schemas.SeverityWarning, File: file, Sheet: sheet,
		Message: fmt.Sprintf("Error localization stopped at its budget: it looked for the wrong cells of %d of the %d clusters of failed rules (the cheapest first); the findings of the other %d name no suspect. The budget grows with the size of the input; a delivery with this many errors is better checked at its source.",
			done, total, total-done),
	}
}

// touching finds every rule instance that reads a candidate cell, whether
// it holds or not, indexed by cell.
func (c *checker) touching(cand map[int32]bool, failed []*instance) map[int32][]*instance {
	type key struct {
		rule   int
		anchor int32
	}
	known := map[key]*instance{}
	files := map[uint32]bool{}
	for m := range cand {
		files[c.ctxOfRec(m).scope[0]] = true
	}
	for _, in := range failed {
		known[key{in.rule, in.anchor}] = in
	}
	byCell := map[int32][]*instance{}
	add := func(in *instance) {
		for _, m := range in.cells() {
			if cand[m] {
				byCell[m] = append(byCell[m], in)
			}
		}
	}
	for ri, r := range c.rs.Rules {
		declared := scopeNum(r.Scope)
		inFiles := func(i int32) bool { return declared == scopeRun || files[c.ctxOfRec(i).scope[0]] }
		if !c.plan.rules[ri].ops {
			// Its instances read their anchor alone.
			for w, word := range c.bits[ri] {
				for ; word != 0; word &= word - 1 {
					i := int32(w*64 + bits.TrailingZeros64(word))
					if !inFiles(i) {
						continue
					}
					if in := known[key{ri, i}]; in != nil {
						add(in)
					} else if cand[i] {
						add(&instance{rule: ri, anchor: i, found: -1})
					}
				}
			}
			continue
		}
		scope := c.effective(declared)
		b := c.binding(ri)
		al := &c.anchors[ri]
		for k, i := range al.ids {
			if !inFiles(i) {
				continue
			}
			if in := known[key{ri, i}]; in != nil {
				add(in)
				continue
			}
			if c.bindMembers(r, ri, scope, i, al.row(k, c.refScratch[ri]), b, false) != bindOK {
				continue
			}
			hit := cand[i]
			for _, ms := range b.members {
				for _, m := range ms {
					hit = hit || cand[m]
				}
			}
			if !hit {
				continue
			}
			in := &instance{rule: ri, anchor: i, members: make([][]int32, len(b.members)), found: -1}
			for j, ms := range b.members {
				in.members[j] = slices.Clone(ms)
			}
			add(in)
		}
	}
	return byCell
}

// clusters groups failed instances that share a cell.
func clusters(failed []*instance) [][]*instance {
	parent := make([]int, len(failed))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	owner := map[int32]int{}
	for i, in := range failed {
		for _, m := range in.cells() {
			if j, ok := owner[m]; ok {
				parent[find(i)] = find(j)
			} else {
				owner[m] = i
			}
		}
	}
	groups := map[int][]*instance{}
	var order []int
	for i, in := range failed {
		r := find(i)
		if _, ok := groups[r]; !ok {
			order = append(order, r)
		}
		groups[r] = append(groups[r], in)
	}
	out := make([][]*instance, 0, len(order))
	for _, r := range order {
		out = append(out, groups[r])
	}
	return out
}

// solution is one set of cells whose change explains a cluster.
type solution struct {
	fixes []fix
}

func (s solution) slips() int {
	n := 0
	for _, f := range s.fixes {
		if f.slip != "" {
			n++
		}
	}
	return n
}

func (s solution) has(m int32) bool {
	return slices.ContainsFunc(s.fixes, func(f fix) bool { return f.obs == m })
}

// localize finds the fewest cells that explain a cluster of failures and
// reports them.
//
// It reports false when it ran out of budget, having reported nothing.
func (c *checker) localize(comp []*instance, byCell map[int32][]*instance) bool {
	var sols []solution
	for k := 1; k <= maxSuspects && len(sols) == 0; k++ {
		sets, complete := hittingSets(comp, k)
		if !complete {
			return true
		}
		for _, set := range sets {
			c.lastCheck = c.work
			if c.work > c.budget {
				return false
			}
			if s, ok := c.solveSet(set, byCell); ok {
				sols = append(sols, s)
			}
		}
	}
	if len(sols) == 0 {
		return true
	}
	chosen := -1
	if len(sols) == 1 {
		chosen = 0
	} else {
		// A typing slip makes one explanation likelier than the others.
		best, n := 0, 0
		for _, s := range sols {
			switch v := s.slips(); {
			case v > best:
				best, n = v, 1
			case v == best:
				n++
			}
		}
		if best > 0 && n == 1 {
			chosen = slices.IndexFunc(sols, func(s solution) bool { return s.slips() == best })
		}
	}
	var alternatives []int32 // every cell of every explanation
	for _, s := range sols {
		for _, f := range s.fixes {
			if !slices.Contains(alternatives, f.obs) {
				alternatives = append(alternatives, f.obs)
			}
		}
	}
	if chosen >= 0 {
		for _, f := range sols[chosen].fixes {
			c.reportSuspect(f, comp, alternatives, len(sols) > 1)
		}
		return true
	}
	// Cells common to every explanation are suspects all the same; the
	// others are candidates.
	var sure []fix
	var candidates []int32
	for _, f := range sols[0].fixes {
		if !slices.ContainsFunc(sols[1:], func(s solution) bool { return !s.has(f.obs) }) {
			sure = append(sure, f)
		}
	}
	for _, m := range alternatives {
		if !slices.ContainsFunc(sure, func(f fix) bool { return f.obs == m }) {
			candidates = append(candidates, m)
		}
	}
	for _, f := range sure {
		c.reportSuspect(f, comp, nil, false)
	}
	c.reportCandidates(candidates, sols, comp)
	return true
}

// hittingSets returns the sets of k cells that each hit every instance of
// comp (and no smaller set does so in the same branch). complete is false
// when there were too many to try.
func hittingSets(comp []*instance, k int) (sets [][]int32, complete bool) {
	cells := make([][]int32, len(comp))
	for i, in := range comp {
		cells[i] = in.cells()
	}
	seen := map[string]bool{}
	var chosen []int32
	var walk func() bool
	walk = func() bool {
		// The unhit instance with the fewest cells branches least.
		next := -1
		for i, cs := range cells {
			if slices.ContainsFunc(cs, func(m int32) bool { return slices.Contains(chosen, m) }) {
				continue
			}
			if next < 0 || len(cs) < len(cells[next]) {
				next = i
			}
		}
		if next < 0 {
			if len(chosen) == k {
				set := slices.Clone(chosen)
				slices.Sort(set)
				var sb strings.Builder
				for _, m := range set {
					sb.WriteString(strconv.Itoa(int(m)) + ",")
				}
				if !seen[sb.String()] {
					seen[sb.String()] = true
					sets = append(sets, set)
				}
			}
			return len(sets) <= maxSets
		}
		if len(chosen) == k {
			return true
		}
		for _, m := range cells[next] {
			chosen = append(chosen, m)
			ok := walk()
			chosen = chosen[:len(chosen)-1]
			if !ok {
				return false
			}
		}
		return true
	}
	complete = walk()
	return sets, complete
}

// solveSet looks for values of the cells of set that make every rule
// reading them hold.
func (c *checker) solveSet(set []int32, byCell map[int32][]*instance) (solution, bool) {
	if len(set) == 1 {
		f, ok := c.solve(set[0], byCell[set[0]], nil)
		return solution{fixes: []fix{f}}, ok
	}
	// First each cell from the rules that read none of the others, then
	// every cell from all its rules with the others corrected, until the
	// values settle.
	var sub subst
	for _, m := range set {
		var own []*instance
		for _, in := range byCell[m] {
			if !slices.ContainsFunc(set, func(o int32) bool { return o != m && in.reads(o) }) {
				own = append(own, in)
			}
		}
		if len(own) == 0 {
			continue
		}
		f, ok := c.solve(m, own, sub)
		if !ok {
			return solution{}, false
		}
		sub = sub.with(m, f.value)
	}
	var fixes []fix
	for range 3 {
		fixes = fixes[:0]
		settled := true
		for _, m := range set {
			others := slices.DeleteFunc(slices.Clone(sub), func(cv cellValue) bool { return cv.obs == m })
			f, ok := c.solve(m, byCell[m], others)
			if !ok {
				settled = false
				break
			}
			if v, ok := sub.get(m); !ok || v != f.value {
				settled = settled && ok && inAny(f.pieces, v)
			}
			sub = sub.with(m, f.value)
			fixes = append(fixes, f)
		}
		if settled && len(fixes) == len(set) {
			break
		}
	}
	if len(fixes) != len(set) {
		return solution{}, false
	}
	for _, m := range set {
		for _, in := range byCell[m] {
			if !c.holds(in, sub) {
				return solution{}, false
			}
		}
	}
	return solution{fixes: fixes}, true
}

// explained returns the failed instances of comp that read m.
func explained(comp []*instance, m int32) []*instance {
	var out []*instance
	for _, in := range comp {
		if in.reads(m) {
			out = append(out, in)
		}
	}
	return out
}

// reportSuspect adds the suspect finding for f and marks the findings it
// explains. alternatives are the cells of other explanations when a slip
// decided between them.
func (c *checker) reportSuspect(f fix, comp []*instance, alternatives []int32, tieBroken bool) {
	o := c.obs(f.obs)
	ex := explained(comp, f.obs)
	sev := schemas.SeverityWarning
	cells := []string{o.Cell}
	for _, in := range ex {
		fd := &c.found[in.found].f
		if fd.Severity == schemas.SeverityError {
			sev = schemas.SeverityError
		}
		fd.SuspectCell = cellRef(c.obs(in.anchor), o)
		if f.has {
			fd.SuggestedValue = schemas.Float(f.value)
		}
		fd.Slip = f.slip
		for _, m := range in.cells() {
			if ref := cellRef(o, c.obs(m)); !slices.Contains(cells, ref) {
				cells = append(cells, ref)
			}
		}
	}
	var others []string
	if tieBroken {
		for _, m := range alternatives {
			if m != f.obs {
				others = append(others, cellRef(o, c.obs(m)))
			}
		}
	}
	fd := schemas.Finding{
		Rule: schemas.RuleSuspect, Severity: sev, File: o.File, Sheet: o.Sheet, Cells: cells,
		SuspectCell: o.Cell, Slip: f.slip,
		Actual: schemas.Float(o.Value),
	}
	if len(others) > 0 {
		fd.Candidates = append([]string{o.Cell}, others...)
	}
	if f.has {
		fd.SuggestedValue = schemas.Float(f.value)
		fd.Expected = schemas.Float(f.value)
		if f.pinned {
			fd.Tolerance = schemas.Float(round12(f.pieces[0].half()))
		}
	}
	fd.Message = c.suspectMessage(f, ex, others)
	row, col := c.rowCol(f.obs)
	c.found = append(c.found, found{row: row, col: col, rule: -1, seq: c.auditSeq(), f: fd})
}

// reportCandidates adds the finding for cells of which the rules cannot
// tell which is wrong.
func (c *checker) reportCandidates(cands []int32, sols []solution, comp []*instance) {
	if len(cands) == 0 {
		return
	}
	first := c.obs(cands[0])
	refs := make([]string, len(cands))
	for i, m := range cands {
		refs[i] = cellRef(first, c.obs(m))
	}
	var ex []*instance
	sev := schemas.SeverityWarning
	for _, in := range comp {
		if !slices.ContainsFunc(cands, in.reads) {
			continue
		}
		ex = append(ex, in)
		fd := &c.found[in.found].f
		if fd.Severity == schemas.SeverityError {
			sev = schemas.SeverityError
		}
		for _, m := range cands {
			if in.reads(m) {
				fd.Candidates = append(fd.Candidates, cellRef(c.obs(in.anchor), c.obs(m)))
			}
		}
	}
	var parts []string
	for _, m := range cands {
		o := c.obs(m)
		p := cellRef(first, o) + " (" + describe(o) + ", reads " + formatValue(o.Value, o.Decimals)
		for _, s := range sols {
			if i := slices.IndexFunc(s.fixes, func(f fix) bool { return f.obs == m }); i >= 0 && s.fixes[i].has {
				p += "; " + formatValue(s.fixes[i].value, o.Decimals) + " would fit"
				break
			}
		}
		parts = append(parts, p+")")
	}
	msg := "The rules cannot tell which of these figures is wrong: " + listOr(parts) +
		". Each alone explains " + ruleList(c, ex, first) + "."
	fd := schemas.Finding{
		Rule: schemas.RuleSuspect, Severity: sev, File: first.File, Sheet: first.Sheet,
		Cells: refs, Candidates: refs, Message: msg,
	}
	if len(sols) > 0 && len(sols[0].fixes) > 1 {
		fd.Message = "The rules cannot tell which figures are wrong; the candidates are " + listOr(parts) +
			". Together they explain " + ruleList(c, ex, first) + "."
	}
	row, col := c.rowCol(cands[0])
	c.found = append(c.found, found{row: row, col: col, rule: -1, seq: c.auditSeq(), f: fd})
}

func (c *checker) suspectMessage(f fix, ex []*instance, others []string) string {
	o := c.obs(f.obs)
	var sb strings.Builder
	sb.WriteString(describe(o) + " (" + o.Cell + ") reads " + formatValue(o.Value, o.Decimals))
	switch {
	case f.has && f.pinned:
		sb.WriteString(", but the rules agree it should be " + formatValue(f.value, o.Decimals))
	case f.has:
		sb.WriteString("; " + formatValue(f.value, o.Decimals) + " would fit")
	}
	sb.WriteString(": correcting it alone fixes " + ruleList(c, ex, o) + " and breaks no other rule")
	if f.slip != "" {
		sb.WriteString("; " + formatValue(o.Value, o.Decimals) + " for " + formatValue(f.value, o.Decimals) + " looks like " + slipPhrase(f.slip))
	}
	if !f.has {
		sb.WriteString("; the rules do not pin down its value")
	}
	if len(others) > 0 {
		sb.WriteString(" (" + listOr(others) + " could explain the same failures, without a typing slip)")
	}
	return sb.String()
}

// ruleList names the failed rules as "balance (C13), growth_consistency
// (D13, F13)", their anchors seen from o.
func ruleList(c *checker, ex []*instance, o *schemas.Observation) string {
	var ids []string
	at := map[string][]string{}
	for _, in := range ex {
		id := c.rs.Rules[in.rule].ID
		if _, ok := at[id]; !ok {
			ids = append(ids, id)
		}
		at[id] = append(at[id], cellRef(o, c.obs(in.anchor)))
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = id + " (" + strings.Join(at[id], ", ") + ")"
	}
	return listAnd(parts)
}

func listAnd(parts []string) string { return joinWord(parts, "and") }
func listOr(parts []string) string  { return joinWord(parts, "or") }

func joinWord(parts []string, word string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " " + word + " " + parts[len(parts)-1]
}

// slipPhrase puts a slip kind into a sentence: "two digits swapped".
func slipPhrase(kind string) string {
	switch kind {
	case schemas.SlipSwapped:
		return "two digits swapped"
	case schemas.SlipMistyped:
		return "a digit mistyped"
	case schemas.SlipDropped:
		return "a digit dropped"
	case schemas.SlipRepeated:
		return "a digit repeated"
	case schemas.SlipSign:
		return "a flipped sign"
	case schemas.SlipDecimal:
		return "a shifted decimal point"
	case schemas.SlipUnit:
		return "a unit 1000 times off (million for billion)"
	}
	return kind
}

// sortFound orders findings by file, sheet, cell and rule; the audit's
// findings come before the rules' at the same cell.
func sortFound(fs []found) {
	slices.SortStableFunc(fs, func(a, b found) int {
		return cmp.Or(
			cmp.Compare(a.f.File, b.f.File),
			cmp.Compare(a.f.Sheet, b.f.Sheet),
			cmp.Compare(a.row, b.row),
			cmp.Compare(a.col, b.col),
			cmp.Compare(a.rule, b.rule),
			cmp.Compare(a.seq, b.seq),
		)
	})
}
