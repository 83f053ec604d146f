package transform

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/vocab"
)

// A wide table is read cell by cell: each figure takes its dimensions from
// the labels of its row (left of the figures), the headings of its column
// (above the figures), the section row above it, and the table's context
// (title, unit note, sheet and file name), nearest first. The same reading
// serves report tables (reporters and flows down, periods across),
// partner tables (partners down, flows and periods across), transposed
// tables (periods down) and downloads with dimension columns (IMF, WITS,
// Eurostat TSV).

// colInfo is what the headings of a data column say.
type colInfo struct {
	col      int
	cells    []extract.Cell // heading cells, bottom first
	an       []*analysis    // their analyses, bottom first
	period   *schemas.Period
	periodAt string
	explicit []schemas.Period // periods named by a growth heading ("2023/2022")
	baseP    *schemas.Period  // the period a growth column compares with, once decided
	cands    [][2]schemas.Period
	baseWord string // periods down: "year_ago", "previous", or "" when arithmetic decides
	growth   bool
	index    bool // an index (base = 100), read like a growth rate
	share    bool
	base     string
	flow     string
	areas    []mention
	percent  bool
	currency string
	scale    float64
	total    bool
	status   string
	group    string // the topmost heading over it: columns under one group
	product  string // a product line named by the column's own heading ("Petroleras" under "Exportaciones")
	level    bool   // a level column (not growth, not share)
}

// rowInfo is what the labels of a body row say.
type rowInfo struct {
	row      extract.Row
	section  bool             // a section row: text only, no figures
	labels   []labelText      // label cells left to right (outer first), carried ones included
	an       []*analysis      // their analyses, same order
	sect     *analysis        // the section row above it, if any
	period   *schemas.Period  // a period label (transposed tables)
	partial  *periodMatch     // a period label without its year ("January" beside year columns)
	periodAt string           // where the period label is
	growth   bool             // a row of growth rates
	index    bool             // a row of indices (base = 100)
	share    bool             // a row of shares
	base     string           // its growth words' base: year_ago, previous
	explicit []schemas.Period // periods a growth row names
	baseP    *schemas.Period  // the period a growth row compares with, once decided
	flow     string
	areas    []mention
	total    bool
	ctryTot  bool
	ofWhich  bool
	indent   bool // label indented: a member of the aggregate above
	residual string
	status   string
	roleVals map[string]string // label columns with a role (dimension columns): role -> text
}

type labelText struct {
	col     int
	text    string
	cell    extract.Cell
	carried bool
}

// wide is a grid table being read.
type wide struct {
	r         *reader
	t         *gridTable
	ctx       *tableContext
	vctx      vocab.Context
	labelCols []int
	labelHead map[int]string   // label column -> its heading
	labelRole map[int]string   // label column -> role named by its heading
	colRole   role             // what areas in column headings are
	packed    map[int][]string // label column -> roles of its comma-separated parts (Eurostat TSV)
	cols      []*colInfo
	byCol     map[int]*colInfo
	rows      []*rowInfo
	info      TableInfo
	obs       []schemas.Observation
	growthOf  map[int]growthRef // observation index -> readings to test
	indexObs  map[int]bool      // observations that are indices, read as growth rates until emitted
	// pendingRowGrowth: the growth rate being built compares with a base
	// the figures are to decide
	pendingRowGrowth bool
	findings         []schemas.Finding
	notes            []string
	// assumptions, for findings: rule -> message -> cells
	assumed map[string]map[string][]string
}

