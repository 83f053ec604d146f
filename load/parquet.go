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

// DefaultRowGroupRows is the default maximum number of rows per row group.
// See [Options.RowGroupRows] and docs/outputs.md ("Row groups") for how it
// was chosen.
const DefaultRowGroupRows = 1 << 20

// DefaultSortRows is the default number of observations sorted in memory
// at once; see [Options.SortRows].
const DefaultSortRows = 128 * 1024

// Partitionings of the observations dataset ([Options.PartitionBy]).
const (
	PartitionNone = ""
	PartitionYear = "year"
)

// maxFlushRows caps how many rows are held in Arrow builders before they
// are encoded into the current (buffered) row group of a findings or runs
// file. Encoded, compressed pages are much smaller than Arrow arrays, so
// this bounds memory without cutting row groups short.
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
	// DefaultRowGroupRows. Readers prune and parallelise by row group:
	// DuckDB, Spark and Power BI read best with row groups of 100k to 1M
	// rows. The writers hold a row group as compressed pages while it is
	// built, so its size barely changes their memory.
	RowGroupRows int64
	// SortRows is how many observations an [ObservationWriter] sorts in
	// memory at once; 0 means DefaultSortRows. A file with more rows is
	// sorted in runs of SortRows rows spilled to a temporary file beside
	// the output, then merged, so memory does not grow with the file.
	// About 150 bytes per row.
	SortRows int
	// PartitionBy is PartitionNone (one file per input) or PartitionYear
	// (one file per input and year, under year=YYYY/ directories: Hive
	// partitioning).
	PartitionBy string
	// Allocator allocates the Arrow buffers and Parquet pages; nil means
	// memory.DefaultAllocator. Tests pass a memory.CheckedAllocator.
	Allocator memory.Allocator
}

// Check validates the options.
func (o Options) Check() error {
	if _, err := o.codec(); err != nil {
		return err
	}
	if o.RowGroupRows < 0 {
		return fmt.Errorf("negative RowGroupRows %d", o.RowGroupRows)
	}
	if o.SortRows < 0 {
		return fmt.Errorf("negative SortRows %d", o.SortRows)
	}
	switch o.PartitionBy {
	case PartitionNone, PartitionYear:
	default:
		return fmt.Errorf("unknown partitioning %q (want year or none)", o.PartitionBy)
	}
	return nil
}

func (o Options) rowGroupRows() int64 {
	if o.RowGroupRows == 0 {
		return DefaultRowGroupRows
	}
	return o.RowGroupRows
}

func (o Options) sortRows() int {
	if o.SortRows == 0 {
		return DefaultSortRows
	}
	return o.SortRows
}

