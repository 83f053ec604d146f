package transform

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/vocab"
	"github.com/xuri/excelize/v2"
)

// A long table has one figure per row and a column per dimension, named by
// its header: "reporter | partner | flow | year | value", or as download
// formats name them (Eurostat Comext DECLARANT | PARTNER | FLOW | PERIOD |
// VALUE_IN_EUROS; UN Comtrade reporterDesc | flowDesc | primaryValue;
// SDMX-CSV REPORTER | TIME_PERIOD | OBS_VALUE | UNIT_MULT). Formats that
// give their columns codes of their own (Comext FLOW 1 = imports) are
// recognised by their columns (labels.yaml, sources).

// longHeader returns the column roles of a row if it reads as the header of
// a long table: a value column, a year or period column, and at least one
// more known column.
func (r *reader) longHeader(row extract.Row) map[int]headerColumn {
	cols := r.headerRoles(row)
	roles := map[string]bool{}
	for _, h := range cols {
		roles[h.role] = true
	}
	if !roles[schemas.ColValue] || !roles[schemas.ColYear] && !roles[schemas.ColPeriod] && !roles[schemas.ColMonth] || len(roles) < 3 {
		return nil
	}
	return cols
}

// headerRoles returns the roles that the names of a row's cells give.
func (r *reader) headerRoles(row extract.Row) map[int]headerColumn {
	cols := map[int]headerColumn{}
	roles := map[string]int{} // role -> its column
	for _, c := range row.Cells {
		role, rest, ok := "", "", false
		if r.lay != nil && r.lay.longCol != nil {
			role, ok = r.lay.longCol[extract.ColumnName(c.Col)]
			if !ok && c.Kind == extract.String {
				role, ok = r.lay.longCol[foldKey(c.Text)]
			}
			if ok && c.Kind == extract.String {
				rest = c.Text // a unit in it ("Wert (Mio EUR)") is the column's
			}
		}
		if !ok {
			if c.Kind != extract.String {
				continue
			}
			role, rest, ok = r.dict.Column(c.Text)
		}
		if !ok || role == schemas.ColSkip {
			continue
		}
		if prev, dup := roles[role]; dup && role != schemas.ColReporter && role != schemas.ColPartner && role != schemas.ColUnit {
			// the column named exactly beats one whose name only starts
			// so ("Value" beats "Value Flag Code", "TIME_PERIOD" beats
			// "Time frequency")
			if cols[prev].rest == "" || rest != "" {
				continue
			}
			delete(cols, prev)
		}
		roles[role] = c.Col
		cols[c.Col] = headerColumn{role: role, rest: rest, cell: c}
	}
	return cols
}

type headerColumn struct {
	role string
	rest string // words after the column name: a unit note
	cell extract.Cell
}

// longLayout is a long table being read.
type longLayout struct {
	r        *reader
	cols     map[int]headerColumn
	byRole   map[string][]int // role -> columns, best first
	source   *schemas.Source
	ctx      *tableContext
	vctx     vocab.Context
	reporter *area // from the title, when there is no reporter column
	partner  *area
	flow     string
	unit     string
	scale    float64
	first    int
	last     int
	width    int // the header's last column: a data row reaching past it is torn
	headRow  int
	lastRow  int
	id       string
	obs      []schemas.Observation
	findings []schemas.Finding
	info     TableInfo
	memo     lookups
	unknown  map[string]string // names not in the area list -> first cell
	lang     string            // the language of its texts, when one leads
	// reporterAssumed: the reporter was read from the currency, not the
	// table
	reporterAssumed bool
	// rows whose unit is one of quantity ("Ton"): not read
	quantityRows int
	quantityUnit string
	noUnitSaid   bool
	// partnerAssumed: no partner column or title: figures read as trade
	// with the World
	partnerAssumed bool
	// qtyCol is the column of quantities beside the values (-1: none),
	// qtyUnit their unit, from its heading; productClass the product
	// classification the product columns' headings name, and euReporter
	// whether a reporter code is in the EU (for the shape of CN codes).
	qtyCol       int
	qtyUnit      string
	productClass string
	euReporter   map[string]bool
}

// lookups remembers what the vocabularies say about the texts of a long
// table's columns, which repeat row after row: each distinct text is read
// once. At most lookupLimit texts are remembered per column.
type lookups struct {
	area   map[string]area
	flow   map[string]flowName
	total  map[string]bool
	period map[periodKey]periodLookup
	label  map[schemas.Period]periodLabel
	unit   map[string]unitLookup
	scale  map[string]float64
}

const lookupLimit = 4096

type flowName struct {
	flow string
	ok   bool
}

type unitLookup struct {
	unit  string
	scale float64
	base  string
	ok    bool
	amb   []string // currencies a generic word ("Dollars") may name
}

