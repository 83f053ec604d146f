package transform

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/vocab"
)

// Where a table's context was read from: its own title rows, the rows
// above the first table of its sheet, the sheet's name, or the file's
// name. What comes from the sheet or file name was not read from the
// table: a warning finding says so.
const (
	fromTitle = iota
	fromSheetTitle
	fromNotes // the rows below the table: a source line, footnotes
	fromSheetName
	fromFileName
	fromOtherSheet
	fromCurrency // the national currency of the figures (and the table's language)
)

// contextText is one text of a table's context and where it is.
type contextText struct {
	text string
	ref  string // cell ("A1"), or "sheet name", "file name"
	tier int
	an   *analysis
}

// tableContext is what a table's title, notes and surroundings say: the
// reporter and partner, the flow and period when the table has none, the
// unit and scale, the base of its growth rates, and abbreviations it
// defines ("Área Metropolitana de Lisboa (AML)").
type tableContext struct {
	texts   []contextText
	country string // code of the country the table is about
	// countryFrom says where country came from when no area named it: "the
	// currency KES (A1)"
	countryFrom string
	countryArea *vocab.Area
	lang        string       // the language its texts are written in, when one leads
	world       *contextText // a phrase meaning all partners
	flow        string
	flowRef     string
	period      *periodMatch
	periodAt    string
	currency    string
	currRef     string
	currAmb     []string
	scale       float64
	scaleRef    string
	percent     bool
	base        string
	abbrev      map[string]string // "aml" -> "Área Metropolitana de Lisboa"
	areas       []contextArea     // every area named, in order
}

// contextArea is an area named in a table's context.
type contextArea struct {
	m    mention
	ref  string
	tier int
}

var reAbbrev = regexp.MustCompile(`([\p{Lu}][\p{L}'’.-]*(?:\s+(?:[\p{Lu}][\p{L}'’.-]*|de|da|do|di|del|della|of|the|van|von|la|le))*)\s*\(([\p{Lu}][\p{Lu}.]{1,7})\)`)

