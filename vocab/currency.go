package vocab

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"golang.org/x/text/language"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

//go:embed currencies.tsv
var currenciesTSV []byte

// Currency is an ISO 4217 currency.
type Currency struct {
	Code    string // "EUR"
	Numeric string // "978"
	Name    string // English name ("Euro", "US Dollar")
	// Symbols are the signs written for it, strongest first: the CLDR
	// symbols in the languages of this package, then those its countries
	// write, then narrow forms ("€"; "$", "US$").
	Symbols []string
	// Countries are the ISO 3166-1 codes of the countries using it now.
	Countries []string
}

// CurrencyMatch is a currency named in a unit note.
type CurrencyMatch struct {
	Currency   *Currency
	Candidates []*Currency // every currency the words can name, Currency first
	Ambiguous  bool        // more than one candidate and neither the context nor the text decided
	Text       string      // the words or symbol as written ("US$", "kronor", "EUR")
	Via        string      // "code", "symbol (en_AU)", "name (de)", "generic word", "curated alias"...
	Why        string      // why Currency was chosen, for people
}

// Currencies is an immutable list of currencies with its index of names,
// codes and symbols. It is safe for concurrent use.
type Currencies struct {
	base   []baseCurrency
	layers []layer

	list      []*Currency
	byCode    map[string]*Currency
	byCountry map[string][]*Currency
	phrases   map[string]*cphrase  // folded names, words, codes, letter symbols
	signs     map[string][]centry  // symbols holding a currency sign ("$", "NZ$", "$US")
	prefer    map[string]*Currency // generic key -> the currency it means without context
	likely    map[string]*Currency // generic key -> the first candidate when nothing decides
	codeWords map[string]bool      // codes that are also words (ALL, TOP): not in all-capital text
}

type baseCurrency struct {
	cur   Currency
	lines []nameRec // source: name, iso, iso-l10n, symbol, local, narrow
}

type centry struct {
	cur   *Currency
	kind  string // code, name, alias, word, symbol, local, narrow
	langs string
	orig  string // a letter symbol as written ("kr", "Kč"): case counts
}

type cphrase struct {
	entries []centry
	prefix  bool
}

var (
	curBaseOnce sync.Once
	curBase     []baseCurrency
	curBaseErr  error

	curDefaultOnce sync.Once
	curDefault     *Currencies
	curDefaultErr  error
)

func parseCurrenciesTSV(data []byte) ([]baseCurrency, error) {
	var out []baseCurrency
	sc := bufio.NewScanner(bytes.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		s := sc.Text()
		if s == "" || s[0] == '#' {
			continue
		}
		f := strings.Split(s, "\t")
		if s[0] == '\t' {
			if len(f) != 4 || len(out) == 0 {
				return nil, fmt.Errorf("currencies.tsv:%d: bad name line", line)
			}
			last := &out[len(out)-1]
			last.lines = append(last.lines, nameRec{source: f[1], langs: f[2], text: f[3]})
			switch f[1] {
			case "symbol", "local", "narrow":
				last.cur.Symbols = append(last.cur.Symbols, f[3])
			}
			continue
		}
		if len(f) != 4 {
			return nil, fmt.Errorf("currencies.tsv:%d: want 4 fields, have %d", line, len(f))
		}
		out = append(out, baseCurrency{cur: Currency{Code: f[0], Numeric: f[1], Name: f[2], Countries: fields(f[3])}})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("currencies.tsv: %w", err)
	}
	return out, nil
}

// DefaultCurrencies returns the built-in currencies: ISO 4217 with CLDR
// names and symbols, and curated.yaml merged over them. Built once and
// shared.
func DefaultCurrencies() *Currencies {
	c, err := defaultCurrenciesErr()
	if err != nil {
		panic(err)
	}
	return c
}

func defaultCurrenciesErr() (*Currencies, error) {
	curDefaultOnce.Do(func() {
		curBaseOnce.Do(func() { curBase, curBaseErr = parseCurrenciesTSV(currenciesTSV) })
		if curBaseErr != nil {
			curDefaultErr = curBaseErr
			return
		}
		cur, err := loadCurated()
		if err != nil {
			curDefaultErr = err
			return
		}
		curDefault, curDefaultErr = buildCurrencies(curBase, []layer{{source: "curated", overlay: cur}})
	})
	return curDefault, curDefaultErr
}

