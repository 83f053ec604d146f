package transform

import (
	"strings"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/vocab"
)

// Long tables whose column names the labels do not know (a statistics
// office's API: "INDUD;SITC;LAND;ENHED;TID;INDHOLD") are recognised by what
// their columns hold: one column of figures, one of periods, and columns of
// flows, areas, units and products that repeat row after row. The names
// still come first: content only gives a role to a column whose name gave
// none, and only roles the names left open.

// inferRows is how many rows below a header are looked at.
const inferRows = 120

// colProfile is what the cells of one column below a header hold.
type colProfile struct {
	col      int
	n        int // cells with a value
	numbers  int // figures (numbers, or text that reads as one, or a missing mark)
	integers int // numbers without a fraction
	periods  int // cells that read as periods
	years    int // numbers that are years (1900–2100)
	distinct map[string]bool
	// over distinct texts:
	texts, flows, flowWords, areas, worlds, units, scales int
}

// profile reads the columns of the rows below a header.
func (r *reader) profile(rows []extract.Row) map[int]*colProfile {
	ps := map[int]*colProfile{}
	seen := 0
	for _, row := range rows {
		if len(row.Cells) == 0 {
			if seen > 0 {
				break
			}
			continue
		}
		if seen++; seen > inferRows {
			break
		}
		for _, c := range row.Cells {
			p := ps[c.Col]
			if p == nil {
				p = &colProfile{col: c.Col, distinct: map[string]bool{}}
				ps[c.Col] = p
			}
			text := strings.TrimSpace(c.Text)
			if c.Kind == extract.Number {
				text = headerText(c)
			}
			if text == "" {
				continue
			}
			p.n++
			_, isPeriod := r.cellPeriod(c)
			if isPeriod {
				p.periods++
			}
			switch {
			case c.Kind == extract.Number:
				p.numbers++
				if c.Number == float64(int64(c.Number)) {
					p.integers++
					if c.Number >= 1900 && c.Number <= 2100 {
						p.years++
					}
				}
			case r.dict.IsMissing(text):
				p.numbers++
			default:
				if _, ok := r.parseValue(text); ok && !isPeriod {
					p.numbers++
				}
			}
			if len(p.distinct) >= 64 || p.distinct[text] {
				continue
			}
			p.distinct[text] = true
			if c.Kind == extract.Number {
				continue
			}
			p.texts++
			r.profileText(p, text)
		}
	}
	return ps
}

// profileText reads one distinct text of a column with the vocabularies.
func (r *reader) profileText(p *colProfile, text string) {
	d := r.dict
	if _, ok := d.Flow(text); ok {
		p.flows++
	} else if _, ok := d.Flow(codePart(text)); ok {
		p.flows++
	}
	if _, ok := d.FindFlow(text); ok {
		p.flowWords++
	}
	an := r.z.analyze(text, vocab.Context{})
	if an.world || an.total && len(an.areas) == 0 {
		p.worlds++
	}
	for _, v := range []string{text, withoutParen(text)} {
		if m, ok := r.z.areas.Exact(v, vocab.Context{}); ok && m.Area != nil {
			p.areas++
			break
		}
	}
	if an.currency != "" || len(an.currencyAmb) > 0 || an.scale > 0 || strings.Contains(text, "%") || d.IsQuantityUnit(text) {
		p.units++
	}
	if an.scale > 0 && an.currency == "" && len(an.currencyAmb) == 0 && len(an.flows) == 0 {
		p.scales++
	}
}

func (p *colProfile) share(k int) float64 {
	if p.n == 0 {
		return 0
	}
	return float64(k) / float64(p.n)
}

func (p *colProfile) textShare(k int) float64 {
	if p.texts == 0 {
		return 0
	}
	return float64(k) / float64(p.texts)
}

// repeats: the column's values repeat (a dimension), rather than differ
// from row to row.
func (p *colProfile) repeats() bool { return len(p.distinct) < 64 && len(p.distinct)*2 <= p.n }

