package vocab

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/tradeetl/tradeetl/schemas"
)

func TestExact(t *testing.T) {
	a := DefaultAreas()
	none := Context{}
	for _, c := range []struct {
		text string
		ctx  Context
		code string
		amb  bool
	}{
		{"Korea, Republic of", none, "KR", false},
		{"Korea, Rep.", none, "KR", false},
		{"Korea, Rep. of", none, "KR", false},
		{"Republic of Korea", none, "KR", false},
		{"Korea Południowa", none, "KR", false},
		{"Hong Kong, China", none, "HK", false},
		{"Hong Kong SAR", none, "HK", false},
		{"China, P.R.: Hong Kong", none, "HK", false},
		{"China, P.R.: Mainland", none, "CN", false},
		{"CN_X_HK", none, "CN", false},
		{"Chinese Taipei", none, "TW", false},
		{"Taiwan Province of China", none, "TW", false},
		{"Türkiye", none, "TR", false},
		{"Turkey", none, "TR", false},
		{"Turcja", none, "TR", false},
		{"Türkei", none, "TR", false},
		{"Czechia", none, "CZ", false},
		{"Czech Republic", none, "CZ", false},
		{"Tsjechië", none, "CZ", false},
		{"Czechy", none, "CZ", false},
		{"Slovak Republic", none, "SK", false},
		{"US", none, "US", false},
		{"USA", none, "US", false},
		{"U.S.", none, "US", false},
		{"VS", none, "US", false},
		{"États-Unis", none, "US", false},
		{"Vereinigte Staaten", none, "US", false},
		{"Stany Zjednoczone", none, "US", false},
		{"Estados Unidos", none, "US", false},
		{"UK", none, "GB", false},
		{"Wielka Brytania", none, "GB", false},
		{"Reino Unido", none, "GB", false},
		{"Vereinigtes Königreich", none, "GB", false},
		{"Verenigd Koninkrijk", none, "GB", false},
		{"Great Britain", none, "GB-GBN", false},
		{"Northern Ireland", none, "GB-NIR", false},
		{"FR:France", none, "FR", false},
		{"CH: Switzerland", none, "CH", false},
		{"DE - Germany", none, "DE", false},
		{"France (FR)", none, "FR", false},
		{"Niemcy", none, "DE", false},
		{"Alemanha", none, "DE", false},
		{"Duitsland", none, "DE", false},
		{"Deutschland", none, "DE", false},
		{"la Germania", none, "DE", false},
		{"Niderlandy", none, "NL", false},
		{"Países Baixos", none, "NL", false},
		{"Nederland", none, "NL", false},
		{"Oberösterreich", none, "AT-4", false},
		{"Upper Austria", none, "AT-4", false},
		{"Land Oberösterreich", none, "AT-4", false},
		{"województwo śląskie", none, "PL-24", false},
		{"śląskiego", none, "PL-24", false},
		{"Silesia", none, "PL-24", false},
		{"Silezië", none, "PL-24", false},
		{"Västra Götaland", none, "SE-O", false},
		{"Västra Götalands län", none, "SE-O", false},
		{"Lombardia", none, "IT-25", false},
		{"Lombardy", none, "IT-25", false},
		{"Ticino", none, "CH-TI", false},
		{"Tessin", none, "CH-TI", false},
		{"Canton Ticino", none, "CH-TI", false},
		{"Osaka Prefecture", none, "JP-27", false},
		{"Victoria", Context{Country: "AU"}, "AU-VIC", false},
		{"Victoria", none, "AU-VIC", true},
		{"British Columbia", Context{Country: "CA"}, "CA-BC", false},
		{"British Columbia", none, "CA-BC", false},
		{"B.C.", Context{Country: "CA"}, "CA-BC", false},
		{"Uusimaa", none, "FI-18", false},
		{"South Moravian Region", none, "CZ-64", false},
		{"EXT_EU27_2020", none, "EXT_EU27_2020", false},
		{"Extra-EU", none, "EXT_EU27_2020", false},
		{"Non-EU", none, "EXT_EU27_2020", false},
		{"Drittländer", none, "EXT_EU27_2020", false},
		{"Intra-EU", none, "INT_EU27_2020", false},
		{"EU27", none, "EU27_2020", false},
		{"EU27_2020", none, "EU27_2020", false},
		{"European Union (27)", none, "EU27_2020", false},
		{"Unia Europejska", none, "EU27_2020", false},
		{"Europäische Union", none, "EU27_2020", false},
		{"EU28", none, "EU28", false},
		{"W00", none, "W00", false},
		{"WLD", none, "W00", false},
		{"World", none, "W00", false},
		{"Welt", none, "W00", false},
		{"all countries", none, "W00", false},
		{"samtliga länder", none, "W00", false},
		{"Euro area", none, "EA20", false},
		{"Euroraum", none, "EA20", false},
		{"zona del euro", none, "EA20", false},
		{"EA19", none, "EA19", false},
		{"ASEAN", none, "ASEAN", false},
		{"OECD", none, "OECD", false},
		{"Rest of the world", none, "ROW", false},
		{"Outros", none, "ROW", false},
		{"Übrige Länder", none, "ROW", false},
		{"Limburg", none, "", true},
		{"Limburg", Context{Country: "BE"}, "BE-VLI", false},
		{"Limburg", Context{Country: "NL"}, "NL-LI", false},
		{"Limburg (BE)", none, "BE-VLI", false},
		{"Georgia", none, "GE", true},
		{"Georgia", Context{Country: "US"}, "US-GA", false},
		{"Georgia (US)", none, "US-GA", false},
		{"Congo", none, "CG", true},
		{"Guinea", none, "GN", true},
		{"Flanders", none, "BE-VLG", false},
		{"Vlaanderen", none, "BE-VLG", false},
		{"Vlaamse", none, "BE-VLG", false},
		{"flamande", none, "BE-VLG", false},
		{"Wallonia", none, "BE-WAL", false},
		{"waalse", none, "BE-WAL", false},
		{"Brussels", none, "BE-BRU", false},
		{"brusselse", none, "BE-BRU", false},
		{"Belgium", none, "BE", false},
		{"056", none, "BE", false},
		{"56", none, "BE", false},
		{"BEL", none, "BE", false},
		{"RU", none, "RU", false}, // a code in capitals, not Spanish "RU" for Reino Unido
		{"Czechoslovakia", none, "CSHH", false},
		{"Luxembourg", none, "LU", false},
		{"Luxembourg", Context{Country: "BE"}, "BE-WLX", false},
		{"Taiwan", none, "TW", false},
		{"Hong Kong", none, "HK", false},
	} {
		name := c.text
		if c.ctx.Country != "" {
			name += " in " + c.ctx.Country
		}
		t.Run(name, func(t *testing.T) {
			m, ok := a.Exact(c.text, c.ctx)
			if !ok {
				t.Fatalf("no match")
			}
			if c.code != "" && m.Area.Code != c.code {
				t.Errorf("got %s (%s, via %s: %s), want %s", m.Area.Code, m.Area.Name, m.Via, m.Why, c.code)
			}
			if m.Ambiguous != c.amb {
				t.Errorf("%s: ambiguous %v, want %v (%s)", m.Area.Code, m.Ambiguous, c.amb, m.Why)
			}
			if m.Candidates[0] != m.Area {
				t.Errorf("candidates do not start with the area")
			}
		})
	}
}

