package load

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/tradeetl/tradeetl/schemas"
)

// Observations wait in a rowBuf, column by column and compactly, until they
// are sorted and written: dimension text as an index into its column's
// dictionary (4 bytes a row whatever the text), other text as bytes in one
// arena, numbers as numbers. About 150 bytes a row.

// colKind is how a column is held in a rowBuf.
type colKind uint8

const (
	kindDict    colKind = iota // text, as an index into the column's dictionary (-1: null)
	kindText                   // text, as bytes (values mostly distinct: cell, value_text)
	kindInt32                  // INT32 and DATE
	kindInt64                  // INT64
	kindDecimal                // DECIMAL(38,s), nullable
	kindConst                  // the same INT64 on every row (loaded_at): not held
)

// obsCol is one observation column: how it is held and how its value is
// taken from an observation.
type obsCol struct {
	name     string
	kind     colKind
	nullable bool
	// Exactly one getter is set, by kind. A nullable text column is null
	// where str returns "".
	str   func(*schemas.Observation) string
	i32   func(*schemas.Observation, *obsDerived) int32
	i64   func(*schemas.Observation, *obsDerived) int64
	dec   func(*schemas.Observation, *obsDerived) (decimal128.Num, bool)
	konst int64    // kindConst
	dict  *strDict // kindDict: shared by every run of the writer
}

// obsDerived holds the column values of an observation that need
// conversion, computed (and checked) before any row of a batch is appended.
type obsDerived struct {
	value, valueBase, valueEUR, quantity decimal128.Num
	scale                                int64
	periodStart                          int32
}

// observationCols returns the columns of cols ([schemas.ObservationColumns])
// with their getters. A column without a getter, a getter without a column,
// or a getter whose kind does not fit the column's type is an error, so the
// column list and this code cannot drift apart.
// runID is the run that writes the rows.
func observationCols(cols []schemas.Column, loadedAt int64, runID string) ([]*obsCol, error) {
	type obs = schemas.Observation
	str := func(get func(*obs) string) *obsCol { return &obsCol{str: get} }
	i32 := func(get func(*obs, *obsDerived) int32) *obsCol { return &obsCol{kind: kindInt32, i32: get} }
	dec := func(get func(*obs, *obsDerived) (decimal128.Num, bool)) *obsCol {
		return &obsCol{kind: kindDecimal, dec: get}
	}
	byName := map[string]*obsCol{
		"file":            str(func(o *obs) string { return o.File }),
		"file_sha256":     str(func(o *obs) string { return o.FileSHA256 }),
		"sheet":           str(func(o *obs) string { return o.Sheet }),
		"cell":            str(func(o *obs) string { return o.Cell }),
		"table_range":     str(func(o *obs) string { return o.Table }),
		"label":           str(func(o *obs) string { return o.Label }),
		"reporter":        str(func(o *obs) string { return o.Reporter }),
		"reporter_code":   str(func(o *obs) string { return o.ReporterCode }),
		"reporter_parent": str(func(o *obs) string { return o.ReporterParent }),
		"partner":         str(func(o *obs) string { return o.Partner }),
		"partner_code":    str(func(o *obs) string { return o.PartnerCode }),
		"flow":            str(func(o *obs) string { return o.Flow }),
		"product":         str(func(o *obs) string { return o.Product }),
		"product_code":    str(func(o *obs) string { return o.ProductCode }),
		"measure":         str(func(o *obs) string { return o.Measure }),
		"period":          str(func(o *obs) string { return o.Period }),
		"period_type":     str(func(o *obs) string { return o.PeriodType }),
		"year":            i32(func(o *obs, _ *obsDerived) int32 { return int32(o.Year) }),
		"period_start":    i32(func(_ *obs, d *obsDerived) int32 { return d.periodStart }),
		"base_period":     str(func(o *obs) string { return o.BasePeriod }),
		"value":           dec(func(o *obs, d *obsDerived) (decimal128.Num, bool) { return d.value, o.HasValue }),
		"value_text":      str(func(o *obs) string { return o.Text }),
		"decimals":        i32(func(o *obs, _ *obsDerived) int32 { return int32(o.Decimals) }),
		"missing":         str(func(o *obs) string { return o.Missing }),
		"obs_status":      str(func(o *obs) string { return o.Status }),
		"unit":            str(func(o *obs) string { return o.Unit }),
		"currency":        str(func(o *obs) string { return o.Currency }),
		"scale":           {kind: kindInt64, i64: func(_ *obs, d *obsDerived) int64 { return d.scale }},
		"value_base":      dec(func(o *obs, d *obsDerived) (decimal128.Num, bool) { return d.valueBase, o.HasValueBase }),
		"value_eur":       dec(func(o *obs, d *obsDerived) (decimal128.Num, bool) { return d.valueEUR, o.HasValueEUR }),
		"loaded_at":       {kind: kindConst, konst: loadedAt},
		"run_id": str(func(o *obs) string {
			if o.RunID != "" {
				return o.RunID // a figure published by an earlier run (current/)
			}
			return runID
		}),
		"flow_code":              str(func(o *obs) string { return schemas.FlowCode(o.Flow) }),
		"product_classification": str(func(o *obs) string { return o.ProductClass }),
		"time_period":            str(timePeriodOf()),
		"quantity":               dec(func(o *obs, d *obsDerived) (decimal128.Num, bool) { return d.quantity, o.HasQuantity }),
		"quantity_unit":          str(func(o *obs) string { return o.QuantityUnit }),
	}
	out := make([]*obsCol, len(cols))
	for i, c := range cols {
		oc, ok := byName[c.Name]
		if !ok {
			return nil, fmt.Errorf("load: no getter for column %s", c.Name)
		}
		delete(byName, c.Name)
		oc.name, oc.nullable = c.Name, c.Nullable
		t, err := ArrowType(c.Type)
		if err != nil {
			return nil, fmt.Errorf("load: column %s: %w", c.Name, err)
		}
		switch t.ID() {
		case arrow.STRING:
			oc.kind = kindText
			if c.Dictionary() {
				oc.kind, oc.dict = kindDict, newStrDict()
			}
			if oc.str == nil {
				return nil, fmt.Errorf("load: column %s is text but its getter is not", c.Name)
			}
		case arrow.INT32, arrow.DATE32:
			if oc.kind != kindInt32 || c.Nullable {
				return nil, fmt.Errorf("load: column %s (%s) does not fit its getter", c.Name, c.Type)
			}
		case arrow.INT64, arrow.TIMESTAMP:
			if oc.kind != kindInt64 && oc.kind != kindConst || c.Nullable {
				return nil, fmt.Errorf("load: column %s (%s) does not fit its getter", c.Name, c.Type)
			}
		case arrow.DECIMAL128:
			if oc.kind != kindDecimal {
				return nil, fmt.Errorf("load: column %s (%s) does not fit its getter", c.Name, c.Type)
			}
		default:
			return nil, fmt.Errorf("load: column %s: no storage for type %s", c.Name, c.Type)
		}
		out[i] = oc
	}
	for name := range byName {
		return nil, fmt.Errorf("load: getter for unknown column %s", name)
	}
	return out, nil
}

