package vocab

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"
)

//go:generate go run ./internal/gen

//go:embed areas.tsv
var areasTSV []byte

//go:embed curated.yaml
var curatedYAML []byte

// Kind is what an area is.
type Kind string

// The kinds of area.
const (
	KindCountry     Kind = "country"     // ISO 3166-1
	KindSubdivision Kind = "subdivision" // ISO 3166-2
	KindHistoric    Kind = "historic"    // ISO 3166-3: a country that no longer exists
	KindAggregate   Kind = "aggregate"   // World, EU27_2020, euro area, M49 regions...
)

// Area is a country, subdivision, former country or aggregate.
type Area struct {
	Code    string // "BE", "BE-VLG", "CSHH", "EU27_2020", "W00"
	Name    string // canonical English name
	Kind    Kind
	Parent  string // code of the country a subdivision belongs to ("BE"); "" otherwise
	Within  string // for a nested subdivision, the subdivision containing it ("BE-VLG" for BE-VLI)
	Alpha3  string // ISO 3166-1 alpha-3 (or 3166-3's for a historic country)
	Numeric string // ISO 3166-1 numeric / UN M49, three digits ("056")
	// Currencies are the ISO 4217 codes in use (countries).
	Currencies []string
	SubType    string   // ISO 3166-2 type ("Region", "Province"...)
	Codes      []string // other codes that name the area ("WLD", "EU27", "GB-CYM")
	Members    []string // an aggregate's member countries, when known
}

// Country returns the code of the country an area is in: its own code for
// a country, its parent's for a subdivision, "" otherwise.
func (a *Area) Country() string {
	switch a.Kind {
	case KindCountry:
		return a.Code
	case KindSubdivision:
		return a.Parent
	}
	return ""
}

// depth is 0 for a country or aggregate, 1 for a subdivision, 2 for a
// subdivision inside another.
func (a *Area) depth() int {
	switch {
	case a.Kind != KindSubdivision:
		return 0
	case a.Within != "":
		return 2
	}
	return 1
}

// rank orders kinds when one name fits several areas: a country or
// aggregate beats a former country, which beats a subdivision.
func (a *Area) rank() int {
	switch a.Kind {
	case KindCountry, KindAggregate:
		return 0
	case KindHistoric:
		return 1
	}
	return 2
}

// nameRec is one name of an area, as the data gives it.
type nameRec struct {
	source string // cldr, iso, iso-l10n, xtext, code, curated, user...
	langs  string // comma-separated locale ids, "" for none
	text   string
	flag   entryFlag
	key    string // foldKey(text), computed once for the generated data
}

// baseArea is an area as read from areas.tsv.
type baseArea struct {
	area  Area
	names []nameRec
}

var (
	baseOnce  sync.Once
	baseAreas []baseArea
	baseErr   error

	defaultOnce  sync.Once
	defaultAreas *Areas
	defaultErr   error

	curatedOnce sync.Once
	curated     *Overlay
	curatedErr  error
)

// loadBase parses the embedded areas.tsv.
func loadBase() ([]baseArea, error) {
	baseOnce.Do(func() { baseAreas, baseErr = parseAreasTSV(areasTSV) })
	return baseAreas, baseErr
}

func loadCurated() (*Overlay, error) {
	curatedOnce.Do(func() {
		curated, curatedErr = ParseOverlay(curatedYAML)
		if curatedErr != nil {
			curatedErr = fmt.Errorf("curated.yaml: %w", curatedErr)
		}
	})
	return curated, curatedErr
}

func parseAreasTSV(data []byte) ([]baseArea, error) {
	var out []baseArea
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
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
				return nil, fmt.Errorf("areas.tsv:%d: bad name line", line)
			}
			out[len(out)-1].names = append(out[len(out)-1].names, nameRec{source: f[1], langs: f[2], text: f[3], key: foldKey(f[3])})
			continue
		}
		if len(f) != 10 {
			return nil, fmt.Errorf("areas.tsv:%d: want 10 fields, have %d", line, len(f))
		}
		a := Area{Code: f[0], Kind: Kind(f[1]), Parent: f[2], Within: f[3], Alpha3: f[4], Numeric: f[5],
			SubType: f[6], Currencies: fields(f[7]), Members: fields(f[8]), Name: f[9]}
		out = append(out, baseArea{area: a})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("areas.tsv: %w", err)
	}
	return out, nil
}

func fields(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Fields(s)
}

// DefaultAreas returns the built-in list: the generated ISO/CLDR data with
// curated.yaml merged over it. It is built once and shared; it panics only
// if the embedded data is broken, which the package's tests rule out.
func DefaultAreas() *Areas {
	a, err := defaultAreasErr()
	if err != nil {
		panic(err)
	}
	return a
}

