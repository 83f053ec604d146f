package validate

import (
	"bufio"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"

	"github.com/tradeetl/tradeetl/schemas"
)

// Spilling the rule state.
//
// An evaluator with a memory budget (EvalOptions.RuleMemory) does not build
// its records and indexes as observations arrive. A front end makes each
// observation's record as the in-memory evaluator would (its interned
// strings and context, the rules it anchors, where conditions), drops
// those no rule can reach, and appends the others, encoded, to a buffer.
// While the buffer stays within the budget nothing else happens, and
// Finish replays the records, in order, into one in-memory evaluation:
// the very computation of an evaluator without a budget.
//
// Past the budget, the records go to a temporary file in partitions, by a
// hash of a partition key, and Finish evaluates the partitions one by one:
// memory then holds the buffer, the interned strings and one partition's
// state, whatever the size of the input. The partition key is what every
// figure a check can connect shares:
//
//   - the key fields no operand of a rule with operands changes: not one a
//     with entry sets (flow of balance, reporter of part_le_whole,
//     measure and period of growth_consistency) nor one it sums ("*", the
//     product of sum_of_parts); an anchor and every figure it looks up
//     agree on the others;
//   - with the audit, not the period: the scale slips compare the figures
//     of a series over its periods;
//   - the file, unless a rule of scope run has operands, and sheet and
//     table too when every such rule has scope table: lookups stay within
//     the scope.
//
// A failed rule's cells are then in one partition, so are the clusters of
// failures error localization works on and every rule instance reading
// their cells, and the series of the scale slips. With the built-in rules
// and the audit, the key is file, partner and currency. A partition
// larger than the budget is split again, by the key of the rules that
// have anchors in it (a long table of levels anchors no growth rate, so
// flow and measure join the key), up to maxSplitDepth times; a partition
// whose key cannot be split (all its figures share the key's values: one
// partner, or a rule set whose with entries change every key field and
// that has scope run) is evaluated in memory as it is.
//
// Findings are those of the in-memory evaluation, in the same order: a
// partition's rule findings carry the position of their anchor among all
// observations; error localization's budget, spent cheapest cluster first
// over the whole input, is replayed over the clusters of every partition
// (see partJobs).

// Defaults and bounds of spilling.
const (
	// spillBuckets is the number of partitions of a split.
	spillBuckets = 64
	// recordCost is about what a record costs in memory once evaluated
	// (the record, its index slots, the anchor lists and the "*" sums): a
	// partition holds at most RuleMemory/recordCost records before it is
	// split again.
	recordCost = 160
	// maxSplitDepth bounds how often a partition is split again.
	maxSplitDepth = 3
	// auditSeqBase numbers the audit's findings of a spilled evaluation
	// after every rule finding.
	auditSeqBase = 1 << 52
)

// partKey says which fields make the partition key.
type partKey struct {
	scope int   // scopeTable: file, sheet and table; scopeFile: the file; scopeRun: neither
	slots []int // the key slots
}

// partKeyOf returns the partition key of the rules with operands that use
// accepts (every rule when use is nil).
func partKeyOf(rs *RuleSet, use []bool, audit bool) partKey {
	var in [nSlots]bool
	for s := slotFirstKey; s < nSlots; s++ {
		in[s] = true
	}
	if audit {
		in[fieldByName["period"].slot] = false
	}
	pk := partKey{scope: scopeTable}
	for ri, r := range rs.Rules {
		if len(r.operands) == 0 || (use != nil && !use[ri]) {
			continue
		}
		pk.scope = max(pk.scope, scopeNum(r.Scope))
		for _, op := range r.operands {
			if op.star >= 0 {
				in[op.star] = false
			}
			for _, ov := range op.overrides {
				in[ov.slot] = false
			}
		}
	}
	for s := slotFirstKey; s < nSlots; s++ {
		if in[s] {
			pk.slots = append(pk.slots, s)
		}
	}
	return pk
}

