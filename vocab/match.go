package vocab

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Context is what the caller knows about the table a text comes from.
type Context struct {
	// Country is the code of the country the table is about, if known
	// ("AT"; a subdivision code counts as its country): its subdivisions
	// beat other areas of the same name, and its currency wins ties. Pass it
	// for reporter labels and titles; for a partner column, where "Luxembourg"
	// in a Belgian table is the country, not the Belgian province, leave it
	// empty.
	Country string
	// Langs are the languages of the table, if known ("de", "de-AT"), most
	// likely first. A name that means different areas in different
	// languages takes the table's.
	Langs []string
}

// Match is an area named by (part of) a text.
type Match struct {
	Area       *Area
	Candidates []*Area // every area the words can name, Area first
	Ambiguous  bool    // more than one candidate and the context did not decide
	Start, End int     // span in schemas.Fold(text) words, End exclusive
	Words      string  // the matched folded words, space-joined ("U.S." is "us")
	Via        string  // how it matched, for people: "name (de, CLDR)", "code", "curated alias"...
	Why        string  // why Area was chosen, for people
}

// ctxInfo is a Context normalized once per call.
type ctxInfo struct {
	country string
	langs   []string
}

func (a *Areas) normCtx(c Context) ctxInfo {
	var ci ctxInfo
	if c.Country != "" {
		if ar, ok := a.ByCode(c.Country); ok {
			ci.country = ar.Country()
			if ci.country == "" {
				ci.country = ar.Code
			}
		} else {
			ci.country = strings.ToUpper(strings.TrimSpace(c.Country))
		}
	}
	for _, l := range c.Langs {
		if l = normLang(l); l != "" {
			ci.langs = append(ci.langs, l)
		}
	}
	return ci
}

// langMatch reports whether an entry's languages ("de,nl_BE") hold one of
// the context's: "de" matches "de" and "de_AT"; "de_AT" matches "de_AT"
// and "de".
func langMatch(entryLangs string, ctx []string) bool {
	if entryLangs == "" || len(ctx) == 0 {
		return false
	}
	for _, el := range strings.Split(entryLangs, ",") {
		eb, _, _ := strings.Cut(el, "_")
		for _, cl := range ctx {
			cb, _, hasRegion := strings.Cut(cl, "_")
			if el == cl || (!hasRegion && eb == cl) || (hasRegion && el == cb) {
				return true
			}
		}
	}
	return false
}

// cand is one area a phrase names, with its best entry.
type cand struct {
	area      *Area
	best      entry
	ambiguous bool // an entry says so
	ctxOnly   bool // every entry needs the context
	langs     bool // an entry is in a context language
}

// decision is the outcome of choosing among candidates.
type decision struct {
	cands     []cand // chosen first
	ambiguous bool
	why       string
}

// group gathers the entries of a phrase by area.
func (a *Areas) group(es []entry, ci ctxInfo) []cand {
	var out []cand
	idx := map[*Area]int{}
	for _, e := range es {
		i, ok := idx[e.area]
		if !ok {
			i = len(out)
			idx[e.area] = i
			out = append(out, cand{area: e.area, best: e, ctxOnly: true})
		}
		c := &out[i]
		if e.flag&flagAmbiguous != 0 {
			c.ambiguous = true
		}
		if e.flag&flagContext == 0 {
			c.ctxOnly = false
		}
		if langMatch(e.langs, ci.langs) {
			c.langs = true
		}
		if betterEntry(e, c.best) {
			c.best = e
		}
	}
	return out
}

// betterEntry prefers a plain name to a stripped or flagged one, then the
// more trusted source.
func betterEntry(e, than entry) bool {
	pe, pt := e.flag&(flagStripped|flagAmbiguous|flagContext|flagCode), than.flag&(flagStripped|flagAmbiguous|flagContext|flagCode)
	if (pe == 0) != (pt == 0) {
		return pe == 0
	}
	return sourceRank(e.source) < sourceRank(than.source)
}