func defaultAreasErr() (*Areas, error) {
	defaultOnce.Do(func() {
		base, err := loadBase()
		if err != nil {
			defaultErr = err
			return
		}
		cur, err := loadCurated()
		if err != nil {
			defaultErr = err
			return
		}
		defaultAreas, defaultErr = build(base, []layer{{source: "curated", overlay: cur}})
	})
	return defaultAreas, defaultErr
}

// layer is one overlay merged over the generated data.
type layer struct {
	source  string // "curated" or "user"
	overlay *Overlay
}

// With returns a new list with user entries merged over a (which is not
// changed): see [AreaEntry] for how an entry changes or adds an area.
func (a *Areas) With(overlay []AreaEntry) (*Areas, error) {
	return a.WithOverlay(&Overlay{Areas: overlay})
}

// WithOverlay is With for a whole overlay document: its areas and its word
// lists (inflections, type, skip and weak words). Its currencies are for
// [Currencies.WithOverlay].
func (a *Areas) WithOverlay(o *Overlay) (*Areas, error) {
	layers := append(append([]layer{}, a.layers...), layer{source: "user", overlay: o})
	return build(a.base, layers)
}

// ByCode finds an area by any of its codes: alpha-2, alpha-3, numeric
// ("056" or "56"), ISO 3166-2 ("BE-VLG"), ISO 3166-3 ("CSHH"), aggregate
// codes and their aliases ("W00", "WLD", "EU27", "EXT_EU27_2020",
// "CN_X_HK"). Case and surrounding space are ignored.
func (a *Areas) ByCode(code string) (*Area, bool) {
	c := strings.ToUpper(strings.TrimSpace(code))
	if c == "" {
		return nil, false
	}
	if ar, ok := a.byCode[c]; ok {
		return ar, true
	}
	if len(c) < 3 && isDigits(c) {
		ar, ok := a.byCode[strings.Repeat("0", 3-len(c))+c]
		return ar, ok
	}
	return nil, false
}

// All returns every area, in the order of the data (countries,
// subdivisions, historic, aggregates, then added ones).
func (a *Areas) All() []*Area { return append([]*Area(nil), a.list...) }

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// areaBuild is an area being built from the data and the overlays.
type areaBuild struct {
	area   *Area
	names  []nameRec
	remove map[string]bool // folded keys taken away
	order  int
}

func build(base []baseArea, layers []layer) (*Areas, error) {
	byCode := map[string]*areaBuild{}
	var list []*areaBuild
	for i := range base {
		b := &areaBuild{area: new(Area), order: i}
		*b.area = base[i].area
		b.names = base[i].names
		byCode[b.area.Code] = b
		list = append(list, b)
	}
	// other codes of the data: alpha-3, numeric, code aliases (the first
	// area to hold a code keeps it)
	alias := map[string]*areaBuild{}
	for _, b := range list {
		for _, n := range b.names {
			if n.source == "code" {
				b.area.Codes = append(b.area.Codes, n.text)
			}
		}
		for _, c := range append([]string{b.area.Alpha3, b.area.Numeric}, b.area.Codes...) {
			if _, ok := alias[c]; !ok && c != "" {
				alias[c] = b
			}
		}
	}
	find := func(code string) *areaBuild {
		c := strings.ToUpper(strings.TrimSpace(code))
		if b, ok := byCode[c]; ok {
			return b
		}
		return alias[c]
	}
	r := newRules()
	for _, l := range layers {
		r.merge(l.overlay)
		for _, e := range l.overlay.Areas {
			b := find(e.Code)
			if b == nil {
				if e.Name == "" || e.Kind == "" {
					return nil, fmt.Errorf("vocab: %s area %s is new and needs a name and a kind", l.source, e.Code)
				}
				b = &areaBuild{area: &Area{Code: strings.ToUpper(e.Code), Kind: Kind(e.Kind)}, order: len(list)}
				byCode[b.area.Code] = b
				list = append(list, b)
			}
			if err := b.apply(e, l.source); err != nil {
				return nil, fmt.Errorf("vocab: %s area %s: %w", l.source, e.Code, err)
			}
		}
	}
	// check the links
	for _, b := range list {
		ar := b.area
		if ar.Kind == KindSubdivision {
			p, ok := byCode[ar.Parent]
			if !ok || p.area.Kind != KindCountry {
				return nil, fmt.Errorf("vocab: subdivision %s: parent %q is not a country", ar.Code, ar.Parent)
			}
		}
		if ar.Within != "" {
			w, ok := byCode[ar.Within]
			if !ok || w.area.Kind != KindSubdivision || w.area.Parent != ar.Parent {
				return nil, fmt.Errorf("vocab: subdivision %s: within %q is not a subdivision of %s", ar.Code, ar.Within, ar.Parent)
			}
		}
		for _, m := range ar.Members {
			if _, ok := byCode[m]; !ok {
				return nil, fmt.Errorf("vocab: aggregate %s: unknown member %q", ar.Code, m)
			}
		}
	}
	out := &Areas{base: base, layers: layers, rules: r}
	return out, out.index(list)
}