// empty reports whether the key holds no field: every record goes to one
// partition.
func (pk *partKey) empty() bool { return pk.scope == scopeRun && len(pk.slots) == 0 }

// bucket is the partition of record r under the key, for a split seeded
// with seed.
func (pk *partKey) bucket(c *checker, r *rec, seed uint64) int {
	ci := &c.ctxs[r.ctx]
	h := 0x9e3779b97f4a7c15 ^ seed*0xd6e8feb86659fd93
	mix := func(w uint32) {
		h ^= uint64(w)
		h *= 0xbf58476d1ce4e5b9
		h ^= h >> 31
	}
	switch pk.scope {
	case scopeTable:
		mix(ci.scope[0])
		mix(ci.scope[1])
		mix(ci.scope[2])
	case scopeFile:
		mix(ci.scope[0])
	}
	for _, s := range pk.slots {
		if s == slotCurrency {
			mix(ci.cur)
		} else {
			mix(r.key[s-slotFirstKey])
		}
	}
	h ^= h >> 32
	return int(h % spillBuckets)
}

// extent is a piece of the spill file.
type extent struct{ off, n int64 }

// bucketSet is the partitions of a split: where each one's records are
// in the spill file, how many, and the rules anchored there.
type bucketSet struct {
	ext      [spillBuckets][]extent
	count    [spillBuckets]int
	anchored [spillBuckets][]bool // by rule with operands
}

// spiller is the front end of an evaluator with a memory budget.
type spiller struct {
	c      *checker // strings, contexts, plan; where conditions that failed
	budget int64
	dir    string
	static partKey

	buf     []byte // records since the last flush, in order: bucket, length, record
	nBuf    int    // records in buf
	scratch []byte
	seq     int64 // observations seen
	top     bucketSet
	file    *os.File
	name    string
	w       *bufio.Writer
	off     int64 // end of the spill file
	err     error // the spill file could not be written: the records since stay in buf

	ctx    context.Context
	stats  SpillStats
	closed bool
}

// SpillStats says what an evaluator with a memory budget did.
type SpillStats struct {
	// Spilled reports whether the rule state went to a temporary file.
	Spilled bool
	// Bytes is the size of the records written to it.
	Bytes int64
	// Partitions is the number of partitions evaluated one by one, and
	// Largest the records of the largest.
	Partitions, Largest int
	// Unsplit is the number of partitions larger than the budget that
	// could not be split further, and were evaluated in memory as they
	// were.
	Unsplit int
}

func newSpiller(c *checker, budget int64, dir string) *spiller {
	return &spiller{c: c, budget: budget, dir: dir, static: partKeyOf(c.rs, nil, c.audit)}
}

// maxRecords is the records one partition may hold.
func (s *spiller) maxRecords() int { return int(max(1, s.budget/recordCost)) }

// addAll takes in a batch, as checker.addAll does, writing each reachable
// record instead of ingesting it.
func (s *spiller) addAll(obs []schemas.Observation) {
	c := s.c
	if c.stage == nil {
		c.stage = make([]staged, stageSize)
	}
	for len(obs) > 0 {
		n := min(len(obs), stageSize)
		st := c.stage[:n]
		for i := range st {
			c.stageObs(&obs[i], &st[i])
		}
		for i := range st {
			s.add(&obs[i], &st[i])
		}
		obs = obs[n:]
		s.maybeFlush()
	}
}

// maybeFlush writes the buffer to the spill file when it holds more than
// half the budget, or more records than one evaluation in memory may.
func (s *spiller) maybeFlush() {
	if s.err == nil && (int64(len(s.buf)) > s.budget/2 || s.nBuf > s.maxRecords()) {
		s.err = s.flush()
	}
}

// add encodes the record of o when a rule can reach it.
func (s *spiller) add(o *schemas.Observation, st *staged) {
	c := s.c
	anchors := c.anchorsOf(o, st)
	if !st.target && len(anchors) == 0 && !(c.audit && c.seriesRec(&st.r)) {
		s.seq++
		return
	}
	s.put(st, anchors)
}

