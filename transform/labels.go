package transform

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/vocab"
)

// Labels are the vocabularies tables are read with: the words of flows,
// measures, units, periods and long-download columns in every language
// (schemas.Dictionary, from labels.yaml), and the area and currency lists
// (package vocab, from ISO 3166/4217 and CLDR). A user's labels file
// (--labels) extends them without rebuilding: one YAML file in the format
// of schemas/labels.yaml, which may also hold the areas, currencies and
// matching words of vocab's overlay format (vocab/curated.yaml).
type Labels struct {
	Dict       *schemas.Dictionary
	Areas      *vocab.Areas
	Currencies *vocab.Currencies
	// Path is the user's labels file merged over the built-in
	// vocabularies, "" for the built-in ones alone; Version is the first
	// hex digits of its SHA-256 (incremental runs read every input again
	// when it changes).
	Path, Version string
}

// DefaultLabels returns the built-in vocabularies.
func DefaultLabels() (*Labels, error) {
	d, err := schemas.DefaultDictionary()
	if err != nil {
		return nil, err
	}
	return &Labels{Dict: d, Areas: vocab.DefaultAreas(), Currencies: vocab.DefaultCurrencies()}, nil
}

// LoadLabelsFile merges a user's labels file over the built-in
// vocabularies. Every mistake in it is an error naming the file and, where
// the YAML parser knows it, the line.
func LoadLabelsFile(path string) (*Labels, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("labels file: %w", err)
	}
	l, err := MergeLabels(data)
	if err != nil {
		return nil, fmt.Errorf("labels file %s: %w", path, err)
	}
	l.Path = path
	sum := sha256.Sum256(data)
	l.Version = hex.EncodeToString(sum[:])[:12]
	return l, nil
}

// MergeLabels merges the content of a labels file over the built-in
// vocabularies.
func MergeLabels(data []byte) (*Labels, error) {
	def, err := DefaultLabels()
	if err != nil {
		return nil, err
	}
	d, err := def.Dict.Merge(data)
	if err != nil {
		return nil, err
	}
	o, err := vocab.ParseOverlay(data)
	if err != nil {
		return nil, err
	}
	areas, err := def.Areas.WithOverlay(o)
	if err != nil {
		return nil, err
	}
	curr, err := def.Currencies.WithOverlay(o)
	if err != nil {
		return nil, err
	}
	return &Labels{Dict: d, Areas: areas, Currencies: curr}, nil
}

// Explain says how a text is read, for `tradeetl labels NAME`: the areas
// it names and why (with country as the table's country, if given), the
// vocabulary words in it, the currencies, scale and periods.
func (l *Labels) Explain(text, country string) []string {
	ctx := vocab.Context{Country: country}
	var lines []string
	for _, s := range l.Areas.Explain(text, ctx) {
		lines = append(lines, "areas: "+s)
	}
	_, hits := l.Dict.ScanText(text)
	if len(hits) == 0 {
		lines = append(lines, "words: none of the vocabulary")
	}
	for _, h := range hits {
		var means []string
		for _, t := range h.Terms {
			m := t.Kind.String()
			if t.Value != "" {
				m += " " + t.Value
			}
			means = append(means, m+" ("+t.Lang+")")
		}
		lines = append(lines, fmt.Sprintf("words: %q means %s", h.Words, strings.Join(means, ", ")))
	}
	for _, c := range l.Currencies.Find(text, ctx) {
		switch {
		case c.Currency != nil && !c.Ambiguous:
			lines = append(lines, fmt.Sprintf("currency: %q is %s (%s), via %s: %s", c.Text, c.Currency.Code, c.Currency.Name, c.Via, c.Why))
		default:
			var codes []string
			for _, x := range c.Candidates {
				codes = append(codes, x.Code)
			}
			lines = append(lines, fmt.Sprintf("currency: %q may be %s; the table's country decides (give --country)", c.Text, strings.Join(codes, ", ")))
		}
	}
	if f, ok := l.Dict.Scale(text); ok {
		lines = append(lines, fmt.Sprintf("scale: × %s", strconv.FormatFloat(f, 'f', -1, 64)))
	}
	pp := &periodParser{dict: l.Dict, month: vocab.MonthWord}
	for _, m := range pp.Find(text) {
		switch {
		case m.Fiscal:
			start, ok := l.Dict.FiscalStart(country)
			if !ok {
				lines = append(lines, fmt.Sprintf("period: %q is a fiscal year starting in %d; its months depend on the country (give --country)", text[m.Start:m.End], m.P.Year))
				continue
			}
			lines = append(lines, fmt.Sprintf("period: %q is the fiscal year %s", text[m.Start:m.End], schemas.Cumulative(m.P.Year, start, m.P.Year+1, start-1)))
		case m.NoYear:
			lines = append(lines, fmt.Sprintf("period: %q is a %s without its year (a heading above or the title gives it)", text[m.Start:m.End], m.P.Type))
		default:
			lines = append(lines, fmt.Sprintf("period: %q is %s (%s)", text[m.Start:m.End], m.P, m.P.Type))
		}
	}
	return lines
}