// buildContext reads a table's context texts, in order of trust: own title
// rows, the sheet's top rows, notes below the table, the sheet name and the
// file name.
func (r *reader) buildContext(t *gridTable, sheetTop []extract.Row) *tableContext {
	c := &tableContext{abbrev: map[string]string{}}
	add := func(text, ref string, tier int) {
		text = strings.TrimSpace(text)
		if text == "" {
			return
		}
		c.texts = append(c.texts, contextText{text: text, ref: ref, tier: tier})
	}
	for _, row := range t.title {
		for _, cell := range row.Cells {
			if cell.Kind == extract.String && !cell.Merged {
				add(cell.Text, cell.Ref(), fromTitle)
			}
		}
	}
	// the header's corner, above the labels: "EUR million", "(in %)"
	for _, row := range t.header {
		for _, cell := range row.Cells {
			if cell.Kind == extract.String && !cell.Merged && cell.Col < t.firstData {
				add(cell.Text, cell.Ref(), fromTitle)
			}
		}
	}
	if !sameRows(sheetTop, t.title) {
		for _, row := range sheetTop {
			for _, cell := range row.Cells {
				if cell.Kind == extract.String && !cell.Merged {
					add(cell.Text, cell.Ref(), fromSheetTitle)
				}
			}
		}
	}
	for _, row := range t.notes {
		for _, cell := range row.Cells {
			if cell.Kind == extract.String && !cell.Merged {
				add(cell.Text, cell.Ref(), fromNotes)
			}
		}
	}
	if r.sheet != "" {
		add(r.sheet, "sheet name", fromSheetName)
	}
	add(fileWords(r.opts.File), "file name", fromFileName)
	for _, extra := range r.wbContext {
		add(extra.text, extra.ref, fromOtherSheet)
	}
	// the country the table is about: first pass without context
	for i := range c.texts {
		ct := &c.texts[i]
		an := r.z.analyze(ct.text, vocab.Context{})
		for _, m := range an.areas {
			if m.Area == nil || m.Ambiguous {
				continue
			}
			code := m.Area.Code
			if m.Area.Kind == vocab.KindSubdivision {
				code = m.Area.Parent
			}
			if m.Area.Kind == vocab.KindCountry || m.Area.Kind == vocab.KindSubdivision {
				if c.country == "" && m.Role != rolePartner {
					c.country = code
				}
			}
		}
	}
	// the language: of the title and notes, the headings and the labels
	langTexts := make([]string, 0, len(c.texts))
	for _, ct := range c.texts {
		if ct.tier <= fromNotes {
			langTexts = append(langTexts, ct.text)
		}
	}
	for _, rows := range [][]extract.Row{t.header, t.body} {
		for _, row := range rows {
			for _, cell := range row.Cells {
				if cell.Kind == extract.String && !cell.Merged && len(langTexts) < 400 {
					langTexts = append(langTexts, cell.Text)
				}
			}
		}
	}
	c.lang = r.z.languageOf(langTexts)
	var langs []string
	if c.lang != "" {
		langs = []string{c.lang}
	}
	if c.country == "" {
		// a national currency names its country ("mln zł"; "kr." in a
		// Danish table)
		for i := range c.texts {
			ct := &c.texts[i]
			if ct.tier > fromNotes {
				continue
			}
			an := r.z.analyze(ct.text, vocab.Context{Langs: langs})
			if an.currency == "" {
				continue
			}
			if country := r.z.countryOfCurrency(an.currency, c.lang); country != "" {
				c.country = country
				c.countryFrom = fmt.Sprintf("the currency %s (%s)", an.currency, ct.ref)
				c.countryArea, _ = r.z.areas.ByCode(country)
				break
			}
		}
	}
	ctx := vocab.Context{Country: c.country, Langs: langs}
	for i := range c.texts {
		ct := &c.texts[i]
		ct.an = r.z.analyze(ct.text, ctx)
		for _, m := range reAbbrev.FindAllStringSubmatch(ct.text, -1) {
			c.abbrev[strings.ToLower(strings.ReplaceAll(m[2], ".", ""))] = strings.TrimSpace(m[1])
		}
	}
	flowTier := fromTitle
	for _, ct := range c.texts {
		an := ct.an
		isNote := ct.tier == fromNotes
		for _, m := range an.areas {
			c.areas = append(c.areas, contextArea{m: m, ref: ct.ref, tier: ct.tier})
		}
		if isNote {
			// notes below a table tell the unit and growth base, not who
			// trades with whom
			if c.base == "" && an.base != "" && an.growth {
				c.base = an.base
			}
			continue
		}
		// the flow: of the title's rows, the one nearest the table that
		// names one flow ("Vienti" under "Exports and imports, EUR
		// million"); the sheet's title only when the table's says none
		if ct.tier <= fromSheetTitle {
			if f, ok := an.flow(); ok && (c.flowRef == "" || c.flowRef == "several" || ct.tier == fromTitle && flowTier == fromTitle) {
				c.flow, c.flowRef, flowTier = f, ct.ref, ct.tier
			} else if len(an.flows) > 1 && c.flowRef == "" {
				c.flowRef = "several"
			}
		}
		if c.period == nil && ct.tier <= fromSheetTitle && len(an.periods) == 1 {
			p := an.periods[0]
			c.period, c.periodAt = &p, ct.ref
		}
		if c.world == nil && (an.world || an.total && ct.tier == fromTitle && len(an.areas) == 0) && ct.tier <= fromSheetName {
			cc := ct
			c.world = &cc
		}
		if c.base == "" && an.base != "" {
			c.base = an.base
		}
	}
	// unit: a text of the title, then the notes, then other texts
	for _, ct := range c.texts {
		an := ct.an
		if c.currency == "" && an.currency != "" {
			c.currency, c.currRef = an.currency, ct.ref
			if an.scale > 0 && c.scale == 0 {
				c.scale, c.scaleRef = an.scale, ct.ref
			}
		}
		if c.currency == "" && len(an.currencyAmb) > 0 && c.currAmb == nil {
			c.currAmb = an.currencyAmb
			c.currRef = ct.ref
		}
		if c.scale == 0 && an.scale > 0 && (an.currency != "" || len(an.currencyAmb) > 0 || isUnitNote(an)) && ct.tier <= fromNotes {
			c.scale, c.scaleRef = an.scale, ct.ref
		}
		if an.percent && isUnitNote(an) && !an.growth && !an.share {
			c.percent = true
		}
	}
	return c
}