// put appends a record to the buffer, in the partition of its static key.
func (s *spiller) put(st *staged, anchors []int) {
	c := s.c
	seq := s.seq
	s.seq++
	b := s.static.bucket(c, &st.r, 0)
	s.top.count[b]++
	for _, ri := range anchors {
		if c.plan.rules[ri].ops {
			if s.top.anchored[b] == nil {
				s.top.anchored[b] = make([]bool, len(c.rs.Rules))
			}
			s.top.anchored[b][ri] = true
		}
	}
	s.nBuf++
	s.scratch = s.encode(s.scratch[:0], seq, st, anchors)
	s.buf = binary.AppendUvarint(s.buf, uint64(b))
	s.buf = binary.AppendUvarint(s.buf, uint64(len(s.scratch)))
	s.buf = append(s.buf, s.scratch...)
}

// encode appends a record: its position among the observations, the
// record, its odd fields, the rules it anchors and their referenced
// fields.
func (s *spiller) encode(b []byte, seq int64, st *staged, anchors []int) []byte {
	r := &st.r
	b = binary.AppendUvarint(b, uint64(seq))
	var head byte
	if st.target {
		head = 1
	}
	b = append(b, head, r.flags)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(r.value))
	for _, k := range r.key {
		b = binary.AppendUvarint(b, uint64(k))
	}
	b = binary.AppendUvarint(b, uint64(r.ctx))
	b = binary.AppendUvarint(b, uint64(r.row))
	b = binary.AppendUvarint(b, uint64(r.col))
	b = binary.AppendVarint(b, int64(r.dec))
	if r.flags&recOdd != 0 {
		od := &st.od
		b = appendBool(b, od.oddCell)
		b = binary.AppendUvarint(b, uint64(len(od.cell)))
		b = append(b, od.cell...)
		b = binary.AppendVarint(b, int64(od.row))
		b = binary.AppendVarint(b, int64(od.col))
		b = appendBool(b, od.oddDec)
		b = binary.AppendVarint(b, int64(od.decimals))
	}
	b = binary.AppendUvarint(b, uint64(len(anchors)))
	for _, ri := range anchors {
		b = binary.AppendUvarint(b, uint64(ri))
		for _, id := range s.c.refScratch[ri] {
			b = binary.AppendUvarint(b, uint64(id))
		}
	}
	return b
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

// entry is a decoded record.
type entry struct {
	seq     int64
	st      staged
	anchors []int
	refs    [][]uint32 // by rule: the referenced fields of the anchor
}

var errCorrupt = errors.New("the spill file is corrupt")

// decode reads a record written by encode into e; refs holds, per rule,
// room for its referenced fields.
func decode(p []byte, e *entry) error {
	d := decoder{p: p}
	e.seq = int64(d.uvarint())
	head := d.byte()
	e.st = staged{target: head&1 != 0}
	r := &e.st.r
	r.flags = d.byte()
	r.value = math.Float64frombits(d.uint64())
	for k := range r.key {
		r.key[k] = uint32(d.uvarint())
	}
	r.ctx = uint32(d.uvarint())
	r.row = uint32(d.uvarint())
	r.col = uint16(d.uvarint())
	r.dec = int32(d.varint())
	if r.flags&recOdd != 0 {
		od := &e.st.od
		od.oddCell = d.byte() != 0
		n := d.uvarint()
		od.cell = string(d.bytes(n))
		od.row = int(d.varint())
		od.col = int(d.varint())
		od.oddDec = d.byte() != 0
		od.decimals = int(d.varint())
	}
	n := d.uvarint()
	e.anchors = e.anchors[:0]
	for range n {
		ri := int(d.uvarint())
		if ri < 0 || ri >= len(e.refs) {
			return errCorrupt
		}
		e.anchors = append(e.anchors, ri)
		for j := range e.refs[ri] {
			e.refs[ri][j] = uint32(d.uvarint())
		}
	}
	if d.bad || len(d.p) != 0 {
		return errCorrupt
	}
	return nil
}

