package extract

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/tradeetl/tradeetl/extract/xlsxscan"
	"github.com/tradeetl/tradeetl/schemas"
)

// xlsxWorkbook reads a workbook with package xlsxscan: its worksheets are
// streamed, cells with their types, number formats and formulas, in
// bounded memory however large the sheet.
type xlsxWorkbook struct {
	w      *xlsxscan.Workbook
	path   string
	sheets []string
	lim    Limits
	cells  atomic.Int64 // cells read from all sheets, against lim.MaxCells
	// raw maps the names of sheets whose names in the file are not
	// valid UTF-8, as Sheets gives them, to the names in the file
	raw     map[string]string
	repairs []TextRepair
}

// recovered turns a panic of the xlsx reader into an error: a hostile file
// must fail as damaged, never bring the run down. (xlsxscan is fuzzed and
// is not known to panic; this is a second line.)
func recovered(path string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("read %s: %w: the xlsx reader failed on it (%v)", path, ErrDamaged, r)
	}
}

// forbiddenInSheetName are the characters Excel refuses in a sheet name.
const forbiddenInSheetName = `:\/?*[]`

func openXLSX(path string, r io.ReaderAt, size int64, lim Limits) (_ *xlsxWorkbook, err error) {
	defer recovered(path, &err)
	if err := checkPackage(r, size, lim); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w, err := xlsxscan.NewReader(r, size, xlsxscan.Limits{MaxTotalSize: lim.MaxUnzipSize, MaxStringLen: lim.MaxFieldSize, MaxRowBytes: lim.MaxLineSize})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, describeScanError(err, true))
	}
	wb := &xlsxWorkbook{w: w, path: path, lim: lim}
	for _, s := range w.Sheets() {
		if strings.ContainsAny(s.Name, forbiddenInSheetName) {
			// Excel never writes one; such a name is a sign of a
			// crafted file (and would be awkward in every output)
			w.Close()
			return nil, fmt.Errorf("open %s: %w: a sheet name holds a character Excel forbids (: \\ / ? * [ ]): %q; the file was not written by a spreadsheet program", path, ErrDamaged, s.Name)
		}
		name := s.Name
		if !utf8.ValidString(name) {
			// Excel writes only UTF-8; a crafted or broken workbook
			// may not. The name is read with U+FFFD for each byte
			// that is not (as JSON writes it), and said.
			name = schemas.ValidUTF8(name)
			for slices.Contains(wb.sheets, name) || slices.ContainsFunc(w.Sheets(), func(o xlsxscan.Sheet) bool { return o.Name == name }) {
				name += "\uFFFD"
			}
			if wb.raw == nil {
				wb.raw = map[string]string{}
			}
			wb.raw[name] = s.Name
			wb.repairs = append(wb.repairs, TextRepair{Sheet: name,
				Message: fmt.Sprintf("the sheet name %q is not valid UTF-8 (its bytes in hex: %x); it is read as %q, each byte that is not UTF-8 replaced by U+FFFD", s.Name, s.Name, name)})
		}
		wb.sheets = append(wb.sheets, name)
	}
	if len(wb.sheets) == 0 {
		w.Close()
		return nil, fmt.Errorf("open %s: %w: the workbook has no worksheets", path, ErrNotWorkbook)
	}
	return wb, nil
}

// describeScanError maps an error of xlsxscan to extract's error classes.
// Damage found while opening the workbook's structure (no workbook part, a
// missing relationship) means the file is not a workbook; found later, in
// a sheet, it means the workbook is damaged.
func describeScanError(err error, opening bool) error {
	var pathErr *fs.PathError
	// xlsxscan's ErrNotWorkbook says nothing the class given here does not
	msg := strings.Replace(err.Error(), xlsxscan.ErrNotWorkbook.Error()+": ", "", 1)
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded), errors.As(err, &pathErr):
		return err
	case errors.Is(err, xlsxscan.ErrTooLarge):
		return fmt.Errorf("%w: %s%s", ErrTooLarge, msg, limitFlag(msg))
	case errors.Is(err, xlsxscan.ErrDamaged):
		return fmt.Errorf("%w: %s", ErrDamaged, msg)
	case errors.Is(err, xlsxscan.ErrDoctype):
		return fmt.Errorf("%w: %s; refused (entity expansion or external entities)", ErrHostile, msg)
	case errors.Is(err, xlsxscan.ErrSyntax):
		return fmt.Errorf("%w: an XML part is not well-formed: %s", ErrDamaged, msg)
	case errors.Is(err, xlsxscan.ErrNotWorkbook) && opening:
		return fmt.Errorf("%w: %s", ErrNotWorkbook, msg)
	}
	return fmt.Errorf("%w: %s", ErrDamaged, msg)
}

