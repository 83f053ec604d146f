package vocab

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/tradeetl/tradeetl/schemas"
)

// entryFlag qualifies one name of an area.
type entryFlag uint8

const (
	flagAmbiguous entryFlag = 1 << iota // never decides alone (curated)
	flagContext                         // matches only for its context country
	flagShort                           // 1-3 letters: inside a label only in capitals
	flagStripped                        // the name without its type words
	flagCode                            // a code, not a name
	flagExact                           // only a whole cell
)

// entry is one area a phrase names, and how.
type entry struct {
	area   *Area
	source string
	langs  string
	flag   entryFlag
}

// phrase is a folded word sequence of the index: the areas it names, and
// whether longer phrases start with it.
type phrase struct {
	entries []entry
	prefix  bool
}

// Areas is an immutable list of areas with its name index. It is safe for
// concurrent use.
type Areas struct {
	base   []baseArea
	layers []layer
	rules  *rules

	list    []*Area
	order   map[*Area]int
	byCode  map[string]*Area
	phrases map[string]int32 // key -> index in phr
	phr     []phrase
	words   map[string]bool // every word of every phrase, and the type words
	names   map[*Area][]nameRec
}

// rules are the word lists of the overlays, folded.
type rules struct {
	inflections   map[string][]Inflection
	inflLangs     []string
	types         map[string]bool // folded type phrases
	maxType       int
	connectors    map[string]bool
	skip          map[string]bool
	weak          map[string]bool
	currencyWords []string
}

func newRules() *rules {
	return &rules{inflections: map[string][]Inflection{}, types: map[string]bool{}, connectors: map[string]bool{},
		skip: map[string]bool{}, weak: map[string]bool{}}
}

func (r *rules) merge(o *Overlay) {
	langs := make([]string, 0, len(o.Inflections))
	for l := range o.Inflections {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		l2 := normLang(l)
		if _, ok := r.inflections[l2]; !ok {
			r.inflLangs = append(r.inflLangs, l2)
		}
		for _, in := range o.Inflections[l] {
			r.inflections[l2] = append(r.inflections[l2], Inflection{Suffix: foldKey(in.Suffix), Replace: foldKey(in.Replace), Prefix: foldKey(in.Prefix)})
		}
	}
	for _, t := range o.TypeWords {
		if k := foldKey(t); k != "" {
			r.types[k] = true
			r.maxType = max(r.maxType, strings.Count(k, " ")+1)
		}
	}
	for _, set := range []struct {
		m    map[string]bool
		list []string
	}{{r.connectors, o.Connectors}, {r.skip, o.SkipWords}, {r.weak, o.WeakWords}} {
		for _, w := range set.list {
			if k := foldKey(w); k != "" {
				set.m[k] = true
			}
		}
	}
	r.currencyWords = append(r.currencyWords, o.CurrencyWords...)
}

// normLang turns "de-AT" and "de_at" into "de_AT".
func normLang(l string) string {
	l = strings.ReplaceAll(strings.TrimSpace(l), "-", "_")
	base, region, ok := strings.Cut(l, "_")
	if !ok {
		return strings.ToLower(l)
	}
	return strings.ToLower(base) + "_" + strings.ToUpper(region)
}

// hasLetterWord reports whether a phrase holds a word of one letter: a
// name cut at a hyphen ("okres I-lan" without "län" is no name). A
// character of a script written without spaces ("广", "東") is a word of
// one letter by nature, not a cut.
func hasLetterWord(words []string) bool {
	for _, w := range words {
		if r := []rune(w); len(r) == 1 && !schemas.SplitRune(r[0]) {
			return true
		}
	}
	return false
}

// splitWord reports whether a folded word is a character of a script
// written without spaces (with its marks).
func splitWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return schemas.SplitRune(r)
}

