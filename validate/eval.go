package validate

import (
	"context"
	"fmt"
	"math/bits"
	"slices"
	"strings"

	"github.com/tradeetl/tradeetl/schemas"
)

// Evaluator checks the rules of a RuleSet over observations that arrive in
// batches, as a long table streams through the pipeline:
//
//	ev := rs.NewEvaluator(validate.EvalOptions{Audit: true})
//	for batch := range batches {
//		ev.Add(batch)
//	}
//	findings := ev.Finish()
//
// The findings are those [RuleSet.Check] (or, with Audit, [RuleSet.Audit])
// returns for all the observations at once, in the same order.
//
// An evaluator keeps no observation. Of each figure a rule can reach — an
// anchor of a rule, a figure an operand may look up, with Audit a figure of
// a series checked for scale slips — it keeps a compact record (48 bytes:
// key fields as interned strings, value, decimals, cell, and an interned
// context of file, sheet, table, unit, currency, scale and period), and a
// slot in a hash index of keys. Figures no rule can reach cost nothing beyond the
// scan. Rules without operands (share_range, non_negative) are decided as
// their anchors arrive; the others at Finish, when every figure they may
// look up is known, and so are the sums ("*") and the audit.
//
// An Evaluator is not safe for concurrent use; the RuleSet is, so each
// goroutine makes its own.
type Evaluator struct {
	c        *checker
	s        *spiller // with a memory budget
	finished bool
}

// EvalOptions say what an Evaluator reports.
type EvalOptions struct {
	// Audit localizes the failures (suspect cells, suggested values,
	// typing slips) and looks for scale slips, as RuleSet.Audit.
	Audit bool
	// LocateBudget bounds the work of error localization, in units of
	// about 4 ns; 0 means the default, which grows with the number of
	// observations (see schemas.RuleAuditLimit).
	LocateBudget int64
	// RuleMemory bounds the memory of the rule state, in bytes: past it
	// the records of the figures the rules can reach go to a temporary
	// file, in partitions that Finish evaluates one by one (see spill.go:
	// the partitions follow the key fields the rules' operands keep). The
	// findings are the same. 0 keeps the rule state in memory.
	RuleMemory int64
	// TempDir is where the temporary file goes; "" is os.TempDir.
	TempDir string
}

// NewEvaluator returns an evaluator of the rules of rs. A nil rule set is
// allowed: with Audit it still looks for scale slips.
func (rs *RuleSet) NewEvaluator(opts EvalOptions) *Evaluator {
	c := newChecker(rs, opts.Audit, false)
	c.budget = opts.LocateBudget
	e := &Evaluator{c: c}
	if opts.RuleMemory > 0 {
		e.s = newSpiller(c, opts.RuleMemory, opts.TempDir)
		c.spill = e.s
	}
	return e
}

// Add feeds a batch of observations, in their order. Add keeps nothing of
// the slice: the caller may reuse it once Add returns.
func (e *Evaluator) Add(obs []schemas.Observation) {
	if e.finished {
		panic("validate: Evaluator.Add after Finish")
	}
	c := e.c
	switch {
	case !c.active:
		c.nObs += len(obs)
	case e.s != nil:
		e.s.addAll(obs)
	default:
		c.addAll(obs)
	}
}

// AddCollected feeds the observations a Collector of the same rule set
// kept, as if they were added here in their order. The collector is
// emptied.
func (e *Evaluator) AddCollected(col *Collector) {
	if e.finished {
		panic("validate: Evaluator.AddCollected after Finish")
	}
	if col == nil {
		return
	}
	e.c.replay(col.c)
	col.c = newChecker(col.c.rs, false, true)
}

// Finish evaluates what is left and returns every finding, in a
// deterministic order (by file, sheet, anchor cell row and column, rule
// order; with Audit, the audit's findings before the rules' at the same
// cell). The evaluator is spent.
//
// With a memory budget, reading back the temporary file may fail: Finish
// then returns one error finding of rule RuleRecord that says so, and
// FinishContext returns the error.
func (e *Evaluator) Finish() []schemas.Finding {
	fs, err := e.FinishContext(context.Background())
	if err != nil {
		return []schemas.Finding{{Rule: schemas.RuleRecord, Severity: schemas.SeverityError,
			Message: "the consistency rules could not be checked: " + err.Error()}}
	}
	return fs
}

