package xlsxscan

import (
	"errors"
	"fmt"
	"strconv"
)

// Kind is the stored type of a cell (extract.Kind is this type).
type Kind uint8

// Cell kinds. A formula cell whose file holds no cached result has kind
// NoValue: its value is unknown, never zero.
const (
	Blank   Kind = iota // no value
	Number              // a number (dates are numbers with a date format)
	String              // text, including numbers stored as text
	Bool                // TRUE or FALSE
	Error               // an Excel error value such as #DIV/0!
	Date                // an ISO 8601 date stored as text (t="d")
	NoValue             // a formula with no cached value
)

var kindNames = [...]string{"blank", "number", "string", "bool", "error", "date", "formula without value"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Cell is one non-empty cell. It carries the same information as
// extract.Cell.
type Cell struct {
	Row, Col int // 1-based
	Kind     Kind
	// Text is the value as stored: the number's text ("6.8"), the string,
	// "1"/"0" for booleans, "#N/A" for errors, the ISO 8601 text of t="d"
	// cells.
	Text string
	// Number is the numeric value of Number and Bool cells.
	Number float64
	// Format is the number format code of the cell's style ("0.00",
	// "0.0%", "General").
	Format string
	// Formula is the cell's formula without "=", if any. Cells of a shared
	// formula get the master's formula with its relative references moved
	// to the cell, as excelize's GetCellFormula returns it.
	Formula string
}

// Ref returns the cell's A1 address ("B7").
func (c Cell) Ref() string { return CellName(c.Col, c.Row) }

// Row is one row of a sheet: its 1-based number and its non-empty cells in
// column order.
//
// A Row returned by SheetReader.Next is reused by the following call: its
// Cells slice is overwritten. The strings inside the cells are ordinary
// immutable Go strings and stay valid; use Clone to keep a whole row.
type Row struct {
	Num   int
	Cells []Cell
}

// Clone returns a copy of the row that later calls to Next do not touch.
func (r *Row) Clone() Row {
	return Row{Num: r.Num, Cells: append([]Cell(nil), r.Cells...)}
}

// Range is a rectangle of cells, 1-based and inclusive: a merged range.
type Range struct {
	FromCol, FromRow, ToCol, ToRow int
}

// Visibility is a sheet's state in the workbook's tab bar.
type Visibility uint8

// Sheet visibilities.
const (
	Visible    Visibility = iota
	Hidden                // hidden, the user can unhide it
	VeryHidden            // hidden, only a macro can unhide it
)

func (v Visibility) String() string {
	switch v {
	case Hidden:
		return "hidden"
	case VeryHidden:
		return "veryHidden"
	}
	return "visible"
}

// Sheet is a worksheet of the workbook. Chartsheets, dialog sheets and
// macro sheets hold no cells and are not listed.
type Sheet struct {
	Name       string
	Visibility Visibility
	// Part is the name of the worksheet's part in the zip archive
	// ("xl/worksheets/sheet1.xml"); empty when the workbook lists the sheet
	// without a relationship to any part (it then reads as empty).
	Part string
}

// Limits protect against hostile files. The zero value of a field means its
// default.
type Limits struct {
	// MaxTotalSize caps the bytes inflated from all parts of the workbook
	// together (each part counted once, however often it is read). Bytes
	// are counted as they are decompressed; the sizes declared in the zip
	// headers are not trusted. Default 1 GiB.
	MaxTotalSize int64
	// MaxPartSize caps the inflated size of one part. Default MaxTotalSize.
	MaxPartSize int64
	// MaxStringLen caps the length in bytes of one string: a cell's text,
	// a shared string, a formula. Default 1 MiB (Excel's limit is 32,767
	// characters).
	MaxStringLen int
	// MaxRowBytes caps the XML size of one <row> element (and of any other
	// element the reader must hold whole). Default 64 MiB, at most 1 GiB.
	MaxRowBytes int
}

// Default limits.
const (
	DefaultMaxTotalSize = 1 << 30
	DefaultMaxStringLen = 1 << 20
	DefaultMaxRowBytes  = 64 << 20
)

func (l Limits) withDefaults() Limits {
	if l.MaxTotalSize <= 0 {
		l.MaxTotalSize = DefaultMaxTotalSize
	}
	if l.MaxPartSize <= 0 || l.MaxPartSize > l.MaxTotalSize {
		l.MaxPartSize = l.MaxTotalSize
	}
	if l.MaxStringLen <= 0 {
		l.MaxStringLen = DefaultMaxStringLen
	}
	if l.MaxRowBytes <= 0 {
		l.MaxRowBytes = DefaultMaxRowBytes
	}
	l.MaxRowBytes = min(l.MaxRowBytes, 1<<30) // positions in a row fit int32
	return l
}

// Spreadsheet limits of the file format.
const (
	MaxRows    = 1 << 20 // 1,048,576
	MaxColumns = 1 << 14 // 16,384
)

// Errors, wrapped with the part, sheet and cell they concern; test with
// errors.Is.
var (
	// ErrNotWorkbook: the file is not an xlsx package (not a zip, or no
	// workbook part).
	ErrNotWorkbook = errors.New("not an xlsx workbook")
	// ErrSyntax: a part is not well-formed XML (or uses a DOCTYPE, which
	// the reader refuses).
	ErrSyntax = errors.New("malformed XML")
	// ErrInvalid: well-formed XML that breaks a rule of the file format: a
	// row or column out of range, rows out of order, a cell given twice, a
	// shared-string index outside the table, invalid UTF-8.
	ErrInvalid = errors.New("invalid spreadsheet data")
	// ErrTooLarge: a limit of Limits was exceeded.
	ErrTooLarge = errors.New("exceeds the configured size limit")
	// ErrNoSheet: OpenSheet was given a name the workbook does not list.
	ErrNoSheet = errors.New("no such sheet")
	// ErrDamaged: the zip data of a part is damaged — its checksum fails,
	// it inflates to more or fewer bytes than its header declares, or its
	// deflate stream is corrupt. Such errors are also ErrNotWorkbook.
	ErrDamaged = errors.New("damaged zip data")
	// ErrDoctype: a part declares a DOCTYPE, which is refused (entity
	// definitions: entity bombs, external entities). Such errors are also
	// ErrSyntax.
	ErrDoctype = fmt.Errorf("%w (DOCTYPE refused)", ErrSyntax)
)

// CellName returns the A1 address of a column and row (1-based).
func CellName(col, row int) string {
	if col < 1 || row < 1 {
		return "R" + strconv.Itoa(row) + "C" + strconv.Itoa(col)
	}
	var b [24]byte
	s := appendColumnName(b[:0], col)
	s = strconv.AppendInt(s, int64(row), 10)
	return string(s)
}

// ColumnName returns the letters of a column (1-based): 1 → "A".
func ColumnName(col int) string {
	if col < 1 {
		return "C" + strconv.Itoa(col)
	}
	var b [16]byte
	return string(appendColumnName(b[:0], col))
}

func appendColumnName(dst []byte, col int) []byte {
	var tmp [16]byte
	i := len(tmp)
	for col > 0 {
		col--
		i--
		tmp[i] = byte('A' + col%26)
		col /= 26
	}
	return append(dst, tmp[i:]...)
}
