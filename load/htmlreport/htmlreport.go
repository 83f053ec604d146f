// Package htmlreport writes OUT/report.html, the run's audit for people: one
// self-contained file (inline CSS and SVG, no script, nothing fetched) that
// shows, per input,
//
//   - each table as it appears in the sheet, with the cells the audit names
//     as wrong in red and the other cells of failed rules in orange (a
//     tooltip on each says why),
//   - the audit's verdicts (suspect cell, what it reads, what it should
//     read, the typing slip) and every finding with its explanation,
//   - a small chart per series (a reporter's exports, imports, ... over the
//     periods of the table), with the suspect points and their suggested
//     values,
//
// and the run summary (inputs, outputs, counts). What it draws is bounded
// whatever the delivery: at most 200 verdicts and 500 findings per input
// and 5,000 in all, each input saying how many more it has (every finding
// is in report.json and findings/*.parquet); long tables are summarised by
// their findings.
//
// In: the run report, the observations and the input files themselves
// (read again, through package extract, to show the tables as they are).
// Out: one HTML file, written under a temporary name and renamed into
// place when complete.
package htmlreport

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

// Limits of what the report shows, so that it stays readable (and small)
// for long tables and many inputs.
const (
	maxTableRows  = 40 // rows shown of a table; long tables show the rows around flagged cells
	maxTableCols  = 26
	maxCharts     = 24 // series charted per input, flagged ones first
	contextRows   = 2  // rows shown around a flagged cell of a long table
	maxCellsShown = 20000
	// Findings drawn: per input, verdicts and the rules' findings; in
	// all. The page says how many more each input has; every finding is
	// in report.json and findings/*.parquet.
	maxVerdictsShown = 200
	maxFindingsShown = 500
	maxShownInAll    = 5000
	maxNotesPerCell  = 5 // reasons in a flagged cell's tooltip
	// Revisions drawn; every one is in revisions/revisions.parquet.
	maxRevisionsShown = 500
)

// Options tune the report.
type Options struct {
	// Limits are passed to extract when the inputs are read again.
	Limits extract.Limits
	// Notes says, by input path, why an input's tables are not drawn
	// (its observations were left out of obs on purpose).
	Notes map[string]string
	// Open opens an input again to draw its tables; nil means
	// extract.Open. A caller that read the input from a snapshot passes
	// one that checks the file is still the one it read.
	Open func(path string, lim extract.Limits) (extract.Workbook, error)
}

// Write writes the report for rep to path. obs are the run's observations
// (of every loaded input). An input that cannot be read again is shown
// without its tables; other errors are returned.
func Write(ctx context.Context, path string, rep *schemas.Report, obs []schemas.Observation, opts Options) error {
	page, err := build(ctx, rep, obs, opts)
	if err != nil {
		return err
	}
	return load.WriteFileAtomic(path, func(w io.Writer) error {
		// file and sheet names that are not UTF-8 reach the page as
		// U+FFFD, as they reach the other outputs
		vw := &schemas.ValidUTF8Writer{W: w}
		if err := pageTemplate.Execute(vw, page); err != nil {
			return err
		}
		return vw.Flush()
	})
}

// page is what the template renders.
type page struct {
	Report   *schemas.Report
	Loaded   int
	Failed   int
	Obs      int
	Errors   int
	Warnings int
	Suspects int
	Inputs   []*inputView
	// Revisions drawn (of report.json's, largest first) and how many
	// more there are.
	Revisions     []schemas.RevisionReport
	MoreRevisions int
}

type inputView struct {
	ID           string
	Path         string
	Status       schemas.Status
	Error        string
	Obs          int
	Verdicts     []findingView
	Findings     []findingView
	AllVerdicts  int // of the input; Verdicts holds the first
	AllFindings  int
	MoreVerdicts int // not drawn
	MoreFindings int
	Tables       []*tableView
	Charts       []chartView
	Note         string // why tables are missing
}

type findingView struct {
	ID                                  string
	Severity                            schemas.Severity
	Rule, Sheet, Cells                  string
	Anchor                              string
	Suspect, Suggested, Slip, Actual    string
	Expected, Tolerance, Message, Class string
}

type tableView struct {
	Sheet, Range, Title string
	Cols                []string // column letters
	Rows                []rowView
}

type rowView struct {
	Num   int
	Gap   bool // a row standing for skipped rows
	Cells []cellView
}

type cellView struct {
	Text  string
	Class string // "", "num", plus "suspect" or "operand"
	Title string
}