func TestAmbiguousCandidates(t *testing.T) {
	a := DefaultAreas()
	for _, c := range []struct {
		text string
		want []string
	}{
		{"Limburg", []string{"NL-LI", "BE-VLI"}},
		{"Georgia", []string{"GE", "US-GA"}},
		{"Congo", []string{"CG", "CD"}},
	} {
		m, ok := a.Exact(c.text, Context{})
		if !ok {
			t.Fatalf("%s: no match", c.text)
		}
		for _, w := range c.want {
			found := false
			for _, x := range m.Candidates {
				found = found || x.Code == w
			}
			if !found {
				t.Errorf("%s: candidates %v lack %s", c.text, codes(m.Candidates), w)
			}
		}
	}
}

func codes(as []*Area) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Code)
	}
	return out
}

func TestNames(t *testing.T) {
	a := DefaultAreas()
	for code, name := range map[string]string{
		"US": "United States", "GB": "United Kingdom", "KR": "South Korea", "KP": "North Korea", "TW": "Taiwan",
		"HK": "Hong Kong", "MO": "Macao", "TR": "Türkiye", "CZ": "Czechia", "RU": "Russia", "CN": "China", "BE": "Belgium",
		"BE-VLG": "Flanders", "BE-WAL": "Wallonia", "BE-BRU": "Brussels", "AT-4": "Upper Austria", "W00": "World",
		"GB-GBN": "Great Britain",
	} {
		ar, ok := a.ByCode(code)
		if !ok {
			t.Errorf("%s: no area", code)
			continue
		}
		if ar.Name != name {
			t.Errorf("%s is named %q, want %q", code, ar.Name, name)
		}
	}
	be, _ := a.ByCode("be-vli")
	if be.Parent != "BE" || be.Within != "BE-VLG" || be.Kind != KindSubdivision || be.SubType != "Province" {
		t.Errorf("BE-VLI: %+v", be)
	}
	at, _ := a.ByCode("AUT")
	if at.Code != "AT" || at.Alpha3 != "AUT" || at.Numeric != "040" || !contains(at.Currencies, "EUR") {
		t.Errorf("AT: %+v", at)
	}
	if hr, _ := a.ByCode("HR"); fmt.Sprint(hr.Currencies) != "[EUR]" {
		t.Errorf("HR currencies %v", hr.Currencies)
	}
	if eu, _ := a.ByCode("EU27_2020"); len(eu.Members) != 27 {
		t.Errorf("EU27_2020 has %d members", len(eu.Members))
	}
	if ea, _ := a.ByCode("EA20"); len(ea.Members) != 20 || !contains(ea.Members, "HR") {
		t.Errorf("EA20 members %v", ea.Members)
	}
}