// readWide reads one table of a sheet.
func (r *reader) readWide(t *gridTable, sheetTop []extract.Row) error {
	w := &wide{r: r, t: t, byCol: map[int]*colInfo{}, labelHead: map[int]string{}, labelRole: map[int]string{},
		assumed: map[string]map[string][]string{}}
	w.info.Kind = "report"
	if len(t.header) > 0 {
		// the header row: the top row of headings with periods, else the
		// bottom one (the table's id, table_range, is this row)
		w.info.HeaderRow = t.header[len(t.header)-1].Num
		for _, row := range t.header {
			if hasPeriodCell(r, row) {
				w.info.HeaderRow = row.Num
				break
			}
		}
	}
	w.ctx = r.buildContext(t, sheetTop)
	if lay := r.lay; lay != nil && lay.unit != "" {
		w.ctx.currency, w.ctx.scale, w.ctx.currRef, w.ctx.currAmb = lay.unit, lay.scale, lay.Name(), nil
		if lay.unit == schemas.UnitPercent {
			w.ctx.currency, w.ctx.percent = "", true
		}
	}
	w.vctx = vocab.Context{Country: w.ctx.country}
	if w.ctx.lang != "" {
		w.vctx.Langs = []string{w.ctx.lang}
	}
	if lay := r.lay; lay != nil && lay.Reporter != "" {
		if a, ok := r.z.areas.Exact(lay.Reporter, w.vctx); ok && a.Area != nil {
			w.vctx.Country = countryOf(a.Area)
		}
	}
	w.columns()
	if len(w.cols) == 0 {
		r.note("table at row %d: no column of figures under a heading; skipped", firstRowNum(t))
		return nil
	}
	w.readRows()
	w.monthsAsQuarters()
	w.decidePeriods()
	if err := w.build(); err != nil {
		return err
	}
	return w.emit()
}

func firstRowNum(t *gridTable) int {
	if len(t.header) > 0 {
		return t.header[0].Num
	}
	if len(t.body) > 0 {
		return t.body[0].Num
	}
	return 0
}