type chartView struct {
	Title   string
	Unit    string
	SVG     template.HTML
	Flagged bool
}

func build(ctx context.Context, rep *schemas.Report, obs []schemas.Observation, opts Options) (*page, error) {
	p := &page{Report: rep, MoreRevisions: rep.RevisionsMore}
	p.Revisions = rep.Revisions
	if len(p.Revisions) > maxRevisionsShown {
		p.MoreRevisions += len(p.Revisions) - maxRevisionsShown
		p.Revisions = p.Revisions[:maxRevisionsShown]
	}
	t := rep.Tally()
	p.Loaded, p.Failed, p.Obs = t.Loaded, t.Failed, t.Observations
	p.Errors, p.Warnings, p.Suspects = t.Errors, t.Warnings, t.Suspects
	byFile := map[string][]schemas.Observation{}
	for _, o := range obs {
		byFile[o.File] = append(byFile[o.File], o)
	}
	findingsOf := map[string][]schemas.Finding{}
	for _, f := range rep.Findings {
		findingsOf[f.File] = append(findingsOf[f.File], f)
	}
	left := maxShownInAll
	for i, in := range rep.Inputs {
		v := &inputView{ID: "input-" + strconv.Itoa(i+1), Path: in.Path, Status: in.Status, Error: in.Error, Obs: in.Observations}
		p.Inputs = append(p.Inputs, v)
		if in.Status == schemas.StatusFailed {
			continue // its error is all there is
		}
		// Loaded and skipped inputs show their findings and tables; a
		// quarantined delivery its findings, which kept it from being
		// published.
		fileObs := byFile[in.Path]
		own := findingsOf[in.Path]
		var marks map[cellKey]*mark
		if len(fileObs) > 0 { // its tables are drawn
			marks = marksOf(own, in.Path)
		}
		decimals := map[cellKey]int{}
		for _, o := range fileObs {
			decimals[cellKey{o.Sheet, o.Cell}] = o.Decimals
		}
		for j := range own {
			f := &own[j]
			if f.Verdict() {
				v.AllVerdicts++
				if len(v.Verdicts) == maxVerdictsShown || left == 0 {
					v.MoreVerdicts++
					continue
				}
			} else {
				v.AllFindings++
				if len(v.Findings) == maxFindingsShown || left == 0 {
					v.MoreFindings++
					continue
				}
			}
			left--
			fv := viewOf(f, len(v.Verdicts)+len(v.Findings))
			if d, ok := decimals[cellKey{f.Sheet, f.SuspectCell}]; ok && f.Verdict() && d >= 0 {
				// The suspect's figures with its published decimals: 102.0, not 102.
				if f.Actual != nil {
					fv.Actual = strconv.FormatFloat(*f.Actual, 'f', d, 64)
				}
				if f.SuggestedValue != nil && f.Rule == schemas.RuleSuspect {
					fv.Suggested = strconv.FormatFloat(*f.SuggestedValue, 'f', d, 64)
				}
			}
			fv.ID = fmt.Sprintf("%s-f%d", v.ID, len(v.Verdicts)+len(v.Findings)+1)
			if f.Verdict() {
				v.Verdicts = append(v.Verdicts, fv)
			} else {
				v.Findings = append(v.Findings, fv)
			}
		}
		tables, err := tablesOf(ctx, in.Path, fileObs, marks, opts)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			v.Note = "The tables could not be read again: " + err.Error()
		}
		if note, ok := opts.Notes[in.Path]; ok && len(fileObs) == 0 {
			v.Note = note
		}
		v.Tables = tables
		v.Charts = chartsOf(fileObs, own, in.Path)
	}
	return p, nil
}

func viewOf(f *schemas.Finding, _ int) findingView {
	fv := findingView{
		Severity: f.Severity, Rule: f.Rule, Sheet: f.Sheet, Cells: strings.Join(f.Cells, ", "),
		Suspect: f.SuspectCell, Slip: f.Slip, Message: f.Message, Class: string(f.Severity),
		Suggested: schemas.FormatFigure(f.SuggestedValue), Actual: schemas.FormatFigure(f.Actual), Expected: schemas.FormatFigure(f.Expected), Tolerance: schemas.FormatFigure(f.Tolerance),
	}
	if len(f.Cells) > 0 {
		fv.Anchor = f.Cells[0]
	}
	if fv.Suspect == "" && len(f.Candidates) > 0 {
		fv.Suspect = strings.Join(f.Candidates, " | ") + "?"
	}
	return fv
}