// periodKey is a period cell: its number, or its text.
type periodKey struct {
	col    int
	kind   extract.Kind
	number float64
	text   string
	format string
}

type periodLookup struct {
	p  schemas.Period
	ok bool
}

type periodLabel struct {
	label string
	start time.Time
}

// remember returns f(key), from m when key was seen before. The key is
// copied into the map (and handed to f as that copy), so that the map does
// not keep the row it came from.
func remember[K comparable, V any](m *map[K]V, key K, clone func(K) K, f func(K) V) V {
	if v, ok := (*m)[key]; ok {
		return v
	}
	if *m == nil {
		*m = make(map[K]V)
	}
	if len(*m) >= lookupLimit {
		return f(key)
	}
	key = clone(key)
	v := f(key)
	(*m)[key] = v
	return v
}

// longTable reads the long table whose header is buf[head], streaming the
// rest of the sheet.
func (r *reader) longTable(start, head int, cols map[int]headerColumn) error {
	t := &longLayout{r: r, cols: cols, byRole: map[string][]int{}, headRow: r.buf[head].Num,
		unknown: map[string]string{}}
	t.info.Kind = "long"
	t.info.HeaderRow = t.headRow
	t.first, t.last = 1<<30, 0
	var folded []string
	order := make([]int, 0, len(t.cols))
	for col := range t.cols {
		order = append(order, col)
	}
	sort.Ints(order)
	for _, c := range r.buf[head].Cells {
		if c.Kind == extract.String {
			code, _, _ := strings.Cut(c.Text, ":")
			folded = append(folded, strings.Join(schemas.Fold(code), " "))
		}
	}
	if src := r.dict.Sources(folded); len(src) > 0 {
		t.source = &src[0]
	}
	for _, col := range order {
		h := t.cols[col]
		t.byRole[h.role] = append(t.byRole[h.role], col)
		t.first, t.last = min(t.first, col), max(t.last, col)
	}
	// areas: a column of ISO codes before one of other codes (Comext
	// DECLARANT_ISO before DECLARANT)
	for _, role := range []string{schemas.ColReporter, schemas.ColPartner} {
		sort.SliceStable(t.byRole[role], func(i, j int) bool {
			iso := func(col int) bool { return strings.Contains(strings.ToLower(t.cols[col].cell.Text), "iso") }
			return iso(t.byRole[role][i]) && !iso(t.byRole[role][j])
		})
	}
	t.id = rangeRef(t.first, t.headRow, t.last, t.headRow)
	for _, c := range r.buf[head].Cells {
		t.width = max(t.width, c.Col)
	}
	for _, col := range order {
		t.info.Columns = append(t.info.Columns, fmt.Sprintf("%s: %s", extract.ColumnName(col), t.cols[col].role))
	}
	if t.source != nil {
		t.info.Title = t.source.Name
	}
	t.codesAndQuantity()
	t.findContext(r.buf[start:head])
	if len(t.byRole[schemas.ColFlow]) == 0 && t.flow == "" {
		r.note("long table at row %d has no flow column and its title names no flow; table skipped", t.headRow)
		return nil
	}
	if len(t.byRole[schemas.ColReporter]) == 0 && t.reporter == nil {
		r.note("long table at row %d has no reporter column and its title names no reporter; table skipped", t.headRow)
		return nil
	}
	for _, row := range r.buf[head+1:] {
		if err := t.row(row); err != nil {
			return err
		}
	}
	r.buf = nil
	for !r.eof {
		if err := r.fill(1); err != nil {
			return err
		}
		for _, row := range r.buf {
			if err := t.row(row); err != nil {
				return err
			}
		}
		r.buf = r.buf[:0]
	}
	t.unknownFindings()
	if t.quantityRows > 0 {
		r.note("long table at row %d: %d rows in units of quantity (%q) are quantities, not values; not read", t.headRow, t.quantityRows, t.quantityUnit)
	}
	if err := t.flush(); err != nil {
		return err
	}
	t.info.Range = rangeRef(t.first, t.headRow, t.last, max(t.lastRow, t.headRow))
	r.info.Tables = append(r.info.Tables, t.info)
	return nil
}

