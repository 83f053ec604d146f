package extract

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/tradeetl/tradeetl/extract/xlsxscan"
)

// odsWorkbook reads an OpenDocument spreadsheet: a zip package (.ods,
// content.xml and styles.xml read) or its flat XML form (.fods, one XML
// document). The XML is streamed with encoding/xml through a tokenGuard:
// the bytes read are counted against Limits.MaxUnzipSize, and no text run
// or tag longer than Limits.MaxLineSize is ever held. Opening reads the
// styles and the sheet names (one pass over the XML); each sheet read is
// another pass, which stops at the end of the sheet.
type odsWorkbook struct {
	path   string
	part   string // what errors call the XML ("content.xml", "the flat XML")
	open   func() (io.ReadCloser, error)
	lim    Limits
	sheets []string
	// offsets holds each sheet's offset in the XML (-1: read the
	// document from its start up to the sheet), root the namespace
	// declarations of the document element
	offsets []int64
	root    string
	nsMap   map[string]string // the root's namespace prefixes
	slow    bool              // read sheets with encoding/xml (a test's reference)
	styles  *odsStyles
	cells   atomic.Int64
}

// The mimetype of OpenDocument spreadsheets (and their templates).
const odsMimetype = "application/vnd.oasis.opendocument.spreadsheet"

// openODS opens an OpenDocument spreadsheet package.
func openODS(path string, r io.ReaderAt, size int64, lim Limits) (_ *odsWorkbook, err error) {
	defer recovered(path, &err)
	files, err := checkODSPackage(r, size, lim)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	content := files["content.xml"]
	wb := &odsWorkbook{path: path, part: "content.xml", lim: lim, styles: newODSStyles()}
	wb.open = func() (io.ReadCloser, error) { return content.Open() }
	if f := files["styles.xml"]; f != nil {
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("open %s: %w: styles.xml cannot be read (%v)", path, ErrDamaged, err)
		}
		err = wb.scan(rc, "styles.xml", false)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
	}
	return wb.list()
}

// openFODS opens a flat OpenDocument spreadsheet (one XML document).
func openFODS(path string, r io.ReaderAt, size int64, lim Limits) (_ *odsWorkbook, err error) {
	defer recovered(path, &err)
	if size > lim.MaxUnzipSize {
		return nil, fmt.Errorf("open %s: %w: the file is %s, more than the %s limit (--max-unzip-size)", path, ErrTooLarge, byteSize(uint64(size)), byteSize(uint64(lim.MaxUnzipSize)))
	}
	wb := &odsWorkbook{path: path, part: "the flat OpenDocument XML", lim: lim, styles: newODSStyles()}
	wb.open = func() (io.ReadCloser, error) { return io.NopCloser(io.NewSectionReader(r, 0, size)), nil }
	return wb.list()
}

// list reads the styles and sheet names of the document.
func (w *odsWorkbook) list() (*odsWorkbook, error) {
	rc, err := w.open()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w: %s cannot be read (%v)", w.path, ErrDamaged, w.part, err)
	}
	defer rc.Close()
	if err := w.scan(rc, w.part, true); err != nil {
		return nil, fmt.Errorf("open %s: %w", w.path, err)
	}
	if len(w.sheets) == 0 {
		return nil, fmt.Errorf("open %s: %w: the OpenDocument spreadsheet has no sheets", w.path, ErrNotWorkbook)
	}
	return w, nil
}

