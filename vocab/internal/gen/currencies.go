package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tradeetl/tradeetl/schemas"
)

type genCurrency struct {
	code, numeric, name string
	countries           []string
	lines               []*genName // names
	symbols             []*genName // source: symbol, local, narrow
	seenName            map[string]*genName
	seenSym             map[string]*genName
}

func (c *genCurrency) addName(source, loc, text string) {
	text = cleanSpace(text)
	key := strings.Join(schemas.Fold(text), " ")
	if key == "" {
		return
	}
	if n, ok := c.seenName[key]; ok {
		if !contains(n.langs, loc) {
			n.langs = append(n.langs, loc)
		}
		return
	}
	n := &genName{source: source, langs: []string{loc}, text: text}
	c.seenName[key] = n
	c.lines = append(c.lines, n)
}

// symbolRank orders symbol kinds, strongest first.
var symbolRank = map[string]int{"symbol": 0, "local": 1, "narrow": 2}

// addSymbol records a symbol under its strongest kind, with every locale
// that writes it. A symbol that is the currency's code is no symbol.
func (c *genCurrency) addSymbol(source, loc, sym string) {
	sym = strings.TrimSpace(sym)
	if sym == "" || sym == c.code {
		return
	}
	n, ok := c.seenSym[sym]
	switch {
	case !ok:
		n = &genName{source: source, text: sym}
		c.seenSym[sym] = n
		c.symbols = append(c.symbols, n)
	case source == "narrow":
		return // a narrow form of a symbol written in full adds nothing
	case n.source == "narrow":
		n.source, n.langs = source, nil // the narrow form was its only use
	case symbolRank[source] < symbolRank[n.source]:
		n.source = source
	}
	if !contains(n.langs, loc) {
		n.langs = append(n.langs, loc)
	}
}

