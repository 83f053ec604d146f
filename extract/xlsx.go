package extract

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// xlsxWorkbook reads a workbook through excelize's streaming row iterator.
type xlsxWorkbook struct {
	f        *excelize.File
	path     string
	sheets   []string
	date1904 bool
	lim      Limits
	cells    int64
	formats  map[int]string // style id -> number format code
	pkg      *pkgInfo
}

// domSheetLimit is the largest worksheet XML whose cells are read with
// their number formats, types and formulas. Those come from excelize's
// cell API, which decodes the whole worksheet into memory (about ten
// times its XML size); a larger sheet is read value by value from the
// streaming iterator only, so memory stays bounded.
var domSheetLimit uint64 = 32 << 20

// recovered turns a panic of the xlsx library into an error: a hostile
// file must fail as damaged, never bring the run down.
func recovered(path string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("read %s: %w: the xlsx reader failed on it (%v)", path, ErrDamaged, r)
	}
}

func openXLSX(path string, lim Limits) (w *xlsxWorkbook, err error) {
	defer recovered(path, &err)
	pkg, err := checkPackage(path, lim)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	f, err := excelize.OpenFile(path, excelize.Options{
		UnzipSizeLimit:    lim.MaxUnzipSize,
		UnzipXMLSizeLimit: min(lim.MaxUnzipSize, 16<<20),
	})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, describeExcelizeError(err))
	}
	w = &xlsxWorkbook{f: f, path: path, lim: lim, formats: map[int]string{}, pkg: pkg}
	w.sheets = f.GetSheetList()
	if len(w.sheets) == 0 {
		f.Close()
		return nil, fmt.Errorf("open %s: %w: the workbook has no worksheets", path, ErrNotWorkbook)
	}
	props, err := f.GetWorkbookProps()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open %s: %w", path, describeExcelizeError(err))
	}
	w.date1904 = props.Date1904 != nil && *props.Date1904
	return w, nil
}

// describeExcelizeError turns excelize's errors into ones a person can act
// on, keeping the original text for the curious.
func describeExcelizeError(err error) error {
	var notExist excelize.ErrSheetNotExist
	var syntax *xml.SyntaxError
	switch {
	case errors.Is(err, excelize.ErrWorkbookFileFormat):
		return fmt.Errorf("%w: %v", ErrNotWorkbook, err)
	case strings.Contains(err.Error(), "unzip size exceeds"):
		return fmt.Errorf("%w (decompressed size): %v", ErrTooLarge, err)
	case strings.Contains(err.Error(), "zip: not a valid zip file"):
		return fmt.Errorf("%w: the zip archive is truncated or corrupt (%v)", ErrDamaged, err)
	case errors.Is(err, excelize.ErrSheetNameInvalid):
		return fmt.Errorf("%w: a sheet name holds a character Excel forbids (: \\ / ? * [ ]); the file was not written by a spreadsheet program", ErrDamaged)
	case errors.As(err, &notExist):
		return fmt.Errorf("%w: the workbook lists sheet %q but holds no worksheet part for it", ErrDamaged, notExist.SheetName)
	case errors.As(err, &syntax), strings.Contains(err.Error(), "XML syntax error"):
		return fmt.Errorf("%w: an XML part is not well-formed (%v)", ErrDamaged, err)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: a part of the workbook is missing or empty (%v)", ErrDamaged, err)
	case strings.Contains(err.Error(), "spreadsheetml/2006/5/main"):
		return fmt.Errorf("%w: it is written in the pre-release Excel 2007 (beta) format; re-save it from Excel or LibreOffice", ErrNotWorkbook)
	case errors.Is(err, excelize.ErrMaxRows):
		return fmt.Errorf("%w: a row number is beyond Excel's 1,048,576 rows", ErrDamaged)
	}
	return fmt.Errorf("%w: %v", ErrDamaged, err)
}

func (w *xlsxWorkbook) Sheets() []string { return w.sheets }
func (w *xlsxWorkbook) Date1904() bool   { return w.date1904 }
func (w *xlsxWorkbook) Close() error     { return w.f.Close() }

func (w *xlsxWorkbook) Open(ctx context.Context, sheet string) (_ SheetReader, err error) {
	defer recovered(w.path, &err)
	rows, err := w.f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("read %s sheet %q: %w", w.path, sheet, describeExcelizeError(err))
	}
	return &xlsxSheet{ctx: ctx, w: w, sheet: sheet, rows: rows, light: w.pkg.sheetSize(sheet) > domSheetLimit}, nil
}

// format returns the number format code of a style id.
func (w *xlsxWorkbook) format(styleID int) string {
	if code, ok := w.formats[styleID]; ok {
		return code
	}
	code := "General"
	if style, err := w.f.GetStyle(styleID); err == nil && style != nil {
		switch {
		case style.CustomNumFmt != nil:
			code = *style.CustomNumFmt
		default:
			code = BuiltinFormat(style.NumFmt)
		}
	}
	w.formats[styleID] = code
	return code
}

type xlsxSheet struct {
	ctx   context.Context
	w     *xlsxWorkbook
	sheet string
	rows  *excelize.Rows
	num   int
	read  int // rows returned
	// light: the sheet is too large for excelize's cell API; cells are
	// typed from their stored values alone (see domSheetLimit).
	light bool
}