// completeLong gives roles by content to the columns of a long table's
// header that their names did not explain, and returns the columns, or nil
// when the header and the rows below it do not make a long table (a figure
// column, a period, and a flow or area dimension).
func (r *reader) completeLong(head int, named map[int]headerColumn) map[int]headerColumn {
	cols := make(map[int]headerColumn, len(named))
	for col, h := range named {
		cols[col] = h
	}
	header := r.buf[head]
	rows := r.buf[head+1:]
	ps := r.profile(rows)
	if len(ps) == 0 {
		return nil
	}
	has := map[string]bool{}
	for _, h := range cols {
		has[h.role] = true
	}
	// columns whose names the labels know are not given roles by content:
	// those to skip ("FREQUENCY"), and a second column of a role taken
	// ("Observation status" beside OBS_STATUS)
	skip := map[int]bool{}
	for _, c := range header.Cells {
		if _, _, ok := r.dict.Column(c.Text); ok && c.Kind == extract.String {
			skip[c.Col] = true
		}
	}
	free := func(c extract.Cell) bool {
		_, named := cols[c.Col]
		return !named && !skip[c.Col] && ps[c.Col] != nil && ps[c.Col].n > 0
	}
	set := func(c extract.Cell, role string) {
		cols[c.Col] = headerColumn{role: role, rest: c.Text, cell: c}
		has[role] = true
	}
	// a column named for a dimension that holds figures: this is not a
	// long table ("Month | Exports | Imports | Trade balance", where the
	// last is named like a flow column)
	for col, h := range cols {
		switch h.role {
		case schemas.ColFlow, schemas.ColReporter, schemas.ColPartner, schemas.ColProduct, schemas.ColUnit:
			if p := ps[col]; p != nil && p.n > 0 && p.share(p.numbers) >= 0.9 && !p.repeats() {
				return nil
			}
		}
	}
	// the figures: the free numeric column with the most distinct values;
	// two such columns make a table of figures across, not a long table
	if !has[schemas.ColValue] {
		figureCols := 0
		for _, c := range header.Cells {
			if p := ps[c.Col]; free(c) && p.share(p.numbers) >= 0.9 && !p.repeats() && !(p.share(p.periods) >= 0.9 && p.years == p.integers) {
				figureCols++
			}
		}
		if figureCols > 1 {
			return nil
		}
		var best *colProfile
		var bestCell extract.Cell
		for _, c := range header.Cells {
			p := ps[c.Col]
			if !free(c) || p.share(p.numbers) < 0.9 || p.share(p.periods) >= 0.9 && p.years == p.integers {
				continue
			}
			if best == nil || len(p.distinct) >= len(best.distinct) {
				best, bestCell = p, c
			}
		}
		if best == nil {
			return nil
		}
		set(bestCell, schemas.ColValue)
	}
	for _, c := range header.Cells {
		p := ps[c.Col]
		if !free(c) {
			continue
		}
		switch {
		case !has[schemas.ColPeriod] && !has[schemas.ColYear] && p.share(p.periods) >= 0.9:
			set(c, schemas.ColPeriod)
		case !has[schemas.ColFlow] && p.texts > 0 && p.textShare(p.flows) >= 0.8:
			set(c, schemas.ColFlow)
		case !has[schemas.ColFlow] && p.texts > 0 && p.textShare(p.flowWords) >= 0.8:
			// "Exports in million of ECU/EURO", "International Trade >
			// Exports > Value (goods)": an indicator whose words name the flow
			// (and often the unit)
			set(c, schemas.ColFlow)
		case p.areas > 0 && p.textShare(p.areas+p.worlds) >= 0.7 && p.repeats() && p.share(p.numbers) < 0.5:
			an := r.z.analyze(c.Text, vocab.Context{})
			role := schemas.ColPartner
			if same := r.sameAreaColumn(rows, c.Col, cols); same != "" {
				// "LOCATION" KOR beside "Country" Korea: the code of the
				// same area
				set(c, same)
				continue
			}
			switch {
			case an.reporterWrd && !an.partnerWord:
				role = schemas.ColReporter
			case an.partnerWord:
			case p.worlds == 0 && !has[schemas.ColReporter]:
				// the first of two area columns is the reporter's; a
				// column with the World in it is the partner's
				if other := r.laterAreaColumn(header, c.Col, ps, cols); other {
					role = schemas.ColReporter
				}
			}
			if role == schemas.ColPartner && has[schemas.ColPartner] || role == schemas.ColReporter && has[schemas.ColReporter] {
				continue
			}
			set(c, role)
		case !has[schemas.ColScale] && p.texts > 0 && p.textShare(p.scales) >= 0.9 && p.repeats():
			// "PowerCode" Billions, "Unit multiplier" Thousands
			set(c, schemas.ColScale)
		case !has[schemas.ColUnit] && p.texts > 0 && p.textShare(p.units) >= 0.9 && p.repeats():
			set(c, schemas.ColUnit)
		}
	}
	// an indicator whose texts name the flow ("Merchandise exports, million
	// US dollar") is the flow column
	if !has[schemas.ColFlow] {
		// of the columns named as indicators ("Indicator Code" ITS_MTV_AX,
		// "Indicator" Merchandise exports...), the first whose texts do
		for _, c := range header.Cells {
			role, _, ok := r.dict.Column(c.Text)
			if p := ps[c.Col]; ok && role == schemas.ColIndicator && p != nil && p.texts > 0 && p.textShare(p.flowWords) >= 0.8 {
				cols[c.Col] = headerColumn{role: schemas.ColFlow, rest: c.Text, cell: c}
				has[schemas.ColFlow] = true
				break
			}
		}
	}
	// an area column named for a country ("land", "country") holding the
	// World is the partner's
	for col, h := range cols {
		p := ps[col]
		if h.role == schemas.ColReporter && p != nil && p.worlds > 0 && !has[schemas.ColPartner] {
			an := r.z.analyze(h.cell.Text, vocab.Context{})
			if !an.reporterWrd {
				h.role = schemas.ColPartner
				cols[col] = h
				has[schemas.ColPartner] = true
				has[schemas.ColReporter] = false
				for _, h2 := range cols {
					if h2.role == schemas.ColReporter {
						has[schemas.ColReporter] = true
					}
				}
			}
		}
	}
	if !has[schemas.ColProduct] && !has[schemas.ColProductCode] {
		for _, c := range header.Cells {
			p := ps[c.Col]
			if free(c) && p.texts >= 2 && p.share(p.numbers) < 0.5 && p.textShare(p.areas+p.worlds+p.flows+p.units) < 0.5 {
				set(c, schemas.ColProduct)
				break
			}
		}
	}
	if !has[schemas.ColValue] || !has[schemas.ColPeriod] && !has[schemas.ColYear] && !has[schemas.ColMonth] {
		return nil
	}
	if !has[schemas.ColFlow] && !has[schemas.ColReporter] && !has[schemas.ColPartner] {
		return nil
	}
	return cols
}