// WithOverlay returns a new list with an overlay's currencies (and
// currency words) merged over c, which is not changed.
func (c *Currencies) WithOverlay(o *Overlay) (*Currencies, error) {
	return buildCurrencies(c.base, append(append([]layer{}, c.layers...), layer{source: "user", overlay: o}))
}

// ByCode finds a currency by its ISO 4217 code (any case) or numeric code.
func (c *Currencies) ByCode(code string) (*Currency, bool) {
	cur, ok := c.byCode[strings.ToUpper(strings.TrimSpace(code))]
	return cur, ok
}

// All returns every currency, in ISO 4217 order.
func (c *Currencies) All() []*Currency { return append([]*Currency(nil), c.list...) }

// kindRank orders the ways a key names currencies: the strongest first.
func kindRank(e centry) int {
	switch e.kind {
	case "code":
		return 0
	case "alias", "name":
		return 1
	case "symbol":
		if l := "," + e.langs + ","; e.langs == "" || strings.Contains(l, ",en,") || strings.Contains(l, ",root,") {
			return 2 // written so in English or everywhere
		}
		return 3
	case "local":
		return 4
	case "narrow":
		return 5
	}
	return 6 // generic word
}

func buildCurrencies(base []baseCurrency, layers []layer) (*Currencies, error) {
	c := &Currencies{base: base, layers: layers, byCode: map[string]*Currency{}, byCountry: map[string][]*Currency{},
		phrases: map[string]*cphrase{}, signs: map[string][]centry{}, prefer: map[string]*Currency{}, likely: map[string]*Currency{}, codeWords: map[string]bool{}}
	lines := map[*Currency][]nameRec{}
	for i := range base {
		cur := new(Currency)
		*cur = base[i].cur
		cur.Symbols = append([]string(nil), cur.Symbols...)
		c.list = append(c.list, cur)
		c.byCode[cur.Code] = cur
		if cur.Numeric != "" {
			c.byCode[cur.Numeric] = cur
		}
		lines[cur] = base[i].lines
	}
	var words []string
	removed := map[*Currency]map[string]bool{}
	for _, l := range layers {
		for _, e := range l.overlay.Currencies {
			cur, ok := c.byCode[strings.ToUpper(e.Code)]
			if !ok {
				return nil, fmt.Errorf("vocab: %s currency %s: not an ISO 4217 code", l.source, e.Code)
			}
			for _, r := range e.Remove {
				if removed[cur] == nil {
					removed[cur] = map[string]bool{}
				}
				removed[cur][foldKey(r)] = true
			}
			for _, a := range e.Aliases {
				lines[cur] = append(lines[cur], nameRec{source: "alias", text: a})
			}
			for _, s := range e.Symbols {
				lines[cur] = append(lines[cur], nameRec{source: "symbol", text: s, flag: flagCode})
				if !contains(cur.Symbols, s) {
					cur.Symbols = append(cur.Symbols, s)
				}
			}
			for _, p := range e.Prefer {
				c.prefer[currencyKey(p)] = cur
			}
			for _, p := range e.Likely {
				c.likely[currencyKey(p)] = cur
			}
			if len(e.Countries) > 0 {
				cur.Countries = upperAll(e.Countries)
			}
			if e.Withdrawn {
				cur.Countries = nil
			}
		}
		words = append(words, l.overlay.CurrencyWords...)
		for _, w := range l.overlay.CurrencyCodeWords {
			c.codeWords[strings.ToUpper(w)] = true
		}
	}
	for _, cur := range c.list {
		for _, k := range cur.Countries {
			c.byCountry[k] = append(c.byCountry[k], cur)
		}
		c.addWord(cur.Code, centry{cur: cur, kind: "code"})
		for _, n := range lines[cur] {
			if removed[cur][foldKey(n.text)] && n.source != "alias" && n.flag&flagCode == 0 {
				continue
			}
			switch n.source {
			case "name", "iso", "iso-l10n":
				c.addWord(n.text, centry{cur: cur, kind: "name", langs: n.langs})
			case "alias":
				c.addWord(n.text, centry{cur: cur, kind: "alias"})
			case "symbol", "local", "narrow":
				c.addSymbol(n, cur)
			}
		}
	}
	// generic words: every currency with the word in a name. The names are
	// read once, each of their runs of words looked up among the generic
	// words (a generic word of a script without spaces is several words:
	// "달 러").
	generic := map[string]bool{}
	maxN := 1
	for _, w := range words {
		k := foldKey(w)
		if k == "" || strings.Contains(k, " ") && !allSplit(k) {
			continue // one word, or characters of a script without spaces ("달러")
		}
		generic[k] = true
		maxN = max(maxN, strings.Count(k, " ")+1)
	}
	named := map[string][]*Currency{}
	for key, p := range c.phrases {
		ws := strings.Split(key, " ")
		for i := range ws {
			for n := 1; n <= maxN && i+n <= len(ws); n++ {
				g := ws[i]
				if n > 1 {
					g = strings.Join(ws[i:i+n], " ")
				}
				if !generic[g] {
					continue
				}
				for _, e := range p.entries {
					if (e.kind == "name" || e.kind == "alias") && !containsCur(named[g], e.cur) {
						named[g] = append(named[g], e.cur)
					}
				}
			}
		}
	}
	for _, w := range words {
		k := foldKey(w)
		if !generic[k] {
			continue
		}
		hits := named[k]
		sort.Slice(hits, func(i, j int) bool { return hits[i].Code < hits[j].Code })
		for _, cur := range hits {
			c.addWord(w, centry{cur: cur, kind: "word"})
		}
	}
	return c, nil
}

