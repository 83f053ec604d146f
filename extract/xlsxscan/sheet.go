package xlsxscan

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// SheetReader streams the rows of one worksheet. It is not safe for
// concurrent use.
type SheetReader struct {
	w     *Workbook
	ctx   context.Context
	sheet Sheet
	sst   []string
	st    *stream
	wk    *walker
	state int
	err   error // sticky

	lastRow int
	row     Row
	raw     []rawCell
	text    []byte // text of the current row's cells
	ascii   bool   // the row's text is ASCII: no need to check its UTF-8
	shared  map[int]*sharedFormula
	rows    int

	merges   []Range // <mergeCells>, complete once the part was read to its end
	mergeErr error   // what MergedCells reports
	complete bool    // the part was read to its end
}

const (
	stateStart = iota // before <sheetData>
	stateRows         // inside <sheetData>
	stateDone
)

// cell types (the t attribute)
const (
	tNumber  = iota // "n", absent
	tUnknown        // a value excelize does not know: read as "n"
	tShared         // "s"
	tStr            // "str"
	tInline         // "inlineStr"
	tBool           // "b"
	tError          // "e"
	tDate           // "d"
)

// rawCell is a cell as read from the XML; its texts are ranges of the
// row's text buffer until the row is complete.
type rawCell struct {
	col   int
	style int
	typ   uint8
	hasV  bool
	hasIS bool
	hasF  bool
	// formula attributes
	fShared bool
	fHasSi  bool
	fRef    bool
	fSi     int32
	v       span // <v>
	is      span // <is>
	f       span // <f> content
	sst     string
	formula *sharedFormula
}

type span struct{ off, end int32 }

// Sheet returns the sheet being read.
func (r *SheetReader) Sheet() Sheet { return r.sheet }

// Close stops reading. It stops the goroutine inflating the sheet.
func (r *SheetReader) Close() error {
	r.state = stateDone
	if r.st != nil {
		err := r.st.close()
		r.st = nil
		return err
	}
	return nil
}

// Next returns the next row that has at least one non-empty cell, or
// io.EOF after the last. The returned Row is reused by the next call (see
// Row).
func (r *SheetReader) Next() (*Row, error) {
	if r.err != nil {
		return nil, r.err
	}
	row, err := r.next()
	if err != nil {
		r.err = err
		if err != io.EOF {
			r.err = fmt.Errorf("sheet %q: %w", r.sheet.Name, err)
		}
		if r.st != nil {
			r.st.close()
			r.st = nil
		}
		return nil, r.err
	}
	return row, nil
}

func (r *SheetReader) next() (*Row, error) {
	if r.state == stateStart {
		if err := r.findSheetData(); err != nil {
			return nil, err
		}
	}
	for r.state == stateRows {
		b := r.st.buf
		sc := &r.wk.sc
		sc.b = b
		k := bytes.IndexByte(b[r.wk.pos:], '<')
		if k < 0 {
			if err := r.more(len(b)); err != nil {
				return nil, err
			}
			continue
		}
		i := r.wk.pos + k
		j, isRow, err := r.item(i)
		if err == errMore {
			if err := r.more(i); err != nil {
				return nil, err
			}
			continue
		}
		if err == io.EOF {
			// </sheetData>: read the rest of the part, for its merged
			// cells and so that a part damaged at its end (cut short,
			// failing its checksum) is not passed off as complete
			r.wk.pos = i
			if err := r.tail(); err != nil {
				return nil, err
			}
			r.state = stateDone
			r.st.close()
			r.st = nil
			return nil, io.EOF
		}
		if err != nil {
			return nil, r.st.wrap(err)
		}
		r.wk.pos = j
		if !isRow {
			continue
		}
		r.rows++
		if r.rows&1023 == 0 && r.ctx != nil {
			if err := r.ctx.Err(); err != nil {
				return nil, err
			}
		}
		if len(r.row.Cells) > 0 {
			return &r.row, nil
		}
	}
	return nil, io.EOF
}

