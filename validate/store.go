package validate

import (
	"strconv"
	"strings"
	"time"

	"github.com/tradeetl/tradeetl/schemas"
)

// The evaluator keeps, of every observation a rule can reach, a compact
// record instead of the observation: its key fields as interned strings,
// its value and decimals, its cell as row and column, and a context (its
// file, sheet and table, unit, currency, scale and period type and
// start), interned too, since a table shares them. 48 bytes a figure
// instead of the ~400 of a schemas.Observation and its strings. The
// currency, a key field, lives in the context: a table rarely changes
// currency, and the record keeps its 48 bytes.

// rec is the compact record of one observation.
type rec struct {
	value float64
	key   [nRecKeys]uint32 // interned reporter, partner, flow, product, measure, period
	ctx   uint32           // index in checker.ctxs; holds the currency
	row   uint32           // cell row (1-based) when the cell is plain A1
	dec   int32            // decimals
	col   uint16           // cell column (1-based) when the cell is plain A1
	flags uint8
}

// Record flags.
const (
	recHas      = 1 << iota // the figure has a value
	recOdd                  // cell or decimals do not fit: see checker.odd
	recIndex                // some operand may look the record up: it is in the indexes
	recTableDup             // an earlier record has the same key in the same table
	recRetained             // (scratch) the record is kept
	recRC                   // the cell is named R<row>C<col> (beyond Excel's grid: CSV rows past 1,048,576)
)

// nKeys is the number of key fields (keyFields); nRecKeys those a record
// keeps in rec.key: all but the currency, which its context holds.
const (
	nKeys    = nSlots - slotFirstKey
	nRecKeys = slotCurrency - slotFirstKey
)

// odd holds what does not fit a rec: a cell that is not plain A1 (CSV
// cells are, so are xlsx ones) or decimals beyond int32.
type odd struct {
	oddCell  bool
	cell     string
	row, col int // the cell as parseA1 reads it
	oddDec   bool
	decimals int
}

// ctxCache remembers the context of the last observation.
type ctxCache struct {
	ok                                             bool
	file, sheet, table, unit, currency, periodType string
	scale                                          float64
	start                                          time.Time
	id                                             uint32
}

// ctxInfo is what observations of one table with one unit, currency,
// scale and period type and start share.
type ctxInfo struct {
	scope      [3]uint32 // interned file, sheet, table
	unit       uint32    // interned Unit
	cur        uint32    // interned currency the figures are compared in (currencyOf), 0 for none
	isMoney    bool      // Unit is a currency (schemas.IsMoney)
	noUnit     bool      // Unit is "": a money figure whose table states no unit
	rawScale   float64   // Scale as published
	money      float64   // the money scale: Scale for money figures with Scale > 0, else 0
	periodType string
	startSec   int64 // PeriodStart as seconds and nanoseconds
	startNsec  int32
}

type ctxKey struct {
	scope      [3]uint32
	unit, cur  uint32
	scale      float64
	periodType string
	startSec   int64
	startNsec  int32
}

// seenCurrency is what the money figures of a table have shown so far:
// their currency, or mixed when they had several.
type seenCurrency struct {
	id    uint32
	mixed bool
}

// recChunk is the number of records of one chunk of recStore (a power of
// two): chunks spare the copy of a growing slice of a million records.
const (
	recChunkBits = 14
	recChunk     = 1 << recChunkBits
)

// recStore is an append-only list of records in chunks.
type recStore struct {
	chunks [][]rec
	n      int
}

func (s *recStore) len() int { return s.n }

func (s *recStore) at(i int32) *rec {
	return &s.chunks[i>>recChunkBits][i&(recChunk-1)]
}

// push appends r and returns its index.
func (s *recStore) push(r rec) int32 {
	if s.n>>recChunkBits == len(s.chunks) {
		size := recChunk
		if s.n == 0 {
			size = 64 // small inputs stay small
		}
		s.chunks = append(s.chunks, make([]rec, 0, size))
	}
	c := &s.chunks[s.n>>recChunkBits]
	*c = append(*c, r)
	s.n++
	return int32(s.n - 1)
}