// cellKey is a cell of an input.
type cellKey struct{ sheet, cell string }

type mark struct {
	suspect bool
	notes   []string
	more    int // findings naming the cell beyond notes
}

// marksOf collects, for the cells of file, whether a finding names them as
// wrong or as part of a failed rule.
func marksOf(fs []schemas.Finding, file string) map[cellKey]*mark {
	out := map[cellKey]*mark{}
	for i := range fs {
		f := &fs[i]
		wrong := map[string]bool{f.SuspectCell: f.SuspectCell != ""}
		for _, c := range f.Candidates {
			wrong[c] = true
		}
		for _, ref := range append(slices.Clone(f.Cells), f.Candidates...) {
			fl, sheet, cell := f.Locate(ref)
			if fl != file {
				continue
			}
			k := cellKey{sheet, cell}
			m := out[k]
			if m == nil {
				m = &mark{}
				out[k] = m
			}
			m.suspect = m.suspect || wrong[ref]
			if len(m.notes) == maxNotesPerCell {
				m.more++
				continue
			}
			note := f.Rule + ": " + f.Message
			if !slices.Contains(m.notes, note) {
				m.notes = append(m.notes, note)
			}
		}
	}
	return out
}

// parseA1 reads "B7" as column 2, row 7.
func parseA1(s string) (col, row int, ok bool) {
	i := 0
	for i < len(s) && s[i] >= 'A' && s[i] <= 'Z' {
		col = col*26 + int(s[i]-'A'+1)
		i++
	}
	if i == 0 || i == len(s) {
		return 0, 0, false
	}
	r, err := strconv.Atoi(s[i:])
	return col, r, err == nil && r > 0
}

// tableSpec is the part of a sheet to show for one table.
type tableSpec struct {
	sheet, rng     string
	r1, r2, c1, c2 int
	show           map[int]bool // rows to show of a long table; nil: all of r1..r2
}

// tablesOf reads the input again and cuts out its tables.
func tablesOf(ctx context.Context, path string, obs []schemas.Observation, marks map[cellKey]*mark, opts Options) ([]*tableView, error) {
	specs := map[[2]string]*tableSpec{}
	var order []*tableSpec
	for _, o := range obs {
		k := [2]string{o.Sheet, o.Table}
		s := specs[k]
		col, row, ok := parseA1(o.Cell)
		if !ok {
			continue
		}
		if s == nil {
			s = &tableSpec{sheet: o.Sheet, rng: o.Table, r1: row, r2: row, c1: 1, c2: col}
			if from, _, found := strings.Cut(o.Table, ":"); found {
				if _, hr, ok := parseA1(from); ok {
					s.r1 = hr
				}
			}
			if _, to, found := strings.Cut(o.Table, ":"); found {
				if tc, _, ok := parseA1(to); ok {
					s.c2 = max(s.c2, tc)
				}
			}
			specs[k] = s
			order = append(order, s)
		}
		s.r1, s.r2, s.c2 = min(s.r1, row), max(s.r2, row), max(s.c2, col)
	}
	for _, s := range order {
		s.r1 = max(1, s.r1-2) // the title above the header
		s.r2 += 2             // the unit note below
		s.c2 = min(s.c2, s.c1+maxTableCols-1)
		if s.r2-s.r1+1 > maxTableRows {
			s.show = map[int]bool{}
			for r := s.r1; r < s.r1+10; r++ {
				s.show[r] = true
			}
			for k := range marks {
				if k.sheet != s.sheet {
					continue
				}
				if _, row, ok := parseA1(k.cell); ok && row >= s.r1 && row <= s.r2 {
					for r := row - contextRows; r <= row+contextRows; r++ {
						s.show[r] = true
					}
				}
			}
		}
	}
	if len(order) == 0 {
		return nil, nil
	}
	open := opts.Open
	if open == nil {
		open = extract.Open
	}
	wb, err := open(path, opts.Limits)
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	grids := map[string]map[[2]int]extract.Cell{}
	for _, sheet := range wb.Sheets() {
		var mine []*tableSpec
		for _, s := range order {
			if s.sheet == sheet {
				mine = append(mine, s)
			}
		}
		if len(mine) == 0 {
			continue
		}
		g, err := readCells(ctx, wb, sheet, mine)
		if err != nil {
			return nil, err
		}
		grids[sheet] = g
	}
	var out []*tableView
	for _, s := range order {
		out = append(out, render(s, grids[s.sheet], marks))
	}
	return out, nil
}

