package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/tradeetl/tradeetl/schemas"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

type genName struct {
	source string
	langs  []string
	text   string
}

type genArea struct {
	code, kind, parent, within, alpha3, numeric, subtype, name string
	currencies, members                                        []string
	names                                                      []*genName
	seen                                                       map[string]*genName
	codes                                                      []string
}

// add records one name of an area. Names that fold to the same words are
// kept once, with the languages of every source that gave them; the first
// source wins.
func (a *genArea) add(source, lang, text string) {
	text = cleanSpace(text)
	key := strings.Join(schemas.Fold(text), " ")
	if key == "" {
		return
	}
	if a.seen == nil {
		a.seen = map[string]*genName{}
	}
	if n, ok := a.seen[key]; ok {
		if lang != "" && !contains(n.langs, lang) {
			n.langs = append(n.langs, lang)
		}
		return
	}
	n := &genName{source: source, text: text}
	if lang != "" {
		n.langs = []string{lang}
	}
	a.seen[key] = n
	a.names = append(a.names, n)
}

func (a *genArea) addCode(code string) {
	if code != "" && code != a.code && !contains(a.codes, code) {
		a.codes = append(a.codes, code)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func cleanSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

var bracketRE = regexp.MustCompile(`^(.*?)\s*\[(.*)\]$`)
var isoCodeRE = regexp.MustCompile(`^[A-Z]{2}-[A-Z0-9]{1,3}$`)

// isoNames splits an iso-codes name into the names it holds:
// "Wales [Cymru GB-CYM]" gives Wales, Cymru and the code GB-CYM;
// "Bolama / Bijagós" gives the whole and both halves; "Korea, Republic of"
// also gives "Republic of Korea"; "wallonne, Région" gives "Région
// wallonne".
func isoNames(name string) (names, codes []string) {
	if m := bracketRE.FindStringSubmatch(name); m != nil {
		name = m[1]
		var rest []string
		for _, f := range strings.Fields(m[2]) {
			if isoCodeRE.MatchString(f) {
				codes = append(codes, f)
			} else {
				rest = append(rest, f)
			}
		}
		if len(rest) > 0 {
			names = append(names, strings.Join(rest, " "))
		}
	}
	all := []string{name}
	if strings.Contains(name, " / ") {
		all = append(all, strings.Split(name, " / ")...)
	}
	for _, n := range all {
		names = append(names, n)
		if inv, ok := invert(n); ok {
			names = append(names, inv)
		}
	}
	return names, codes
}

// invertTail are the words that end the part after the comma of a name
// written inverted ("Korea, Republic of", "Congo, The Democratic Republic
// of the", "Corée, République de").
var invertTail = map[string]bool{"of": true, "the": true, "de": true, "of the": true, "du": true, "da": true, "del": true, "di": true, "della": true}

// invert turns "Korea, Republic of" into "Republic of Korea" and
// "Virgin Islands, British" into "British Virgin Islands". Other commas
// ("Taiwan, Province of China") are left alone.
func invert(name string) (string, bool) {
	head, tail, ok := strings.Cut(name, ", ")
	if !ok || strings.Contains(tail, ",") {
		return "", false
	}
	words := strings.Fields(tail)
	last := strings.ToLower(words[len(words)-1])
	if len(words) == 1 || invertTail[last] {
		return tail + " " + head, true
	}
	return "", false
}

// cldrAggregates maps CLDR territory codes of groupings to the codes the
// statistical agencies use (Eurostat/SDMX): 001 is the world, EU the
// European Union (today's 27 members), EZ the euro area.
var cldrAggregates = map[string]string{"001": "W00", "EU": "EU27_2020", "EZ": "EA20"}

// cldrOnlySubdivisions are subdivisions CLDR names that iso-codes lacks.
// Great Britain (GB-GBN) is an ISO 3166-2 code ("nation") that trade tables
// use (Ireland's trade with Northern Ireland and Great Britain).
var cldrOnlySubdivisions = map[string][2]string{"GB-GBN": {"GB", "Nation"}}

func (g *gen) areas(supp *supplemental, suppSrcs *sources) ([]byte, error) {
	g.srcs = &sources{}
	var countries []isoCountry
	var subs []isoSubdivision
	var hist []isoHistoric
	for _, f := range []struct {
		file, key string
		v         any
	}{{"iso_3166-1.json", "3166-1", &countries}, {"iso_3166-2.json", "3166-2", &subs}, {"iso_3166-3.json", "3166-3", &hist}} {
		data, err := g.srcs.read(filepath.Join(g.isoDir, f.file), "")
		if err != nil {
			return nil, err
		}
		if err := decodeJSON(data, f.key, f.v); err != nil {
			return nil, fmt.Errorf("%s: %w", f.file, err)
		}
	}
	g.srcs.list = append(g.srcs.list, suppSrcs.list...)
	currencies := supp.currentCurrencies()
	official := supp.officialLanguages()

	byCode := map[string]*genArea{}
	var order []*genArea
	addArea := func(a *genArea) error {
		if _, dup := byCode[a.code]; dup {
			return fmt.Errorf("duplicate code %s", a.code)
		}
		byCode[a.code] = a
		order = append(order, a)
		return nil
	}

	// gettext catalogs: iso-codes names in other languages
	mo := map[string]map[string]map[string]string{} // domain -> lang -> msgid -> msgstr
	for _, domain := range []string{"iso_3166-1", "iso_3166-2", "iso_3166-3"} {
		mo[domain] = map[string]map[string]string{}
		for _, l := range gettextLangs {
			if gettextAbsent[domain+"/"+l] {
				continue
			}
			path := filepath.Join(g.localeDir, l, "LC_MESSAGES", domain+".mo")
			data, err := g.srcs.read(path, "")
			if err != nil {
				return nil, err
			}
			m, err := readMO(data)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			mo[domain][l] = m
		}
	}
	translate := func(a *genArea, domain, source, msgid string) {
		if msgid == "" {
			return
		}
		for _, l := range gettextLangs {
			tr, ok := mo[domain][l][msgid]
			if !ok || tr == msgid {
				continue // an untranslated name is the original, added already
			}
			if a.kind == "subdivision" && !namesSubdivisions(gettextLocale(l), a.parent, official) {
				continue
			}
			names, _ := isoNames(tr)
			for _, n := range names {
				a.add(source, l, n)
			}
		}
	}

	// CLDR main: territory names
	terr := map[string]map[string][]ldmlText{} // locale -> code -> names
	for _, loc := range allLocales() {
		l, err := g.readLDML(filepath.Join(g.cldrDir, "main", cldrLocale(loc)+".xml"), false)
		if err != nil {
			return nil, err
		}
		m := map[string][]ldmlText{}
		for _, t := range l.Territories {
			if t.ok() {
				m[t.Type] = append(m[t.Type], t)
			}
		}
		terr[loc] = m
	}
	cldrNames := func(a *genArea, code string) {
		for _, loc := range allLocales() {
			for _, t := range terr[loc][code] {
				src := "cldr"
				if t.Alt != "" {
					src += "-" + t.Alt
				}
				a.add(src, loc, t.Text)
			}
		}
	}
	xtextNames := func(a *genArea, code string) {
		r, err := language.ParseRegion(code)
		if err != nil {
			return
		}
		for _, loc := range allLocales() {
			tag, err := language.Parse(strings.ReplaceAll(loc, "_", "-"))
			if err != nil {
				continue
			}
			if n := display.Regions(tag).Name(r); n != "" {
				a.add("xtext", loc, n)
			}
		}
	}
	enName := func(code, fallback string) string {
		var plain, short string
		for _, t := range terr["en"][code] {
			switch t.Alt {
			case "":
				plain = t.Text
			case "short":
				short = t.Text
			}
		}
		switch {
		case short != "":
			return short
		case plain != "":
			return plain
		}
		return fallback
	}

	// countries
	for _, c := range countries {
		a := &genArea{code: c.Alpha2, kind: "country", alpha3: c.Alpha3, numeric: c.Numeric,
			currencies: currencies[c.Alpha2]}
		names, _ := isoNames(c.Name)
		a.name = enName(c.Alpha2, names[0])
		cldrNames(a, c.Alpha2)
		for _, n := range names {
			a.add("iso", "en", n)
		}
		for _, extra := range []struct{ src, name string }{{"iso-official", c.OfficialName}, {"iso-common", c.CommonName}} {
			if extra.name == "" {
				continue
			}
			ns, _ := isoNames(extra.name)
			for _, n := range ns {
				a.add(extra.src, "en", n)
			}
		}
		translate(a, "iso_3166-1", "iso-l10n", c.Name)
		translate(a, "iso_3166-1", "iso-l10n", c.OfficialName)
		translate(a, "iso_3166-1", "iso-l10n", c.CommonName)
		xtextNames(a, c.Alpha2)
		if err := addArea(a); err != nil {
			return nil, err
		}
	}

	// subdivisions
	subSrcNames := map[string]map[string]string{} // CLDR code -> locale -> name
	for _, loc := range append(append([]string{}, langs...), "de_CH") {
		if subdivisionsAbsent[loc] {
			continue
		}
		l, err := g.readLDML(filepath.Join(g.cldrDir, "subdivisions", cldrLocale(loc)+".xml"), false)
		if err != nil {
			return nil, err
		}
		for _, s := range l.Subdivisions {
			if !s.ok() || s.Alt != "" {
				continue
			}
			if subSrcNames[s.Type] == nil {
				subSrcNames[s.Type] = map[string]string{}
			}
			subSrcNames[s.Type][loc] = s.Text
		}
	}
	isoSet := map[string]bool{}
	for _, s := range subs {
		isoSet[s.Code] = true
	}
	cldrKey := func(code string) string { return strings.ToLower(strings.ReplaceAll(code, "-", "")) }
	subCLDR := func(a *genArea) {
		m := subSrcNames[cldrKey(a.code)]
		for _, loc := range append(append([]string{}, langs...), "de_CH") {
			if n, ok := m[loc]; ok && namesSubdivisions(loc, a.parent, official) {
				a.add("cldr", loc, n)
			}
		}
	}
	for _, s := range subs {
		country, _, _ := strings.Cut(s.Code, "-")
		if _, ok := byCode[country]; !ok {
			return nil, fmt.Errorf("subdivision %s: no country %s", s.Code, country)
		}
		a := &genArea{code: s.Code, kind: "subdivision", parent: country, subtype: s.Type}
		if s.Parent != "" {
			a.within = s.Parent
			if !isoSet[a.within] {
				a.within = country + "-" + s.Parent
			}
			if !isoSet[a.within] {
				return nil, fmt.Errorf("subdivision %s: unknown parent %s", s.Code, s.Parent)
			}
		}
		names, codes := isoNames(s.Name)
		a.name = names[0]
		if en, ok := subSrcNames[cldrKey(s.Code)]["en"]; ok {
			a.name = en
		}
		subCLDR(a)
		for _, n := range names {
			a.add("iso", "", n)
		}
		for _, c := range codes {
			a.addCode(c)
		}
		translate(a, "iso_3166-2", "iso-l10n", s.Name)
		if err := addArea(a); err != nil {
			return nil, err
		}
	}
	extra := make([]string, 0, len(cldrOnlySubdivisions))
	for code := range cldrOnlySubdivisions {
		extra = append(extra, code)
	}
	sort.Strings(extra)
	for _, code := range extra {
		pt := cldrOnlySubdivisions[code]
		en, ok := subSrcNames[cldrKey(code)]["en"]
		if !ok {
			return nil, fmt.Errorf("CLDR has no English name for subdivision %s", code)
		}
		a := &genArea{code: code, kind: "subdivision", parent: pt[0], subtype: pt[1], name: en}
		subCLDR(a)
		if err := addArea(a); err != nil {
			return nil, err
		}
	}
	unused := 0
	for k := range subSrcNames {
		code := strings.ToUpper(k[:2]) + "-" + strings.ToUpper(k[2:])
		if !isoSet[code] && cldrOnlySubdivisions[code] == ([2]string{}) {
			unused++
		}
	}
	g.logf("areas: %d CLDR subdivision codes have no ISO 3166-2 entry in iso-codes and are left out", unused)

	// historic (ISO 3166-3)
	for _, h := range hist {
		a := &genArea{code: h.Alpha4, kind: "historic", alpha3: h.Alpha3, numeric: h.Numeric}
		names, _ := isoNames(h.Name)
		a.name = names[0]
		// "Czechoslovakia, Czechoslovak Socialist Republic": the part
		// before the comma is the name in use
		if short, _, ok := strings.Cut(h.Name, ", "); ok {
			names = append(names, short)
		}
		for _, n := range names {
			a.add("iso", "en", n)
		}
		a.addCode(h.Alpha2)
		translate(a, "iso_3166-3", "iso-l10n", h.Name)
		if err := addArea(a); err != nil {
			return nil, err
		}
	}

	// aggregates: CLDR's world, EU, euro area and UN M49 regions
	groups := map[string][]string{}
	for _, gr := range supp.Groups {
		if gr.Status == "deprecated" {
			continue
		}
		for _, m := range strings.Fields(gr.Contains) {
			if !contains(groups[gr.Type], m) {
				groups[gr.Type] = append(groups[gr.Type], m)
			}
		}
	}
	var regionCodes []string
	for code := range terr["en"] {
		if _, ok := cldrAggregates[code]; ok || (len(code) == 3 && code[0] >= '0' && code[0] <= '9') {
			regionCodes = append(regionCodes, code)
		}
	}
	sort.Strings(regionCodes)
	numerics := map[string]bool{}
	for _, c := range countries {
		numerics[c.Numeric] = true
	}
	for _, rc := range regionCodes {
		code := rc
		if c, ok := cldrAggregates[rc]; ok {
			code = c
		} else if numerics[rc] {
			g.logf("areas: CLDR region %s has a country's numeric code; left out", rc)
			continue
		}
		a := &genArea{code: code, kind: "aggregate", name: enName(rc, rc)}
		if code == rc {
			a.numeric = rc
		} else {
			a.addCode(rc)
		}
		if rc != "001" {
			a.members = expandMembers(rc, groups, byCode)
		}
		cldrNames(a, rc)
		if err := addArea(a); err != nil {
			return nil, err
		}
	}

	var b bytes.Buffer
	g.header(&b, "tradeetl vocab: areas (ISO 3166-1/-2/-3 from iso-codes, names from CLDR and the iso-codes translations)", g.srcs, []string{
		"format: an area line, then its names, each on a line that starts with a tab.",
		"  area: code, kind, parent country, containing subdivision, alpha-3, numeric, ISO 3166-2 type, currencies, members, English name",
		"  name: (tab) source, languages (CLDR locale ids, comma-separated; empty: the local name), text",
		"  sources: cldr, cldr-short, cldr-variant (CLDR 41), iso, iso-official, iso-common (iso-codes), iso-l10n (iso-codes",
		"  translations), xtext (x/text language/display), code (another code of the area)",
		"languages: " + strings.Join(wideLangs, " ") + " name every area; " + strings.Join(localLangs, " ") + " name",
		"  subdivisions only of the countries where CLDR territoryInfo says the language is official",
	})
	for _, a := range order {
		if err := writeLine(&b, a.code, a.kind, a.parent, a.within, a.alpha3, a.numeric, a.subtype,
			strings.Join(a.currencies, " "), strings.Join(a.members, " "), a.name); err != nil {
			return nil, fmt.Errorf("%s: %w", a.code, err)
		}
		for _, c := range a.codes {
			if err := writeLine(&b, "", "code", "", c); err != nil {
				return nil, err
			}
		}
		for _, n := range a.names {
			if err := writeLine(&b, "", n.source, langList(n.langs), n.text); err != nil {
				return nil, fmt.Errorf("%s: %w", a.code, err)
			}
		}
	}
	g.logf("areas: %d areas", len(order))
	return b.Bytes(), nil
}

// expandMembers lists the countries in a CLDR grouping, expanding nested
// groupings, in code order.
func expandMembers(code string, contains map[string][]string, countries map[string]*genArea) []string {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(c string) {
		for _, m := range contains[c] {
			if a, ok := countries[m]; ok && a.kind == "country" {
				seen[m] = true
			} else if _, ok := contains[m]; ok {
				walk(m)
			}
		}
	}
	walk(code)
	out := make([]string, 0, len(seen))
	for m := range seen {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}
