package transform

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/xuri/excelize/v2"
)

// longHeader returns the column roles of a row if it reads as the header of
// a long table: a value column, a year or period column, and at least one
// more known column.
func (r *reader) longHeader(row extract.Row) map[int]headerColumn {
	cols := map[int]headerColumn{}
	roles := map[string]bool{}
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
		if !ok || role == "skip" || roles[role] {
			continue
		}
		roles[role] = true
		cols[c.Col] = headerColumn{role: role, rest: rest, cell: c}
	}
	if !roles[schemas.ColValue] || !roles[schemas.ColYear] && !roles[schemas.ColPeriod] || len(roles) < 3 {
		return nil
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
	byRole   map[string]int // role -> column
	slot     [nSlots]int    // column of each slot, 0 for none
	title    string
	reporter string // from the title, when there is no reporter column
	partner  string
	flow     string
	unit     string
	scale    float64
	first    int // first column
	last     int // last column
	headRow  int
	lastRow  int
	id       string // the header row's range, which identifies the table
	obs      []schemas.Observation
	findings []schemas.Finding
	info     TableInfo
	memo     lookups
}

// lookups remembers what the dictionary says about the texts of a long
// table's columns, which repeat row after row (a handful of reporters,
// partners and flows, a few hundred products and periods): each distinct
// text is folded and looked up once. At most lookupLimit texts are
// remembered per column.
type lookups struct {
	reporter map[string]reporterName
	partner  map[string]string
	flow     map[string]flowName
	total    map[string]bool
	period   map[periodKey]periodLookup
	label    map[schemas.Period]periodLabel
}

const lookupLimit = 4096

type reporterName struct{ name, parent string }

type flowName struct {
	flow string
	ok   bool
}

