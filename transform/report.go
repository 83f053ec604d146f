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

// periodCells returns the cells of a row that read as periods if the row
// reads as the header row of a report table: at least two distinct
// periods, and no row label naming a reporter and a flow (which would
// make it a data row). The same period may appear twice, as in a header
// with a level and a growth column per year under group headings.
func (r *reader) periodCells(row extract.Row) []periodColumn {
	var cols []periodColumn
	distinct := map[string]bool{}
	for _, c := range row.Cells {
		p, ok := r.cellPeriod(c)
		if !ok {
			if c.Kind == extract.String && r.isDataLabel(c.Text) {
				return nil
			}
			continue
		}
		distinct[p.String()] = true
		cols = append(cols, periodColumn{col: c.Col, period: p})
	}
	if len(distinct) < 2 {
		return nil
	}
	return cols
}

// isDataLabel reports whether a text names a reporter and a flow, as the
// label of a data row does.
func (r *reader) isDataLabel(text string) bool {
	if r.lay != nil {
		if _, ok := r.lay.labels[foldKey(text)]; ok {
			return true
		}
	}
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
	r.applyMerges()
	header := r.buf[head]
	t := &reportLayout{r: r, header: header, head: head - start}
	t.info.Kind = "report"
	t.info.HeaderRow = header.Num
	// A row of periods right below the header, in columns where the
	// header has none ("Growth rate" over two columns, its years below),
	// belongs to the header.
	dataStart := head + 1
	if r.lay == nil || r.lay.reportCol == nil {
		if head+1 < len(r.buf) && r.buf[head+1].Num == header.Num+1 && r.subHeader(header, r.buf[head+1]) {
			t.sub = &r.buf[head+1]
			dataStart++
		}
	}
	// The table ends where the next header row starts.
	end := len(r.buf)
	if r.lay == nil {
		for i := dataStart; i < len(r.buf); i++ {
			if r.periodCells(r.buf[i]) != nil {
				end = i
				// Title rows of the next table sit just above its
				// header: give it the block of text-only rows right
				// before it.
				for end > dataStart && textOnly(r.buf[end-1]) && r.buf[end-1].Num == r.buf[end].Num-1 {
					end--
				}
				break
			}
		}
	}
	t.region = r.buf[start:end]
	t.data = r.buf[dataStart:end]
	// The row just above the header holds group headings ("Value" |
	// "Growth (%)") if it has text over the figures' columns; a title in
	// the label column is no heading.
	if head > start && r.buf[head-1].Num == header.Num-1 && textOnly(r.buf[head-1]) {
		firstPeriod := 1 << 30
		for _, p := range r.periodCells(header) {
			firstPeriod = min(firstPeriod, p.col)
		}
		for _, c := range r.buf[head-1].Cells {
			if c.Col >= firstPeriod && !c.Merged {
				t.above = &r.buf[head-1]
			}
		}
	}
	if !t.bindColumns() {
		return end, nil
	}
	t.findLabelColumns()
	t.findTitleAndUnit()
	if err := t.read(); err != nil {
		return 0, err
	}
	r.info.Tables = append(r.info.Tables, t.info)
	return end, nil
}

