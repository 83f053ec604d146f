package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Workbook is an opened input file: a workbook of sheets, or a CSV file seen
// as a workbook with one sheet named "".
type Workbook interface {
	// Sheets lists the worksheet names in workbook order.
	Sheets() []string
	// Open starts reading one sheet, row by row.
	Open(ctx context.Context, sheet string) (SheetReader, error)
	// Date1904 reports whether date serial numbers count from 1904-01-01
	// (old Mac workbooks) rather than 1899-12-30.
	Date1904() bool
	// Close releases the file.
	Close() error
}

// SheetReader streams the rows of one sheet. Next returns io.EOF after the
// last row. Rows without any cell are skipped.
type SheetReader interface {
	Next() (Row, error)
	Close() error
}

// MergeReader is implemented by a SheetReader that knows the merged cell
// ranges of its sheet ("Growth rate" written once over two columns). A
// reader that reads merges from the end of the sheet may return them only
// after Next returned io.EOF; one that cannot know them returns nil.
type MergeReader interface {
	MergedCells() ([]Range, error)
}

// TextRepairer is implemented by a Workbook that replaced bytes that are
// not valid UTF-8 in what it returns (a sheet name, the fields of a CSV
// file past the start its encoding was told from), so that every text it
// gives is valid UTF-8. TextRepairs says what was replaced: sheet names
// once the workbook is open, CSV fields once the sheet is read (Next
// returned io.EOF).
type TextRepairer interface {
	TextRepairs() []TextRepair
}

// TextRepair is one replacement of bytes that are not UTF-8, or (Rule
// [RuleTextEncoding]) a doubt about the encoding of delimited text.
type TextRepair struct {
	Sheet   string // the sheet, as Sheets names it
	Cell    string // the first cell concerned, if any ("B7")
	Message string // what was replaced, with the bytes
	Rule    string // the rule of the warning finding; "" for invalid_utf8
}

// Limits protect a run against hostile or runaway files. The zero value of a
// field means its default.
type Limits struct {
	// MaxUnzipSize caps the total decompressed size of a workbook's parts
	// (zip-bomb protection). Default 1 GiB.
	MaxUnzipSize int64
	// MaxTextSize caps the size of a delimited text file (CSV, TSV), its
	// bytes counted as they are read. Default 1 GiB.
	MaxTextSize int64
	// MaxFieldSize caps one field of delimited text and one string of a
	// workbook (a cell's text, a shared string, a formula), in bytes.
	// Default 1 MiB.
	MaxFieldSize int
	// MaxLineSize caps one record of delimited text (its lines together:
	// a quoted field may hold line breaks) and the XML of one row of a
	// worksheet, in bytes. Default 64 MiB, at most 1 GiB.
	MaxLineSize int
	// MaxCells caps the number of non-empty cells read from one file.
	// Default 50 million.
	MaxCells int64
	// Encoding, if set, is the encoding delimited text is read in
	// (--encoding; a name [LookupEncoding] knows) instead of the one
	// detected.
	Encoding string
}

// Default limits.
const (
	DefaultMaxUnzipSize = 1 << 30
	DefaultMaxCells     = 50_000_000
	DefaultMaxTextSize  = 1 << 30  // delimited text: the workbook's 1 GiB
	DefaultMaxFieldSize = 1 << 20  // xlsxscan.DefaultMaxStringLen
	DefaultMaxLineSize  = 64 << 20 // xlsxscan.DefaultMaxRowBytes
)

func (l Limits) withDefaults() Limits {
	if l.MaxUnzipSize <= 0 {
		l.MaxUnzipSize = DefaultMaxUnzipSize
	}
	if l.MaxTextSize <= 0 {
		l.MaxTextSize = DefaultMaxTextSize
	}
	if l.MaxFieldSize <= 0 {
		l.MaxFieldSize = DefaultMaxFieldSize
	}
	if l.MaxLineSize <= 0 {
		l.MaxLineSize = DefaultMaxLineSize
	}
	l.MaxLineSize = min(l.MaxLineSize, 1<<30)
	if l.MaxCells <= 0 {
		l.MaxCells = DefaultMaxCells
	}
	return l
}

// Errors for inputs that are not readable workbooks. They are wrapped with
// the file name; test with errors.Is.
var (
	ErrEncrypted    = errors.New("the workbook is password-protected (encrypted); save an unprotected copy")
	ErrLegacyXLS    = errors.New("an old binary Excel format older than Excel 5.0/95, which tradeetl does not read; save it as .xlsx")
	ErrNotWorkbook  = errors.New("not an xlsx workbook")
	ErrTooLarge     = errors.New("file exceeds the configured size limit")
	ErrTooManyCells = errors.New("file exceeds the configured cell limit")
)

var (
	zipMagic      = []byte("PK\x03\x04")
	emptyZipMagic = []byte("PK\x05\x06") // end of central directory: a zip without entries
	oleMagic      = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	// The stream name of an encrypted OOXML package inside its OLE
	// container, in UTF-16LE.
	encryptedPackage = []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00")
)