// onlyTypesAndLetters reports whether a phrase holds nothing but type
// words, connectors and one- or two-letter words.
func (r *rules) onlyTypesAndLetters(words []string) bool {
	for _, w := range r.stripTypes(words) {
		if (len([]rune(w)) > 2 || splitWord(w)) && !r.connectors[w] {
			return false
		}
	}
	return true
}

// stripTypes removes type words (and the connectors that tie them) from
// both ends of a folded phrase: "wojewodztwo slaskie" -> "slaskie",
// "comte de vastra gotaland" -> "vastra gotaland", "osaka prefecture" ->
// "osaka".
func (r *rules) stripTypes(words []string) []string {
	for changed := true; changed && len(words) > 0; {
		changed = false
		for n := min(r.maxType, len(words)); n >= 1; n-- {
			if r.types[strings.Join(words[:n], " ")] {
				words = words[n:]
				for len(words) > 0 && r.connectors[words[0]] {
					words = words[1:]
				}
				changed = true
				break
			}
		}
		for n := min(r.maxType, len(words)); n >= 1; n-- {
			if r.types[strings.Join(words[len(words)-n:], " ")] {
				words = words[:len(words)-n]
				for len(words) > 0 && r.connectors[words[len(words)-1]] {
					words = words[:len(words)-1]
				}
				changed = true
				break
			}
		}
	}
	return words
}

// sourceRank orders the sources of a name for Via: the published sources
// first, then the curated and user names that repeat or extend them.
func sourceRank(s string) int {
	switch s {
	case "cldr", "cldr-short", "cldr-variant":
		return 0
	case "iso", "iso-official", "iso-common":
		return 1
	case "iso-l10n":
		return 2
	case "xtext":
		return 3
	case "curated":
		return 4
	case "user":
		return 5
	}
	return 6
}