// columns reads the headings of the data columns and of the label columns.
func (w *wide) columns() {
	r, t := w.r, w.t
	// label columns: left of the first figure, and columns whose heading
	// names a dimension (a code column among the figures' columns)
	headAt := func(col int) (extract.Cell, bool) {
		for k := len(t.header) - 1; k >= 0; k-- {
			if c, ok := cellAt(t.header[k], col); ok && c.Kind == extract.String && strings.TrimSpace(c.Text) != "" {
				return c, true
			}
		}
		return extract.Cell{}, false
	}
	dataSet := map[int]bool{}
	for _, c := range t.dataCols {
		dataSet[c] = true
	}
	maxCol := t.lastData
	for _, row := range t.header {
		for _, c := range row.Cells {
			maxCol = max(maxCol, c.Col)
		}
	}
	minLabel := 1 << 30
	for _, row := range t.body {
		for _, c := range row.Cells {
			if c.Col < t.firstData {
				minLabel = min(minLabel, c.Col)
			}
		}
	}
	// the first column of figures: columns of codes, units and scales
	// ("Country Code | ... | Scale | 2023Q1") hold numbers but no figures
	roleOf := func(col int) (extract.Cell, bool, string) {
		h, hasHead := headAt(col)
		if !hasHead {
			return h, false, ""
		}
		if rl, _, ok := r.dict.Column(h.Text); ok && rl != schemas.ColValue && rl != schemas.ColPeriod && rl != schemas.ColYear && !w.headIsPeriod(h) {
			return h, true, rl
		}
		return h, true, ""
	}
	firstFig := 1 << 30
	for _, col := range t.dataCols {
		if _, _, role := roleOf(col); !codeRole(role) {
			firstFig = min(firstFig, col)
		}
	}
	if firstFig == 1<<30 {
		firstFig = t.firstData
	}
	for col := min(minLabel, t.firstData); col <= maxCol; col++ {
		h, hasHead, role := roleOf(col)
		if col >= firstFig && !codeRole(role) {
			role = ""
		}
		if col < firstFig || role != "" {
			w.labelCols = append(w.labelCols, col)
			if hasHead {
				w.labelHead[col] = strings.TrimSpace(h.Text)
			}
			if role != "" {
				w.labelRole[col] = role
			}
			continue
		}
		if !dataSet[col] && !w.headsColumn(col) {
			continue
		}
		w.addColumn(col)
	}
	// the roles of label columns are a download's dimension columns only
	// when several columns name one ("Reporter Name | Partner Name |
	// Trade Flow"); a lone "Country" heads partners as often as reporters
	dims := 0
	for _, role := range w.labelRole {
		if !codeRole(role) || role == schemas.ColIndicator || role == schemas.ColUnit {
			dims++
		}
	}
	if dims < 2 {
		for col, role := range w.labelRole {
			switch role {
			case schemas.ColReporterCode, schemas.ColPartnerCode, schemas.ColProductCode, schemas.ColSkip, schemas.ColUnit, schemas.ColScale:
			default:
				delete(w.labelRole, col)
			}
		}
	}
	// Eurostat TSV: "freq,indic_et,partner,geo\TIME_PERIOD" packs the
	// dimensions into one column
	for _, col := range w.labelCols {
		h := w.labelHead[col]
		if !strings.Contains(h, ",") {
			continue
		}
		head, _, _ := strings.Cut(h, "\\")
		if !strings.Contains(h, "\\") && strings.Contains(head, " ") {
			// "Country group, country" is a heading, not packed dimension
			// codes ("freq,partner,geo\TIME_PERIOD")
			continue
		}
		var roles []string
		known := 0
		for _, part := range strings.Split(head, ",") {
			role, _, ok := r.dict.Column(strings.TrimSpace(part))
			if !ok {
				// a dimension of its own ("sitc06", "indic_et"): its codes
				// tell series apart, so they are kept as the product
				role = schemas.ColProductCode
			} else if role != schemas.ColSkip {
				known++
			}
			roles = append(roles, role)
		}
		if known >= 2 {
			if w.packed == nil {
				w.packed = map[int][]string{}
			}
			w.packed[col] = roles
		}
	}
	// layout columns replace detection
	if lay := r.lay; lay != nil && lay.reportCol != nil {
		w.cols, w.byCol = nil, map[int]*colInfo{}
		for _, p := range lay.reportCol {
			ci := &colInfo{col: p.col}
			pp := p.period
			ci.period = &pp
			ci.periodAt = lay.Name()
			if p.growth {
				ci.growth = true
				ci.explicit = []schemas.Period{p.period, p.base}
			}
			ci.level = !ci.growth
			w.cols = append(w.cols, ci)
			w.byCol[p.col] = ci
		}
		sort.Slice(w.cols, func(i, j int) bool { return w.cols[i].col < w.cols[j].col })
	}
	if lay := r.lay; lay != nil && lay.labelCol > 0 {
		w.labelCols = []int{lay.labelCol}
	}
}

// monthsAsQuarters reads row periods that are months three apart (dates
// formatted "Mar-2022 | Jun-2022 | Sep-2022", as time-series workbooks date
// their quarters) as quarters: the quarter a quarter-end month ends, or a
// quarter-start month starts. The table says so in a note.
func (w *wide) monthsAsQuarters() {
	var ps []*schemas.Period
	for _, ri := range w.rows {
		if ri.period == nil {
			continue
		}
		if ri.period.Type != schemas.PeriodMonth {
			return
		}
		ps = append(ps, ri.period)
	}
	if len(ps) < 3 {
		return
	}
	ends, starts := true, true
	for k, p := range ps {
		ends = ends && p.Sub%3 == 0
		starts = starts && p.Sub%3 == 1
		if k > 0 {
			d := (p.Year*12 + p.Sub) - (ps[k-1].Year*12 + ps[k-1].Sub)
			if d != 3 && d != -3 {
				return
			}
		}
	}
	if !ends && !starts {
		return
	}
	for _, p := range ps {
		q := (p.Sub + 2) / 3
		*p = schemas.Period{Type: schemas.PeriodQuarter, Year: p.Year, Sub: q}
	}
	w.r.note("row periods are months three apart: read as the quarters they %s", map[bool]string{true: "end", false: "start"}[ends])
}