// scan reads the styles of an XML part and, if body, the names of its
// sheets. The document element must be an OpenDocument one.
func (w *odsWorkbook) scan(r io.Reader, part string, body bool) error {
	g := &tokenGuard{r: r, max: w.lim.MaxLineSize, total: w.lim.MaxUnzipSize}
	br := bufio.NewReaderSize(g, 64<<10)
	// encoding/xml reads a bufio.Reader byte by byte, without a buffer of
	// its own: the bytes after a token are still in br
	d := xml.NewDecoder(br)
	d.Strict = true
	seen := map[string]bool{}
	root := true
	prefix := "" // the prefix the root element binds to the table namespace
	for {
		tok, err := odsToken(d, part)
		if err == io.EOF {
			// encoding/xml reports an end inside an element as a
			// syntax error: here the document is whole
			if root {
				return fmt.Errorf("%w: %s holds no XML document", ErrDamaged, part)
			}
			return nil
		}
		if err != nil {
			return err
		}
		e, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root {
			root = false
			if e.Name.Space != nsOffice || !strings.HasPrefix(e.Name.Local, "document") {
				return fmt.Errorf("%w: %s is not OpenDocument XML (its root element is <%s>)", ErrNotWorkbook, part, e.Name.Local)
			}
			if m := attr(e, nsOffice, "mimetype"); m != "" && !strings.HasPrefix(m, odsMimetype) {
				return fmt.Errorf("%w: this is an OpenDocument file of type %s, not a spreadsheet", ErrNotWorkbook, m)
			}
			if body {
				prefix = w.rootNamespaces(e)
			}
			continue
		}
		if body && prefix != "" && e.Name.Space == nsOffice && e.Name.Local == "body" {
			// the sheets: found by scanning bytes, each read later
			// from its offset
			return w.listTables(br, d.InputOffset(), prefix, part)
		}
		if ok, err := w.styles.readStyle(d, e, part); ok {
			if err != nil {
				return err
			}
			continue
		}
		if e.Name.Space == nsTable && e.Name.Local == "table" {
			if !body {
				if err := odsSkip(d, part); err != nil {
					return err
				}
				continue
			}
			name := attr(e, nsTable, "name")
			if err := checkSheetName(name, seen); err != nil {
				return fmt.Errorf("%s: %w", part, err)
			}
			w.sheets = append(w.sheets, name)
			w.offsets = append(w.offsets, -1)
			if err := odsSkip(d, part); err != nil {
				return fmt.Errorf("sheet %q: %w", name, err)
			}
			continue
		}
		if e.Name.Space == nsOffice && (e.Name.Local == "meta" || e.Name.Local == "settings" || e.Name.Local == "scripts" || e.Name.Local == "font-face-decls" || e.Name.Local == "master-styles") {
			if err := odsSkip(d, part); err != nil {
				return err
			}
		}
	}
}

// rootNamespaces keeps the namespace declarations of the document's root
// element, so that a sheet can be decoded from its own offset, and
// returns the prefix bound to the table namespace ("" if none is).
func (w *odsWorkbook) rootNamespaces(e xml.StartElement) string {
	var b strings.Builder
	b.WriteString("<r")
	prefix := ""
	w.nsMap = map[string]string{}
	for _, a := range e.Attr {
		switch {
		case a.Name.Space == "xmlns":
			w.nsMap[a.Name.Local] = a.Value
			b.WriteString(" xmlns:" + a.Name.Local + `="`)
			if a.Value == nsTable {
				prefix = a.Name.Local
			}
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			w.nsMap[""] = a.Value
			b.WriteString(` xmlns="`)
		default:
			continue
		}
		xml.EscapeText(&b, []byte(a.Value))
		b.WriteString(`"`)
	}
	b.WriteString(">")
	w.root = b.String()
	return prefix
}

