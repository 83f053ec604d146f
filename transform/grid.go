package transform

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/vocab"
)

// A sheet is cut into tables by the shape of its rows, before any word is
// understood (the layout question of research/TABLE_READING.md): a table
// is a block of data rows (rows with figures), the header rows right above
// it (rows with text or periods over the figures' columns), the title rows
// above those and the notes below. Rows of text in the label columns
// between data rows are section rows ("Einfuhren") and belong to the
// block; a row of headings over the figures' columns starts a new table.

// rowShape classifies a row.
type rowShape uint8

const (
	shapeBlank rowShape = iota
	shapeData           // has a figure
	shapeText           // text, periods or years only
)

// gridTable is a table cut out of a sheet.
type gridTable struct {
	title     []extract.Row // title and unit rows above the header (own)
	header    []extract.Row // header rows, top to bottom
	body      []extract.Row // data rows and section rows
	notes     []extract.Row // rows below
	firstData int           // first column holding figures
	lastData  int
	dataCols  []int // columns holding figures
}

// shaper decides what a cell is: a figure, or text.
type shaper struct {
	r *reader
}

// isFigure reports whether a cell holds a figure (a number that is not a
// year heading, or a number written as text) or a missing mark.
func (s shaper) figure(c extract.Cell) (fig, year bool) {
	switch c.Kind {
	case extract.Number:
		if s.r.format(c.Format).date {
			return false, false
		}
		if c.Number == float64(int(c.Number)) && c.Number >= 1900 && c.Number <= 2100 && !strings.Contains(c.Format, ",") {
			return false, true
		}
		return true, false
	case extract.String:
		t := strings.TrimSpace(c.Text)
		if t == "" {
			return false, false
		}
		if m, _ := stripMark(t); isYearText(m) {
			return false, true
		}
		if len(t) > 1 && t[0] == '0' && isDigits(t) {
			return false, false // a code ("001", "039"), not a figure
		}
		if n, ok := s.r.parseValue(t); ok {
			if n.Value == float64(int(n.Value)) && n.Value >= 1900 && n.Value <= 2100 && n.Decimals == 0 && !strings.ContainsAny(t, ",.'") {
				return false, true // "2023 r", "2024*": a year heading with a mark
			}
			return true, false
		}
		return false, false
	case extract.Error, extract.NoValue:
		return true, false
	}
	return false, false
}

// isPeriodLabel reports whether a text that reads as a number is a
// period ("2023.01", a month as Korean and Japanese tables write it).
func (s shaper) isPeriodLabel(t string) bool {
	m, ok := s.r.z.periods.Parse(strings.TrimSpace(t))
	return ok && !m.NoYear && m.P.Type != schemas.PeriodYear
}

func isYearText(t string) bool {
	if len(t) != 4 {
		return false
	}
	for i := 0; i < 4; i++ {
		if t[i] < '0' || t[i] > '9' {
			return false
		}
	}
	return t >= "1900" && t <= "2100"
}

// shape returns the shape of a row and the columns of its figures.
func (s shaper) shape(row extract.Row) (rowShape, []int) {
	var figs []int
	cells := 0
	for _, c := range row.Cells {
		if c.Kind == extract.String && strings.TrimSpace(c.Text) == "" || c.Kind == extract.Blank {
			continue
		}
		cells++
		if cells == 1 && c.Kind == extract.String && s.isPeriodLabel(c.Text) {
			continue // "2023.01" as a row label is a month, not a figure
		}
		if f, _ := s.figure(c); f {
			figs = append(figs, c.Col)
		}
	}
	switch {
	case cells == 0:
		return shapeBlank, nil
	case len(figs) > 1 && s.risingYears(row, figs):
		// "2011 | 2012 | 2013" formatted as figures ("#,##0.0", as
		// Gnumeric writes them): a heading of years
		return shapeText, nil
	case len(figs) > 0:
		return shapeData, figs
	}
	return shapeText, nil
}

// risingYears reports whether the figures of a row are whole years rising
// from left to right.
// Years of the Buddhist era (2443 to 2643, "2566" for 2023) count in a
// row with Thai text.
func (s shaper) risingYears(row extract.Row, figs []int) bool {
	lo, hi := 1900.0, 2100.0
	for _, c := range row.Cells {
		if c.Kind == extract.String && strings.IndexFunc(c.Text, isThai) >= 0 {
			lo, hi = 1900, 2643
			break
		}
	}
	prev := 0.0
	for _, col := range figs {
		c, _ := cellAt(row, col)
		v := c.Number
		if c.Kind == extract.String {
			t := strings.TrimSpace(c.Text)
			if !isDigits(t) || len(t) != 4 {
				return false
			}
			n, _ := strconv.Atoi(t)
			v = float64(n)
		} else if c.Kind != extract.Number {
			return false
		}
		if v != float64(int(v)) || v < lo || v > hi || v <= prev || v > 2100 && v < 2443 {
			return false
		}
		prev = v
	}
	return true
}

func isThai(r rune) bool { return unicode.Is(unicode.Thai, r) }