// findContext reads the title and notes above the header and the header
// itself for the unit, and the title for a reporter, partner or flow that
// the table has no column for.
func (t *longLayout) findContext(above []extract.Row) {
	r := t.r
	gt := &gridTable{title: above}
	t.ctx = r.buildContext(gt, above)
	t.vctx = vocab.Context{Country: t.ctx.country}
	if t.lang = r.z.languageOf(t.texts(above)); t.lang != "" {
		t.vctx.Langs = []string{t.lang}
	}
	if rep := t.ctx.reporterOf(); rep != nil && rep.tier <= fromSheetTitle {
		a := t.areaOf(rep.m)
		t.reporter = &a
	}
	if par := t.ctx.partnerOf(); par != nil {
		a := t.areaOf(par.m)
		t.partner = &a
	}
	t.flow = t.ctx.flow
	t.unit, t.scale = t.ctx.currency, t.ctx.scale
	if t.unit != "" {
		t.info.UnitFrom = t.ctx.currRef
	}
	// the value column's header: "Value (EUR million)", "VALUE_IN_EUROS"
	for _, col := range t.byRole[schemas.ColValue] {
		h := t.cols[col]
		an := r.z.analyze(h.cell.Text, t.vctx)
		if an.currency != "" {
			t.unit, t.info.UnitFrom = an.currency, "header "+h.cell.Ref()
		}
		if an.scale > 0 {
			t.scale = an.scale
		}
	}
	if t.unit == "" && t.source != nil && t.source.ValueUnit != "" {
		t.unit, t.info.UnitFrom = t.source.ValueUnit, t.source.Name
	}
	if lay := r.lay; lay != nil {
		if lay.Reporter != "" {
			a := t.nameArea(lay.Reporter)
			t.reporter = &a
		}
		if lay.Partner != "" {
			a := t.nameArea(lay.Partner)
			t.partner = &a
		}
		if lay.Flow != "" {
			t.flow = lay.Flow
		}
		if lay.unit != "" {
			t.unit, t.scale, t.info.UnitFrom = lay.unit, lay.scale, lay.Name()
		}
	}
	if t.scale == 0 {
		t.scale = 1
	}
	if len(t.byRole[schemas.ColUnit]) > 0 && t.unit == "" {
		t.info.UnitFrom = "unit column"
	}
	t.info.Unit, t.info.Scale = t.unit, t.scale
	if t.reporter == nil && len(t.byRole[schemas.ColReporter]) == 0 {
		t.reporterFromCurrency()
	}
	if t.partner == nil && len(t.byRole[schemas.ColPartner]) == 0 {
		w := t.nameArea("World")
		t.partner = &w
		if t.ctx.world == nil {
			t.partnerAssumed = true
			t.findings = append(t.findings, schemas.Finding{
				Rule: schemas.RuleNoPartner, Severity: schemas.SeverityWarning, File: r.opts.File, Sheet: r.sheet,
				Cells:   []string{extract.CellName(t.first, t.headRow)},
				Message: "long table has no partner column and its title names no partner: figures read as trade with the World (all partners)",
			})
		}
	}
	if t.partner != nil {
		t.info.Partner = t.partner.name
	}
	if t.unit == "" && len(t.byRole[schemas.ColUnit]) == 0 {
		t.info.UnitFrom = "none"
	}
}

// noUnit says, once, that figures of the table have no unit: no unit
// column, no currency in the value header, the title or an indicator.
func (t *longLayout) noUnit() {
	if t.noUnitSaid {
		return
	}
	t.noUnitSaid = true
	t.findings = append(t.findings, schemas.Finding{
		Rule: schemas.RuleNoUnit, Severity: schemas.SeverityWarning,
		File: t.r.opts.File, Sheet: t.r.sheet,
		Cells:   []string{t.cols[t.byRole[schemas.ColValue][0]].cell.Ref()},
		Message: "long table has no unit (no unit column, no currency in the value header, an indicator or a note such as \"in million euro\"): figures kept without currency",
	})
}

// texts returns the texts of a long table that tell its language: the
// title, the header and the distinct texts of its first rows.
func (t *longLayout) texts(above []extract.Row) []string {
	var out []string
	seen := map[string]bool{}
	add := func(row extract.Row) {
		for _, c := range row.Cells {
			if c.Kind == extract.String && !seen[c.Text] && len(out) < 400 {
				seen[c.Text] = true
				out = append(out, c.Text)
			}
		}
	}
	for _, row := range above {
		add(row)
	}
	head := len(above)
	for _, row := range t.r.buf[head:min(len(t.r.buf), head+inferRows)] {
		add(row)
	}
	return out
}

