package transform

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/vocab"
)

// Options describe the file being read.
type Options struct {
	// Dict is the label vocabulary; Areas and Currencies the area and
	// currency lists. Nil means the built-in ones.
	Dict       *schemas.Dictionary
	Areas      *vocab.Areas
	Currencies *vocab.Currencies
	File       string // path recorded in every observation
	SHA256     string // hex digest of the file
	Date1904   bool   // date serials count from 1904
	// BatchSize is the number of observations per Emit call for long
	// tables. Default 8192.
	BatchSize int
	// Layouts override table detection for the sheets they match; nil
	// means detect everything.
	Layouts *Layouts
	// Delimited is set for CSV files: a data row wider than its table is
	// an error there (a value with an unquoted delimiter), where in a
	// workbook it is a note beside the table.
	Delimited bool

	analyzer *analyzer // shared by the sheets of a workbook

	// trace, when set (by tests), hears every label of an observation
	// that was assumed rather than read from its table, with the rule of
	// the warning finding that must say so.
	trace func(o *schemas.Observation, rule, detail string)
}

// assumed reports an assumed label of o to the trace, if any.
func (r *reader) assumed(o *schemas.Observation, rule, detail string) {
	if r.opts.trace != nil {
		r.opts.trace(o, rule, detail)
	}
}

// defaults fills the vocabularies left nil.
func (o *Options) defaults() error {
	if o.Dict == nil {
		d, err := schemas.DefaultDictionary()
		if err != nil {
			return err
		}
		o.Dict = d
	}
	if o.Areas == nil {
		o.Areas = vocab.DefaultAreas()
	}
	if o.Currencies == nil {
		o.Currencies = vocab.DefaultCurrencies()
	}
	return nil
}

// Errors of Workbook for files that hold nothing to read: no value at all,
// or no figure that could be read (meeting notes, a cover page, a table
// whose labels name nothing).
var (
	ErrEmptyFile = errors.New("the file is empty: none of its sheets holds a value")
	ErrNoFigures = errors.New("no figure could be read")
)

// Emit receives observations and findings as they are produced. It may be
// called many times per sheet; the slices are not reused by the caller
// after Emit returns, so Emit may keep them.
type Emit func(obs []schemas.Observation, findings []schemas.Finding) error

// SheetInfo describes what was found in a sheet.
type SheetInfo struct {
	Name string
	// Rows is the number of non-empty rows read.
	Rows   int
	Tables []TableInfo
	// Notes lists labels, headers and cells that could not be
	// interpreted, with their addresses.
	Notes []string
}

// TableInfo describes one detected table.
type TableInfo struct {
	Kind      string // "report", "transposed" or "long"
	Range     string // A1 range, e.g. "A1:F15"
	HeaderRow int
	LabelCol  string // report tables: the label column ("A")
	Title     string
	Reporter  string // the reporter the context names, and where
	Partner   string
	Unit      string
	Scale     float64
	UnitFrom  string   // where the unit came from ("A15", "header F3", "default")
	Columns   []string // "B: 2011", "D: growth 2012 vs 2011", "F: value"
	Labels    []string // report tables: "A4 Belgium exports → Belgium exports level"
	Rows      int      // observations read
}

// detectRows is how many rows are buffered to look for a table header.
const detectRows = 200

// Sheet reads one sheet: it finds the tables in it and emits their
// observations. A sheet without a table yields a SheetInfo with a note and
// no error.
func Sheet(ctx context.Context, name string, rows extract.SheetReader, opts Options, emit Emit) (SheetInfo, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 8192
	}
	if err := opts.defaults(); err != nil {
		return SheetInfo{Name: name}, err
	}
	z := opts.analyzer
	if z == nil {
		z = newAnalyzer(opts.Dict, opts.Areas, opts.Currencies)
	}
	r := &reader{ctx: ctx, dict: opts.Dict, opts: opts, sheet: name, src: rows, emit: emit, z: z}
	r.info.Name = name
	if m, ok := rows.(extract.MergeReader); ok {
		r.merges = m
	}
	r.lay = opts.Layouts.For(opts.File, name)
	if r.lay != nil {
		if r.lay.Skip {
			r.note("sheet skipped: %s says so", r.lay.Name())
			return r.info, nil
		}
		if r.lay.rng != nil {
			r.src = &rangeReader{src: rows, r: *r.lay.rng}
		}
	}
	if err := r.run(); err != nil {
		return r.info, err
	}
	return r.info, nil
}