// listTables finds the sheets of the document body by scanning its bytes
// for the start tags of table:table elements (with the document's
// prefix), reading each tag's name and keeping its offset in the XML. It
// reads br, which is at offset pos.
func (w *odsWorkbook) listTables(br *bufio.Reader, pos int64, prefix, part string) error {
	pat := []byte(prefix + ":table")
	seen := map[string]bool{}
	for {
		chunk, err := br.ReadSlice('<')
		pos += int64(len(chunk))
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return describeODSError(err, part)
		}
		at := pos - 1 // the offset of '<'
		next, err := br.Peek(len(pat) + 1)
		if err != nil || !bytes.HasPrefix(next, pat) {
			continue
		}
		switch next[len(pat)] {
		case ' ', '\t', '\n', '\r', '>', '/':
		default:
			continue // table:table-row, table:table-cell, …
		}
		// the whole start tag, up to its '>'
		var tag []byte
		for {
			b, err := br.ReadSlice('>')
			pos += int64(len(b))
			tag = append(tag, b...)
			if len(tag) > w.lim.MaxLineSize {
				return fmt.Errorf("%w: %w (%s, --max-line-size)", ErrTooLarge, errODSToken, byteSize(uint64(w.lim.MaxLineSize)))
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err != nil {
				return describeODSError(io.ErrUnexpectedEOF, part)
			}
			break
		}
		// decode the tag alone, within the root's namespaces
		d := xml.NewDecoder(io.MultiReader(strings.NewReader(w.root+"<"), bytes.NewReader(tag)))
		d.Strict = true
		var e xml.StartElement
		for {
			tok, err := d.Token()
			if err != nil {
				return fmt.Errorf("%w: %s: a sheet's start tag at byte %d is not well-formed", ErrDamaged, part, at)
			}
			if st, ok := tok.(xml.StartElement); ok && st.Name.Local == "table" {
				e = st
				break
			}
		}
		if attr(e, nsTable, "is-sub-table") == "true" {
			continue
		}
		name := attr(e, nsTable, "name")
		if err := checkSheetName(name, seen); err != nil {
			return fmt.Errorf("%s: %w", part, err)
		}
		w.sheets = append(w.sheets, name)
		w.offsets = append(w.offsets, at)
	}
}

// checkODSPackage checks the zip container of an .ods before anything is
// decompressed, as checkPackage does for xlsx: the file and its parts'
// declared sizes within the limit, no part given twice, the mimetype a
// spreadsheet's, the content not encrypted; it returns the parts by name.
func checkODSPackage(r io.ReaderAt, size int64, lim Limits) (map[string]*zip.File, error) {
	if size > lim.MaxUnzipSize {
		return nil, fmt.Errorf("%w: the file is %s, more than the %s limit (--max-unzip-size)", ErrTooLarge, byteSize(uint64(size)), byteSize(uint64(lim.MaxUnzipSize)))
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: the zip archive is truncated or corrupt (%v)", ErrDamaged, err)
	}
	files := map[string]*zip.File{}
	var total uint64
	limit := uint64(lim.MaxUnzipSize)
	for _, f := range zr.File {
		name := strings.ReplaceAll(f.Name, "\\", "/")
		if _, dup := files[name]; dup && !strings.HasSuffix(name, "/") {
			return nil, fmt.Errorf("%w: the zip archive holds the part %s twice", ErrDamaged, f.Name)
		}
		files[name] = f
		if f.UncompressedSize64 > limit || total+f.UncompressedSize64 > limit {
			return nil, fmt.Errorf("%w: its parts decompress to more than the %s limit (--max-unzip-size); a zip bomb or a very large workbook", ErrTooLarge, byteSize(limit))
		}
		total += f.UncompressedSize64
	}
	if f := files["mimetype"]; f != nil {
		b, err := readSmall(f, 200)
		if err != nil {
			return nil, fmt.Errorf("%w: its mimetype part cannot be read (%v)", ErrDamaged, err)
		}
		if m := strings.TrimSpace(string(b)); !strings.HasPrefix(m, odsMimetype) {
			return nil, fmt.Errorf("%w: this is an OpenDocument file of type %s, not a spreadsheet", ErrNotWorkbook, m)
		}
	}
	if f := files["META-INF/manifest.xml"]; f != nil {
		if b, err := readSmall(f, 4<<20); err == nil && bytes.Contains(b, []byte("encryption-data")) {
			return nil, ErrEncrypted
		}
	}
	if files["content.xml"] == nil {
		return nil, fmt.Errorf("%w: the OpenDocument package has no content.xml", ErrDamaged)
	}
	return files, nil
}

