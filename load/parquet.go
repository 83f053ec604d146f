package load

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/tradeetl/tradeetl/schemas"
)

// Footer key-value metadata keys. DuckDB shows them with
// parquet_kv_metadata('file.parquet').
const (
	KeyVersion       = "tradeetl.version"
	KeyRunID         = "tradeetl.run_id"
	KeyRulesVersion  = "tradeetl.rules_version"
	KeySchemaVersion = "tradeetl.schema_version"
	KeySources       = "tradeetl.sources" // JSON object: input path → hex SHA-256
)

// DefaultRowGroupRows is the default maximum number of rows per row group:
// about DuckDB's own row group size (122,880), inside the 100k–1M range
// DuckDB and Spark read best, more than most trade tables hold (so small
// datasets get one row group per file), and small enough that the row
// group a writer buffers stays a few tens of MB: the writer's memory does
// not grow with the file.
const DefaultRowGroupRows = 128 * 1024

// maxFlushRows caps how many rows are held in Arrow builders before they
// are encoded into the current (buffered) row group. Encoded, compressed
// pages are much smaller than Arrow arrays, so this bounds memory without
// cutting row groups short.
const maxFlushRows = 64 * 1024

// Metadata is the lineage written into every Parquet footer and into the
// rows themselves (run_id, loaded_at, created_at).
type Metadata struct {
	RunID        string
	Version      string // tradeetl version
	RulesVersion string // version of the rule set the findings come from
	// Sources maps each input path to the hex SHA-256 of its bytes.
	Sources map[string]string
	// LoadedAt is when the run started; it fills loaded_at and created_at.
	// The zero time means "when the writer was created".
	LoadedAt time.Time
}

// Options tune the Parquet writers. The zero value is the default.
type Options struct {
	// Compression is "zstd" (default, also for ""), "snappy" or "none".
	Compression string
	// RowGroupRows is the maximum number of rows per row group; 0 means
	// DefaultRowGroupRows.
	RowGroupRows int64
	// Allocator allocates the Arrow buffers and Parquet pages; nil means
	// memory.DefaultAllocator. Tests pass a memory.CheckedAllocator.
	Allocator memory.Allocator
}

// codec returns the compression codec named by o.Compression.
func (o Options) codec() (compress.Compression, error) {
	switch o.Compression {
	case "", "zstd":
		return compress.Codecs.Zstd, nil
	case "snappy":
		return compress.Codecs.Snappy, nil
	case "none":
		return compress.Codecs.Uncompressed, nil
	}
	return 0, fmt.Errorf("unknown compression %q (want zstd, snappy or none)", o.Compression)
}

// errFinished is returned by a writer used after Commit or Abort.
var errFinished = errors.New("writer already committed or aborted")

// tableWriter streams rows of one dataset into a temporary Parquet file and
// publishes it on commit. The dataset writers fill its record builder and
// call flush.
type tableWriter struct {
	path   string
	cols   []schemas.Column
	schema *arrow.Schema
	mem    memory.Allocator

	tmp *os.File
	cw  *countingWriter // bytes handed to tmp
	sum hash.Hash       // SHA-256 of the bytes handed to tmp
	buf *bufio.Writer
	fw  *pqarrow.FileWriter
	rb  *array.RecordBuilder

	flushAt int   // pending rows that trigger a flush
	pending int   // rows in rb not yet handed to fw
	rows    int64 // rows handed to fw
	err     error // sticky: the file is broken, only Abort remains
	done    bool  // committed or aborted
}

