package transform

import (
	"fmt"
	"sort"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/schemas"
)

// periodColumn is a data column of a report table: a period, or a growth
// rate of Period against Base.
type periodColumn struct {
	col    int
	period schemas.Period
	growth bool
	base   schemas.Period
}

// applyMerges copies the text of a merged range's top-left cell into the
// other cells of the range, for text cells only: headers ("Growth rate"
// over two columns) and labels ("Belgium" over three rows). Figures are
// never copied.
func (r *reader) applyMerges() {
	if r.merged || r.merges == nil {
		return
	}
	r.merged = true
	ranges, err := r.merges.MergedCells()
	if err != nil || len(ranges) == 0 {
		return
	}
	index := map[int]int{} // row number -> index in buf
	for i, row := range r.buf {
		index[row.Num] = i
	}
	for _, m := range ranges {
		if m.FromCol == m.ToCol && m.FromRow == m.ToRow || (m.ToCol-m.FromCol+1)*(m.ToRow-m.FromRow+1) > 10000 {
			continue
		}
		i, ok := index[m.FromRow]
		if !ok {
			continue
		}
		top, ok := cellAt(r.buf[i], m.FromCol)
		if !ok || top.Kind != extract.String {
			continue
		}
		for row := m.FromRow; row <= m.ToRow; row++ {
			j, ok := index[row]
			if !ok {
				continue
			}
			for col := m.FromCol; col <= m.ToCol; col++ {
				if row == m.FromRow && col == m.FromCol {
					continue
				}
				if _, ok := cellAt(r.buf[j], col); ok {
					continue
				}
				c := top
				c.Row, c.Col, c.Merged = row, col, true
				r.buf[j].Cells = insertCell(r.buf[j].Cells, c)
			}
		}
	}
}

// insertCell adds c to cells, kept in column order.
func insertCell(cells []extract.Cell, c extract.Cell) []extract.Cell {
	i := sort.Search(len(cells), func(i int) bool { return cells[i].Col >= c.Col })
	cells = append(cells, extract.Cell{})
	copy(cells[i+1:], cells[i:])
	cells[i] = c
	return cells
}

// checkWidth fails a delimited file whose data row has a field right of
// the table's last column: a value with an unquoted delimiter in it (a
// decimal comma in a comma-separated file) shifts every field after it,
// and its figures cannot be trusted.
func (r *reader) checkWidth(row extract.Row, last int) error {
	if n := len(row.Cells); n > 0 && row.Cells[n-1].Col > last {
		c := row.Cells[n-1]
		return fmt.Errorf("read %s row %d: %w: the row has a field in column %d (%q), right of the table's last column %d; a value holding an unquoted delimiter (a decimal comma in a comma-separated file?) shifts the fields after it",
			r.opts.File, row.Num, extract.ErrInconsistent, c.Col, c.Text, last)
	}
	return nil
}

func cellAt(row extract.Row, col int) (extract.Cell, bool) {
	if c, ok := cellIn(row, col); ok {
		return *c, true
	}
	return extract.Cell{}, false
}

// cellIn returns the cell of a row in column col.
func cellIn(row extract.Row, col int) (*extract.Cell, bool) {
	cells := row.Cells
	// rows of a table are mostly dense: try where the cell would be then
	if n := len(cells); n > 0 {
		if i := col - cells[0].Col; i >= 0 && i < n && cells[i].Col == col {
			return &cells[i], true
		}
	}
	lo, hi := 0, len(cells)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if cells[m].Col < col {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(cells) && cells[lo].Col == col {
		return &cells[lo], true
	}
	return nil, false
}
