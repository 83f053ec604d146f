package load

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
)

// An input with more rows than Options.SortRows is sorted externally. Each
// SortRows rows are sorted in memory and appended, as a run, to a temporary
// file beside the output, column by column as they are held (dictionary
// indices, numbers, text: the dictionaries stay in memory). At the end the
// runs are merged in two passes: the first reads only the sort key columns
// and notes, for each row of the output in order, the run it comes from;
// the second fills each column of each row group from the runs in that
// order, several columns at once.

// spill is the temporary file of sorted runs.
type spill struct {
	f    *os.File
	w    *bufio.Writer
	size int64
	runs []spillRun
}

// spillRun is where the columns of one run are in the file.
type spillRun struct {
	rows int
	cols []spillCol // by column
}

// spillCol locates one column of a run: its values (dictionary indices,
// numbers, decimals or text ends) at off, then for decimals their null
// flags and for text its bytes at off2.
type spillCol struct {
	off, off2 int64
}

// orderBlock is how many entries of the merge order are held before they
// are written to the run file.
const orderBlock = 4 << 10

// maxRuns bounds the runs of one writer (run numbers are uint16): with the
// default SortRows, 8.5 billion rows.
const maxRuns = 1<<16 - 1

// newSpill creates the run file beside path. Where the system allows it the
// file is unlinked at once, so that nothing is left behind however the
// process ends; elsewhere it is a temporary name that Recover removes.
func newSpill(path string) (*spill, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.sort.tmp")
	if err != nil {
		return nil, fmt.Errorf("sort %s: %w", path, err)
	}
	if runtime.GOOS != "windows" {
		_ = os.Remove(f.Name())
	}
	return &spill{f: f, w: bufio.NewWriterSize(f, 256<<10)}, nil
}

// close removes the run file.
func (s *spill) close() {
	_ = s.f.Close()
	_ = os.Remove(s.f.Name())
}

func (s *spill) write(p []byte) error {
	n, err := s.w.Write(p)
	s.size += int64(n)
	return err
}

// writeRun appends the rows of b, in their order, as a run.
func (s *spill) writeRun(b *rowBuf) error {
	if len(s.runs) == maxRuns {
		return fmt.Errorf("more than %d sorted runs: raise SortRows", maxRuns)
	}
	run := spillRun{rows: b.n, cols: make([]spillCol, len(b.cols))}
	for j, c := range b.cols {
		cd := &b.data[j]
		run.cols[j].off = s.size
		var err error
		switch c.kind {
		case kindDict, kindInt32:
			err = s.write(arrow.Int32Traits.CastToBytes(cd.i32))
		case kindInt64:
			err = s.write(arrow.Int64Traits.CastToBytes(cd.i64))
		case kindDecimal:
			if err = s.write(arrow.Decimal128Traits.CastToBytes(cd.dec)); err == nil {
				run.cols[j].off2 = s.size
				err = s.write(cd.null)
			}
		case kindText:
			if err = s.write(arrow.Uint32Traits.CastToBytes(cd.end)); err == nil {
				run.cols[j].off2 = s.size
				err = s.write(cd.text)
			}
		}
		if err != nil {
			return err
		}
	}
	s.runs = append(s.runs, run)
	return nil
}

// readAt reads len(p) bytes at off.
func (s *spill) readAt(p []byte, off int64) error {
	_, err := s.f.ReadAt(p, off)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return fmt.Errorf("read back sorted run: %w", err)
	}
	return nil
}

