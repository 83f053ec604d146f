package schemas

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"github.com/goccy/go-yaml"
	"golang.org/x/text/runes"
	xtransform "golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

//go:embed labels.yaml
var defaultLabels []byte

// DefaultLabels returns the embedded labels.yaml.
func DefaultLabels() []byte { return defaultLabels }

// Reporter is a country or region from the label dictionary.
type Reporter struct {
	Name    string   `yaml:"name"`
	Parent  string   `yaml:"parent"`
	Aliases []string `yaml:"aliases"`
}

// Partner is a trading partner from the label dictionary.
type Partner struct {
	Name    string   `yaml:"name"`
	Aliases []string `yaml:"aliases"`
}

// Scale is a multiplier and the words that name it.
type Scale struct {
	Factor float64  `yaml:"factor"`
	Words  []string `yaml:"words"`
}

// labelsFile is the YAML shape of labels.yaml.
type labelsFile struct {
	Version    int                 `yaml:"version"`
	Reporters  []Reporter          `yaml:"reporters"`
	Partners   []Partner           `yaml:"partners"`
	Flows      map[string][]string `yaml:"flows"`
	Measures   map[string][]string `yaml:"measures"`
	Totals     []string            `yaml:"totals"`
	Missing    []string            `yaml:"missing"`
	Scales     []Scale             `yaml:"scales"`
	Currencies []string            `yaml:"currencies"`
	Columns    map[string][]string `yaml:"columns"`
}

// Long-table column roles recognised in headers.
const (
	ColReporter    = "reporter"
	ColPartner     = "partner"
	ColFlow        = "flow"
	ColProduct     = "product"
	ColProductCode = "product_code"
	ColPeriod      = "period"
	ColYear        = "year"
	ColValue       = "value"
	ColUnit        = "unit"
	ColQuantity    = "quantity"
)

// Dictionary answers "what does this label mean" for the transform stage. It
// is built once from labels.yaml and is safe for concurrent use.
type Dictionary struct {
	reporters map[string]Reporter // by canonical name
	reporter  phraseIndex         // alias -> canonical name
	partner   phraseIndex
	flow      phraseIndex
	measure   phraseIndex
	total     phraseIndex
	currency  phraseIndex
	scale     phraseIndex // alias -> factor as string
	column    phraseIndex
	missing   map[string]bool // exact marks, trimmed
}

// LoadDictionary parses a labels file (the format of labels.yaml).
func LoadDictionary(data []byte) (*Dictionary, error) {
	var f labelsFile
	if err := yaml.UnmarshalWithOptions(data, &f, yaml.DisallowUnknownField()); err != nil {
		return nil, fmt.Errorf("labels: %s", yaml.FormatError(err, false, true))
	}
	d := &Dictionary{reporters: map[string]Reporter{}, missing: map[string]bool{}}
	for _, r := range f.Reporters {
		if r.Name == "" {
			return nil, fmt.Errorf("labels: a reporter has no name")
		}
		d.reporters[r.Name] = r
		d.reporter.add(r.Name, r.Name)
		for _, a := range r.Aliases {
			d.reporter.add(a, r.Name)
		}
	}
	for _, r := range f.Reporters {
		if r.Parent != "" {
			if _, ok := d.reporters[r.Parent]; !ok {
				return nil, fmt.Errorf("labels: reporter %q has unknown parent %q", r.Name, r.Parent)
			}
		}
	}
	for _, p := range f.Partners {
		d.partner.add(p.Name, p.Name)
		for _, a := range p.Aliases {
			d.partner.add(a, p.Name)
		}
	}
	for flow, aliases := range f.Flows {
		switch flow {
		case FlowExports, FlowImports, FlowDeficit, FlowSurplus, FlowBalance, FlowTotal:
		default:
			return nil, fmt.Errorf("labels: unknown flow %q (want exports, imports, deficit, surplus, balance or total)", flow)
		}
		for _, a := range aliases {
			d.flow.add(a, flow)
		}
	}
	for m, aliases := range f.Measures {
		if m != MeasureShare && m != MeasureGrowth {
			return nil, fmt.Errorf("labels: unknown measure %q (want share or growth)", m)
		}
		for _, a := range aliases {
			d.measure.add(a, m)
		}
	}
	for _, a := range f.Totals {
		d.total.add(a, ProductTotal)
	}
	for _, a := range f.Currencies {
		d.currency.add(a, UnitEUR)
	}
	for _, s := range f.Scales {
		for _, w := range s.Words {
			d.scale.add(w, fmt.Sprint(s.Factor))
		}
	}
	for col, aliases := range f.Columns {
		for _, a := range aliases {
			d.column.add(a, col)
		}
	}
	for _, m := range f.Missing {
		d.missing[strings.ToLower(strings.TrimSpace(m))] = true
	}
	return d, nil
}

// DefaultDictionary parses the embedded labels.yaml.
func DefaultDictionary() (*Dictionary, error) { return LoadDictionary(defaultLabels) }