// FinishContext is Finish, stopped when ctx is done; an error leaves no
// temporary file behind.
func (e *Evaluator) FinishContext(ctx context.Context) ([]schemas.Finding, error) {
	if e.finished {
		panic("validate: Evaluator.Finish called twice")
	}
	e.finished = true
	c := e.c
	if c.nObs == 0 || !c.active {
		return nil, e.Close()
	}
	var fs []found
	if e.s != nil {
		var err error
		if fs, err = e.s.finish(ctx); err != nil {
			return nil, fmt.Errorf("validate: %w", err)
		}
	} else {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c.finish()
		if c.audit {
			c.locate()
			c.scaleSlips()
		}
		fs = c.found
	}
	sortFound(fs)
	out := make([]schemas.Finding, len(fs))
	for i := range fs {
		out[i] = fs[i].f
	}
	return out, nil
}

// Close releases the temporary file of an evaluator with a memory budget
// that will not be finished. Finish closes it too; closing twice is
// harmless.
func (e *Evaluator) Close() error {
	if e.s == nil {
		return nil
	}
	return e.s.close()
}

// SpillStats says what an evaluator with a memory budget did; it is
// complete once Finish returns.
func (e *Evaluator) SpillStats() SpillStats {
	if e.s == nil {
		return SpillStats{}
	}
	return e.s.stats
}

// Collector keeps the observations a rule set can reach, as compact
// records, to be checked later with those of other inputs
// ([Evaluator.AddCollected]). The pipeline collects each input's figures
// for the rules of scope run while it reads the input, and checks them
// once it knows which inputs are published.
type Collector struct {
	c *checker
}

// NewCollector returns an empty collector for the rules of rs.
func (rs *RuleSet) NewCollector() *Collector {
	return &Collector{c: newChecker(rs, false, true)}
}

// Add keeps what the rules can reach of a batch. The caller may reuse the
// slice once Add returns.
func (col *Collector) Add(obs []schemas.Observation) {
	c := col.c
	if !c.active {
		c.nObs += len(obs)
		return
	}
	c.addAll(obs)
}

// Len is the number of records the collector keeps.
func (col *Collector) Len() int { return col.c.recs.len() }

// rulePlan is what an evaluator derives from one rule.
type rulePlan struct {
	ops       bool        // the rule has operands: evaluated once they are known
	early     bool        // no "*" operand: an anchor whose figures are in may be evaluated as it arrives
	simple    bool        // no operands, and every atom compares the anchor's value with a number
	scope     int         // the declared scope
	interned  []idMatcher // match entries on interned fields
	rest      []*matcher  // match entries on other fields
	refFields []*field    // fields of the anchor that operands reference ($field) and are not key slots
}

type idMatcher struct {
	slot int
	ids  []uint32
}

// plan is what an evaluator derives from its rule set: which rules an
// observation may anchor, which observations an operand may look up.
type plan struct {
	rules []rulePlan

	// With at most 64 rules, the match entries on interned fields are
	// tested at once: bit r of matchDense[slot][id] (or matchAny[slot] for
	// ids no rule names) is set when rule r accepts id in slot.
	bitRules   bool
	allRules   uint64
	matchSlots []int
	matchAny   [nSlots]uint64
	matchDense [nSlots][]uint64

	// Targets: an observation is in the indexes when some operand may
	// look it up. Operand f accepts a key when bit f of tDense[k][id] (or
	// tAny[k]) is set for every key field k: the constants of its with
	// entry, and the anchor's match on the fields it keeps.
	noTarget  bool // no rule has operands
	anyTarget bool // too many operands to tell: every observation is a target
	tSlots    []int
	tAny      [nKeys]uint64
	tDense    [nKeys][]uint64

	consts []uint32 // interned value of each constant override

	// Strings the scale slips compare.
	level, exports, imports, total, reexports, reimports uint32
}