// romanNumeral reads "I" to "XII" (with a trailing dot).
func romanNumeral(s string) (int, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	for i, r := range []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"} {
		if s == r {
			return i + 1, true
		}
	}
	return 0, false
}

func maxOf(typ string) int {
	switch typ {
	case schemas.PeriodMonth:
		return 12
	case schemas.PeriodHalf:
		return 2
	}
	return 4
}

// romanType decides what a heading row of bare Roman numerals counts:
// months when it goes past IV, half years when the table's words speak of
// halves, else quarters.
func (w *wide) romanType(c extract.Cell) string {
	var row *extract.Row
	for i := range w.t.header {
		if w.t.header[i].Num == c.Row {
			row = &w.t.header[i]
		}
	}
	if row == nil {
		return ""
	}
	top := 0
	for _, x := range row.Cells {
		if n, ok := romanNumeral(headerCellText(x)); ok {
			top = max(top, n)
		}
	}
	switch {
	case top > 4:
		return schemas.PeriodMonth
	case top == 0:
		return ""
	}
	for _, ct := range w.ctx.texts {
		if _, ok := w.r.dict.Find(ct.text, schemas.KindHalf); ok {
			return schemas.PeriodHalf
		}
	}
	for _, hr := range w.t.header {
		for _, x := range hr.Cells {
			if x.Kind == extract.String {
				if _, ok := w.r.dict.Find(x.Text, schemas.KindHalf); ok {
					return schemas.PeriodHalf
				}
			}
		}
	}
	return schemas.PeriodQuarter
}

// hasPeriodCell reports whether a row holds a period heading.
func hasPeriodCell(r *reader, row extract.Row) bool {
	for _, c := range row.Cells {
		if _, ok := r.cellPeriod(c); ok {
			return true
		}
	}
	return false
}

// codeRole reports whether a column role holds codes or unit words, never
// figures.
func codeRole(role string) bool {
	switch role {
	case schemas.ColReporterCode, schemas.ColPartnerCode, schemas.ColProductCode, schemas.ColSkip, schemas.ColScale,
		schemas.ColStatus, schemas.ColUnit, schemas.ColIndicator:
		return true
	}
	return false
}

// headIsPeriod reports whether a heading is a period ("2023", "Q1 2023"),
// which makes its column one of figures even when a role word is in it.
func (w *wide) headIsPeriod(c extract.Cell) bool {
	_, ok := w.r.cellPeriodMatch(c)
	return ok
}

// headsColumn reports whether a column without figures still has a
// heading that makes it a data column (a growth column of "n.s." marks).
func (w *wide) headsColumn(col int) bool {
	if len(w.t.header) == 0 {
		return false
	}
	bottom := w.t.header[len(w.t.header)-1]
	c, ok := cellAt(bottom, col)
	if !ok {
		return false
	}
	if _, ok := w.r.cellPeriodMatch(c); ok {
		return true // a period heading over cells that are no figures ("abc")
	}
	for _, row := range w.t.body {
		if bc, ok := cellAt(row, col); ok && w.r.dict.IsMissing(bc.Text) {
			return c.Kind == extract.String || c.Kind == extract.Number
		}
	}
	return false
}