func (g *gen) currencies(supp *supplemental, suppSrcs *sources) ([]byte, error) {
	g.srcs = &sources{}
	var list []isoCurrency
	data, err := g.srcs.read(filepath.Join(g.isoDir, "iso_4217.json"), "")
	if err != nil {
		return nil, err
	}
	if err := decodeJSON(data, "4217", &list); err != nil {
		return nil, fmt.Errorf("iso_4217.json: %w", err)
	}
	var countries []isoCountry
	data, err = g.srcs.read(filepath.Join(g.isoDir, "iso_3166-1.json"), "which regions are countries")
	if err != nil {
		return nil, err
	}
	if err := decodeJSON(data, "3166-1", &countries); err != nil {
		return nil, fmt.Errorf("iso_3166-1.json: %w", err)
	}
	g.srcs.list = append(g.srcs.list, suppSrcs.list...)
	isCountry := map[string]bool{}
	for _, c := range countries {
		isCountry[c.Alpha2] = true
	}

	byCode := map[string]*genCurrency{}
	var order []*genCurrency
	for _, c := range list {
		gc := &genCurrency{code: c.Alpha3, numeric: c.Numeric, name: c.Name,
			seenName: map[string]*genName{}, seenSym: map[string]*genName{}}
		byCode[c.Alpha3] = gc
		order = append(order, gc)
	}
	for region, codes := range supp.currentCurrencies() {
		if !isCountry[region] {
			continue
		}
		for _, code := range codes {
			if c, ok := byCode[code]; ok {
				c.countries = append(c.countries, region)
			}
		}
	}
	for _, c := range order {
		sort.Strings(c.countries)
	}

	// CLDR's root: the symbols every locale inherits, and narrow symbols
	root, err := g.readLDML(filepath.Join(g.cldrDir, "main", "root.xml"), false)
	if err != nil {
		return nil, err
	}
	for _, cur := range root.Currencies {
		c, ok := byCode[cur.Type]
		if !ok {
			continue
		}
		for _, s := range cur.Symbols {
			switch {
			case !s.ok():
			case s.Alt == "":
				c.addSymbol("symbol", "root", s.Text)
			case s.Alt == "narrow":
				c.addSymbol("narrow", "root", s.Text)
			}
		}
	}

	// names and symbols in the chosen locales
	for _, loc := range allLocales() {
		l, err := g.readLDML(filepath.Join(g.cldrDir, "main", cldrLocale(loc)+".xml"), false)
		if err != nil {
			return nil, err
		}
		for _, cur := range l.Currencies {
			c, ok := byCode[cur.Type]
			if !ok {
				continue
			}
			for _, d := range cur.DisplayNames {
				if d.ok() {
					if loc == "en" && d.Count == "" {
						c.name = d.Text
					}
					c.addName("name", loc, d.Text)
				}
			}
			for _, s := range cur.Symbols {
				if s.ok() && s.Alt == "" {
					c.addSymbol("symbol", loc, s.Text)
				}
			}
		}
	}
	// gettext translations of the iso-codes names
	for _, l := range gettextLangs {
		if gettextAbsent["iso_4217/"+l] {
			continue
		}
		path := filepath.Join(g.localeDir, l, "LC_MESSAGES", "iso_4217.mo")
		data, err := g.srcs.read(path, "")
		if err != nil {
			return nil, err
		}
		m, err := readMO(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, c := range list {
			if tr, ok := m[c.Name]; ok {
				byCode[c.Alpha3].addName("iso-l10n", l, tr)
			}
		}
	}
	for _, c := range list {
		byCode[c.Alpha3].addName("iso", "en", c.Name)
	}

	// how each country writes its own currency: the symbol of every CLDR
	// locale for the currencies of its country (is: ISK "kr", zh: CNY "¥",
	// hu: HUF "Ft")
	likely := supp.likelyRegion()
	current := supp.currentCurrencies()
	locs, err := localeFiles(filepath.Join(g.cldrDir, "main"))
	if err != nil {
		return nil, err
	}
	all := sha256.New()
	for _, loc := range locs {
		path := filepath.Join(g.cldrDir, "main", loc+".xml")
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("required source: %w", err)
		}
		all.Write(data)
		l, err := parseLDML(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		region := l.Identity.Territory.Type
		if region == "" {
			region = likely[l.Identity.Language.Type]
		}
		for _, cur := range l.Currencies {
			c, ok := byCode[cur.Type]
			if !ok || !contains(current[region], cur.Type) {
				continue
			}
			for _, s := range cur.Symbols {
				if s.ok() && s.Alt == "" {
					c.addSymbol("local", loc, s.Text)
				}
			}
		}
	}
	g.srcs.list = append(g.srcs.list, source{path: filepath.Join(g.cldrDir, "main", "*.xml"),
		sum: hex.EncodeToString(all.Sum(nil)[:8]), note: fmt.Sprintf("%d locales, each for its own country's currency symbol", len(locs))})
	var b bytes.Buffer
	g.header(&b, "tradeetl vocab: currencies (ISO 4217 from iso-codes; names, symbols and countries from CLDR)", g.srcs, []string{
		"format: a currency line, then its names and symbols, each on a line that starts with a tab.",
		"  currency: code, numeric, English name, countries using it now (CLDR supplementalData)",
		"  name/symbol: (tab) kind, locales (comma-separated), text",
		"  kinds: name (CLDR display name, any plural form), iso, iso-l10n (iso-codes name and its translations),",
		"  symbol (CLDR symbol in a locale), local (the symbol a country's own locale writes), narrow (CLDR root narrow symbol)",
	})
	for _, c := range order {
		if err := writeLine(&b, c.code, c.numeric, c.name, strings.Join(c.countries, " ")); err != nil {
			return nil, err
		}
		sort.SliceStable(c.symbols, func(i, j int) bool { return symbolRank[c.symbols[i].source] < symbolRank[c.symbols[j].source] })
		for _, n := range append(c.lines, c.symbols...) {
			if err := writeLine(&b, "", n.source, langList(n.langs), n.text); err != nil {
				return nil, fmt.Errorf("%s: %w", c.code, err)
			}
		}
	}
	g.logf("currencies: %d currencies", len(order))
	return b.Bytes(), nil
}