func TestData(t *testing.T) {
	a := DefaultAreas()
	count := map[Kind]int{}
	for _, ar := range a.All() {
		count[ar.Kind]++
		if ar.Name == "" {
			t.Errorf("%s has no name", ar.Code)
		}
		if ar.Kind == KindCountry && ar.Code != "XK" && (len(ar.Alpha3) != 3 || len(ar.Numeric) != 3) {
			t.Errorf("country %s: alpha-3 %q numeric %q", ar.Code, ar.Alpha3, ar.Numeric)
		}
		if got, ok := a.ByCode(ar.Code); !ok || got != ar {
			t.Errorf("ByCode(%s) does not find it", ar.Code)
		}
	}
	if count[KindCountry] != 250 || count[KindSubdivision] < 5127 || count[KindHistoric] != 31 || count[KindAggregate] < 30 {
		t.Errorf("counts %v", count)
	}
	t.Logf("areas: %v; %d phrases", count, len(a.phrases))
}

func TestFind(t *testing.T) {
	a := DefaultAreas()
	for _, c := range []struct {
		text string
		ctx  Context
		want []string // codes in text order; "?" suffix: ambiguous
	}{
		{"Polen: buitenlandse handel van de woiwodschap Silezië", Context{}, []string{"PL", "PL-24"}},
		{"Commerce extérieur de la Suisse avec la Chine", Context{}, []string{"CH", "CN"}},
		{"Cross-border trade in goods: Ireland with Northern Ireland and Great Britain", Context{}, []string{"IE", "GB-NIR", "GB-GBN"}},
		{"Trade with Taiwan", Context{}, []string{"TW"}},
		{"Exports – Polska", Context{}, []string{"PL"}},
		{"Außenhandel Österreichs", Context{}, []string{"AT"}},
		{"Varuhandel – Sverige och Västra Götalands län", Context{}, []string{"SE", "SE-O"}},
		{"Exports of the U.S. to the EU", Context{}, []string{"US", "EU27_2020"}},
		{"UITVOER NAAR DE VS", Context{}, []string{"US"}},
		{"Obroty handlu zagranicznego województwa śląskiego", Context{}, []string{"PL-24"}},
		{"Osaka Prefecture exports", Context{}, []string{"JP-27"}},
		{"Anteil Land Oberösterreich in %", Context{}, []string{"AT-4"}},
		{"Victoria share of Australian exports (%)", Context{}, []string{"AU-VIC", "AU"}},
		{"Victoria exports", Context{}, []string{"AU-VIC?"}},
		{"Victoria exports", Context{Country: "AU"}, []string{"AU-VIC"}},
		{"B.C. share of Canada (%)", Context{}, []string{"CA-BC", "CA"}},
		{"Hong Kong, China", Context{}, []string{"HK"}},
		{"Trade with Georgia", Context{}, []string{"GE?"}},
		{"Limburg exports", Context{Country: "BE"}, []string{"BE-VLI"}},
		{"M,EXP,EXT_EU27_2020,MIO_EUR,SE", Context{}, []string{"EXT_EU27_2020"}},
		{"Export (US$ Thousand)", Context{}, nil},
		{"EXPORTS AND IMPORTS OF CANADA", Context{}, []string{"CA"}}, // "AND" is Andorra's code, not read in capitals
		{"IT equipment exports", Context{}, nil},                     // alpha-2 codes are not read inside labels
		{"Unit of measure", Context{}, nil},                          // South Sudan's "Unity" state is weak
		{"Most important partners", Context{}, nil},
		{"Total exports, all products", Context{}, nil},
		{"Trade in goods: Flanders, Wallonia and Brussels", Context{}, []string{"BE-VLG", "BE-WAL", "BE-BRU"}},
		{"Vlaamse uitvoer naar China", Context{}, []string{"BE-VLG", "CN"}},
		{"Exportações – AML", Context{}, []string{"PT17"}},
	} {
		t.Run(c.text, func(t *testing.T) {
			var got []string
			for _, m := range a.Find(c.text, c.ctx) {
				s := m.Area.Code
				if m.Ambiguous {
					s += "?"
				}
				got = append(got, s)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("got %v, want %v\n%s", got, c.want, strings.Join(a.Explain(c.text, c.ctx), "\n"))
			}
		})
	}
}

