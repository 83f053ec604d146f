package load

import (
	"bufio"
	"bytes"
	"cmp"
	"container/heap"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"
)

// The first pass of the current dataset finds, for each figure key, the
// row that holds it (the latest delivery's first row), the rows left out
// and the revisions between deliveries. It does so by sorting: a record
// per row read (the key's hash, the row, its value), ordered by key and
// then by the order the rows were read in, so that the rows of one key
// come together in the order a single pass would meet them. Up to
// Options.SortRows records are sorted in memory; more are sorted in runs
// spilled to a temporary file beside the output and merged, so that
// memory does not grow with the number of figures. The winners are kept
// as one bit per row read.

// keyRec is the record of one row read: its key's hash and its winner
// entry.
type keyRec struct {
	h figureHash
	w winner
}

// keyRecSize is the size of an encoded keyRec.
const keyRecSize = 16 + 4 + 8 + 1 + 8 + 8

func compareKeyRecs(a, b *keyRec) int {
	if c := bytes.Compare(a.h[:], b.h[:]); c != 0 {
		return c
	}
	if c := cmp.Compare(a.w.d, b.w.d); c != 0 {
		return c
	}
	return cmp.Compare(a.w.ord, b.w.ord)
}

func (r *keyRec) encode(b []byte) {
	copy(b, r.h[:])
	binary.LittleEndian.PutUint32(b[16:], uint32(r.w.d))
	binary.LittleEndian.PutUint64(b[20:], uint64(r.w.ord))
	b[28] = 0
	if r.w.has {
		b[28] = 1
	}
	binary.LittleEndian.PutUint64(b[29:], math.Float64bits(r.w.val))
	binary.LittleEndian.PutUint64(b[37:], math.Float64bits(r.w.half))
}

func (r *keyRec) decode(b []byte) {
	copy(r.h[:], b)
	r.w.d = int32(binary.LittleEndian.Uint32(b[16:]))
	r.w.ord = int64(binary.LittleEndian.Uint64(b[20:]))
	r.w.has = b[28] == 1
	r.w.val = math.Float64frombits(binary.LittleEndian.Uint64(b[29:]))
	r.w.half = math.Float64frombits(binary.LittleEndian.Uint64(b[37:]))
}

// keySorter collects key records, spilling sorted runs past its budget
// to a run file as the observations writer does (see newSpill).
type keySorter struct {
	path   string // the output the run file goes beside
	budget int
	buf    []keyRec
	sp     *spill     // nil until the first run is spilled
	runs   [][2]int64 // offset and count of each run in sp
}

func newKeySorter(path string, budget int) *keySorter {
	return &keySorter{path: path, budget: max(budget, 1)}
}

func (s *keySorter) add(r keyRec) error {
	s.buf = append(s.buf, r)
	if len(s.buf) >= s.budget {
		return s.spill()
	}
	return nil
}

// spill sorts the records in memory and appends them to the run file.
func (s *keySorter) spill() error {
	if s.sp == nil {
		sp, err := newSpill(s.path)
		if err != nil {
			return err
		}
		s.sp = sp
	}
	slices.SortFunc(s.buf, func(a, b keyRec) int { return compareKeyRecs(&a, &b) })
	off := s.sp.size
	var b [keyRecSize]byte
	for i := range s.buf {
		s.buf[i].encode(b[:])
		if err := s.sp.write(b[:]); err != nil {
			return err
		}
	}
	s.runs = append(s.runs, [2]int64{off, int64(len(s.buf))})
	s.buf = s.buf[:0]
	return nil
}

// close removes the run file.
func (s *keySorter) close() {
	if s.sp != nil {
		s.sp.close()
		s.sp = nil
	}
}