// item reads the markup at b[i] inside <sheetData>: a row, another element
// (skipped), a comment or processing instruction (skipped), or the end tag
// of sheetData (io.EOF). It returns the position after it.
func (r *SheetReader) item(i int) (j int, isRow bool, err error) {
	sc := &r.wk.sc
	kind, err := sc.peek(i)
	if err != nil {
		return 0, false, err
	}
	switch kind {
	case mkEnd:
		return 0, false, io.EOF
	case mkStart:
		name, self, j, err := sc.startTag(i)
		if err != nil {
			return 0, false, err
		}
		if string(name) == "row" {
			j, err = r.parseRow(i, j, self)
			return j, true, err
		}
		if !self {
			j, err = sc.skipContent(j)
		}
		return j, false, err
	}
	j, err = sc.skipSpecial(i, kind)
	return j, false, err
}

// more grows the window, keeping it from keep on.
func (r *SheetReader) more(keep int) error {
	err := r.wk.more(keep)
	if err == io.EOF {
		return r.st.wrap(synErr(len(r.st.buf), "the part is cut short (unexpected end of part inside <sheetData>)"))
	}
	return err
}

// findSheetData reads on to the content of <sheetData>.
func (r *SheetReader) findSheetData() error {
	wk, err := newWalker(r.st)
	if err != nil {
		return err
	}
	r.wk = wk
	for {
		ev, tag, self, depth, err := wk.next()
		if err == io.EOF {
			r.state, r.complete = stateDone, true
			return io.EOF
		}
		if err != nil {
			return err
		}
		if ev != evStart {
			continue
		}
		if depth == 1 && string(tag) == "sheetData" {
			if self {
				if err := r.tail(); err != nil {
					return err
				}
				r.state = stateDone
				return io.EOF
			}
			r.state = stateRows
			return nil
		}
		if depth == 1 && string(tag) == "mergeCells" && !self {
			// out of place before sheetData, but read all the same
			if err := r.mergeCells(); err != nil {
				return err
			}
			continue
		}
		if depth >= 1 && !self {
			if err := wk.skip(); err != nil {
				return err
			}
		}
	}
}

// MaxMerges is the most merged ranges a sheet reader keeps; a sheet with
// more reports ErrTooLarge from MergedCells (its rows read all the same).
const MaxMerges = 1 << 16

// MergedCells returns the merged ranges of the sheet (<mergeCells>), which
// the file stores after the cells: they are known once Next returned
// io.EOF, and MergedCells returns an error before that. Ranges whose
// reference cannot be read are left out.
func (r *SheetReader) MergedCells() ([]Range, error) {
	if !r.complete {
		return nil, fmt.Errorf("sheet %q: merged cells are known after the last row", r.sheet.Name)
	}
	if r.mergeErr != nil {
		return r.merges, fmt.Errorf("sheet %q: %w", r.sheet.Name, r.mergeErr)
	}
	return r.merges, nil
}

// tail reads the rest of the part after </sheetData> (the walker at its
// end tag, or after a self-closing <sheetData/>), through the end of the
// part: <mergeCells> is read, everything else skipped.
func (r *SheetReader) tail() error {
	wk := r.wk
	for {
		ev, tag, self, depth, err := wk.next()
		if err == io.EOF {
			r.complete = true
			return nil
		}
		if err != nil {
			return err
		}
		if ev != evStart {
			continue
		}
		if depth == 1 && string(tag) == "mergeCells" && !self {
			if err := r.mergeCells(); err != nil {
				return err
			}
			continue
		}
		if !self {
			if err := wk.skip(); err != nil {
				return err
			}
		}
	}
}