// addColumn reads the headings of a data column: bottom row first; a
// heading written once over several columns (merged, or followed by empty
// cells in a row above the bottom one) covers them all.
func (w *wide) addColumn(col int) {
	r, t := w.r, w.t
	ci := &colInfo{col: col}
	for k := len(t.header) - 1; k >= 0; k-- {
		row := t.header[k]
		if columnNumbersRow(row) {
			continue // "(1) | (2) | (3)": numbers the columns, names nothing
		}
		c, ok := cellAt(row, col)
		if ok && c.Kind == extract.String && strings.TrimSpace(c.Text) == "" {
			ok = false
		}
		if !ok && k < len(t.header)-1 {
			// spanning heading: the nearest heading to the left in this
			// row, if no heading of the row below starts between
			for cc := col - 1; cc >= t.firstData-1 && cc >= 1; cc-- {
				if lc, found := cellAt(row, cc); found && !(lc.Kind == extract.String && strings.TrimSpace(lc.Text) == "") {
					if lc.Kind == extract.String && cc >= t.firstData {
						c, ok = lc, true
						c.Merged = true
					}
					break
				}
			}
			if !ok {
				continue
			}
		}
		if !ok {
			continue
		}
		ci.cells = append(ci.cells, c)
	}
	ctx := w.vctx
	var partial *periodMatch
	// bare Roman numerals under a year ("2023" over "I | II | III | IV"):
	// quarters, or months when the row counts past IV, or half years
	// when the table speaks of halves
	if len(ci.cells) > 1 {
		if n, ok := romanNumeral(headerCellText(ci.cells[0])); ok {
			if typ := w.romanType(ci.cells[0]); typ != "" && n <= maxOf(typ) {
				partial = &periodMatch{P: schemas.Period{Type: typ, Sub: n}, NoYear: true}
			}
		}
	}
	// a growth heading above periods ("Veränderung in %" over "2023 :
	// 2022"): the periods under it are the growth's own
	for _, c := range ci.cells {
		if c.Kind != extract.Number && r.z.analyze(headerCellText(c), ctx).growth {
			ci.growth = true
		}
	}
	for _, c := range ci.cells {
		text := headerCellText(c)
		an := r.z.analyze(text, ctx)
		ci.an = append(ci.an, an)
		if an.mark != "" && ci.status == "" {
			ci.status = an.mark
		}
		if an.growth {
			ci.growth = true
		}
		if an.index {
			ci.index = true
		}
		if an.share && !an.growth {
			ci.share = true
		}
		if an.base != "" && ci.base == "" {
			ci.base = an.base
		}
		if f, ok := an.flow(); ok && ci.flow == "" {
			ci.flow = f
		}
		ci.areas = append(ci.areas, an.areas...)
		if an.percent {
			ci.percent = true
		}
		if an.currency != "" && ci.currency == "" {
			ci.currency = an.currency
		}
		if an.scale > 0 && ci.scale == 0 {
			ci.scale = an.scale
		}
		if an.total {
			ci.total = true
		}
		if c.Kind == extract.Number {
			if p, ok := r.cellPeriod(c); ok && ci.period == nil {
				ci.period, ci.periodAt = &p, c.Ref()
			}
			continue
		}
		switch {
		case ci.growth && len(an.periods) >= 1 && (len(an.periods) == 2 || an.growth):
			for _, m := range an.periods {
				ci.explicit = append(ci.explicit, m.P)
			}
			if partial == nil && an.partial != nil {
				partial = an.partial
			}
		case len(an.periods) == 1 && ci.period == nil && (partial == nil || an.periods[0].P.Type != schemas.PeriodYear):
			p := an.periods[0].P
			ci.period, ci.periodAt = &p, c.Ref()
		case len(an.periods) == 1 && ci.period == nil && partial != nil:
			p := withYear(partial.P, an.periods[0].P.Year)
			ci.period, ci.periodAt = &p, c.Ref()
		case an.partial != nil && partial == nil:
			partial = an.partial
		}
		if len(an.periods) == 0 && an.partial == nil && !an.growth && !an.share {
			ci.group = text // the topmost heading that is neither a period nor a measure
		}
	}
	// a period without its year over a year ("1. Halbjahr" over 2023 |
	// 2024): the half of that year
	if ci.period != nil && partial != nil && ci.period.Type == schemas.PeriodYear && partial.P.Type != schemas.PeriodYear {
		p := withYear(partial.P, ci.period.Year)
		ci.period = &p
	}
	// a period without its year takes the year of a heading above it
	// ("1er semestre" under "2023")
	if ci.period == nil && partial != nil {
		for _, an := range ci.an {
			for _, m := range an.periods {
				if m.P.Type == schemas.PeriodYear {
					p := withYear(partial.P, m.P.Year)
					ci.period = &p
					break
				}
			}
			if ci.period != nil {
				break
			}
		}
		if y := w.ctx.yearOfTitle(); ci.period == nil && y > 0 {
			p := withYear(partial.P, y)
			ci.period, ci.periodAt = &p, w.ctx.periodAt
		}
	}
	if ci.period != nil && len(ci.cells) > 0 && ci.periodAt == "" {
		ci.periodAt = ci.cells[0].Ref()
	}
	// a heading under a flow that names nothing else is a product line
	// ("Exportaciones" over "Totales | Petroleras | No petroleras")
	if len(ci.an) >= 2 && ci.flow != "" && ci.period == nil && partial == nil {
		if bottom := ci.an[0]; len(bottom.flows) == 0 && len(bottom.periods) == 0 && bottom.partial == nil &&
			!bottom.growth && !bottom.share && len(bottom.areas) == 0 && !bottom.percent && bottom.currency == "" {
			if _, _, isCol := r.dict.Column(bottom.text); !isCol || bottom.total {
				switch {
				case bottom.total:
					ci.product = schemas.ProductTotal
				case bottom.residual != "":
					ci.product = bottom.text
				}
			}
		}
	}
	// a growth heading with one period names the period it measures —
	// unless that period is the title's a year earlier: then it is the
	// base ("в % к январю-июню 2023г." under "январь-июнь 2024г.")
	if ci.growth && ci.period == nil && len(ci.explicit) == 1 {
		p := ci.explicit[0]
		if t := w.ctx.period; t != nil && t.P.YearAgo() == p {
			cur := t.P
			ci.period, ci.baseP = &cur, &p
			ci.explicit = []schemas.Period{cur, p}
		} else {
			ci.period = &p
		}
	}
	if ci.growth && ci.period != nil && len(ci.explicit) == 0 {
		ci.explicit = []schemas.Period{*ci.period}
	}
	for _, an := range ci.an {
		if an.difference && !an.growth && !an.share {
			// "Variation en valeur": a change in money between two
			// columns, not a figure tradeetl records
			w.r.note("column %s: %q is an absolute change between periods; not read", extract.ColumnName(col), an.text)
			return
		}
	}
	ci.level = !ci.growth && !ci.share
	w.cols = append(w.cols, ci)
	w.byCol[col] = ci
}