func (w *odsWorkbook) Sheets() []string { return w.sheets }
func (w *odsWorkbook) Date1904() bool   { return false } // dates are stored as ISO text, read as serials from 1899-12-30
func (w *odsWorkbook) Close() error     { return nil }

// Open starts reading a sheet: a new pass over the XML, up to the sheet.
func (w *odsWorkbook) Open(ctx context.Context, sheet string) (_ SheetReader, err error) {
	defer recovered(w.path, &err)
	idx := -1
	for i, s := range w.sheets {
		if s == sheet {
			idx = i
		}
	}
	if idx < 0 {
		return nil, fmt.Errorf("read %s: no sheet named %q", w.path, sheet)
	}
	rc, err := w.open()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w: %s cannot be read (%v)", w.path, ErrDamaged, w.part, err)
	}
	s := &odsSheet{w: w, ctx: ctx, sheet: sheet, rc: rc, row: 1}
	n := 0
	if off := w.offsets[idx]; off >= 0 {
		// skip to the sheet, and read it within the root's namespaces
		g := &tokenGuard{r: rc, max: w.lim.MaxLineSize, total: w.lim.MaxUnzipSize}
		if _, err := io.CopyN(io.Discard, ctxReader{ctx, g}, off); err != nil {
			rc.Close()
			return nil, s.errorf(describeODSError(err, w.part))
		}
		if w.slow {
			d := xml.NewDecoder(io.MultiReader(strings.NewReader(w.root), g))
			d.Strict = true
			s.d = d
		} else {
			s.d = newODSScanner(g, w.nsMap, w.lim.MaxLineSize)
		}
		n = idx
	} else {
		s.d = newODSDecoder(rc, w.lim)
	}
	for {
		tok, err := odsToken(s.d, w.part)
		if err != nil {
			rc.Close()
			return nil, s.errorf(truncated(err, w.part))
		}
		e, ok := tok.(xml.StartElement)
		if !ok || e.Name.Space != nsTable || e.Name.Local != "table" {
			continue
		}
		if n == idx {
			break
		}
		n++
		if err := odsSkip(s.d, w.part); err != nil {
			rc.Close()
			return nil, s.errorf(err)
		}
	}
	return s, nil
}

// odsSheet streams the rows of one table:table element.
type odsSheet struct {
	w      *odsWorkbook
	ctx    context.Context
	sheet  string
	rc     io.ReadCloser
	d      tokenSource
	row    int      // the number of the next row element
	cols   []colRun // the columns' default cell styles
	merges []Range
	done   bool
	// a row with cells that repeats: its cells, and how many more times
	pending    []Cell
	pendingNum int
	repeat     int
	calls      int
	rowRepeat  string // the repetition count of the last row read, as written
}

type colRun struct {
	from, to int
	style    string
}

// maxODSMerges bounds the merged ranges kept for a sheet.
const maxODSMerges = 1 << 20

func (s *odsSheet) errorf(err error) error {
	return fmt.Errorf("read %s sheet %q: %w", s.w.path, s.sheet, err)
}

func (s *odsSheet) cellErr(row, col int, err error) error {
	return fmt.Errorf("read %s sheet %q cell %s: %w", s.w.path, s.sheet, CellName(col, row), err)
}

func (s *odsSheet) Close() error { return s.rc.Close() }

// MergedCells returns the merged ranges read so far: all of them once
// Next returned io.EOF.
func (s *odsSheet) MergedCells() ([]Range, error) { return s.merges, nil }