func TestFindSpans(t *testing.T) {
	a := DefaultAreas()
	text := "Exports of the U.S. to Land Oberösterreich"
	ms := a.Find(text, Context{})
	words := schemas.Fold(text)
	if len(ms) != 2 {
		t.Fatalf("matches %+v", ms)
	}
	if ms[0].Start != 3 || ms[0].End != 5 || ms[0].Words != "us" {
		t.Errorf("U.S.: %d-%d %q (words %v)", ms[0].Start, ms[0].End, ms[0].Words, words)
	}
	if ms[1].Start != 6 || ms[1].End != 8 || ms[1].Words != "land oberosterreich" {
		t.Errorf("Land Oberösterreich: %d-%d %q (words %v)", ms[1].Start, ms[1].End, ms[1].Words, words)
	}
}

// No word of the project's label vocabulary (flows, measures, totals,
// scales, column names) names an area inside a label.
func TestLabelWordsAreNoAreas(t *testing.T) {
	var doc map[string]any
	if err := yaml.Unmarshal(schemas.DefaultLabels(), &doc); err != nil {
		t.Fatal(err)
	}
	var words []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			words = append(words, x)
		case []any:
			for _, y := range x {
				walk(y)
			}
		case map[string]any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	for _, k := range []string{"flows", "measures", "totals", "scales", "columns", "missing"} {
		walk(doc[k])
	}
	a := DefaultAreas()
	for _, w := range words {
		for _, form := range []string{w, strings.ToUpper(w[:1]) + w[1:]} {
			if ms := a.Find(form+" 2023", Context{}); len(ms) > 0 {
				t.Errorf("%q names %s (%s, via %s)", form, ms[0].Area.Code, ms[0].Area.Name, ms[0].Via)
			}
		}
	}
}

// The table's language decides between areas named so in different
// languages.
func TestLangsDecide(t *testing.T) {
	o, err := ParseOverlay([]byte(`
areas:
  - {code: XQA, name: Area A, kind: aggregate, names: {de: [Quellland]}}
  - {code: XQB, name: Area B, kind: aggregate, names: {fr: [Quellland]}}
`))
	if err != nil {
		t.Fatal(err)
	}
	a, err := DefaultAreas().WithOverlay(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		langs []string
		want  string
		amb   bool
	}{{nil, "XQA", true}, {[]string{"de"}, "XQA", false}, {[]string{"fr-CH"}, "XQB", false}, {[]string{"it"}, "XQA", true}} {
		m, ok := a.Exact("Quellland", Context{Langs: c.langs})
		if !ok || m.Area.Code != c.want || m.Ambiguous != c.amb {
			t.Errorf("langs %v: %s ambiguous %v (%s), want %s %v", c.langs, m.Area.Code, m.Ambiguous, m.Why, c.want, c.amb)
		}
	}
	if m, _ := DefaultAreas().Exact("Kongo", Context{Langs: []string{"de"}}); !m.Ambiguous {
		t.Errorf("Kongo in German decided %s: %s", m.Area.Code, m.Why)
	}
}

func TestExplain(t *testing.T) {
	lines := DefaultAreas().Explain("Limburg", Context{})
	text := strings.Join(lines, "\n")
	for _, want := range []string{"NL-LI", "BE-VLI", "AMBIGUOUS", "no context country"} {
		if !strings.Contains(text, want) {
			t.Errorf("Explain lacks %q:\n%s", want, text)
		}
	}
}

