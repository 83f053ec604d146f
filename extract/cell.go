package extract

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/tradeetl/tradeetl/extract/xlsxscan"
)

// Kind is the stored type of a cell: xlsxscan's kinds, which CSV cells
// use too. A formula cell whose file holds no cached result (common in
// files written by libraries) has kind NoValue: its value is unknown, never
// zero.
type Kind = xlsxscan.Kind

// Cell kinds.
const (
	Blank   = xlsxscan.Blank   // no value
	Number  = xlsxscan.Number  // a number (dates are numbers with a date format)
	String  = xlsxscan.String  // text, including numbers stored as text
	Bool    = xlsxscan.Bool    // TRUE or FALSE
	Error   = xlsxscan.Error   // an Excel error value such as #DIV/0!
	Date    = xlsxscan.Date    // an ISO 8601 date stored as text (t="d")
	NoValue = xlsxscan.NoValue // a formula with no cached value
)

// Cell is one non-empty cell.
type Cell struct {
	Row, Col int // 1-based
	Kind     Kind
	// Text is the value as stored: the number's text ("6.8"), the string,
	// "1"/"0" for booleans, "#N/A" for errors.
	Text string
	// Number is the numeric value of Number and Bool cells.
	Number float64
	// Format is the number format code ("0.00", "0.0%", "General").
	Format string
	// Formula is the cell's formula without "=", if any.
	Formula string
	// Merged marks a copy of a merged range's top-left text placed in
	// another cell of the range by a reader of the sheet (the top-left
	// cell alone holds the value in the file).
	Merged bool
}

// Ref returns the cell's A1 address ("B7").
func (c Cell) Ref() string { return CellName(c.Col, c.Row) }

// CellName returns the A1 address of a column and row (1-based), or
// "R7C2" for a position beyond a worksheet's limits (a CSV file of more
// than 1,048,576 rows).
func CellName(col, row int) string {
	if col < 1 || row < 1 || col > xlsxscan.MaxColumns || row > xlsxscan.MaxRows {
		return "R" + strconv.Itoa(row) + "C" + strconv.Itoa(col)
	}
	return xlsxscan.CellName(col, row)
}

// ColumnName returns the letters of a column (1-based): 1 → "A".
func ColumnName(col int) string {
	name, err := excelize.ColumnNumberToName(col)
	if err != nil {
		return "C" + strconv.Itoa(col)
	}
	return name
}

// Row is one row of a sheet: its 1-based number and its non-empty cells in
// column order.
type Row struct {
	Num   int
	Cells []Cell
}

// Decimals returns the number of decimals a number format shows: 2 for
// "0.00" or "#,##0.00", 1 for "0.0%", and -1 for "General" and formats
// without a fixed number of decimals.
func Decimals(format string) int {
	f := strings.ToLower(format)
	if f == "" || f == "general" || f == "@" {
		return -1
	}
	// Only the first section (positive numbers) matters.
	f = firstSection(f)
	f = stripQuoted(f)
	dot := strings.IndexByte(f, '.')
	if dot < 0 {
		if strings.ContainsAny(f, "0#?") {
			return 0
		}
		return -1
	}
	n := 0
	for _, r := range f[dot+1:] {
		switch r {
		case '0', '#', '?':
			n++
		case 'e':
			return n
		default:
			if n > 0 || r == '%' {
				return n
			}
		}
	}
	return n
}

// IsPercentFormat reports whether a number format shows the value × 100
// with a percent sign ("0.0%").
func IsPercentFormat(format string) bool {
	return strings.Contains(stripQuoted(firstSection(format)), "%")
}

// IsDateFormat reports whether a number format shows a date.
func IsDateFormat(format string) bool {
	f := strings.ToLower(stripQuoted(firstSection(format)))
	// drop colour and locale tags such as [red] or [$-409]
	for {
		i := strings.IndexByte(f, '[')
		j := strings.IndexByte(f, ']')
		if i < 0 || j < i {
			break
		}
		f = f[:i] + f[j+1:]
	}
	return strings.ContainsAny(f, "dmy") && !strings.Contains(f, "general")
}

func firstSection(f string) string {
	inQuote := false
	for i, r := range f {
		switch {
		case r == '"':
			inQuote = !inQuote
		case r == ';' && !inQuote:
			return f[:i]
		}
	}
	return f
}

func stripQuoted(f string) string {
	var b strings.Builder
	inQuote := false
	for i := 0; i < len(f); i++ {
		c := f[i]
		switch {
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '\\' && i+1 < len(f):
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Range is a rectangle of cells, 1-based and inclusive.
type Range struct {
	FromCol, FromRow, ToCol, ToRow int
}

// ParseRange reads an A1 range ("B3:F13", or "B3" for one cell). The
// corners may come in any order.
func ParseRange(s string) (Range, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		b = a
	}
	c1, r1, err := excelize.CellNameToCoordinates(strings.TrimSpace(strings.ReplaceAll(a, "$", "")))
	if err != nil {
		return Range{}, fmt.Errorf("range %q: %w", s, err)
	}
	c2, r2, err := excelize.CellNameToCoordinates(strings.TrimSpace(strings.ReplaceAll(b, "$", "")))
	if err != nil {
		return Range{}, fmt.Errorf("range %q: %w", s, err)
	}
	return Range{min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)}, nil
}

// Contains reports whether the range holds the cell at col, row.
func (r Range) Contains(col, row int) bool {
	return col >= r.FromCol && col <= r.ToCol && row >= r.FromRow && row <= r.ToRow
}

// String returns the range in A1 notation ("B3:F13").
func (r Range) String() string {
	return CellName(r.FromCol, r.FromRow) + ":" + CellName(r.ToCol, r.ToRow)
}

// ColumnNumber reads column letters ("A" → 1, "AB" → 28).
func ColumnNumber(name string) (int, error) {
	return excelize.ColumnNameToNumber(strings.TrimSpace(name))
}
