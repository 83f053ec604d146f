package transform

import (
	"fmt"
	"sort"
	"strings"

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

// periodHeader returns the period columns of a row if it reads as the header
// row of a report table: at least two distinct periods, and no row label
// naming a reporter or flow (which would make it a data row).
func (r *reader) periodHeader(row extract.Row) []periodColumn {
	var cols []periodColumn
	seen := map[string]bool{}
	for _, c := range row.Cells {
		p, ok := r.cellPeriod(c)
		if !ok {
			if c.Kind == extract.String && r.isDataLabel(c.Text) {
				return nil
			}
			continue
		}
		if seen[p.String()] {
			return nil
		}
		seen[p.String()] = true
		cols = append(cols, periodColumn{col: c.Col, period: p})
	}
	if len(cols) < 2 {
		return nil
	}
	return cols
}

// isDataLabel reports whether a text names a reporter and a flow, as the
// label of a data row does.
func (r *reader) isDataLabel(text string) bool {
	_, rep := r.dict.FindReporter(text)
	_, flow := r.dict.FindFlow(text)
	return rep && flow
}

// reportTable reads the report table whose header is buf[head]; rows from
// buf[start] on belong to its region (title and notes above the header).
// It returns the index in buf where the next table's region starts.
func (r *reader) reportTable(start, head int) (int, error) {
	// A report table is small: read the rest of the sheet.
	if err := r.fill(int(^uint(0) >> 1)); err != nil {
		return 0, err
	}
	header := r.buf[head]
	cols := r.periodHeader(header)
	// The table ends where the next header row starts.
	end := len(r.buf)
	for i := head + 1; i < len(r.buf); i++ {
		if len(r.periodHeader(r.buf[i])) >= 2 {
			end = i
			// Title rows of the next table sit just above its header:
			// give it the text-only rows right before it.
			for end > head+1 && textOnly(r.buf[end-1]) && !r.rowHasLabel(r.buf[end-1]) {
				end--
			}
			break
		}
	}
	t := &reportLayout{r: r, header: header, region: r.buf[start:end], head: head - start}
	t.info.Kind = "report"
	t.info.HeaderRow = header.Num
	t.bindColumns(cols)
	t.findLabelColumn()
	t.findTitleAndUnit()
	if err := t.read(); err != nil {
		return 0, err
	}
	r.info.Tables = append(r.info.Tables, t.info)
	return end, nil
}

func textOnly(row extract.Row) bool {
	for _, c := range row.Cells {
		if c.Kind != extract.String {
			return false
		}
	}
	return true
}

func (r *reader) rowHasLabel(row extract.Row) bool {
	for _, c := range row.Cells {
		if c.Kind == extract.String && r.isDataLabel(c.Text) {
			return true
		}
	}
	return false
}

// reportLayout is a report table being read.
type reportLayout struct {
	r        *reader
	header   extract.Row
	region   []extract.Row // title rows, header, data rows, notes
	head     int           // index of the header in region
	cols     []periodColumn
	labelCol int
	partner  string
	reporter string // named in the title, for labels that name none
	unit     string
	scale    float64
	info     TableInfo
}

// bindColumns adds the growth columns to the period columns: a growth
// header describes the period column to its left, compared with the period
// column before that.
func (t *reportLayout) bindColumns(periods []periodColumn) {
	byCol := map[int]periodColumn{}
	for _, p := range periods {
		byCol[p.col] = p
	}
	for _, c := range t.header.Cells {
		if p, ok := byCol[c.Col]; ok {
			t.cols = append(t.cols, p)
			t.info.Columns = append(t.info.Columns, fmt.Sprintf("%s: %s", extract.ColumnName(c.Col), p.period))
			continue
		}
		if c.Kind != extract.String {
			continue
		}
		if m, ok := t.r.dict.FindMeasure(c.Text); !ok || m != schemas.MeasureGrowth {
			continue
		}
		var left []periodColumn
		for _, p := range periods {
			if p.col < c.Col {
				left = append(left, p)
			}
		}
		if len(left) < 2 {
			t.r.note("%s %q: a growth column needs two period columns to its left; ignored", c.Ref(), c.Text)
			continue
		}
		cur, base := left[len(left)-1], left[len(left)-2]
		t.cols = append(t.cols, periodColumn{col: c.Col, period: cur.period, growth: true, base: base.period})
		t.info.Columns = append(t.info.Columns, fmt.Sprintf("%s: growth %s vs %s", extract.ColumnName(c.Col), cur.period, base.period))
	}
	sort.Slice(t.cols, func(i, j int) bool { return t.cols[i].col < t.cols[j].col })
}

// findLabelColumn picks the column left of the first period column that
// holds the most text labels below the header.
func (t *reportLayout) findLabelColumn() {
	first := t.cols[0].col
	count := map[int]int{}
	for _, row := range t.region[t.head+1:] {
		for _, c := range row.Cells {
			if c.Col < first && c.Kind == extract.String {
				count[c.Col]++
			}
		}
	}
	best := 1
	for col, n := range count {
		if n > count[best] || n == count[best] && col < best {
			best = col
		}
	}
	t.labelCol = best
	t.info.LabelCol = extract.ColumnName(best)
}

// findTitleAndUnit reads the title (the first text above the header) for the
// partner and reporter, and looks for a unit note anywhere in the table's
// region: above, in the header row or below.
func (t *reportLayout) findTitleAndUnit() {
	d := t.r.dict
	for _, row := range t.region[:t.head] {
		for _, c := range row.Cells {
			if c.Kind == extract.String && strings.TrimSpace(c.Text) != "" && t.info.Title == "" {
				t.info.Title = strings.TrimSpace(c.Text)
			}
		}
	}
	if p, ok := d.FindPartner(t.info.Title); ok {
		t.partner = p
	}
	if rep, ok := d.FindReporter(t.info.Title); ok {
		t.reporter = rep
	}
	if t.partner == "" {
		t.partner = "World"
		if t.info.Title != "" {
			t.r.note("title %q names no partner: figures read as trade with the World", t.info.Title)
		} else {
			t.r.note("table at row %d has no title naming a partner: figures read as trade with the World", t.header.Num)
		}
	}
	t.info.Partner = t.partner
	for _, row := range t.region {
		for _, c := range row.Cells {
			if c.Kind != extract.String {
				continue
			}
			if unit, scale, ok := d.Unit(c.Text); ok {
				t.unit, t.scale = unit, scale
				t.info.UnitFrom = c.Ref()
				break
			}
		}
		if t.unit != "" {
			break
		}
	}
	t.info.Unit, t.info.Scale = t.unit, t.scale
	if t.unit == "" {
		t.info.UnitFrom = "default"
		t.info.Unit, t.info.Scale = schemas.UnitEUR, 1
	}
}

// read turns the data rows into observations.
func (t *reportLayout) read() error {
	var obs []schemas.Observation
	var findings []schemas.Finding
	first, last := t.labelCol, t.cols[len(t.cols)-1].col
	lastRow := t.header.Num
	blockFlow := ""
	for _, row := range t.region[t.head+1:] {
		label, ok := cellAt(row, t.labelCol)
		if !ok || label.Kind != extract.String {
			continue
		}
		text := strings.TrimSpace(label.Text)
		if _, _, isUnit := t.r.dict.Unit(text); isUnit && !hasFigures(row, t.cols) {
			continue
		}
		rep, flow, measure, ok := t.parseLabel(text, blockFlow)
		if !ok {
			if hasFigures(row, t.cols) {
				t.r.note("%s: label %q not understood (no reporter or flow found); row skipped", label.Ref(), text)
			}
			continue
		}
		if measure == schemas.MeasureLevel {
			blockFlow = flow
		}
		t.info.Labels = append(t.info.Labels, fmt.Sprintf("%s %q → %s %s %s", label.Ref(), text, rep, flow, measure))
		for _, col := range t.cols {
			c, ok := cellAt(row, col.col)
			if !ok {
				continue
			}
			if col.growth && measure != schemas.MeasureLevel {
				t.r.note("%s: growth of a %s is not read", c.Ref(), measure)
				continue
			}
			o := t.r.observation(c, "")
			o.Label = text
			o.Reporter, o.ReporterParent = rep, t.r.dict.Parent(rep)
			o.Partner, o.Flow, o.Measure = t.partner, flow, measure
			setPeriod(&o, col.period)
			unit, scale := t.info.Unit, t.info.Scale
			if col.growth {
				o.Measure = schemas.MeasureGrowth
				o.BasePeriod = col.base.String()
			}
			if o.Measure != schemas.MeasureLevel {
				unit, scale = schemas.UnitPercent, 1
			}
			f := t.r.readFigure(c)
			setFigure(&o, f, unit, scale)
			if f.problem != "" {
				findings = append(findings, t.r.problemFinding(c, f))
			}
			obs = append(obs, o)
			lastRow = max(lastRow, row.Num)
		}
	}
	t.info.Range = rangeRef(first, t.region[0].Num, last, lastRow)
	id := rangeRef(first, t.header.Num, last, t.header.Num)
	for i := range obs {
		obs[i].Table = id
	}
	if t.unit == "" && len(obs) > 0 {
		findings = append(findings, schemas.Finding{
			Rule: RuleNoUnit, Severity: schemas.SeverityWarning,
			File: t.r.opts.File, Sheet: t.r.sheet, Cells: []string{extract.CellName(first, t.header.Num)},
			Message: fmt.Sprintf("table %s has no unit note such as \"(in billion euro)\": figures read as euro", t.info.Range),
		})
	}
	t.info.Rows = len(obs)
	if len(obs) == 0 && len(findings) == 0 {
		t.r.note("table %s: no figures read", t.info.Range)
		return nil
	}
	return t.r.emit(obs, findings)
}

// parseLabel reads a row label: "Belgium exports" is Belgium's level of
// exports, "% Flanders" is Flanders' share of the flow of the block above
// (blockFlow), "Flanders deficit" its deficit.
func (t *reportLayout) parseLabel(text, blockFlow string) (reporter, flow, measure string, ok bool) {
	d := t.r.dict
	measure = schemas.MeasureLevel
	if m, ok := d.FindMeasure(text); ok {
		measure = m
	}
	reporter, ok = d.FindReporter(text)
	if !ok {
		reporter = t.reporter
	}
	flow, ok = d.FindFlow(text)
	if !ok && measure == schemas.MeasureShare {
		flow = blockFlow
	}
	if reporter == "" || flow == "" {
		return "", "", "", false
	}
	return reporter, flow, measure, true
}

func cellAt(row extract.Row, col int) (extract.Cell, bool) {
	i := sort.Search(len(row.Cells), func(i int) bool { return row.Cells[i].Col >= col })
	if i < len(row.Cells) && row.Cells[i].Col == col {
		return row.Cells[i], true
	}
	return extract.Cell{}, false
}

func hasFigures(row extract.Row, cols []periodColumn) bool {
	for _, col := range cols {
		if _, ok := cellAt(row, col.col); ok {
			return true
		}
	}
	return false
}