// reporterFromCurrency: a table that names no reporter, in a national
// currency, is taken to be that country's (a Danish statistics download
// in "Mio. kr."), with a warning finding that says so.
func (t *longLayout) reporterFromCurrency() {
	cur, from := t.unit, t.info.UnitFrom
	if cols := t.byRole[schemas.ColUnit]; cur == "" && len(cols) > 0 {
		for _, row := range t.r.buf {
			if row.Num <= t.headRow {
				continue
			}
			if s, c, ok := cellString(row, cols[0]); ok {
				if u := t.readUnit(s); u.ok && u.unit != schemas.UnitPercent {
					cur, from = u.unit, c.Ref()
					break
				}
			}
		}
	}
	if cur == "" {
		return
	}
	country := t.r.z.countryOfCurrency(cur, t.lang)
	if country == "" {
		return
	}
	a := t.nameArea(country)
	if !a.known {
		return
	}
	t.reporter = &a
	t.reporterAssumed = true
	why := fmt.Sprintf("the currency %s (%s)", cur, from)
	if t.lang != "" {
		why += fmt.Sprintf(" of a table in %s", t.lang)
	}
	t.findings = append(t.findings, schemas.Finding{
		Rule: schemas.RuleReporterAssumed, Severity: schemas.SeverityWarning, File: t.r.opts.File, Sheet: t.r.sheet,
		Cells:   []string{extract.CellName(t.first, t.headRow)},
		Message: fmt.Sprintf("the table names no reporter: %s assumed from %s; name the reporter in a layout file if that is wrong", a.name, why),
	})
	t.info.Reporter = a.name
}

func (t *longLayout) areaOf(m mention) area {
	if m.Area == nil {
		return area{name: m.Name}
	}
	return t.areaFromVocab(m.Area)
}

func (t *longLayout) areaFromVocab(v *vocab.Area) area {
	a := area{name: v.Name, code: v.Code, known: true, kind: v.Kind}
	if v.Parent != "" {
		a.parent = v.Parent
		if p, ok := t.r.z.areas.ByCode(v.Parent); ok {
			a.parentName = p.Name
		}
	}
	return a
}

// nameArea resolves a name or code through the area list; a name the list
// does not know is kept as written.
func (t *longLayout) nameArea(s string) area {
	z := t.r.z
	if m, ok := z.areas.Exact(s, t.vctx); ok && m.Area != nil {
		return t.areaFromVocab(m.Area)
	}
	if a, ok := z.areas.ByCode(s); ok {
		return t.areaFromVocab(a)
	}
	return area{name: s}
}

// text returns the text of a cell ("" for none), numbers as written.
func cellString(row extract.Row, col int) (string, *extract.Cell, bool) {
	if col == 0 {
		return "", nil, false
	}
	c, ok := cellIn(row, col)
	if !ok {
		return "", nil, false
	}
	if c.Kind == extract.Number {
		return strconv.FormatFloat(c.Number, 'f', -1, 64), c, true
	}
	s := strings.TrimSpace(c.Text)
	return s, c, s != ""
}

// withoutParen removes a trailing remark in brackets: "Países Baixos
// (Holanda)" gives "Países Baixos".
func withoutParen(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, "("); i > 0 {
			return strings.TrimSpace(s[:i])
		}
	}
	return s
}

// codePart returns the code of an SDMX "code: label" value ("X: Exports"
// gives "X"), or the value.
func codePart(s string) string {
	if code, label, ok := strings.Cut(s, ":"); ok && strings.TrimSpace(label) != "" && !strings.Contains(strings.TrimSpace(code), " ") {
		return strings.TrimSpace(code)
	}
	return s
}

// area reads the reporter or partner of a row from the columns of a role,
// the first column that names a known area winning.
func (t *longLayout) area(row extract.Row, role string) (area, string, bool) {
	var first string
	var firstCell *extract.Cell
	for _, col := range t.byRole[role] {
		s, c, ok := cellString(row, col)
		if !ok {
			continue
		}
		a := remember(&t.memo.area, s, strings.Clone, func(s string) area {
			for _, v := range []string{s, withoutParen(s)} {
				if m, ok := t.r.z.areas.Exact(v, t.vctx); ok && m.Area != nil {
					return t.areaFromVocab(m.Area)
				}
			}
			if v, ok := t.r.z.areas.ByCode(codePart(s)); ok {
				return t.areaFromVocab(v)
			}
			return area{name: s}
		})
		if a.known {
			return a, c.Ref(), true
		}
		if first == "" {
			first, firstCell = s, c
		}
	}
	if firstCell != nil {
		name := first
		if _, label, ok := strings.Cut(first, ":"); ok && strings.TrimSpace(label) != "" {
			name = strings.TrimSpace(label)
		}
		if _, seen := t.unknown[name]; !seen && len(t.unknown) < 100 {
			t.unknown[name] = firstCell.Ref()
		}
		return area{name: name}, firstCell.Ref(), true
	}
	return area{}, "", false
}