func (o Options) allocator() memory.Allocator {
	if o.Allocator == nil {
		return memory.DefaultAllocator
	}
	return o.Allocator
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

// writerProperties returns the Parquet writer properties of every file
// tradeetl writes: format 2.6 with version 1 data pages, dictionary
// encoding for the columns typed "STRING (dictionary)" and PLAIN for the
// rest (plain also being the fallback of a dictionary that grows too big),
// statistics on every column, the given compression and row group size.
// plain lists dictionary columns to write PLAIN all the same.
func writerProperties(cols []schemas.Column, opts Options, plain map[string]bool) ([]parquet.WriterProperty, error) {
	codec, err := opts.codec()
	if err != nil {
		return nil, err
	}
	props := []parquet.WriterProperty{
		parquet.WithAllocator(opts.allocator()),
		parquet.WithCompression(codec),
		parquet.WithDictionaryDefault(false),
		parquet.WithStats(true),
		parquet.WithMaxRowGroupLength(opts.rowGroupRows()),
		parquet.WithDataPageVersion(parquet.DataPageV1),
		parquet.WithVersion(parquet.V2_6),
		parquet.WithEncoding(parquet.Encodings.Plain),
		// created_by stays arrow-go's "parquet-go version …": readers
		// (parquet-mr, Arrow C++) parse it to decide whether to trust
		// string statistics, and drop them for a name they cannot parse.
		// tradeetl's own version is in the key-value metadata.
	}
	if codec == compress.Codecs.Zstd {
		// zstd level 1 (klauspost's SpeedFastest): on the long table of
		// make bench-data it compresses twice as fast as the default level 3 and
		// gives files no larger (16.1 MiB against 16.5 MiB for 1M rows):
		// the columns are sorted and dictionary-encoded, little is left
		// for a stronger level to find.
		props = append(props, parquet.WithCompressionLevel(1))
	}
	for _, c := range cols {
		if c.Dictionary() && !plain[c.Name] {
			props = append(props, parquet.WithDictionaryFor(c.Name, true))
		}
	}
	return props, nil
}

// footer returns the key-value metadata of a file's footer.
func footer(meta Metadata) ([][2]string, error) {
	sources := meta.Sources
	if sources == nil {
		sources = map[string]string{}
	}
	srcJSON, err := json.Marshal(sources) // keys sorted: stable footers
	if err != nil {
		return nil, err
	}
	return [][2]string{
		{KeyVersion, meta.Version},
		{KeyRunID, meta.RunID},
		{KeyRulesVersion, meta.RulesVersion},
		{KeySchemaVersion, schemas.SchemaVersion},
		{KeySources, string(srcJSON)},
	}, nil
}

// tempFile is a file being written under a temporary name beside its
// destination (".NAME.RANDOM.tmp"), hashed and counted as it goes.
type tempFile struct {
	path string // destination
	f    *os.File
	cw   *countingWriter // bytes handed to f
	sum  hash.Hash       // SHA-256 of the bytes handed to f
	buf  *bufio.Writer

	// beforeVerify, when set, runs on the sealed file before it is
	// verified (tests corrupt it).
	beforeVerify func(name string)
}

func newTempFile(path string) (*tempFile, error) {
	f, err := createTemp(path)
	if err != nil {
		return nil, err
	}
	sum := sha256.New()
	cw := &countingWriter{w: io.MultiWriter(f, sum)}
	return &tempFile{path: path, f: f, cw: cw, sum: sum, buf: bufio.NewWriterSize(cw, 64<<10)}, nil
}

// Write buffers p. It has no Close: Parquet writers close what they write
// to, and this file must stay open until it is flushed and fsynced.
func (t *tempFile) Write(p []byte) (int, error) { return t.buf.Write(p) }

// seal flushes, fsyncs and closes the file and runs verify on it; on error
// the file is removed.
func (t *tempFile) seal(verify func(name string, size int64) error) error {
	if err := t.buf.Flush(); err != nil {
		t.discard()
		return fmt.Errorf("write %s: %w", t.path, err)
	}
	size, sum := t.written()
	return seal(t.f, t.path, func(name string) error {
		if t.beforeVerify != nil {
			t.beforeVerify(name)
		}
		if err := checkDigest(name, size, sum); err != nil {
			return err
		}
		return verify(name, size)
	})
}

// checkDigest reads a file back and checks that it holds exactly the bytes
// written: size bytes whose hex SHA-256 is sum (the digest the manifest
// lists).
func checkDigest(name string, size int64, sum string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return err
	}
	if n != size {
		return fmt.Errorf("wrote %d bytes but the file holds %d", size, n)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return fmt.Errorf("the file differs from the bytes written (SHA-256 %s, wrote %s)", got, sum)
	}
	return nil
}

// install renames the sealed file to its destination.
func (t *tempFile) install() error { return install(t.f.Name(), t.path) }

// discard closes and removes the temporary file.
func (t *tempFile) discard() { discard(t.f) }

// written returns the size and hex SHA-256 of the bytes written.
func (t *tempFile) written() (int64, string) { return t.cw.n, hex.EncodeToString(t.sum.Sum(nil)) }