// Next returns the next row holding a cell.
func (s *odsSheet) Next() (_ Row, err error) {
	defer recovered(s.w.path, &err)
	for {
		s.calls++
		if s.calls%256 == 0 {
			if err := s.ctx.Err(); err != nil {
				return Row{}, s.errorf(err)
			}
		}
		if s.repeat > 0 {
			s.repeat--
			s.pendingNum++
			cells := make([]Cell, len(s.pending))
			for i, c := range s.pending {
				c.Row = s.pendingNum
				cells[i] = c
			}
			return s.emit(Row{Num: s.pendingNum, Cells: cells})
		}
		if s.done {
			return Row{}, io.EOF
		}
		tok, err := odsToken(s.d, s.w.part)
		if err != nil {
			return Row{}, s.errorf(truncated(err, s.w.part))
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if t.Name.Space == nsTable && t.Name.Local == "table" {
				s.done = true
			}
		case xml.StartElement:
			if t.Name.Space != nsTable {
				if err := odsSkip(s.d, s.w.part); err != nil {
					return Row{}, s.errorf(err)
				}
				continue
			}
			switch t.Name.Local {
			case "table-row":
				row, n, err := s.readRow(t)
				if err != nil {
					return Row{}, err
				}
				if len(row.Cells) == 0 {
					continue
				}
				if n > 1 {
					s.pending, s.pendingNum, s.repeat = row.Cells, row.Num, n-1
					// the rows past the sheet's last row are not read
					s.repeat = min(s.repeat, xlsxscan.MaxRows-row.Num)
					if s.repeat < n-1 {
						return Row{}, s.cellErr(row.Num, row.Cells[0].Col, fmt.Errorf("%w: a row repeated %s times runs past the last row of a sheet (%d)", ErrDamaged, s.rowRepeat, xlsxscan.MaxRows))
					}
					// the first copy keeps the slice read; later ones
					// get their own
					s.pending = append([]Cell(nil), row.Cells...)
				}
				return s.emit(row)
			case "table-column":
				n := attrCount(t, nsTable, "number-columns-repeated", xlsxscan.MaxColumns)
				from := 1
				if k := len(s.cols); k > 0 {
					from = s.cols[k-1].to + 1
				}
				if st := attr(t, nsTable, "default-cell-style-name"); st != "" && from <= xlsxscan.MaxColumns {
					s.cols = append(s.cols, colRun{from: from, to: from + n - 1, style: st})
				} else {
					s.cols = append(s.cols, colRun{from: from, to: from + n - 1})
				}
				if err := odsSkip(s.d, s.w.part); err != nil {
					return Row{}, s.errorf(err)
				}
			case "table-row-group", "table-header-rows", "table-rows", "table-column-group", "table-header-columns", "table-columns":
				// containers of rows or columns: read into them
			default:
				if err := odsSkip(s.d, s.w.part); err != nil {
					return Row{}, s.errorf(err)
				}
			}
		}
	}
}

func (s *odsSheet) emit(row Row) (Row, error) {
	if total := s.w.cells.Add(int64(len(row.Cells))); total > s.w.lim.MaxCells {
		return Row{}, fmt.Errorf("read %s sheet %q row %d: %w (%d cells)", s.w.path, s.sheet, row.Num, ErrTooManyCells, s.w.lim.MaxCells)
	}
	return row, nil
}

// colStyle returns the default cell style of a column.
func (s *odsSheet) colStyle(col int) string {
	for _, r := range s.cols {
		if col >= r.from && col <= r.to {
			return r.style
		}
	}
	return ""
}

