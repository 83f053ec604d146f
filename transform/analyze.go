package transform

import (
	"strings"
	"unicode"

	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/vocab"
)

// Roles an area can play in a label.
type role uint8

const (
	roleNone role = iota
	roleReporter
	rolePartner
)

// mention is an area named in a label or title: known to the area list, or
// a name as written that the list does not know (Area nil).
type mention struct {
	Area      *vocab.Area
	Name      string // canonical name, or the name as written
	Written   string // as written in the text
	Role      role   // from a preposition before it ("with", "van")
	Ambiguous bool
	Others    []string // other candidates, for the ambiguous_area finding
	Start     int      // word index
	Via       string
}

// analysis is what a label, heading or title says: the areas it names, its
// flow, measure, periods and unit, and the words left unexplained.
type analysis struct {
	text   string // without footnote marks
	mark   string // the footnote mark removed
	words  []word
	hits   []schemas.Hit
	areas  []mention
	flows  []string // distinct, in text order
	share  bool
	growth bool
	index  bool   // an index (base = 100): growth is set too
	base   string // "year_ago", "previous" or ""
	// difference: an absolute change between two periods ("Variation en
	// valeur"), a measure tradeetl does not record
	difference bool
	// areaGroup: the text is two or more names joined by "and" ("Australia
	// and Oceania"): one group, not its first name
	areaGroup bool
	// periods found; partial holds a period without a year ("1er
	// semestre", "Jan–Jun")
	periods []periodMatch
	partial *periodMatch
	// fiscalUnknown: a fiscal year was written, but the table's country
	// and so its months are unknown
	fiscalUnknown bool
	percent       bool
	scale         float64 // 0 when none
	// currency named (code), with how it was decided
	currency    string
	currencyAmb []string // candidates when the words do not decide
	world       bool
	total       bool
	countryTot  bool
	ofWhich     bool
	partnerWord bool
	reporterWrd bool
	productWord bool
	// residual is the longest run of words nothing explains, as written
	// ("South Moravian Region" in "Exports — South Moravian Region")
	residual      string
	residualStart int
	langs         map[string]float64 // the languages of its vocabulary words, a word of n languages counting 1/n for each
}

func (a *analysis) flow() (string, bool) {
	if len(a.flows) == 1 {
		return a.flows[0], true
	}
	// "Trade surplus (+) / deficit (−)", "balance (surplus/deficit)": one
	// balance, exports − imports
	if len(a.flows) > 1 {
		for _, f := range a.flows {
			if f != schemas.FlowBalance && f != schemas.FlowSurplus && f != schemas.FlowDeficit {
				return "", false
			}
		}
		return schemas.FlowBalance, true
	}
	return "", false
}

// analyzer reads labels with the vocabularies; it remembers what it read,
// since a table repeats its labels.
type analyzer struct {
	dict    *schemas.Dictionary
	areas   *vocab.Areas
	curr    *vocab.Currencies
	periods *periodParser
	memo    map[analyzeKey]*analysis
}

type analyzeKey struct {
	text    string
	country string
	lang    string
}

func newAnalyzer(dict *schemas.Dictionary, areas *vocab.Areas, curr *vocab.Currencies) *analyzer {
	return &analyzer{dict: dict, areas: areas, curr: curr,
		periods: &periodParser{dict: dict, month: vocab.MonthWord}, memo: map[analyzeKey]*analysis{}}
}

// inCurrency reports whether an area's words are the letters of a
// currency symbol ("US" of "US $", "HK" of "HK$").
func inCurrency(currTexts []string, written string) bool {
	for _, c := range currTexts {
		letters := strings.TrimRight(c, " $£€¥")
		if strings.EqualFold(strings.TrimSpace(letters), written) {
			return true
		}
	}
	return false
}

