package schemas

import (
	_ "embed"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"golang.org/x/text/runes"
	xtransform "golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

//go:embed labels.yaml
var defaultLabels []byte

// DefaultLabels returns the embedded labels.yaml.
func DefaultLabels() []byte { return defaultLabels }

// Kind is what a vocabulary phrase stands for.
type Kind uint8

// Kinds of phrase, one per list of a language in labels.yaml.
const (
	KindFlow         Kind = iota + 1 // a flow; Term.Value is the flow
	KindShare                        // a share of the parent's level
	KindGrowth                       // a growth rate
	KindIndex                        // an index (base period = 100)
	KindDifference                   // an absolute change between two periods
	KindYearAgo                      // growth against the same period a year earlier
	KindPrevious                     // growth against the period before
	KindWorld                        // all partners ("foreign trade", "all countries")
	KindTotal                        // a total row or column ("Total", "insgesamt")
	KindCountryTotal                 // the whole country of the regions beside it ("Whole country")
	KindOfWhich                      // "of which", "w tym", "davon"
	KindPartnerWord                  // a heading of partner labels ("Country", "Partner")
	KindReporterWord                 // a heading of reporter labels ("Region")
	KindProductWord                  // a heading of product labels ("Commodity group")
	KindPartnerPrep                  // a word before a partner ("with", "mit", "avec")
	KindReporterPrep                 // a word before a reporter ("of", "van")
	KindQuarter                      // quarter words ("quarter", "kw", "trimestre")
	KindHalf                         // half-year words ("H", "semestre", "Halbjahr")
	KindMonthWord                    // the word "month"
	KindYearWord                     // the word "year", "Année"
	KindYTD                          // year to date, cumulative
	KindYearEnding                   // the twelve months ending with a month ("year ending June 2024")
	KindRange                        // "to", "bis", "à" between two months
	KindScale                        // a scale word; Term.Value is the factor
	KindPercent                      // percent
	KindStatus                       // a status word; Term.Value is the flag
	KindConjunction                  // "and", "und", "et"
	KindNeutral                      // a word that is never a name ("fob", "goods", "Werte")
	KindPartnerPost                  // a word after a partner ("向け", "から", "으로")
)

var kindNames = map[Kind]string{
	KindFlow: "flow", KindShare: "share", KindGrowth: "growth", KindIndex: "index", KindDifference: "absolute change", KindYearAgo: "year-ago base", KindPrevious: "previous-period base",
	KindWorld: "world", KindTotal: "total", KindCountryTotal: "country total", KindOfWhich: "of which",
	KindPartnerWord: "partner heading", KindReporterWord: "reporter heading", KindProductWord: "product heading",
	KindPartnerPrep: "partner preposition", KindReporterPrep: "reporter preposition", KindQuarter: "quarter",
	KindHalf: "half year", KindMonthWord: "month", KindYearWord: "year", KindYTD: "year to date", KindYearEnding: "year ending", KindRange: "range",
	KindScale: "scale", KindPercent: "percent", KindStatus: "status", KindConjunction: "conjunction", KindNeutral: "neutral word",
	KindPartnerPost: "partner postposition",
}

func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Term is one meaning of a phrase: its kind, its value (the flow, the
// scale factor, the status flag) and the language that lists it.
type Term struct {
	Kind  Kind
	Value string
	Lang  string
}

// Hit is a phrase found in a text by [Dictionary.Scan]: the span of words
// it covers (in Fold(text)) and every meaning the phrase has.
type Hit struct {
	Start, End int
	Words      string
	Terms      []Term
}

// Has reports whether the hit means something of kind k, and its value.
func (h Hit) Has(k Kind) (string, bool) {
	for _, t := range h.Terms {
		if t.Kind == k {
			return t.Value, true
		}
	}
	return "", false
}

// language is one language's lists in labels.yaml.
type language struct {
	Flows         map[string][]string `yaml:"flows"`
	Measures      map[string][]string `yaml:"measures"`
	GrowthBase    map[string][]string `yaml:"growth_base"`
	World         []string            `yaml:"world"`
	Total         []string            `yaml:"total"`
	CountryTotal  []string            `yaml:"country_total"`
	OfWhich       []string            `yaml:"of_which"`
	PartnerWords  []string            `yaml:"partner_words"`
	ReporterWords []string            `yaml:"reporter_words"`
	ProductWords  []string            `yaml:"product_words"`
	PartnerPreps  []string            `yaml:"partner_prepositions"`
	ReporterPreps []string            `yaml:"reporter_prepositions"`
	PartnerPosts  []string            `yaml:"partner_postpositions"`
	Quarters      []string            `yaml:"quarters"`
	Halves        []string            `yaml:"halves"`
	Months        []string            `yaml:"months"`
	Years         []string            `yaml:"years"`
	YTD           []string            `yaml:"ytd"`
	YearEnding    []string            `yaml:"year_ending"`
	Range         []string            `yaml:"range"`
	Scales        map[string][]string `yaml:"scales"`
	Percent       []string            `yaml:"percent"`
	Status        map[string][]string `yaml:"status"`
	Neutral       []string            `yaml:"neutral"`
	CompoundTails bool                `yaml:"compound_tails"`
}

// Source is a download format recognised by its column names (Eurostat
// Comext, UN Comtrade): the codes its columns use where they differ from
// the common ones.
type Source struct {
	Name string `yaml:"name"`
	// Detect lists folded column names that must all be in a header.
	Detect []string `yaml:"detect"`
	// ValueUnit is the currency of its value column when no unit column
	// or header says it.
	ValueUnit string `yaml:"value_unit"`
	// Codes maps a column role to the codes of that column.
	Codes map[string]map[string]string `yaml:"codes"`
	// PeriodAnnualMonth is the month number that stands for the whole
	// year in a YYYYMM period (Comext writes 202352 for 2023).
	PeriodAnnualMonth int `yaml:"period_annual_month"`
}

// UnitCode is what a unit code of a long download means: its unit
// (currency or "%"), scale and, for growth rates, their base ("year_ago",
// "previous").
type UnitCode struct {
	Unit  string
	Scale float64
	Base  string
}

// labelsFile is the YAML shape of labels.yaml and of user label files.
type labelsFile struct {
	Version      int                       `yaml:"version"`
	Languages    map[string]language       `yaml:"languages"`
	Conjunctions []string                  `yaml:"conjunctions"`
	Missing      []string                  `yaml:"missing"`
	Flags        []string                  `yaml:"flags"`
	Quantities   []string                  `yaml:"quantity_units"`
	Columns      map[string][]string       `yaml:"columns"`
	Codes        map[string]map[string]any `yaml:"codes"`
	Sources      []Source                  `yaml:"sources"`
	FiscalYears  map[string]int            `yaml:"fiscal_years"`
	// Areas, currencies and the words that match them are read by package
	// vocab from the same file (its overlay format).
	Areas             any `yaml:"areas"`
	Currencies        any `yaml:"currencies"`
	CurrencyWords     any `yaml:"currency_words"`
	CurrencyCodeWords any `yaml:"currency_code_words"`
	Inflections       any `yaml:"inflections"`
	TypeWords         any `yaml:"type_words"`
	Connectors        any `yaml:"connectors"`
	SkipWords         any `yaml:"skip_words"`
	WeakWords         any `yaml:"weak_words"`
}

// Long-table column roles recognised in headers.
const (
	ColReporter     = "reporter"
	ColReporterCode = "reporter_code"
	ColPartner      = "partner"
	ColPartnerCode  = "partner_code"
	ColFlow         = "flow"
	ColProduct      = "product"
	ColProductCode  = "product_code"
	ColPeriod       = "period"
	ColYear         = "year"
	ColMonth        = "month"
	ColValue        = "value"
	ColUnit         = "unit"
	ColScale        = "scale"
	ColStatus       = "status"
	ColQuantity     = "quantity"
	ColIndicator    = "indicator"
	ColSkip         = "skip"
)

var columnRoles = []string{ColReporter, ColReporterCode, ColPartner, ColPartnerCode, ColFlow, ColProduct, ColProductCode,
	ColPeriod, ColYear, ColMonth, ColValue, ColUnit, ColScale, ColStatus, ColQuantity, ColIndicator, ColSkip}

// Dictionary answers "what does this word mean" for the transform stage:
// the flow, measure, unit, period and heading words of labels.yaml in
// every language it lists, and the codes of long downloads. It is built
// once and is safe for concurrent use.
type Dictionary struct {
	phrases  map[string][]Term // folded phrase -> meanings
	maxLen   int
	tails    map[string][]Term // words that may end a compound, with their meanings
	column   phraseIndex
	missing  map[string]bool // exact marks, trimmed, lower-case
	flags    map[string]bool
	quantity map[string]bool              // units of quantity, folded ("tonnes", "kg")
	codes    map[string]map[string]string // role -> upper-case code -> flow / scale
	units    map[string]UnitCode          // upper-case unit code -> meaning
	sources  []Source
	langs    []string
	compound map[string]bool // languages whose words may end a compound
	fiscal   map[string]int  // country code -> first month of its fiscal year
}

// LoadDictionary parses a labels file (the format of labels.yaml).
func LoadDictionary(data []byte) (*Dictionary, error) {
	d := newDictionary()
	if err := d.merge(data); err != nil {
		return nil, err
	}
	return d, nil
}

// Merge returns a new dictionary with the lists of a user's labels file
// added to d's. d is not changed.
func (d *Dictionary) Merge(data []byte) (*Dictionary, error) {
	n := d.clone()
	if err := n.merge(data); err != nil {
		return nil, err
	}
	return n, nil
}

func newDictionary() *Dictionary {
	return &Dictionary{phrases: map[string][]Term{}, tails: map[string][]Term{}, missing: map[string]bool{},
		flags: map[string]bool{}, quantity: map[string]bool{}, codes: map[string]map[string]string{}, units: map[string]UnitCode{}, compound: map[string]bool{},
		fiscal: map[string]int{}}
}

func (d *Dictionary) clone() *Dictionary {
	n := newDictionary()
	for k, v := range d.phrases {
		n.phrases[k] = slices.Clone(v)
	}
	for k, v := range d.tails {
		n.tails[k] = slices.Clone(v)
	}
	n.maxLen = d.maxLen
	n.column = phraseIndex{phrases: map[string]string{}, maxLen: d.column.maxLen}
	for k, v := range d.column.phrases {
		n.column.phrases[k] = v
	}
	for k := range d.missing {
		n.missing[k] = true
	}
	for k := range d.flags {
		n.flags[k] = true
	}
	for k := range d.quantity {
		n.quantity[k] = true
	}
	for role, m := range d.codes {
		n.codes[role] = map[string]string{}
		for k, v := range m {
			n.codes[role][k] = v
		}
	}
	for k, v := range d.units {
		n.units[k] = v
	}
	n.sources = slices.Clone(d.sources)
	n.langs = slices.Clone(d.langs)
	for k := range d.compound {
		n.compound[k] = true
	}
	for k, v := range d.fiscal {
		n.fiscal[k] = v
	}
	return n
}

func (d *Dictionary) merge(data []byte) error {
	var f labelsFile
	if err := yaml.UnmarshalWithOptions(data, &f, yaml.DisallowUnknownField()); err != nil {
		return fmt.Errorf("labels: %s", yaml.FormatError(err, false, true))
	}
	if f.Version != 0 && f.Version != 2 {
		return fmt.Errorf("labels: version %d: want version: 2", f.Version)
	}
	langs := make([]string, 0, len(f.Languages))
	for lang := range f.Languages {
		langs = append(langs, lang)
	}
	sort.Strings(langs)
	for _, lang := range langs {
		l := f.Languages[lang]
		if !slices.Contains(d.langs, lang) {
			d.langs = append(d.langs, lang)
		}
		if l.CompoundTails {
			d.compound[lang] = true
		}
		add := func(k Kind, value string, words []string) {
			for _, w := range words {
				d.add(w, Term{Kind: k, Value: value, Lang: lang})
			}
		}
		for flow, words := range l.Flows {
			if !Flow(flow).Valid() {
				return fmt.Errorf("labels: language %s: unknown flow %q (want one of %s)", lang, flow, strings.Join(Flows, ", "))
			}
			add(KindFlow, flow, words)
		}
		for m, words := range l.Measures {
			switch m {
			case MeasureShare:
				add(KindShare, m, words)
			case MeasureGrowth:
				add(KindGrowth, m, words)
			case MeasureIndex:
				add(KindIndex, m, words)
			case "difference":
				// an absolute change ("Variation en valeur"): not a
				// measure tradeetl records; its columns are set aside
				add(KindDifference, m, words)
			default:
				return fmt.Errorf("labels: language %s: unknown measure %q (want share, growth, index or difference)", lang, m)
			}
		}
		for base, words := range l.GrowthBase {
			switch base {
			case "year_ago":
				add(KindYearAgo, base, words)
			case "previous":
				add(KindPrevious, base, words)
			default:
				return fmt.Errorf("labels: language %s: unknown growth_base %q (want year_ago or previous)", lang, base)
			}
		}
		add(KindWorld, "", l.World)
		add(KindTotal, "", l.Total)
		add(KindCountryTotal, "", l.CountryTotal)
		add(KindOfWhich, "", l.OfWhich)
		add(KindPartnerWord, "", l.PartnerWords)
		add(KindReporterWord, "", l.ReporterWords)
		add(KindProductWord, "", l.ProductWords)
		add(KindPartnerPrep, "", l.PartnerPreps)
		add(KindReporterPrep, "", l.ReporterPreps)
		add(KindPartnerPost, "", l.PartnerPosts)
		add(KindQuarter, "", l.Quarters)
		add(KindHalf, "", l.Halves)
		add(KindMonthWord, "", l.Months)
		add(KindYearWord, "", l.Years)
		add(KindYTD, "", l.YTD)
		add(KindYearEnding, "", l.YearEnding)
		add(KindRange, "", l.Range)
		add(KindPercent, "", l.Percent)
		add(KindNeutral, "", l.Neutral)
		for factor, words := range l.Scales {
			v, err := strconv.ParseFloat(factor, 64)
			if err != nil || v < 1 {
				return fmt.Errorf("labels: language %s: scale %q is not a factor such as 1000000", lang, factor)
			}
			add(KindScale, factor, words)
		}
		for flag, words := range l.Status {
			add(KindStatus, flag, words)
		}
	}
	for country, m := range f.FiscalYears {
		if m < 1 || m > 12 {
			return fmt.Errorf("labels: fiscal_years: %s: month %d is not 1 to 12", country, m)
		}
		d.fiscal[strings.ToUpper(country)] = m
	}
	for _, w := range f.Conjunctions {
		d.add(w, Term{Kind: KindConjunction})
	}
	for _, m := range f.Missing {
		d.missing[strings.ToLower(strings.TrimSpace(m))] = true
	}
	for _, m := range f.Flags {
		d.flags[strings.ToLower(strings.TrimSpace(m))] = true
	}
	for _, q := range f.Quantities {
		d.quantity[strings.Join(Fold(q), " ")] = true
	}
	roles := make([]string, 0, len(f.Columns))
	for role := range f.Columns {
		roles = append(roles, role)
	}
	sort.Strings(roles)
	seen := map[string]string{}
	for _, role := range roles {
		if !slices.Contains(columnRoles, role) {
			return fmt.Errorf("labels: columns: unknown role %q (want one of %s)", role, strings.Join(columnRoles, ", "))
		}
		for _, a := range f.Columns[role] {
			key := strings.Join(Fold(a), " ")
			if other, dup := seen[key]; dup && other != role {
				return fmt.Errorf("labels: columns: %q is listed under %s and %s", a, other, role)
			}
			seen[key] = role
			d.column.add(a, role)
		}
	}
	for role, codes := range f.Codes {
		for code, v := range codes {
			if err := d.addCode(role, code, v); err != nil {
				return fmt.Errorf("labels: codes: %s: %s: %w", role, code, err)
			}
		}
	}
	for _, s := range f.Sources {
		if s.Name == "" || len(s.Detect) == 0 {
			return fmt.Errorf("labels: a source needs a name and the column names that detect it")
		}
		for i, c := range s.Detect {
			s.Detect[i] = strings.Join(Fold(c), " ")
		}
		for role, m := range s.Codes {
			for code, flow := range m {
				if role == ColFlow && !Flow(flow).Valid() {
					return fmt.Errorf("labels: source %s: flow code %s: unknown flow %q", s.Name, code, flow)
				}
			}
		}
		d.sources = append(d.sources, s)
	}
	return nil
}

func (d *Dictionary) addCode(role, code string, value any) error {
	code = strings.ToUpper(strings.TrimSpace(code))
	switch role {
	case ColFlow:
		flow, ok := value.(string)
		if !ok || !Flow(flow).Valid() {
			return fmt.Errorf("want a flow (%s)", strings.Join(Flows, ", "))
		}
		d.setCode(role, code, flow)
	case ColScale:
		v, err := strconv.ParseFloat(fmt.Sprint(value), 64)
		if err != nil || v < 1 {
			return fmt.Errorf("want a factor such as 1000000")
		}
		d.setCode(role, code, strconv.FormatFloat(v, 'f', -1, 64))
	case ColUnit:
		parts, ok := value.([]any)
		if !ok || len(parts) < 2 {
			return fmt.Errorf("want [unit, scale] or [unit, scale, base]")
		}
		u := UnitCode{Unit: fmt.Sprint(parts[0])}
		f, err := strconv.ParseFloat(fmt.Sprint(parts[1]), 64)
		if err != nil || f < 1 {
			return fmt.Errorf("scale %v is not a factor", parts[1])
		}
		u.Scale = f
		if len(parts) > 2 {
			u.Base = fmt.Sprint(parts[2])
			if u.Base != "year_ago" && u.Base != "previous" {
				return fmt.Errorf("base %q: want year_ago or previous", u.Base)
			}
		}
		d.units[code] = u
	default:
		return fmt.Errorf("codes are known for flow, unit and scale columns only")
	}
	return nil
}

func (d *Dictionary) setCode(role, code, v string) {
	if d.codes[role] == nil {
		d.codes[role] = map[string]string{}
	}
	d.codes[role][code] = v
}

// add indexes a phrase with one more meaning.
func (d *Dictionary) add(phrase string, t Term) {
	words := Fold(phrase)
	if len(words) == 0 {
		return
	}
	key := strings.Join(words, " ")
	if !slices.Contains(d.phrases[key], t) {
		d.phrases[key] = append(d.phrases[key], t)
	}
	d.maxLen = max(d.maxLen, len(words))
	if len(words) == 1 && len([]rune(key)) >= 5 && d.compound[t.Lang] {
		switch t.Kind {
		case KindFlow, KindShare, KindGrowth, KindIndex, KindWorld, KindTotal:
			if !slices.Contains(d.tails[key], t) {
				d.tails[key] = append(d.tails[key], t)
			}
		}
	}
}

var (
	defaultDict     *Dictionary
	defaultDictErr  error
	defaultDictOnce sync.Once
)

// DefaultDictionary returns the dictionary of the embedded labels.yaml,
// parsed once; callers must not change it (Merge returns a copy).
func DefaultDictionary() (*Dictionary, error) {
	defaultDictOnce.Do(func() { defaultDict, defaultDictErr = LoadDictionary(defaultLabels) })
	return defaultDict, defaultDictErr
}

// Languages lists the languages of the dictionary.
func (d *Dictionary) Languages() []string { return slices.Clone(d.langs) }

// Scan finds the vocabulary phrases in words (as Fold returns them):
// longest phrases first, never overlapping, in text order. Phrases of one
// or two letters are found only when they are the whole text (a cell of a
// flow column: "X") unless short is set. A word of a language with
// compound words that ends in a known word ("Warenausfuhren") is a hit of
// that word's meanings.
func (d *Dictionary) Scan(words []string, short bool) []Hit {
	var hits []Hit
	taken := make([]bool, len(words))
	for n := min(d.maxLen, len(words)); n >= 1; n-- {
		for i := 0; i+n <= len(words); i++ {
			if slices.Contains(taken[i:i+n], true) {
				continue
			}
			phrase := strings.Join(words[i:i+n], " ")
			terms, ok := d.phrases[phrase]
			if !ok {
				continue
			}
			if n == 1 && !short && len(words) > 1 && len([]rune(phrase)) <= 2 && phrase != "%" && phrase != "€" {
				continue
			}
			for j := i; j < i+n; j++ {
				taken[j] = true
			}
			hits = append(hits, Hit{Start: i, End: i + n, Words: phrase, Terms: terms})
		}
	}
	if len(d.tails) > 0 {
		for i, w := range words {
			if taken[i] || len(w) < 7 {
				continue
			}
			if terms, ok := d.tail(w); ok {
				taken[i] = true
				hits = append(hits, Hit{Start: i, End: i + 1, Words: w, Terms: terms})
			}
		}
	}
	sort.Slice(hits, func(a, b int) bool { return hits[a].Start < hits[b].Start })
	return hits
}

// tail finds a known word that ends w, leaving at least three letters
// before it.
func (d *Dictionary) tail(w string) ([]Term, bool) {
	r := []rune(w)
	for i := 3; i <= len(r)-5; i++ {
		if terms, ok := d.tails[string(r[i:])]; ok {
			return terms, true
		}
	}
	return nil, false
}

// ScanText is Scan on Fold(text).
func (d *Dictionary) ScanText(text string) ([]string, []Hit) {
	words := Fold(text)
	return words, d.Scan(words, false)
}

// Find returns the value of the first phrase of kind k in text.
func (d *Dictionary) Find(text string, k Kind) (string, bool) {
	_, hits := d.ScanText(text)
	for _, h := range hits {
		if v, ok := h.Has(k); ok {
			return v, true
		}
	}
	return "", false
}

// Exact reports the meanings of a whole text (a cell of a long table's
// flow column: "X", "Exports", "1"), short phrases included.
func (d *Dictionary) Exact(text string) []Term {
	var buf [128]byte
	return d.phrases[string(foldKey(buf[:0], text))]
}

// ExactKind returns the value of the whole text as a phrase of kind k.
func (d *Dictionary) ExactKind(text string, k Kind) (string, bool) {
	for _, t := range d.Exact(text) {
		if t.Kind == k {
			return t.Value, true
		}
	}
	return "", false
}

// FindFlow finds a flow word anywhere in a label.
func (d *Dictionary) FindFlow(label string) (string, bool) { return d.Find(label, KindFlow) }

// Flow matches a whole cell value: a flow word or a flow code ("X", "EXP",
// "MIO_EXP_VAL").
func (d *Dictionary) Flow(value string) (string, bool) {
	if f, ok := d.Code(ColFlow, value); ok {
		return f, true
	}
	return d.ExactKind(value, KindFlow)
}

// FindMeasure finds a share or growth word anywhere in a label or header;
// a growth word wins over a share word.
func (d *Dictionary) FindMeasure(label string) (string, bool) {
	_, hits := d.ScanText(label)
	share := false
	for _, h := range hits {
		if _, ok := h.Has(KindIndex); ok {
			return MeasureIndex, true
		}
		if _, ok := h.Has(KindGrowth); ok {
			return MeasureGrowth, true
		}
		if _, ok := h.Has(KindShare); ok {
			share = true
		}
	}
	if share {
		return MeasureShare, true
	}
	return "", false
}

// Code returns what a code of a long table's column of the given role
// means: a flow for flow columns ("X", "MIO_EXP_VAL"), a factor for scale
// columns ("6").
func (d *Dictionary) Code(role, code string) (string, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		return "", false
	}
	v, ok := d.codes[role][code]
	return v, ok
}

// UnitCode returns what a unit code of a long download means ("MIO_EUR",
// "PCH_SM").
func (d *Dictionary) UnitCode(code string) (UnitCode, bool) {
	u, ok := d.units[strings.ToUpper(strings.TrimSpace(code))]
	return u, ok
}

// Sources returns the download formats whose every detect column is among
// the folded headers given.
func (d *Dictionary) Sources(headers []string) []Source {
	have := map[string]bool{}
	for _, h := range headers {
		have[h] = true
	}
	var out []Source
	for _, s := range d.sources {
		ok := true
		for _, c := range s.Detect {
			if !have[c] {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, s)
		}
	}
	return out
}

// FiscalStart returns the first month of a country's fiscal year.
func (d *Dictionary) FiscalStart(country string) (int, bool) {
	m, ok := d.fiscal[strings.ToUpper(country)]
	return m, ok
}

// IsTotal reports whether a product or partner label means "all of them"
// ("Total", "Insgesamt", "Ogółem").
func (d *Dictionary) IsTotal(value string) bool {
	_, ok := d.ExactKind(value, KindTotal)
	return ok
}

// IsQuantityUnit reports whether a unit cell names a unit of quantity
// ("Ton", "kg", "1000 stk."), not of money.
func (d *Dictionary) IsQuantityUnit(text string) bool {
	words := Fold(text)
	for len(words) > 1 && (isNumber(words[0]) || d.isScaleWord(words[0])) {
		words = words[1:] // "1000 kg", "thousand tonnes"
	}
	return len(words) > 0 && d.quantity[strings.Join(words, " ")]
}

func isNumber(w string) bool {
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return w != ""
}

func (d *Dictionary) isScaleWord(w string) bool {
	for _, t := range d.phrases[w] {
		if t.Kind == KindScale {
			return true
		}
	}
	return false
}

// IsMissing reports whether a cell text is a missing-value mark.
func (d *Dictionary) IsMissing(text string) bool {
	return d.missing[strings.ToLower(strings.TrimSpace(text))]
}

// IsFlag reports whether a text is a status flag ("p", "e", "b").
func (d *Dictionary) IsFlag(text string) bool {
	return d.flags[strings.ToLower(strings.TrimSpace(text))]
}

// Scale finds a scale word in a unit note ("Mio.", "miliardi", "Tsd.") and
// returns its factor. A number before it multiplies it ("¥100 million" is
// 1e8).
func (d *Dictionary) Scale(note string) (float64, bool) {
	words := Fold(note)
	hits := d.Scan(words, true)
	for _, h := range hits {
		v, ok := h.Has(KindScale)
		if !ok {
			continue
		}
		if h.End-h.Start == 1 && h.End < len(words) && splitWord(words[h.Start]) && splitWord(words[h.End]) {
			// one character of a script without spaces inside a run is
			// no scale: 千葉 (Chiba), 천연 (natural); 千円 and 万美元 are
			// listed as phrases
			continue
		}
		if h.End-h.Start == 1 && len([]rune(words[h.Start])) == 1 && h.Start > 0 {
			// "2024 m." (Lithuanian metai), "2023 r.": a letter after a
			// year is no scale
			if n, err := strconv.Atoi(words[h.Start-1]); err == nil && n >= 1900 && n <= 2100 {
				continue
			}
		}
		f, _ := strconv.ParseFloat(v, 64)
		if h.Start > 0 {
			if n, err := strconv.ParseFloat(words[h.Start-1], 64); err == nil && n >= 1 && n <= 1000 && n == float64(int(n)) {
				f *= n
			}
		}
		return f, true
	}
	// "1000 EUR", "EUR 1000", "in 1000 €": a power of a thousand beside a
	// currency code or sign
	for i, w := range words {
		if w != "1000" && w != "1000000" && w != "1000000000" {
			continue
		}
		if i > 0 && currencyLike(note, words[i-1]) || i+1 < len(words) && currencyLike(note, words[i+1]) {
			f, _ := strconv.ParseFloat(w, 64)
			return f, true
		}
	}
	return 0, false
}

// currencyLike reports whether a folded word of a note may be a currency:
// a currency sign, or three letters written in capitals in the note.
func currencyLike(note, w string) bool {
	switch w {
	case "€", "$", "£", "¥":
		return true
	}
	if len(w) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return strings.Contains(note, strings.ToUpper(w))
}

// Column matches a long-table header to a column role. The header's first
// words must be an alias; the words after it are returned as rest ("EUR
// million" for "Value (EUR million)"). SDMX-CSV headers with labels
// ("FLOW: Flow") are read by their code part.
func (d *Dictionary) Column(header string) (role, rest string, ok bool) {
	if code, _, found := strings.Cut(header, ":"); found && strings.TrimSpace(code) != "" && !strings.ContainsAny(strings.TrimSpace(code), " ") {
		if role, _, ok := d.Column(strings.TrimSpace(code)); ok {
			return role, "", true
		}
	}
	words := Fold(header)
	role, n := d.column.prefix(words)
	if n == 0 {
		return "", "", false
	}
	return role, strings.Join(words[n:], " "), true
}

// Fold splits a label into lower-case words without accents or punctuation,
// keeping "%" and "€" as words of their own: "Vlaamse uitvoer (in %)" gives
// [vlaamse uitvoer in %].
//
// Scripts written without spaces between words (Han, Kana, Hangul, Thai,
// Lao, Khmer, Myanmar: see [SplitRune]) give one word per character, with
// its marks: "対中国輸出" gives [対 中 国 輸 出], so that the phrase "輸出"
// ([輸 出]) is found inside the run. Fullwidth forms fold to their ASCII
// ("２０２３" is "2023"), Greek final sigma to sigma, Turkish dotless ı to
// i, and the Arabic tatweel is dropped. Marks are accents and are dropped,
// except in the scripts where they spell the word (Indic, Thai and the
// others of South-East Asia, the Kana voicing marks).
func Fold(s string) []string {
	if isASCII(s) {
		var words []string
		var scratch [64]byte
		appendFoldASCII(scratch[:0], s, func(w []byte) { words = append(words, string(w)) })
		return words
	}
	return foldUnicode(s)
}

// SplitRune reports whether r belongs to a script written without spaces
// between words (Han with its iteration marks, Hiragana, Katakana and the
// prolonged sound mark, Hangul, Thai, Lao, Khmer, Myanmar): [Fold] makes
// each such character a word of its own, followed by its marks. The marks
// themselves are not such characters.
func SplitRune(r rune) bool {
	switch {
	case r < 0x0E00:
		return false
	case r == 0x30FC || r == 0x3005 || r == 0x3006 || r == 0x303B: // ー 々 〆 〻
		return true
	}
	if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) {
		return false // a mark of such a script goes with its letter
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Thai, unicode.Lao,
		unicode.Khmer, unicode.Myanmar)
}

