package batchref

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/expr-lang/expr/vm"

	"github.com/tradeetl/tradeetl/schemas"
)

// key is the lookup key of an observation: interned strings for the scope
// slots (file, sheet, table) and the key fields. Slots outside a rule's
// scope are zero.
type key [nSlots]uint32

// noID marks a constant that no observation holds.
const noID = ^uint32(0)

const (
	scopeTable = iota
	scopeFile
	scopeRun
)

func scopeNum(s string) int {
	switch s {
	case ScopeFile:
		return scopeFile
	case ScopeRun:
		return scopeRun
	}
	return scopeTable
}

// mask clears the scope slots a scope ignores.
func mask(k key, scope int) key {
	switch scope {
	case scopeFile:
		k[slotSheet], k[slotTable] = 0, 0
	case scopeRun:
		k[slotFile], k[slotSheet], k[slotTable] = 0, 0, 0
	}
	return k
}

// checker is the state of one RuleSet.Check call: the observations, their
// keys, the indexes built for them and a VM of its own.
type checker struct {
	rs      *RuleSet
	obs     []schemas.Observation
	ids     map[string]uint32
	keys    []key
	nums    []num
	index   [3]*keyTable // first observation of each key, per scope
	narrow  [3]int       // the narrowest scope that finds the same figures
	dup     [3][]bool    // per scope, whether an observation repeats an earlier key
	aggs    map[aggID]*aggIndex
	consts  []uint32   // interned value of each constant override
	matchID [][]uint32 // interned values of each matcher of an interned field
	machine vm.VM
	found   []found
	// bindings holds one binding per rule, reused for every anchor.
	bindings []*binding
}

type aggID struct{ scope, slot int }

// aggIndex groups the observations of a scope by their key without one
// slot, for the "*" sums.
type aggIndex struct {
	groups  *keyTable // representative observation of each group
	group   []int32   // group of each observation, -1 for duplicates
	start   []int32
	members []int32
}

// found is a finding with what it sorts by, and the rule instance that
// failed (nil for findings that are not a rule's).
type found struct {
	row, col int
	rule     int
	seq      int
	f        schemas.Finding
	inst     *instance
}

// instance is one rule applied at one anchor: the observations it read.
type instance struct {
	rule    int       // index in RuleSet.Rules
	anchor  int32     // the anchor observation
	members [][]int32 // per operand, the observations found
	found   int       // index of its finding in checker.found, or -1 when it holds
}

// Check evaluates every rule over obs and returns findings in a
// deterministic order (by file, sheet, anchor cell row/col, rule order).
// Safe for concurrent use.
func (rs *RuleSet) Check(obs []schemas.Observation) []schemas.Finding {
	if rs == nil || len(rs.Rules) == 0 || len(obs) == 0 {
		return nil
	}
	return rs.evaluate(obs).findings()
}

// evaluate runs every rule over obs.
func (rs *RuleSet) evaluate(obs []schemas.Observation) *checker {
	c := &checker{rs: rs, obs: obs}
	if rs == nil {
		c.rs = &RuleSet{}
	}
	c.intern()
	c.bindings = make([]*binding, len(c.rs.Rules))
	for ri, r := range c.rs.Rules {
		c.rule(ri, r)
	}
	return c
}

// findings returns the findings in a deterministic order (by file, sheet,
// anchor cell row/col, rule order).
func (c *checker) findings() []schemas.Finding {
	slices.SortStableFunc(c.found, func(a, b found) int {
		return cmp.Or(
			cmp.Compare(a.f.File, b.f.File),
			cmp.Compare(a.f.Sheet, b.f.Sheet),
			cmp.Compare(a.row, b.row),
			cmp.Compare(a.col, b.col),
			cmp.Compare(a.rule, b.rule),
			cmp.Compare(a.seq, b.seq),
		)
	})
	out := make([]schemas.Finding, len(c.found))
	for i := range c.found {
		out[i] = c.found[i].f
	}
	return out
}