// pop removes the last record. Its chunk stays, even empty, for the next
// push.
func (s *recStore) pop() {
	s.n--
	c := &s.chunks[s.n>>recChunkBits]
	*c = (*c)[:len(*c)-1]
}

// strings is the interning table of an evaluator: every string of a key
// slot, and the constants of the rules, numbered from 0 ("").
type strTable struct {
	ids  map[string]uint32
	strs []string
}

func newStrTable() strTable {
	return strTable{ids: map[string]uint32{"": 0}, strs: []string{""}}
}

// intern returns the number of s, adding a copy of s (so that the table
// keeps no larger buffer s may be part of alive) when it is new.
func (t *strTable) intern(s string) uint32 {
	if n, ok := t.ids[s]; ok {
		return n
	}
	s = strings.Clone(s)
	n := uint32(len(t.strs))
	t.ids[s] = n
	t.strs = append(t.strs, s)
	return n
}

// id interns the string of a slot, remembering the last string of each
// slot: neighbouring observations share most strings.
func (c *checker) id(slot int, s string) uint32 {
	if s == c.last[slot] {
		return c.lastID[slot]
	}
	n := c.strs.intern(s)
	c.last[slot], c.lastID[slot] = s, n
	return n
}

// ctxOf interns the context of o.
func (c *checker) ctxOf(o *schemas.Observation) uint32 {
	l := &c.lastCtx
	if l.ok && o.File == l.file && o.Sheet == l.sheet && o.Table == l.table && o.Unit == l.unit &&
		o.Currency == l.currency && o.Scale == l.scale && o.PeriodType == l.periodType && o.PeriodStart.Equal(l.start) {
		// The same fields as the last observation's: its currency, too,
		// since no other money figure came in between (currencyOf).
		return l.id
	}
	scope := [3]uint32{c.id(slotFile, o.File), c.id(slotSheet, o.Sheet), c.id(slotTable, o.Table)}
	k := ctxKey{
		scope:      scope,
		unit:       c.strs.intern(o.Unit),
		cur:        c.currencyOf(o, scope),
		scale:      o.Scale,
		periodType: o.PeriodType,
		startSec:   o.PeriodStart.Unix(),
		startNsec:  int32(o.PeriodStart.Nanosecond()),
	}
	id := c.internCtx(k)
	*l = ctxCache{ok: true, file: o.File, sheet: o.Sheet, table: o.Table, unit: o.Unit, currency: o.Currency,
		scale: o.Scale, periodType: o.PeriodType, start: o.PeriodStart, id: id}
	return id
}

// currencyOf is the currency figure o is compared in, the value of its
// key slot currency (0 for none):
//
//   - a money figure's is its Unit, the currency it is published in;
//   - a figure whose table states no unit (Unit "") has none: it is
//     compared only with other figures without a unit, never with one
//     that has a currency (see bindMembers for why that is safe);
//   - a share's or growth rate's is its Currency, the currency of the
//     table it belongs to: a growth rate computed from pound figures is
//     compared with pound levels, not with euro ones. When Currency is
//     empty (producers before schema v2 set it on money figures only),
//     it is the currency of the money figures of its table read so far,
//     when they have one; else none. Observations come in the same order
//     however they are batched, so this is the same in every batching.
//
// It notes the currency of each money figure's table for the latter.
func (c *checker) currencyOf(o *schemas.Observation, scope [3]uint32) uint32 {
	switch {
	case schemas.IsMoney(o.Unit):
		id := c.id(slotCurrency, o.Unit)
		c.seeCurrency(scope, id)
		return id
	case o.Unit == "":
		return 0
	case o.Currency != "":
		return c.id(slotCurrency, o.Currency)
	}
	if t, ok := c.tableCur[scope]; ok && !t.mixed {
		return t.id
	}
	return 0
}