// rangeReader passes on the cells of a sheet inside a range.
type rangeReader struct {
	src extract.SheetReader
	r   extract.Range
}

func (f *rangeReader) Next() (extract.Row, error) {
	for {
		row, err := f.src.Next()
		if err != nil {
			return row, err
		}
		if row.Num < f.r.FromRow {
			continue
		}
		if row.Num > f.r.ToRow {
			return extract.Row{}, io.EOF
		}
		var cells []extract.Cell
		for _, c := range row.Cells {
			if c.Col >= f.r.FromCol && c.Col <= f.r.ToCol {
				cells = append(cells, c)
			}
		}
		if len(cells) == 0 {
			continue
		}
		row.Cells = cells
		return row, nil
	}
}

func (f *rangeReader) Close() error { return f.src.Close() }

// Workbook reads every sheet of a workbook with Sheet. A file without any
// cell is an error (ErrEmptyFile); so is a file from which no figure is
// read (ErrNoFigures), saying what was seen and why nothing was read.
func Workbook(ctx context.Context, wb extract.Workbook, opts Options, emit Emit) ([]SheetInfo, error) {
	opts.Date1904 = wb.Date1904()
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	opts.analyzer = newAnalyzer(opts.Dict, opts.Areas, opts.Currencies)
	if d, ok := wb.(interface{ Delimited() bool }); ok && d.Delimited() {
		opts.Delimited = true
	}
	read := 0
	var why []string // what kept figures from being read
	infos, err := sheets(ctx, wb, opts, func(obs []schemas.Observation, findings []schemas.Finding) error {
		read += len(obs)
		for _, f := range findings {
			switch f.Rule {
			case schemas.RuleNoReporter, schemas.RuleNoPeriod:
				if len(why) < 2 && !contains(why, f.Message) {
					why = append(why, f.Message)
				}
			}
		}
		return emit(obs, findings)
	})
	if err != nil {
		return infos, err
	}
	rows, tables := 0, 0
	var names []string
	for _, in := range infos {
		rows += in.Rows
		tables += len(in.Tables)
		if in.Name != "" {
			names = append(names, strconv.Quote(in.Name))
		}
	}
	if rows == 0 {
		return infos, fmt.Errorf("read %s: %w", opts.File, ErrEmptyFile)
	}
	if read > 0 {
		return infos, nil
	}
	return infos, fmt.Errorf("read %s: %w: %s", opts.File, ErrNoFigures, noFigures(infos, tables, names, why))
}

// noFigures says what was seen in a workbook from which no figure could be
// read: its sheets, the tables found, and the first things not understood.
func noFigures(infos []SheetInfo, tables int, names, why []string) string {
	var b strings.Builder
	switch {
	case tables > 0:
		fmt.Fprintf(&b, "%d table(s) found, but none of their figures could be labelled", tables)
	case len(names) > 0:
		b.WriteString("no table found in any sheet (" + strings.Join(names, ", ") + "): no block of figures under a row of headings")
	default:
		b.WriteString("no table found: no block of figures under a row of headings")
	}
	notes := append([]string(nil), why...)
	for _, in := range infos {
		for _, n := range in.Notes {
			if len(notes) < 3 && !strings.HasPrefix(n, "no table found") {
				notes = append(notes, n)
			}
		}
	}
	if len(notes) > 0 {
		b.WriteString("; " + strings.Join(notes, "; "))
	}
	b.WriteString("; run `tradeetl inspect` on the file to see what was read, describe its tables in a layout file (--layout), or skip it with --exclude")
	return b.String()
}

