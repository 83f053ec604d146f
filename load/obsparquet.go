package load

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/apache/arrow-go/v18/parquet/schema"

	"github.com/tradeetl/tradeetl/schemas"
)

// The observations are written with arrow-go's Parquet column writers
// directly, not through pqarrow: the writer keeps its own dictionaries of
// the dimension columns, so it hands the column writers dictionary indices
// (WriteDictIndices) and each distinct value once per row group
// (PutDictionary), instead of every string of every row to be hashed
// again. The footer stores the Arrow schema with plain strings, so Arrow
// readers (pqarrow, pyarrow, our own ReadObservations) see plain string
// columns, as DuckDB and Spark do.

// emitRows is the number of rows written to the column writers at a time.
const emitRows = 16 * 1024

// dictPageRows is the number of rows per data page of a dictionary-encoded
// column (arrow-go cuts pages of PLAIN columns by size itself, but not
// pages of indices written directly). Pages carry statistics, so that
// sorted columns prune within a row group too.
const dictPageRows = 64 * 1024

// finalDict is a column's dictionary once every row is in: its values in
// byte order, as each of the column's dictionary pages holds them.
type finalDict struct {
	rank  []uint32 // index in strDict → 1 + position in byte order
	data  []byte   // the values in byte order, concatenated
	offs  []int32  // value i is data[offs[i]:offs[i+1]]
	arr   arrow.Array
	plain bool // too big for a dictionary page: the column is written PLAIN
}

func newFinalDict(d *strDict, pageLimit int64) *finalDict {
	fd := &finalDict{rank: d.ranks()}
	order := make([]int32, len(d.vals))
	for i, r := range fd.rank {
		order[r-1] = int32(i)
	}
	fd.data = make([]byte, 0, d.size)
	fd.offs = make([]int32, 1, len(d.vals)+1)
	for _, i := range order {
		fd.data = append(fd.data, d.vals[i]...)
		fd.offs = append(fd.offs, int32(len(fd.data)))
	}
	// What arrow-go counts against the dictionary page limit.
	fd.plain = int64(d.size)+4*int64(len(d.vals)) >= pageLimit
	fd.arr = array.NewStringData(array.NewData(arrow.BinaryTypes.String, len(order),
		[]*memory.Buffer{nil, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(fd.offs)), memory.NewBufferBytes(fd.data)}, nil, 0, 0))
	return fd
}

// value returns the value at position pos in byte order.
func (fd *finalDict) value(pos int32) []byte {
	return fd.data[fd.offs[pos]:fd.offs[pos+1]:fd.offs[pos+1]]
}

// obsFile is one Parquet file of observations being written.
type obsFile struct {
	tmp  *tempFile
	rel  string // relative to the dataset directory: ID.parquet or year=2013/ID.parquet
	fw   *file.Writer
	rows int64
}

// obsOut writes sorted rows into the observation files of one writer.
type obsOut struct {
	ow      *ObservationWriter
	dicts   []*finalDict // by column; nil but for kindDict
	props   *parquet.WriterProperties
	root    *schema.GroupNode
	kv      metadata.KeyValueMetadata
	rgRows  int64
	yearCol int // column of the partition year; -1 when not partitioned
	workers []*colWorker

	cur  *obsFile
	done []*obsFile // sealed, waiting to be renamed into place
}

// colWorker is the scratch of one goroutine writing columns.
type colWorker struct {
	g     gather
	idx   []int32
	defs  []int16
	valid []byte
	bas   []parquet.ByteArray
	flba  []parquet.FixedLenByteArray
	decb  []byte
	i64   []int64
}

// segment is a run of sorted rows that goes into one file: all of them, or
// those of one year.
type segment struct {
	year   int32
	lo, hi int
}

// rowSource gives the columns of the sorted rows: rows [lo, hi) of column j
// are rows [s, e) of the returned data. Different columns may be asked for
// at once, within the row group last announced by rowGroup.
type rowSource interface {
	rowGroup(lo, hi int) error
	column(g *gather, j, lo, hi int) (cd *colData, s, e int, err error)
}

// bufSource is rows sorted in memory.
type bufSource struct{ b *rowBuf }

func (bufSource) rowGroup(lo, hi int) error { return nil }

func (src bufSource) column(_ *gather, j, lo, hi int) (*colData, int, int, error) {
	return &src.b.data[j], lo, hi, nil
}

func (src *spillSource) column(g *gather, j, lo, hi int) (*colData, int, int, error) {
	cd, err := src.gather(g, j, lo, hi)
	return cd, 0, hi - lo, err
}