// seeCurrency notes a money figure of currency id in the table scope.
func (c *checker) seeCurrency(scope [3]uint32, id uint32) {
	t, ok := c.tableCur[scope]
	switch {
	case !ok:
		if c.tableCur == nil {
			c.tableCur = map[[3]uint32]seenCurrency{}
		}
		c.tableCur[scope] = seenCurrency{id: id}
	case t.id != id && !t.mixed:
		c.tableCur[scope] = seenCurrency{id: t.id, mixed: true}
	}
}

func (c *checker) internCtx(k ctxKey) uint32 {
	if id, ok := c.ctxIDs[k]; ok {
		return id
	}
	k.periodType = strings.Clone(k.periodType)
	id := uint32(len(c.ctxs))
	unit := c.str(k.unit)
	ci := ctxInfo{scope: k.scope, unit: k.unit, cur: k.cur, isMoney: schemas.IsMoney(unit), noUnit: unit == "",
		rawScale: k.scale, periodType: k.periodType, startSec: k.startSec, startNsec: k.startNsec}
	if ci.isMoney && k.scale > 0 {
		ci.money = k.scale
	}
	c.ctxs = append(c.ctxs, ci)
	c.ctxIDs[k] = id
	return id
}

// setCell stores the cell of a record: row and column when the cell is
// plain A1 (formatting them gives the cell back), else in odd.
func (c *checker) setCell(r *rec, cell string) (oddCell bool) {
	row, col := parseA1(cell)
	if row > 0 && row <= 1<<32-1 && col > 0 && col <= 1<<16-1 && plainA1(cell) {
		r.row, r.col = uint32(row), uint16(col)
		return false
	}
	if row, col, ok := parseRC(cell); ok {
		r.row, r.col = uint32(row), uint16(col)
		r.flags |= recRC
		return false
	}
	return true
}

// parseRC reads "R1048577C3", the name extract gives a cell beyond Excel's
// grid, when formatRC gives it back (no sign, no leading zero).
func parseRC(cell string) (row, col int, ok bool) {
	rest, found := strings.CutPrefix(cell, "R")
	if !found {
		return 0, 0, false
	}
	r, c, found := strings.Cut(rest, "C")
	if !found {
		return 0, 0, false
	}
	row, err1 := strconv.Atoi(r)
	col, err2 := strconv.Atoi(c)
	if err1 != nil || err2 != nil || row <= 0 || row > 1<<32-1 || col <= 0 || col > 1<<16-1 || formatRC(row, col) != cell {
		return 0, 0, false
	}
	return row, col, true
}

// formatRC writes row 7, column 2 as "R7C2".
func formatRC(row, col int) string {
	return "R" + strconv.Itoa(row) + "C" + strconv.Itoa(col)
}

// plainA1 reports whether cell is one to four upper-case letters then at
// most ten digits without a leading zero: what formatA1 writes.
func plainA1(cell string) bool {
	i := 0
	for i < len(cell) && cell[i] >= 'A' && cell[i] <= 'Z' {
		i++
	}
	return i > 0 && i <= 4 && i < len(cell) && cell[i] != '0' && len(cell)-i <= 10
}

// formatA1 writes row 7, column 2 as "B7".
func formatA1(row, col int) string {
	var letters [8]byte
	n := len(letters)
	for col > 0 && n > 0 {
		col--
		n--
		letters[n] = byte('A' + col%26)
		col /= 26
	}
	buf := make([]byte, 0, 16)
	buf = append(buf, letters[n:]...)
	return string(strconv.AppendInt(buf, int64(row), 10))
}

// Accessors of a record's fields, as the observation had them.

func (c *checker) ctxOfRec(i int32) *ctxInfo { return &c.ctxs[c.recs.at(i).ctx] }
func (c *checker) str(id uint32) string      { return c.strs.strs[id] }

// keyID is the interned value of key slot slot of record i.
func (c *checker) keyID(i int32, slot int) uint32 {
	r := c.recs.at(i)
	if slot == slotCurrency {
		return c.ctxs[r.ctx].cur
	}
	return r.key[slot-slotFirstKey]
}

