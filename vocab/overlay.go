package vocab

import (
	"fmt"

	"github.com/goccy/go-yaml"
)

// Overlay is the YAML document of curated.yaml and of users' label files
// (--labels FILE): areas and currencies to add or change, and the word
// lists matching uses. Every key is optional.
type Overlay struct {
	Areas      []AreaEntry     `yaml:"areas"`
	Currencies []CurrencyEntry `yaml:"currencies"`
	// CurrencyWords are generic currency words ("dollar", "kronor",
	// "franchi"): each names every currency that has the word in one of its
	// names, and the context country picks one.
	CurrencyWords []string `yaml:"currency_words"`
	// CurrencyCodeWords are ISO 4217 codes that are also words ("ALL",
	// "TOP"): in a text all in capitals they are not read as codes.
	CurrencyCodeWords []string `yaml:"currency_code_words"`
	// Inflections are per-language suffix rewrites tried on a word no name
	// holds ("Österreichs" -> "Österreich"); the rewrite is used only when
	// the rewritten phrase is a known name.
	Inflections map[string][]Inflection `yaml:"inflections"`
	// TypeWords are subdivision type words that names carry or omit ("län",
	// "county", "województwo", "Land", "prefecture"); Connectors are the
	// small words that join them to the name ("of", "de", "della").
	TypeWords  []string `yaml:"type_words"`
	Connectors []string `yaml:"connectors"`
	// SkipWords are articles and prepositions that may open a cell before a
	// name ("la Germania", "da AML").
	SkipWords []string `yaml:"skip_words"`
	// WeakWords are subdivision names too generic to decide alone (North,
	// Central, Capital): they match only when the context country, or a
	// country named in the same text, is the subdivision's country.
	WeakWords []string `yaml:"weak_words"`

	// The other keys of a user's labels file are the words of package
	// schemas (flows, measures, units, periods, columns per language),
	// read by it from the same file.
	Version      any `yaml:"version"`
	Languages    any `yaml:"languages"`
	Conjunctions any `yaml:"conjunctions"`
	Missing      any `yaml:"missing"`
	Flags        any `yaml:"flags"`
	Columns      any `yaml:"columns"`
	Codes        any `yaml:"codes"`
	Sources      any `yaml:"sources"`
	FiscalYears  any `yaml:"fiscal_years"`
}

// AreaEntry adds an area or changes one. An entry whose code exists
// (country, subdivision, historic, aggregate, or one of their other codes)
// changes that area: a non-empty Name renames it, the lists add to it,
// Members replaces its members. An entry with a new code creates an area,
// and then needs Name and Kind (and Parent for a subdivision).
type AreaEntry struct {
	Code   string `yaml:"code"`
	Name   string `yaml:"name"`
	Kind   string `yaml:"kind"`   // country, subdivision, historic, aggregate
	Parent string `yaml:"parent"` // a subdivision's country ("BE")
	Within string `yaml:"within"` // a nested subdivision's containing subdivision ("BE-VLG")
	// Alpha3, Numeric, Currencies and Type fill the fields of a new area.
	Alpha3     string   `yaml:"alpha3"`
	Numeric    string   `yaml:"numeric"`
	Currencies []string `yaml:"currencies"`
	Type       string   `yaml:"type"`
	// Codes are other codes of the area ("WLD", "EU27", "CN_X_HK").
	Codes []string `yaml:"codes"`
	// Aliases are more names, in any language; Names are more names by
	// language ({de: [Welt], fr: [monde]}), which lets the table's language
	// decide between areas.
	Aliases []string            `yaml:"aliases"`
	Names   map[string][]string `yaml:"names"`
	// Ambiguous are names of this area that must never decide alone: a
	// lookup says ambiguous unless the context country picks one of the
	// areas that carry the name ("Georgia", "Congo").
	Ambiguous []string `yaml:"ambiguous"`
	// ContextOnly are names that match only when the context country (or a
	// country named in the same text) is this area's country.
	ContextOnly []string `yaml:"context_only"`
	// ExactOnly are names that match only a whole cell (Exact), never
	// inside a longer label ("Others" for the rest of the world).
	ExactOnly []string `yaml:"exact_only"`
	// Remove takes names away from the area (a wrong generated alias).
	Remove []string `yaml:"remove"`
	// Members lists the countries of an aggregate (replaces the list).
	Members []string `yaml:"members"`
}

// CurrencyEntry adds names and symbols to an ISO 4217 currency.
type CurrencyEntry struct {
	Code    string   `yaml:"code"`
	Aliases []string `yaml:"aliases"` // words and phrases ("eur", "złotych", "Swiss francs")
	// Symbols are written signs ("€", "kr", "zł"). A letter symbol made of
	// ASCII letters only ("kr", "Ft") is matched only if listed here,
	// because CLDR's ("Le", "Br", "Rs") are also words.
	Symbols []string `yaml:"symbols"`
	// Prefer lists generic symbols or words that name this currency when the
	// context does not decide ("£" -> GBP).
	Prefer []string `yaml:"prefer"`
	// Likely lists generic symbols or words for which this currency is the
	// first candidate when nothing decides; the match stays ambiguous.
	Likely []string `yaml:"likely"`
	// Countries replaces the list of countries using the currency now;
	// Withdrawn empties it (a currency no longer tender).
	Countries []string `yaml:"countries"`
	Withdrawn bool     `yaml:"withdrawn"`
	// Remove takes generated names away: a name in one language that is a
	// common word in another (Slovenian "von" for the won is German "of").
	Remove []string `yaml:"remove"`
}

// Inflection rewrites a word that ends in Suffix to end in Replace, or
// takes a Prefix off a word that starts with it (Hebrew ל "to", מ "from").
type Inflection struct {
	Suffix  string `yaml:"suffix"`
	Replace string `yaml:"replace"`
	Prefix  string `yaml:"prefix"`
}

// ParseOverlay parses an overlay document. It is strict: unknown keys are
// errors, reported with their line.
func ParseOverlay(data []byte) (*Overlay, error) {
	var o Overlay
	if err := yaml.UnmarshalWithOptions(data, &o, yaml.DisallowUnknownField(), yaml.Strict()); err != nil {
		return nil, fmt.Errorf("vocab overlay: %s", yaml.FormatError(err, false, true))
	}
	for i, e := range o.Areas {
		if e.Code == "" {
			return nil, fmt.Errorf("vocab overlay: areas[%d] (%q) has no code", i, e.Name)
		}
		switch Kind(e.Kind) {
		case "", KindCountry, KindSubdivision, KindHistoric, KindAggregate:
		default:
			return nil, fmt.Errorf("vocab overlay: area %s: unknown kind %q (want country, subdivision, historic or aggregate)", e.Code, e.Kind)
		}
	}
	for i, c := range o.Currencies {
		if c.Code == "" {
			return nil, fmt.Errorf("vocab overlay: currencies[%d] has no code", i)
		}
	}
	return &o, nil
}

// ParseAreaEntries parses an overlay document and returns its areas.
func ParseAreaEntries(data []byte) ([]AreaEntry, error) {
	o, err := ParseOverlay(data)
	if err != nil {
		return nil, err
	}
	return o.Areas, nil
}