// periodKey is a period cell: its number, or its text.
type periodKey struct {
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
func (r *reader) longTable(start, head int) error {
	t := &longLayout{r: r, cols: r.longHeader(r.buf[head]), byRole: map[string]int{}, headRow: r.buf[head].Num}
	t.info.Kind = "long"
	t.info.HeaderRow = t.headRow
	t.first, t.last = 1<<30, 0
	for col, h := range t.cols {
		t.byRole[h.role] = col
		t.first, t.last = min(t.first, col), max(t.last, col)
	}
	for slot, role := range slotRoles {
		t.slot[slot] = t.byRole[role]
	}
	t.id = rangeRef(t.first, t.headRow, t.last, t.headRow)
	for col := t.first; col <= t.last; col++ {
		if h, ok := t.cols[col]; ok {
			t.info.Columns = append(t.info.Columns, fmt.Sprintf("%s: %s", extract.ColumnName(col), h.role))
		}
	}
	t.findContext(r.buf[start:head])
	if _, ok := t.byRole[schemas.ColFlow]; !ok && t.flow == "" {
		r.note("long table at row %d has no flow column and its title names no flow; table skipped", t.headRow)
		return nil
	}
	if _, ok := t.byRole[schemas.ColReporter]; !ok && t.reporter == "" {
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
	d := t.r.dict
	for _, row := range above {
		for _, c := range row.Cells {
			if c.Kind != extract.String {
				continue
			}
			if t.title == "" {
				t.title = strings.TrimSpace(c.Text)
			}
			if t.unit == "" {
				if unit, scale, ok := d.Unit(c.Text); ok {
					t.unit, t.scale, t.info.UnitFrom = unit, scale, c.Ref()
				}
			}
		}
	}
	if col, ok := t.byRole[schemas.ColValue]; ok {
		if unit, scale, ok := d.Unit(t.cols[col].rest); ok {
			t.unit, t.scale, t.info.UnitFrom = unit, scale, "header "+t.cols[col].cell.Ref()
		}
	}
	t.info.Title = t.title
	t.reporter, _ = d.FindReporter(t.title)
	t.partner, _ = d.FindPartner(t.title)
	t.flow, _ = d.FindFlow(t.title)
	if lay := t.r.lay; lay != nil {
		if lay.Reporter != "" {
			t.reporter = lay.Reporter
		}
		if lay.Partner != "" {
			t.partner = lay.Partner
		}
		if lay.Flow != "" {
			t.flow = lay.Flow
		}
		if lay.unit != "" {
			t.unit, t.scale, t.info.UnitFrom = lay.unit, lay.scale, lay.Name()
		}
	}
	if _, ok := t.byRole[schemas.ColUnit]; ok && t.unit == "" {
		t.info.UnitFrom = "unit column"
	}
	if t.unit == "" && t.info.UnitFrom == "" {
		t.info.UnitFrom = "default"
		t.unit, t.scale = schemas.UnitEUR, 1
		t.findings = append(t.findings, schemas.Finding{
			Rule: RuleNoUnit, Severity: schemas.SeverityWarning,
			File: t.r.opts.File, Sheet: t.r.sheet,
			Cells:   []string{t.cols[t.byRole[schemas.ColValue]].cell.Ref()},
			Message: "long table has no unit (no unit column, no unit in the value header, no note such as \"in million euro\"): figures read as euro",
		})
	}
	t.info.Unit, t.info.Scale = t.unit, t.scale
	if t.partner == "" {
		t.partner = "World"
	}
	t.info.Partner = t.partner
}

// The columns a data row is read from, by slot (t.slot).
const (
	slotReporter = iota
	slotPartner
	slotFlow
	slotProduct
	slotProductCode
	slotPeriod
	slotYear
	slotValue
	slotUnit
	nSlots
)

var slotRoles = [nSlots]string{schemas.ColReporter, schemas.ColPartner, schemas.ColFlow, schemas.ColProduct,
	schemas.ColProductCode, schemas.ColPeriod, schemas.ColYear, schemas.ColValue, schemas.ColUnit}

// cell returns the cell in a slot's column.
func (t *longLayout) cell(row extract.Row, slot int) (*extract.Cell, bool) {
	col := t.slot[slot]
	if col == 0 {
		return nil, false
	}
	return cellIn(row, col)
}

// text returns the text of the cell in a slot's column, and the cell.
func (t *longLayout) text(row extract.Row, slot int) (string, *extract.Cell, bool) {
	c, ok := t.cell(row, slot)
	if !ok {
		return "", nil, false
	}
	if c.Kind == extract.Number {
		return strconv.FormatFloat(c.Number, 'f', -1, 64), c, true
	}
	return strings.TrimSpace(c.Text), c, true
}

// row reads one data row. Rows without a value cell (notes, sources,
// blank lines) are skipped.
func (t *longLayout) row(row extract.Row) error {
	d := t.r.dict
	vc, ok := t.cell(row, slotValue)
	if !ok {
		return nil
	}
	vcell := *vc
	if t.r.opts.Delimited {
		if err := t.r.checkWidth(row, t.last); err != nil {
			return err
		}
	}
	// the observation is built in place, and dropped again if the row
	// cannot be read
	t.obs = append(t.obs, t.r.observation(vcell, t.id))
	o := &t.obs[len(t.obs)-1]
	o.Measure = schemas.MeasureLevel
	var problems []string
	if s, _, ok := t.text(row, slotReporter); ok {
		rep := remember(&t.memo.reporter, s, strings.Clone, func(s string) reporterName {
			name := canonical(d.Reporter, d.FindReporter, s)
			return reporterName{name, d.Parent(name)}
		})
		o.Reporter, o.ReporterParent = rep.name, rep.parent
	} else {
		o.Reporter = t.reporter
		o.ReporterParent = d.Parent(o.Reporter)
	}
	if s, _, ok := t.text(row, slotPartner); ok {
		o.Partner = remember(&t.memo.partner, s, strings.Clone, func(s string) string {
			return canonical(d.Partner, d.FindPartner, s)
		})
	} else {
		o.Partner = t.partner
	}
	if s, c, ok := t.text(row, slotFlow); ok {
		flow := remember(&t.memo.flow, s, strings.Clone, func(s string) flowName {
			flow, ok := d.Flow(s)
			if !ok {
				flow, ok = d.FindFlow(s)
			}
			return flowName{flow, ok}
		})
		if !flow.ok {
			problems = append(problems, fmt.Sprintf("%s: flow %q not understood", c.Ref(), s))
		}
		o.Flow = flow.flow
	} else {
		o.Flow = t.flow
	}
	if s, _, ok := t.text(row, slotProduct); ok {
		o.Label = s
		if remember(&t.memo.total, s, strings.Clone, d.IsTotal) {
			o.Product = schemas.ProductTotal
		} else {
			o.Product = s
		}
	}
	if s, _, ok := t.text(row, slotProductCode); ok {
		o.ProductCode = s
		if t.slot[slotProduct] == 0 {
			o.Product = s
			if remember(&t.memo.total, s, strings.Clone, d.IsTotal) {
				o.Product = schemas.ProductTotal
			}
		}
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
	if s, c, ok := t.text(row, slotUnit); ok {
		if u, sc, ok := d.Unit(s); ok {
			unit, scale = u, sc
		} else if strings.Contains(s, "%") {
			unit, scale = schemas.UnitPercent, 1
		} else {
			problems = append(problems, fmt.Sprintf("%s: unit %q not understood", c.Ref(), s))
		}
	}
	if unit == "" {
		unit, scale = schemas.UnitEUR, 1
	}
	f := t.r.readFigure(vcell)
	setFigure(o, f, unit, scale)
	if f.problem != "" {
		t.findings = append(t.findings, t.r.problemFinding(vcell, f))
	}
	if len(problems) > 0 {
		t.obs = t.obs[:len(t.obs)-1]
		t.findings = append(t.findings, schemas.Finding{
			Rule: RuleUnreadable, Severity: schemas.SeverityError,
			File: t.r.opts.File, Sheet: t.r.sheet, Cells: []string{vcell.Ref()},
			Message: fmt.Sprintf("row %d skipped: %s", row.Num, strings.Join(problems, "; ")),
		})
		return t.maybeFlush()
	}
	t.lastRow = row.Num
	t.info.Rows++
	return t.maybeFlush()
}

// period reads the period of a row from its period or year column.
func (t *longLayout) period(row extract.Row) (schemas.Period, extract.Cell, bool) {
	for _, slot := range []int{slotPeriod, slotYear} {
		col := t.slot[slot]
		if col == 0 {
			continue
		}
		cp, ok := cellIn(row, col)
		if !ok {
			return schemas.Period{}, extract.Cell{Row: row.Num, Col: col}, false
		}
		c := *cp
		key := periodKey{kind: c.Kind, format: c.Format}
		if c.Kind == extract.Number {
			key.number = c.Number
		} else {
			key.text = c.Text
		}
		p := remember(&t.memo.period, key, func(k periodKey) periodKey { k.text = strings.Clone(k.text); return k }, func(periodKey) periodLookup {
			p, ok := t.r.cellPeriod(c)
			return periodLookup{p, ok}
		})
		return p.p, c, p.ok
	}
	return schemas.Period{}, extract.Cell{Row: row.Num}, false
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

// canonical maps a cell value to a dictionary name: exact match first
// ("BE"), then a name found inside it ("Flemish Region"), else the text.
func canonical(exact, find func(string) (string, bool), s string) string {
	if v, ok := exact(s); ok {
		return v
	}
	if v, ok := find(s); ok {
		return v
	}
	return s
}

// excelDate converts a date serial number to a time, in the workbook's date
// system.
func excelDate(serial float64, date1904 bool) (time.Time, error) {
	return excelize.ExcelDateToTime(serial, date1904)
}