// TextRepairs lists the sheet names that were not valid UTF-8.
func (w *xlsxWorkbook) TextRepairs() []TextRepair { return w.repairs }

// limitFlag names the flag that sets the limit an xlsxscan error of
// ErrTooLarge reports, from its message.
func limitFlag(msg string) string {
	switch {
	case strings.Contains(msg, "merged ranges"):
		return "" // a fixed limit
	case strings.Contains(msg, "text longer than"), strings.Contains(msg, "shared string"):
		return " (--max-field-size)"
	case strings.Contains(msg, "element longer than"), strings.Contains(msg, "shared formulas"):
		return " (--max-line-size)"
	}
	return " (--max-unzip-size)"
}

func (w *xlsxWorkbook) Sheets() []string { return w.sheets }
func (w *xlsxWorkbook) Date1904() bool   { return w.w.Date1904() }
func (w *xlsxWorkbook) Close() error     { return w.w.Close() }

func (w *xlsxWorkbook) Open(ctx context.Context, sheet string) (_ SheetReader, err error) {
	defer recovered(w.path, &err)
	name := sheet
	if raw, ok := w.raw[sheet]; ok {
		name = raw
	}
	r, err := w.w.OpenSheet(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", w.path, describeScanError(err, false))
	}
	return &xlsxSheet{w: w, sheet: sheet, r: r}, nil
}

// The cells of the rows a sheet returns are allocated in slabs: one
// allocation per few hundred rows, not one per row. The first slab is
// small, and each next one twice the last up to slabCells, so that the
// small sheets of a folder of report tables stay small.
const (
	firstSlabCells = 64
	slabCells      = 4096
)

type xlsxSheet struct {
	w     *xlsxWorkbook
	sheet string
	r     *xlsxscan.SheetReader
	slab  []Cell // room for the cells of the next rows
	slabN int    // the size of the last slab
}

// Next returns the next row with a cell. The row's cells are its own: the
// reader never touches them again (they are carved out of a slab shared
// with neighbouring rows, with no room to append into each other).
func (s *xlsxSheet) Next() (_ Row, err error) {
	defer recovered(s.w.path, &err)
	row, err := s.r.Next()
	if err != nil {
		if err == io.EOF {
			return Row{}, io.EOF
		}
		return Row{}, fmt.Errorf("read %s: %w", s.w.path, describeScanError(err, false))
	}
	n := len(row.Cells)
	if n > len(s.slab) {
		s.slabN = min(max(2*s.slabN, firstSlabCells), slabCells)
		s.slab = make([]Cell, max(n, s.slabN))
	}
	cells := s.slab[:n:n]
	s.slab = s.slab[n:]
	for i := range row.Cells {
		c := &row.Cells[i]
		cells[i] = Cell{Row: c.Row, Col: c.Col, Kind: c.Kind, Text: c.Text, Number: c.Number, Format: c.Format, Formula: c.Formula}
	}
	if total := s.w.cells.Add(int64(n)); total > s.w.lim.MaxCells {
		return Row{}, fmt.Errorf("read %s sheet %q row %d: %w (%d cells)", s.w.path, s.sheet, row.Num, ErrTooManyCells, s.w.lim.MaxCells)
	}
	return Row{Num: row.Num, Cells: cells}, nil
}

// MergedCells returns the sheet's merged ranges. The file stores them
// after the cells: they are known once Next returned io.EOF.
func (s *xlsxSheet) MergedCells() ([]Range, error) {
	ms, err := s.r.MergedCells()
	out := make([]Range, len(ms))
	for i, m := range ms {
		out[i] = Range{FromCol: m.FromCol, FromRow: m.FromRow, ToCol: m.ToCol, ToRow: m.ToRow}
	}
	if err != nil {
		return out, fmt.Errorf("read %s: %w", s.w.path, describeScanError(err, false))
	}
	return out, nil
}

func (s *xlsxSheet) Close() error { return s.r.Close() }