func (a *Areas) sortCands(cs []cand) {
	sort.SliceStable(cs, func(i, j int) bool {
		x, y := cs[i].area, cs[j].area
		if x.rank() != y.rank() {
			return x.rank() < y.rank()
		}
		if x.depth() != y.depth() {
			return x.depth() < y.depth()
		}
		if cs[i].ambiguous != cs[j].ambiguous {
			return !cs[i].ambiguous
		}
		// the area whose plain name this is, before one that only carries it
		// as a flagged name ("Congo": CG before CD)
		pi, pj := cs[i].best.flag&(flagAmbiguous|flagContext|flagStripped) == 0, cs[j].best.flag&(flagAmbiguous|flagContext|flagStripped) == 0
		if pi != pj {
			return pi
		}
		return a.order[x] < a.order[y]
	})
}

// decide chooses among the areas a phrase names. textCountries are the
// countries named elsewhere in the same text (Find), which let their
// subdivisions match.
func (a *Areas) decide(es []entry, ci ctxInfo, textCountries map[string]bool) (decision, bool) {
	all := a.group(es, ci)
	var viable []cand
	for _, c := range all {
		if c.ctxOnly && c.area.Country() != ci.country && !textCountries[c.area.Country()] {
			continue
		}
		viable = append(viable, c)
	}
	if len(viable) == 0 {
		return decision{}, false
	}
	a.sortCands(viable)
	rest := func(chosen []cand) []cand {
		out := append([]cand{}, chosen...)
		for _, c := range viable {
			found := false
			for _, x := range chosen {
				if x.area == c.area {
					found = true
				}
			}
			if !found {
				out = append(out, c)
			}
		}
		return out
	}
	if ci.country != "" {
		var in []cand
		for _, c := range viable {
			if c.area.Country() == ci.country {
				in = append(in, c)
			}
		}
		if len(in) > 0 {
			d := decision{cands: rest(in), why: "the context country is " + ci.country}
			if tieWithin(in) {
				d.ambiguous = true
				d.why = "several areas of the context country " + ci.country + " have this name"
			}
			return d, true
		}
	}
	if len(textCountries) > 0 {
		var in []cand
		for _, c := range viable {
			if c.area.Kind == KindSubdivision && textCountries[c.area.Country()] {
				in = append(in, c)
			}
		}
		if len(in) > 0 && len(in) < len(viable) && viable[0].area.rank() == 2 {
			d := decision{cands: rest(in), why: "its country " + in[0].area.Parent + " is named in the same text"}
			if tieWithin(in) {
				d.ambiguous = true
			}
			return d, true
		}
	}
	why := ""
	if len(ci.langs) > 0 && len(viable) > 1 {
		var in []cand
		flagged := false
		for _, c := range viable {
			if c.langs {
				in = append(in, c)
				flagged = flagged || c.ambiguous
			}
		}
		// the language does not undo a curated ambiguity ("Kongo" is both
		// Congos in German too)
		if len(in) > 0 && len(in) < len(viable) && !flagged {
			viable = rest(in)
			if len(in) == 1 {
				return decision{cands: viable, why: "the name is " + in[0].area.Code + "'s in the table's language"}, true
			}
			why = "named so in the table's language; "
		}
	}
	best := viable[0]
	d := decision{cands: viable}
	switch {
	case len(viable) == 1:
		d.why = why + "the only area with this name"
		d.ambiguous = best.ambiguous
		if d.ambiguous {
			d.why = why + "the name is marked ambiguous (curated) and no context decides"
		}
		return d, true
	case best.area.rank() == 0 && viable[1].area.rank() == 0:
		d.ambiguous = true
		d.why = why + "several countries or aggregates have this name and no context decides"
	case best.area.rank() == 0:
		d.ambiguous = best.ambiguous
		d.why = why + "a country beats subdivisions and former countries of the same name"
		if d.ambiguous {
			d.why = why + "a country beats subdivisions of the same name, but the name is marked ambiguous (curated)"
		}
	case best.area.rank() == 1:
		d.ambiguous = true
		d.why = why + "a former country and other areas have this name"
	default: // subdivisions only
		if tieWithin(viable) {
			d.ambiguous = true
			d.why = why + "subdivisions of " + countriesOf(viable) + " have this name and no context country decides"
		} else {
			d.ambiguous = best.ambiguous
			d.why = why + "the widest of nested subdivisions of the same name"
		}
	}
	return d, true
}