// Open opens an input file, choosing the reader by content and extension:
// an OLE container is read as an Excel 97–2003 workbook (.xls, BIFF8) or
// an Excel 5.0/95 one (BIFF5), whatever its name, or refused as
// encrypted; .csv, .tsv, .tab and .txt
// files are read as delimited text, unless their first bytes show
// compressed or binary data (refused with [ErrNotText], a zip archive
// included); other files that are zip archives are read as OpenDocument
// spreadsheets (.ods: a mimetype or content.xml says so) or xlsx
// workbooks, and flat OpenDocument XML as .fods. A file named as a
// workbook that is none of these (an HTML page saved as .xls, an Excel
// 2003 XML spreadsheet, a PDF) is refused saying what it is.
// A .tsv or .tab file is split on tabs; the delimiter of others is
// detected (see [SniffDelimiter]). What is not a regular file (a named
// pipe, a device) is refused with [ErrNotRegular] before it is opened.
// The file is opened once and read through that descriptor only; Close
// closes it.
func Open(path string, lim Limits) (Workbook, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := CheckRegular(fi.Mode()); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// Non-blocking: should a named pipe take the file's place after the
	// Stat, opening it does not wait for a writer.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if fi, err = f.Stat(); err == nil {
		err = CheckRegular(fi.Mode())
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	wb, err := OpenReader(path, f, fi.Size(), lim)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &fileWorkbook{Workbook: wb, f: f}, nil
}

// ErrNotRegular is wrapped by the error of [Open] for what is not a
// regular file.
var ErrNotRegular = errors.New("not a regular file")

// CheckRegular refuses a file mode that is not a regular file's, naming
// what it is; the error wraps [ErrNotRegular]. Reading such a file could
// block for ever (a named pipe nobody writes) or never end (/dev/zero).
func CheckRegular(mode fs.FileMode) error {
	if mode.IsRegular() {
		return nil
	}
	what := "a special file"
	switch {
	case mode&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case mode&fs.ModeCharDevice != 0:
		what = "a character device"
	case mode&fs.ModeDevice != 0:
		what = "a block device"
	case mode&fs.ModeSocket != 0:
		what = "a socket"
	case mode.IsDir():
		what = "a directory"
	}
	return fmt.Errorf("%w but %s; tradeetl reads regular files only, so it was not opened", ErrNotRegular, what)
}

// OpenReader is [Open] for a file already open: r holds its size bytes,
// and name (the file's path) gives its extension and names it in errors.
// Every read goes through r, never by name, so a caller that opened the
// file once reads exactly the bytes it hashed. The workbook does not close
// r.
func OpenReader(name string, r io.ReaderAt, size int64, lim Limits) (Workbook, error) {
	lim = lim.withDefaults()
	head, err := readHead(r, size, textHeadSize)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	ext := strings.ToLower(filepath.Ext(name))
	kind, what := sniffWorkbook(head)
	switch {
	case kind == kindOLE:
		if encrypted, err := oleEncrypted(r, size); err == nil && encrypted {
			return nil, fmt.Errorf("open %s: %w", name, ErrEncrypted)
		}
		return openXLS(name, r, size, lim)
	case ext == ".csv" || ext == ".tsv" || ext == ".tab" || ext == ".txt":
		if err := checkText(head); err != nil {
			return nil, fmt.Errorf("open %s: %w", name, err)
		}
		return openCSV(name, r, size, lim, ext)
	case kind == kindZip:
		if isODSPackage(r, size) {
			return openODS(name, r, size, lim)
		}
		return openXLSX(name, r, size, lim)
	case kind == kindFODS:
		return openFODS(name, r, size, lim)
	case kind == kindBIFFBare:
		return nil, fmt.Errorf("open %s: this is %s: %w", name, what, ErrLegacyXLS)
	case workbookExt(ext):
		return nil, notAWorkbook(name, head, what)
	}
	return nil, fmt.Errorf("open %s: %w: unsupported file type %q (want .xlsx, .xlsm, .xls, .ods, .fods, .csv or .tsv)", name, ErrNotWorkbook, ext)
}

// fileWorkbook closes the file it was opened from with the workbook.
type fileWorkbook struct {
	Workbook
	f *os.File
}

func (w *fileWorkbook) Close() error { return errors.Join(w.Workbook.Close(), w.f.Close()) }

// Delimited and TextRepairs pass through the optional abilities of the
// workbook inside.
func (w *fileWorkbook) Delimited() bool {
	d, ok := w.Workbook.(interface{ Delimited() bool })
	return ok && d.Delimited()
}

func (w *fileWorkbook) TextRepairs() []TextRepair {
	if tr, ok := w.Workbook.(TextRepairer); ok {
		return tr.TextRepairs()
	}
	return nil
}

// TextEncoding is that of delimited text (see [TextEncoder]); zero for a
// workbook.
func (w *fileWorkbook) TextEncoding() TextEncoding {
	if te, ok := w.Workbook.(TextEncoder); ok {
		return te.TextEncoding()
	}
	return TextEncoding{}
}

// Supported reports whether a file name has an extension tradeetl reads,
// for picking inputs out of a directory.
func Supported(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm", ".xls", ".ods", ".fods", ".csv", ".tsv":
		return !strings.HasPrefix(filepath.Base(name), "~$") // Excel lock files
	}
	return false
}

func readHead(r io.ReaderAt, size int64, n int) ([]byte, error) {
	buf := make([]byte, min(int64(n), size))
	k, err := r.ReadAt(buf, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:k], nil
}

// oleEncrypted reports whether an OLE compound file holds an encrypted
// OOXML package. It looks for the stream name in the first megabyte, where
// the directory of such small containers lives.
func oleEncrypted(r io.ReaderAt, size int64) (bool, error) {
	buf, err := io.ReadAll(io.NewSectionReader(r, 0, min(size, 1<<20)))
	if err != nil {
		return false, err
	}
	return bytes.Contains(buf, encryptedPackage), nil
}