// newObsOut prepares the files of ow: dictionaries in byte order, writer
// properties (PLAIN for dictionaries too big for a page), schema, footer.
func newObsOut(ow *ObservationWriter) (*obsOut, error) {
	out := &obsOut{ow: ow, rgRows: ow.opts.rowGroupRows(), yearCol: -1, dicts: make([]*finalDict, len(ow.cols))}
	for range min(runtime.GOMAXPROCS(0), len(ow.cols)) {
		out.workers = append(out.workers, &colWorker{})
	}
	probe := parquet.NewWriterProperties()
	plain := map[string]bool{}
	for j, c := range ow.cols {
		if c.kind == kindDict {
			out.dicts[j] = newFinalDict(c.dict, probe.DictionaryPageSizeLimit())
			if out.dicts[j].plain {
				plain[c.name] = true
			}
		}
		if c.name == "year" && ow.opts.PartitionBy == PartitionYear {
			out.yearCol = j
		}
	}
	props, err := writerProperties(schemas.ObservationColumns, ow.opts, plain)
	if err != nil {
		return nil, err
	}
	var sorting []parquet.SortingColumn
	for _, name := range ow.keyNames {
		j := slices.IndexFunc(ow.cols, func(c *obsCol) bool { return c.name == name })
		sorting = append(sorting, parquet.SortingColumn{ColumnIdx: int32(j)})
	}
	props = append(props, parquet.WithSortingColumns(sorting))
	out.props = parquet.NewWriterProperties(props...)
	arrowSchema := ArrowSchema(schemas.ObservationColumns)
	sc, err := pqarrow.ToParquet(arrowSchema, out.props, pqarrow.NewArrowWriterProperties(pqarrow.WithCoerceTimestamps(arrow.Microsecond)))
	if err != nil {
		return nil, err
	}
	out.root = sc.Root()
	kvs, err := footer(ow.meta)
	if err != nil {
		return nil, err
	}
	out.kv = metadata.NewKeyValueMetadata()
	for _, kv := range kvs {
		if err := out.kv.Append(kv[0], kv[1]); err != nil {
			return nil, err
		}
	}
	stored := flight.SerializeSchema(arrowSchema, ow.mem)
	if err := out.kv.Append("ARROW:schema", base64.StdEncoding.EncodeToString(stored)); err != nil {
		return nil, err
	}
	return out, nil
}

// release frees the dictionaries' Arrow arrays.
func (out *obsOut) release() {
	for _, fd := range out.dicts {
		if fd != nil {
			fd.arr.Release()
		}
	}
}

// open starts the file for the partition year (ignored when not
// partitioned).
func (out *obsOut) open(year int32) error {
	base := filepath.Base(out.ow.path)
	dest, rel := out.ow.path, base
	if out.yearCol >= 0 {
		part := "year=" + strconv.Itoa(int(year))
		for _, f := range out.done {
			if strings.HasPrefix(f.rel, part+"/") {
				return fmt.Errorf("year %d comes twice in the sorted rows", year)
			}
		}
		rel = part + "/" + base
		dest = filepath.Join(filepath.Dir(out.ow.path), part, base)
		// Other writers (inputs) create the same directories at the same
		// time; a failed writer leaves them, empty, to its caller (the
		// pipeline writes into a staging area it removes).
		if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
			return err
		}
	}
	tmp, err := newTempFile(dest)
	if err != nil {
		return err
	}
	fw, err := file.NewParquetWriterWithError(tmp, out.root, file.WithWriterProps(out.props), file.WithWriteMetadata(out.kv))
	if err != nil {
		tmp.discard()
		return err
	}
	out.cur = &obsFile{tmp: tmp, rel: rel, fw: fw}
	return nil
}

// closeFile finishes the current file: its footer, then fsync and
// verification. It is renamed into place by install, once every file of
// the writer is sealed.
func (out *obsOut) closeFile() error {
	f := out.cur
	out.cur = nil
	if err := f.fw.Close(); err != nil {
		f.tmp.discard()
		return err
	}
	schema := ArrowSchema(schemas.ObservationColumns)
	f.tmp.beforeVerify = out.ow.beforeVerify
	if err := f.tmp.seal(func(name string, size int64) error {
		return verifyParquet(name, size, f.rows, schema, out.ow.mem)
	}); err != nil {
		return err
	}
	out.done = append(out.done, f)
	return nil
}

// abort removes every file of the writer not yet renamed into place.
func (out *obsOut) abort() {
	if out.cur != nil {
		_ = out.cur.fw.Close()
		out.cur.tmp.discard()
		out.cur = nil
	}
	for _, f := range out.done {
		_ = os.Remove(f.tmp.f.Name())
	}
	out.done = nil
}