// tieWithin reports whether sorted candidates leave a choice: the first
// does not contain all the others.
func tieWithin(cs []cand) bool {
	if len(cs) < 2 {
		return false
	}
	first := cs[0].area
	for _, c := range cs[1:] {
		if c.area.rank() != first.rank() {
			continue
		}
		if first.Kind == KindSubdivision && c.area.Parent == first.Parent && c.area.Within == first.Code {
			continue
		}
		return true
	}
	return false
}

func countriesOf(cs []cand) string {
	var out []string
	for _, c := range cs {
		if k := c.area.Country(); k != "" && !contains(out, k) {
			out = append(out, k)
		}
	}
	return strings.Join(out, ", ")
}

// via describes an entry for people.
func via(e entry) string {
	var s string
	switch e.source {
	case "cldr":
		s = "name (" + e.langs + ", CLDR)"
	case "cldr-short":
		s = "short name (" + e.langs + ", CLDR)"
	case "cldr-variant":
		s = "variant name (" + e.langs + ", CLDR)"
	case "iso":
		if e.langs == "" {
			s = "name (iso-codes)"
		} else {
			s = "name (" + e.langs + ", iso-codes)"
		}
	case "iso-official":
		s = "official name (iso-codes)"
	case "iso-common":
		s = "common name (iso-codes)"
	case "iso-l10n":
		s = "name (" + e.langs + ", iso-codes translation)"
	case "xtext":
		s = "name (" + e.langs + ", x/text)"
	case "code":
		s = "code"
	case "curated", "user":
		s = e.source + " alias"
		if e.langs != "" {
			s += " (" + e.langs + ")"
		}
	default:
		s = e.source
	}
	if e.flag&flagStripped != 0 {
		s += ", type word left out"
	}
	return s
}

func (d decision) match(start, end int, words string, extra string) Match {
	m := Match{Area: d.cands[0].area, Ambiguous: d.ambiguous, Start: start, End: end, Words: words,
		Via: via(d.cands[0].best) + extra, Why: d.why}
	m.Candidates = make([]*Area, len(d.cands))
	for i, c := range d.cands {
		m.Candidates[i] = c.area
	}
	return m
}

// rewrite sets the inflection rewrite of every word no name holds:
// "osterreichs" -> "osterreich", "china's" -> "china".
func (a *Areas) rewrite(toks []token, ci ctxInfo) {
	langs := a.rules.inflLangs
	if len(ci.langs) > 0 {
		langs = nil
		for _, l := range ci.langs {
			b, _, _ := strings.Cut(l, "_")
			if !contains(langs, b) {
				langs = append(langs, b)
			}
		}
	}
	for i := range toks {
		t := &toks[i]
		if !t.letter {
			continue
		}
		// a word no name holds may become any word of a name; a word that
		// only names hold but is no name itself ("Kinijos" of "Kinijos
		// Liaudies Respublika", "Κίνας") may become a name of one word
		// (Find still tries the names it is part of as written)
		known := a.words[t.word]
		if known && a.isName(t.word) {
			continue
		}
		ok := func(w string) bool {
			if known {
				return a.isName(w)
			}
			return a.words[w]
		}
		if w, cut := strings.CutSuffix(t.word, "'s"); cut && ok(w) {
			t.rw = w
			continue
		}
		if w, cut := strings.CutSuffix(t.word, "'"); cut && ok(w) {
			t.rw = w
			continue
		}
		// a suffix after an apostrophe: Turkish "Çin'e", "Almanya'dan"
		if k := strings.IndexByte(t.word, '\''); k > 0 && ok(t.word[:k]) && utf8.RuneCountInString(t.word[:k]) >= 2 {
			t.rw = t.word[:k]
			if j := strings.IndexAny(t.orig, "'’"); j > 0 {
				// "ABD'ye" is written in capitals up to its suffix
				t.caps, t.upper1, _ = caseOf(t.orig[:j])
			}
			continue
		}
	rules:
		for _, l := range langs {
			for _, in := range a.rules.inflections[l] {
				if in.Prefix != "" {
					// a prefix glued to the name: Hebrew לסין, מגרמניה
					stem, cut := strings.CutPrefix(t.word, in.Prefix)
					if w := in.Replace + stem; cut && len([]rune(stem)) >= 3 && ok(w) {
						t.rw = w
						break rules
					}
					continue
				}
				stem, cut := strings.CutSuffix(t.word, in.Suffix)
				if !cut || len([]rune(stem)) < 3 {
					continue
				}
				if w := stem + in.Replace; ok(w) {
					t.rw = w
					break rules
				}
			}
		}
	}
}