// subHeader reports whether row, just below the header, continues it: it
// has periods, in columns where the header has none, and no data label.
func (r *reader) subHeader(header, row extract.Row) bool {
	periods := 0
	for _, c := range row.Cells {
		p, ok := r.cellPeriod(c)
		if !ok {
			if c.Kind == extract.String && r.isDataLabel(c.Text) {
				return false
			}
			if c.Kind == extract.Number {
				return false
			}
			continue
		}
		if h, ok := cellAt(header, c.Col); ok {
			if _, isPeriod := r.cellPeriod(h); isPeriod {
				return false
			}
		}
		_ = p
		periods++
	}
	return periods > 0
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

func textOnly(row extract.Row) bool {
	for _, c := range row.Cells {
		if c.Kind != extract.String {
			return false
		}
	}
	return true
}

// reportLayout is a report table being read.
type reportLayout struct {
	r         *reader
	header    extract.Row
	sub       *extract.Row  // a second header row of periods, below the header
	above     *extract.Row  // the row just above the header: group headings
	region    []extract.Row // title rows, header, data rows, notes
	data      []extract.Row // rows below the header (and sub-header)
	head      int           // index of the header in region
	cols      []periodColumn
	labelCol  int
	outerCols []int // label columns left of labelCol ("Belgium" | "exports")
	unitCol   int   // a column of units between labels and figures; 0 if none
	partner   string
	reporter  string // named in the title, for labels that name none
	unit      string
	scale     float64
	info      TableInfo
}

// bindColumns finds the period columns of the table. A column is a growth
// rate when its header, a heading above it or a heading spanning it names
// a growth ("Growth rate", "Groei (%)", "% change"): growth of its own
// period if it has one (against the table's period before it), or else of
// the period column to its left against the one before that.
func (t *reportLayout) bindColumns() bool {
	r := t.r
	if r.lay != nil && r.lay.reportCol != nil {
		for _, p := range r.lay.reportCol {
			t.cols = append(t.cols, p)
		}
		sort.Slice(t.cols, func(i, j int) bool { return t.cols[i].col < t.cols[j].col })
		for _, p := range t.cols {
			t.info.Columns = append(t.info.Columns, describeColumn(p)+" (layout)")
		}
		return len(t.cols) > 0
	}
	bands := []*extract.Row{t.above, &t.header, t.sub}
	firstPeriod, lastCol := 1<<30, 0
	for _, c := range t.header.Cells {
		if _, ok := r.cellPeriod(c); ok {
			firstPeriod = min(firstPeriod, c.Col)
		}
		lastCol = max(lastCol, c.Col)
	}
	if t.sub != nil {
		for _, c := range t.sub.Cells {
			lastCol = max(lastCol, c.Col)
		}
	}
	// Growth headings: a heading cell marks its own column and, as
	// written once over several columns, the empty cells to its right.
	growth := map[int]bool{}
	for _, band := range bands {
		if band == nil {
			continue
		}
		var spanning bool
		for col := firstPeriod; col <= lastCol; col++ {
			c, ok := cellAt(*band, col)
			if !ok {
				if band != &t.header && spanning {
					growth[col] = true
				}
				continue
			}
			spanning = false
			if c.Kind != extract.String {
				continue
			}
			if m, ok := r.dict.FindMeasure(c.Text); ok && m == schemas.MeasureGrowth {
				growth[col] = true
				spanning = band != &t.header || t.sub != nil
			}
		}
	}
	// Periods: the lowest header row that has one in the column.
	type colPeriod struct {
		col  int
		p    schemas.Period
		cell extract.Cell
	}
	var periods []colPeriod
	var growthOnly []int
	for col := firstPeriod; col <= lastCol; col++ {
		found := false
		for _, band := range []*extract.Row{t.sub, &t.header} {
			if band == nil {
				continue
			}
			if c, ok := cellAt(*band, col); ok {
				if p, ok := r.cellPeriod(c); ok {
					periods = append(periods, colPeriod{col, p, c})
					found = true
					break
				}
			}
		}
		if !found && growth[col] {
			if c, ok := cellAt(t.header, col); ok && c.Kind == extract.String {
				growthOnly = append(growthOnly, col)
			}
		}
	}
	levels := map[string]int{} // period -> column
	var levelCols []periodColumn
	for _, p := range periods {
		if growth[p.col] {
			continue
		}
		if prev, dup := levels[p.p.String()]; dup {
			r.note("%s: period %s appears again (first in column %s); column ignored", p.cell.Ref(), p.p, extract.ColumnName(prev))
			continue
		}
		levels[p.p.String()] = p.col
		levelCols = append(levelCols, periodColumn{col: p.col, period: p.p})
	}
	t.cols = append(t.cols, levelCols...)
	for _, p := range periods {
		if !growth[p.col] {
			continue
		}
		// against the period before it, or else the latest earlier
		// period of the table
		base := p.p.Prev()
		if !hasPeriod(levelCols, base) {
			found := false
			for _, lc := range levelCols {
				if lc.period.Type == p.p.Type && lc.period.Start().Before(p.p.Start()) && (!found || lc.period.Start().After(base.Start())) {
					base, found = lc.period, true
				}
			}
		}
		t.cols = append(t.cols, periodColumn{col: p.col, period: p.p, growth: true, base: base})
	}
	for _, col := range growthOnly {
		c, _ := cellAt(t.header, col)
		var left []periodColumn
		for _, p := range levelCols {
			if p.col < col {
				left = append(left, p)
			}
		}
		if len(left) < 2 {
			r.note("%s %q: a growth column needs two period columns to its left; ignored", c.Ref(), c.Text)
			continue
		}
		cur, base := left[len(left)-1], left[len(left)-2]
		t.cols = append(t.cols, periodColumn{col: col, period: cur.period, growth: true, base: base.period})
	}
	sort.Slice(t.cols, func(i, j int) bool { return t.cols[i].col < t.cols[j].col })
	if len(levelCols) == 0 {
		r.note("table at row %d: every period column is a growth rate; table skipped", t.header.Num)
		return false
	}
	for _, p := range t.cols {
		t.info.Columns = append(t.info.Columns, describeColumn(p))
	}
	return true
}

func hasPeriod(cols []periodColumn, p schemas.Period) bool {
	for _, c := range cols {
		if c.period == p {
			return true
		}
	}
	return false
}

func describeColumn(p periodColumn) string {
	if p.growth {
		return fmt.Sprintf("%s: growth %s vs %s", extract.ColumnName(p.col), p.period, p.base)
	}
	return fmt.Sprintf("%s: %s", extract.ColumnName(p.col), p.period)
}

// findLabelColumns picks the label column: the column left of the first
// period column that holds the most text below the header. Text columns
// left of it are outer labels ("Belgium" | "exports"), and a column between
// it and the figures whose cells are units is the table's unit column.
func (t *reportLayout) findLabelColumns() {
	first := t.cols[0].col
	if t.r.lay != nil && t.r.lay.labelCol > 0 {
		t.labelCol = t.r.lay.labelCol
		t.info.LabelCol = extract.ColumnName(t.labelCol)
		return
	}
	count := map[int]int{}
	units := map[int]int{}
	for _, row := range t.data {
		for _, c := range row.Cells {
			if c.Col < first && c.Kind == extract.String && !c.Merged {
				if t.isUnit(c.Text) {
					units[c.Col]++
					continue
				}
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
	for col := range count {
		if col < best {
			t.outerCols = append(t.outerCols, col)
		}
	}
	sort.Ints(t.outerCols)
	for col, n := range units {
		if col > best && n > 0 && (t.unitCol == 0 || n > units[t.unitCol]) {
			t.unitCol = col
		}
	}
	if len(t.outerCols) > 0 {
		var names []string
		for _, c := range t.outerCols {
			names = append(names, extract.ColumnName(c))
		}
		t.info.LabelCol = strings.Join(names, "+") + "+" + t.info.LabelCol
	}
	if t.unitCol > 0 {
		t.info.UnitFrom = "unit column " + extract.ColumnName(t.unitCol)
	}
}

// isUnit reports whether a text is a unit ("EUR mn", "%", "€ bn").
func (t *reportLayout) isUnit(s string) bool {
	_, _, ok := t.unitOf(s)
	return ok
}

func (t *reportLayout) unitOf(s string) (string, float64, bool) {
	s = strings.TrimSpace(s)
	if unit, scale, ok := t.r.dict.Unit(s); ok {
		// "EUR mn", not a label that happens to name a currency
		if len(schemas.Fold(s)) <= 4 {
			return unit, scale, true
		}
		return "", 0, false
	}
	switch strings.ToLower(strings.Trim(s, "() ")) {
	case "%", "percent", "pct", "procent", "pourcent", "pourcentage":
		return schemas.UnitPercent, 1, true
	}
	return "", 0, false
}

// findTitleAndUnit reads the title (the first text above the header) for the
// partner and reporter, and looks for a unit note anywhere in the table's
// region: above, in the header row or below.
func (t *reportLayout) findTitleAndUnit() {
	d := t.r.dict
	lay := t.r.lay
	for _, row := range t.region[:t.head] {
		if t.above != nil && row.Num == t.above.Num {
			continue
		}
		for _, c := range row.Cells {
			if c.Kind == extract.String && strings.TrimSpace(c.Text) != "" && t.info.Title == "" && !c.Merged {
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
	if lay != nil && lay.Partner != "" {
		t.partner = lay.Partner
	}
	if lay != nil && lay.Reporter != "" {
		t.reporter = lay.Reporter
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
	if lay != nil && lay.unit != "" {
		t.unit, t.scale = lay.unit, lay.scale
		t.info.UnitFrom = lay.Name()
	}
	for _, row := range t.region {
		if t.unit != "" {
			break
		}
		for _, c := range row.Cells {
			if c.Kind != extract.String || c.Merged || t.unitCol > 0 && c.Col == t.unitCol {
				continue
			}
			if unit, scale, ok := d.Unit(c.Text); ok {
				t.unit, t.scale = unit, scale
				t.info.UnitFrom = c.Ref()
				break
			}
		}
	}
	t.info.Unit, t.info.Scale = t.unit, t.scale
	if t.unit == "" && t.unitCol == 0 {
		t.info.UnitFrom = "default"
		t.info.Unit, t.info.Scale = schemas.UnitEUR, 1
	}
}

// read turns the data rows into observations.
func (t *reportLayout) read() error {
	var obs []schemas.Observation
	var findings []schemas.Finding
	first, last := t.labelCol, t.cols[len(t.cols)-1].col
	for _, c := range t.outerCols {
		first = min(first, c)
	}
	lastRow := t.header.Num
	blockFlow := ""
	carried := map[int]string{} // outer label column -> text carried down
	prevNum := 0
	noUnit := false
	for _, row := range t.data {
		if row.Num != prevNum+1 {
			clear(carried) // a blank row ends a block of labels
		}
		prevNum = row.Num
		label, ok := cellAt(row, t.labelCol)
		if !ok || label.Kind != extract.String {
			if hasFigures(row, t.cols) && !t.allMissing(row) {
				t.r.note("row %d: figures without a label in column %s; row skipped", row.Num, extract.ColumnName(t.labelCol))
			}
			continue
		}
		text := strings.TrimSpace(label.Text)
		var outer []string
		for _, col := range t.outerCols {
			if c, ok := cellAt(row, col); ok && c.Kind == extract.String {
				carried[col] = strings.TrimSpace(c.Text)
			}
			if s := carried[col]; s != "" {
				outer = append(outer, s)
			}
		}
		full := strings.Join(append(outer, text), " ")
		if _, _, isUnit := t.r.dict.Unit(text); isUnit && !hasFigures(row, t.cols) {
			continue
		}
		rep, flow, measure, skip, ok := t.parseLabel(text, full, blockFlow)
		if skip {
			continue
		}
		if !ok {
			if hasFigures(row, t.cols) {
				t.r.note("%s: label %q not understood (no reporter or flow found); row skipped", label.Ref(), full)
			}
			continue
		}
		if t.r.opts.Delimited {
			if err := t.r.checkWidth(row, last); err != nil {
				return err
			}
		}
		if measure == schemas.MeasureLevel {
			blockFlow = flow
		}
		t.info.Labels = append(t.info.Labels, fmt.Sprintf("%s %q → %s %s %s", label.Ref(), full, rep, flow, measure))
		rowUnit, rowScale := t.info.Unit, t.info.Scale
		if t.unitCol > 0 {
			if c, ok := cellAt(row, t.unitCol); ok {
				if u, s, ok := t.unitOf(c.Text); ok {
					rowUnit, rowScale = u, s
				}
			}
			if rowUnit == "" {
				rowUnit, rowScale = schemas.UnitEUR, 1
				noUnit = true
			}
		}
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
			o.Label = full
			o.Reporter, o.ReporterParent = rep, t.r.dict.Parent(rep)
			o.Partner, o.Flow, o.Measure = t.partner, flow, measure
			setPeriod(&o, col.period)
			unit, scale := rowUnit, rowScale
			if col.growth {
				o.Measure = schemas.MeasureGrowth
				o.BasePeriod = col.base.String()
			}
			if o.Measure != schemas.MeasureLevel {
				unit, scale = schemas.UnitPercent, 1
			}
			f := t.r.readFigure(c)
			if unit == schemas.UnitPercent && o.Measure == schemas.MeasureLevel && rowUnit == schemas.UnitPercent {
				o.Measure = schemas.MeasureShare
			}
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
	if (t.unit == "" && t.unitCol == 0 || noUnit) && len(obs) > 0 {
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

// allMissing reports whether every figure of a row is a missing mark.
func (t *reportLayout) allMissing(row extract.Row) bool {
	for _, col := range t.cols {
		if c, ok := cellAt(row, col.col); ok && !(c.Kind == extract.String && t.r.dict.IsMissing(c.Text)) {
			return false
		}
	}
	return true
}

// parseLabel reads a row label: "Belgium exports" is Belgium's level of
// exports, "% Flanders" is Flanders' share of the flow of the block above
// (blockFlow), "Flanders deficit" its deficit. full is the label with its
// outer labels ("Belgium exports" for "exports" under "Belgium"). A layout's
// labels come first.
func (t *reportLayout) parseLabel(text, full, blockFlow string) (reporter, flow, measure string, skip, ok bool) {
	d := t.r.dict
	if lay := t.r.lay; lay != nil {
		for _, key := range []string{foldKey(full), foldKey(text)} {
			m, found := lay.labels[key]
			if !found {
				continue
			}
			if m.Skip {
				return "", "", "", true, false
			}
			reporter, flow, measure = m.Reporter, m.Flow, m.Measure
			if reporter == "" {
				reporter = lay.Reporter
			}
			if flow == "" && measure == schemas.MeasureShare {
				flow = blockFlow
			}
			if flow == "" {
				flow = lay.Flow
			}
			return reporter, flow, measure, false, reporter != "" && flow != ""
		}
	}
	measure = schemas.MeasureLevel
	if m, ok := d.FindMeasure(full); ok {
		measure = m
	}
	if measure == schemas.MeasureGrowth {
		// a growth row ("Growth exports") is not a level; read its
		// figures as growth rates of the block's flow? No period base
		// is known: leave it unread.
		return "", "", "", false, false
	}
	reporter, ok = d.FindReporter(full)
	if !ok {
		reporter = t.reporter
	}
	flow, ok = d.FindFlow(full)
	if !ok && measure == schemas.MeasureShare {
		flow = blockFlow
	}
	if !ok && flow == "" && t.r.lay != nil {
		flow = t.r.lay.Flow
	}
	if reporter == "" || flow == "" {
		return "", "", "", false, false
	}
	return reporter, flow, measure, false, true
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

func hasFigures(row extract.Row, cols []periodColumn) bool {
	for _, col := range cols {
		if _, ok := cellAt(row, col.col); ok {
			return true
		}
	}
	return false
}