// ReporterInfo returns the dictionary entry of a canonical reporter name.
func (d *Dictionary) ReporterInfo(name string) (Reporter, bool) {
	r, ok := d.reporters[name]
	return r, ok
}

// Parent returns the parent of a canonical reporter ("Belgium" for
// "Flanders"), or "".
func (d *Dictionary) Parent(name string) string { return d.reporters[name].Parent }

// FindReporter finds a reporter named anywhere in a label.
func (d *Dictionary) FindReporter(label string) (string, bool) { return d.reporter.find(label) }

// FindPartner finds a partner named anywhere in a label or title.
func (d *Dictionary) FindPartner(label string) (string, bool) { return d.partner.find(label) }

// FindFlow finds a flow word anywhere in a label.
func (d *Dictionary) FindFlow(label string) (string, bool) { return d.flow.find(label) }

// FindMeasure finds a share or growth word anywhere in a label or header.
func (d *Dictionary) FindMeasure(label string) (string, bool) { return d.measure.find(label) }

// Reporter, Partner, Flow and IsTotal match a whole cell value, as found in
// the columns of a long table; they accept the one- and two-letter codes
// ("BE", "X") that the Find methods ignore.
func (d *Dictionary) Reporter(value string) (string, bool) { return d.reporter.exact(value) }

// Partner matches a whole cell value against the partner aliases.
func (d *Dictionary) Partner(value string) (string, bool) { return d.partner.exact(value) }

// Flow matches a whole cell value against the flow aliases.
func (d *Dictionary) Flow(value string) (string, bool) { return d.flow.exact(value) }

// IsTotal reports whether a product label means "all products".
func (d *Dictionary) IsTotal(value string) bool {
	_, ok := d.total.exact(value)
	return ok
}

// IsMissing reports whether a cell text is a missing-value mark.
func (d *Dictionary) IsMissing(text string) bool {
	return d.missing[strings.ToLower(strings.TrimSpace(text))]
}

// Unit reads a unit note such as "(in billion euro)", "EUR million" or
// "€ mn". It needs a currency word; the scale defaults to 1 when no scale
// word is present ("in euro").
func (d *Dictionary) Unit(note string) (unit string, scale float64, ok bool) {
	words := Fold(note)
	if _, ok := d.currency.findIn(words, true); !ok {
		return "", 0, false
	}
	scale = 1
	if f, ok := d.scale.findIn(words, true); ok {
		fmt.Sscan(f, &scale)
	}
	return UnitEUR, scale, true
}

// Column matches a long-table header to a column role. The header's first
// words must be an alias; the words after it are returned as rest ("EUR
// million" for "Value (EUR million)").
func (d *Dictionary) Column(header string) (role, rest string, ok bool) {
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
func Fold(s string) []string {
	if isASCII(s) {
		var words []string
		var scratch [64]byte
		appendFoldASCII(scratch[:0], s, func(w []byte) { words = append(words, string(w)) })
		return words
	}
	return foldUnicode(s)
}

// foldUnicode is Fold for any text; Fold takes a shorter way for ASCII.
func foldUnicode(s string) []string {
	var words []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, cur.String())
			cur.Reset()
		}
	}
	for _, r := range fold(s) {
		switch {
		case r == '%' || r == '€':
			flush()
			words = append(words, string(r))
		case r == '\'' || r == '’':
			// French elision splits ("d'euros" is "d" "euros"); an
			// English possessive stays one word ("people's")
			switch w := cur.String(); {
			case len(w) == 1 || w == "qu":
				flush()
			case cur.Len() > 0:
				cur.WriteRune('\'')
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return words
}

// unaccent removes accents: decomposed, marks dropped, recomposed. A
// transformer keeps state, so each call takes one from a pool.
var unaccent = sync.Pool{New: func() any {
	return xtransform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// fold lower-cases s and removes its accents.
func fold(s string) string {
	t := unaccent.Get().(xtransform.Transformer)
	defer unaccent.Put(t)
	folded, _, err := xtransform.String(t, strings.ToLower(s))
	if err != nil {
		return strings.ToLower(s)
	}
	return folded
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

// exact matches the whole text.
func (p *phraseIndex) exact(text string) (string, bool) {
	var buf [128]byte
	v, ok := p.phrases[string(foldKey(buf[:0], text))]
	return v, ok
}

// find returns the value of the longest phrase found anywhere in text,
// ignoring aliases of one or two letters.
func (p *phraseIndex) find(text string) (string, bool) { return p.findIn(Fold(text), false) }

func (p *phraseIndex) findIn(words []string, short bool) (string, bool) {
	for n := min(p.maxLen, len(words)); n >= 1; n-- {
		for i := 0; i+n <= len(words); i++ {
			phrase := strings.Join(words[i:i+n], " ")
			v, ok := p.phrases[phrase]
			if !ok {
				continue
			}
			if !short && n == 1 && len([]rune(phrase)) <= 2 && phrase != "%" && phrase != "€" {
				continue
			}
			return v, true
		}
	}
	return "", false
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