// isName reports whether a folded word is a name by itself.
func (a *Areas) isName(w string) bool {
	i, ok := a.phrases[w]
	return ok && len(a.phr[i].entries) > 0
}

func anyRewrite(toks []token) bool {
	for _, t := range toks {
		if t.rw != "" {
			return true
		}
	}
	return false
}

// hit is a phrase found in a text: tokens [i, j).
type hit struct {
	i, j    int
	written bool // matched as written, though a word of it has a rewrite
	es      []entry
	d       decision
	ok      bool
}

// Find returns the areas named inside a label or title ("Exports –
// Polska", "Trade with China", "Außenhandel Österreichs"): longest phrases
// first, non-overlapping, in text order. Names of 1-3 letters and codes
// count only when written in capitals ("US", "UK", "VS") in a text that is
// not all capitals; single-word subdivision names only when capitalized.
func (a *Areas) Find(text string, ctx Context) []Match {
	toks := tokenize(text)
	if len(toks) == 0 {
		return nil
	}
	ci := a.normCtx(ctx)
	a.rewrite(toks, ci)
	allCaps := isAllCaps(text)
	var hits []hit
	var buf []byte
	rewritten := false
	for _, t := range toks {
		rewritten = rewritten || t.rw != ""
	}
	for pass := 0; pass < 2; pass++ {
		// names with the rewrites, then, where a word was rewritten, names
		// as written ("Kinijos Liaudies Respublika")
		if pass == 1 && !rewritten {
			break
		}
		for i := range toks {
			for j := i + 1; j <= len(toks); j++ {
				buf = key(buf, toks[i:j], pass == 0)
				p := a.phrase(buf)
				if p == nil {
					break
				}
				if pass == 1 && !anyRewrite(toks[i:j]) {
					if !p.prefix {
						break
					}
					continue // found in the first pass
				}
				if len(p.entries) > 0 && !(j == i+1 && gluedToSign(text, toks[i])) {
					if es := a.findable(p.entries, toks[i:j], allCaps); len(es) > 0 {
						hits = append(hits, hit{i: i, j: j, es: es, written: pass == 1})
					}
				}
				if !p.prefix {
					break
				}
			}
		}
	}
	if len(hits) == 0 {
		return nil
	}
	// decide once on the context alone, then again knowing which countries
	// the text names (their subdivisions may then match)
	countries := map[string]bool{}
	for k := range hits {
		h := &hits[k]
		h.d, h.ok = a.decide(h.es, ci, nil)
		if h.ok && !h.d.ambiguous && h.d.cands[0].area.Kind == KindCountry {
			countries[h.d.cands[0].area.Code] = true
		}
	}
	if len(countries) > 0 {
		for k := range hits {
			h := &hits[k]
			h.d, h.ok = a.decide(h.es, ci, countries)
		}
	}
	order := make([]int, 0, len(hits))
	for k := range hits {
		if hits[k].ok {
			order = append(order, k)
		}
	}
	sort.SliceStable(order, func(x, y int) bool {
		hx, hy := hits[order[x]], hits[order[y]]
		if hx.j-hx.i != hy.j-hy.i {
			return hx.j-hx.i > hy.j-hy.i
		}
		return hx.i < hy.i
	})
	used := make([]bool, len(toks))
	var chosen []hit
	for _, k := range order {
		h := hits[k]
		free := true
		for t := h.i; t < h.j; t++ {
			if used[t] {
				free = false
				break
			}
		}
		if !free {
			continue
		}
		for t := h.i; t < h.j; t++ {
			used[t] = true
		}
		chosen = append(chosen, h)
	}
	// a subdivision takes in the type words around it ("Land
	// Oberösterreich", "Osaka Prefecture", "Västra Götalands län")
	for k := range chosen {
		h := &chosen[k]
		if h.d.cands[0].area.Kind != KindSubdivision {
			continue
		}
		h.i, h.j = a.extendTypes(toks, used, h.i, h.j)
	}
	sort.Slice(chosen, func(x, y int) bool { return chosen[x].i < chosen[y].i })
	out := make([]Match, 0, len(chosen))
	for _, h := range chosen {
		out = append(out, a.toMatch(h, toks))
	}
	return out
}

