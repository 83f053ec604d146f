package load

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// An input with more rows than Options.SortRows is sorted externally: each
// SortRows rows are sorted in memory and appended, as a run, to a temporary
// file beside the output; at the end the runs are merged, reading each
// through a small buffer. Rows are encoded compactly: dictionary indices
// (the dictionaries stay in memory) and numbers as varints, text with its
// length.

// spill is the temporary file of sorted runs.
type spill struct {
	f    *os.File
	w    *bufio.Writer
	size int64
	runs []spillRun
	enc  []byte
}

type spillRun struct {
	off, size int64
	rows      int
}

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

// writeRun appends the rows of b in the order of keys as a run.
func (s *spill) writeRun(b *rowBuf, keys []sortKey) error {
	start := s.size
	for i := range keys {
		s.enc = b.appendRow(s.enc[:0], int(keys[i].row))
		n, err := s.w.Write(s.enc)
		s.size += int64(n)
		if err != nil {
			return err
		}
	}
	s.runs = append(s.runs, spillRun{off: start, size: s.size - start, rows: len(keys)})
	return nil
}

// appendRow appends the encoding of row i of b to dst.
func (b *rowBuf) appendRow(dst []byte, i int) []byte {
	for j, c := range b.cols {
		cd := &b.data[j]
		switch c.kind {
		case kindDict:
			dst = binary.AppendUvarint(dst, uint64(cd.i32[i]+1))
		case kindInt32:
			dst = binary.AppendVarint(dst, int64(cd.i32[i]))
		case kindInt64:
			dst = binary.AppendVarint(dst, cd.i64[i])
		case kindText:
			t := cd.textAt(i)
			dst = binary.AppendUvarint(dst, uint64(len(t)))
			dst = append(dst, t...)
		case kindDecimal:
			v := cd.dec[i]
			switch hi, lo := v.HighBits(), v.LowBits(); {
			case cd.null[i]:
				dst = append(dst, 0)
			case hi == 0 && lo < 1<<63 || hi == -1 && lo >= 1<<63: // fits an int64
				dst = append(dst, 1)
				dst = binary.AppendVarint(dst, int64(lo))
			default:
				dst = append(dst, 2)
				dst = binary.BigEndian.AppendUint64(dst, uint64(hi))
				dst = binary.BigEndian.AppendUint64(dst, lo)
			}
		}
	}
	return dst
}

// readRow decodes one row written by appendRow into r.
func (b *rowBuf) readRow(in *bufio.Reader, r *rowVal) error {
	for j, c := range b.cols {
		switch c.kind {
		case kindDict:
			u, err := binary.ReadUvarint(in)
			if err != nil {
				return err
			}
			r.v[j] = int64(u) - 1
		case kindInt32, kindInt64:
			x, err := binary.ReadVarint(in)
			if err != nil {
				return err
			}
			r.v[j] = x
		case kindText:
			n, err := binary.ReadUvarint(in)
			if err != nil {
				return err
			}
			if n > 1<<30 {
				return fmt.Errorf("text of %d bytes", n)
			}
			r.text[j] = slices.Grow(r.text[j][:0], int(n))[:n]
			if _, err := io.ReadFull(in, r.text[j]); err != nil {
				return err
			}
		case kindDecimal:
			tag, err := in.ReadByte()
			if err != nil {
				return err
			}
			r.null[j] = tag == 0
			switch tag {
			case 0:
				r.dec[j] = decimal128.Num{}
			case 1:
				x, err := binary.ReadVarint(in)
				if err != nil {
					return err
				}
				r.dec[j] = decimal128.FromI64(x)
			case 2:
				var raw [16]byte
				if _, err := io.ReadFull(in, raw[:]); err != nil {
					return err
				}
				r.dec[j] = decimal128.New(int64(binary.BigEndian.Uint64(raw[:8])), binary.BigEndian.Uint64(raw[8:]))
			default:
				return fmt.Errorf("bad decimal tag %d", tag)
			}
		}
	}
	return nil
}

// cursor reads one run back, a row at a time.
type cursor struct {
	in   *bufio.Reader
	left int // rows not yet read
	row  *rowVal
	key  sortKey // row is the run's number: runs are in input order
}

// next reads the cursor's next row; false at the end of the run.
func (c *cursor) next(b *rowBuf, ks *keySpec) (bool, error) {
	if c.left == 0 {
		return false, nil
	}
	c.left--
	if err := b.readRow(c.in, c.row); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return false, fmt.Errorf("read back sorted run: %w", err)
	}
	ks.fromVal(&c.key.k, c.row)
	return true, nil
}

// before orders cursors by their current row: key, then run, so that rows
// with equal keys keep the order they came in.
func (c *cursor) before(d *cursor) bool {
	if x := compareKeys(&c.key.k, &d.key.k); x != 0 {
		return x < 0
	}
	return c.key.row < d.key.row
}

// merge writes the runs of s, merged in key order, to out. b gives the
// column layout; ks the keys with the final dictionaries' ranks.
func (s *spill) merge(b *rowBuf, ks *keySpec, out *obsOut) error {
	if err := s.w.Flush(); err != nil {
		return err
	}
	// Read buffers share 16 MiB, within 16 KiB to 1 MiB each.
	bufSize := min(max((16<<20)/max(len(s.runs), 1), 16<<10), 1<<20)
	var heap []*cursor
	for i, run := range s.runs {
		c := &cursor{
			in:   bufio.NewReaderSize(io.NewSectionReader(s.f, run.off, run.size), bufSize),
			left: run.rows,
			row:  newRowVal(len(b.cols)),
			key:  sortKey{row: int32(i)},
		}
		ok, err := c.next(b, ks)
		if err != nil {
			return err
		}
		if ok {
			heap = append(heap, c)
		}
	}
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(heap) {
				return
			}
			m := l
			if r := l + 1; r < len(heap) && heap[r].before(heap[l]) {
				m = r
			}
			if !heap[m].before(heap[i]) {
				return
			}
			heap[i], heap[m] = heap[m], heap[i]
			i = m
		}
	}
	for i := len(heap)/2 - 1; i >= 0; i-- {
		down(i)
	}
	chunk := newRowBuf(b.cols)
	rows := make([]int32, emitRows)
	for i := range rows {
		rows[i] = int32(i)
	}
	for len(heap) > 0 {
		c := heap[0]
		chunk.addVal(c.row)
		if chunk.n == emitRows {
			if err := out.write(chunk, rows); err != nil {
				return err
			}
			chunk.reset()
		}
		ok, err := c.next(b, ks)
		if err != nil {
			return err
		}
		if !ok {
			heap[0] = heap[len(heap)-1]
			heap = heap[:len(heap)-1]
		}
		down(0)
	}
	if chunk.n > 0 {
		return out.write(chunk, rows[:chunk.n])
	}
	return nil
}