// newChecker prepares the state of one evaluation. collect keeps anchors
// without evaluating them (a Collector).
func newChecker(rs *RuleSet, audit, collect bool) *checker {
	c := &checker{rs: rs, audit: audit, collect: collect, strs: newStrTable(), ctxIDs: map[ctxKey]uint32{}}
	if rs == nil {
		c.rs = &RuleSet{}
	}
	c.active = len(c.rs.Rules) > 0 || audit
	c.plan = newPlan(c.rs, &c.strs)
	n := len(c.rs.Rules)
	c.bindings = make([]*binding, n)
	c.anchors = make([]anchorList, n)
	c.pending = make([]anchorList, n)
	c.refScratch = make([][]uint32, n)
	for ri := range c.rs.Rules {
		nr := len(c.plan.rules[ri].refFields)
		c.anchors[ri].refs = make([][]uint32, nr)
		c.pending[ri].refs = make([][]uint32, nr)
		c.refScratch[ri] = make([]uint32, nr)
	}
	if audit {
		c.bits = make([][]uint64, n)
	}
	c.index[scopeTable] = newKeyTable(c, scopeTable, -1, 0)
	c.tableOf = map[uint32][2]uint32{}
	c.multi = map[uint32]bool{}
	c.oneTable, c.oneFile = true, true
	return c
}

func newPlan(rs *RuleSet, strs *strTable) plan {
	p := plan{rules: make([]rulePlan, len(rs.Rules)), consts: make([]uint32, rs.nOverrides)}
	p.level = strs.intern(schemas.MeasureLevel)
	p.exports = strs.intern(schemas.FlowExports)
	p.imports = strs.intern(schemas.FlowImports)
	p.total = strs.intern(schemas.FlowTotal)
	p.reexports = strs.intern(schemas.FlowReexports)
	p.reimports = strs.intern(schemas.FlowReimports)
	for ri, r := range rs.Rules {
		rp := &p.rules[ri]
		rp.ops = len(r.operands) > 0
		rp.early = rp.ops && !slices.ContainsFunc(r.operands, func(op *operand) bool { return op.star >= 0 })
		rp.scope = scopeNum(r.Scope)
		rp.simple = !rp.ops && !slices.ContainsFunc(r.prog.atoms, func(at *atom) bool {
			simpleSide := func(s *side) bool { return s.slot == 0 || s.isConst }
			return at.op == "" || !simpleSide(at.left) || !simpleSide(at.right)
		})
		for j := range r.match {
			m := &r.match[j]
			if m.f.interned < 0 {
				rp.rest = append(rp.rest, m)
				continue
			}
			im := idMatcher{slot: m.f.interned}
			for _, s := range m.strs {
				im.ids = append(im.ids, strs.intern(s))
			}
			rp.interned = append(rp.interned, im)
		}
		for _, op := range r.operands {
			for _, ov := range op.overrides {
				switch {
				case ov.ref == nil:
					p.consts[ov.id] = strs.intern(ov.value)
				case ov.ref.slot < 0 && !slices.Contains(rp.refFields, ov.ref):
					rp.refFields = append(rp.refFields, ov.ref)
				}
			}
		}
	}
	nIDs := len(strs.strs)

	// The anchor prefilter.
	if len(rs.Rules) <= 64 {
		p.bitRules = true
		all := uint64(1)<<len(rs.Rules) - 1
		if len(rs.Rules) == 64 {
			all = ^uint64(0)
		}
		p.allRules = all
		for s := range nSlots {
			p.matchAny[s] = all
		}
		for ri := range rs.Rules {
			for _, im := range p.rules[ri].interned {
				s := im.slot
				if p.matchDense[s] == nil {
					p.matchSlots = append(p.matchSlots, s)
					p.matchDense[s] = make([]uint64, nIDs)
				}
				p.matchAny[s] &^= 1 << ri
			}
		}
		for _, s := range p.matchSlots {
			for id := range p.matchDense[s] {
				p.matchDense[s][id] = p.matchAny[s]
			}
		}
		for ri := range rs.Rules {
			for _, im := range p.rules[ri].interned {
				for _, id := range im.ids {
					p.matchDense[im.slot][id] |= 1 << ri
				}
			}
		}
		// A rule with two entries on one field (not possible from YAML)
		// would need both; keep to what the per-rule test does.
		for ri := range rs.Rules {
			seen := map[int]bool{}
			for _, im := range p.rules[ri].interned {
				if seen[im.slot] {
					p.bitRules = false
				}
				seen[im.slot] = true
			}
		}
	}

	// The target filters, one per operand.
	type filter struct {
		allowed [nKeys][]uint32 // nil: any value
	}
	var filters []filter
	for ri, r := range rs.Rules {
		for _, op := range r.operands {
			var f filter
			for k := range nKeys {
				slot := slotFirstKey + k
				switch i := slices.IndexFunc(op.overrides, func(ov override) bool { return ov.slot == slot }); {
				case op.star == slot:
				case i >= 0 && op.overrides[i].ref == nil:
					f.allowed[k] = []uint32{p.consts[op.overrides[i].id]}
				case i >= 0:
				default:
					// The slot keeps the anchor's value, which the match
					// may restrict.
					for _, im := range p.rules[ri].interned {
						if im.slot == slot {
							f.allowed[k] = im.ids
						}
					}
				}
			}
			filters = append(filters, f)
		}
	}
	switch {
	case len(filters) == 0:
		p.noTarget = true
	case len(filters) > 64:
		p.anyTarget = true
	default:
		all := uint64(1)<<len(filters) - 1
		if len(filters) == 64 {
			all = ^uint64(0)
		}
		for k := range nKeys {
			p.tAny[k] = all
		}
		for fi, f := range filters {
			for k := range nKeys {
				if f.allowed[k] == nil {
					continue
				}
				if p.tDense[k] == nil {
					p.tSlots = append(p.tSlots, k)
					p.tDense[k] = make([]uint64, nIDs)
				}
				p.tAny[k] &^= 1 << fi
			}
		}
		for _, k := range p.tSlots {
			for id := range p.tDense[k] {
				p.tDense[k][id] = p.tAny[k]
			}
		}
		for fi, f := range filters {
			for k := range nKeys {
				for _, id := range f.allowed[k] {
					p.tDense[k][id] |= 1 << fi
				}
			}
		}
	}
	return p
}