// row reads one data row. Rows without a value cell (notes, sources,
// blank lines) are skipped.
func (t *longLayout) row(row extract.Row) error {
	d := t.r.dict
	valueCols := t.byRole[schemas.ColValue]
	vc, ok := cellIn(row, valueCols[0])
	if !ok {
		return nil
	}
	vcell := *vc
	if t.r.opts.Delimited {
		if err := t.r.checkWidth(row, t.width); err != nil {
			return err
		}
	}
	t.obs = append(t.obs, t.r.observation(vcell, t.id))
	o := &t.obs[len(t.obs)-1]
	o.Measure = schemas.MeasureLevel
	var problems []string
	if a, _, ok := t.area(row, schemas.ColReporter); ok {
		o.Reporter, o.ReporterCode, o.ReporterParent = a.name, a.code, a.parentName
	} else if t.reporter != nil {
		o.Reporter, o.ReporterCode, o.ReporterParent = t.reporter.name, t.reporter.code, t.reporter.parentName
	}
	if a, _, ok := t.area(row, schemas.ColPartner); ok {
		o.Partner, o.PartnerCode = a.name, a.code
	} else if t.partner != nil {
		o.Partner, o.PartnerCode = t.partner.name, t.partner.code
	}
	if cols := t.byRole[schemas.ColFlow]; len(cols) > 0 {
		if s, c, ok := cellString(row, cols[0]); ok {
			flow := remember(&t.memo.flow, s, strings.Clone, func(s string) flowName {
				if t.source != nil {
					if f, ok := t.source.Codes[schemas.ColFlow][strings.TrimSpace(s)]; ok {
						return flowName{f, true}
					}
				}
				for _, v := range []string{s, codePart(s)} {
					if f, ok := d.Flow(v); ok {
						return flowName{f, true}
					}
				}
				if f, ok := d.FindFlow(s); ok {
					return flowName{f, true}
				}
				return flowName{}
			})
			if !flow.ok {
				problems = append(problems, fmt.Sprintf("%s: flow %q not understood", c.Ref(), s))
			}
			o.Flow = flow.flow
		} else {
			o.Flow = t.flow
		}
	} else {
		o.Flow = t.flow
	}
	productCols, codeCols := t.byRole[schemas.ColProduct], t.byRole[schemas.ColProductCode]
	if len(productCols) > 0 {
		if s, _, ok := cellString(row, productCols[0]); ok {
			o.Label = s
			if remember(&t.memo.total, s, strings.Clone, d.IsTotal) {
				o.Product = schemas.ProductTotal
			} else {
				o.Product = s
			}
		}
	}
	if len(codeCols) > 0 {
		if s, _, ok := cellString(row, codeCols[0]); ok {
			o.ProductCode = s
			if len(productCols) == 0 {
				o.Product = s
				if remember(&t.memo.total, s, strings.Clone, d.IsTotal) {
					o.Product = schemas.ProductTotal
				}
			}
		}
	}
	if o.Product == "" {
		o.Product = schemas.ProductTotal
	}
	period, pcell, ok := t.period(row)
	if !ok {
		problems = append(problems, fmt.Sprintf("%s: period %q not understood", pcell.Ref(), pcell.Text))
	}
	label := remember(&t.memo.label, period, func(p schemas.Period) schemas.Period { return p }, func(p schemas.Period) periodLabel {
		return periodLabel{p.String(), p.Start()}
	})
	o.Period, o.PeriodType, o.Year, o.PeriodStart = label.label, period.Type, period.Year, label.start
	unit, scale := t.unit, t.scale
	base := ""
	// of several unit columns ("Unit Code" USM, "Unit" Million US
	// dollar), the first that is understood
	var unitProblem string
	for _, col := range t.byRole[schemas.ColUnit] {
		s, c, ok := cellString(row, col)
		if !ok {
			continue
		}
		u := remember(&t.memo.unit, s, strings.Clone, t.readUnit)
		if !u.ok && len(u.amb) > 0 {
			if cur := t.currencyOfReporter(o.ReporterCode, u.amb); cur != "" {
				u.unit, u.ok = cur, true
			}
		}
		if u.ok {
			unit, base = u.unit, u.base
			if u.scale > 1 {
				scale = u.scale
			}
			unitProblem = ""
			break
		}
		if d.IsQuantityUnit(s) {
			// a quantity ("Ton"), not a value: not output
			t.quantityRows++
			if t.quantityUnit == "" {
				t.quantityUnit = s
			}
			t.obs = t.obs[:len(t.obs)-1]
			return t.maybeFlush()
		}
		if unitProblem == "" {
			unitProblem = fmt.Sprintf("%s: unit %q not understood", c.Ref(), s)
		}
	}
	if unitProblem != "" {
		problems = append(problems, unitProblem)
	}
	if cols := t.byRole[schemas.ColScale]; len(cols) > 0 {
		if s, c, ok := cellString(row, cols[0]); ok {
			f := remember(&t.memo.scale, s, strings.Clone, func(s string) float64 {
				if v, ok := d.Code(schemas.ColScale, codePart(s)); ok {
					f, _ := strconv.ParseFloat(v, 64)
					return f
				}
				if f, ok := d.Scale(s); ok {
					return f
				}
				if s == "1" || strings.EqualFold(s, "units") {
					return 1
				}
				return 0
			})
			if f > 0 {
				scale = f
			} else {
				problems = append(problems, fmt.Sprintf("%s: unit multiplier %q not understood", c.Ref(), s))
			}
		}
	}
	// an indicator's text, or a flow column's ("Exports in million of
	// ECU/EURO"), may say the unit
	if cols := slices.Concat(t.byRole[schemas.ColIndicator], t.byRole[schemas.ColFlow]); len(cols) > 0 {
		for _, col := range cols {
			if s, _, ok := cellString(row, col); ok {
				u := remember(&t.memo.unit, "indicator:"+s, strings.Clone, func(k string) unitLookup {
					return t.readUnit(strings.TrimPrefix(k, "indicator:"))
				})
				if u.ok && unit == "" {
					unit = u.unit
					if u.scale > 1 {
						scale = u.scale
					}
				}
			}
		}
	}
	currency := unit
	if unit == schemas.UnitPercent {
		o.Measure = schemas.MeasureGrowth
		scale = 1
		currency = ""
		switch base {
		case "previous":
			o.BasePeriod = period.Prev().String()
		default:
			o.BasePeriod = period.YearAgo().String()
		}
	}
	f := t.r.readFigure(vcell)
	setFigure(o, f, unit, scale)
	o.Currency = currency
	t.setCodesAndQuantity(o, row)
	if cols := t.byRole[schemas.ColStatus]; len(cols) > 0 {
		if s, _, ok := cellString(row, cols[0]); ok {
			o.Status = codePart(s)
		}
	}
	if f.problem != "" {
		t.findings = append(t.findings, t.r.problemFinding(vcell, f))
	}
	if len(problems) > 0 {
		t.obs = t.obs[:len(t.obs)-1]
		t.findings = append(t.findings, schemas.Finding{
			Rule: schemas.RuleUnreadable, Severity: schemas.SeverityError,
			File: t.r.opts.File, Sheet: t.r.sheet, Cells: []string{vcell.Ref()},
			Message: fmt.Sprintf("row %d skipped: %s", row.Num, strings.Join(problems, "; ")),
		})
		return t.maybeFlush()
	}
	if o.Unit == "" && o.HasValue && len(t.byRole[schemas.ColUnit]) == 0 {
		t.noUnit()
	}
	t.lastRow = row.Num
	t.info.Rows++
	if t.r.opts.trace != nil {
		if o.ReporterCode == "" {
			t.r.assumed(o, schemas.RuleUnknownArea, o.Reporter)
		}
		if o.PartnerCode == "" {
			t.r.assumed(o, schemas.RuleUnknownArea, o.Partner)
		}
		if t.reporterAssumed {
			t.r.assumed(o, schemas.RuleReporterAssumed, o.Reporter)
		}
		if len(t.byRole[schemas.ColPartner]) == 0 && t.partnerAssumed {
			t.r.assumed(o, schemas.RuleNoPartner, o.Partner)
		}
		if o.Unit == "" && o.HasValue {
			t.r.assumed(o, schemas.RuleNoUnit, "")
		}
	}
	return t.maybeFlush()
}

