package transform

import (
	"sort"

	"golang.org/x/text/language"

	"github.com/tradeetl/tradeetl/vocab"
)

// languageOf returns the language a table's texts are written in, from
// the languages of the vocabulary words they hold ("eksport", "alle land",
// "mill." are Norwegian together), or "" when no language clearly leads.
// A word that several languages share counts a part for each.
func (z *analyzer) languageOf(texts []string) string {
	sum := map[string]float64{}
	for _, t := range texts {
		for l, w := range z.analyze(t, vocab.Context{}).langs {
			sum[l] += w
		}
	}
	type lw struct {
		lang string
		w    float64
	}
	var ls []lw
	for l, w := range sum {
		ls = append(ls, lw{l, w})
	}
	sort.Slice(ls, func(i, j int) bool { return ls[i].w > ls[j].w || ls[i].w == ls[j].w && ls[i].lang < ls[j].lang })
	if len(ls) == 0 || ls[0].w < 1 || len(ls) > 1 && ls[0].w < 1.25*ls[1].w {
		return ""
	}
	return ls[0].lang
}

// countryOfCurrency returns the country a national currency names: the
// only country that uses it, or the only one of its countries whose
// language is the table's (DKK in a Danish table: Denmark, not Greenland
// or the Faroe Islands), by CLDR's likely-subtags data in x/text. The euro,
// the dollar and other currencies of many countries name none.
func (z *analyzer) countryOfCurrency(code, lang string) string {
	cur, ok := z.curr.ByCode(code)
	if !ok || len(cur.Countries) == 0 {
		return ""
	}
	if len(cur.Countries) == 1 {
		return cur.Countries[0]
	}
	if lang == "" || len(cur.Countries) > 4 {
		return ""
	}
	// the country where the language is most likely spoken: "da" Denmark,
	// "nb" Norway (CLDR likely subtags)
	tag, err := language.Parse(lang)
	if err != nil {
		return ""
	}
	region, conf := tag.Region()
	if conf == language.No || !contains(cur.Countries, region.String()) {
		return ""
	}
	return region.String()
}