// headerCellText is the text of a heading cell, a number as written.
func headerCellText(c extract.Cell) string {
	if c.Kind == extract.Number {
		return fmt.Sprint(c.Number)
	}
	return c.Text
}

// readRows reads the labels of the body rows: outer label columns carry
// their text down until a blank row or a new value; a section row's text
// applies to the rows below it.
func (w *wide) readRows() {
	r, t := w.r, w.t
	carried := map[int]labelText{}
	var sect *analysis
	prevNum := 0
	dataSet := map[int]bool{}
	for _, c := range w.cols {
		dataSet[c.col] = true
	}
	innermost := 0
	for _, c := range w.labelCols {
		if w.labelRole[c] == "" {
			innermost = max(innermost, c)
		}
	}
	for _, row := range t.body {
		if prevNum != 0 && row.Num != prevNum+1 {
			clear(carried)
		}
		prevNum = row.Num
		ri := &rowInfo{row: row}
		hasFig := false
		for _, c := range row.Cells {
			if dataSet[c.Col] {
				hasFig = true
			}
		}
		for _, col := range w.labelCols {
			if _, packed := w.packed[col]; w.labelRole[col] == schemas.ColSkip && !packed {
				continue
			}
			c, ok := cellAt(row, col)
			if ok && (c.Kind == extract.String || c.Kind == extract.Number) && strings.TrimSpace(c.Text) != "" {
				lt := labelText{col: col, text: strings.TrimSpace(cellText(c)), cell: c}
				if c.Kind == extract.String && strings.HasPrefix(c.Text, " ") || c.Kind == extract.String && strings.HasPrefix(c.Text, "\u00a0") {
					ri.indent = true
				}
				ri.labels = append(ri.labels, lt)
				if col < innermost || w.labelRole[col] != "" {
					carried[col] = lt
				}
				continue
			}
			if lt, ok := carried[col]; ok && col < innermost && hasFig {
				lt.carried = true
				ri.labels = append(ri.labels, lt)
			}
		}
		if !hasFig {
			// a section row: its text heads the rows below
			if len(ri.labels) > 0 {
				text := ri.labels[len(ri.labels)-1].text
				sect = r.z.analyze(text, w.vctx)
				ri.section = true
				w.rows = append(w.rows, ri)
			}
			continue
		}
		ri.sect = sect
		w.rows = append(w.rows, ri)
		for _, lt := range ri.labels {
			if roles, ok := w.packed[lt.col]; ok {
				parts := strings.Split(lt.text, ",")
				if ri.roleVals == nil {
					ri.roleVals = map[string]string{}
				}
				for i, role := range roles {
					if i < len(parts) && role != schemas.ColSkip {
						ri.roleVals[role] = strings.TrimSpace(parts[i])
					}
				}
				continue
			}
			if role := w.labelRole[lt.col]; role != "" {
				if ri.roleVals == nil {
					ri.roleVals = map[string]string{}
				}
				if _, dup := ri.roleVals[role]; !dup {
					ri.roleVals[role] = lt.text
				}
				continue
			}
			text := lt.text
			if w.r.lay != nil {
				if _, ok := w.r.lay.labels[foldKey(text)]; ok {
					ri.an = append(ri.an, &analysis{text: text})
					continue
				}
			}
			an := r.z.analyze(text, w.vctx)
			ri.an = append(ri.an, an)
		}
		w.readRowAnalyses(ri)
		// "Total Asia" closes the section "ASIA": a "TOTAL" below it is
		// the table's total, not Asia's
		if sect != nil && closesSection(ri, sect) {
			sect = nil
		}
	}
}