func TestWith(t *testing.T) {
	base := DefaultAreas()
	o, err := ParseOverlay([]byte(`
areas:
  - code: XR1
    name: Region One
    kind: subdivision
    parent: BE
    aliases: [Regio Een, Région Un]
  - code: DE
    name: Federal Republic of Germany
    aliases: [Teutonia]
  - code: BE-VLG
    remove: [Vlaamse]
`))
	if err != nil {
		t.Fatal(err)
	}
	a, err := base.With(o.Areas)
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := a.Exact("Regio Een", Context{}); !ok || m.Area.Code != "XR1" || m.Area.Parent != "BE" {
		t.Errorf("new area: %+v %v", m.Area, ok)
	}
	if m, ok := a.Exact("Teutonia", Context{}); !ok || m.Area.Code != "DE" || m.Area.Name != "Federal Republic of Germany" {
		t.Errorf("extended area: %+v %v", m, ok)
	}
	if _, ok := a.Exact("Vlaamse", Context{}); ok {
		t.Errorf("removed alias still matches")
	}
	// the base list is unchanged
	if de, _ := base.ByCode("DE"); de.Name != "Germany" {
		t.Errorf("With changed the base: DE is %q", de.Name)
	}
	if _, ok := base.Exact("Teutonia", Context{}); ok {
		t.Errorf("With changed the base index")
	}
	if _, ok := base.Exact("Vlaamse", Context{}); !ok {
		t.Errorf("With removed from the base")
	}
}

func TestOverlayErrors(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{"areas:\n  - code: XX\n    nmae: Foo\n", "nmae"},
		{"areas:\n  - name: Foo\n", "no code"},
		{"areas:\n  - code: XX\n    kind: planet\n", "unknown kind"},
		{"nonsense: 1\n", "nonsense"},
	} {
		_, err := ParseOverlay([]byte(c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.doc, err, c.want)
		}
	}
	_, err := ParseOverlay([]byte("areas:\n  - code: XX\n    nmae: Foo\n"))
	if err == nil || !strings.Contains(err.Error(), "3") {
		t.Errorf("the error does not name line 3: %v", err)
	}
	for _, doc := range []string{
		"areas:\n  - code: XQ1\n    name: Nowhere\n",                                         // new area without kind
		"areas:\n  - code: XQ1\n    name: X\n    kind: subdivision\n    parent: EU27_2020\n", // parent not a country
	} {
		o, err := ParseOverlay([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := DefaultAreas().With(o.Areas); err == nil {
			t.Errorf("%q: no error", doc)
		}
	}
}

func TestConcurrent(t *testing.T) {
	a := DefaultAreas()
	c := DefaultCurrencies()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				a.Find("Außenhandel Österreichs mit China", Context{Langs: []string{"de"}})
				a.Exact("Limburg", Context{Country: "BE"})
				c.Find("Mio. EUR", Context{})
				MonthWord("Jänner")
			}
		}()
	}
	wg.Wait()
}

var benchLabels = []string{
	"Exports to China", "Vlaamse uitvoer (in %)", "Außenhandel Österreichs insgesamt, Jänner bis Juni 2024",
	"Korea, Republic of", "Varuhandel med utlandet – Sverige och Västra Götalands län", "Total", "Imports from the United States",
	"Obroty handlu zagranicznego województwa śląskiego", "Food and live animals", "% change 2023/2022",
}

func BenchmarkFind(b *testing.B) {
	a := DefaultAreas()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		a.Find(benchLabels[i%len(benchLabels)], Context{})
	}
}

func BenchmarkExact(b *testing.B) {
	a := DefaultAreas()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		a.Exact(benchLabels[i%len(benchLabels)], Context{})
	}
}

func BenchmarkDefaultBuild(b *testing.B) {
	base, err := loadBase()
	if err != nil {
		b.Fatal(err)
	}
	cur, err := loadCurated()
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		if _, err := build(base, []layer{{source: "curated", overlay: cur}}); err != nil {
			b.Fatal(err)
		}
	}
}