// IsWordMark reports whether r is a mark that [Fold] keeps inside a word:
// the vowel signs and other marks of Indic and South-East Asian scripts
// and the Kana voicing marks. Other marks (accents) are dropped.
func IsWordMark(r rune) bool {
	if r < 0x0900 {
		return false
	}
	if unicode.Is(unicode.Mc, r) {
		return true
	}
	return unicode.Is(unicode.Mn, r) && keepMark(r)
}

// splitWord reports whether a folded word is a character of a script
// written without spaces.
func splitWord(w string) bool {
	for _, r := range w {
		return SplitRune(r)
	}
	return false
}

// keepMark reports whether a nonspacing mark spells its word: Indic,
// Thai, Lao, Tibetan, Myanmar, Khmer and the Kana voicing marks.
func keepMark(r rune) bool {
	return r >= 0x0900 && r < 0x1100 || r >= 0x1780 && r < 0x1800 || r == 0x3099 || r == 0x309A
}

// foldUnicode is Fold for any text; Fold takes a shorter way for ASCII.
// Its words are substrings of the folded text, so a word costs no copy.
func foldUnicode(s string) []string {
	f := fold(s)
	if strings.ContainsRune(f, '’') {
		f = strings.ReplaceAll(f, "’", "'")
	}
	var words []string
	start, end := -1, -1 // the current word is f[start:end]
	split := false       // it is one character of a script without spaces
	flush := func() {
		if start >= 0 {
			words = append(words, f[start:end])
		}
		start, split = -1, false
	}
	for i, r := range f {
		size := utf8.RuneLen(r)
		switch {
		case r == '%' || r == '€':
			flush()
			words = append(words, f[i:i+size])
		case r == '\'':
			// French elision splits ("d'euros" is "d" "euros"); an
			// English possessive stays one word ("people's")
			switch {
			case split:
				flush()
			case start >= 0 && (end-start == 1 || f[start:end] == "qu"):
				flush()
			case start >= 0:
				end = i + size
			}
		case r >= 0x0900 && (unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)):
			// a mark that spells the word (fold dropped the others)
			if start >= 0 {
				end = i + size
			}
		case SplitRune(r):
			flush()
			start, end, split = i, i+size, true
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if split {
				flush()
			}
			if start < 0 {
				start = i
			}
			end = i + size
		default:
			flush()
		}
	}
	flush()
	return words
}