// segment cuts buffered rows into tables.
func (r *reader) segment(rows []extract.Row) []*gridTable {
	s := shaper{r: r}
	shapes := make([]rowShape, len(rows))
	figs := make([][]int, len(rows))
	for i, row := range rows {
		shapes[i], figs[i] = s.shape(row)
		// a row whose only "figures" are missing marks beside text is
		// still data when other rows of its block have figures; a row of
		// marks alone is not a table
	}
	// metadata rows under a heading ("Collection Month | 3 | 3 | 3", "No.
	// Obs | 10 | 10 | 10" in an ABS time series): one number repeated
	// across the columns, between rows of text, is part of the header
	for i := 1; i+1 < len(rows); i++ {
		if shapes[i] == shapeData && shapes[i-1] == shapeText && (metadataRow(rows[i], figs[i]) || columnNumbersRow(rows[i])) {
			shapes[i], figs[i] = shapeText, nil
		}
	}
	// a row of marks between rows of figures ("Луганська | к | к | к"):
	// a row of the table whose figures are withheld, not a heading
	for i := 1; i+1 < len(rows); i++ {
		if shapes[i] == shapeText && shapes[i-1] == shapeData && shapes[i+1] == shapeData {
			if cols := s.markColumns(rows[i], figs[i-1]); cols != nil {
				shapes[i], figs[i] = shapeData, cols
			}
		}
	}
	var tables []*gridTable
	i := 0
	prevEnd := 0 // index after the previous table's body
	for i < len(rows) {
		if shapes[i] != shapeData {
			i++
			continue
		}
		// the block: data rows, with blank and section rows between them
		first := i
		minCol, maxCol := 1<<30, 0
		colset := map[int]bool{}
		add := func(k int) {
			for _, c := range figs[k] {
				colset[c] = true
				minCol, maxCol = min(minCol, c), max(maxCol, c)
			}
		}
		add(i)
		last := i
		j := i + 1
		blanks := 0
		for j < len(rows) {
			switch shapes[j] {
			case shapeData:
				// a data row far left of the block's figures starts
				// another table
				if figs[j][0] > maxCol {
					goto done
				}
				add(j)
				last = j
				blanks = 0
			case shapeBlank:
				blanks++
				if blanks > 2 {
					goto done
				}
			case shapeText:
				// a row with text over the figures' columns is the
				// header of another table (or notes across the page)
				for _, c := range rows[j].Cells {
					if c.Col >= minCol && strings.TrimSpace(c.Text) != "" && !c.Merged {
						goto done
					}
				}
			}
			j++
		}
	done:
		// a column of row numbers (1, 2, 3, ... under "S.No.") holds no
		// figures: the labels start there
		for minCol < maxCol && colset[minCol] && isIndexColumn(rows[first:last+1], minCol) {
			delete(colset, minCol)
			next := 1 << 30
			for c := range colset {
				next = min(next, c)
			}
			minCol = next
		}
		t := &gridTable{firstData: minCol, lastData: maxCol}
		for c := range colset {
			t.dataCols = append(t.dataCols, c)
		}
		sort.Ints(t.dataCols)
		// section rows right above the first data row belong to the block;
		// the header is above them
		h := first
		if h-2 >= prevEnd && shapes[h-1] == shapeText && !hasCellFrom(rows[h-1], minCol) && isHeaderRow(rows[h-2], minCol, shapes[h-2]) {
			h--
		}
		// header rows: text rows over the figures' columns; one blank row
		// may sit between the header and the data
		top := h
		k := h - 1
		if k > prevEnd && shapes[k] == shapeBlank && k-1 >= prevEnd && isHeaderRow(rows[k-1], minCol, shapes[k-1]) {
			k--
		}
		for k >= prevEnd && len(t.header) < 12 && isHeaderRow(rows[k], minCol, shapes[k]) {
			top = k
			t.header = append([]extract.Row{rows[k]}, t.header...)
			k--
		}
		// a top header row that only states the unit ("(Unit: US$
		// thousand, %)" over the last column) is the title's
		for len(t.header) > 1 && r.unitNoteRow(t.header[0]) {
			t.header = t.header[1:]
			top++
		}
		t.body = rows[h : last+1]
		if len(t.header) == 0 {
			// figures without a heading above them are not a table
			r.note("figures in rows %d–%d have no heading row above them; not read", rows[h].Num, rows[last].Num)
			i = last + 1
			continue
		}
		// rows between the previous table and this header: the part after
		// the last blank row is this table's title (a title sits right
		// above its table); the rest are the previous table's notes
		gap := rows[prevEnd:top]
		if len(tables) == 0 {
			t.title = gap
		} else {
			cut := len(gap)
			for cut > 0 && shapes[prevEnd+cut-1] != shapeBlank {
				cut--
			}
			// no blank row in the gap: the rows right after the previous
			// data are its notes unless the header follows at once
			tables[len(tables)-1].notes = append(tables[len(tables)-1].notes, gap[:cut]...)
			t.title = gap[cut:]
		}
		tables = append(tables, t)
		prevEnd = last + 1
		i = last + 1
	}
	if len(tables) > 0 && prevEnd < len(rows) {
		tables[len(tables)-1].notes = append(tables[len(tables)-1].notes, rows[prevEnd:]...)
	}
	for _, t := range tables {
		t.title = nonBlank(t.title)
		t.notes = nonBlank(t.notes)
	}
	return tables
}