// readUnit reads a unit cell: an ISO 4217 code, a unit code of a download
// ("MIO_EUR", "PCH_SM"), a "code: label" value ("CHF: Swiss franc"), or a
// unit note ("EUR million").
func (t *longLayout) readUnit(s string) unitLookup {
	d := t.r.dict
	for _, v := range []string{s, codePart(s)} {
		if u, ok := d.UnitCode(v); ok {
			return unitLookup{unit: u.Unit, scale: u.Scale, base: u.Base, ok: true}
		}
		if c, ok := t.r.z.curr.ByCode(strings.ToUpper(strings.TrimSpace(v))); ok {
			return unitLookup{unit: c.Code, ok: true}
		}
	}
	if strings.Contains(s, "%") {
		return unitLookup{unit: schemas.UnitPercent, scale: 1, ok: true}
	}
	an := t.r.z.analyze(s, t.vctx)
	if an.currency != "" {
		return unitLookup{unit: an.currency, scale: an.scale, ok: true}
	}
	return unitLookup{scale: an.scale, amb: an.currencyAmb}
}

// currencyOfReporter returns the one of the candidate currencies that the
// reporter's country uses ("Dollars" in a Canadian table: CAD).
func (t *longLayout) currencyOfReporter(code string, amb []string) string {
	z := t.r.z
	a, ok := z.areas.ByCode(code)
	if !ok {
		a, ok = z.areas.ByCode(t.ctx.country)
	}
	if !ok {
		return ""
	}
	if a.Parent != "" {
		if p, ok := z.areas.ByCode(a.Parent); ok {
			a = p
		}
	}
	for _, c := range a.Currencies {
		if contains(amb, c) {
			return c
		}
	}
	return ""
}

