package xlsxscan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The reference reader: excelize, used the way extract's excelize-based
// reader uses it (streaming Rows with raw values, then per cell
// GetCellFormula, GetCellStyle, GetCellType). It is written out here rather
// than called through package extract because extract will itself read
// through xlsxscan.

type refSheet struct {
	name     string
	visible  bool
	rows     []Row
	err      error
	merges   []Range
	mergeErr error
}

type refBook struct {
	sheets   []refSheet
	date1904 bool
}

func refOpen(path string) (*excelize.File, error) {
	return excelize.OpenFile(path, excelize.Options{
		UnzipSizeLimit:    1 << 30,
		UnzipXMLSizeLimit: 16 << 20,
	})
}

func refRead(path string) (*refBook, error) {
	f, err := refOpen(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return refReadFile(f)
}

func refReadFile(f *excelize.File) (*refBook, error) {
	b := &refBook{}
	props, err := f.GetWorkbookProps()
	if err != nil {
		return nil, err
	}
	b.date1904 = props.Date1904 != nil && *props.Date1904
	formats := map[int]string{}
	for _, name := range f.GetSheetList() {
		vis, _ := f.GetSheetVisible(name)
		s := refSheet{name: name, visible: vis}
		s.rows, s.err = refSheetRows(f, name, formats)
		if s.err == nil {
			s.merges, s.mergeErr = refMerges(f, name)
		}
		b.sheets = append(b.sheets, s)
	}
	return b, nil
}

func refSheetRows(f *excelize.File, sheet string, formats map[int]string) (out []Row, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("excelize panicked: %v", r)
		}
	}()
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	num := 0
	for rows.Next() {
		num++
		values, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return out, err
		}
		row := Row{Num: num}
		for i, raw := range values {
			col := i + 1
			ref, err := excelize.CoordinatesToCellName(col, num)
			if err != nil {
				return out, err
			}
			formula, err := f.GetCellFormula(sheet, ref)
			if err != nil {
				return out, err
			}
			if raw == "" && formula == "" {
				continue
			}
			c := Cell{Row: num, Col: col, Text: raw, Formula: formula}
			if styleID, err := f.GetCellStyle(sheet, ref); err == nil {
				c.Format = refFormat(f, styleID, formats)
			}
			if raw == "" {
				c.Kind = NoValue
				row.Cells = append(row.Cells, c)
				continue
			}
			typ, err := f.GetCellType(sheet, ref)
			if err != nil {
				return out, err
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
				if strings.HasPrefix(raw, "#") {
					c.Kind = Error
					break
				}
				v, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
				if err != nil {
					c.Kind = String
					break
				}
				c.Kind, c.Number = Number, v
			}
			row.Cells = append(row.Cells, c)
		}
		if len(row.Cells) > 0 {
			out = append(out, row)
		}
	}
	return out, rows.Error()
}

// refMerges reads the merged ranges of a sheet with excelize.
func refMerges(f *excelize.File, sheet string) (out []Range, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("excelize panicked: %v", r)
		}
	}()
	merged, err := f.GetMergeCells(sheet)
	if err != nil {
		return nil, err
	}
	for _, m := range merged {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, Range{min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)})
	}
	return out, nil
}

func refFormat(f *excelize.File, styleID int, formats map[int]string) string {
	if code, ok := formats[styleID]; ok {
		return code
	}
	code := "General"
	if style, err := f.GetStyle(styleID); err == nil && style != nil {
		switch {
		case style.CustomNumFmt != nil:
			code = *style.CustomNumFmt
		default:
			code = BuiltinFormat(style.NumFmt)
		}
	}
	formats[styleID] = code
	return code
}

// scanSheet is one sheet as xlsxscan reads it.
type scanSheet struct {
	Sheet
	rows   []Row
	err    error
	merges []Range
}

type scanBook struct {
	sheets   []scanSheet
	date1904 bool
}