// target reports whether some operand may look up a record with key k.
func (p *plan) target(k *[nKeys]uint32) bool {
	switch {
	case p.noTarget:
		return false
	case p.anyTarget:
		return true
	}
	m := ^uint64(0)
	for _, s := range p.tSlots {
		id := k[s]
		if d := p.tDense[s]; int(id) < len(d) {
			m &= d[id]
		} else {
			m &= p.tAny[s]
		}
	}
	return m != 0
}

// candidates returns the rules whose match on interned fields accepts the
// slots k (bitRules only).
func (p *plan) candidates(k *key) uint64 {
	m := p.allRules
	for _, s := range p.matchSlots {
		id := k[s]
		if d := p.matchDense[s]; int(id) < len(d) {
			m &= d[id]
		} else {
			m &= p.matchAny[s]
		}
	}
	return m
}

// anchors reports whether o is an anchor of rule ri, given that the match
// on interned fields accepts it.
func (c *checker) anchorOf(ri int, o *schemas.Observation) bool {
	rp := &c.plan.rules[ri]
	for _, m := range rp.rest {
		if !m.ok(o) {
			return false
		}
	}
	r := c.rs.Rules[ri]
	switch {
	case r.where == nil:
		return true
	case r.fastWhere != nil:
		return r.fastWhere(o)
	}
	out, err := c.machine.Run(r.where, o)
	if err != nil {
		c.whereFailed(ri, r, o, err)
		return false
	}
	return out == true
}

// whereFailed records a finding for a where condition that could not be
// evaluated on o (an index out of range, int of a word, a division by
// zero): the rule was not checked there, and that must show. It has the
// rule's id and severity, and no rule instance (the audit does not
// localize it).
func (c *checker) whereFailed(ri int, r *Rule, o *schemas.Observation, err error) {
	msg, _, _ := strings.Cut(err.Error(), "\n")
	row, col := parseA1(o.Cell)
	f := schemas.Finding{
		Rule: r.ID, Severity: r.Severity, File: o.File, Sheet: o.Sheet, Cells: []string{o.Cell},
		Message: fmt.Sprintf("%s: where %s could not be evaluated (%s), so rule %s was not checked on this figure; fix the condition at %s:%d",
			o.Ref(), strings.Join(strings.Fields(r.whereSrc), " "), msg, r.ID, c.rs.Name, r.whereLine),
	}
	c.found = append(c.found, found{row: row, col: col, rule: ri, seq: c.nObs, f: f})
}

// stageSize is how many observations add prepares ahead: their records,
// and a first touch of the index slots they go to, so that the cache
// misses of a large index overlap instead of coming one by one.
const stageSize = 256

