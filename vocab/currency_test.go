package vocab

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestCurrencyFind(t *testing.T) {
	c := DefaultCurrencies()
	for _, x := range []struct {
		text string
		ctx  Context
		want string // "EUR", "DKK?" (ambiguous)
	}{
		{"Mio. EUR", Context{}, "EUR"},
		{"€m", Context{}, "EUR"},
		{"€ million", Context{}, "EUR"},
		{"US$ Thousand", Context{}, "USD"},
		{"(in billion USD)", Context{}, "USD"},
		{"NZ$(million)", Context{}, "NZD"},
		{"A$ million", Context{}, "AUD"},
		{"£ million", Context{}, "GBP"},
		{"milioni di franchi (CHF)", Context{}, "CHF"},
		{"Million kr.", Context{Country: "DK"}, "DKK"},
		{"Million kr.", Context{}, "DKK?"},
		{"Verdi (mill. kr)", Context{Langs: []string{"nb"}}, "NOK"}, // the table's language decides
		{"KSh Million", Context{}, "KES"},                           // CLDR en_KE writes Ksh
		{"Ksh million", Context{}, "KES"},
		{"RM juta", Context{}, "MYR"},
		{"Value: Thousand US $", Context{}, "USD"}, // the letters apart from the sign
		{"HK $ million", Context{}, "HKD"},
		{"Rs. crore", Context{Country: "PK"}, "PKR"},
		{"Rs. crore", Context{Country: "IN"}, "INR"},
		{"Mio. kr.", Context{Langs: []string{"da"}}, "DKK"},
		{"mnkr", Context{Langs: []string{"sv"}}, "SEK"},
		{"$m", Context{Langs: []string{"en"}}, "USD?"}, // many countries write English and $
		{"mln zł", Context{}, "PLN"},
		{"mld. Kč", Context{}, "CZK"},
		{"CZK bn (mld. Kč)", Context{}, "CZK"},
		{"$ millions (Canadian dollars)", Context{}, "CAD"},
		{"$m", Context{Country: "AU"}, "AUD"},
		{"$m", Context{}, "USD?"},
		{"¥100 million", Context{Country: "JP"}, "JPY"},
		{"¥100 million", Context{}, "JPY?"},
		{"Tsd. EUR", Context{}, "EUR"},
		{"in miljoen euro", Context{}, "EUR"},
		{"milhões de euros", Context{}, "EUR"},
		{"Miljoner kronor", Context{Country: "SE"}, "SEK"},
		{"Miljoner kronor", Context{Country: "SE-O"}, "SEK"},
		{"Miljoner kronor", Context{Country: "SWE"}, "SEK"},
		{"Miljoner kronor", Context{}, "SEK"}, // Swedish words: kronor, miljoner
		{"Kronor", Context{}, "SEK?"},
		{"Schweizer Franken", Context{}, "CHF"},
		{"en millions de francs", Context{Country: "CH"}, "CHF"},
		{"in Mio. Forint", Context{}, "HUF"},
		{"Mrd. Ft", Context{}, "HUF"},
		{"EXPORTS OF ALL PRODUCTS, EUR MILLION", Context{}, "EUR"},
		{"Month of June; values in million dollars (NZD)", Context{}, "NZD"},
		{"R$ mil", Context{}, "BRL"},
	} {
		t.Run(x.text+" "+x.ctx.Country, func(t *testing.T) {
			ms := c.Find(x.text, x.ctx)
			if len(ms) != 1 {
				t.Fatalf("got %d matches: %+v", len(ms), ms)
			}
			got := ms[0].Currency.Code
			if ms[0].Ambiguous {
				got += "?"
			}
			if got != x.want {
				t.Errorf("got %s (text %q, via %s: %s; candidates %v), want %s", got, ms[0].Text, ms[0].Via, ms[0].Why, curCodes(ms[0].Candidates), x.want)
			}
			if ms[0].Candidates[0] != ms[0].Currency {
				t.Errorf("candidates do not start with the currency")
			}
		})
	}
}

func curCodes(cs []*Currency) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Code)
	}
	return out
}

func TestCurrencyNone(t *testing.T) {
	c := DefaultCurrencies()
	for _, text := range []string{"Peso da AML (%)", "ALL PRODUCTS", "Top 10 partners", "Exports to China", "real terms", "% change", "Value (1000)"} {
		if ms := c.Find(text, Context{}); len(ms) > 0 {
			t.Errorf("%q: %s via %s", text, ms[0].Currency.Code, ms[0].Via)
		}
	}
}

func TestCurrencyAmbiguousCandidates(t *testing.T) {
	ms := DefaultCurrencies().Find("Million kr.", Context{})
	got := strings.Join(curCodes(ms[0].Candidates), " ")
	for _, want := range []string{"DKK", "SEK", "NOK", "ISK"} {
		if !strings.Contains(got, want) {
			t.Errorf("kr candidates %s lack %s", got, want)
		}
	}
}