func containsCur(list []*Currency, c *Currency) bool {
	for _, x := range list {
		if x == c {
			return true
		}
	}
	return false
}

// allSplit reports whether every word of a folded key is a character of a
// script written without spaces.
func allSplit(k string) bool {
	for _, w := range strings.Split(k, " ") {
		if !splitWord(w) {
			return false
		}
	}
	return true
}

func (c *Currencies) addWord(text string, e centry) {
	k := foldKey(text)
	if k == "" {
		return
	}
	p := c.phrases[k]
	if p == nil {
		p = &cphrase{}
		c.phrases[k] = p
	}
	for _, x := range p.entries {
		if x.cur == e.cur && x.kind == e.kind && x.orig == e.orig {
			return
		}
	}
	p.entries = append(p.entries, e)
	for i := 0; i < len(k); i++ {
		if k[i] == ' ' {
			pk := k[:i]
			if pp := c.phrases[pk]; pp != nil {
				pp.prefix = true
			} else {
				c.phrases[pk] = &cphrase{prefix: true}
			}
		}
	}
}

// addSymbol indexes a symbol: with a currency sign ("$", "NZ$", "€") by
// its text; made of letters ("kr", "Kč", "zł") as a word whose case counts.
// ASCII letter symbols from CLDR ("Le", "Br", "Rs") are also words, so only
// those curated.yaml lists (flagCode) are used.
func (c *Currencies) addSymbol(n nameRec, cur *Currency) {
	s := strings.TrimSpace(n.text)
	if s == "" {
		return
	}
	e := centry{cur: cur, kind: n.source, langs: n.langs}
	if n.flag&flagCode != 0 {
		e.kind = "symbol" // curated
	}
	if hasSign(s) {
		key := strings.ReplaceAll(s, " ", "")
		for _, x := range c.signs[key] {
			if x.cur == cur {
				return
			}
		}
		c.signs[key] = append(c.signs[key], e)
		return
	}
	letters := strings.TrimSuffix(s, ".")
	if utf8.RuneCountInString(letters) < 2 || !isLetters(letters) {
		return
	}
	if isASCIIString(letters) && n.flag&flagCode == 0 {
		return
	}
	e.orig = letters
	c.addWord(letters, e)
}

func hasSign(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Sc, r) {
			return true
		}
	}
	return false
}

func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// currencyKey is the key of a symbol or word in prefer.
func currencyKey(s string) string {
	if hasSign(s) {
		return strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	}
	return foldKey(s)
}