// closesSection reports whether a row is the total of its section: a total
// word and the section's area ("Total Asia" under "ASIA").
func closesSection(ri *rowInfo, sect *analysis) bool {
	for _, an := range ri.an {
		if !an.total {
			continue
		}
		for _, m := range an.areas {
			for _, s := range sect.areas {
				if m.Name == s.Name {
					return true
				}
			}
		}
	}
	return false
}

// cellText is a label cell's text; numbers as written ("2023").
func cellText(c extract.Cell) string {
	if c.Kind == extract.Number {
		return fmt.Sprint(c.Number)
	}
	return c.Text
}

func (w *wide) readRowAnalyses(ri *rowInfo) {
	var partial *periodMatch
	for i := len(ri.an) - 1; i >= 0; i-- { // innermost first
		an := ri.an[i]
		if an.mark != "" && ri.status == "" {
			ri.status = an.mark
		}
		if f, ok := an.flow(); ok && ri.flow == "" {
			ri.flow = f
		}
		if an.index {
			ri.index = true
		}
		if an.growth {
			ri.growth = true
		} else if an.share {
			ri.share = true
		}
		if an.base != "" && ri.base == "" {
			ri.base = an.base
		}
		if an.areaGroup {
			// "AUSTRALIA AND OCEANIA": a group the list does not know, kept
			// as written
			if ri.residual == "" {
				ri.residual = an.text
			}
			continue
		}
		ri.areas = append(ri.areas, an.areas...)
		if (an.total || an.world) && len(an.areas) == 0 {
			ri.total = true // "Total", "Monde / Wereld"
		}
		if an.countryTot {
			ri.ctryTot = true
		}
		if an.ofWhich {
			ri.ofWhich = true
		}
		if ri.residual == "" && an.residual != "" {
			ri.residual = an.residual
		}
		switch {
		case ri.growth && len(an.periods) >= 1:
			for _, m := range an.periods {
				ri.explicit = append(ri.explicit, m.P)
			}
		case len(an.periods) == 1 && ri.period == nil && !an.growth:
			p := an.periods[0].P
			ri.period = &p
			ri.periodAt = ri.labels[min(i, len(ri.labels)-1)].cell.Ref()
		case an.partial != nil && partial == nil:
			partial = an.partial
		}
		if c, ok := labelCellPeriod(w, ri, i); ok && ri.period == nil {
			ri.period = &c
		}
	}
	if ri.period == nil && partial != nil {
		ri.partial = partial
		if ri.sect != nil && len(ri.sect.periods) == 1 && ri.sect.periods[0].P.Type == schemas.PeriodYear {
			// "2023" as a section row over "Ene", "Feb", ...
			p := withYear(partial.P, ri.sect.periods[0].P.Year)
			ri.period = &p
		} else if y := w.ctx.yearOfTitle(); y > 0 {
			p := withYear(partial.P, y)
			ri.period = &p
		}
	}
}