// mergeCells reads the content of <mergeCells>, whose start tag the walker
// just returned, through its end tag.
func (r *SheetReader) mergeCells() error {
	wk := r.wk
	for {
		ev, tag, self, depth, err := wk.next()
		if err != nil {
			if err == io.EOF {
				return r.st.wrap(synErr(len(r.st.buf), "the part is cut short (unexpected end of part inside <mergeCells>)"))
			}
			return err
		}
		if ev == evEnd && depth == 1 {
			return nil
		}
		if ev != evStart {
			continue
		}
		if depth == 2 && string(tag) == "mergeCell" {
			for _, a := range wk.sc.attrs {
				if string(a.name) != "ref" {
					continue
				}
				v, err := wk.sc.attrValue(a, 0)
				if err != nil {
					return r.st.wrap(err)
				}
				m, ok := parseRange(v)
				switch {
				case !ok:
				case len(r.merges) >= MaxMerges:
					r.mergeErr = fmt.Errorf("%w: more than %d merged ranges", ErrTooLarge, MaxMerges)
				default:
					r.merges = append(r.merges, m)
				}
			}
		}
		if !self {
			if err := wk.skip(); err != nil {
				return err
			}
		}
	}
}

// parseRange reads a range reference ("B3:F13", or "B3" for one cell; the
// corners in any order, with or without $).
func parseRange(v []byte) (Range, bool) {
	v = bytes.TrimSpace(v)
	a, b, found := bytes.Cut(v, []byte(":"))
	if !found {
		b = a
	}
	c1, r1, ok1 := parseCellRef(a)
	c2, r2, ok2 := parseCellRef(b)
	if !ok1 || !ok2 {
		return Range{}, false
	}
	return Range{FromCol: min(c1, c2), FromRow: min(r1, r2), ToCol: max(c1, c2), ToRow: max(r1, r2)}, true
}

// inRow adds the row number to an error that does not name its cell.
func inRow(err error, num int) error {
	if pe, ok := err.(*posError); ok && !strings.HasPrefix(pe.msg, "cell ") {
		return &posError{pos: pe.pos, kind: pe.kind, msg: fmt.Sprintf("row %d: %s", num, pe.msg)}
	}
	return err
}

func invalid(pos int, format string, args ...any) error {
	return &posError{pos: pos, kind: ErrInvalid, msg: fmt.Sprintf(format, args...)}
}

// parseRow reads the row whose start tag spans b[i:j]. It fills r.row and
// returns the position after the row. On errMore nothing but shared
// formula masters was recorded, and the row is read again from its start
// once the window grew (a master read twice is the same master).
func (r *SheetReader) parseRow(i, j int, self bool) (int, error) {
	sc := &r.wk.sc
	num := 0
	for _, a := range sc.attrs {
		if len(a.name) == 1 && a.name[0] == 'r' {
			v, err := sc.attrValue(a, i)
			if err != nil {
				return 0, err
			}
			n, ok := parseUint(v)
			if !ok {
				return 0, invalid(i, "row number %q is not a number", v)
			}
			if n < 1 || n > MaxRows {
				return 0, invalid(i, "row number %d outside 1..%d", n, MaxRows)
			}
			num = n
		}
	}
	if num == 0 {
		if r.lastRow >= MaxRows {
			return 0, invalid(i, "more than %d rows", MaxRows)
		}
		num = r.lastRow + 1
	}
	if num <= r.lastRow {
		return 0, invalid(i, "row %d comes after row %d: rows out of order", num, r.lastRow)
	}
	r.raw = r.raw[:0]
	r.text = r.text[:0]
	r.ascii = true
	if !self {
		var err error
		if j, err = r.parseCells(j, num); err != nil {
			return 0, inRow(err, num)
		}
	}
	if err := r.finishRow(num, i); err != nil {
		return 0, inRow(err, num)
	}
	r.lastRow = num
	return j, nil
}