// readRow reads a table:table-row element whose start was just read: its
// cells, and how many times it repeats.
func (s *odsSheet) readRow(e xml.StartElement) (Row, int, error) {
	num := s.row
	n := attrCount(e, nsTable, "number-rows-repeated", xlsxscan.MaxRows)
	s.rowRepeat = attr(e, nsTable, "number-rows-repeated")
	s.row = min(s.row+n, xlsxscan.MaxRows+2)
	rowStyle := attr(e, nsTable, "default-cell-style-name")
	var cells []Cell
	col := 1
	for {
		tok, err := odsToken(s.d, s.w.part)
		if err != nil {
			return Row{}, 0, s.errorf(truncated(err, s.w.part))
		}
		switch t := tok.(type) {
		case xml.EndElement:
			// the end of the row (cells are read whole below)
			return Row{Num: num, Cells: cells}, n, nil
		case xml.StartElement:
			if t.Name.Space != nsTable || t.Name.Local != "table-cell" && t.Name.Local != "covered-table-cell" {
				if err := odsSkip(s.d, s.w.part); err != nil {
					return Row{}, 0, s.errorf(err)
				}
				continue
			}
			reps := attrCount(t, nsTable, "number-columns-repeated", xlsxscan.MaxColumns)
			c, ok, err := s.readCell(t, num, col, rowStyle)
			if err != nil {
				return Row{}, 0, err
			}
			if ok {
				if num > xlsxscan.MaxRows {
					return Row{}, 0, s.cellErr(num, col, fmt.Errorf("%w: a cell below the last row of a sheet (%d)", ErrDamaged, xlsxscan.MaxRows))
				}
				if col+reps-1 > xlsxscan.MaxColumns {
					return Row{}, 0, s.cellErr(num, min(col, xlsxscan.MaxColumns), fmt.Errorf("%w: a cell repeated %s times runs past the last column of a sheet (%d)", ErrDamaged, attr(t, nsTable, "number-columns-repeated"), xlsxscan.MaxColumns))
				}
				if int64(len(cells)+reps) > s.w.lim.MaxCells {
					return Row{}, 0, fmt.Errorf("read %s sheet %q row %d: %w (%d cells)", s.w.path, s.sheet, num, ErrTooManyCells, s.w.lim.MaxCells)
				}
				for k := range reps {
					c.Col = col + k
					cells = append(cells, c)
				}
				if hs, vs := attrCount(t, nsTable, "number-columns-spanned", xlsxscan.MaxColumns), attrCount(t, nsTable, "number-rows-spanned", xlsxscan.MaxRows); (hs > 1 || vs > 1) && len(s.merges) < maxODSMerges {
					s.merges = append(s.merges, Range{FromCol: col, FromRow: num, ToCol: min(col+hs-1, xlsxscan.MaxColumns), ToRow: min(num+vs-1, xlsxscan.MaxRows)})
				}
			} else if hs, vs := attrCount(t, nsTable, "number-columns-spanned", xlsxscan.MaxColumns), attrCount(t, nsTable, "number-rows-spanned", xlsxscan.MaxRows); (hs > 1 || vs > 1) && len(s.merges) < maxODSMerges && col <= xlsxscan.MaxColumns && num <= xlsxscan.MaxRows {
				s.merges = append(s.merges, Range{FromCol: col, FromRow: num, ToCol: min(col+hs-1, xlsxscan.MaxColumns), ToRow: min(num+vs-1, xlsxscan.MaxRows)})
			}
			col = min(col+reps, xlsxscan.MaxColumns+2)
		}
	}
}