// isUnitNote reports whether a text is a unit note: "in millions",
// "(Unit: ¥100 million)", "Werte in Mio.": a scale or currency and few
// other words.
func isUnitNote(an *analysis) bool {
	if an.scale == 0 && an.currency == "" {
		return false
	}
	return len(an.words) <= 12
}

// fileWords turns a file name into words: "p05_swiss-partners.csv" gives
// "p05 swiss partners".
func fileWords(path string) string {
	base := filepath.Base(path)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	return strings.NewReplacer("_", " ", "-", " ", ".", " ").Replace(base)
}

func sameRows(a, b []extract.Row) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Num != b[i].Num || len(a[i].Cells) != len(b[i].Cells) || len(a[i].Cells) > 0 && a[i].Cells[0].Col != b[i].Cells[0].Col {
			return false // the same rows, other columns: a table beside
		}
	}
	return true
}

// reporterOf picks the table's reporter from its context: an area named
// as reporter ("de la Suisse", "Trade of Osaka", "Österreichs", "Japan:"),
// else the first country named that is not a partner.
func (c *tableContext) reporterOf() *contextArea {
	var best *contextArea
	for i := range c.areas {
		a := &c.areas[i]
		if a.m.Role == rolePartner || a.m.Area == nil || a.m.Ambiguous {
			continue
		}
		if a.m.Area.Kind == vocab.KindAggregate {
			continue
		}
		if best == nil || a.tier < best.tier || a.tier == best.tier && a.m.Role == roleReporter && best.m.Role != roleReporter {
			best = a
		}
	}
	if best == nil && c.countryFrom != "" && c.countryArea != nil {
		best = &contextArea{m: mention{Area: c.countryArea, Name: c.countryArea.Name}, ref: c.countryFrom, tier: fromCurrency}
	}
	return best
}

// partnerOf picks the partner the title names ("Trade with China",
// "Außenhandel mit China").
func (c *tableContext) partnerOf() *contextArea {
	var first *contextArea
	for i := range c.areas {
		a := &c.areas[i]
		if a.m.Role == rolePartner && a.tier <= fromSheetTitle {
			if first == nil {
				first = a
			} else if a.m.Name != first.m.Name && a.ref == first.ref {
				// "with the EU and non-EU countries": the table's
				// columns or rows say which
				return nil
			}
		}
	}
	return first
}

// unitFromCountry returns the currency of the country a table is about,
// for a unit note that names a currency only by a generic word ("$",
// "kr.").
func (c *tableContext) currencyFor(z *analyzer, country string) (string, bool) {
	if len(c.currAmb) == 0 || country == "" {
		return "", false
	}
	a, ok := z.areas.ByCode(country)
	if !ok {
		return "", false
	}
	for _, cur := range a.Currencies {
		if contains(c.currAmb, cur) {
			return cur, true
		}
	}
	return "", false
}

// from says where a context area was read, for notes and findings.
func (a *contextArea) from() string {
	if a.tier == fromCurrency {
		return a.ref // "the currency KES (A1)"
	}
	return tierWords(a.tier)
}

// describe returns where a context item came from, for notes and findings.
func tierWords(tier int) string {
	switch tier {
	case fromSheetName:
		return "the sheet name"
	case fromFileName:
		return "the file name"
	case fromOtherSheet:
		return "another sheet of the file"
	case fromSheetTitle:
		return "the sheet's title"
	case fromNotes:
		return "the notes below the table"
	case fromCurrency:
		return "the national currency of its figures"
	}
	return "the table's title"
}

var _ = schemas.PeriodYear

// yearOfTitle returns the calendar year of the context's period, for
// headings without their year: "2023" gives 2023, and so does a month,
// quarter, half or months of one year ("2024年6月" over "6月 | 1至6月");
// 0 when there is none or the period spans two years.
func (c *tableContext) yearOfTitle() int {
	if c.period == nil {
		return 0
	}
	p := c.period.P
	if p.Type == schemas.PeriodCumulative && p.EndYear != p.Year {
		return 0
	}
	return p.Year
}