// parseCells reads the content of a row from b[i] on, through its end tag.
func (r *SheetReader) parseCells(i, num int) (int, error) {
	sc := &r.wk.sc
	b := sc.b
	col := 0
	for {
		for i < len(b) && b[i] != '<' {
			i++
		}
		if i+2 >= len(b) {
			return 0, errMore
		}
		if b[i+1] == '/' {
			return sc.endTag(i)
		}
		r.raw = append(r.raw, rawCell{})
		c := &r.raw[len(r.raw)-1]
		j, ok := 0, false
		if b[i+1] == 'c' && (b[i+2] == ' ' || b[i+2] == '>' || b[i+2] == '/') && !r.w.pkg.tun.slow {
			mark := len(r.text)
			if j, ok = r.fastCell(b, i, col, c); !ok {
				r.text = r.text[:mark]
				*c = rawCell{}
			}
		}
		if !ok {
			r.ascii = false
			isCell, err := false, error(nil)
			if j, isCell, err = r.slowCell(i, num, col, c); err != nil {
				return 0, err
			}
			if !isCell {
				r.raw = r.raw[:len(r.raw)-1]
				i = j
				continue
			}
		}
		i = j
		col = c.col
		if c.hasF && c.fShared && c.fHasSi {
			if c.fRef {
				if _, ok := r.shared[int(c.fSi)]; !ok {
					if r.shared == nil {
						r.shared = map[int]*sharedFormula{}
					}
					r.shared[int(c.fSi)] = newSharedFormula(string(r.text[c.f.off:c.f.end]), c.col, num)
				}
			}
			c.formula = r.shared[int(c.fSi)]
		}
		if c.typ == tShared && c.hasV && c.v.end > c.v.off {
			v := r.text[c.v.off:c.v.end]
			n, ok := parseUint(v)
			if !ok {
				n, ok = parseUint(bytes.TrimSpace(v))
			}
			if !ok || n >= len(r.sst) {
				return 0, invalid(i, "cell %s: shared string index %q outside the table of %d strings", CellName(c.col, num), v, len(r.sst))
			}
			c.sst = r.sst[n]
		}
	}
}

// slowCell reads the markup at b[i] inside a row with the general scanner:
// a cell (isCell true, read into c), or something else to skip.
func (r *SheetReader) slowCell(i, num, prevCol int, c *rawCell) (j int, isCell bool, err error) {
	sc := &r.wk.sc
	kind, err := sc.peek(i)
	if err != nil {
		return 0, false, err
	}
	if kind != mkStart {
		j, err = sc.skipSpecial(i, kind)
		return j, false, err
	}
	name, self, j, err := sc.startTag(i)
	if err != nil {
		return 0, false, err
	}
	if len(name) != 1 || name[0] != 'c' {
		if !self {
			j, err = sc.skipContent(j)
		}
		return j, false, err
	}
	hasRef := false
	for _, a := range sc.attrs {
		if len(a.name) != 1 {
			continue
		}
		switch a.name[0] {
		case 'r':
			v, err := sc.attrValue(a, i)
			if err != nil {
				return 0, false, err
			}
			cc, ok := parseRef(v)
			if !ok {
				return 0, false, invalid(i, "invalid cell reference %q", v)
			}
			c.col, hasRef = cc, true
		case 's':
			v, err := sc.attrValue(a, i)
			if err != nil {
				return 0, false, err
			}
			st, ok := parseStyle(v)
			if !ok {
				return 0, false, invalid(i, "invalid style %q", v)
			}
			c.style = st
		case 't':
			v, err := sc.attrValue(a, i)
			if err != nil {
				return 0, false, err
			}
			c.typ = cellType(v)
		}
	}
	if !hasRef {
		c.col = prevCol + 1
		if c.col > MaxColumns {
			return 0, false, invalid(i, "more than %d columns", MaxColumns)
		}
	}
	if !self {
		if j, err = r.parseCell(j, c); err != nil {
			return 0, false, err
		}
	}
	return j, true, nil
}