// stripMark removes a footnote mark from the end of a label or heading:
// "2023¹", "Jan–Jun 2024*", "I kw. 2024 1)", "H1 2024 (p)", "Exports to
// Great Britain a".
func stripMark(s string) (string, string) {
	orig := strings.TrimSpace(s)
	s = orig
	for {
		t := strings.TrimRightFunc(s, func(r rune) bool {
			return r == '*' || r == '†' || r == '‡' || strings.ContainsRune("¹²³⁴⁵⁶⁷⁸⁹⁰⁾⁽", r)
		})
		t = strings.TrimRightFunc(t, unicode.IsSpace)
		if n := len(t); n >= 3 && (t[n-1] == ')' || t[n-1] == ']') {
			open := strings.LastIndexAny(t, "([")
			inner := ""
			if open >= 0 {
				inner = t[open+1 : n-1]
			}
			switch {
			case open > 0 && len(inner) <= 2 && isFlag(inner) && strings.TrimSpace(t[:open]) != "":
				// "(a)", "(1)", "[1]", "(p)"
				t = strings.TrimRightFunc(t[:open], unicode.IsSpace)
			case open > 0 && t[open] == '[' && len(inner) <= 12 && strings.TrimSpace(t[:open]) != "":
				// "[note 1]", "[c]", "[x]"
				t = strings.TrimRightFunc(t[:open], unicode.IsSpace)
			}
		}
		// "p/", "r/", "1/" after a space (INEGI, US Census)
		if n := len(t); n >= 3 && t[n-1] == '/' {
			if i := strings.LastIndexFunc(t[:n-1], unicode.IsSpace); i > 0 && n-1-i-1 <= 2 && isFlag(t[i+1:n-1]) {
				t = strings.TrimRightFunc(t[:i], unicode.IsSpace)
			}
		}
		// "1)" or "a)" after a space
		if n := len(t); n >= 3 && t[n-1] == ')' && !strings.Contains(t, "(") {
			if i := strings.LastIndexFunc(t[:n-1], unicode.IsSpace); i > 0 && n-1-i-1 <= 2 && isFlag(t[i+1:n-1]) {
				t = strings.TrimRightFunc(t[:i], unicode.IsSpace)
			}
		}
		// a single lower-case letter after a space ("Great Britain a")
		if i := strings.LastIndexFunc(t, unicode.IsSpace); i > 0 && len(t)-i-1 == 1 {
			c := rune(t[i+1])
			if c >= 'a' && c <= 'z' && strings.Count(strings.TrimSpace(t[:i]), " ") >= 1 {
				t = strings.TrimRightFunc(t[:i], unicode.IsSpace)
			}
		}
		if t == s {
			break
		}
		s = t
	}
	if s == orig {
		return s, ""
	}
	return s, strings.TrimSpace(orig[len(s):])
}

// analyze reads a text. ctx names the country the table is about and its
// language, when known, so that its regions and currency win ties.
func (z *analyzer) analyze(text string, ctx vocab.Context) *analysis {
	key := analyzeKey{text: text, country: ctx.Country}
	if len(ctx.Langs) > 0 {
		key.lang = ctx.Langs[0]
	}
	if a, ok := z.memo[key]; ok {
		return a
	}
	a := z.read(text, ctx)
	if len(z.memo) < 100000 {
		z.memo[key] = a
	}
	return a
}