// verifyParquet re-opens a finished Parquet file and checks its size, its
// leading magic, its row count, its schema version and its schema (as an
// Arrow reader sees it, through the stored Arrow schema) against what was
// written.
func verifyParquet(name string, size, rows int64, want *arrow.Schema, mem memory.Allocator) error {
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
	case fi.Size() != size:
		return fmt.Errorf("wrote %d bytes but the file holds %d", size, fi.Size())
	}
	rdr, err := file.OpenParquetFile(name, false, file.WithReadProps(parquet.NewReaderProperties(mem)))
	if err != nil {
		return err
	}
	defer rdr.Close()
	if got := rdr.NumRows(); got != rows {
		return fmt.Errorf("file holds %d rows, want %d", got, rows)
	}
	kv := rdr.MetaData().KeyValueMetadata()
	if v := kv.FindValue(KeySchemaVersion); v == nil || *v != schemas.SchemaVersion {
		return fmt.Errorf("footer lacks %s=%s", KeySchemaVersion, schemas.SchemaVersion)
	}
	got, err := pqarrow.FromParquet(rdr.MetaData().Schema, &pqarrow.ArrowReadProperties{}, kv)
	if err != nil {
		return err
	}
	if !sameFields(got, want) {
		return fmt.Errorf("file schema differs from the one written:\ngot:  %s\nwant: %s", got, want)
	}
	return nil
}

// errFinished is returned by a writer used after Commit or Abort.
var errFinished = errors.New("writer already committed or aborted")

// tableWriter streams rows of a small dataset (findings, runs) into a
// temporary Parquet file through pqarrow and publishes it on commit. The
// dataset writers fill its record builder and call flush.
type tableWriter struct {
	path   string
	schema *arrow.Schema
	mem    memory.Allocator

	tmp *tempFile
	fw  *pqarrow.FileWriter
	rb  *array.RecordBuilder

	flushAt int   // pending rows that trigger a flush
	pending int   // rows in rb not yet handed to fw
	rows    int64 // rows handed to fw
	err     error // sticky: the file is broken, only Abort remains
	done    bool  // committed or aborted

	// beforeVerify, when set, runs on the finished temporary file before
	// it is verified (tests corrupt it).
	beforeVerify func(name string)
}

// newTableWriter creates the temporary file beside path and a Parquet writer
// on it for the dataset cols.
func newTableWriter(path string, cols []schemas.Column, meta Metadata, opts Options) (*tableWriter, error) {
	if err := opts.Check(); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	props, err := writerProperties(cols, opts, nil)
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	kvs, err := footer(meta)
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	mem := opts.allocator()
	schema := ArrowSchema(cols)
	tmp, err := newTempFile(path)
	if err != nil {
		return nil, err
	}
	fw, err := pqarrow.NewFileWriter(schema, tmp, parquet.NewWriterProperties(props...),
		pqarrow.NewArrowWriterProperties(
			pqarrow.WithAllocator(mem),
			pqarrow.WithStoreSchema(),
			pqarrow.WithCoerceTimestamps(arrow.Microsecond),
		))
	if err != nil {
		tmp.discard()
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	for _, kv := range kvs {
		if err := fw.AppendKeyValueMetadata(kv[0], kv[1]); err != nil {
			_ = fw.Close()
			tmp.discard()
			return nil, fmt.Errorf("write %s: %w", path, err)
		}
	}
	return &tableWriter{
		path:    path,
		schema:  schema,
		mem:     mem,
		tmp:     tmp,
		fw:      fw,
		rb:      array.NewRecordBuilder(mem, schema),
		flushAt: int(min(opts.rowGroupRows(), maxFlushRows)),
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
		w.tmp.discard()
		return 0, err
	}
	if err := w.fw.Close(); err != nil {
		w.tmp.discard()
		return 0, fmt.Errorf("write %s: %w", w.path, err)
	}
	w.tmp.beforeVerify = w.beforeVerify
	if err := w.tmp.seal(func(name string, size int64) error {
		return verifyParquet(name, size, w.rows, w.schema, w.mem)
	}); err != nil {
		return 0, err
	}
	if err := w.tmp.install(); err != nil {
		return 0, err
	}
	return w.rows, nil
}

// written returns the size and hex SHA-256 of the file; valid after a
// successful commit.
func (w *tableWriter) written() (int64, string) { return w.tmp.written() }

// abort drops everything and removes the temporary file. It is a no-op
// after commit or abort.
func (w *tableWriter) abort() {
	if w.done {
		return
	}
	w.done = true
	w.rb.Release()
	_ = w.fw.Close() // releases pqarrow's buffers; the bytes go nowhere useful
	w.tmp.discard()
}

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