func scanRead(path string) (*scanBook, error) {
	return scanReadTuned(path, defaultTuning)
}

func scanReadTuned(path string, tun tuning) (*scanBook, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	w, err := newReader(f, fi.Size(), Limits{}, tun)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	return scanReadBook(w), nil
}

func scanReadBook(w *Workbook) *scanBook {
	b := &scanBook{date1904: w.Date1904()}
	for i, s := range w.Sheets() {
		ss := scanSheet{Sheet: s}
		ss.rows, ss.merges, ss.err = scanRows(w, i)
		b.sheets = append(b.sheets, ss)
	}
	return b
}

func scanRows(w *Workbook, i int) ([]Row, []Range, error) {
	r, err := w.OpenSheetAt(context.Background(), i)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	var rows []Row
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			merges, err := r.MergedCells()
			return rows, merges, err
		}
		if err != nil {
			return rows, nil, err
		}
		rows = append(rows, row.Clone())
	}
}

// mismatch is one cell on which the readers disagree.
type mismatch struct {
	line       string
	formatOnly bool // the cells differ in their number format only
}

// cellDiff lists the fields in which two cells at the same position
// differ.
func cellDiff(a, b Cell) (fields []string, text string) {
	var d []string
	if a.Kind != b.Kind {
		fields, d = append(fields, "kind"), append(d, fmt.Sprintf("kind %v vs %v", a.Kind, b.Kind))
	}
	if a.Text != b.Text {
		fields, d = append(fields, "text"), append(d, fmt.Sprintf("text %q vs %q", a.Text, b.Text))
	}
	if a.Number != b.Number && !(math.IsNaN(a.Number) && math.IsNaN(b.Number)) {
		fields, d = append(fields, "number"), append(d, fmt.Sprintf("number %v vs %v", a.Number, b.Number))
	}
	if a.Format != b.Format {
		fields, d = append(fields, "format"), append(d, fmt.Sprintf("format %q vs %q", a.Format, b.Format))
	}
	if a.Formula != b.Formula {
		fields, d = append(fields, "formula"), append(d, fmt.Sprintf("formula %q vs %q", a.Formula, b.Formula))
	}
	return fields, strings.Join(d, ", ")
}

// diffRows lists the cells on which two readings of a sheet disagree
// (xlsxscan's first), at most max of them.
func diffRows(ours, ref []Row, max int) []mismatch {
	flat := func(rows []Row) []Cell {
		var cs []Cell
		for _, r := range rows {
			for _, c := range r.Cells {
				if c.Row != r.Num {
					c.Text += fmt.Sprintf(" (in row %d)", r.Num)
				}
				cs = append(cs, c)
			}
		}
		return cs
	}
	a, b := flat(ours), flat(ref)
	var out []mismatch
	i, j := 0, 0
	for (i < len(a) || j < len(b)) && len(out) < max {
		switch {
		case j >= len(b) || i < len(a) && (a[i].Row < b[j].Row || a[i].Row == b[j].Row && a[i].Col < b[j].Col):
			out = append(out, mismatch{line: fmt.Sprintf("%s: only xlsxscan has it (%v %q)", a[i].Ref(), a[i].Kind, a[i].Text)})
			i++
		case i >= len(a) || a[i].Row > b[j].Row || a[i].Row == b[j].Row && a[i].Col > b[j].Col:
			out = append(out, mismatch{line: fmt.Sprintf("%s: only excelize has it (%v %q)", b[j].Ref(), b[j].Kind, b[j].Text)})
			j++
		default:
			if fields, text := cellDiff(a[i], b[j]); len(fields) > 0 {
				out = append(out, mismatch{
					line:       fmt.Sprintf("%s: %s (xlsxscan vs excelize)", a[i].Ref(), text),
					formatOnly: len(fields) == 1 && fields[0] == "format",
				})
			}
			i++
			j++
		}
	}
	return out
}