// readCell reads a cell element whose start was just read; ok is false
// for an empty cell.
func (s *odsSheet) readCell(e xml.StartElement, row, col int, rowStyle string) (Cell, bool, error) {
	vt := attr(e, nsOffice, "value-type")
	formula := attr(e, nsTable, "formula")
	needText := vt == "" || vt == "string" || attr(e, nsCalcext, "value-type") == "error"
	text, hasText, err := s.cellText(row, col, needText)
	if err != nil {
		return Cell{}, false, err
	}
	if vt == "" && !hasText && formula == "" {
		return Cell{}, false, nil
	}
	style := attr(e, nsTable, "style-name")
	if style == "" {
		style = rowStyle
	}
	if style == "" {
		style = s.colStyle(col)
	}
	c := Cell{Row: row, Col: col, Format: s.w.styles.format(style)}
	if formula != "" {
		if _, f, ok := strings.Cut(formula, "="); ok && len(f) > 0 && strings.Index(formula, "=") <= 5 {
			formula = f
		}
		c.Formula = formula
	}
	number := func(v string) bool {
		v = strings.TrimSpace(v)
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return false
		}
		c.Kind, c.Number, c.Text = Number, f, v
		if significantDigits(v) > 17 {
			// Gnumeric writes long-double digits ("7.6199999999999999999"):
			// the float64 read is the figure, its text the shortest
			// that reads back as it
			c.Text = numberText(f)
		}
		return true
	}
	switch {
	case attr(e, nsCalcext, "value-type") == "error":
		c.Kind, c.Text = Error, text
	case vt == "float" || vt == "percentage" || vt == "currency":
		if !number(attr(e, nsOffice, "value")) {
			c.Kind, c.Text = String, text
		}
		if cur := attr(e, nsOffice, "currency"); vt == "currency" && cur != "" && !strings.Contains(c.Format, cur) {
			if c.Format == "General" {
				c.Format = "#,##0.00"
			}
			c.Format += ` "` + strings.ReplaceAll(cur, `"`, "") + `"`
		}
	case vt == "date":
		v := attr(e, nsOffice, "date-value")
		serial, ok := odsDateSerial(v)
		if !ok {
			c.Kind, c.Text = String, text
			break
		}
		c.Kind, c.Number, c.Text = Number, serial, strconv.FormatFloat(serial, 'f', -1, 64)
		if !IsDateFormat(c.Format) {
			c.Format = "yyyy-mm-dd"
		}
	case vt == "time":
		v := attr(e, nsOffice, "time-value")
		days, ok := odsDuration(v)
		if !ok {
			c.Kind, c.Text = String, text
			break
		}
		c.Kind, c.Number, c.Text = Number, days, strconv.FormatFloat(days, 'f', -1, 64)
		if !IsDateFormat(c.Format) {
			c.Format = "hh:mm:ss"
		}
	case vt == "boolean":
		c.Kind, c.Text = Bool, "0"
		if v := attr(e, nsOffice, "boolean-value"); v == "true" || v == "1" {
			c.Text, c.Number = "1", 1
		}
	case vt == "string":
		c.Kind, c.Text = String, text
		if sv := attr(e, nsOffice, "string-value"); sv != "" {
			c.Text = sv
		}
		if c.Text == "" && formula == "" {
			return Cell{}, false, nil
		}
	case vt == "" && formula != "":
		c.Kind, c.Text = NoValue, ""
	case vt == "void":
		return Cell{}, false, nil
	default:
		c.Kind, c.Text = String, text
	}
	if len(c.Text) > s.w.lim.MaxFieldSize {
		return Cell{}, false, s.cellErr(row, col, fmt.Errorf("%w: text longer than %d bytes (--max-field-size)", ErrTooLarge, s.w.lim.MaxFieldSize))
	}
	return c, true, nil
}

// cellText reads the content of a cell element whose start was just read,
// up to its end: the text of its paragraphs, joined by line breaks, if
// want. Annotations (comments), notes and drawings are not text of the
// cell.
func (s *odsSheet) cellText(row, col int, want bool) (string, bool, error) {
	var b strings.Builder
	paras := 0
	depth := 1
	inPara := 0 // depth of the paragraph being read, 0 outside
	limit := s.w.lim.MaxFieldSize
	for depth > 0 {
		tok, err := odsToken(s.d, s.w.part)
		if err != nil {
			return "", false, s.errorf(truncated(err, s.w.part))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if !want {
				if err := odsSkip(s.d, s.w.part); err != nil {
					return "", false, s.errorf(err)
				}
				depth--
				paras++
				continue
			}
			switch {
			case inPara == 0 && t.Name.Space == nsText && (t.Name.Local == "p" || t.Name.Local == "h"):
				if paras > 0 {
					b.WriteByte('\n')
				}
				paras++
				inPara = depth
			case inPara > 0 && t.Name.Space == nsText && t.Name.Local == "s":
				k := attrCount(t, nsText, "c", limit)
				if b.Len()+k > limit {
					return "", false, s.cellErr(row, col, fmt.Errorf("%w: text longer than %d bytes (--max-field-size)", ErrTooLarge, limit))
				}
				b.WriteString(strings.Repeat(" ", k))
			case inPara > 0 && t.Name.Space == nsText && t.Name.Local == "tab":
				b.WriteByte('\t')
			case inPara > 0 && t.Name.Space == nsText && t.Name.Local == "line-break":
				b.WriteByte('\n')
			case inPara > 0 && t.Name.Space == nsText && t.Name.Local != "note" && t.Name.Local != "ruby-text":
				// spans, links, fields: their text is the cell's
			default:
				// annotations, drawings, notes, anything else
				if err := odsSkip(s.d, s.w.part); err != nil {
					return "", false, s.errorf(err)
				}
				depth--
			}
		case xml.EndElement:
			if depth == inPara {
				inPara = 0
			}
			depth--
		case xml.CharData:
			if inPara > 0 {
				if b.Len()+len(t) > limit {
					return "", false, s.cellErr(row, col, fmt.Errorf("%w: text longer than %d bytes (--max-field-size)", ErrTooLarge, limit))
				}
				b.Write(t)
			}
		}
	}
	return b.String(), paras > 0, nil
}