func (z *analyzer) read(raw string, ctx vocab.Context) *analysis {
	text, mark := stripMark(raw)
	a := &analysis{text: text, mark: mark, langs: map[string]float64{}}
	a.words = splitWords(text)
	folds := foldsOf(a.words)
	a.hits = z.dict.Scan(folds, false)
	covered := make([]bool, len(folds))
	for _, h := range a.hits {
		meaningful := false
		hitLangs := map[string]bool{}
		for _, t := range h.Terms {
			if t.Lang != "" {
				hitLangs[t.Lang] = true
			}
		}
		for l := range hitLangs {
			a.langs[l] += 1 / float64(len(hitLangs))
		}
		for _, t := range h.Terms {
			switch t.Kind {
			case schemas.KindFlow:
				if !contains(a.flows, t.Value) {
					a.flows = append(a.flows, t.Value)
				}
				meaningful = true
			case schemas.KindShare:
				a.share, meaningful = true, true
			case schemas.KindGrowth:
				a.growth, meaningful = true, true
			case schemas.KindDifference:
				a.difference, meaningful = true, true
			case schemas.KindIndex:
				// an index is read like a growth rate (its period and
				// base), and recorded as an index
				a.growth, a.index, meaningful = true, true, true
			case schemas.KindYearAgo:
				a.base, meaningful = "year_ago", true
			case schemas.KindPrevious:
				if a.base == "" {
					a.base = "previous"
				}
				meaningful = true
			case schemas.KindWorld:
				a.world, meaningful = true, true
			case schemas.KindTotal:
				a.total, meaningful = true, true
			case schemas.KindCountryTotal:
				a.countryTot, meaningful = true, true
			case schemas.KindOfWhich:
				a.ofWhich, meaningful = true, true
			case schemas.KindPartnerWord:
				a.partnerWord, meaningful = true, true
			case schemas.KindReporterWord:
				a.reporterWrd, meaningful = true, true
			case schemas.KindProductWord:
				a.productWord, meaningful = true, true
			case schemas.KindPercent:
				a.percent, meaningful = true, true
			case schemas.KindScale:
				meaningful = true
			default:
				meaningful = true
			}
		}
		if h.Words == "%" {
			a.percent = true
		}
		if meaningful {
			for i := h.Start; i < h.End; i++ {
				covered[i] = true
			}
		}
	}
	// "± %", "+/- %": a change, written with a sign rather than a word
	if strings.Contains(text, "%") && (strings.Contains(text, "±") || strings.Contains(text, "+/-") || strings.Contains(text, "+/−") || strings.Contains(text, "+/–")) {
		a.growth = true
	}
	if a.growth && a.share && !strings.Contains(strings.ToLower(text), "share") {
		// "% change" holds the share word "%": a growth heading
		a.share = false
	}
	if s, ok := z.dict.Scale(text); ok {
		a.scale = s
	}
	// periods; a fiscal year takes its months from the table's country
	for _, m := range z.periods.find(text, len(ctx.Langs) > 0 && ctx.Langs[0] == "th") {
		if m.Fiscal {
			start, ok := z.dict.FiscalStart(ctx.Country)
			if !ok {
				a.fiscalUnknown = true
				continue
			}
			if start == 1 {
				m.P = schemas.Period{Type: schemas.PeriodYear, Year: m.P.Year}
			} else {
				m.P = schemas.Cumulative(m.P.Year, start, m.P.Year+1, start-1)
			}
			m.Fiscal = false
		}
		if len(a.periods) > 0 && a.periods[len(a.periods)-1].P == m.P && !m.NoYear {
			continue // "S1 2024 / S1 2024": a bilingual title says it twice
		}
		if m.NoYear {
			if a.partial == nil {
				mm := m
				a.partial = &mm
			}
		} else {
			a.periods = append(a.periods, m)
		}
		for i, w := range a.words {
			if w.start >= m.Start && w.end <= m.End {
				covered[i] = true
			}
		}
	}
	// currencies
	var currTexts []string // as written: "US $" names no area
	if z.curr != nil {
		for _, c := range z.curr.Find(text, ctx) {
			if c.Currency != nil && !c.Ambiguous && strings.ContainsAny(c.Text, " $£€¥") {
				currTexts = append(currTexts, c.Text)
			}
			if c.Ambiguous {
				for _, cand := range c.Candidates {
					a.currencyAmb = append(a.currencyAmb, cand.Code)
				}
				if c.Currency != nil && a.currency == "" && ctx.Country != "" {
					a.currency = c.Currency.Code
				}
				continue
			}
			if c.Currency != nil && a.currency == "" {
				a.currency = c.Currency.Code
			}
		}
		if a.currency != "" {
			a.currencyAmb = nil
		}
	}
	// areas: the vocabulary's words win where they overlap a name
	if z.areas != nil {
		prev := roleNone
		lastEnd := -1
		for _, m := range z.areas.Find(text, ctx) {
			if m.Area == nil || m.Start < 0 || m.End > len(folds) {
				continue
			}
			clash := false
			for i := m.Start; i < m.End; i++ {
				if covered[i] {
					clash = true
				}
			}
			if clash && m.End-m.Start <= 1 {
				continue
			}
			me := mention{Area: m.Area, Name: m.Area.Name, Written: spanText(text, a.words, m.Start, m.End),
				Ambiguous: m.Ambiguous, Start: m.Start, Via: m.Via}
			if inCurrency(currTexts, me.Written) {
				continue
			}
			for _, c := range m.Candidates {
				if c != m.Area {
					me.Others = append(me.Others, c.Code+" "+c.Name)
				}
			}
			me.Role = z.roleBefore(a, folds, m.Start, lastEnd, prev)
			if me.Role == roleNone {
				me.Role = z.roleAfter(folds, m.End)
			}
			if me.Role == roleNone && strings.Contains(m.Via, "inflection") {
				me.Role = roleReporter // a genitive: "Außenhandel Österreichs"
			}
			prev, lastEnd = me.Role, m.End
			for i := m.Start; i < m.End; i++ {
				covered[i] = true
			}
			a.areas = append(a.areas, me)
		}
	}
	// two names joined by "and" and nothing else ("AUSTRALIA AND
	// OCEANIA", "Belgium and Luxembourg"): one group of areas
	if len(a.areas) >= 2 {
		conj := make([]bool, len(folds))
		for _, h := range a.hits {
			if _, ok := h.Has(schemas.KindConjunction); ok {
				for i := h.Start; i < h.End && i < len(conj); i++ {
					conj[i] = true
				}
			}
		}
		// bilingual names of one area ("Bern / Berne") are not a group
		group, joined := true, false
		for i := range folds {
			if !covered[i] && !conj[i] {
				group = false
			}
			joined = joined || conj[i]
		}
		names := map[string]bool{}
		for _, m := range a.areas {
			if m.Role != roleNone {
				group = false
			}
			names[m.Name] = true
		}
		a.areaGroup = group && joined && len(names) >= 2
	}
	// a label that is one name and nothing else ("Outros", "Others"):
	// names that match only a whole cell
	if len(a.areas) == 0 && z.areas != nil && !anyTrue(covered) {
		if m, ok := z.areas.Exact(text, ctx); ok && m.Area != nil && !strings.HasPrefix(m.Via, "code") {
			me := mention{Area: m.Area, Name: m.Area.Name, Written: text, Ambiguous: m.Ambiguous, Via: m.Via}
			a.areas = append(a.areas, me)
			for i := range covered {
				covered[i] = true
			}
		}
	}
	// the longest run of words nothing explains
	bestLen, bestStart := 0, -1
	for i := 0; i < len(folds); {
		if covered[i] || isFiller(folds[i]) || isNumber(folds[i]) {
			i++
			continue
		}
		j := i
		for j < len(folds) && !covered[j] && !isNumber(folds[j]) {
			j++
		}
		// trim fillers at both ends
		s, e := i, j
		for s < e && isFiller(folds[s]) {
			s++
		}
		for e > s && isFiller(folds[e-1]) {
			e--
		}
		if e-s > bestLen {
			bestLen, bestStart = e-s, s
		}
		i = j
	}
	if bestStart >= 0 {
		a.residual = spanText(text, a.words, bestStart, bestStart+bestLen)
		a.residualStart = bestStart
	}
	return a
}