// intern numbers every string of the key slots (0 is ""), packs the values,
// finds which scopes coincide, and resolves the constant values of the
// rules' match and with entries.
func (c *checker) intern() {
	c.ids = map[string]uint32{"": 0}
	// Neighbouring observations share most strings: remember the last
	// string of each slot to skip most map lookups.
	var last [nSlots]string
	var lastID [nSlots]uint32
	id := func(slot int, s string) uint32 {
		if s == last[slot] {
			return lastID[slot]
		}
		n, ok := c.ids[s]
		if !ok {
			n = uint32(len(c.ids))
			c.ids[s] = n
		}
		last[slot], lastID[slot] = s, n
		return n
	}
	c.keys = make([]key, len(c.obs))
	c.nums = make([]num, len(c.obs))
	// A file scope finds the same figures as the table scope when every
	// file has one table, and a run scope the same as the file scope when
	// there is one file; the narrower index then serves both.
	tableOf := map[uint32][2]uint32{}
	oneTable, oneFile := true, true
	for i := range c.obs {
		o := &c.obs[i]
		c.nums[i] = numOf(o)
		c.keys[i] = key{id(slotFile, o.File), id(slotSheet, o.Sheet), id(slotTable, o.Table),
			id(slotFirstKey, o.Reporter), id(slotFirstKey+1, o.Partner), id(slotFirstKey+2, o.Flow),
			id(slotFirstKey+3, o.Product), id(slotFirstKey+4, o.Measure), id(slotFirstKey+5, o.Period)}
		k := &c.keys[i]
		if i > 0 && k[slotFile] == c.keys[i-1][slotFile] && k[slotSheet] == c.keys[i-1][slotSheet] && k[slotTable] == c.keys[i-1][slotTable] {
			continue
		}
		oneFile = oneFile && k[slotFile] == c.keys[0][slotFile]
		if t, ok := tableOf[k[slotFile]]; !ok {
			tableOf[k[slotFile]] = [2]uint32{k[slotSheet], k[slotTable]}
		} else if t != [2]uint32{k[slotSheet], k[slotTable]} {
			oneTable = false
		}
	}
	c.narrow = [3]int{scopeTable, scopeFile, scopeRun}
	if oneTable {
		c.narrow[scopeFile] = scopeTable
	}
	if oneFile {
		c.narrow[scopeRun] = c.narrow[scopeFile]
	}

	c.consts = make([]uint32, c.rs.nOverrides)
	c.matchID = make([][]uint32, c.rs.nMatchers)
	for _, r := range c.rs.Rules {
		for _, m := range r.match {
			if m.f.interned < 0 {
				continue
			}
			for _, s := range m.strs {
				if n, ok := c.ids[s]; ok {
					c.matchID[m.id] = append(c.matchID[m.id], n)
				}
			}
		}
		for _, op := range r.operands {
			for _, ov := range op.overrides {
				if ov.ref != nil {
					continue
				}
				if n, ok := c.ids[ov.value]; ok {
					c.consts[ov.id] = n
				} else {
					c.consts[ov.id] = noID
				}
			}
		}
	}
}

// effective returns the scope whose index serves a rule of scope.
func (c *checker) effective(scope int) int { return c.narrow[scope] }

func (c *checker) scopeIndex(scope int) *keyTable {
	if t := c.index[scope]; t != nil {
		return t
	}
	t := newKeyTable(c.keys, scope, -1, len(c.keys))
	dup := make([]bool, len(c.keys))
	for i := range c.keys {
		_, isNew := t.putFirst(int32(i))
		dup[i] = !isNew
	}
	c.index[scope], c.dup[scope] = t, dup
	return t
}