// labelCellPeriod reads a label cell that is a number or date as a period
// (a year in a transposed annual table).
func labelCellPeriod(w *wide, ri *rowInfo, i int) (schemas.Period, bool) {
	if i >= len(ri.labels) {
		return schemas.Period{}, false
	}
	c := ri.labels[i].cell
	if c.Kind != extract.Number {
		return schemas.Period{}, false
	}
	return w.r.cellPeriod(c)
}

// decidePeriods settles which axis carries the periods and what each
// growth column or row compares.
func (w *wide) decidePeriods() {
	colPeriods, rowPeriods := 0, 0
	for _, c := range w.cols {
		if c.period != nil || len(c.explicit) > 0 {
			colPeriods++
		}
	}
	for _, ri := range w.rows {
		if !ri.section && ri.period != nil {
			rowPeriods++
		}
	}
	w.info.Columns = nil
	switch {
	case colPeriods > 0 && colPeriods >= rowPeriods:
		w.info.Kind = "report"
		for _, ri := range w.rows {
			ri.period = nil // a label that looks like a period is not one here
		}
		w.resolveGrowthColumns()
	case rowPeriods > 0:
		w.info.Kind = "transposed"
		for _, c := range w.cols {
			c.period = nil
		}
		w.resolveGrowthRows()
	case w.ctx.period != nil:
		// the period is in the title only: a growth column measures it,
		// against the base its heading or the title names, else the same
		// period a year earlier
		for _, c := range w.cols {
			if !c.growth {
				continue
			}
			cur := w.ctx.period.P
			base := c.base
			if base == "" {
				base = w.ctx.base
			}
			b := cur.YearAgo()
			if base == "previous" {
				b = cur.Prev()
			}
			c.period, c.baseP = &cur, &b
		}
	}
	for _, c := range w.cols {
		w.info.Columns = append(w.info.Columns, w.describeCol(c))
	}
}

func (w *wide) describeCol(c *colInfo) string {
	var parts []string
	if c.flow != "" {
		parts = append(parts, c.flow)
	}
	for _, m := range c.areas {
		parts = append(parts, m.Name)
	}
	switch {
	case c.growth && c.period != nil && c.baseP != nil:
		parts = append(parts, fmt.Sprintf("growth %s vs %s", c.period, c.baseP))
	case c.growth:
		parts = append(parts, "growth")
	case c.share:
		parts = append(parts, "share")
	}
	if c.period != nil && !c.growth {
		parts = append(parts, c.period.String())
	}
	if len(parts) == 0 {
		parts = append(parts, "?")
	}
	return extract.ColumnName(c.col) + ": " + strings.Join(parts, " ")
}