// readCol appends values [from, from+n) of column j of run r to dst; tpos is
// where the text of value from starts (text columns), and the text end of
// the last value read is returned.
func (s *spill) readCol(c *obsCol, r, j, from, n int, tpos uint32, dst *colData) (uint32, error) {
	sc := s.runs[r].cols[j]
	switch c.kind {
	case kindDict, kindInt32:
		at := len(dst.i32)
		dst.i32 = slices.Grow(dst.i32, n)[:at+n]
		return 0, s.readAt(arrow.Int32Traits.CastToBytes(dst.i32[at:]), sc.off+4*int64(from))
	case kindInt64:
		at := len(dst.i64)
		dst.i64 = slices.Grow(dst.i64, n)[:at+n]
		return 0, s.readAt(arrow.Int64Traits.CastToBytes(dst.i64[at:]), sc.off+8*int64(from))
	case kindDecimal:
		at := len(dst.dec)
		dst.dec = slices.Grow(dst.dec, n)[:at+n]
		if err := s.readAt(arrow.Decimal128Traits.CastToBytes(dst.dec[at:]), sc.off+16*int64(from)); err != nil {
			return 0, err
		}
		dst.null = slices.Grow(dst.null, n)[:at+n]
		return 0, s.readAt(dst.null[at:], sc.off2+int64(from))
	case kindText:
		at := len(dst.end)
		dst.end = slices.Grow(dst.end, n)[:at+n]
		ends := dst.end[at:]
		if err := s.readAt(arrow.Uint32Traits.CastToBytes(ends), sc.off+4*int64(from)); err != nil {
			return 0, err
		}
		last := tpos
		if n > 0 {
			last = ends[n-1]
		}
		base := uint32(len(dst.text))
		dst.text = slices.Grow(dst.text, int(last-tpos))[:int(base)+int(last-tpos)]
		if err := s.readAt(dst.text[base:], sc.off2+int64(tpos)); err != nil {
			return 0, err
		}
		for i := range ends { // rebase onto dst.text
			ends[i] = ends[i] - tpos + base
		}
		return last, nil
	}
	return 0, nil
}

// mergeOrder is the first pass of the merge: it reads the key columns of
// every run in blocks and returns, for each row of the output in order,
// the run it comes from (rows of one run keep their order). Rows with
// equal keys come from the earlier run first: the order they were written.
// With byYear (the first key is the year), it also returns the segment of
// each year; else one segment of every row.
func (s *spill) mergeOrder(cols []*obsCol, ks *keySpec, byYear bool) (int64, []segment, error) {
	if err := s.w.Flush(); err != nil {
		return 0, nil, err
	}
	total := 0
	for _, r := range s.runs {
		total += r.rows
	}
	// The order goes to the end of the run file, a block at a time: two
	// bytes a row would otherwise grow with the rows.
	orderOff := s.size
	order := make([]uint16, 0, orderBlock)
	written := 0
	flushOrder := func() error {
		written += len(order)
		err := s.write(arrow.Uint16Traits.CastToBytes(order))
		order = order[:0]
		return err
	}
	block := min(max((8<<20)/(4*len(ks.col)*max(len(s.runs), 1)), 256), 16384)
	type cursor struct {
		run  int
		next int       // next row of the run to load into keys
		keys []sortKey // loaded keys (row is unused)
		pos  int       // current key in keys
		buf  [][]int32 // by key column
		tmp  colData   // scratch for readCol
	}
	cursors := make([]*cursor, 0, len(s.runs))
	load := func(c *cursor) (bool, error) {
		rows := s.runs[c.run].rows
		if c.next == rows {
			return false, nil
		}
		n := min(block, rows-c.next)
		for i, j := range ks.col {
			c.tmp.i32 = c.tmp.i32[:0]
			if _, err := s.readCol(cols[j], c.run, j, c.next, n, 0, &c.tmp); err != nil {
				return false, err
			}
			c.buf[i] = append(c.buf[i][:0], c.tmp.i32...)
		}
		c.keys = slices.Grow(c.keys[:0], n)[:n]
		for t := range n {
			for i := range ks.col {
				ks.set(&c.keys[t].k, i, c.buf[i][t])
			}
		}
		c.next += n
		c.pos = 0
		return true, nil
	}
	for r := range s.runs {
		c := &cursor{run: r, buf: make([][]int32, len(ks.col))}
		ok, err := load(c)
		if err != nil {
			return 0, nil, err
		}
		if ok {
			cursors = append(cursors, c)
		}
	}
	before := func(a, b *cursor) bool {
		if x := compareKeys(&a.keys[a.pos].k, &b.keys[b.pos].k); x != 0 {
			return x < 0
		}
		return a.run < b.run
	}
	heap := cursors
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(heap) {
				return
			}
			m := l
			if r := l + 1; r < len(heap) && before(heap[r], heap[l]) {
				m = r
			}
			if !before(heap[m], heap[i]) {
				return
			}
			heap[i], heap[m] = heap[m], heap[i]
			i = m
		}
	}
	for i := len(heap)/2 - 1; i >= 0; i-- {
		down(i)
	}
	var segs []segment
	for len(heap) > 0 {
		c := heap[0]
		if byYear {
			if y := int32(c.keys[c.pos].k[0] ^ 1<<31); len(segs) == 0 || segs[len(segs)-1].year != y {
				if len(segs) > 0 {
					segs[len(segs)-1].hi = written + len(order)
				}
				segs = append(segs, segment{year: y, lo: written + len(order)})
			}
		}
		if len(order) == orderBlock {
			if err := flushOrder(); err != nil {
				return 0, nil, err
			}
		}
		order = append(order, uint16(c.run))
		c.pos++
		if c.pos == len(c.keys) {
			ok, err := load(c)
			if err != nil {
				return 0, nil, err
			}
			if !ok {
				heap[0] = heap[len(heap)-1]
				heap = heap[:len(heap)-1]
			}
		}
		down(0)
	}
	if err := flushOrder(); err != nil {
		return 0, nil, err
	}
	if err := s.w.Flush(); err != nil {
		return 0, nil, err
	}
	if written != total {
		return 0, nil, fmt.Errorf("merged %d rows of %d", written, total)
	}
	if !byYear {
		segs = []segment{{lo: 0}}
	}
	if len(segs) > 0 {
		segs[len(segs)-1].hi = total
	}
	return orderOff, segs, nil
}