// laterAreaColumn reports whether another free column after col holds areas.
func (r *reader) laterAreaColumn(header extract.Row, col int, ps map[int]*colProfile, cols map[int]headerColumn) bool {
	for _, c := range header.Cells {
		if c.Col <= col {
			continue
		}
		if h, named := cols[c.Col]; named && h.role != schemas.ColPartner {
			continue
		}
		if p := ps[c.Col]; p != nil && p.texts > 0 && p.textShare(p.areas+p.worlds) >= 0.7 {
			return true
		}
	}
	return false
}

// inferLongHeader reads a row as the header of a long table whose column
// names the labels know only in part: every cell a name (no figure, no
// period), at least three of them, and rows below that complete the roles.
func (r *reader) inferLongHeader(head int) map[int]headerColumn {
	row := r.buf[head]
	if len(row.Cells) < 3 || head+3 >= len(r.buf) {
		return nil
	}
	for _, c := range row.Cells {
		if c.Kind != extract.String || strings.TrimSpace(c.Text) == "" {
			return nil
		}
		if _, ok := r.cellPeriod(c); ok {
			return nil
		}
	}
	return r.completeLong(head, r.headerRoles(row))
}

// sameAreaColumn returns the role of a named reporter or partner column
// that names the same area as column col, row by row (a code column beside
// a name column), or "".
func (r *reader) sameAreaColumn(rows []extract.Row, col int, cols map[int]headerColumn) string {
	code := func(row extract.Row, col int) string {
		s, _, ok := cellString(row, col)
		if !ok {
			return ""
		}
		for _, v := range []string{s, withoutParen(s)} {
			if m, ok := r.z.areas.Exact(v, vocab.Context{}); ok && m.Area != nil {
				return m.Area.Code
			}
		}
		if a, ok := r.z.areas.ByCode(codePart(s)); ok {
			return a.Code
		}
		return ""
	}
	for other, h := range cols {
		if h.role != schemas.ColReporter && h.role != schemas.ColPartner {
			continue
		}
		n, same := 0, 0
		for _, row := range rows[:min(len(rows), 40)] {
			a := code(row, col)
			if a == "" {
				continue
			}
			n++
			if a == code(row, other) {
				same++
			}
		}
		if n > 0 && same*10 >= n*9 {
			return h.role
		}
	}
	return ""
}