// readCells reads the cells of a sheet that the specs show.
func readCells(ctx context.Context, wb extract.Workbook, sheet string, specs []*tableSpec) (map[[2]int]extract.Cell, error) {
	sr, err := wb.Open(ctx, sheet)
	if err != nil {
		return nil, err
	}
	defer sr.Close()
	maxRow := 0
	for _, s := range specs {
		maxRow = max(maxRow, s.r2)
	}
	g := map[[2]int]extract.Cell{}
	for len(g) < maxCellsShown {
		row, err := sr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if row.Num > maxRow {
			break
		}
		for _, s := range specs {
			if !s.shows(row.Num) {
				continue
			}
			for _, c := range row.Cells {
				if c.Col >= s.c1 && c.Col <= s.c2 {
					g[[2]int{c.Row, c.Col}] = c
				}
			}
		}
	}
	return g, nil
}

func (s *tableSpec) shows(row int) bool {
	if row < s.r1 || row > s.r2 {
		return false
	}
	return s.show == nil || s.show[row]
}

// render lays out one table as the sheet shows it.
func render(s *tableSpec, g map[[2]int]extract.Cell, marks map[cellKey]*mark) *tableView {
	t := &tableView{Sheet: s.sheet, Range: s.rng}
	for c := s.c1; c <= s.c2; c++ {
		t.Cols = append(t.Cols, extract.ColumnName(c))
	}
	gap := false
	for r := s.r1; r <= s.r2; r++ {
		if !s.shows(r) {
			if !gap {
				t.Rows = append(t.Rows, rowView{Num: r, Gap: true})
			}
			gap = true
			continue
		}
		gap = false
		rv := rowView{Num: r}
		for c := s.c1; c <= s.c2; c++ {
			cell, ok := g[[2]int{r, c}]
			cv := cellView{}
			if ok {
				cv.Text = display(cell)
				if cell.Kind == extract.Number {
					cv.Class = "num"
				}
				if t.Title == "" && cell.Kind == extract.String && r < s.r1+2 {
					t.Title = cell.Text
				}
			}
			if m := marks[cellKey{s.sheet, extract.CellName(c, r)}]; m != nil {
				cls := "operand"
				if m.suspect {
					cls = "suspect"
				}
				cv.Class = strings.TrimSpace(cv.Class + " " + cls)
				cv.Title = strings.Join(m.notes, "\n\n")
				if m.more > 0 {
					cv.Title += fmt.Sprintf("\n\n… and %d more findings name this cell", m.more)
				}
			}
			rv.Cells = append(rv.Cells, cv)
		}
		t.Rows = append(t.Rows, rv)
	}
	return t
}

// display shows a cell as the sheet does, as far as its number format's
// decimals and percent sign go.
func display(c extract.Cell) string {
	if c.Kind != extract.Number {
		return c.Text
	}
	if extract.IsDateFormat(c.Format) {
		return c.Text
	}
	v := c.Number
	suffix := ""
	if extract.IsPercentFormat(c.Format) {
		v *= 100
		suffix = "%"
	}
	d := extract.Decimals(c.Format)
	if d < 0 {
		return strconv.FormatFloat(v, 'f', -1, 64) + suffix
	}
	return strconv.FormatFloat(v, 'f', d, 64) + suffix
}

// series is one line of figures over periods.
type series struct {
	title   string
	unit    string
	points  []point
	flagged bool
}

type point struct {
	period    string
	start     int64
	value     float64
	suggested *float64
	suspect   bool
	cell      string
}