// unitNoteRow reports whether a row's texts are all unit notes ("in EUR
// million", "(Unit: US$ thousand, %)").
func (r *reader) unitNoteRow(row extract.Row) bool {
	n := 0
	for _, c := range row.Cells {
		if c.Kind != extract.String || strings.TrimSpace(c.Text) == "" {
			continue
		}
		an := r.z.analyze(c.Text, vocab.Context{})
		if !isUnitNote(an) || len(an.flows) > 0 || len(an.areas) > 0 || len(an.periods) > 0 {
			return false
		}
		n++
	}
	return n > 0
}

// metadataRow reports whether a row is a text label followed by one number
// repeated in three or more columns.
func metadataRow(row extract.Row, figs []int) bool {
	if len(figs) < 3 || len(row.Cells) == 0 || row.Cells[0].Kind != extract.String || row.Cells[0].Col >= figs[0] {
		return false
	}
	var v string
	for k, col := range figs {
		c, _ := cellAt(row, col)
		t := strings.TrimSpace(headerText(c))
		if k == 0 {
			v = t
		} else if t != v {
			return false
		}
	}
	return v != "" && v != "0"
}

// columnNumbersRow reports whether a row numbers the columns above it:
// "(1) | (2) | (3) | …" or "1 | 2 | 3 | …", every cell a whole number
// one more than the cell to its left, starting at 0, 1 or 2, three at
// least (statistical yearbooks number their columns under the heading).
func columnNumbersRow(row extract.Row) bool {
	want, n := -1, 0
	for _, c := range row.Cells {
		t := strings.TrimSpace(headerText(c))
		if t == "" {
			continue
		}
		if c.Kind == extract.Number {
			t = strconv.FormatFloat(c.Number, 'f', -1, 64)
		}
		t = strings.Trim(t, "()[]")
		k, err := strconv.Atoi(t)
		if err != nil || k < 0 || k > 99 {
			return false
		}
		if want < 0 {
			if k > 2 {
				return false
			}
		} else if k != want {
			return false
		}
		want, n = k+1, n+1
	}
	return n >= 3
}

// markColumns returns the columns of a row's marks when, after its label,
// the row holds nothing but missing marks or short unlisted marks ("к",
// "x", "…"), each in a column where the row above has a figure; else nil.
func (s shaper) markColumns(row extract.Row, above []int) []int {
	figCol := map[int]bool{}
	for _, c := range above {
		figCol[c] = true
	}
	var cols []int
	for k, c := range row.Cells {
		t := strings.TrimSpace(headerText(c))
		if t == "" || k == 0 && c.Col < above[0] {
			continue
		}
		short := utf8.RuneCountInString(t) <= 2 && strings.IndexFunc(t, unicode.IsDigit) < 0
		if c.Kind != extract.String || !figCol[c.Col] || !s.r.dict.IsMissing(t) && !short {
			return nil
		}
		cols = append(cols, c.Col)
	}
	if len(cols) < 2 {
		return nil
	}
	return cols
}

// isIndexColumn reports whether a column of a block counts its rows: whole
// numbers rising by one, at least three of them.
func isIndexColumn(rows []extract.Row, col int) bool {
	prev, n := 0.0, 0
	for _, row := range rows {
		c, ok := cellAt(row, col)
		if !ok {
			continue
		}
		var v float64
		switch c.Kind {
		case extract.Number:
			v = c.Number
		case extract.String:
			t := strings.TrimSuffix(strings.TrimSpace(c.Text), ".")
			if !isDigits(t) || len(t) > 4 {
				return false
			}
			for _, d := range t {
				v = v*10 + float64(d-'0')
			}
		default:
			return false
		}
		if v != float64(int(v)) || n > 0 && v != prev+1 {
			return false
		}
		prev = v
		n++
	}
	return n >= 3
}

// isHeaderRow reports whether a row heads the columns from minCol on: it
// has text or periods there and no figures.
func isHeaderRow(row extract.Row, minCol int, shape rowShape) bool {
	if shape != shapeText {
		return false
	}
	return hasCellFrom(row, minCol)
}

func hasCellFrom(row extract.Row, col int) bool {
	for _, c := range row.Cells {
		if c.Col >= col && !c.Merged && !(c.Kind == extract.String && strings.TrimSpace(c.Text) == "") {
			return true
		}
	}
	return false
}

func nonBlank(rows []extract.Row) []extract.Row {
	var out []extract.Row
	for _, row := range rows {
		for _, c := range row.Cells {
			if strings.TrimSpace(c.Text) != "" || c.Kind == extract.Number {
				out = append(out, row)
				break
			}
		}
	}
	return out
}
