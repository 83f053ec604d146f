package load

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

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
	tmp      *tempFile
	rel      string // relative to the dataset directory: ID.parquet or year=2013/ID.parquet
	fw       *file.Writer
	rg       file.BufferedRowGroupWriter
	rgRows   int64 // rows in rg
	pageRows int64 // rows in the current page of the dictionary columns
	rows     int64
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

	cur   *obsFile
	year  int32
	done  []*obsFile // sealed, waiting to be renamed into place
	mkdir []string   // partition directories created, removed again on abort when empty

	// scratch for one chunk
	idx   []int32
	defs  []int16
	valid []byte
	bas   []parquet.ByteArray
	flba  []parquet.FixedLenByteArray
	decb  []byte
	i32   []int32
	i64   []int64
}

// newObsOut prepares the files of ow: dictionaries in byte order, writer
// properties (PLAIN for dictionaries too big for a page), schema, footer.
func newObsOut(ow *ObservationWriter) (*obsOut, error) {
	out := &obsOut{
		ow: ow, rgRows: ow.opts.rowGroupRows(), yearCol: -1, dicts: make([]*finalDict, len(ow.cols)),
		defs: make([]int16, 0, emitRows), // non-nil: nil means "no definition levels"
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
	arrowSchema := schemas.ObservationArrowSchema()
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
		if _, err := os.Stat(filepath.Dir(dest)); err != nil {
			if err := os.Mkdir(filepath.Dir(dest), 0o755); err != nil {
				return err
			}
			out.mkdir = append(out.mkdir, filepath.Dir(dest))
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
	out.cur, out.year = &obsFile{tmp: tmp, rel: rel, fw: fw}, year
	return nil
}

// closeFile finishes the current file: its footer, then fsync and
// verification. It is renamed into place by install, once every file of
// the writer is sealed.
func (out *obsOut) closeFile() error {
	f := out.cur
	out.cur = nil
	if f.rg != nil {
		if err := f.rg.Close(); err != nil {
			_ = f.fw.Close()
			f.tmp.discard()
			return err
		}
	}
	if err := f.fw.Close(); err != nil {
		f.tmp.discard()
		return err
	}
	schema := schemas.ObservationArrowSchema()
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
		if out.cur.rg != nil {
			_ = out.cur.rg.Close()
		}
		_ = out.cur.fw.Close()
		out.cur.tmp.discard()
		out.cur = nil
	}
	for _, f := range out.done {
		_ = os.Remove(f.tmp.f.Name())
	}
	out.done = nil
	for _, dir := range out.mkdir {
		_ = os.Remove(dir) // only when empty
	}
}

// write appends rows (indexes into b, in order) to the files: a new row
// group every RowGroupRows rows, a new file when the partition year
// changes.
func (out *obsOut) write(b *rowBuf, rows []int32) error {
	for len(rows) > 0 {
		n := min(len(rows), emitRows)
		if out.yearCol >= 0 {
			years := b.data[out.yearCol].i32
			y := years[rows[0]]
			if out.cur != nil && y != out.year {
				if err := out.closeFile(); err != nil {
					return err
				}
			}
			if out.cur == nil {
				if err := out.open(y); err != nil {
					return err
				}
			}
			// Rows are sorted by year first: find where this year ends.
			n = slices.IndexFunc(rows[:n], func(r int32) bool { return years[r] != y })
			if n < 0 {
				n = min(len(rows), emitRows)
			}
		} else if out.cur == nil {
			if err := out.open(0); err != nil {
				return err
			}
		}
		f := out.cur
		if f.rg != nil && f.rgRows == out.rgRows {
			if err := f.rg.Close(); err != nil {
				return err
			}
			f.rg = nil
		}
		if f.rg == nil {
			rg, err := f.fw.AppendBufferedRowGroupChecked()
			if err != nil {
				return err
			}
			f.rg, f.rgRows, f.pageRows = rg, 0, 0
		}
		n = min(n, int(out.rgRows-f.rgRows))
		if err := out.chunk(f, b, rows[:n]); err != nil {
			return err
		}
		rows = rows[n:]
	}
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

// chunk writes rows of b into the current row group of f.
func (out *obsOut) chunk(f *obsFile, b *rowBuf, rows []int32) error {
	n := len(rows)
	first := f.rgRows == 0
	for j, c := range out.ow.cols {
		cw, err := f.rg.Column(j)
		if err != nil {
			return err
		}
		cd := &b.data[j]
		var defs []int16
		if c.nullable {
			defs = out.defs[:0]
		}
		switch c.kind {
		case kindDict:
			fd := out.dicts[j]
			if fd.plain {
				vals := out.bas[:0]
				for _, r := range rows {
					x := cd.i32[r]
					if defs != nil {
						defs = append(defs, int16(min(x+1, 1)))
					}
					if x >= 0 {
						vals = append(vals, fd.value(int32(fd.rank[x]-1)))
					}
				}
				out.bas = vals
				_, err = cw.(*file.ByteArrayColumnChunkWriter).WriteBatch(vals, defs, nil)
				break
			}
			err = out.dictChunk(cw, fd, cd, rows, first, defs)
		case kindText:
			vals := out.bas[:0]
			for _, r := range rows {
				vals = append(vals, cd.textAt(int(r)))
			}
			out.bas = vals
			_, err = cw.(*file.ByteArrayColumnChunkWriter).WriteBatch(vals, nil, nil)
		case kindInt32:
			vals := out.i32[:0]
			for _, r := range rows {
				vals = append(vals, cd.i32[r])
			}
			out.i32 = vals
			_, err = cw.(*file.Int32ColumnChunkWriter).WriteBatch(vals, nil, nil)
		case kindInt64, kindConst:
			vals := out.i64[:0]
			for _, r := range rows {
				if c.kind == kindConst {
					vals = append(vals, c.konst)
				} else {
					vals = append(vals, cd.i64[r])
				}
			}
			out.i64 = vals
			_, err = cw.(*file.Int64ColumnChunkWriter).WriteBatch(vals, nil, nil)
		case kindDecimal:
			size := cw.Descr().TypeLength()
			if size != 16 {
				return fmt.Errorf("column %s: FIXED_LEN_BYTE_ARRAY(%d), want 16", c.name, size)
			}
			raw := slices.Grow(out.decb[:0], 16*n)
			vals := out.flba[:0]
			for _, r := range rows {
				if cd.null[r] {
					defs = append(defs, 0)
					continue
				}
				if defs != nil {
					defs = append(defs, 1)
				}
				v := cd.dec[r]
				raw = binary.BigEndian.AppendUint64(raw, uint64(v.HighBits()))
				raw = binary.BigEndian.AppendUint64(raw, v.LowBits())
				vals = append(vals, raw[len(raw)-16:len(raw):len(raw)])
			}
			out.decb, out.flba = raw, vals
			_, err = cw.(*file.FixedLenByteArrayColumnChunkWriter).WriteBatch(vals, defs, nil)
		}
		if err != nil {
			return fmt.Errorf("column %s: %w", c.name, err)
		}
		if cap(defs) > cap(out.defs) {
			out.defs = defs[:0]
		}
	}
	f.rgRows += int64(n)
	f.rows += int64(n)
	f.pageRows += int64(n)
	if f.pageRows >= dictPageRows {
		f.pageRows = 0
		for j, c := range out.ow.cols {
			if c.kind != kindDict || out.dicts[j].plain {
				continue
			}
			cw, err := f.rg.Column(j)
			if err != nil {
				return err
			}
			pf, ok := cw.(pageFlusher)
			if !ok {
				return fmt.Errorf("column %s: the column writer cannot cut pages", c.name)
			}
			if err := pf.FlushCurrentPage(); err != nil {
				return fmt.Errorf("column %s: %w", c.name, err)
			}
		}
	}
	return nil
}

// dictChunk writes rows of a dictionary column as indices into fd, with the
// statistics of the values they reference (pqarrow's writeDictionaryArrow
// does the same).
func (out *obsOut) dictChunk(cw file.ColumnChunkWriter, fd *finalDict, cd *colData, rows []int32, first bool, defs []int16) error {
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
	n := len(rows)
	idx := slices.Grow(out.idx[:0], n)[:n]
	var valid []byte
	if defs != nil {
		valid = slices.Grow(out.valid[:0], int(bitutil.BytesForBits(int64(n))))[:bitutil.BytesForBits(int64(n))]
		clear(valid)
	}
	lo, hi := int32(len(fd.rank)), int32(-1)
	nulls := 0
	for i, r := range rows {
		x := cd.i32[r]
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
	out.idx, out.valid = idx, valid
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