// staged is an observation's record made ahead of its turn, with the hash
// of its key in the table scope when operands may look it up.
type staged struct {
	r      rec
	od     odd
	target bool
	hashed bool
	hash   uint32
}

// addAll takes in a batch of observations, in order.
func (c *checker) addAll(obs []schemas.Observation) {
	if c.stage == nil {
		c.stage = make([]staged, stageSize)
	}
	t := c.index[scopeTable]
	for len(obs) > 0 {
		n := min(len(obs), stageSize)
		st := c.stage[:n]
		for i := range st {
			s := &st[i]
			c.stageObs(&obs[i], s)
			if s.target {
				k := c.tableKey(&s.r)
				s.hash, s.hashed = hashKey(&k), true
			}
		}
		// A tight loop of independent loads: the misses overlap.
		var sink uint32
		for i := range st {
			sink += t.slots[st[i].hash&t.mask].hash
		}
		c.sink += sink
		for i := range st {
			c.add(&obs[i], &st[i])
		}
		obs = obs[n:]
	}
}

// tableKey is the key of a record in the table scope.
func (c *checker) tableKey(r *rec) key {
	ci := &c.ctxs[r.ctx]
	s := &ci.scope
	return key{s[0], s[1], s[2], r.key[0], r.key[1], r.key[2], r.key[3], r.key[4], r.key[5], ci.cur}
}

// stageObs makes the record of o.
func (c *checker) stageObs(o *schemas.Observation, s *staged) {
	c.nObs++
	r := &s.r
	*r = rec{}
	r.ctx = c.ctxOf(o)
	r.key = [nRecKeys]uint32{
		c.id(slotFirstKey, o.Reporter), c.id(slotFirstKey+1, o.Partner), c.id(slotFirstKey+2, o.Flow),
		c.id(slotFirstKey+3, o.Product), c.id(slotFirstKey+4, o.Measure), c.id(slotFirstKey+5, o.Period),
	}
	r.value = o.Value
	if o.HasValue {
		r.flags |= recHas
	}
	s.od = odd{}
	if c.setCell(r, o.Cell) {
		s.od.oddCell, s.od.cell = true, o.Cell
		s.od.row, s.od.col = parseA1(o.Cell)
	}
	if d := o.Decimals; int(int32(d)) == d {
		r.dec = int32(d)
	} else {
		s.od.oddDec, s.od.decimals = true, d
	}
	if s.od.oddCell || s.od.oddDec {
		r.flags |= recOdd
	}
	keys := c.keys(r)
	s.target = c.plan.target(&keys)
	s.hashed = false
}

// add finds the rules o anchors and takes in its record.
func (c *checker) add(o *schemas.Observation, s *staged) {
	c.ingest(s, c.anchorsOf(o, s))
}

// anchorsOf returns the rules o anchors, the referenced fields of each in
// refScratch.
func (c *checker) anchorsOf(o *schemas.Observation, s *staged) []int {
	anchors := c.anchorScratch[:0]
	if o.HasValue && len(c.rs.Rules) > 0 {
		k := c.tableKey(&s.r)
		if c.plan.bitRules {
			for cand := c.plan.candidates(&k); cand != 0; cand &= cand - 1 {
				if ri := bits.TrailingZeros64(cand); c.anchorOf(ri, o) {
					anchors = append(anchors, ri)
				}
			}
		} else {
			for ri := range c.rs.Rules {
				if c.matchesKey(ri, &k) && c.anchorOf(ri, o) {
					anchors = append(anchors, ri)
				}
			}
		}
		for _, ri := range anchors {
			for j, f := range c.plan.rules[ri].refFields {
				c.refScratch[ri][j] = c.refID(f, o)
			}
		}
	}
	c.anchorScratch = anchors
	return anchors
}

// refID interns the text of field f of o, remembering the last of each
// field.
func (c *checker) refID(f *field, o *schemas.Observation) uint32 {
	if c.refLast == nil {
		c.refLast = map[*field]*lastString{}
	}
	l := c.refLast[f]
	if l == nil {
		l = &lastString{id: noString}
		c.refLast[f] = l
	}
	t := f.text(o)
	if l.id == noString || t != l.s {
		l.s, l.id = t, c.strs.intern(t)
	}
	return l.id
}

// lastString is the last string of a field and its number.
type lastString struct {
	s  string
	id uint32
}