// Light reports whether the sheet is read from its stored values only,
// without number formats and formulas, because it is too large to read
// them without holding the sheet in memory.
func (s *xlsxSheet) Light() bool { return s.light }

// MergedCells returns the sheet's merged ranges. Only sheets small enough
// for excelize's cell API have them read (see domSheetLimit); others
// return none.
func (s *xlsxSheet) MergedCells() (_ []Range, err error) {
	defer recovered(s.w.path, &err)
	if s.light {
		return nil, nil
	}
	merged, err := s.w.f.GetMergeCells(s.sheet)
	if err != nil {
		return nil, fmt.Errorf("read %s sheet %q merged cells: %w", s.w.path, s.sheet, describeExcelizeError(err))
	}
	var out []Range
	for _, m := range merged {
		r, err := ParseRange(m.GetStartAxis() + ":" + m.GetEndAxis())
		if err != nil {
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

func (s *xlsxSheet) Next() (_ Row, err error) {
	defer recovered(s.w.path, &err)
	for s.rows.Next() {
		s.num++
		if s.num%1024 == 0 {
			if err := s.ctx.Err(); err != nil {
				return Row{}, err
			}
		}
		values, err := s.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return Row{}, fmt.Errorf("read %s sheet %q row %d: %w", s.w.path, s.sheet, s.num, describeExcelizeError(err))
		}
		row := Row{Num: s.num}
		for i, v := range values {
			cell, ok, err := s.cell(i+1, v)
			if err != nil {
				return Row{}, err
			}
			if ok {
				row.Cells = append(row.Cells, cell)
			}
		}
		if len(row.Cells) == 0 {
			continue
		}
		s.read++
		s.w.cells += int64(len(row.Cells))
		if s.w.cells > s.w.lim.MaxCells {
			return Row{}, fmt.Errorf("read %s sheet %q row %d: %w (%d cells)", s.w.path, s.sheet, s.num, ErrTooManyCells, s.w.lim.MaxCells)
		}
		return row, nil
	}
	if err := s.rows.Error(); err != nil {
		return Row{}, fmt.Errorf("read %s sheet %q after row %d: %w", s.w.path, s.sheet, s.num, describeExcelizeError(err))
	}
	if s.read == 0 && s.w.pkg.sheetHasValues(s.sheet) {
		// excelize skips cells it cannot parse (an empty style
		// attribute s="", say) without a word: never pass that off as
		// an empty sheet
		return Row{}, fmt.Errorf("read %s sheet %q: %w: the sheet holds cell values that could not be read (unusual XML); re-save the file from Excel or LibreOffice", s.w.path, s.sheet, ErrDamaged)
	}
	return Row{}, io.EOF
}

// cell builds the Cell at column col of the current row from its raw value,
// asking excelize for its type, style and formula.
func (s *xlsxSheet) cell(col int, raw string) (Cell, bool, error) {
	if s.light {
		if raw == "" {
			return Cell{}, false, nil
		}
		return typeFromValue(Cell{Row: s.num, Col: col, Text: raw, Format: "General"}), true, nil
	}
	ref := CellName(col, s.num)
	f := s.w.f
	formula, err := f.GetCellFormula(s.sheet, ref)
	if err != nil {
		return Cell{}, false, fmt.Errorf("read %s!%s in %s: %w", s.sheet, ref, s.w.path, err)
	}
	if raw == "" && formula == "" {
		return Cell{}, false, nil
	}
	c := Cell{Row: s.num, Col: col, Text: raw, Formula: formula}
	if styleID, err := f.GetCellStyle(s.sheet, ref); err == nil {
		c.Format = s.w.format(styleID)
	}
	if raw == "" {
		c.Kind = NoValue
		return c, true, nil
	}
	typ, err := f.GetCellType(s.sheet, ref)
	if err != nil {
		return Cell{}, false, fmt.Errorf("read %s!%s in %s: %w", s.sheet, ref, s.w.path, err)
	}
	switch typ {
	case excelize.CellTypeBool:
		c.Kind = Bool
		if raw == "1" || strings.EqualFold(raw, "true") {
			c.Number = 1
		}
	case excelize.CellTypeError:
		c.Kind = Error
	case excelize.CellTypeDate:
		c.Kind = Date
	case excelize.CellTypeSharedString, excelize.CellTypeInlineString, excelize.CellTypeFormula:
		c.Kind = String
	default:
		c = typeFromValue(c)
	}
	return c, true, nil
}

// typeFromValue types a cell from its stored value alone: a number, an
// Excel error value, or else text.
func typeFromValue(c Cell) Cell {
	if IsExcelError(c.Text) {
		c.Kind = Error
		return c
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(c.Text), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		c.Kind = String
		return c
	}
	c.Kind, c.Number = Number, v
	return c
}

// IsExcelError reports whether a text is one of Excel's error values.
func IsExcelError(s string) bool {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!":
		return true
	}
	return false
}

func (s *xlsxSheet) Close() error { return s.rows.Close() }

// BuiltinFormat returns the format code of one of the number formats that
// ECMA-376 predefines by id (styles refer to them without writing the code).
func BuiltinFormat(id int) string {
	if code, ok := builtinFormats[id]; ok {
		return code
	}
	return "General"
}

var builtinFormats = map[int]string{
	0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
	9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
	14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
	18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss",
	22: "m/d/yy h:mm", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)",
	39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)",
	45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