// chit is a currency word or symbol found in a text.
type chit struct {
	bs, be int // byte span
	key    string
	text   string
	es     []centry
	cands  []*Currency
	vias   map[*Currency]string
	why    string
	amb    bool
	cur    *Currency
	via    string
}

// Find returns the currencies named in a unit note ("Mio. EUR", "€m",
// "US$ Thousand", "NZ$(million)", "Million kr.", "mln zł", "$ millions
// (Canadian dollars)", "¥100 million"), one match per currency, in text
// order. Symbols glued to other text are found. A code or a specific name
// decides a generic symbol or word in the same text ("$" with "Canadian
// dollars"); otherwise the context country does ("kr" in a Danish table),
// then curated preferences ("£" is GBP); what is left is Ambiguous.
func (c *Currencies) Find(text string, ctx Context) []CurrencyMatch {
	var hits []chit
	// symbols with a currency sign, glued letters included ("NZ$", "$US")
	for i, r := range text {
		if !unicode.Is(unicode.Sc, r) {
			continue
		}
		end := i + utf8.RuneLen(r)
		pre := letterRunBefore(text, i)
		post := letterRunAfter(text, end)
		var best chit
		// "US $", "HK $": the letters of a symbol written apart from its sign
		if pre == "" && i > 1 && text[i-1] == ' ' {
			if apart := letterRunBefore(text, i-1); apart != "" {
				k := apart + text[i:end]
				if es, ok := c.signs[k]; ok {
					best = chit{bs: i - 1 - len(apart), be: end, key: k, text: text[i-1-len(apart) : end], es: es}
				}
			}
		}
		for _, cand := range []struct{ bs, be int }{
			{i - len(pre), end + len(post)}, {i - len(pre), end}, {i, end + len(post)}, {i, end},
		} {
			if best.es != nil {
				break
			}
			s := text[cand.bs:cand.be]
			if es, ok := c.signs[s]; ok {
				best = chit{bs: cand.bs, be: cand.be, key: s, text: s, es: es}
				break
			}
		}
		if best.es != nil && !overlaps(hits, best.bs, best.be) {
			hits = append(hits, best)
		}
	}
	// words, names, codes and letter symbols
	toks := tokenize(text)
	allCaps := isAllCaps(text)
	used := make([]bool, len(toks))
	for k, t := range toks {
		if overlaps(hits, t.bs, t.be) {
			used[k] = true
		}
	}
	type span struct {
		i, j int
		es   []centry
	}
	var spans []span
	var buf []byte
	for i := range toks {
		if used[i] {
			continue
		}
		for j := i + 1; j <= len(toks) && !used[j-1]; j++ {
			buf = key(buf, toks[i:j], false)
			p := c.phrases[string(buf)]
			if p == nil {
				break
			}
			if j == i+1 && splitWord(toks[i].word) && !runEnd(text, toks[i]) {
				// one character of a script without spaces ("원", "円")
				// names a currency only at the end of its run ("백만 원",
				// "万円"), not inside a word ("원산지", country of origin)
			} else if es := c.usable(p.entries, toks[i:j], allCaps); len(es) > 0 {
				spans = append(spans, span{i, j, es})
			}
			if !p.prefix {
				break
			}
		}
	}
	sort.SliceStable(spans, func(x, y int) bool {
		if spans[x].j-spans[x].i != spans[y].j-spans[y].i {
			return spans[x].j-spans[x].i > spans[y].j-spans[y].i
		}
		return spans[x].i < spans[y].i
	})
	for _, s := range spans {
		free := true
		for t := s.i; t < s.j; t++ {
			free = free && !used[t]
		}
		if !free {
			continue
		}
		for t := s.i; t < s.j; t++ {
			used[t] = true
		}
		bs, be := toks[s.i].bs, toks[s.j-1].be
		txt := text[bs:be]
		if be <= bs { // no byte spans (unusual text): show the words
			txt = strings.Join(wordsOf(toks[s.i:s.j]), " ")
		}
		hits = append(hits, chit{bs: bs, be: be, key: string(key(nil, toks[s.i:s.j], false)), text: txt, es: s.es})
	}
	if len(hits) == 0 {
		return nil
	}
	sort.SliceStable(hits, func(x, y int) bool { return hits[x].bs < hits[y].bs })
	c.resolve(hits, ctx)
	// one match per currency, at its first mention
	var out []CurrencyMatch
	seen := map[*Currency]int{}
	for _, h := range hits {
		if k, ok := seen[h.cur]; ok && !h.amb {
			if out[k].Ambiguous {
				out[k] = h.match()
			}
			continue
		}
		seen[h.cur] = len(out)
		out = append(out, h.match())
	}
	return out
}