// noString is the number of no string.
const noString = ^uint32(0)

// matchesKey tests the match entries of rule ri on interned fields.
func (c *checker) matchesKey(ri int, k *key) bool {
	for _, im := range c.plan.rules[ri].interned {
		if !slices.Contains(im.ids, k[im.slot]) {
			return false
		}
	}
	return true
}

// ingest keeps a record if a rule can reach it: as an anchor (the
// anchors of rule ri, with their referenced fields in refScratch[ri]), as
// a figure an operand may look up, or as a figure of the audit's series.
// Anchors of rules without operands are evaluated here.
func (c *checker) ingest(s *staged, anchors []int) {
	id := c.recs.push(s.r)
	p := c.recs.at(id)
	od := &s.od
	keep := false
	if s.target {
		if !s.hashed {
			k := c.tableKey(p)
			s.hash = hashKey(&k)
		}
		if _, first := c.index[scopeTable].putHashed(id, id, s.hash); first {
			p.flags |= recIndex
			keep = true
		} else {
			p.flags |= recTableDup
		}
	}
	if od.oddCell || od.oddDec {
		// The message of a finding reported below reads it.
		if c.odd == nil {
			c.odd = map[int32]odd{}
		}
		c.odd[id] = *od
	}
	for _, ri := range anchors {
		rp := &c.plan.rules[ri]
		refs := c.refScratch[ri]
		if c.collect {
			c.anchors[ri].push(id, refs)
			keep = true
			continue
		}
		r := c.rs.Rules[ri]
		b := c.binding(ri)
		if !rp.ops {
			if rp.simple && c.simpleHolds(r, id) {
				continue
			}
			c.fill(id, b, nil, false)
			if c.eval(ri, r, id, b) {
				keep = true
			}
			continue
		}
		if c.audit {
			// The audit rebinds every anchor (touching).
			c.anchors[ri].push(id, refs)
			keep = true
		}
		status := bindLater
		if rp.early && c.settled(rp.scope, p.ctx) {
			status = c.bindMembers(r, ri, scopeTable, id, refs, b, true)
		}
		switch status {
		case bindOK:
			c.fill(id, b, nil, false)
			if c.eval(ri, r, id, b) {
				keep = true
			}
		case bindLater:
			c.pending[ri].push(id, refs)
			keep = true
		}
	}
	if !keep && c.audit && c.seriesFigure(id) {
		keep = true
	}
	if !keep {
		delete(c.odd, id)
		c.recs.pop()
		return
	}
	if c.audit {
		for _, ri := range anchors {
			if !c.plan.rules[ri].ops {
				setBit(&c.bits[ri], id)
			}
		}
	}
	c.trackTable(p)
}

func setBit(b *[]uint64, i int32) {
	w := int(i >> 6)
	for len(*b) <= w {
		*b = append(*b, 0)
	}
	(*b)[w] |= 1 << (i & 63)
}

// trackTable follows whether each file holds one table and the run one
// file, over the kept records: a rule of scope file then finds the same
// figures in the index of the table scope, and a rule of scope run in
// that of the file scope.
func (c *checker) trackTable(p *rec) {
	if p.ctx == c.lastTrack && c.tracked {
		return
	}
	c.lastTrack, c.tracked = p.ctx, true
	s := &c.ctxs[p.ctx].scope
	if !c.anyFile {
		c.firstFile, c.anyFile = s[0], true
		c.trackGen++
	}
	if c.oneFile && s[0] != c.firstFile {
		c.oneFile = false
		c.trackGen++
	}
	if t, ok := c.tableOf[s[0]]; !ok {
		c.tableOf[s[0]] = [2]uint32{s[1], s[2]}
		c.trackGen++
	} else if t != [2]uint32{s[1], s[2]} && !c.multi[s[0]] {
		c.oneTable = false
		c.multi[s[0]] = true
		c.trackGen++
	}
}