// unaccent removes accents: fullwidth and halfwidth forms folded, text
// decomposed, accents dropped (the marks that spell a word are kept, see
// keepMark), recomposed. A transformer keeps state, so each call takes one
// from a pool.
var unaccent = sync.Pool{New: func() any {
	return xtransform.Chain(norm.NFD, runes.Remove(runes.Predicate(isAccent)), norm.NFC)
}}

// unaccentWide is unaccent for text with fullwidth or halfwidth forms,
// which it folds first.
var unaccentWide = sync.Pool{New: func() any {
	return xtransform.Chain(width.Fold, norm.NFD, runes.Remove(runes.Predicate(isAccent)), norm.NFC)
}}

// isAccent reports whether a rune is dropped by fold: a nonspacing mark
// that is an accent, or the Arabic tatweel (a stretch of the line).
func isAccent(r rune) bool {
	if r == 0x0640 {
		return true
	}
	return unicode.Is(unicode.Mn, r) && !keepMark(r)
}

// letterFolds are lower-case letters that fold to another: Greek final
// sigma (ToLower of "Σ" is "σ" wherever it stands) and Turkish dotless i
// (ToLower of "I" is "i").
var letterFolds = strings.NewReplacer("ς", "σ", "ı", "i")

// fold lower-cases s and removes its accents.
func fold(s string) string {
	pool := &unaccent
	if hasWidthForm(s) {
		pool = &unaccentWide
	}
	t := pool.Get().(xtransform.Transformer)
	defer pool.Put(t)
	lower := strings.ToLower(s)
	if strings.ContainsAny(lower, "ςı") {
		lower = letterFolds.Replace(lower)
	}
	folded, _, err := xtransform.String(t, lower)
	if err != nil {
		return lower
	}
	return folded
}