// parseCell reads the content of a cell from b[i] on, through its end tag.
func (r *SheetReader) parseCell(i int, c *rawCell) (int, error) {
	sc := &r.wk.sc
	b := sc.b
	for {
		k := bytes.IndexByte(b[i:], '<')
		if k < 0 {
			return 0, errMore
		}
		i += k
		if i+1 >= len(b) {
			return 0, errMore
		}
		if b[i+1] == '/' {
			return sc.endTag(i)
		}
		kind, err := sc.peek(i)
		if err != nil {
			return 0, err
		}
		if kind != mkStart {
			if i, err = sc.skipSpecial(i, kind); err != nil {
				return 0, err
			}
			continue
		}
		name, self, j, err := sc.startTag(i)
		if err != nil {
			return 0, err
		}
		switch {
		case len(name) == 1 && name[0] == 'v':
			c.hasV = true
			off := len(r.text)
			if !self {
				// fast path: plain text up to </v>
				e := bytes.IndexByte(b[j:], '<')
				if e >= 0 && j+e+1 < len(b) && b[j+e+1] == '/' && bytes.IndexByte(b[j:j+e], '&') < 0 && bytes.IndexByte(b[j:j+e], '\r') < 0 {
					r.text = append(r.text, b[j:j+e]...)
					j, err = sc.endTag(j + e)
				} else {
					r.text, j, err = sc.text(j, r.text)
				}
				if err != nil {
					return 0, err
				}
			}
			c.v = span{int32(off), int32(len(r.text))}
		case len(name) == 1 && name[0] == 'f':
			c.hasF = true
			for _, a := range sc.attrs {
				switch string(a.name) {
				case "t":
					v, err := sc.attrValue(a, i)
					if err != nil {
						return 0, err
					}
					c.fShared = string(v) == "shared"
				case "ref":
					v, err := sc.attrValue(a, i)
					if err != nil {
						return 0, err
					}
					c.fRef = len(v) > 0
				case "si":
					v, err := sc.attrValue(a, i)
					if err != nil {
						return 0, err
					}
					n, ok := parseUint(bytes.TrimSpace(v))
					if !ok {
						return 0, invalid(i, "invalid shared formula index %q", v)
					}
					c.fSi, c.fHasSi = int32(n), true
				}
			}
			off := len(r.text)
			if !self {
				if r.text, j, err = sc.text(j, r.text); err != nil {
					return 0, err
				}
			}
			c.f = span{int32(off), int32(len(r.text))}
		case len(name) == 2 && name[0] == 'i' && name[1] == 's':
			// a second <is> replaces the first
			off := len(r.text)
			c.hasIS = true
			if !self {
				if r.text, j, err = sc.richText(j, r.text); err != nil {
					return 0, err
				}
			}
			if bytes.Contains(r.text[off:], []byte("_x")) {
				r.text = append(r.text[:off], unescapeX(r.text[off:])...)
			}
			c.is = span{int32(off), int32(len(r.text))}
		default:
			if !self {
				if j, err = sc.skipContent(j); err != nil {
					return 0, err
				}
			}
		}
		i = j
	}
}