type decoder struct {
	p   []byte
	bad bool
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.p)
	if n <= 0 {
		d.bad, d.p = true, nil
		return 0
	}
	d.p = d.p[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.p)
	if n <= 0 {
		d.bad, d.p = true, nil
		return 0
	}
	d.p = d.p[n:]
	return v
}

func (d *decoder) byte() byte {
	if len(d.p) < 1 {
		d.bad = true
		return 0
	}
	v := d.p[0]
	d.p = d.p[1:]
	return v
}

func (d *decoder) uint64() uint64 {
	if len(d.p) < 8 {
		d.bad, d.p = true, nil
		return 0
	}
	v := binary.LittleEndian.Uint64(d.p)
	d.p = d.p[8:]
	return v
}

func (d *decoder) bytes(n uint64) []byte {
	if uint64(len(d.p)) < n {
		d.bad, d.p = true, nil
		return nil
	}
	v := d.p[:n]
	d.p = d.p[n:]
	return v
}

// open creates the spill file. Where the system allows it, the file is
// removed at once: it goes when the evaluator's process does, even killed.
func (s *spiller) open() error {
	f, err := os.CreateTemp(s.dir, "tradeetl-rules-*.spill")
	if err != nil {
		return fmt.Errorf("spilling the rule state: %w", err)
	}
	s.file, s.name = f, f.Name()
	if os.Remove(s.name) == nil {
		s.name = ""
	}
	s.w = bufio.NewWriterSize(f, 256<<10)
	s.stats.Spilled = true
	return nil
}

// close closes and removes the spill file.
func (s *spiller) close() error {
	s.closed = true
	if s.file == nil {
		return nil
	}
	err := s.file.Close()
	if s.name != "" {
		if rerr := os.Remove(s.name); rerr != nil && err == nil {
			err = rerr
		}
	}
	s.file, s.w = nil, nil
	return err
}

// flush writes the buffered records to the spill file, partition by
// partition.
func (s *spiller) flush() error {
	if len(s.buf) == 0 {
		return nil
	}
	if s.file == nil {
		if err := s.open(); err != nil {
			return err
		}
	}
	// The records of each partition, in order: a counting sort of their
	// offsets.
	type span struct{ start, end int32 }
	var count [spillBuckets + 1]int
	var spans []span
	var of []uint8
	for p := s.buf; len(p) > 0; {
		b, n := binary.Uvarint(p)
		l, m := binary.Uvarint(p[n:])
		start := len(s.buf) - len(p) + n
		end := start + m + int(l)
		spans = append(spans, span{int32(start), int32(end)})
		of = append(of, uint8(b))
		count[b+1]++
		p = s.buf[end:]
	}
	for b := range spillBuckets {
		count[b+1] += count[b]
	}
	order := make([]int32, len(spans))
	next := count
	for i := range spans {
		order[next[of[i]]] = int32(i)
		next[of[i]]++
	}
	for b := range spillBuckets {
		if count[b] == count[b+1] {
			continue
		}
		start := s.off
		for _, i := range order[count[b]:count[b+1]] {
			sp := spans[i]
			if _, err := s.w.Write(s.buf[sp.start:sp.end]); err != nil {
				return fmt.Errorf("spilling the rule state: %w", err)
			}
			s.off += int64(sp.end - sp.start)
		}
		s.top.ext[b] = append(s.top.ext[b], extent{start, s.off - start})
	}
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("spilling the rule state: %w", err)
	}
	s.stats.Bytes = s.off
	s.buf, s.nBuf = s.buf[:0], 0
	return nil
}