func (a *Areas) toMatch(h hit, toks []token) Match {
	extra := ""
	words := make([]string, 0, h.j-h.i)
	for _, t := range toks[h.i:h.j] {
		words = append(words, t.word)
		if t.rw != "" && extra == "" && !h.written {
			extra = ", inflection " + t.word + " → " + t.rw
		}
	}
	return h.d.match(toks[h.i].fs, toks[h.j-1].fe, strings.Join(words, " "), extra)
}

// extendTypes widens [i, j) over free type words (and connectors) on
// either side.
func (a *Areas) extendTypes(toks []token, used []bool, i, j int) (int, int) {
	w := func(t token) string {
		if t.rw != "" {
			return t.rw
		}
		return t.word
	}
	for {
		grown := false
		for n := min(a.rules.maxType, i); n >= 1; n-- {
			var ws []string
			free := true
			for t := i - n; t < i; t++ {
				ws = append(ws, w(toks[t]))
				free = free && !used[t]
			}
			// "województwo X", "province of X", "canton du X"
			for len(ws) > 1 && a.rules.connectors[ws[len(ws)-1]] {
				ws = ws[:len(ws)-1]
			}
			if free && a.rules.types[strings.Join(ws, " ")] {
				for t := i - n; t < i; t++ {
					used[t] = true
				}
				i -= n
				grown = true
				break
			}
		}
		for n := min(a.rules.maxType, len(toks)-j); n >= 1; n-- {
			var ws []string
			free := true
			for t := j; t < j+n; t++ {
				ws = append(ws, w(toks[t]))
				free = free && !used[t]
			}
			if free && a.rules.types[strings.Join(ws, " ")] {
				for t := j; t < j+n; t++ {
					used[t] = true
				}
				j += n
				grown = true
				break
			}
		}
		if !grown {
			return i, j
		}
	}
}

// findable keeps the entries a phrase may match inside a longer text,
// given how the words were written.
func (a *Areas) findable(es []entry, toks []token, allCaps bool) []entry {
	out := es[:0:0]
	single := len(toks) == 1
	for _, e := range es {
		if e.flag&flagExact != 0 {
			continue
		}
		if e.flag&flagCode != 0 {
			// a code inside a label: only as a dotted abbreviation ("B.C.")
			// or a code of several parts in capitals ("EXT_EU27_2020",
			// "CN_X_HK")
			dotted := single && strings.Contains(toks[0].orig, ".")
			if !dotted && (single || !allTokensCaps(toks)) {
				continue
			}
		}
		if e.flag&flagShort != 0 {
			// in capitals ("US", "UK"), or a capitalized word with a letter
			// beyond ASCII, which no English abbreviation has (Turkish
			// "Çin", China)
			// A script without case (Hebrew סין, Devanagari चीन) has no
			// capitals to tell an abbreviation by.
			if !toks[0].caps && !(toks[0].upper1 && !isASCIIString(toks[0].orig) && e.flag&flagCode == 0) && !caseless(toks[0].orig) {
				continue
			}
			explicit := e.source == "curated" || e.source == "user"
			if allCaps && !explicit && !strings.Contains(toks[0].orig, ".") {
				continue
			}
		}
		if single && e.area.Kind == KindSubdivision && e.flag&flagCode == 0 && !toks[0].upper1 &&
			e.source != "curated" && e.source != "user" {
			// a lower-case word is a region only as a curated adjective
			// ("flamandes", "vlaamse")
			continue
		}
		out = append(out, e)
	}
	return out
}

// gluedToSign reports whether a word is written against a currency sign
// ("US$", "NZ$", "$US"): a currency, not an area.
func gluedToSign(text string, t token) bool {
	if t.be <= t.bs || t.be > len(text) {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(text[t.be:]); unicode.Is(unicode.Sc, r) {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(text[:t.bs])
	return unicode.Is(unicode.Sc, r)
}

// caseless reports whether a word has letters and none of them has case.
func caseless(s string) bool {
	letters := false
	for _, r := range s {
		if unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) {
			return false
		}
		letters = letters || unicode.IsLetter(r)
	}
	return letters
}

func allTokensCaps(toks []token) bool {
	for _, t := range toks {
		if t.letter && !t.caps {
			return false
		}
	}
	return true
}

// isAllCaps reports whether a text has capitals and no lower-case letter.
// Letters without case (中国, סין) are neither.
func isAllCaps(s string) bool {
	upper := false
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) || unicode.IsTitle(r) {
			upper = true
		}
	}
	return upper
}