// timePeriodOf returns a getter of the SDMX time_period of an observation
// that remembers the last period it converted: rows come period after
// period.
func timePeriodOf() func(*schemas.Observation) string {
	var last, lastSDMX string
	return func(o *schemas.Observation) string {
		if o.Period != last || lastSDMX == "" {
			last, lastSDMX = o.Period, schemas.TimePeriod(o.Period)
		}
		return lastSDMX
	}
}

// strDict interns the text of one column: each distinct value gets an index,
// in order of first appearance.
type strDict struct {
	idx  map[string]int32
	vals []string
	size int // bytes of the values

	// The previous value and its index: dimensions repeat from row to
	// row, so most lookups stop here.
	last    string
	lastIdx int32
}

func newStrDict() *strDict { return &strDict{idx: map[string]int32{}, lastIdx: -1} }

func (d *strDict) intern(s string) int32 {
	if d.lastIdx >= 0 && s == d.last {
		return d.lastIdx
	}
	i, ok := d.idx[s]
	if !ok {
		// A copy: s may point into a large buffer of the reader.
		s = strings.Clone(s)
		i = int32(len(d.vals))
		d.idx[s] = i
		// Parquet strings are UTF-8: bytes that are not (a file or
		// sheet name) are replaced, as JSON replaces them
		v := schemas.ValidUTF8(s)
		d.vals = append(d.vals, v)
		d.size += len(v)
	}
	d.last, d.lastIdx = s, i
	return i
}

// ranks returns, for each index, 1 + the position of its value in byte
// order: sort keys for the current values. Ranks of a later call keep the
// order of earlier ones.
func (d *strDict) ranks() []uint32 {
	order := make([]int32, len(d.vals))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(d.vals[a], d.vals[b]) })
	ranks := make([]uint32, len(d.vals))
	for pos, i := range order {
		ranks[i] = uint32(pos) + 1
	}
	return ranks
}

// colData holds the values of one column, by kind.
type colData struct {
	i32  []int32          // kindDict (dictionary index, -1 for null), kindInt32
	i64  []int64          // kindInt64
	dec  []decimal128.Num // kindDecimal (zero where null)
	null []byte           // kindDecimal: 1 where null
	end  []uint32         // kindText: end of each value in text
	text []byte           // kindText
}