func (c *checker) keyStr(i int32, slot int) string { return c.strs.strs[c.keyID(i, slot)] }

// keys is the key fields of record r, the currency last.
func (c *checker) keys(r *rec) [nKeys]uint32 {
	return [nKeys]uint32{r.key[0], r.key[1], r.key[2], r.key[3], r.key[4], r.key[5], c.ctxs[r.ctx].cur}
}

func (c *checker) file(i int32) string  { return c.str(c.ctxOfRec(i).scope[0]) }
func (c *checker) sheet(i int32) string { return c.str(c.ctxOfRec(i).scope[1]) }

// fullKey is the lookup key of record i with every scope slot.
func (c *checker) fullKey(i int32) key {
	return c.tableKey(c.recs.at(i))
}

func (c *checker) cell(i int32) string {
	r := c.recs.at(i)
	if r.flags&recOdd != 0 {
		if o := c.odd[i]; o.oddCell {
			return o.cell
		}
	}
	if r.flags&recRC != 0 {
		return formatRC(int(r.row), int(r.col))
	}
	return formatA1(int(r.row), int(r.col))
}

// rowCol is the cell's row and column: as parseA1 reads it, or those of
// an R<row>C<col> cell past Excel's grid, so that its findings sort after
// the rows above it.
func (c *checker) rowCol(i int32) (row, col int) {
	r := c.recs.at(i)
	if r.flags&recOdd != 0 {
		if o := c.odd[i]; o.oddCell {
			return o.row, o.col
		}
	}
	return int(r.row), int(r.col) // also of an R<row>C<col> cell: findings sort by it

}

func (c *checker) decimals(i int32) int {
	r := c.recs.at(i)
	if r.flags&recOdd != 0 {
		if o := c.odd[i]; o.oddDec {
			return o.decimals
		}
	}
	return int(r.dec)
}

func (c *checker) value(i int32) float64 { return c.recs.at(i).value }

// obs rebuilds the fields of record i that messages use: file, sheet,
// cell, the key fields, value and decimals, unit and scale.
func (c *checker) obs(i int32) *schemas.Observation {
	r := c.recs.at(i)
	ci := &c.ctxs[r.ctx]
	o := &schemas.Observation{
		File: c.str(ci.scope[0]), Sheet: c.str(ci.scope[1]), Table: c.str(ci.scope[2]), Cell: c.cell(i),
		Reporter: c.str(r.key[0]), Partner: c.str(r.key[1]), Flow: c.str(r.key[2]),
		Product: c.str(r.key[3]), Measure: c.str(r.key[4]), Period: c.str(r.key[5]),
		PeriodType: ci.periodType, HasValue: r.flags&recHas != 0, Value: r.value, Decimals: c.decimals(i),
		Unit: c.str(ci.unit), Currency: c.str(ci.cur), Scale: ci.rawScale,
	}
	return o
}

// describe is describe(o) of the observation of record i.
func (c *checker) describe(i int32) string {
	r := c.recs.at(i)
	o := schemas.Observation{Reporter: c.str(r.key[0]), Flow: c.str(r.key[2]), Product: c.str(r.key[3]),
		Measure: c.str(r.key[4]), Period: c.str(r.key[5])}
	return describe(&o)
}

// ref is Observation.Ref of record i: "Sheet!B7", or "B7" without a sheet.
func (c *checker) ref(i int32) string {
	if s := c.sheet(i); s != "" {
		return s + "!" + c.cell(i)
	}
	return c.cell(i)
}

// cellRef names the cell of m as seen from the anchor's sheet: "C9", or
// "Sheet2!C9" on another sheet, or "[other.xlsx]Sheet1!C9" in another file.
func (c *checker) cellRef(anchor, m int32) string {
	a, o := &c.ctxOfRec(anchor).scope, &c.ctxOfRec(m).scope
	switch {
	case o[0] != a[0]:
		return "[" + c.str(o[0]) + "]" + c.ref(m)
	case o[1] != a[1]:
		return c.ref(m)
	}
	return c.cell(m)
}