// Exact reports whether the whole cell names one area: a name, an alias, a
// code ("BEL", "056", "EU27_2020"), or a code with its label ("FR:France",
// "CH: Switzerland", "France (FR)"). Leading articles ("la Germania") and
// type words ("Land Oberösterreich", "Osaka Prefecture") are allowed;
// "of which" prefixes and footnote marks are the caller's to remove.
func (a *Areas) Exact(text string, ctx Context) (Match, bool) {
	ci := a.normCtx(ctx)
	m, ok := a.exact(text, ci)
	if ok && !strings.HasPrefix(m.Via, "code") {
		return m, true // a name, even with a colon or parentheses ("euro area (19)")
	}
	if m2, ok2 := a.codeLabel(text, ci); ok2 {
		return m2, true
	}
	return m, ok
}

func (a *Areas) exact(text string, ci ctxInfo) (Match, bool) {
	toks := tokenize(text)
	if len(toks) == 0 {
		return Match{}, false
	}
	a.rewrite(toks, ci)
	n := toks[len(toks)-1].fe
	words := make([]string, len(toks))
	for i, t := range toks {
		words[i] = t.word
	}
	whole := strings.Join(words, " ")
	codeCaps := len(toks) == 1 && toks[0].caps
	try := func(ws []string, extra string) (Match, bool) {
		p := a.phrase([]byte(strings.Join(ws, " ")))
		if p == nil || len(p.entries) == 0 {
			return Match{}, false
		}
		es := p.entries
		if codeCaps {
			// a cell in capitals that is a code is that code ("RU" is
			// Russia, though Spanish shortens Reino Unido to RU)
			var codes []entry
			for _, e := range es {
				if e.flag&flagCode != 0 && e.flag&flagContext == 0 {
					codes = append(codes, e)
				}
			}
			if len(codes) > 0 {
				es = codes
			}
		}
		d, ok := a.decide(es, ci, nil)
		if !ok {
			return Match{}, false
		}
		return d.match(toks[0].fs, n, whole, extra), true
	}
	if m, ok := try(words, ""); ok {
		return m, true
	}
	rw := make([]string, len(toks))
	changed := ""
	for i, t := range toks {
		rw[i] = t.word
		if t.rw != "" {
			rw[i] = t.rw
			if changed == "" {
				changed = ", inflection " + t.word + " → " + t.rw
			}
		}
	}
	if changed != "" {
		if m, ok := try(rw, changed); ok {
			return m, true
		}
	}
	// leading articles, then type words
	s := rw
	for len(s) > 1 && a.rules.skip[s[0]] {
		s = s[1:]
	}
	if len(s) < len(rw) {
		if m, ok := try(s, changed+", article left out"); ok {
			return m, true
		}
	}
	if t := a.rules.stripTypes(s); len(t) > 0 && len(t) < len(s) && !a.rules.onlyTypesAndLetters(t) {
		if m, ok := try(t, changed+", type word left out"); ok {
			return m, true
		}
	}
	if ar, ok := a.ByCode(text); ok {
		return Match{Area: ar, Candidates: []*Area{ar}, Start: 0, End: n, Words: whole, Via: "code", Why: "the cell is a code"}, true
	}
	return Match{}, false
}