// agg returns the index of the "*" sums over slot: members[start[g]:
// start[g+1]] is group g, in observation order, without duplicate keys.
func (c *checker) agg(scope, slot int) *aggIndex {
	id := aggID{scope, slot}
	if a := c.aggs[id]; a != nil {
		return a
	}
	c.scopeIndex(scope)
	dup := c.dup[scope]
	a := &aggIndex{groups: newKeyTable(c.keys, scope, slot, len(c.keys)), group: make([]int32, len(c.keys))}
	var count []int32
	for i := range c.keys {
		if dup[i] {
			a.group[i] = -1
			continue
		}
		rep, isNew := a.groups.putFirst(int32(i))
		g := int32(len(count))
		if isNew {
			count = append(count, 0)
		} else {
			g = a.group[rep]
		}
		a.group[i] = g
		count[g]++
	}
	a.start = make([]int32, len(count)+1)
	for g, n := range count {
		a.start[g+1] = a.start[g] + n
	}
	a.members = make([]int32, a.start[len(count)])
	next := slices.Clone(a.start[:len(count)])
	for i, g := range a.group {
		if g >= 0 {
			a.members[next[g]] = int32(i)
			next[g]++
		}
	}
	if c.aggs == nil {
		c.aggs = map[aggID]*aggIndex{}
	}
	c.aggs[id] = a
	return a
}

// binding is what one rule evaluation has bound: the values of the check's
// names and the observations behind each operand.
type binding struct {
	vals    []interval
	env     map[string]any
	members [][]int32 // per operand, the observations found
	scale   float64   // the money scale values are expressed in
}

// binding returns the reusable binding of rule ri.
func (c *checker) binding(ri int) *binding {
	if b := c.bindings[ri]; b != nil {
		return b
	}
	r := c.rs.Rules[ri]
	b := &binding{
		vals:    make([]interval, len(r.names)),
		env:     make(map[string]any, len(r.names)),
		members: make([][]int32, len(r.operands)),
	}
	for i, n := range r.names {
		b.env[n] = &b.vals[i]
	}
	c.bindings[ri] = b
	return b
}

func (c *checker) rule(ri int, r *Rule) {
	scope := c.effective(scopeNum(r.Scope))
	b := c.binding(ri)
	for i := range c.obs {
		// The match on interned keys is the cheapest test, where the
		// dearest.
		if !c.matches(r, i) || !c.nums[i].has || !c.bind(r, scope, i, b) || !c.where(r, &c.obs[i]) {
			continue
		}
		c.eval(ri, r, i, b)
	}
}

func (c *checker) matches(r *Rule, i int) bool {
	for j := range r.match {
		m := &r.match[j]
		if m.f.interned >= 0 {
			if !slices.Contains(c.matchID[m.id], c.keys[i][m.f.interned]) {
				return false
			}
		} else if !m.ok(&c.obs[i]) {
			return false
		}
	}
	return true
}

// where evaluates the rule's where condition for an anchor.
func (c *checker) where(r *Rule, o *schemas.Observation) bool {
	if r.where != nil {
		out, err := c.machine.Run(r.where, o)
		if err != nil || out != true {
			return false
		}
	}
	return true
}

// bind finds the operands of anchor i and sets the values of the check's
// names. It reports false when the rule does not apply to the anchor.
func (c *checker) bind(r *Rule, scope int, i int, b *binding) bool {
	if !c.bindMembers(r, scope, i, b) {
		return false
	}
	c.fill(int32(i), b, nil, false)
	return true
}

// bindMembers finds the operands of anchor i.
func (c *checker) bindMembers(r *Rule, scope int, i int, b *binding) bool {
	anchor := &c.obs[i]
	for j, op := range r.operands {
		b.members[j] = b.members[j][:0]
		k := mask(c.keys[i], scope)
		for _, ov := range op.overrides {
			id, ok := c.overrideID(ov, i, anchor)
			if !ok {
				return false
			}
			k[ov.slot] = id
		}
		if op.star < 0 {
			m, ok := c.scopeIndex(scope).get(&k)
			if !ok || !c.nums[m].has {
				return false
			}
			b.members[j] = append(b.members[j], m)
			continue
		}
		own := c.keys[i][op.star]
		k[op.star] = 0
		a := c.agg(scope, op.star)
		rep, ok := a.groups.get(&k)
		if !ok {
			return false
		}
		g := a.group[rep]
		for _, m := range a.members[a.start[g]:a.start[g+1]] {
			if c.keys[m][op.star] == own {
				continue
			}
			if !c.nums[m].has {
				return false
			}
			b.members[j] = append(b.members[j], m)
		}
		if len(b.members[j]) == 0 {
			return false
		}
	}
	return true
}