// write writes the sorted rows of src, segment by segment (a file each),
// in row groups of RowGroupRows rows.
func (out *obsOut) write(src rowSource, segs []segment) error {
	for _, seg := range segs {
		if err := out.open(seg.year); err != nil {
			return err
		}
		for lo := seg.lo; lo < seg.hi; lo += int(out.rgRows) {
			if err := out.rowGroup(src, lo, min(lo+int(out.rgRows), seg.hi)); err != nil {
				return err
			}
		}
		if err := out.closeFile(); err != nil {
			return err
		}
	}
	return nil
}

// columnCost orders the columns for the workers: the widest first.
var columnCost = [...]int{kindDecimal: 0, kindText: 1, kindInt64: 2, kindInt32: 3, kindDict: 4, kindConst: 5}

// rowGroup writes rows [lo, hi) of src as a row group of the current file,
// each worker taking the next column until all are written.
func (out *obsOut) rowGroup(src rowSource, lo, hi int) error {
	f := out.cur
	if err := src.rowGroup(lo, hi); err != nil {
		return err
	}
	rg, err := f.fw.AppendBufferedRowGroupChecked()
	if err != nil {
		return err
	}
	jobs := make(chan int, len(out.ow.cols))
	order := make([]int, len(out.ow.cols))
	for j := range order {
		order[j] = j
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return columnCost[out.ow.cols[a].kind] - columnCost[out.ow.cols[b].kind]
	})
	for _, j := range order {
		jobs <- j
	}
	close(jobs)
	errs := make([]error, len(out.workers))
	var wg sync.WaitGroup
	for w, worker := range out.workers {
		wg.Go(func() {
			for j := range jobs {
				if errs[w] != nil {
					continue
				}
				cw, err := rg.Column(j)
				if err == nil {
					err = out.column(worker, cw, src, j, lo, hi)
				}
				if err != nil {
					errs[w] = fmt.Errorf("column %s: %w", out.ow.cols[j].name, err)
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := rg.Close(); err != nil {
		return err
	}
	f.rows += int64(hi - lo)
	return nil
}

// dictWriter is what the dictionary encoder of a column writer offers
// (arrow-go's encoding package is internal).
type dictWriter interface {
	PutDictionary(arrow.Array) error
	NumEntries() int
}

// pageFlusher cuts the current data page of a column writer.
type pageFlusher interface{ FlushCurrentPage() error }

// column writes rows [lo, hi) of column j of src into cw, emitRows at a
// time.
func (out *obsOut) column(w *colWorker, cw file.ColumnChunkWriter, src rowSource, j, lo, hi int) error {
	c := out.ow.cols[j]
	fd := out.dicts[j]
	indexed := c.kind == kindDict && !fd.plain
	pageRows := 0
	for a := lo; a < hi; a += emitRows {
		b := min(a+emitRows, hi)
		cd, s, e, err := src.column(&w.g, j, a, b)
		if err != nil {
			return err
		}
		if err := out.chunk(w, cw, c, fd, cd, s, e, a == lo); err != nil {
			return err
		}
		if pageRows += e - s; indexed && pageRows >= dictPageRows && b < hi {
			pageRows = 0
			pf, ok := cw.(pageFlusher)
			if !ok {
				return fmt.Errorf("the column writer cannot cut pages")
			}
			if err := pf.FlushCurrentPage(); err != nil {
				return err
			}
		}
	}
	return nil
}

// chunk writes rows [s, e) of cd, a column c, into cw; first when they
// start the row group.
func (out *obsOut) chunk(w *colWorker, cw file.ColumnChunkWriter, c *obsCol, fd *finalDict, cd *colData, s, e int, first bool) error {
	n := e - s
	var defs []int16
	if c.nullable {
		defs = slices.Grow(w.defs[:0], n) // non-nil: nil means "no definition levels"
		defer func() { w.defs = defs }()
	}
	var err error
	switch c.kind {
	case kindDict:
		if !fd.plain {
			return out.dictChunk(w, cw, fd, cd.i32[s:e], first, defs)
		}
		vals := w.bas[:0]
		for _, x := range cd.i32[s:e] {
			if defs != nil {
				defs = append(defs, int16(min(x+1, 1)))
			}
			if x >= 0 {
				vals = append(vals, fd.value(int32(fd.rank[x]-1)))
			}
		}
		w.bas = vals
		_, err = cw.(*file.ByteArrayColumnChunkWriter).WriteBatch(vals, defs, nil)
	case kindText:
		vals := w.bas[:0]
		for i := s; i < e; i++ {
			vals = append(vals, cd.textAt(i))
		}
		w.bas = vals
		_, err = cw.(*file.ByteArrayColumnChunkWriter).WriteBatch(vals, nil, nil)
	case kindInt32:
		_, err = cw.(*file.Int32ColumnChunkWriter).WriteBatch(cd.i32[s:e], nil, nil)
	case kindInt64:
		_, err = cw.(*file.Int64ColumnChunkWriter).WriteBatch(cd.i64[s:e], nil, nil)
	case kindConst:
		vals := w.i64[:0]
		for range n {
			vals = append(vals, c.konst)
		}
		w.i64 = vals
		_, err = cw.(*file.Int64ColumnChunkWriter).WriteBatch(vals, nil, nil)
	case kindDecimal:
		if size := cw.Descr().TypeLength(); size != 16 {
			return fmt.Errorf("FIXED_LEN_BYTE_ARRAY(%d), want 16", size)
		}
		raw := slices.Grow(w.decb[:0], 16*n)
		vals := w.flba[:0]
		for i := s; i < e; i++ {
			if cd.null[i] != 0 {
				defs = append(defs, 0)
				continue
			}
			if defs != nil {
				defs = append(defs, 1)
			}
			v := cd.dec[i]
			raw = binary.BigEndian.AppendUint64(raw, uint64(v.HighBits()))
			raw = binary.BigEndian.AppendUint64(raw, v.LowBits())
			vals = append(vals, raw[len(raw)-16:len(raw):len(raw)])
		}
		w.decb, w.flba = raw, vals
		_, err = cw.(*file.FixedLenByteArrayColumnChunkWriter).WriteBatch(vals, defs, nil)
	}
	return err
}

// dictChunk writes the dictionary indices xs (into the column's strDict;
// -1 for null) as indices into fd, with the statistics of the values they
// reference (pqarrow's writeDictionaryArrow does the same). first puts the
// dictionary into the column writer.
func (out *obsOut) dictChunk(w *colWorker, cw file.ColumnChunkWriter, fd *finalDict, xs []int32, first bool, defs []int16) error {
	enc, ok := cw.CurrentEncoder().(dictWriter)
	if !ok {
		return fmt.Errorf("the column writer does not encode with a dictionary")
	}
	if first {
		if err := enc.PutDictionary(fd.arr); err != nil {
			return err
		}
		if enc.NumEntries() != fd.arr.Len() {
			return fmt.Errorf("dictionary of %d values holds %d entries", fd.arr.Len(), enc.NumEntries())
		}
	}
	n := len(xs)
	idx := slices.Grow(w.idx[:0], n)[:n]
	var valid []byte
	if defs != nil {
		nb := int(bitutil.BytesForBits(int64(n)))
		valid = slices.Grow(w.valid[:0], nb)[:nb]
		clear(valid)
	}
	lo, hi := int32(len(fd.rank)), int32(-1)
	nulls := 0
	for i, x := range xs {
		if x < 0 { // only in a nullable column
			idx[i] = 0
			nulls++
			defs = append(defs, 0)
			continue
		}
		pos := int32(fd.rank[x] - 1)
		idx[i] = pos
		lo, hi = min(lo, pos), max(hi, pos)
		if defs != nil {
			defs = append(defs, 1)
			bitutil.SetBit(valid, i)
		}
	}
	w.idx, w.valid = idx, valid
	if defs != nil {
		w.defs = defs
	}
	stats, ok := cw.PageStatistics().(*metadata.ByteArrayStatistics)
	if !ok {
		return fmt.Errorf("no statistics for a text column")
	}
	stats.IncNulls(int64(nulls))
	stats.IncNumValues(int64(n - nulls))
	if hi >= 0 {
		stats.SetMinMax(fd.value(lo), fd.value(hi))
	}
	var validBuf *memory.Buffer
	if valid != nil {
		validBuf = memory.NewBufferBytes(valid)
	}
	data := array.NewData(arrow.PrimitiveTypes.Int32, n,
		[]*memory.Buffer{validBuf, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(idx))}, nil, nulls, 0)
	arr := array.NewInt32Data(data)
	data.Release()
	defer arr.Release()
	return cw.WriteDictIndices(arr, defs, nil)
}

// install renames every sealed file into place.
func (out *obsOut) install() error {
	for i, f := range out.done {
		if err := f.tmp.install(); err != nil {
			out.done = out.done[i+1:]
			out.abort()
			return err
		}
	}
	return nil
}