// codeLabel reads "FR:France", "CH: Switzerland", "BE - Belgium" and
// "France (FR)": a code and a label that agree.
func (a *Areas) codeLabel(text string, ci ctxInfo) (Match, bool) {
	text = strings.TrimSpace(text)
	var code, label string
	if i := strings.IndexAny(text, ":|"); i > 0 {
		code, label = text[:i], text[i+1:]
	} else if i := strings.Index(text, " - "); i > 0 {
		code, label = text[:i], text[i+3:]
	} else if i := strings.Index(text, " – "); i > 0 {
		code, label = text[:i], text[i+len(" – "):]
	} else if strings.HasSuffix(text, ")") {
		if i := strings.LastIndex(text, "("); i > 0 {
			label, code = text[:i], text[i+1:len(text)-1]
		}
	}
	code, label = strings.TrimSpace(code), strings.TrimSpace(label)
	if code == "" || label == "" || strings.ContainsAny(code, " ,.") || (isDigits(code) && len(code) != 3) {
		return Match{}, false
	}
	ar, ok := a.ByCode(code)
	if !ok {
		return Match{}, false
	}
	n := len(tokenize(text))
	if n > 0 {
		toks := tokenize(text)
		n = toks[len(toks)-1].fe
	}
	words := strings.Join(wordsOf(tokenize(text)), " ")
	lm, lok := a.exact(label, ci)
	if ar.Kind == KindCountry && lok && lm.Area != ar {
		// "Georgia (US)", "Limburg (BE)": the code is the label's country
		ci2 := ci
		ci2.country = ar.Code
		if m2, ok := a.exact(label, ci2); ok && m2.Area.Country() == ar.Code {
			m2.Start, m2.End, m2.Words = 0, n, words
			m2.Via += ", country code in the cell"
			m2.Why = "the cell names its country " + ar.Code
			return m2, true
		}
	}
	switch {
	case lok && lm.Area == ar:
		return Match{Area: ar, Candidates: []*Area{ar}, Start: 0, End: n, Words: words,
			Via: "code:label (" + lm.Via + ")", Why: "the code and the label agree"}, true
	case lok:
		for _, c := range lm.Candidates {
			if c == ar {
				return Match{Area: ar, Candidates: lm.Candidates, Start: 0, End: n, Words: words,
					Via: "code:label", Why: "the code picks one of the areas the label can name"}, true
			}
		}
		return Match{Area: ar, Candidates: append([]*Area{ar}, lm.Candidates...), Ambiguous: true, Start: 0, End: n,
			Words: words, Via: "code:label", Why: fmt.Sprintf("the code says %s but the label says %s", ar.Code, lm.Area.Code)}, true
	}
	return Match{Area: ar, Candidates: []*Area{ar}, Start: 0, End: n, Words: words,
		Via: "code:label (label not known)", Why: "the code names it"}, true
}

func wordsOf(toks []token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.word
	}
	return out
}

// Explain says, in lines for people, how a text resolves: its words, what
// Exact and Find make of it, every candidate, the decision and why. It is
// what `tradeetl labels NAME` prints.
func (a *Areas) Explain(text string, ctx Context) []string {
	ci := a.normCtx(ctx)
	toks := tokenize(text)
	a.rewrite(toks, ci)
	var lines []string
	var ws []string
	for _, t := range toks {
		w := t.word
		if t.rw != "" {
			w += "→" + t.rw
		}
		ws = append(ws, w)
	}
	lines = append(lines, fmt.Sprintf("text %q: words [%s]", text, strings.Join(ws, " ")))
	if ci.country != "" || len(ci.langs) > 0 {
		lines = append(lines, fmt.Sprintf("context: country %q, languages %v", ci.country, ci.langs))
	} else {
		lines = append(lines, "context: none")
	}
	describe := func(prefix string, m Match) {
		state := "decided"
		if m.Ambiguous {
			state = "AMBIGUOUS"
		}
		lines = append(lines, fmt.Sprintf("%s%s %s (%s), %s: %s [words %d-%d %q, via %s]",
			prefix, m.Area.Code, m.Area.Name, describeArea(m.Area), state, m.Why, m.Start, m.End, m.Words, m.Via))
		for _, c := range m.Candidates[1:] {
			lines = append(lines, fmt.Sprintf("%s  also %s %s (%s)", prefix, c.Code, c.Name, describeArea(c)))
		}
	}
	if m, ok := a.Exact(text, ctx); ok {
		describe("exact: ", m)
	} else {
		lines = append(lines, "exact: the whole text names no area")
	}
	ms := a.Find(text, ctx)
	if len(ms) == 0 {
		lines = append(lines, "find: no area named inside the text")
	}
	for _, m := range ms {
		describe("find: ", m)
	}
	return lines
}

func describeArea(ar *Area) string {
	s := string(ar.Kind)
	if ar.Parent != "" {
		s += " of " + ar.Parent
	}
	if ar.Within != "" {
		s += ", in " + ar.Within
	}
	if ar.SubType != "" {
		s += ", " + strings.ToLower(ar.SubType)
	}
	return s
}