// apply merges one overlay entry into an area.
func (b *areaBuild) apply(e AreaEntry, source string) error {
	ar := b.area
	if e.Name != "" {
		ar.Name = e.Name
		b.names = append(b.names, nameRec{source: source, text: e.Name})
	}
	if e.Kind != "" {
		ar.Kind = Kind(e.Kind)
	}
	if e.Parent != "" {
		ar.Parent = strings.ToUpper(e.Parent)
	}
	if e.Within != "" {
		ar.Within = strings.ToUpper(e.Within)
	}
	if e.Alpha3 != "" {
		ar.Alpha3 = strings.ToUpper(e.Alpha3)
	}
	if e.Numeric != "" {
		ar.Numeric = e.Numeric
	}
	if e.Type != "" {
		ar.SubType = e.Type
	}
	if len(e.Currencies) > 0 {
		ar.Currencies = upperAll(e.Currencies)
	}
	if len(e.Members) > 0 {
		ar.Members = upperAll(e.Members)
	}
	for _, c := range e.Codes {
		if c = strings.ToUpper(strings.TrimSpace(c)); c != "" && !contains(ar.Codes, c) && c != ar.Code {
			ar.Codes = append(ar.Codes, c)
		}
	}
	for _, n := range e.Aliases {
		b.names = append(b.names, nameRec{source: source, text: n})
	}
	langs := make([]string, 0, len(e.Names))
	for l := range e.Names {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		for _, n := range e.Names[l] {
			b.names = append(b.names, nameRec{source: source, langs: l, text: n})
		}
	}
	for _, n := range e.Ambiguous {
		b.names = append(b.names, nameRec{source: source, text: n, flag: flagAmbiguous})
	}
	for _, n := range e.ContextOnly {
		b.names = append(b.names, nameRec{source: source, text: n, flag: flagContext})
	}
	for _, n := range e.ExactOnly {
		b.names = append(b.names, nameRec{source: source, text: n, flag: flagExact})
	}
	for _, n := range e.Remove {
		if b.remove == nil {
			b.remove = map[string]bool{}
		}
		b.remove[foldKey(n)] = true
	}
	switch ar.Kind {
	case KindSubdivision:
		if ar.Parent == "" {
			ar.Parent, _, _ = strings.Cut(ar.Code, "-")
		}
	case KindCountry, KindHistoric, KindAggregate:
		if e.Parent != "" {
			return fmt.Errorf("only a subdivision has a parent")
		}
	default:
		return fmt.Errorf("unknown kind %q", ar.Kind)
	}
	return nil
}

func upperAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strings.ToUpper(strings.TrimSpace(s))
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// NameIn returns the name of ar in the language lang (a locale id of the
// data: "fr", "de", "nl", "zh", "zh_Hant"...), for display: the English
// name for "en"; otherwise CLDR's name, else the first curated or user
// name in that language, else the official name of iso-codes'
// translations, else any other name the data gives in lang. Names that
// match only with context or exactly, and ambiguous ones, are not shown.
// "" when the list has no name in lang.
func (a *Areas) NameIn(ar *Area, lang string) string {
	if lang == "en" {
		return ar.Name
	}
	rank := func(s string) int {
		switch s {
		case "cldr":
			return 0
		case "curated":
			return 1
		case "user":
			return 2
		case "iso-l10n":
			return 3
		case "cldr-short", "cldr-variant":
			return 4
		}
		return 5
	}
	best, bestRank := "", 6
	for _, n := range a.names[ar] {
		if n.flag != 0 || n.source == "code" || n.text == "" {
			continue
		}
		if !langListHas(n.langs, lang) {
			continue
		}
		if r := rank(n.source); r < bestRank {
			best, bestRank = n.text, r
		}
	}
	return best
}

// langListHas reports whether the comma-separated locale ids of a name
// hold lang.
func langListHas(langs, lang string) bool {
	for langs != "" {
		var l string
		l, langs, _ = strings.Cut(langs, ",")
		if l == lang {
			return true
		}
	}
	return false
}