// fill sets the values of the check's names from the anchor and the bound
// members. Figures listed in sub take the values given there instead of
// their published ones (the audit tries corrections this way); with point,
// every figure is its published value exactly, without rounding.
func (c *checker) fill(i int32, b *binding, sub subst, point bool) {
	// Money figures are compared in one scale: the anchor's, or that of
	// the first money operand when the anchor is a percentage.
	b.scale = c.nums[i].scale
	for _, ms := range b.members {
		if b.scale > 0 {
			break
		}
		b.scale = c.nums[ms[0]].scale
	}
	if sub == nil && !point {
		b.vals[0] = c.nums[i].in(b.scale)
		for j, ms := range b.members {
			v := c.nums[ms[0]].in(b.scale)
			for _, m := range ms[1:] {
				v = v.add(c.nums[m].in(b.scale))
			}
			b.vals[j+1] = v
		}
		return
	}
	b.vals[0] = c.numAt(i, sub, point).in(b.scale)
	for j, ms := range b.members {
		v := c.numAt(ms[0], sub, point).in(b.scale)
		for _, m := range ms[1:] {
			v = v.add(c.numAt(m, sub, point).in(b.scale))
		}
		b.vals[j+1] = v
	}
}

// numAt is figure i as fill sees it.
func (c *checker) numAt(i int32, sub subst, point bool) num {
	n := c.nums[i]
	if v, ok := sub.get(i); ok {
		n.value, n.has = v, true
	}
	if point {
		n.half = 0
	}
	return n
}

func (c *checker) overrideID(ov override, i int, anchor *schemas.Observation) (uint32, bool) {
	if ov.ref == nil {
		id := c.consts[ov.id]
		return id, id != noID
	}
	if ov.ref.slot >= 0 {
		id := c.keys[i][ov.ref.slot]
		return id, id != 0
	}
	s := ov.ref.text(anchor)
	if s == "" {
		return 0, false
	}
	id, ok := c.ids[s]
	return id, ok
}

// num is what evaluation reads of an observation, packed for cache
// locality: a million observations are read many times over.
type num struct {
	value, half float64
	scale       float64 // the money scale, 0 for percentages
	has         bool
}

func numOf(o *schemas.Observation) num {
	n := num{value: o.Value, half: o.HalfUnit(), has: o.HasValue}
	if o.Unit == schemas.UnitEUR && o.Scale > 0 {
		n.scale = o.Scale
	}
	return n
}

// factor converts a money figure into scale; other figures stay as they
// are.
func (n num) factor(scale float64) float64 {
	if n.scale == 0 || scale <= 0 || n.scale == scale {
		return 1
	}
	return n.scale / scale
}

// in is the interval the figure stands for, in scale.
func (n num) in(scale float64) interval {
	f := n.factor(scale)
	return around(n.value*f, n.half*f)
}

func factor(o *schemas.Observation, scale float64) float64 { return numOf(o).factor(scale) }

// eval runs the atoms of the check for one bound anchor and records a
// finding for the first that fails.
func (c *checker) eval(ri int, r *Rule, i int, b *binding) {
	for _, at := range r.prog.atoms {
		ok, left, right, err := c.atomHolds(at, b)
		switch {
		case err != nil:
			c.report(ri, r, i, b, at, nil, nil, err)
			return
		case !ok && at.op == "":
			c.report(ri, r, i, b, at, nil, nil, nil)
			return
		case !ok:
			c.report(ri, r, i, b, at, &left, &right, nil)
			return
		}
	}
}