// each calls fn with every record, by key and then in the order read.
func (s *keySorter) each(fn func(*keyRec) error) error {
	if s.sp == nil {
		slices.SortFunc(s.buf, func(a, b keyRec) int { return compareKeyRecs(&a, &b) })
		for i := range s.buf {
			if err := fn(&s.buf[i]); err != nil {
				return err
			}
		}
		return nil
	}
	if len(s.buf) > 0 {
		if err := s.spill(); err != nil {
			return err
		}
	}
	if err := s.sp.w.Flush(); err != nil {
		return err
	}
	s.buf = nil
	h := make(runHeap, 0, len(s.runs))
	for _, r := range s.runs {
		rr := &runReader{r: bufio.NewReaderSize(io.NewSectionReader(s.sp.f, r[0], r[1]*keyRecSize), 64<<10), left: r[1]}
		ok, err := rr.next()
		if err != nil {
			return err
		}
		if ok {
			h = append(h, rr)
		}
	}
	heap.Init(&h)
	for len(h) > 0 {
		top := h[0]
		if err := fn(&top.rec); err != nil {
			return err
		}
		ok, err := top.next()
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(&h, 0)
		} else {
			heap.Pop(&h)
		}
	}
	return nil
}

// runReader reads the records of one sorted run.
type runReader struct {
	r    *bufio.Reader
	left int64
	rec  keyRec
	b    [keyRecSize]byte
}

func (rr *runReader) next() (bool, error) {
	if rr.left == 0 {
		return false, nil
	}
	if _, err := io.ReadFull(rr.r, rr.b[:]); err != nil {
		return false, fmt.Errorf("read back sorted keys: %w", err)
	}
	rr.rec.decode(rr.b[:])
	rr.left--
	return true, nil
}

type runHeap []*runReader

func (h runHeap) Len() int           { return len(h) }
func (h runHeap) Less(i, j int) bool { return compareKeyRecs(&h[i].rec, &h[j].rec) < 0 }
func (h runHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)        { *h = append(*h, x.(*runReader)) }
func (h *runHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// rowBits marks rows of deliveries: one bit per row read.
type rowBits [][]uint64

func (b rowBits) set(r rowRef) {
	b[r.d][r.ord>>6] |= 1 << (r.ord & 63)
}

func (b rowBits) has(d int32, ord int64) bool {
	w := b[d]
	i := ord >> 6
	return i < int64(len(w)) && w[i]&(1<<(ord&63)) != 0
}

// keyPass is what the first pass found.
type keyPass struct {
	winners rowBits     // the row that holds each key
	keys    int64       // distinct keys: rows of the current dataset
	revs    [][2]rowRef // old and new row of each revision, in the order read
}

// findWinners groups the records of sorter by key and picks each key's
// row, as a single pass over the rows in the order read would: the first
// row of a key holds it; a later row of the same delivery is a duplicate;
// a row of a later delivery supersedes it, and is a revision when its
// value changes beyond the rounding of both. rows gives the number of rows
// read of each delivery.
func findWinners(s *keySorter, rows []int64, stats *CurrentStats) (*keyPass, error) {
	p := &keyPass{winners: make(rowBits, len(rows))}
	for d, n := range rows {
		p.winners[d] = make([]uint64, (n+63)/64)
	}
	var cur keyRec
	have := false
	flush := func() {
		if have {
			p.winners.set(rowRef{cur.w.d, cur.w.ord})
			p.keys++
		}
	}
	err := s.each(func(r *keyRec) error {
		if !have || r.h != cur.h {
			flush()
			cur, have = *r, true
			return nil
		}
		if r.w.d == cur.w.d {
			stats.Duplicates++
			return nil
		}
		stats.Superseded++
		if revised(cur.w, r.w) {
			p.revs = append(p.revs, [2]rowRef{{cur.w.d, cur.w.ord}, {r.w.d, r.w.ord}})
		}
		cur.w = r.w
		return nil
	})
	if err != nil {
		return nil, err
	}
	flush()
	// A single pass appends a revision when it reads the later row.
	slices.SortFunc(p.revs, func(a, b [2]rowRef) int {
		return cmp.Or(cmp.Compare(a[1].d, b[1].d), cmp.Compare(a[1].ord, b[1].ord))
	})
	return p, nil
}