// rowBuf holds rows of observations, column by column.
type rowBuf struct {
	cols []*obsCol
	data []colData
	n    int
}

func newRowBuf(cols []*obsCol) *rowBuf {
	return &rowBuf{cols: cols, data: make([]colData, len(cols))}
}

// reset empties the buffer and keeps its memory.
func (b *rowBuf) reset() {
	for j := range b.data {
		b.data[j].reset()
	}
	b.n = 0
}

// add appends an observation whose derived values are d.
func (b *rowBuf) add(o *schemas.Observation, d *obsDerived) {
	for j, c := range b.cols {
		cd := &b.data[j]
		switch c.kind {
		case kindDict:
			s := c.str(o)
			if s == "" && c.nullable {
				cd.i32 = append(cd.i32, -1)
			} else {
				cd.i32 = append(cd.i32, c.dict.intern(s))
			}
		case kindText:
			cd.text = appendValidUTF8(cd.text, c.str(o))
			cd.end = append(cd.end, uint32(len(cd.text)))
		case kindInt32:
			cd.i32 = append(cd.i32, c.i32(o, d))
		case kindInt64:
			cd.i64 = append(cd.i64, c.i64(o, d))
		case kindDecimal:
			v, ok := c.dec(o, d)
			if !ok {
				v = decimal128.Num{}
			}
			cd.dec = append(cd.dec, v)
			cd.null = append(cd.null, nullByte(!ok))
		}
	}
	b.n++
}

// appendValidUTF8 appends s to b, each byte of s that is not part of valid
// UTF-8 replaced by U+FFFD (see schemas.ValidUTF8).
func appendValidUTF8(b []byte, s string) []byte {
	if utf8.ValidString(s) {
		return append(b, s...)
	}
	return append(b, schemas.ValidUTF8(s)...)
}

// textAt returns the text of row i of a kindText column.
func (cd *colData) textAt(i int) []byte {
	start := uint32(0)
	if i > 0 {
		start = cd.end[i-1]
	}
	return cd.text[start:cd.end[i]]
}

func nullByte(null bool) byte {
	if null {
		return 1
	}
	return 0
}

// sortKeys is the number of sort key columns at most: year (when
// partitioned), reporter, partner, flow, period, product.
const sortKeys = 6

// sortKey orders one row: its key columns as ranks, then where it came from.
type sortKey struct {
	k   [sortKeys]uint32
	row int32
}

func compareKeys(a, b *[sortKeys]uint32) int {
	for i := range a {
		if c := cmp.Compare(a[i], b[i]); c != 0 {
			return c
		}
	}
	return 0
}

// keyCols names the columns rows are sorted by, in order.
func keyCols(partitionBy string) []string {
	keys := []string{"reporter", "partner", "flow", "period", "product"}
	if partitionBy == PartitionYear {
		keys = append([]string{"year"}, keys...)
	}
	return keys
}

// keySpec says how to make the sort key of a row: a dictionary column by
// the rank of its value, an INT32 column by its value.
type keySpec struct {
	col   []int      // column indexes, in key order
	ranks [][]uint32 // by key: ranks of a kindDict column's dictionary; nil for INT32
}

// keySpec returns the key of the columns names. final gives the ranks of
// the dictionaries once they are complete (when merging); without it they
// are the ranks of the values seen so far.
func (b *rowBuf) keySpec(names []string, final []*finalDict) (keySpec, error) {
	var ks keySpec
	for _, name := range names {
		j := slices.IndexFunc(b.cols, func(c *obsCol) bool { return c.name == name })
		if j < 0 {
			return ks, fmt.Errorf("load: sort column %s is not a column", name)
		}
		var r []uint32
		switch c := b.cols[j]; {
		case c.kind == kindDict && final != nil:
			r = final[j].rank
		case c.kind == kindDict:
			r = c.dict.ranks()
		case c.kind != kindInt32:
			return ks, fmt.Errorf("load: cannot sort by column %s", name)
		}
		ks.col = append(ks.col, j)
		ks.ranks = append(ks.ranks, r)
	}
	return ks, nil
}

// set sets key n of k from the held value x of its column.
func (ks *keySpec) set(k *[sortKeys]uint32, n int, x int32) {
	switch r := ks.ranks[n]; {
	case r == nil:
		k[n] = uint32(x) ^ 1<<31 // signed order
	case x < 0:
		k[n] = 0 // null first
	default:
		k[n] = r[x]
	}
}

// fromBuf fills k with the key of row i of b.
func (ks *keySpec) fromBuf(k *[sortKeys]uint32, b *rowBuf, i int) {
	for n, j := range ks.col {
		ks.set(k, n, b.data[j].i32[i])
	}
}