// finish evaluates the records and returns every finding, sorted.
func (s *spiller) finish(ctx context.Context) (fs []found, err error) {
	s.ctx = ctx
	defer func() {
		if cerr := s.close(); cerr != nil && err == nil {
			err = fmt.Errorf("spilling the rule state: %w", cerr)
		}
	}()
	if s.closed {
		return nil, errors.New("the evaluator was closed")
	}
	if s.err != nil {
		return nil, s.err
	}
	if s.file == nil {
		return s.finishInMemory()
	}
	if err := s.flush(); err != nil {
		return nil, err
	}
	s.buf = nil
	pj := &partJobs{budget: s.c.budget, prefix: []int64{0}}
	if pj.budget <= 0 {
		pj.budget = max(minLocateBudget, locateBudgetPerObs*int64(s.c.nObs))
	}
	out := slices.Clone(s.c.found) // where conditions that failed
	if err := s.split(&s.top, 0, pj, &out); err != nil {
		return nil, err
	}
	out = pj.settle(out)
	numberAudit(out, len(s.c.rs.Rules))
	return out, nil
}

// finishInMemory replays the buffered records, in order, into one
// evaluation: what the evaluator without a budget computes.
func (s *spiller) finishInMemory() ([]found, error) {
	pc := s.partChecker()
	pc.found = s.c.found
	pc.budget = s.c.budget
	e := s.newEntry()
	for p, k := s.buf, 0; len(p) > 0; k++ {
		if k%4096 == 0 {
			if err := s.ctx.Err(); err != nil {
				return nil, err
			}
		}
		_, n := binary.Uvarint(p)
		l, m := binary.Uvarint(p[n:])
		if n <= 0 || m <= 0 || uint64(len(p)-n-m) < l {
			return nil, errCorrupt
		}
		if err := decode(p[n+m:n+m+int(l)], e); err != nil {
			return nil, err
		}
		pc.ingestEntry(e, nil)
		p = p[n+m+int(l):]
	}
	if err := s.ctx.Err(); err != nil {
		return nil, err
	}
	s.buf = nil
	s.stats.Partitions, s.stats.Largest = 1, pc.recs.len()
	pc.finish()
	if pc.audit {
		pc.locate()
		pc.scaleSlips()
	}
	return pc.found, nil
}

func (s *spiller) newEntry() *entry {
	e := &entry{refs: make([][]uint32, len(s.c.rs.Rules))}
	for ri := range e.refs {
		e.refs[ri] = make([]uint32, len(s.c.plan.rules[ri].refFields))
	}
	return e
}

// partChecker returns an empty evaluation sharing the front end's
// strings, contexts and plan.
func (s *spiller) partChecker() *checker {
	f := s.c
	pc := newChecker(f.rs, f.audit, false)
	pc.strs, pc.ctxs, pc.ctxIDs, pc.plan = f.strs, f.ctxs, f.ctxIDs, f.plan
	pc.nObs = f.nObs
	return pc
}

// ingestEntry takes in a decoded record; seqs, when not nil, gets the
// position of each record kept.
func (c *checker) ingestEntry(e *entry, seqs *[]int64) {
	for _, ri := range e.anchors {
		copy(c.refScratch[ri], e.refs[ri])
	}
	n := c.recs.len()
	c.ingest(&e.st, e.anchors)
	if seqs != nil && c.recs.len() > n {
		*seqs = append(*seqs, e.seq)
	}
}

// reader returns the records of a partition, in order.
func (s *spiller) reader(ext []extent) *bufio.Reader {
	rs := make([]io.Reader, len(ext))
	for i, x := range ext {
		rs[i] = io.NewSectionReader(s.file, x.off, x.n)
	}
	return bufio.NewReaderSize(io.MultiReader(rs...), 256<<10)
}