// newTableWriter creates the temporary file beside path and a Parquet writer
// on it for the dataset cols.
func newTableWriter(path string, cols []schemas.Column, meta Metadata, opts Options) (*tableWriter, error) {
	codec, err := opts.codec()
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	rgRows := opts.RowGroupRows
	if rgRows == 0 {
		rgRows = DefaultRowGroupRows
	}
	if rgRows < 0 {
		return nil, fmt.Errorf("write %s: negative RowGroupRows %d", path, rgRows)
	}
	mem := opts.Allocator
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	sources := meta.Sources
	if sources == nil {
		sources = map[string]string{}
	}
	srcJSON, err := json.Marshal(sources) // keys sorted: stable footers
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	props := []parquet.WriterProperty{
		parquet.WithAllocator(mem),
		parquet.WithCompression(codec),
		parquet.WithDictionaryDefault(true),
		parquet.WithStats(true),
		parquet.WithMaxRowGroupLength(rgRows),
		parquet.WithDataPageVersion(parquet.DataPageV1),
		parquet.WithVersion(parquet.V2_6),
		parquet.WithEncoding(parquet.Encodings.Plain), // the fallback when a dictionary grows too big
		// created_by stays arrow-go's "parquet-go version …": readers
		// (parquet-mr, Arrow C++) parse it to decide whether to trust
		// string statistics, and drop them for a name they cannot parse.
		// tradeetl's own version is in the key-value metadata.
	}
	for _, c := range cols {
		if !c.Dictionary() {
			props = append(props, parquet.WithDictionaryFor(c.Name, false))
		}
	}
	schema := schemas.ArrowSchema(cols)

	tmp, err := createTemp(path)
	if err != nil {
		return nil, err
	}
	sum := sha256.New()
	cw := &countingWriter{w: io.MultiWriter(tmp, sum)}
	buf := bufio.NewWriterSize(cw, 1<<20)
	fw, err := pqarrow.NewFileWriter(schema, noClose{buf},
		parquet.NewWriterProperties(props...),
		pqarrow.NewArrowWriterProperties(
			pqarrow.WithAllocator(mem),
			pqarrow.WithStoreSchema(),
			pqarrow.WithCoerceTimestamps(arrow.Microsecond),
		))
	if err != nil {
		discard(tmp)
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	for _, kv := range [][2]string{
		{KeyVersion, meta.Version},
		{KeyRunID, meta.RunID},
		{KeyRulesVersion, meta.RulesVersion},
		{KeySchemaVersion, schemas.SchemaVersion},
		{KeySources, string(srcJSON)},
	} {
		if err := fw.AppendKeyValueMetadata(kv[0], kv[1]); err != nil {
			_ = fw.Close()
			discard(tmp)
			return nil, fmt.Errorf("write %s: %w", path, err)
		}
	}
	return &tableWriter{
		path:    path,
		cols:    cols,
		schema:  schema,
		mem:     mem,
		tmp:     tmp,
		cw:      cw,
		sum:     sum,
		buf:     buf,
		fw:      fw,
		rb:      array.NewRecordBuilder(mem, schema),
		flushAt: int(min(rgRows, maxFlushRows)),
	}, nil
}

// stamp returns meta.LoadedAt (or now, when it is zero) as a microsecond
// timestamp for loaded_at and created_at.
func stamp(meta Metadata) arrow.Timestamp {
	t := meta.LoadedAt
	if t.IsZero() {
		t = time.Now()
	}
	return arrow.Timestamp(t.UnixMicro())
}

// usable returns the error that keeps the writer from taking more rows.
func (w *tableWriter) usable() error {
	if w.done {
		return fmt.Errorf("write %s: %w", w.path, errFinished)
	}
	return w.err
}

// added records that n rows were appended to the builders and encodes them
// once enough are pending.
func (w *tableWriter) added(n int) error {
	w.pending += n
	if w.pending >= w.flushAt {
		return w.flush()
	}
	return nil
}

// flush hands the pending rows to the Parquet writer, which adds them to
// the current row group and starts a new one at RowGroupRows.
func (w *tableWriter) flush() error {
	if w.pending == 0 {
		return nil
	}
	rec := w.rb.NewRecordBatch()
	defer rec.Release()
	n := w.pending
	w.pending = 0
	if err := w.fw.WriteBuffered(rec); err != nil {
		// pqarrow closes its writer on a column error: the file is lost.
		w.err = fmt.Errorf("write %s: %w", w.path, err)
		return w.err
	}
	w.rows += int64(n)
	return nil
}

// commit finishes the file, verifies it and renames it into place.
func (w *tableWriter) commit() (int64, error) {
	if err := w.usable(); err != nil {
		if !w.done {
			w.abort()
		}
		return 0, err
	}
	w.done = true
	defer w.rb.Release()
	if err := w.flush(); err != nil {
		_ = w.fw.Close()
		discard(w.tmp)
		return 0, err
	}
	if err := w.fw.Close(); err != nil {
		discard(w.tmp)
		return 0, fmt.Errorf("write %s: %w", w.path, err)
	}
	if err := w.buf.Flush(); err != nil {
		discard(w.tmp)
		return 0, fmt.Errorf("write %s: %w", w.path, err)
	}
	if err := publish(w.tmp, w.path, w.verify); err != nil {
		return 0, err
	}
	return w.rows, nil
}

// verify re-opens the finished temporary file and checks its size, its
// leading magic, and its row count, schema and schema version against what
// was written.
func (w *tableWriter) verify(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	var head [4]byte
	_, err = io.ReadFull(f, head[:])
	fi, serr := f.Stat()
	_ = f.Close()
	switch {
	case err != nil:
		return err
	case serr != nil:
		return serr
	case string(head[:]) != "PAR1":
		return fmt.Errorf("file does not start with the Parquet magic PAR1")
	case fi.Size() != w.cw.n:
		return fmt.Errorf("wrote %d bytes but the file holds %d", w.cw.n, fi.Size())
	}
	rdr, err := file.OpenParquetFile(name, false, file.WithReadProps(parquet.NewReaderProperties(w.mem)))
	if err != nil {
		return err
	}
	defer rdr.Close()
	if got := rdr.NumRows(); got != w.rows {
		return fmt.Errorf("file holds %d rows, want %d", got, w.rows)
	}
	kv := rdr.MetaData().KeyValueMetadata()
	if v := kv.FindValue(KeySchemaVersion); v == nil || *v != schemas.SchemaVersion {
		return fmt.Errorf("footer lacks %s=%s", KeySchemaVersion, schemas.SchemaVersion)
	}
	got, err := pqarrow.FromParquet(rdr.MetaData().Schema, &pqarrow.ArrowReadProperties{}, kv)
	if err != nil {
		return err
	}
	if !sameFields(got, w.schema) {
		return fmt.Errorf("file schema differs from the one written:\ngot:  %s\nwant: %s", got, w.schema)
	}
	return nil
}

// written returns the size and hex SHA-256 of the file; valid after a
// successful commit.
func (w *tableWriter) written() (int64, string) {
	return w.cw.n, hex.EncodeToString(w.sum.Sum(nil))
}

// abort drops everything and removes the temporary file. It is a no-op
// after commit or abort.
func (w *tableWriter) abort() {
	if w.done {
		return
	}
	w.done = true
	w.rb.Release()
	_ = w.fw.Close() // releases pqarrow's buffers; the bytes go nowhere useful
	discard(w.tmp)
}

// noClose hides Close from pqarrow, whose FileWriter.Close would otherwise
// close the file before it is flushed, fsynced and verified.
type noClose struct{ w *bufio.Writer }

func (n noClose) Write(p []byte) (int, error) { return n.w.Write(p) }

// sameFields reports whether two schemas have the same field names, types
// and nullability in the same order. Field metadata (the PARQUET:field_id
// the reader adds) is ignored.
func sameFields(a, b *arrow.Schema) bool {
	if a.NumFields() != b.NumFields() {
		return false
	}
	for i, f := range a.Fields() {
		g := b.Field(i)
		if f.Name != g.Name || f.Nullable != g.Nullable || !arrow.TypeEqual(f.Type, g.Type) {
			return false
		}
	}
	return true
}