// atomHolds evaluates one atom over the bound values; for a comparison it
// also returns both sides.
func (c *checker) atomHolds(at *atom, b *binding) (ok bool, left, right interval, err error) {
	if at.op == "" {
		out, err := c.machine.Run(at.prog, b.env)
		return err == nil && out == true, left, right, err
	}
	if left, err = c.side(at.left, b); err != nil {
		return false, left, right, err
	}
	if right, err = c.side(at.right, b); err != nil {
		return false, left, right, err
	}
	return compare(at.op, left, right), left, right, nil
}

func (c *checker) side(s *side, b *binding) (v interval, err error) {
	switch {
	case s.slot >= 0:
		return b.vals[s.slot], nil
	case s.isConst:
		return s.konst, nil
	}
	out, err := c.machine.Run(s.prog, b.env)
	if err != nil {
		return interval{}, err
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	return asInterval(out), nil
}

// report records a finding for a failed atom.
func (c *checker) report(ri int, r *Rule, i int, b *binding, at *atom, left, right *interval, err error) {
	anchor := &c.obs[i]
	f := schemas.Finding{
		Rule:     r.ID,
		Severity: r.Severity,
		File:     anchor.File,
		Sheet:    anchor.Sheet,
		Cells:    []string{anchor.Cell},
	}
	for _, ms := range b.members {
		for _, m := range ms {
			if ref := cellRef(anchor, &c.obs[m]); !slices.Contains(f.Cells, ref) {
				f.Cells = append(f.Cells, ref)
			}
		}
	}
	d := c.describer(r, i, b)
	switch {
	case err != nil:
		f.Message = fmt.Sprintf("%s (%s): check %s could not be evaluated: %v", anchor.Describe(), anchor.Cell, r.Check, err)
	case left != nil:
		if left.finite() && right.finite() {
			f.Actual = schemas.Float(round12(left.mid()))
			f.Expected = schemas.Float(round12(right.mid()))
			f.Tolerance = schemas.Float(round12(left.half() + right.half()))
		}
		f.Message = d.comparison(at, *left, *right)
	default:
		f.Message = d.condition(at)
	}
	row, col := parseA1(anchor.Cell)
	inst := &instance{rule: ri, anchor: int32(i), members: make([][]int32, len(b.members)), found: len(c.found)}
	for j, ms := range b.members {
		inst.members[j] = slices.Clone(ms)
	}
	c.found = append(c.found, found{row: row, col: col, rule: ri, seq: len(c.found), f: f, inst: inst})
}

// cellRef names the cell of o as seen from the anchor's sheet: "C9", or
// "Sheet2!C9" on another sheet, or "[other.xlsx]Sheet1!C9" in another file.
func cellRef(anchor, o *schemas.Observation) string {
	switch {
	case o.File != anchor.File:
		return "[" + o.File + "]" + o.Ref()
	case o.Sheet != anchor.Sheet:
		return o.Ref()
	}
	return o.Cell
}

// round12 drops the float noise of interval arithmetic (5.1299999999 →
// 5.13) by keeping 12 significant digits.
func round12(x float64) float64 {
	if x == 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return x
	}
	p := math.Pow(10, 11-math.Floor(math.Log10(math.Abs(x))))
	if math.IsInf(p, 0) || math.IsInf(x*p, 0) {
		return x
	}
	return math.Round(x*p) / p
}

// parseA1 reads "B7" as row 7, column 2; anything else is row 0, col 0.
func parseA1(cell string) (row, col int) {
	i := 0
	for ; i < len(cell); i++ {
		ch := cell[i] | 0x20
		if ch < 'a' || ch > 'z' {
			break
		}
		col = col*26 + int(ch-'a'+1)
	}
	if i == 0 || i == len(cell) {
		return 0, 0
	}
	for ; i < len(cell); i++ {
		if cell[i] < '0' || cell[i] > '9' {
			return 0, 0
		}
		row = row*10 + int(cell[i]-'0')
	}
	return row, col
}