// runEnd reports whether a token ends a run of letters: no letter or
// digit follows it in the text.
func runEnd(text string, t token) bool {
	if t.be <= t.bs || t.be > len(text) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[t.be:])
	return t.be == len(text) || !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

func (h chit) match() CurrencyMatch {
	return CurrencyMatch{Currency: h.cur, Candidates: h.cands, Ambiguous: h.amb, Text: h.text, Via: h.via, Why: h.why}
}

// usable keeps the entries a word sequence may match as written: codes in
// capitals, letter symbols in their own case.
func (c *Currencies) usable(es []centry, toks []token, allCaps bool) []centry {
	out := es[:0:0]
	for _, e := range es {
		switch {
		case e.kind == "code":
			if len(toks) != 1 || !toks[0].caps || (allCaps && c.codeWords[e.cur.Code]) {
				continue
			}
		case e.orig != "":
			// letter symbols in their own case ("R", "Ar"); those of three
			// letters or more in any ("Ksh", "KSh", "KSH")
			w := strings.TrimSuffix(toks[0].orig, ".")
			if len(toks) != 1 || w != e.orig && (utf8.RuneCountInString(e.orig) < 3 || !strings.EqualFold(w, e.orig)) {
				continue
			}
		}
		out = append(out, e)
	}
	return out
}

// resolve decides every hit: alone, by the text's specific currencies, by
// the context country, by curated preference.
func (c *Currencies) resolve(hits []chit, ctx Context) {
	country := strings.ToUpper(strings.TrimSpace(ctx.Country))
	if k, _, ok := strings.Cut(country, "-"); ok {
		country = k // a subdivision: its country
	}
	if _, ok := c.byCountry[country]; !ok && country != "" {
		// an alpha-3 or numeric code: ask the area list
		if ar, ok := DefaultAreas().ByCode(country); ok && ar.Country() != "" {
			country = ar.Country()
		}
	}
	langs := make([]string, 0, len(ctx.Langs))
	for _, l := range ctx.Langs {
		langs = append(langs, normLang(l))
	}
	specific := map[*Currency]bool{}
	for k := range hits {
		h := &hits[k]
		h.cands, h.vias = c.rank(h.es, langs)
		if len(h.cands) == 1 {
			h.cur = h.cands[0]
			h.why = "the only currency written so"
			specific[h.cur] = true
		}
	}
	for k := range hits {
		h := &hits[k]
		if h.cur != nil {
			continue
		}
		h.cur = h.cands[0]
		switch {
		case pick(h, func(x *Currency) bool { return specific[x] }):
			h.why = "the same text names " + h.cur.Code
		case country != "" && pick(h, func(x *Currency) bool { return containsCur(c.byCountry[country], x) }):
			h.why = "the context country " + country + " uses " + h.cur.Code
		case len(langs) > 0 && pickByLanguage(h, langs[0]):
			h.why = "of the currencies written so, only " + h.cur.Code + " is that of a country whose language is the table's (" + langs[0] + ")"
		case c.prefer[h.key] != nil && containsCur(h.cands, c.prefer[h.key]):
			pick(h, func(x *Currency) bool { return x == c.prefer[h.key] })
			h.why = h.key + " means " + h.cur.Code + " unless the context says otherwise (curated)"
		default:
			h.amb = true
			h.why = "written so for several currencies, and neither the text nor the context country decides"
			if l := c.likely[h.key]; l != nil {
				pick(h, func(x *Currency) bool { return x == l })
			}
		}
	}
	for k := range hits {
		hits[k].via = hits[k].vias[hits[k].cur]
	}
}

