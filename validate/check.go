package validate

import (
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

// checker is the state of one evaluation: the records of the figures the
// rules can reach, their indexes and a VM of its own.
type checker struct {
	rs      *RuleSet
	audit   bool // localize failures, look for scale slips
	collect bool // keep anchors without evaluating them (a Collector)
	active  bool // some rule to check, or the audit
	plan    plan
	nObs    int // observations seen
	// work counts what error localization has done (see locate), up to
	// budget.
	work, budget int64

	strs    strTable
	last    [nSlots]string // the last string of each slot and its number
	lastID  [nSlots]uint32
	ctxs    []ctxInfo
	ctxIDs  map[ctxKey]uint32
	lastCtx ctxCache
	// tableCur is the currency of the money figures of each table (file,
	// sheet, table) read so far: see currencyOf.
	tableCur map[[3]uint32]seenCurrency
	recs     recStore
	odd      map[int32]odd // records whose cell or decimals do not fit

	// Whether each file holds one table and the run one file (over the
	// kept records): see trackTable.
	tableOf          map[uint32][2]uint32
	multi            map[uint32]bool // files with several tables
	oneTable         bool
	oneFile          bool
	firstFile        uint32
	anyFile, tracked bool
	lastTrack        uint32
	trackGen         int // changes whenever the above do
	settledCache     settledCache

	index  [3]*keyTable // first record of each key, per scope
	narrow [3]int       // the narrowest scope that finds the same figures
	dup    [3][]uint64  // per scope built at Finish: records repeating an earlier key
	aggs   map[aggID]*aggIndex

	anchors       []anchorList // per rule: every anchor, with audit (for touching) or when collecting
	pending       []anchorList // per rule with operands: the anchors evaluated at Finish
	bits          [][]uint64   // per rule without operands, with audit: its anchors among the records
	anchorScratch []int
	stage         []staged
	sink          uint32 // where the touches of index slots go
	hashScratch   []uint32
	refLast       map[*field]*lastString
	slipCache     map[int32]slipSet
	refScratch    [][]uint32 // per rule: the referenced fields of the anchor being added

	machine vm.VM
	found   []found

	// part is set in a partition of a spilled evaluation (see spill.go);
	// lastCheck is the work done when localize last looked at the budget.
	part      *partition
	lastCheck int64
	// spill is the front end of an evaluator with a memory budget: replay
	// hands it the records of a collector.
	spill *spiller
	// bindings holds one binding per rule, reused for every anchor.
	bindings []*binding
}

// anchorList is anchors of one rule, in order, and the values of the
// fields its operands reference that are not key slots ($reporter_parent,
// $base_period), as interned strings: refs[j][k] is that of
// rulePlan.refFields[j] for anchor ids[k].
type anchorList struct {
	ids  []int32
	refs [][]uint32
}

func (al *anchorList) push(id int32, refs []uint32) {
	al.ids = append(al.ids, id)
	for j, v := range refs {
		al.refs[j] = append(al.refs[j], v)
	}
}

// row copies the referenced fields of the k-th anchor into dst.
func (al *anchorList) row(k int, dst []uint32) []uint32 {
	for j := range al.refs {
		dst[j] = al.refs[j][k]
	}
	return dst
}

type aggID struct{ scope, slot int }

// aggIndex groups the records of a scope by their key without one slot,
// for the "*" sums: each group is a list through next, in record order,
// without duplicate keys.
type aggIndex struct {
	groups *keyTable // by group: its first record
	head   []int32   // first and last record of each group
	tail   []int32
	next   []int32 // next record of the group, -1 at the end (by record)
}

// found is a finding with what it sorts by, and the rule instance that
// failed (nil for findings that are not a rule's).
type found struct {
	row, col int
	rule     int
	seq      int
	f        schemas.Finding
	inst     *instance
	// order is where an audit finding of a partition of a spilled
	// evaluation comes among the audit's findings (see auditOrder).
	order auditOrder
}

// instance is one rule applied at one anchor: the observations it read.
type instance struct {
	rule    int       // index in RuleSet.Rules
	anchor  int32     // the anchor observation
	members [][]int32 // per operand, the observations found
	found   int       // index of its finding in checker.found, or -1 when it holds
	figures *figures  // its figures as fill reads them, once error localization needs them
	// cellList caches cells(); callers do not modify it
	cellList []int32
}

// Check evaluates every rule over obs and returns findings in a
// deterministic order (by file, sheet, anchor cell row/col, rule order).
// It is an Evaluator fed obs in one batch. Safe for concurrent use.
func (rs *RuleSet) Check(obs []schemas.Observation) []schemas.Finding {
	if rs == nil || len(rs.Rules) == 0 || len(obs) == 0 {
		return nil
	}
	ev := rs.NewEvaluator(EvalOptions{})
	ev.Add(obs)
	return ev.Finish()
}

// finish evaluates the rules with operands over their anchors, rule by
// rule, in anchor order.
func (c *checker) finish() {
	c.narrow = [3]int{scopeTable, scopeFile, scopeRun}
	if c.oneTable {
		c.narrow[scopeFile] = scopeTable
	}
	if c.oneFile {
		c.narrow[scopeRun] = c.narrow[scopeFile]
	}
	for ri, r := range c.rs.Rules {
		if !c.plan.rules[ri].ops {
			continue
		}
		scope := c.effective(scopeNum(r.Scope))
		b := c.binding(ri)
		al := &c.pending[ri]
		refs := c.refScratch[ri]
		for start := 0; start < len(al.ids); start += stageSize {
			end := min(start+stageSize, len(al.ids))
			c.touchLookups(r, ri, scope, al, start, end)
			for k := start; k < end; k++ {
				i := al.ids[k]
				if c.bindMembers(r, ri, scope, i, al.row(k, refs), b, false) != bindOK {
					continue
				}
				c.fill(i, b, nil, false)
				c.eval(ri, r, i, b)
			}
		}
	}
}

// effective returns the scope whose index serves a rule of scope.
func (c *checker) effective(scope int) int { return c.narrow[scope] }

// scopeIndex returns the index of a scope, built over the records that
// operands may look up the first time it is needed (the table scope's is
// built as records arrive).
func (c *checker) scopeIndex(scope int) *keyTable {
	if t := c.index[scope]; t != nil {
		return t
	}
	n := 0
	for i := range int32(c.recs.len()) {
		if c.recs.at(i).flags&recIndex != 0 {
			n++
		}
	}
	t := newKeyTable(c, scope, -1, n)
	dup := make([]uint64, (c.recs.len()+63)/64)
	for i := range int32(c.recs.len()) {
		if c.recs.at(i).flags&recIndex == 0 {
			continue
		}
		if _, isNew := t.putFirst(i); !isNew {
			dup[i>>6] |= 1 << (i & 63)
		}
	}
	c.index[scope], c.dup[scope] = t, dup
	return t
}

// isDup reports whether record i is not in the index of scope: it repeats
// an earlier key, or no operand may look it up.
func (c *checker) isDup(scope int, i int32) bool {
	if c.recs.at(i).flags&recIndex == 0 {
		return true
	}
	if d := c.dup[scope]; d != nil {
		return d[i>>6]&(1<<(i&63)) != 0
	}
	return false
}

// agg returns the index of the "*" sums over slot.
func (c *checker) agg(scope, slot int) *aggIndex {
	id := aggID{scope, slot}
	if a := c.aggs[id]; a != nil {
		return a
	}
	c.scopeIndex(scope)
	a := &aggIndex{next: make([]int32, c.recs.len())}
	a.groups = newKeyTable(c, scope, slot, 0)
	a.groups.group, a.groups.heads = true, &a.head
	// Members of a group often come one after the other.
	var lastKey key
	lastG := int32(-1)
	for i := range int32(c.recs.len()) {
		a.next[i] = -1
		if c.isDup(scope, i) {
			continue
		}
		k := a.groups.derive(i)
		if lastG >= 0 && k == lastKey {
			a.next[a.tail[lastG]] = i
			a.tail[lastG] = i
			continue
		}
		g, isNew := a.groups.putGroupKey(i, int32(len(a.head)), &k)
		lastKey, lastG = k, g
		if isNew {
			a.head = append(a.head, i)
			a.tail = append(a.tail, i)
			continue
		}
		a.next[a.tail[g]] = i
		a.tail[g] = i
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

// lookupKey is the key operand op of rule ri looks up for anchor i in
// scope (with the "*" slot cleared); base is the anchor's key masked to
// the scope, refs the anchor's referenced fields (anchorList.row). It
// reports false when a with entry has no value for the anchor.
func (c *checker) lookupKey(op *operand, ri int, i int32, refs []uint32, base *key) (key, bool) {
	lk := *base
	for _, ov := range op.overrides {
		id, ok := c.overrideID(ov, ri, i, refs)
		if !ok {
			return lk, false
		}
		lk[ov.slot] = id
	}
	if op.star >= 0 {
		lk[op.star] = 0
	}
	return lk, true
}

// touchLookups reads the index slots the single-figure operands of the
// anchors al.ids[start:end] of rule ri will look up, so that their cache
// misses overlap instead of coming one by one when the anchors are bound.
func (c *checker) touchLookups(r *Rule, ri int, scope int, al *anchorList, start, end int) {
	t := c.scopeIndex(scope)
	hashes := c.hashScratch[:0]
	refs := c.refScratch[ri]
	for k := start; k < end; k++ {
		i := al.ids[k]
		base := mask(c.fullKey(i), scope)
		for _, op := range r.operands {
			if op.star >= 0 {
				continue
			}
			if lk, ok := c.lookupKey(op, ri, i, al.row(k, refs), &base); ok {
				hashes = append(hashes, hashKey(&lk))
			}
		}
	}
	var sink uint32
	for _, h := range hashes {
		sink += t.slots[h&t.mask].hash
	}
	c.sink += sink
	c.hashScratch = hashes
}

// Outcomes of bindMembers.
const (
	bindOK    = iota // every operand found: evaluate
	bindNo           // the rule does not apply to the anchor
	bindLater        // (early) an operand is not there yet
)

// bindMembers finds the operands of anchor i of rule ri in scope; refs are
// the anchor's referenced fields. The rule does not apply to the anchor
// when a figure is missing or has no value. Early, as the anchor arrives,
// a figure not there yet may still come: bindLater.
func (c *checker) bindMembers(r *Rule, ri int, scope int, i int32, refs []uint32, b *binding, early bool) int {
	base := mask(c.fullKey(i), scope)
	for j, op := range r.operands {
		b.members[j] = b.members[j][:0]
		lk, ok := c.lookupKey(op, ri, i, refs, &base)
		if !ok {
			return bindNo
		}
		if op.star < 0 {
			m, ok := c.scopeIndex(scope).get(&lk)
			switch {
			case !ok && early:
				return bindLater
			case !ok || c.recs.at(m).flags&recHas == 0:
				return bindNo
			}
			b.members[j] = append(b.members[j], m)
			continue
		}
		if early {
			return bindLater
		}
		own := base[op.star]
		a := c.agg(scope, op.star)
		g, ok := a.groups.get(&lk)
		if !ok {
			return bindNo
		}
		for m := a.head[g]; m >= 0; m = a.next[m] {
			if c.keyID(m, op.star) == own {
				continue
			}
			if c.recs.at(m).flags&recHas == 0 {
				return bindNo
			}
			b.members[j] = append(b.members[j], m)
		}
		if len(b.members[j]) == 0 {
			return bindNo
		}
	}
	if scope != scopeTable && !c.unitlessTogether(i, b) {
		return bindNo
	}
	return bindOK
}

// unitlessTogether reports whether the figures without a unit among
// anchor i and its members b.members all come from one table.
//
// A figure whose table states no unit (Unit "") has no currency
// (currencyOf), so it is never compared with a figure that has one, and
// it is compared as written, at scale 1, with other figures without a
// unit. That is safe within a table: its figures share the one unit the
// table does not state. Figures of two such tables may be in different
// unstated units (one in thousands, the other in millions), so a rule of
// scope file or run does not compare them: it does not apply.
func (c *checker) unitlessTogether(i int32, b *binding) bool {
	var table *[3]uint32
	check := func(m int32) bool {
		ci := &c.ctxs[c.recs.at(m).ctx]
		switch {
		case !ci.noUnit:
		case table == nil:
			table = &ci.scope
		case *table != ci.scope:
			return false
		}
		return true
	}
	if !check(i) {
		return false
	}
	for _, ms := range b.members {
		for _, m := range ms {
			if !check(m) {
				return false
			}
		}
	}
	return true
}

// overrideID is the value a with entry gives a key slot for anchor i of
// rule ri, whose referenced fields are refs.
func (c *checker) overrideID(ov override, ri int, i int32, refs []uint32) (uint32, bool) {
	switch {
	case ov.ref == nil:
		return c.plan.consts[ov.id], true
	case ov.ref.slot >= 0:
		id := c.keyID(i, ov.ref.slot)
		return id, id != 0
	}
	id := refs[slices.Index(c.plan.rules[ri].refFields, ov.ref)]
	return id, id != 0 // 0 is ""
}

// fill sets the values of the check's names from the anchor and the bound
// members. Figures listed in sub take the values given there instead of
// their published ones (the audit tries corrections this way); with point,
// every figure is its published value exactly, without rounding.
func (c *checker) fill(i int32, b *binding, sub subst, point bool) {
	// Money figures are compared in one scale: the anchor's, or that of
	// the first money operand when the anchor is a percentage. Operands
	// share the anchor's currency (a key field) unless the rule changes
	// it; then their figures are put on one scale all the same, and no
	// currency is converted.
	b.scale = c.num(i).scale
	for _, ms := range b.members {
		if b.scale > 0 {
			break
		}
		b.scale = c.num(ms[0]).scale
	}
	if sub == nil && !point {
		b.vals[0] = c.num(i).in(b.scale)
		for j, ms := range b.members {
			v := c.num(ms[0]).in(b.scale)
			for _, m := range ms[1:] {
				v = v.add(c.num(m).in(b.scale))
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
	n := c.num(i)
	if v, ok := sub.get(i); ok {
		n.value, n.has = v, true
	}
	if point {
		n.half = 0
	}
	return n
}

// num is what evaluation reads of a figure.
type num struct {
	value, half float64
	scale       float64 // the money scale, 0 for percentages
	has         bool
}

// halfUnits[d] is Observation.HalfUnit for d decimals, 0 <= d < 32.
var halfUnits = func() (h [32]float64) {
	for d := range h {
		h[d] = (&schemas.Observation{Decimals: d}).HalfUnit()
	}
	return h
}()

func (c *checker) num(i int32) num {
	r := c.recs.at(i)
	n := num{value: r.value, scale: c.ctxs[r.ctx].money, has: r.flags&recHas != 0}
	if d := r.dec; d >= 0 && d < int32(len(halfUnits)) && r.flags&recOdd == 0 {
		n.half = halfUnits[d]
	} else {
		n.half = (&schemas.Observation{Decimals: c.decimals(i)}).HalfUnit()
	}
	return n
}

func numOf(o *schemas.Observation) num {
	n := num{value: o.Value, half: o.HalfUnit(), has: o.HasValue}
	if schemas.IsMoney(o.Unit) && o.Scale > 0 {
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

// figure is the interval a published figure stands for, in scale.
func figure(o *schemas.Observation, scale float64) interval { return numOf(o).in(scale) }

// eval runs the atoms of the check for one bound anchor and records a
// finding for the first that fails; it reports whether one did.
func (c *checker) eval(ri int, r *Rule, i int32, b *binding) bool {
	for _, at := range r.prog.atoms {
		ok, left, right, err := c.atomHolds(at, b)
		switch {
		case err != nil:
			c.report(ri, r, i, b, at, nil, nil, err)
			return true
		case !ok && at.op == "":
			c.report(ri, r, i, b, at, nil, nil, nil)
			return true
		case !ok:
			c.report(ri, r, i, b, at, &left, &right, nil)
			return true
		}
	}
	return false
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
func (c *checker) report(ri int, r *Rule, i int32, b *binding, at *atom, left, right *interval, err error) {
	cell := c.cell(i)
	f := schemas.Finding{
		Rule:     r.ID,
		Severity: r.Severity,
		File:     c.file(i),
		Sheet:    c.sheet(i),
		Cells:    []string{cell},
	}
	for _, ms := range b.members {
		for _, m := range ms {
			if ref := c.cellRef(i, m); !slices.Contains(f.Cells, ref) {
				f.Cells = append(f.Cells, ref)
			}
		}
	}
	d := c.describer(r, i, b)
	switch {
	case err != nil:
		f.Message = fmt.Sprintf("%s (%s): check %s could not be evaluated: %v", c.describe(i), cell, r.Check, err)
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
	row, col := c.rowCol(i)
	inst := &instance{rule: ri, anchor: i, members: make([][]int32, len(b.members)), found: len(c.found)}
	for j, ms := range b.members {
		inst.members[j] = slices.Clone(ms)
	}
	// Findings of one rule sort by anchor, the order of the records.
	c.found = append(c.found, found{row: row, col: col, rule: ri, seq: int(i), f: f, inst: inst})
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