// hasWidthForm reports whether s holds a fullwidth or halfwidth form
// (U+FF00-U+FFEF) or the ideographic space.
func hasWidthForm(s string) bool {
	for _, r := range s {
		if r >= 0xFF00 && r <= 0xFFEF || r == 0x3000 {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

var percent = []byte{'%'}

// appendFoldASCII folds an ASCII label as Fold does, calling word with
// each word (the bytes are reused after the call); buf is scratch space.
func appendFoldASCII(buf []byte, s string, word func([]byte)) {
	cur := buf[:0]
	flush := func() {
		if len(cur) > 0 {
			word(cur)
			cur = cur[:0]
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			cur = append(cur, c)
		case c >= 'A' && c <= 'Z':
			cur = append(cur, c+'a'-'A')
		case c == '%':
			flush()
			word(percent)
		case c == '\'':
			switch {
			case len(cur) == 1 || string(cur) == "qu":
				flush()
			case len(cur) > 0:
				cur = append(cur, '\'')
			}
		default:
			flush()
		}
	}
	flush()
}

// foldKey returns the words of Fold(s) joined by spaces, the key of a
// phrase index, appended to dst: without allocating for ASCII labels.
func foldKey(dst []byte, s string) []byte {
	if !isASCII(s) {
		return append(dst, strings.Join(Fold(s), " ")...)
	}
	start := len(dst)
	var scratch [64]byte
	appendFoldASCII(scratch[:0], s, func(w []byte) {
		if len(dst) > start {
			dst = append(dst, ' ')
		}
		dst = append(dst, w...)
	})
	return dst
}

// phraseIndex maps folded phrases (word sequences) to a value.
type phraseIndex struct {
	phrases map[string]string // joined words -> value
	maxLen  int
}

func (p *phraseIndex) add(alias, value string) {
	words := Fold(alias)
	if len(words) == 0 {
		return
	}
	if p.phrases == nil {
		p.phrases = map[string]string{}
	}
	p.phrases[strings.Join(words, " ")] = value
	p.maxLen = max(p.maxLen, len(words))
}

// prefix returns the value of the longest phrase that starts words, and its
// length in words.
func (p *phraseIndex) prefix(words []string) (string, int) {
	for n := min(p.maxLen, len(words)); n >= 1; n-- {
		if v, ok := p.phrases[strings.Join(words[:n], " ")]; ok {
			return v, n
		}
	}
	return "", 0
}