func sheets(ctx context.Context, wb extract.Workbook, opts Options, emit Emit) ([]SheetInfo, error) {
	var infos []SheetInfo
	for _, name := range wb.Sheets() {
		rows, err := wb.Open(ctx, name)
		if err != nil {
			return infos, err
		}
		info, err := Sheet(ctx, name, rows, opts, emit)
		cerr := rows.Close()
		infos = append(infos, info)
		if err != nil {
			return infos, err
		}
		if cerr != nil {
			return infos, fmt.Errorf("read %s sheet %q: %w", opts.File, name, cerr)
		}
	}
	return infos, nil
}

type reader struct {
	ctx    context.Context
	dict   *schemas.Dictionary
	opts   Options
	sheet  string
	src    extract.SheetReader
	emit   Emit
	sep    Separator
	info   SheetInfo
	buf    []extract.Row // rows read ahead
	eof    bool
	lay    *Layout             // the layout file's entry for this sheet, if any
	merges extract.MergeReader // the sheet's merged ranges, if its reader knows them
	merged bool                // merges applied to buf
	// formats caches what each number format code of the sheet shows
	formats map[string]formatInfo
	z       *analyzer
	// wbContext holds texts of other sheets of the workbook that may tell
	// a table's reporter or unit
	wbContext []contextText
}

// formatInfo is what a number format shows: its decimals (-1 for General
// and formats without a fixed number), whether it shows a percentage, a
// date.
type formatInfo struct {
	decimals      int
	percent, date bool
}

// format returns what a number format shows; the few formats of a sheet
// are read once each.
func (r *reader) format(code string) formatInfo {
	if fi, ok := r.formats[code]; ok {
		return fi
	}
	fi := formatInfo{decimals: extract.Decimals(code), percent: extract.IsPercentFormat(code), date: extract.IsDateFormat(code)}
	if r.formats == nil {
		r.formats = map[string]formatInfo{}
	}
	if len(r.formats) < 1024 {
		r.formats[code] = fi
	}
	return fi
}

// fill reads rows into buf until it holds n rows or the sheet ends.
func (r *reader) fill(n int) error {
	for !r.eof && len(r.buf) < n {
		row, err := r.src.Next()
		if errors.Is(err, io.EOF) {
			r.eof = true
			break
		}
		if err != nil {
			return err
		}
		r.info.Rows++
		r.buf = append(r.buf, row)
	}
	return nil
}

// fillTo reads rows into buf until it holds row number num.
func (r *reader) fillTo(num int) error {
	for !r.eof && (len(r.buf) == 0 || r.buf[len(r.buf)-1].Num < num) {
		if err := r.fill(len(r.buf) + 1); err != nil {
			return err
		}
	}
	return nil
}

// maxGridRows bounds the rows of a sheet read as report tables; a sheet
// longer than that is a long table or not read.
const maxGridRows = 200000

// inferHeaderRows is how far down a sheet a long table's header is looked
// for by the content of the rows below it.
const inferHeaderRows = 40

func (r *reader) run() error {
	if err := r.fill(detectRows); err != nil {
		return err
	}
	r.sep = sniffSeparator(r.buf)
	if r.lay != nil && r.lay.HeaderRow > 0 {
		return r.runLayout()
	}
	for i := range r.buf {
		if cols := r.longHeader(r.buf[i]); cols != nil {
			if full := r.completeLong(i, cols); full != nil {
				cols = full
			}
			return r.longTable(0, i, cols)
		}
	}
	for i := range r.buf[:min(len(r.buf), inferHeaderRows)] {
		if cols := r.inferLongHeader(i); cols != nil {
			return r.longTable(0, i, cols)
		}
	}
	if err := r.fill(maxGridRows); err != nil {
		return err
	}
	if !r.eof {
		r.note("the sheet has more than %d rows and no header row of a long table (reporter, flow, period, value columns) in its first %d rows; not read", maxGridRows, detectRows)
		return nil
	}
	r.applyMerges()
	tables := r.splitSideBySide(r.segment(r.buf))
	if len(tables) == 0 {
		r.note("no table found: no block of figures under a row of headings")
		return nil
	}
	sheetTop := tables[0].title
	for _, t := range tables {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		if r.opts.Delimited {
			last := t.lastData
			for _, row := range t.header {
				for _, c := range row.Cells {
					last = max(last, c.Col)
				}
			}
			for _, row := range t.body {
				if err := r.checkWidth(row, last); err != nil {
					return err
				}
			}
		}
		if err := r.readWide(t, sheetTop); err != nil {
			return err
		}
	}
	return nil
}