// each calls fn with every record of a partition, raw and decoded.
func (s *spiller) each(ext []extent, e *entry, fn func(raw []byte) error) error {
	r := s.reader(ext)
	var buf []byte
	for k := 0; ; k++ {
		l, err := binary.ReadUvarint(r)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading the spilled rule state: %w", err)
		}
		if k%4096 == 0 {
			if err := s.ctx.Err(); err != nil {
				return err
			}
		}
		if l > 1<<30 {
			return errCorrupt
		}
		buf = slices.Grow(buf[:0], int(l))[:l]
		if _, err := io.ReadFull(r, buf); err != nil {
			return fmt.Errorf("reading the spilled rule state: %w", err)
		}
		if err := decode(buf, e); err != nil {
			return err
		}
		if err := fn(buf); err != nil {
			return err
		}
	}
}

// split evaluates the partitions of bs, splitting again those larger than
// the budget.
func (s *spiller) split(bs *bucketSet, depth int, pj *partJobs, out *[]found) error {
	for b := range spillBuckets {
		if bs.count[b] == 0 {
			continue
		}
		if err := s.ctx.Err(); err != nil {
			return err
		}
		if bs.count[b] > s.maxRecords() && depth < maxSplitDepth {
			sub, err := s.resplit(bs.ext[b], bs.anchored[b], uint64(depth+1))
			if err != nil {
				return err
			}
			if slices.Max(sub.count[:]) < bs.count[b] {
				if err := s.split(sub, depth+1, pj, out); err != nil {
					return err
				}
				continue
			}
			// One group: the key cannot split it.
		}
		if bs.count[b] > s.maxRecords() {
			s.stats.Unsplit++
		}
		if err := s.evalPartition(bs.ext[b], pj, out); err != nil {
			return err
		}
	}
	return nil
}