// unknownFindings reports the names of the table's reporter and partner
// columns that the area list does not know.
func (t *longLayout) unknownFindings() {
	names := make([]string, 0, len(t.unknown))
	for n := range t.unknown {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.findings = append(t.findings, schemas.Finding{
			Rule: schemas.RuleUnknownArea, Severity: schemas.SeverityWarning, File: t.r.opts.File, Sheet: t.r.sheet,
			Cells:   []string{t.unknown[n]},
			Message: fmt.Sprintf("%q is not in the area list: kept as written, without a code (add it to a labels file to give it a code and parent)", n),
		})
	}
}

// period reads the period of a row from its period or year columns: the
// first that holds a period ("refPeriodId 20220101" does not, "period
// 2022" does).
func (t *longLayout) period(row extract.Row) (schemas.Period, extract.Cell, bool) {
	var first *extract.Cell
	read := func(col int) (schemas.Period, extract.Cell, bool) {
		cp, ok := cellIn(row, col)
		if !ok {
			if first == nil {
				first = &extract.Cell{Row: row.Num, Col: col}
			}
			return schemas.Period{}, extract.Cell{}, false
		}
		c := *cp
		if first == nil {
			first = &c
		}
		key := periodKey{kind: c.Kind, format: c.Format, col: col}
		if c.Kind == extract.Number {
			key.number = c.Number
		} else {
			key.text = c.Text
		}
		p := remember(&t.memo.period, key, func(k periodKey) periodKey { k.text = strings.Clone(k.text); return k }, func(periodKey) periodLookup {
			return t.readPeriod(c)
		})
		return p.p, c, p.ok
	}
	for _, col := range t.byRole[schemas.ColPeriod] {
		if p, c, ok := read(col); ok {
			return p, c, true
		}
	}
	// a period without its year ("First quarter", "Q1", "Annual") beside
	// a year column
	if len(t.byRole[schemas.ColYear]) > 0 {
		for _, col := range t.byRole[schemas.ColPeriod] {
			pc, ok := cellIn(row, col)
			if !ok || pc.Kind != extract.String {
				continue
			}
			for _, ycol := range t.byRole[schemas.ColYear] {
				y, _, ok := read(ycol)
				if !ok || y.Type != schemas.PeriodYear {
					continue
				}
				if p, ok := t.periodInYear(pc.Text, y.Year); ok {
					return p, *pc, true
				}
			}
		}
	}
	// a month column ("01. Janeiro", "3", "2023M07") with a year column
	for _, col := range t.byRole[schemas.ColMonth] {
		if p, c, ok := read(col); ok && p.Type != schemas.PeriodYear {
			return p, c, true
		}
		cp, ok := cellIn(row, col)
		if !ok {
			continue
		}
		m := t.monthOf(*cp)
		if m == 0 {
			continue
		}
		for _, ycol := range t.byRole[schemas.ColYear] {
			if y, _, ok := read(ycol); ok && y.Type == schemas.PeriodYear {
				return schemas.Period{Type: schemas.PeriodMonth, Year: y.Year, Sub: m}, *cp, true
			}
		}
	}
	for _, col := range t.byRole[schemas.ColYear] {
		if p, c, ok := read(col); ok {
			return p, c, true
		}
	}
	if first == nil {
		return schemas.Period{}, extract.Cell{Row: row.Num}, false
	}
	return schemas.Period{}, *first, false
}

// periodInYear reads a period written without its year, in a year: "First
// quarter", "Q1", "M07", "Annual", "A".
func (t *longLayout) periodInYear(text string, year int) (schemas.Period, bool) {
	text = strings.TrimSpace(text)
	if text == "" {
		return schemas.Period{}, false
	}
	yr := strconv.Itoa(year)
	for _, s := range []string{text + " " + yr, yr + " " + text, yr + text} {
		if p, ok := t.r.cellPeriod(extract.Cell{Kind: extract.String, Text: s}); ok && p.Year == year {
			return p, true
		}
	}
	if strings.EqualFold(text, "A") || strings.EqualFold(text, "Y") {
		// the SDMX frequency code of a year
		return schemas.Period{Type: schemas.PeriodYear, Year: year}, true
	}
	return schemas.Period{}, false
}

// monthOf reads a month cell: a number 1–12 ("3", "03") or a month name
// with or without a number before it ("01. Janeiro", "March"). Other
// numbers (Comtrade's refMonth 52, the whole year) give 0.
func (t *longLayout) monthOf(c extract.Cell) int {
	if c.Kind == extract.Number {
		if c.Number >= 1 && c.Number <= 12 && c.Number == float64(int(c.Number)) {
			return int(c.Number)
		}
		return 0
	}
	if m, ok := vocab.MonthWord(strings.TrimSpace(c.Text)); ok {
		return m // "1月", "1월"
	}
	for _, tok := range periodTokens(c.Text) {
		if tok.isNum() {
			continue
		}
		if m, ok := vocab.MonthWord(tok.s); ok {
			return m
		}
	}
	s := strings.TrimSpace(c.Text)
	if isDigits(s) && len(s) <= 2 {
		n, _ := strconv.Atoi(s)
		if n >= 1 && n <= 12 {
			return n
		}
	}
	return 0
}