// chartsOf draws one chart per series of at least two periods, flagged
// series first.
func chartsOf(obs []schemas.Observation, fs []schemas.Finding, file string) []chartView {
	type sk struct{ sheet, table, reporter, partner, flow, product, measure string }
	bySeries := map[sk]*series{}
	var order []*series
	suspects := map[cellKey]*float64{}
	for i := range fs {
		f := &fs[i]
		if f.File == file && f.SuspectCell != "" && f.Verdict() {
			suspects[cellKey{f.Sheet, f.SuspectCell}] = f.SuggestedValue
		}
	}
	for _, o := range obs {
		if !o.HasValue {
			continue
		}
		k := sk{o.Sheet, o.Table, o.Reporter, o.Partner, o.Flow, o.Product, o.Measure}
		s := bySeries[k]
		if s == nil {
			title := o.Reporter + " " + o.Flow
			switch o.Measure {
			case schemas.MeasureShare:
				title = o.Reporter + " share of " + o.Flow
			case schemas.MeasureGrowth:
				title = o.Reporter + " " + o.Flow + " growth"
			}
			if o.Product != "" && o.Product != schemas.ProductTotal {
				title += " (" + o.Product + ")"
			}
			if o.Partner != "" {
				title += " — " + o.Partner
			}
			unit := "%"
			if o.Unit == schemas.UnitEUR {
				unit = "EUR " + scaleName(o.Scale)
			}
			s = &series{title: title, unit: unit}
			bySeries[k] = s
			order = append(order, s)
		}
		p := point{period: o.Period, start: o.PeriodStart.Unix(), value: o.Value, cell: o.Cell}
		if sug, ok := suspects[cellKey{o.Sheet, o.Cell}]; ok {
			p.suspect, p.suggested, s.flagged = true, sug, true
		}
		s.points = append(s.points, p)
	}
	slices.SortStableFunc(order, func(a, b *series) int {
		if a.flagged != b.flagged {
			if a.flagged {
				return -1
			}
			return 1
		}
		return 0
	})
	var out []chartView
	for _, s := range order {
		if len(s.points) < 2 {
			continue
		}
		if len(out) == maxCharts {
			break
		}
		slices.SortStableFunc(s.points, func(a, b point) int {
			return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.period, b.period))
		})
		out = append(out, chartView{Title: s.title, Unit: s.unit, SVG: svg(s), Flagged: s.flagged})
	}
	return out
}

func scaleName(scale float64) string {
	switch scale {
	case 1e9:
		return "billion"
	case 1e6:
		return "million"
	case 1e3:
		return "thousand"
	case 1:
		return ""
	}
	return "× " + strconv.FormatFloat(scale, 'g', -1, 64)
}

// svg draws a small line chart: the published figures as a line with
// dots, a suspect figure as a red dot and its suggested value as a hollow
// circle joined to it by a dashed line.
func svg(s *series) template.HTML {
	const w, h, padL, padR, padT, padB = 260.0, 120.0, 44.0, 18.0, 10.0, 22.0
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range s.points {
		lo, hi = min(lo, p.value), max(hi, p.value)
		if p.suggested != nil {
			lo, hi = min(lo, *p.suggested), max(hi, *p.suggested)
		}
	}
	if lo > 0 && s.unit != "%" {
		lo = 0
	}
	if hi == lo {
		hi, lo = hi+1, lo-1
	}
	x := func(i int) float64 {
		return padL + (w-padL-padR)*float64(i)/float64(max(1, len(s.points)-1))
	}
	y := func(v float64) float64 { return padT + (h-padT-padB)*(hi-v)/(hi-lo) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %g %g" width="%g" height="%g" role="img" aria-label="%s">`, w, h, w, h, template.HTMLEscapeString(s.title))
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" class="axis"/>`, padL, h-padB, w-padR, h-padB)
	fmt.Fprintf(&b, `<text x="%g" y="%g" class="tick" text-anchor="end">%s</text>`, padL-4, y(hi)+4, short(hi))
	fmt.Fprintf(&b, `<text x="%g" y="%g" class="tick" text-anchor="end">%s</text>`, padL-4, y(lo)+4, short(lo))
	if lo < 0 && hi > 0 {
		fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" class="zero"/>`, padL, y(0), w-padR, y(0))
	}
	var pts []string
	for i, p := range s.points {
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(p.value)))
	}
	fmt.Fprintf(&b, `<polyline points="%s" class="line"/>`, strings.Join(pts, " "))
	for i, p := range s.points {
		cls := "dot"
		if p.suspect {
			cls = "dot suspect"
		}
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" class="%s"><title>%s %s: %s</title></circle>`,
			x(i), y(p.value), cls, template.HTMLEscapeString(p.cell), template.HTMLEscapeString(p.period), short(p.value))
		if p.suggested != nil {
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="fixline"/>`, x(i), y(p.value), x(i), y(*p.suggested))
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" class="suggested"><title>suggested %s</title></circle>`,
				x(i), y(*p.suggested), short(*p.suggested))
		}
		if i == 0 || i == len(s.points)-1 || len(s.points) <= 6 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%g" class="tick" text-anchor="middle">%s</text>`, x(i), h-6, template.HTMLEscapeString(p.period))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // built from escaped text and numbers
}

func short(v float64) string {
	return strconv.FormatFloat(v, 'g', 4, 64)
}
