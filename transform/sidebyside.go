package transform

import (
	"github.com/tradeetl/tradeetl/extract"
)

// Tables set side by side on a sheet ("Table 6. Exports by country" in
// A:H, "Table 7. Imports by country" in J:Q, a blank column between) share
// their rows, so segmenting by rows finds one table. A blank column with
// labels to its right (the second table's own column of names) splits it:
// each part is segmented again on its own columns, and finds its own title
// and unit.

// splitSideBySide splits the tables that are side by side.
func (r *reader) splitSideBySide(tables []*gridTable) []*gridTable {
	var out []*gridTable
	for _, t := range tables {
		parts := r.splitTable(t)
		out = append(out, parts...)
	}
	return out
}

func (r *reader) splitTable(t *gridTable) []*gridTable {
	used := map[int]bool{}
	minCol, maxCol := 1<<30, 0
	for _, rows := range [][]extract.Row{t.header, t.body} {
		for _, row := range rows {
			for _, c := range row.Cells {
				if c.Kind == extract.String && c.Text == "" || c.Kind == extract.Blank {
					continue
				}
				used[c.Col] = true
				minCol, maxCol = min(minCol, c.Col), max(maxCol, c.Col)
			}
		}
	}
	s := shaper{r: r}
	for gap := t.firstData + 1; gap < maxCol; gap++ {
		if used[gap] {
			continue
		}
		// to its right, a column of names before the figures: most body
		// rows hold text there
		right := gap + 1
		for right <= maxCol && !used[right] {
			right++
		}
		if !r.labelColumnsFrom(t.body, right, s) {
			continue
		}
		all := append(append(append([]extract.Row{}, t.title...), t.header...), t.body...)
		left := r.segment(colRange(all, 0, gap-1))
		rest := r.segment(colRange(all, gap+1, 1<<30))
		if len(left) == 0 || len(rest) == 0 {
			continue
		}
		left[len(left)-1].notes = append(left[len(left)-1].notes, t.notes...)
		return append(left, r.splitSideBySide(rest)...)
	}
	return []*gridTable{t}
}

// labelColumnsFrom reports whether most body rows hold a text label from
// column col on, before their first figure.
func (r *reader) labelColumnsFrom(body []extract.Row, col int, s shaper) bool {
	if isIndexColumn(body, col) {
		col++ // a rank or row number before the names
	}
	rows, labelled := 0, 0
	for _, row := range body {
		figure, text := false, false
		for _, c := range row.Cells {
			if c.Col < col {
				continue
			}
			if f, _ := s.figure(c); f {
				figure = true
				break
			}
			if c.Kind == extract.String && c.Text != "" {
				text = true
			}
		}
		if !figure {
			continue
		}
		rows++
		if text {
			labelled++
		}
	}
	return rows >= 2 && labelled*2 >= rows
}

// colRange returns the rows with only their cells in columns from..to.
func colRange(rows []extract.Row, from, to int) []extract.Row {
	out := make([]extract.Row, 0, len(rows))
	for _, row := range rows {
		nr := extract.Row{Num: row.Num}
		for _, c := range row.Cells {
			if c.Col >= from && c.Col <= to {
				nr.Cells = append(nr.Cells, c)
			}
		}
		out = append(out, nr)
	}
	return out
}