// pickByLanguage picks the one candidate whose country speaks the table's
// language ("kr" in a Norwegian table: NOK, not DKK or SEK), by CLDR's
// likely-subtags data in x/text: Norway's likely language is Norwegian
// Bokmål. When several candidates' countries speak it ("$" in English:
// USD, AUD, CAD...), nothing is picked.
func pickByLanguage(h *chit, lang string) bool {
	base, _, _ := strings.Cut(lang, "_")
	want, err := language.ParseBase(base)
	if err != nil {
		return false
	}
	var found *Currency
	for _, x := range h.cands {
		speaks := false
		for _, country := range x.Countries {
			r, err := language.ParseRegion(country)
			if err != nil {
				continue
			}
			t, err := language.Compose(language.Und, r)
			if err != nil {
				continue
			}
			if b, _ := t.Base(); sameLanguage(b, want) {
				speaks = true
				break
			}
		}
		if !speaks {
			continue
		}
		if found != nil {
			return false
		}
		found = x
	}
	if found == nil {
		return false
	}
	return pick(h, func(x *Currency) bool { return x == found })
}

// sameLanguage treats Norwegian and Norwegian Bokmål as one.
func sameLanguage(a, b language.Base) bool {
	norm := func(x language.Base) string {
		if s := x.String(); s != "no" {
			return s
		}
		return "nb"
	}
	return norm(a) == norm(b)
}

// pick moves the first candidate that ok accepts to the front.
func pick(h *chit, ok func(*Currency) bool) bool {
	for i, x := range h.cands {
		if ok(x) {
			h.cands = append([]*Currency{x}, append(append([]*Currency{}, h.cands[:i]...), h.cands[i+1:]...)...)
			h.cur = x
			return true
		}
	}
	return false
}

// rank orders the currencies a hit can name, strongest first, the
// context's languages before others, and describes the strongest entry.
func (c *Currencies) rank(es []centry, langs []string) ([]*Currency, map[*Currency]string) {
	type rc struct {
		cur  *Currency
		rank int
		lang bool
		e    centry
	}
	var rs []rc
	idx := map[*Currency]int{}
	for _, e := range es {
		r := kindRank(e)
		lm := langMatch(e.langs, langs)
		if i, ok := idx[e.cur]; ok {
			if r < rs[i].rank {
				rs[i].rank, rs[i].e = r, e
			}
			rs[i].lang = rs[i].lang || lm
			continue
		}
		idx[e.cur] = len(rs)
		rs = append(rs, rc{cur: e.cur, rank: r, lang: lm, e: e})
	}
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].lang != rs[j].lang {
			return rs[i].lang
		}
		if rs[i].rank != rs[j].rank {
			return rs[i].rank < rs[j].rank
		}
		return rs[i].cur.Code < rs[j].cur.Code
	})
	out := make([]*Currency, len(rs))
	vias := make(map[*Currency]string, len(rs))
	for i, r := range rs {
		out[i] = r.cur
		vias[r.cur] = centryVia(r.e)
	}
	return out, vias
}

// centryVia describes how a key names a currency, for people.
func centryVia(e centry) string {
	switch e.kind {
	case "word":
		return "generic word"
	case "alias":
		return "curated alias"
	case "code":
		return "code"
	}
	v := e.kind
	if e.kind == "local" {
		v = "symbol its country writes"
	} else if e.kind == "narrow" {
		v = "narrow symbol"
	}
	if e.langs != "" {
		ls := strings.Split(e.langs, ",")
		if len(ls) > 4 {
			ls = append(ls[:4], "…")
		}
		v += " (" + strings.Join(ls, ", ") + ")"
	}
	return v
}

func letterRunBefore(s string, i int) string {
	j := i
	for j > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:j])
		if !unicode.IsLetter(r) {
			break
		}
		j -= n
	}
	if i-j > 3 {
		return ""
	}
	return s[j:i]
}

func letterRunAfter(s string, i int) string {
	j := i
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		if !unicode.IsLetter(r) {
			break
		}
		j += n
	}
	if j-i > 3 {
		return ""
	}
	return s[i:j]
}

func overlaps(hits []chit, bs, be int) bool {
	for _, h := range hits {
		if bs < h.be && h.bs < be {
			return true
		}
	}
	return false
}