func (r *reader) note(format string, args ...any) {
	r.info.Notes = append(r.info.Notes, fmt.Sprintf(format, args...))
}

// runLayout reads the one table whose header row a layout gives.
func (r *reader) runLayout() error {
	if err := r.fillTo(r.lay.HeaderRow); err != nil {
		return err
	}
	head := -1
	for i, row := range r.buf {
		if row.Num == r.lay.HeaderRow {
			head = i
		}
	}
	if head < 0 {
		r.note("%s: header row %d is empty or outside the sheet; nothing read", r.lay.Name(), r.lay.HeaderRow)
		return nil
	}
	kind := r.lay.Kind
	if kind == "" {
		if r.longHeader(r.buf[head]) != nil {
			kind = "long"
		} else {
			kind = "report"
		}
	}
	if kind == "long" {
		cols := r.longHeader(r.buf[head])
		if cols == nil {
			r.note("%s: row %d does not name a value and a year or period column; give them under columns", r.lay.Name(), r.lay.HeaderRow)
			return nil
		}
		return r.longTable(0, head, cols)
	}
	if err := r.fill(maxGridRows); err != nil {
		return err
	}
	r.applyMerges()
	t := &gridTable{title: r.buf[:head], header: []extract.Row{r.buf[head]}}
	minCol, maxCol := 1<<30, 0
	s := shaper{r: r}
	for _, row := range r.buf[head+1:] {
		shape, figs := s.shape(row)
		if shape != shapeData && shape != shapeText {
			continue
		}
		t.body = append(t.body, row)
		for _, c := range figs {
			minCol, maxCol = min(minCol, c), max(maxCol, c)
		}
	}
	if r.lay.reportCol != nil {
		for col := range r.lay.reportCol {
			minCol, maxCol = min(minCol, col), max(maxCol, col)
		}
	}
	if maxCol == 0 {
		r.note("%s: no figures below row %d", r.lay.Name(), r.lay.HeaderRow)
		return nil
	}
	t.firstData, t.lastData = minCol, maxCol
	for col := minCol; col <= maxCol; col++ {
		t.dataCols = append(t.dataCols, col)
	}
	return r.readWide(t, t.title)
}

// headerText returns the text of a header cell without footnote marks:
// "2013*" gives "2013", the number 2013 gives "2013".
func headerText(c extract.Cell) string {
	if c.Kind == extract.Number {
		return strconv.FormatFloat(c.Number, 'f', -1, 64)
	}
	s, _ := stripFootnote(strings.TrimSpace(c.Text))
	return s
}

// cellPeriod reads a header or period cell as a period: a year, quarter or
// month written as text or number, or a date serial with a date format.
func (r *reader) cellPeriod(c extract.Cell) (schemas.Period, bool) {
	if c.Kind == extract.Number && r.format(c.Format).date {
		t, err := excelDate(c.Number, r.opts.Date1904)
		if err != nil {
			return schemas.Period{}, false
		}
		return schemas.Period{Type: schemas.PeriodMonth, Year: t.Year(), Sub: int(t.Month())}, true
	}
	if c.Kind == extract.Number && c.Number != float64(int(c.Number)) {
		return schemas.Period{}, false
	}
	if c.Kind != extract.Number && c.Kind != extract.String {
		return schemas.Period{}, false
	}
	if p, ok := schemas.ParsePeriod(headerText(c)); ok {
		return p, true
	}
	if c.Kind == extract.String && r.z != nil {
		text, _ := stripMark(c.Text)
		if m, ok := r.z.periods.Parse(text); ok && !m.NoYear {
			return m.P, true
		}
	}
	return schemas.Period{}, false
}