// index builds the lookup tables from the built areas.
func (a *Areas) index(builds []*areaBuild) error {
	sort.SliceStable(builds, func(i, j int) bool { return builds[i].order < builds[j].order })
	a.list = make([]*Area, len(builds))
	a.order = make(map[*Area]int, len(builds))
	a.byCode = make(map[string]*Area, len(builds)*3)
	a.phrases = make(map[string]int32, len(builds)*12)
	a.phr = make([]phrase, 0, len(builds)*12)
	a.words = map[string]bool{}
	a.names = make(map[*Area][]nameRec, len(builds))
	for i, b := range builds {
		a.list[i] = b.area
		a.order[b.area] = i
		a.names[b.area] = b.names
	}
	// codes: primary codes first, then countries' alpha-3 and numeric, then
	// other codes; the first area to hold a code keeps it
	setCode := func(c string, ar *Area) {
		if c = strings.ToUpper(c); c != "" {
			if _, ok := a.byCode[c]; !ok {
				a.byCode[c] = ar
			}
		}
	}
	for _, ar := range a.list {
		setCode(ar.Code, ar)
	}
	for _, ar := range a.list {
		if ar.Kind == KindCountry {
			setCode(ar.Alpha3, ar)
			setCode(ar.Numeric, ar)
		}
	}
	for _, ar := range a.list {
		for _, c := range ar.Codes {
			setCode(c, ar)
		}
	}
	for _, ar := range a.list {
		setCode(ar.Alpha3, ar)
		setCode(ar.Numeric, ar)
	}

	for _, b := range builds {
		ar := b.area
		// a subdivision whose English name is a weak word ("Unity") needs
		// context for every one-word name ("Unidade", "Unité")
		weakArea := ar.Kind == KindSubdivision && a.rules.weak[foldKey(ar.Name)]
		type seenKey struct {
			k        string
			flag     entryFlag
			explicit bool
		}
		seen := map[seenKey]bool{}
		add := func(k string, e entry) {
			if k == "" || b.remove[k] || (e.flag&flagCode == 0 && allSingleRunes(k)) {
				return
			}
			// one entry per name and kind; a curated or user name is kept
			// beside a generated one (its source matters: short curated
			// names match in capital text)
			sk := seenKey{k, e.flag, e.source == "curated" || e.source == "user"}
			if seen[sk] {
				return
			}
			seen[sk] = true
			if !strings.Contains(k, " ") && utf8.RuneCountInString(k) <= 3 {
				e.flag |= flagShort
			}
			if ar.Kind == KindSubdivision && (a.rules.weak[k] || weakArea && !strings.Contains(k, " ")) {
				e.flag |= flagContext
			}
			a.addPhrase(k, e)
		}
		for _, n := range b.names {
			if n.source == "code" {
				continue
			}
			k := n.key
			if k == "" {
				k = foldKey(n.text)
			}
			if ar.Kind == KindSubdivision && a.rules.onlyTypesAndLetters(strings.Fields(k)) {
				// "okres I" (a Czech name of Yilan): a type word and a
				// letter name nothing a table would write
				continue
			}
			add(k, entry{area: ar, source: n.source, langs: n.langs, flag: n.flag})
			if ar.Kind == KindSubdivision {
				words := strings.Fields(k)
				if s := a.rules.stripTypes(words); len(s) > 0 && len(s) < len(words) && !hasLetterWord(s) {
					f := n.flag | flagStripped
					if len(s) == 1 {
						// "Free State" -> "free": one word left needs its country
						f |= flagContext
					}
					add(strings.Join(s, " "), entry{area: ar, source: n.source, langs: n.langs, flag: f})
				}
			}
		}
		// codes as words: a country's alpha-2/alpha-3, other codes, and a
		// subdivision's code after the dash ("BC"), which needs its country
		// as context
		codes := append([]string{}, ar.Codes...)
		switch ar.Kind {
		case KindCountry:
			codes = append(codes, ar.Code, ar.Alpha3)
		case KindSubdivision:
			if _, sub, ok := strings.Cut(ar.Code, "-"); ok && !isDigits(sub) {
				add(foldKey(sub), entry{area: ar, source: "code", flag: flagCode | flagContext})
			}
		case KindAggregate, KindHistoric:
			codes = append(codes, ar.Code)
		}
		for _, c := range codes {
			if isDigits(c) || strings.Contains(c, "-") {
				continue
			}
			add(foldKey(c), entry{area: ar, source: "code", flag: flagCode})
		}
	}
	for t := range a.rules.types {
		for _, w := range strings.Fields(t) {
			a.words[w] = true
		}
	}
	for c := range a.rules.connectors {
		a.words[c] = true
	}
	return nil
}

// allSingleRunes reports whether every word of a key is one letter ("r u"
// from "R.-U."): such names say nothing. Two or more characters of a
// script written without spaces ("中 国") are a name; one alone is not.
func allSingleRunes(k string) bool {
	split := 0 // words that are such characters
	for _, w := range strings.Split(k, " ") {
		for i, r := range w {
			if i > 0 && !schemas.IsWordMark(r) {
				return false
			}
		}
		if splitWord(w) {
			split++
		}
	}
	return split < 2
}

func (a *Areas) addPhrase(k string, e entry) {
	i := a.phraseIndex(k)
	a.phr[i].entries = append(a.phr[i].entries, e)
	// every word, and every proper prefix, as substrings of k
	start := 0
	for j := 0; j <= len(k); j++ {
		if j < len(k) && k[j] != ' ' {
			continue
		}
		a.words[k[start:j]] = true
		if j < len(k) {
			a.phr[a.phraseIndex(k[:j])].prefix = true
		}
		start = j + 1
	}
}

func (a *Areas) phraseIndex(k string) int32 {
	i, ok := a.phrases[k]
	if !ok {
		i = int32(len(a.phr))
		a.phr = append(a.phr, phrase{})
		a.phrases[k] = i
	}
	return i
}

// phrase returns the phrase of a key, or nil.
func (a *Areas) phrase(k []byte) *phrase {
	if i, ok := a.phrases[string(k)]; ok {
		return &a.phr[i]
	}
	return nil
}