// spillSource gives the columns of the merged output: output row t is the
// next row of run order[t].
type spillSource struct {
	s    *spill
	cols []*obsCol
	// orderOff is where the order is in the run file: the run of each
	// output row, as a uint16. order holds that of the current row group,
	// which starts at row orderLo: read once, shared by the columns.
	orderOff int64
	orderLo  int
	order    []uint16
	// By column, by run: the next row of the run not yet handed out, and
	// where its text starts. Each column is filled by one goroutine at a
	// time, in row order.
	next [][]int
	tpos [][]uint32
}

func newSpillSource(s *spill, cols []*obsCol, orderOff int64) *spillSource {
	src := &spillSource{s: s, cols: cols, orderOff: orderOff, next: make([][]int, len(cols)), tpos: make([][]uint32, len(cols))}
	for j := range cols {
		src.next[j] = make([]int, len(s.runs))
		src.tpos[j] = make([]uint32, len(s.runs))
	}
	return src
}

// rowGroup reads the order of output rows [lo, hi), which the columns of
// the row group are then filled in.
func (src *spillSource) rowGroup(lo, hi int) error {
	src.orderLo = lo
	src.order = slices.Grow(src.order[:0], hi-lo)[:hi-lo]
	return src.s.readAt(arrow.Uint16Traits.CastToBytes(src.order), src.orderOff+2*int64(lo))
}

// gather is a worker's scratch for filling a column from the runs.
type gather struct {
	count []int
	runs  []colData // by run: the values of this chunk
	at    []int     // by run: values of runs[r] handed out
	out   colData
}

// gather fills g.out with column j of output rows [lo, hi).
func (src *spillSource) gather(g *gather, j, lo, hi int) (*colData, error) {
	c := src.cols[j]
	k := len(src.s.runs)
	if len(g.runs) < k {
		g.count, g.runs, g.at = make([]int, k), make([]colData, k), make([]int, k)
	}
	clear(g.count[:k])
	clear(g.at[:k])
	order := src.order[lo-src.orderLo : hi-src.orderLo]
	for _, r := range order {
		g.count[r]++
	}
	for r := range k {
		g.runs[r].reset()
		if g.count[r] == 0 {
			continue
		}
		last, err := src.s.readCol(c, r, j, src.next[j][r], g.count[r], src.tpos[j][r], &g.runs[r])
		if err != nil {
			return nil, err
		}
		src.next[j][r] += g.count[r]
		src.tpos[j][r] = last
	}
	out := &g.out
	out.reset()
	switch c.kind {
	case kindDict, kindInt32:
		for _, r := range order {
			out.i32 = append(out.i32, g.runs[r].i32[g.at[r]])
			g.at[r]++
		}
	case kindInt64:
		for _, r := range order {
			out.i64 = append(out.i64, g.runs[r].i64[g.at[r]])
			g.at[r]++
		}
	case kindDecimal:
		for _, r := range order {
			out.dec = append(out.dec, g.runs[r].dec[g.at[r]])
			out.null = append(out.null, g.runs[r].null[g.at[r]])
			g.at[r]++
		}
	case kindText:
		for _, r := range order {
			out.text = append(out.text, g.runs[r].textAt(g.at[r])...)
			out.end = append(out.end, uint32(len(out.text)))
			g.at[r]++
		}
	}
	return out, nil
}

// reset empties cd and keeps its memory.
func (cd *colData) reset() {
	cd.i32, cd.i64, cd.dec, cd.null, cd.end, cd.text = cd.i32[:0], cd.i64[:0], cd.dec[:0], cd.null[:0], cd.end[:0], cd.text[:0]
}