func TestCurrencyData(t *testing.T) {
	c := DefaultCurrencies()
	eur, ok := c.ByCode("eur")
	if !ok || eur.Name != "Euro" || !contains(eur.Symbols, "€") || !contains(eur.Countries, "BE") || !contains(eur.Countries, "HR") {
		t.Errorf("EUR: %+v", eur)
	}
	if x, ok := c.ByCode("978"); !ok || x != eur {
		t.Errorf("978 is not EUR")
	}
	if hrk, _ := c.ByCode("HRK"); len(hrk.Countries) != 0 {
		t.Errorf("HRK is still in use in %v", hrk.Countries)
	}
	chf, _ := c.ByCode("CHF")
	if !contains(chf.Countries, "CH") || !contains(chf.Countries, "LI") {
		t.Errorf("CHF countries %v", chf.Countries)
	}
	if len(c.All()) < 150 {
		t.Errorf("only %d currencies", len(c.All()))
	}
	o, err := ParseOverlay([]byte("currencies:\n  - code: EUR\n    aliases: [Europese munt]\n"))
	if err != nil {
		t.Fatal(err)
	}
	c2, err := c.WithOverlay(o)
	if err != nil {
		t.Fatal(err)
	}
	if ms := c2.Find("in miljoen Europese munt", Context{}); len(ms) != 1 || ms[0].Currency.Code != "EUR" {
		t.Errorf("overlay alias: %+v", ms)
	}
	if ms := c.Find("in miljoen Europese munt", Context{}); len(ms) != 0 {
		t.Errorf("WithOverlay changed the base")
	}
}

func TestMonthWord(t *testing.T) {
	for w, want := range map[string]int{
		"Jänner": 1, "janvier": 1, "janv": 1, "janv.": 1, "stycznia": 1, "styczeń": 1, "January": 1, "enero": 1,
		"maart": 3, "mrt": 3, "mrt.": 3, "março": 3, "März": 3, "juin": 6, "giugno": 6, "giu": 6, "augusti": 8,
		"September": 9, "Sept": 9, "sept.": 9, "października": 10, "okt.": 10, "dicembre": 12, "Dez.": 12, "prosince": 12,
		"joulukuu": 12,
	} {
		if m, ok := MonthWord(w); !ok || m != want {
			t.Errorf("MonthWord(%q) = %d, %v; want %d", w, m, ok, want)
		}
	}
	for _, w := range []string{"", "Q1", "2023", "total", "jan feb"} {
		if m, ok := MonthWord(w); ok {
			t.Errorf("MonthWord(%q) = %d", w, m)
		}
	}
}

func TestQuarterWord(t *testing.T) {
	for w, want := range map[string]int{
		"Q1": 1, "1st quarter": 1, "1. Quartal": 1, "1er trimestre": 1, "I kwartał": 1, "I kw.": 1, "1:a kvartalet": 1,
		"K1": 1, "T1": 1, "1e kwartaal": 1, "2. Quartal": 2, "IV kw.": 4, "4th quarter": 4,
	} {
		if q, ok := QuarterWord(w); !ok || q != want {
			t.Errorf("QuarterWord(%q) = %d, %v; want %d", w, q, ok, want)
		}
	}
}

// No month or quarter name names an area inside a label ("Mayo 2024" is
// not County Mayo).
func TestCalendarWordsAreNoAreas(t *testing.T) {
	calOnce.Do(loadCalendar)
	a := DefaultAreas()
	for _, set := range []map[string]int{months, quarters} {
		for w := range set {
			r, n := utf8.DecodeRuneInString(w)
			text := string(unicode.ToUpper(r)) + w[n:] + " 2024"
			if ms := a.Find(text, Context{}); len(ms) > 0 {
				t.Errorf("%q names %s (%s, via %s)", text, ms[0].Area.Code, ms[0].Area.Name, ms[0].Via)
			}
		}
	}
}

func BenchmarkCurrencyFind(b *testing.B) {
	c := DefaultCurrencies()
	notes := []string{"Mio. EUR", "(in billion USD)", "$ millions (Canadian dollars)", "Million kr.", "NZ$(million)", "w mln zł", "Exports to China"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		c.Find(notes[i%len(notes)], Context{Country: "DK"})
	}
}

func TestCurrencyNames(t *testing.T) {
	c := DefaultCurrencies()
	for text, want := range map[string]string{
		"euro": "EUR", "euros": "EUR", "Schweizer Franken": "CHF", "franco svizzero": "CHF", "franchi svizzeri": "CHF",
		"złoty": "PLN", "złotych": "PLN", "korona czeska": "CZK", "česká koruna": "CZK", "Kč": "CZK", "svenska kronor": "SEK",
		"US$": "USD", "A$": "AUD", "NZ$": "NZD", "CA$": "CAD", "CN¥": "CNY", "£": "GBP", "€": "EUR", "zł": "PLN", "Ft": "HUF",
		"CHF": "CHF", "kr.": "DKK?", "US dollars": "USD", "dollars américains": "USD", "yen": "JPY",
	} {
		ms := c.Find(text, Context{})
		if len(ms) != 1 {
			t.Errorf("%q: %d matches", text, len(ms))
			continue
		}
		got := ms[0].Currency.Code
		if ms[0].Ambiguous {
			got += "?"
		}
		if got != want {
			t.Errorf("%q: %s (%s), want %s", text, got, ms[0].Why, want)
		}
	}
}