// readPeriod reads a period cell: any spelling the period parser knows, or
// YYYYMM as Comext and Comtrade write months (Comext writes the year as
// month 52).
func (t *longLayout) readPeriod(c extract.Cell) periodLookup {
	if p, ok := t.r.cellPeriod(c); ok {
		return periodLookup{p, true}
	}
	s := strings.TrimSpace(c.Text)
	if c.Kind == extract.Number {
		s = strconv.FormatFloat(c.Number, 'f', -1, 64)
	}
	if len(s) == 6 && isDigits(s) {
		y, _ := strconv.Atoi(s[:4])
		m, _ := strconv.Atoi(s[4:])
		if m == 52 || t.source != nil && t.source.PeriodAnnualMonth > 0 && m == t.source.PeriodAnnualMonth {
			return periodLookup{schemas.Period{Type: schemas.PeriodYear, Year: y}, y >= 1900 && y <= 2100}
		}
		p := schemas.Period{Type: schemas.PeriodMonth, Year: y, Sub: m}
		return periodLookup{p, p.Valid()}
	}
	return periodLookup{}
}

func (t *longLayout) maybeFlush() error {
	if len(t.obs) >= t.r.opts.BatchSize {
		return t.flush()
	}
	return nil
}

func (t *longLayout) flush() error {
	if len(t.obs) == 0 && len(t.findings) == 0 {
		return nil
	}
	if err := t.r.ctx.Err(); err != nil {
		return err
	}
	obs, findings := t.obs, t.findings
	t.obs, t.findings = make([]schemas.Observation, 0, t.r.opts.BatchSize+1), nil
	return t.r.emit(obs, findings)
}

// excelDate converts a date serial number to a time, in the workbook's date
// system.
func excelDate(serial float64, date1904 bool) (time.Time, error) {
	return excelize.ExcelDateToTime(serial, date1904)
}

// codesAndQuantity reads from the header what the rows' product
// classification and quantities are: the classification the product
// columns' headings name ("HS code", "PRODUCT_NC"), and the quantity
// column (net mass, supplementary units) with its unit. A heading that
// names a unit code (Comtrade's qtyUnitCode) holds no quantities.
func (t *longLayout) codesAndQuantity() {
	t.qtyCol = -1
	for _, role := range []string{schemas.ColProductCode, schemas.ColProduct} {
		for _, col := range t.byRole[role] {
			if c := schemas.HeadingClassification(t.cols[col].cell.Text); c != "" && t.productClass == "" {
				t.productClass = c
			}
		}
	}
	for _, col := range t.byRole[schemas.ColQuantity] {
		h := t.cols[col]
		if slices.Contains(schemas.Fold(h.cell.Text), "code") || strings.Contains(strings.ToLower(h.cell.Text), "unitcode") {
			continue
		}
		t.qtyCol = col
		if h.rest != "" {
			t.qtyUnit = schemas.QuantityUnit(h.rest)
		} else {
			t.qtyUnit = schemas.QuantityUnitIn(h.cell.Text)
		}
		break
	}
}

// setCodesAndQuantity sets the product classification of o and the
// quantity its row gives.
func (t *longLayout) setCodesAndQuantity(o *schemas.Observation, row extract.Row) {
	if o.ProductCode != "" || t.productClass != "" {
		o.ProductClass = schemas.ProductClassification(t.productClass, o.ProductCode, t.inEU(o.ReporterCode))
	}
	if t.qtyCol < 0 {
		return
	}
	c, ok := cellIn(row, t.qtyCol)
	if !ok {
		return
	}
	if q := t.r.readFigure(*c); q.problem == "" && q.missing == "" {
		o.HasQuantity, o.Quantity, o.QuantityUnit = true, q.value, t.qtyUnit
	}
}

// inEU reports whether the area code is an EU member state or in one.
func (t *longLayout) inEU(code string) bool {
	if code == "" {
		return false
	}
	if in, ok := t.euReporter[code]; ok {
		return in
	}
	if t.euReporter == nil {
		t.euReporter = map[string]bool{}
	}
	in := false
	if a, ok := t.r.z.areas.ByCode(code); ok {
		if eu, ok := t.r.z.areas.ByCode("EU27_2020"); ok && a.Country() != "" {
			in = slices.Contains(eu.Members, a.Country())
		}
	}
	t.euReporter[code] = in
	return in
}