// roleBefore reads the role of an area at word start from the words just
// before it: a partner or reporter preposition ("with", "van", "to the"),
// or a conjunction after another area ("Northern Ireland and Great
// Britain"), whose role it takes.
func (z *analyzer) roleBefore(a *analysis, folds []string, start, lastEnd int, prev role) role {
	// a preposition of several characters of a script without spaces
	// (Thai ไปยัง, "to")
	for n := 2; n <= 3 && start-n >= 0; n++ {
		for _, t := range z.dict.Exact(strings.Join(folds[start-n:start], " ")) {
			switch t.Kind {
			case schemas.KindPartnerPrep:
				return rolePartner
			case schemas.KindReporterPrep:
				return roleReporter
			}
		}
	}
	for i := start - 1; i >= 0 && i >= start-3; i-- {
		w := folds[i]
		for _, t := range z.dict.Exact(w) {
			switch t.Kind {
			case schemas.KindPartnerPrep:
				return rolePartner
			case schemas.KindReporterPrep:
				return roleReporter
			case schemas.KindConjunction:
				if lastEnd >= 0 && i == lastEnd {
					return prev
				}
			}
		}
		if !isArticle(w) {
			break
		}
	}
	return roleNone
}

// roleAfter reads the role of an area ending at word end from the words
// just after it: a partner postposition (Japanese 中国向け, 中国からの,
// Korean 중국으로).
func (z *analyzer) roleAfter(folds []string, end int) role {
	for n := 3; n >= 1; n-- {
		if end+n > len(folds) {
			continue
		}
		for _, t := range z.dict.Exact(strings.Join(folds[end:end+n], " ")) {
			if t.Kind == schemas.KindPartnerPost {
				return rolePartner
			}
		}
	}
	return roleNone
}

// isArticle reports whether a word is an article or a short filler that may
// sit between a preposition and a name ("with the", "avec la", "con l'").
func isArticle(w string) bool {
	switch w {
	case "the", "la", "le", "les", "l", "il", "lo", "gli", "el", "los", "las", "o", "os", "as", "de", "der", "die", "das", "dem", "den", "het", "of":
		return true
	}
	return false
}

// isFiller reports whether a word carries no name: articles, prepositions,
// units of counting and the like, which a name as written does not start
// or end with.
func isFiller(w string) bool {
	if isArticle(w) {
		return true
	}
	switch w {
	case "and", "und", "et", "e", "y", "och", "en", "i", "a", "in", "im", "w", "by", "per", "for", "from", "to", "with", "na", "da", "do", "dos", "das", "del", "della", "van", "von", "vom", "zum", "zur", "au", "aux", "du", "des", "s", "r", "nr", "no":
		return true
	}
	// one letter, but not a character of a script written without
	// spaces ("品" of "食料品"), which Fold makes a word of its own
	r := []rune(w)
	return len(r) == 1 && !schemas.SplitRune(r[0])
}

func isNumber(w string) bool {
	if w == "" {
		return false
	}
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

func anyTrue(bs []bool) bool {
	for _, b := range bs {
		if b {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