// The overlay example in doc.go parses and applies.
func TestDocOverlayExample(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var doc []string
	in := false
	for _, line := range strings.Split(string(src), "\n") {
		if line == "//\tareas:" {
			in = true
		}
		if in && !strings.HasPrefix(line, "//\t") {
			break
		}
		if in {
			doc = append(doc, strings.TrimPrefix(line, "//\t"))
		}
	}
	if len(doc) == 0 {
		t.Fatal("no example in doc.go")
	}
	o, err := ParseOverlay([]byte(strings.Join(doc, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	a, err := DefaultAreas().WithOverlay(o)
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := a.Exact("Prov. Antwerpen", Context{}); !ok || m.Area.Code != "NUTS-BE21" || m.Area.Within != "BE-VLG" {
		t.Errorf("Prov. Antwerpen: %+v", m.Area)
	}
	if m, ok := a.Exact("Kosovo", Context{}); !ok || m.Area.Code != "XK" {
		t.Errorf("Kosovo: %+v", m.Area)
	}
	if _, err := DefaultCurrencies().WithOverlay(o); err != nil {
		t.Fatal(err)
	}
}

// Every name the brief of issue #11 lists resolves, as a whole cell.
func TestListedNames(t *testing.T) {
	a := DefaultAreas()
	for code, names := range map[string][]string{
		"CH":     {"Swiss", "Schweizer", "Suisse", "Svizzera", "Zwitserland"},
		"BE":     {"Belgian", "Belgique", "België", "belge"},
		"AT":     {"Austrian", "österreichische", "Österreich", "Oostenrijk"},
		"BE-VLG": {"Flemish", "vlaams", "vlaamse", "flamande", "Vlaams Gewest", "Région flamande"},
		"BE-WAL": {"waalse", "wallonne", "Wallonie"},
		"BE-BRU": {"brusselse", "Bruxelles", "Brussel"},
		"GB":     {"UK", "U.K.", "United Kingdom", "Großbritannien"},
		"W00": {"World", "world", "Welt", "monde", "mondo", "mundo", "świat", "wereld", "världen", "verden", "all countries",
			"all partners", "alle Länder", "tous pays", "samtliga länder", "whole world"},
		"EU27_2020": {"EU27", "EU 27", "EU-27", "European Union", "European Union (27)", "Unia Europejska", "Europäische Union",
			"Union européenne", "Unione europea", "Unión Europea", "União Europeia", "Europese Unie", "Europeiska unionen", "EU",
			"UE"},
		"EA20": {"euro area", "eurozone", "Euroraum", "zone euro", "area dell'euro", "zona del euro", "área do euro",
			"euroområdet", "strefa euro"},
		"EA19": {"EA19", "euro area (19)"},
		"EXT_EU27_2020": {"Extra-EU", "Non-EU", "non-EU countries", "third countries", "Drittländer", "pays tiers", "extra-UE",
			"paesi extra Ue", "países terceiros", "kraje pozaunijne"},
		"INT_EU27_2020": {"Intra-EU", "intra-UE"},
		"ROW": {"Rest of the world", "other countries", "others", "Outros", "Autres", "Altri", "Otros", "Övriga", "Pozostałe",
			"Overige", "Andere", "Übrige Länder"},
		"ASEAN": {"ASEAN", "Association of Southeast Asian Nations"},
		"OECD":  {"OECD", "OCDE", "OESO"},
	} {
		for _, n := range names {
			m, ok := a.Exact(n, Context{})
			if !ok || m.Area.Code != code || m.Ambiguous {
				got := "nothing"
				if ok {
					got = m.Area.Code + " (" + m.Why + ")"
				}
				t.Errorf("%q: %s, want %s", n, got, code)
			}
		}
	}
}

// BenchmarkDefaultAreasCold is what the first DefaultAreas call costs: the
// embedded areas.tsv parsed and the index built with curated.yaml. It
// reports the heap the result keeps (retained-MB) besides the allocations.
func BenchmarkDefaultAreasCold(b *testing.B) {
	cur, err := loadCurated()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var keep *Areas
	for i := 0; i < b.N; i++ {
		base, err := parseAreasTSV(areasTSV)
		if err != nil {
			b.Fatal(err)
		}
		if keep, err = build(base, []layer{{source: "curated", overlay: cur}}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.KeepAlive(keep)
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	base, _ := parseAreasTSV(areasTSV)
	keep, _ = build(base, []layer{{source: "curated", overlay: cur}})
	runtime.GC()
	runtime.ReadMemStats(&m1)
	runtime.KeepAlive(keep)
	b.ReportMetric(float64(m1.HeapAlloc-m0.HeapAlloc)/1e6, "retained-MB")
}