// finishRow turns the raw cells of a row into Cells.
func (r *SheetReader) finishRow(num, pos int) error {
	r.row.Num = num
	r.row.Cells = r.row.Cells[:0]
	if len(r.raw) == 0 {
		return nil
	}
	lim := r.w.pkg.lim.MaxStringLen
	// one string holds the text of all cells of the row
	rs := string(r.text)
	// the whole text buffer is nearly always valid; if not, the cells
	// that use the invalid part are found one by one
	textValid := r.ascii || utf8.ValidString(rs)
	sorted := true
	formulaBytes := 0 // of shared formulas, which a hostile row could amplify
	for k := range r.raw {
		c := &r.raw[k]
		if k > 0 && c.col <= r.raw[k-1].col {
			sorted = false
		}
		var text string
		switch {
		case c.typ == tShared && c.v.end > c.v.off:
			text = c.sst
		case c.typ == tInline && c.hasIS:
			text = rs[c.is.off:c.is.end]
		case c.hasV:
			text = rs[c.v.off:c.v.end]
		}
		var formula string
		if c.hasF {
			if c.fShared && c.fHasSi {
				if c.formula != nil {
					formula = c.formula.at(c.col, num)
					if formulaBytes += len(formula); formulaBytes > r.w.pkg.lim.MaxRowBytes {
						return &posError{pos: pos, kind: ErrTooLarge, msg: fmt.Sprintf("shared formulas of more than %d bytes in one row", r.w.pkg.lim.MaxRowBytes)}
					}
				}
			} else {
				formula = rs[c.f.off:c.f.end]
			}
		}
		if text == "" && formula == "" {
			continue
		}
		if len(text) > lim || len(formula) > lim {
			return &posError{pos: pos, kind: ErrTooLarge, msg: fmt.Sprintf("cell %s: text longer than %d bytes", CellName(c.col, num), lim)}
		}
		if !textValid && (!utf8.ValidString(text) || !utf8.ValidString(formula)) {
			return invalid(pos, "cell %s: text is not valid UTF-8", CellName(c.col, num))
		}
		r.row.Cells = append(r.row.Cells, Cell{})
		cell := &r.row.Cells[len(r.row.Cells)-1]
		cell.Row, cell.Col, cell.Text, cell.Formula, cell.Format = num, c.col, text, formula, r.w.Format(c.style)
		if text == "" {
			cell.Kind = NoValue
		} else {
			switch c.typ {
			case tBool:
				cell.Kind = Bool
				if text == "1" || strings.EqualFold(text, "true") {
					cell.Number = 1
				}
			case tError:
				cell.Kind = Error
			case tDate:
				cell.Kind = Date
			case tShared, tInline, tStr:
				cell.Kind = String
			default:
				if text[0] == '#' {
					cell.Kind = Error
					break
				}
				if v, ok := parseFloat(text); ok {
					cell.Kind, cell.Number = Number, v
				} else if v, err := strconv.ParseFloat(strings.TrimSpace(text), 64); err == nil {
					cell.Kind, cell.Number = Number, v
				} else {
					cell.Kind = String
				}
			}
		}
	}
	if !sorted {
		slices.SortStableFunc(r.row.Cells, func(a, b Cell) int { return a.Col - b.Col })
		for k := 1; k < len(r.row.Cells); k++ {
			if r.row.Cells[k].Col == r.row.Cells[k-1].Col {
				return invalid(pos, "cell %s given twice", r.row.Cells[k].Ref())
			}
		}
	}
	return nil
}

func cellType(v []byte) uint8 {
	switch string(v) {
	case "", "n":
		return tNumber
	case "s":
		return tShared
	case "str":
		return tStr
	case "inlineStr":
		return tInline
	case "b":
		return tBool
	case "e":
		return tError
	case "d":
		return tDate
	}
	return tUnknown
}

// parseUint parses a decimal number of at most 9 digits.
func parseUint(v []byte) (int, bool) {
	if len(v) == 0 || len(v) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// parseStyle parses a style index; "" is style 0 and a negative index
// means no style.
func parseStyle(v []byte) (int, bool) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return 0, true
	}
	neg := false
	if v[0] == '-' || v[0] == '+' {
		neg = v[0] == '-'
		v = v[1:]
	}
	if len(v) > 18 {
		return 0, false
	}
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if len(v) == 0 {
		return 0, false
	}
	if neg {
		return -1, true
	}
	if n > MaxCellStyles {
		n = MaxCellStyles
	}
	return n, true
}

// parseRef returns the column of a cell reference such as "B7", "b7" or
// "$B$7", checking that its row is within the sheet.
func parseRef(v []byte) (int, bool) {
	col, _, ok := parseCellRef(v)
	return col, ok
}

// parseCellRef returns the column and row of a cell reference such as
// "B7", "b7" or "$B$7", within the sheet's limits.
func parseCellRef(v []byte) (int, int, bool) {
	i := 0
	if i < len(v) && v[i] == '$' {
		i++
	}
	col, letters := 0, 0
	for i < len(v) {
		c := v[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
		letters++
		if letters > 3 {
			return 0, 0, false
		}
		i++
	}
	if letters == 0 || col > MaxColumns {
		return 0, 0, false
	}
	if i < len(v) && v[i] == '$' {
		i++
	}
	row, ok := parseUint(v[i:])
	if !ok || row < 1 || row > MaxRows {
		return 0, 0, false
	}
	return col, row, true
}