// sorter reorders the rows of a rowBuf in place by their sort keys, rows
// with equal keys keeping the order they were added in.
type sorter struct {
	packed, tmp []packedKey
	wide        []sortKey
	order       []int32
	scratch     colData // one spare column of each kind, swapped in and out
}

// packedKey is a sort key packed into one integer (when its parts fit).
type packedKey struct {
	k   uint64
	row int32
}

// sort sorts b by ks.
func (s *sorter) sort(b *rowBuf, ks *keySpec) {
	n := b.n
	// Pack the key into 64 bits when its parts fit: ranks need
	// bits.Len(dictionary size), an INT32 key the bits of its range.
	var width, offset [sortKeys]uint32
	total := 0
	for i, j := range ks.col {
		if r := ks.ranks[i]; r != nil {
			width[i] = uint32(bits.Len(uint(len(r))))
		} else if n > 0 {
			lo, hi := b.data[j].i32[0], b.data[j].i32[0]
			for _, x := range b.data[j].i32[:n] {
				lo, hi = min(lo, x), max(hi, x)
			}
			offset[i] = uint32(lo) ^ 1<<31
			width[i] = uint32(bits.Len32((uint32(hi) ^ 1<<31) - offset[i]))
		}
		total += int(width[i])
	}
	s.order = slices.Grow(s.order[:0], n)[:n]
	if total <= 64 {
		s.packed = slices.Grow(s.packed[:0], n)[:n]
		s.tmp = slices.Grow(s.tmp[:0], n)[:n]
		var k [sortKeys]uint32
		for i := range n {
			ks.fromBuf(&k, b, i)
			var p uint64
			for part := range ks.col {
				p = p<<width[part] | uint64(k[part]-offset[part])
			}
			s.packed[i] = packedKey{k: p, row: int32(i)}
		}
		sorted := radixSort(s.packed, s.tmp, total)
		for i := range sorted {
			s.order[i] = sorted[i].row
		}
	} else {
		s.wide = slices.Grow(s.wide[:0], n)[:n]
		for i := range s.wide {
			s.wide[i] = sortKey{row: int32(i)}
			ks.fromBuf(&s.wide[i].k, b, i)
		}
		slices.SortFunc(s.wide, func(a, b sortKey) int {
			if c := compareKeys(&a.k, &b.k); c != 0 {
				return c
			}
			return cmp.Compare(a.row, b.row)
		})
		for i := range s.wide {
			s.order[i] = s.wide[i].row
		}
	}
	b.permute(s.order, &s.scratch)
}

// radixSort sorts a by k (LSD radix sort on 11-bit digits: stable, so rows
// with equal keys keep their order) using tmp, of the same length, as
// scratch; bits is the width of the keys. It returns a or tmp, whichever
// holds the result.
func radixSort(a, tmp []packedKey, bits int) []packedKey {
	const digit = 11
	const mask = 1<<digit - 1
	var count [1 << digit]int
	for shift := 0; shift < bits; shift += digit {
		clear(count[:])
		for i := range a {
			count[a[i].k>>shift&mask]++
		}
		if count[a[0].k>>shift&mask] == len(a) {
			continue // every key has this digit
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for i := range a {
			d := a[i].k >> shift & mask
			tmp[count[d]] = a[i]
			count[d]++
		}
		a, tmp = tmp, a
	}
	return a
}

// permute reorders the rows of b: row i becomes what was row order[i].
// Column by column, so that the reads of each stay within one array; s
// holds a spare array of each kind, swapped with the column it refills.
func (b *rowBuf) permute(order []int32, s *colData) {
	n := len(order)
	for j, c := range b.cols {
		cd := &b.data[j]
		switch c.kind {
		case kindDict, kindInt32:
			t := slices.Grow(s.i32[:0], n)[:n]
			for k, r := range order {
				t[k] = cd.i32[r]
			}
			cd.i32, s.i32 = t, cd.i32
		case kindInt64:
			t := slices.Grow(s.i64[:0], n)[:n]
			for k, r := range order {
				t[k] = cd.i64[r]
			}
			cd.i64, s.i64 = t, cd.i64
		case kindDecimal:
			t := slices.Grow(s.dec[:0], n)[:n]
			u := slices.Grow(s.null[:0], n)[:n]
			for k, r := range order {
				t[k], u[k] = cd.dec[r], cd.null[r]
			}
			cd.dec, s.dec = t, cd.dec
			cd.null, s.null = u, cd.null
		case kindText:
			t := slices.Grow(s.text[:0], len(cd.text))
			e := slices.Grow(s.end[:0], n)[:n]
			for k, r := range order {
				t = append(t, cd.textAt(int(r))...)
				e[k] = uint32(len(t))
			}
			cd.text, s.text = t, cd.text
			cd.end, s.end = e, cd.end
		}
	}
}