// cellPeriodMatch reads a heading cell as a period, with or without its
// year.
func (r *reader) cellPeriodMatch(c extract.Cell) (periodMatch, bool) {
	if p, ok := r.cellPeriod(c); ok {
		return periodMatch{P: p}, true
	}
	if c.Kind == extract.String && r.z != nil {
		text, _ := stripMark(c.Text)
		return r.z.periods.Parse(text)
	}
	return periodMatch{}, false
}

// parseValue reads a figure written as text.
func (r *reader) parseValue(t string) (Number, bool) {
	n, err := ParseNumber(t, r.sep)
	return n, err == nil
}

// sniffSeparator decides how to read "1,234" in this sheet: if its text
// figures use decimal commas ("6,80") it is 1.234, otherwise 1234.
func sniffSeparator(rows []extract.Row) Separator {
	comma, point := 0, 0
	for _, row := range rows {
		for _, c := range row.Cells {
			if c.Kind != extract.String {
				continue
			}
			s := strings.TrimLeft(strings.TrimSpace(c.Text), "-+−")
			i := strings.LastIndexAny(s, ".,")
			if i <= 0 || i == len(s)-1 || !isDigits(s[:i]) && !strings.ContainsAny(s[:i], ".,") {
				continue
			}
			if g := s[i]; strings.IndexByte(s[:i], g) >= 0 && isDigits(s[i+1:]) && len(s)-i-1 == 3 {
				// "25.312.418": a separator written twice groups
				// thousands; the other one is the decimal
				if g == '.' {
					comma++
				} else {
					point++
				}
				continue
			}
			frac := s[i+1:]
			if !isDigits(frac) || len(frac) == 3 && !strings.ContainsAny(s[:i], ".,") {
				continue // "1,234" says nothing on its own
			}
			if s[i] == ',' {
				comma++
			} else {
				point++
			}
		}
	}
	switch {
	case comma > point:
		return SepDecimalComma
	case point > comma:
		return SepDecimalPoint
	}
	return SepUnknown
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// observation fills the fields every observation of this sheet shares.
func (r *reader) observation(c extract.Cell, table string) schemas.Observation {
	return schemas.Observation{
		File:       r.opts.File,
		FileSHA256: r.opts.SHA256,
		Sheet:      r.sheet,
		Cell:       c.Ref(),
		Table:      table,
		Product:    schemas.ProductTotal,
	}
}

// setPeriod sets the period fields of o.
func setPeriod(o *schemas.Observation, p schemas.Period) {
	o.Period = p.String()
	o.PeriodType = p.Type
	o.Year = p.Year
	o.PeriodStart = p.Start()
}

// setFigure sets the value fields of o from a figure, in unit × scale.
func setFigure(o *schemas.Observation, f figure, unit string, scale float64) {
	o.Text = f.text
	o.Status = f.status
	o.Unit, o.Scale = unit, scale
	if schemas.IsMoney(unit) {
		o.Currency = unit
	}
	if f.missing != "" || f.problem != "" {
		o.Missing = f.missing
		if o.Missing == "" {
			o.Missing = f.text
		}
		return
	}
	o.HasValue = true
	o.Value = f.value
	o.Digits = f.digits
	o.Decimals = f.decimals
	if schemas.IsMoney(unit) {
		o.HasValueBase = true
		o.ValueBase = f.value * scale
	}
	if unit == schemas.UnitEUR {
		o.HasValueEUR = true
		o.ValueEUR = f.value * scale
	}
}

// problemFinding reports a data cell that could not be read.
func (r *reader) problemFinding(c extract.Cell, f figure) schemas.Finding {
	sev := schemas.SeverityError
	if f.rule == schemas.RuleUnknownMark {
		sev = schemas.SeverityWarning
	}
	return schemas.Finding{
		Rule:     f.rule,
		Severity: sev,
		File:     r.opts.File,
		Sheet:    r.sheet,
		Cells:    []string{c.Ref()},
		Message:  f.problem,
	}
}

func rangeRef(col1, row1, col2, row2 int) string {
	return extract.CellName(col1, row1) + ":" + extract.CellName(col2, row2)
}