// odsDateSerial turns an office:date-value ("2024-01-31",
// "2024-01-31T12:00:00", with fractions of a second) into a date serial
// number counted from 1899-12-30, as a workbook stores it.
func odsDateSerial(v string) (float64, bool) {
	v = strings.TrimSpace(v)
	var t time.Time
	var err error
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02", "2006-01-02T15:04:05.999999999Z07:00"} {
		if t, err = time.Parse(layout, v); err == nil {
			break
		}
	}
	if err != nil {
		return 0, false
	}
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	y, m, d := t.Date()
	days := float64(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(epoch).Hours() / 24)
	secs := float64(t.Hour()*3600+t.Minute()*60+t.Second()) + float64(t.Nanosecond())/1e9
	return math.Round(days) + secs/86400, true
}

// odsDuration turns an office:time-value ("PT12H30M00S") into a fraction
// of days.
func odsDuration(v string) (float64, bool) {
	v = strings.TrimSpace(v)
	neg := strings.HasPrefix(v, "-")
	v = strings.TrimPrefix(v, "-")
	rest, ok := strings.CutPrefix(v, "P")
	if !ok {
		return 0, false
	}
	var days float64
	datePart, timePart, _ := strings.Cut(rest, "T")
	parse := func(s string, units map[byte]float64) bool {
		for s != "" {
			k := strings.IndexAny(s, "YMWDHS")
			if k <= 0 {
				return false
			}
			n, err := strconv.ParseFloat(s[:k], 64)
			u, known := units[s[k]]
			if err != nil || !known {
				return false
			}
			days += n * u
			s = s[k+1:]
		}
		return true
	}
	if !parse(datePart, map[byte]float64{'D': 1, 'W': 7}) || !parse(timePart, map[byte]float64{'H': 1.0 / 24, 'M': 1.0 / 1440, 'S': 1.0 / 86400}) {
		return 0, false
	}
	if neg {
		days = -days
	}
	return days, true
}

// significantDigits counts the digits of a decimal number's mantissa,
// leading zeros not counted.
func significantDigits(v string) int {
	n, lead := 0, true
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == 'e' || c == 'E' {
			break
		}
		if c < '0' || c > '9' || lead && c == '0' {
			continue
		}
		lead = false
		n++
	}
	return n
}

// checkSheetName refuses a sheet name given twice, or holding a character
// LibreOffice and Excel forbid in one (: \ / ? * [ ]) or bytes that are
// not UTF-8: neither program writes such a name, and it would be awkward
// in every output. seen records the names of the workbook so far.
func checkSheetName(name string, seen map[string]bool) error {
	switch {
	case seen[name]:
		return fmt.Errorf("%w: two sheets are named %q", ErrDamaged, name)
	case strings.ContainsAny(name, forbiddenInSheetName):
		return fmt.Errorf("%w: a sheet name holds a character spreadsheet programs forbid (: \\ / ? * [ ]): %q; the file was not written by one", ErrDamaged, name)
	case !utf8.ValidString(name):
		return fmt.Errorf("%w: a sheet name is not valid UTF-8: %q", ErrDamaged, name)
	}
	seen[name] = true
	return nil
}

// ctxReader reads r until ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