// resplit writes the records of a partition again, split by the key of
// the rules anchored in it.
func (s *spiller) resplit(ext []extent, anchored []bool, seed uint64) (*bucketSet, error) {
	use := anchored
	if use == nil {
		use = make([]bool, len(s.c.rs.Rules))
	}
	pk := partKeyOf(s.c.rs, use, s.c.audit)
	sub := &bucketSet{}
	var bufs [spillBuckets][]byte
	total := 0
	flush := func() error {
		for b := range bufs {
			if len(bufs[b]) == 0 {
				continue
			}
			if _, err := s.w.Write(bufs[b]); err != nil {
				return fmt.Errorf("spilling the rule state: %w", err)
			}
			sub.ext[b] = append(sub.ext[b], extent{s.off, int64(len(bufs[b]))})
			s.off += int64(len(bufs[b]))
			bufs[b] = bufs[b][:0]
		}
		total = 0
		if err := s.w.Flush(); err != nil {
			return fmt.Errorf("spilling the rule state: %w", err)
		}
		s.stats.Bytes = s.off
		return nil
	}
	e := s.newEntry()
	err := s.each(ext, e, func(raw []byte) error {
		b := 0
		if !pk.empty() {
			b = pk.bucket(s.c, &e.st.r, seed)
		}
		sub.count[b]++
		sub.anchored[b] = anchored
		bufs[b] = binary.AppendUvarint(bufs[b], uint64(len(raw)))
		bufs[b] = append(bufs[b], raw...)
		total += len(raw) + 2
		if int64(total) > s.budget/2 {
			return flush()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sub, flush()
}

// evalPartition evaluates the records of one partition and adds its
// findings to out.
func (s *spiller) evalPartition(ext []extent, pj *partJobs, out *[]found) error {
	pc := s.partChecker()
	pc.budget = pj.budget
	var seqs []int64
	e := s.newEntry()
	if err := s.each(ext, e, func([]byte) error {
		pc.ingestEntry(e, &seqs)
		return nil
	}); err != nil {
		return err
	}
	s.stats.Partitions++
	s.stats.Largest = max(s.stats.Largest, pc.recs.len())
	part := &partition{jobs: pj, seqs: seqs, base: len(*out)}
	pc.part = part
	pc.finish()
	if pc.audit {
		pc.locate()
		pc.scaleSlips()
	}
	nRules := len(s.c.rs.Rules)
	for i := range pc.found {
		fd := pc.found[i]
		fd.inst = nil
		if fd.rule >= 0 && fd.rule < nRules {
			fd.seq = int(seqs[fd.seq])
		} else {
			fd.seq = auditSeqBase // numbered by settle
		}
		*out = append(*out, fd)
	}
	return nil
}

// partition is the state of error localization in one partition of a
// spilled evaluation.
type partition struct {
	jobs *partJobs
	seqs []int64 // position among the observations of each record
	base int     // index of the partition's first finding in the run's
}

// partJobs is error localization over every partition. The in-memory
// evaluation localizes the clusters of failed rules cheapest first, the
// cost of each known in advance, until its work passes the budget. Here
// each partition localizes its own clusters in that order, within the
// budget, noting for each what it cost and what it found; once every
// partition is done, settle replays the run's order over all of them,
// and undoes what the clusters past the budget found. A partition skips
// a cluster the run cannot afford: when its own clusters before it and
// those of the partitions done so far that come before it in the run's
// order spend the budget (the run spends at least that before it), or
// when one of the latter could not be localized (the run stops there).
// So the partitions together do about the work of the in-memory
// localization, not that times the number of partitions.
type partJobs struct {
	budget int64
	jobs   []partJob // in the run's order (jobOrder)
	prefix []int64   // the work of jobs[:i]
	notRan *partJob  // the first job that was not localized
}

// partJob is one cluster of failures of a partition.
type partJob struct {
	cost        int
	rule        int   // its first failed rule instance: rule and
	anchor      int64 // anchor position, its place in the run's order
	ran         bool  // localized within the budget in its partition
	checked     bool  // localize looked at the budget
	preLast     int64 // the work it had done when it last looked
	work        int64 // the work it did
	added       []int // its findings among the run's
	before      []savedFinding
	file, sheet string
	row, col    int
}

// savedFinding is a rule finding as it was before a cluster's
// localization changed it.
type savedFinding struct {
	idx int
	f   schemas.Finding
}

// localize localizes the clusters of partition c, in cost order (comps,
// costs), within the budget, and notes each as a job.
func (p *partition) localize(c *checker, comps [][]*instance, costs []int, byCell map[int32][]*instance) {
	pj := p.jobs
	stopped := false
	jobs := make([]partJob, 0, len(comps))
	for k, comp := range comps {
		first := comp[0]
		o := c.obs(first.anchor)
		j := partJob{cost: costs[k], rule: first.rule, anchor: p.seqs[first.anchor], file: o.File, sheet: o.Sheet}
		j.row, j.col = c.rowCol(first.anchor)
		// The work the partitions done so far spend on clusters before
		// this one: the run spends it too before this one, if it gets
		// that far.
		extra, blocked := pj.before(&j)
		if !stopped && !blocked && c.work+extra <= pj.budget {
			var before []savedFinding
			for _, in := range comp {
				if in.found >= 0 {
					before = append(before, savedFinding{p.base + in.found, c.found[in.found].f})
				}
			}
			start, n := c.work, len(c.found)
			c.lastCheck = -1
			c.budget = pj.budget - extra
			if c.localize(comp, byCell) {
				j.ran, j.work, j.before = true, c.work-start, before
				if c.lastCheck >= 0 {
					j.checked, j.preLast = true, c.lastCheck-start
				}
				for i := n; i < len(c.found); i++ {
					j.added = append(j.added, p.base+i)
					c.found[i].order = auditOrder{phase: 0, rule: first.rule, anchor: j.anchor, k: i - n}
				}
			} else {
				stopped = true
			}
			c.budget = pj.budget
		} else {
			stopped = true
		}
		jobs = append(jobs, j)
	}
	pj.merge(jobs)
	for _, ins := range byCell {
		for _, in := range ins {
			in.figures = nil
		}
	}
}

// jobOrder is the order in which the run localizes clusters.
func jobOrder(a, b *partJob) int {
	return cmp.Or(cmp.Compare(a.cost, b.cost), cmp.Compare(a.rule, b.rule), cmp.Compare(a.anchor, b.anchor))
}

// before returns the work of the clusters of the partitions done so far
// that come before j in the run's order, and whether one of them could
// not be localized (then the run stops before j).
func (pj *partJobs) before(j *partJob) (int64, bool) {
	i, _ := slices.BinarySearchFunc(pj.jobs, j, func(a partJob, b *partJob) int { return jobOrder(&a, b) })
	return pj.prefix[i], pj.notRan != nil && jobOrder(pj.notRan, j) < 0
}

// merge adds the clusters of a partition, in the run's order as a
// partition localizes them.
func (pj *partJobs) merge(jobs []partJob) {
	if len(jobs) == 0 {
		if pj.prefix == nil {
			pj.prefix = []int64{0}
		}
		return
	}
	merged := make([]partJob, 0, len(pj.jobs)+len(jobs))
	a, b := pj.jobs, jobs
	for len(a) > 0 || len(b) > 0 {
		if len(b) == 0 || (len(a) > 0 && jobOrder(&a[0], &b[0]) <= 0) {
			merged, a = append(merged, a[0]), a[1:]
		} else {
			merged, b = append(merged, b[0]), b[1:]
		}
	}
	pj.jobs = merged
	pj.prefix = slices.Grow(pj.prefix[:0], len(merged)+1)[:len(merged)+1]
	pj.prefix[0] = 0
	pj.notRan = nil
	for i := range merged {
		pj.prefix[i+1] = pj.prefix[i] + merged[i].work
		if !merged[i].ran && pj.notRan == nil {
			pj.notRan = &merged[i]
		}
	}
}

// settle decides which clusters the run's budget localizes, drops what
// the others found and adds the finding that localization stopped.
func (pj *partJobs) settle(out []found) []found {
	jobs := pj.jobs
	if len(jobs) == 0 {
		return out
	}
	var work int64
	done := 0
	for ; done < len(jobs); done++ {
		j := &jobs[done]
		if work > pj.budget || !j.ran || (j.checked && work+j.preLast > pj.budget) {
			break
		}
		work += j.work
	}
	drop := map[int]bool{}
	for _, j := range jobs[done:] {
		if !j.ran {
			continue
		}
		for _, i := range j.added {
			drop[i] = true
		}
		for _, sf := range j.before {
			out[sf.idx].f = sf.f
		}
	}
	if len(drop) > 0 {
		kept := out[:0]
		for i, fd := range out {
			if !drop[i] {
				kept = append(kept, fd)
			}
		}
		out = kept
	}
	if done < len(jobs) {
		j := &jobs[done]
		out = append(out, found{row: j.row, col: j.col, rule: -1, seq: auditSeqBase, order: auditOrder{phase: 1},
			f: budgetFinding(j.file, j.sheet, done, len(jobs))})
	}
	return out
}

// auditOrder is the order in which the in-memory evaluation makes the
// audit's findings, which sort by it at one cell: error localization's,
// cluster by cluster in the clusters' order (by the rule and anchor of
// their first failure), each in the order made; then the one that says
// localization stopped; then the scale slips, series by series (by their
// first figure), each in period order.
type auditOrder struct {
	phase  int
	rule   int
	anchor int64
	k      int
}

// numberAudit numbers the audit's findings of a spilled evaluation after
// every rule finding, in auditOrder.
func numberAudit(out []found, nRules int) {
	var idx []int
	for i := range out {
		if out[i].rule < 0 || out[i].rule >= nRules {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		x, y := &out[a].order, &out[b].order
		return cmp.Or(cmp.Compare(x.phase, y.phase), cmp.Compare(x.rule, y.rule), cmp.Compare(x.anchor, y.anchor), cmp.Compare(x.k, y.k))
	})
	for rank, i := range idx {
		out[i].seq = auditSeqBase + rank
	}
}