// settled reports whether a rule of scope, anchored in a table of context
// ctx, finds in the index of the table scope, now, what it will find at
// the end: every figure kept so far that it may look up is in the
// anchor's table. The first figure of a key found now stays the first.
func (c *checker) settled(scope int, ctx uint32) bool {
	if scope == scopeTable {
		return true
	}
	sc := &c.settledCache
	if !sc.ok || sc.ctx != ctx || sc.gen != c.trackGen {
		s := &c.ctxs[ctx].scope
		t, ok := c.tableOf[s[0]]
		file := !ok || (t == [2]uint32{s[1], s[2]} && !c.multi[s[0]])
		run := file && (!c.anyFile || (c.oneFile && c.firstFile == s[0]))
		*sc = settledCache{ok: true, ctx: ctx, gen: c.trackGen, file: file, run: run}
	}
	if scope == scopeFile {
		return sc.file
	}
	return sc.run
}

// settledCache remembers settled for the last context.
type settledCache struct {
	ok        bool
	ctx       uint32
	gen       int
	file, run bool
}

// simpleHolds evaluates a simple rule (rulePlan.simple) at anchor i: the
// atoms eval runs, without binding.
func (c *checker) simpleHolds(r *Rule, i int32) bool {
	n := c.num(i)
	v := n.in(n.scale)
	for _, at := range r.prog.atoms {
		l, rt := at.left.konst, at.right.konst
		if at.left.slot == 0 {
			l = v
		}
		if at.right.slot == 0 {
			rt = v
		}
		if !compare(at.op, l, rt) {
			return false
		}
	}
	return true
}

// seriesFigure reports whether record i belongs to a series the audit
// checks for scale slips: a money level (in any currency) of exports,
// imports, total trade, re-exports or re-imports with a non-zero value.
func (c *checker) seriesFigure(i int32) bool { return c.seriesRec(c.recs.at(i)) }

// seriesRec is seriesFigure of a record.
func (c *checker) seriesRec(r *rec) bool {
	if r.flags&recHas == 0 || r.key[4] != c.plan.level || !c.ctxs[r.ctx].isMoney || r.value == 0 {
		return false
	}
	f := r.key[2]
	return f == c.plan.exports || f == c.plan.imports || f == c.plan.total || f == c.plan.reexports || f == c.plan.reimports
}

// replay takes in the records a collector kept, in their order.
func (c *checker) replay(src *checker) {
	c.nObs += src.nObs
	c.found = append(c.found, src.found...) // where conditions that failed
	if src.recs.len() == 0 {
		return
	}
	// Numbers of src's strings and contexts here, made as needed.
	strMap := make([]uint32, len(src.strs.strs))
	strOK := make([]bool, len(src.strs.strs))
	str := func(id uint32) uint32 {
		if !strOK[id] {
			strMap[id], strOK[id] = c.strs.intern(src.strs.strs[id]), true
		}
		return strMap[id]
	}
	ctxMap := make([]uint32, len(src.ctxs))
	ctxOK := make([]bool, len(src.ctxs))
	cursor := make([]int, len(src.rs.Rules))
	for i := range int32(src.recs.len()) {
		st := staged{r: *src.recs.at(i)}
		r := &st.r
		for k := range r.key {
			r.key[k] = str(r.key[k])
		}
		if !ctxOK[r.ctx] {
			sc := src.ctxs[r.ctx]
			k := ctxKey{
				scope: [3]uint32{str(sc.scope[0]), str(sc.scope[1]), str(sc.scope[2])},
				unit:  str(sc.unit), cur: str(sc.cur),
				scale: sc.rawScale, periodType: sc.periodType, startSec: sc.startSec, startNsec: sc.startNsec,
			}
			if sc.isMoney {
				c.seeCurrency(k.scope, k.cur)
			}
			ctxMap[r.ctx], ctxOK[r.ctx] = c.internCtx(k), true
		}
		r.ctx = ctxMap[r.ctx]
		r.flags &^= recIndex | recTableDup
		if r.flags&recOdd != 0 {
			st.od = src.odd[i]
		}
		keys := c.keys(r)
		st.target = c.plan.target(&keys)
		anchors := c.anchorScratch[:0]
		for ri := range src.anchors {
			al := &src.anchors[ri]
			if cursor[ri] < len(al.ids) && al.ids[cursor[ri]] == i {
				for j := range al.refs {
					c.refScratch[ri][j] = str(al.refs[j][cursor[ri]])
				}
				cursor[ri]++
				anchors = append(anchors, ri)
			}
		}
		c.anchorScratch = anchors
		if c.spill != nil {
			c.spill.put(&st, anchors)
			c.spill.maybeFlush()
			continue
		}
		c.ingest(&st, anchors)
	}
}
