package schemas

import (
	"fmt"
	"strconv"
	"strings"
)

// Codes written beside the words of an observation, so that analysts can
// join the output with Comext, Comtrade, WITS or an SDMX code list without
// a hand-made mapping.
//
// Areas (reporter_code, partner_code) come from the area list of package
// vocab: ISO 3166-1 alpha-2 for countries, ISO 3166-2 for subdivisions,
// Eurostat/SDMX codes for aggregates (EU27_2020, EA20, W00 for the World).
// Flows, periods and product classifications are derived here, from the
// canonical words, by the tables below.

// FlowCodes maps each flow to its code, SDMX-style as UN Comtrade and
// Eurostat write them. Deficit has no SDMX code: its sign is the opposite
// of the balance's (imports − exports), so it gets a code of its own, D,
// rather than B. Surplus is a balance (exports − imports) labelled by its
// sign, so it shares B.
var FlowCodes = map[string]string{
	FlowExports:         "X",  // exports
	FlowImports:         "M",  // imports
	FlowBalance:         "B",  // exports − imports
	FlowSurplus:         "B",  // exports − imports, published as a surplus
	FlowDeficit:         "D",  // imports − exports (= −B); not an SDMX code
	FlowTotal:           "T",  // exports + imports (total trade)
	FlowReexports:       "RX", // re-exports (Comtrade RX)
	FlowReimports:       "RM", // re-imports (Comtrade RM)
	FlowDomesticExports: "DX", // exports of domestic goods (Comtrade DX)
}

// FlowCode returns the code of a flow (see [FlowCodes]), "" for a flow it
// does not know.
func FlowCode(flow string) string { return FlowCodes[flow] }

// TimePeriod returns the SDMX TIME_PERIOD of a canonical period label
// (see [Period.String]):
//
//	2013            → 2013          year
//	2013S1          → 2013-S1       half year
//	2013Q1          → 2013-Q1       quarter
//	2013-03         → 2013-03       month
//	2024-01/2024-06 → 2024-01-01/P6M  cumulative: SDMX time range, start/duration in months
//
// A label it cannot read comes back unchanged.
func TimePeriod(label string) string {
	p, ok := parseLabel(label)
	if !ok {
		return label
	}
	return p.SDMX()
}

// SDMX returns the period as an SDMX TIME_PERIOD (see [TimePeriod]).
func (p Period) SDMX() string {
	switch p.Type {
	case PeriodHalf:
		return fmt.Sprintf("%04d-S%d", p.Year, p.Sub)
	case PeriodQuarter:
		return fmt.Sprintf("%04d-Q%d", p.Year, p.Sub)
	case PeriodMonth:
		return fmt.Sprintf("%04d-%02d", p.Year, p.Sub)
	case PeriodCumulative:
		first, last := p.Months()
		return fmt.Sprintf("%04d-%02d-01/P%dM", p.Year, p.Sub, last-first+1)
	}
	return fmt.Sprintf("%04d", p.Year)
}

// parseLabel reads a canonical period label back (the inverse of
// [Period.String]).
func parseLabel(s string) (Period, bool) {
	num := func(s string) (int, bool) {
		if s == "" {
			return 0, false
		}
		for _, c := range s {
			if c < '0' || c > '9' {
				return 0, false
			}
		}
		n, err := strconv.Atoi(s)
		return n, err == nil
	}
	ym := func(s string) (int, int, bool) {
		y, m, ok := strings.Cut(s, "-")
		yy, ok1 := num(y)
		mm, ok2 := num(m)
		return yy, mm, ok && ok1 && ok2 && len(y) == 4 && len(m) == 2
	}
	var p Period
	switch {
	case strings.Contains(s, "/"):
		a, b, _ := strings.Cut(s, "/")
		y1, m1, ok1 := ym(a)
		y2, m2, ok2 := ym(b)
		if !ok1 || !ok2 {
			return p, false
		}
		p = Cumulative(y1, m1, y2, m2)
	case len(s) == 7 && s[4] == '-':
		y, m, ok := ym(s)
		if !ok {
			return p, false
		}
		p = Period{Type: PeriodMonth, Year: y, Sub: m}
	case len(s) == 6 && (s[4] == 'Q' || s[4] == 'S'):
		y, ok1 := num(s[:4])
		n, ok2 := num(s[5:])
		if !ok1 || !ok2 {
			return p, false
		}
		p = Period{Type: PeriodQuarter, Year: y, Sub: n}
		if s[4] == 'S' {
			p.Type = PeriodHalf
		}
	case len(s) == 4:
		y, ok := num(s)
		if !ok {
			return p, false
		}
		p = Period{Type: PeriodYear, Year: y}
	default:
		return p, false
	}
	return p, p.Valid()
}

// Product classifications, as product_classification names them.
const (
	ClassHS       = "HS"       // Harmonized System (2, 4 or 6 digits)
	ClassCN       = "CN"       // EU Combined Nomenclature (8 digits)
	ClassSITC     = "SITC"     // Standard International Trade Classification
	ClassBEC      = "BEC"      // Broad Economic Categories
	ClassNST      = "NST"      // transport goods classification (NST 2007)
	ClassCPA      = "CPA"      // EU classification of products by activity
	ClassNational = "national" // a national tariff or product list (HTS, 9–12 digit tariff lines)
)

// classWords maps words of a product or product code column heading to the
// classification they name ("HS code", "SITC Rev. 4", "CN8",
// "PRODUCT_NC", Comtrade's "cmdCode" which is HS by default). Headings are
// folded ([Fold]) and each word is looked up; the first word that names a
// classification wins.
var classWords = map[string]string{
	"hs": ClassHS, "hs2": ClassHS, "hs4": ClassHS, "hs6": ClassHS, "hs02": ClassHS, "hs07": ClassHS,
	"hs12": ClassHS, "hs17": ClassHS, "hs22": ClassHS, "harmonized": ClassHS, "harmonised": ClassHS,
	"cmdcode": ClassHS, "sh6": ClassHS,
	"cn": ClassCN, "cn2": ClassCN, "cn4": ClassCN, "cn6": ClassCN, "cn8": ClassCN, "nc": ClassCN, "nc8": ClassCN,
	"kn": ClassCN, "kn8": ClassCN, "gn": ClassCN, "gn8": ClassCN, "combined": ClassCN,
	"sitc": ClassSITC, "sitc06": ClassSITC, "sitc1": ClassSITC, "sitc2": ClassSITC, "sitc3": ClassSITC,
	"sitc4": ClassSITC, "sitc5": ClassSITC, "ctci": ClassSITC, "cuci": ClassSITC,
	"bec": ClassBEC, "bec4": ClassBEC, "bec5": ClassBEC,
	"nst": ClassNST, "nst2007": ClassNST, "nstr": ClassNST,
	"cpa": ClassCPA, "cpa2008": ClassCPA, "cpa21": ClassCPA,
	"hts": ClassNational, "htsus": ClassNational, "taric": ClassNational, "tariff": ClassNational,
	"national": ClassNational,
}

// HeadingClassification returns the classification the words of a column
// heading name ("HS code" → HS, "PRODUCT_NC" → CN), "" when none. Words
// joined by "_" are looked at one by one too (Comext's PRODUCT_SITC).
func HeadingClassification(heading string) string {
	for _, w := range Fold(heading) {
		if c, ok := classWords[w]; ok {
			return c
		}
		for _, part := range strings.Split(w, "_") {
			if c, ok := classWords[part]; ok {
				return c
			}
		}
	}
	return ""
}

// ProductClassification returns the classification of a product code:
// the one its column heading names (class, from [HeadingClassification])
// when there is one; else what the code's shape says alone: six digits
// are an HS subheading (no other classification has six-digit codes),
// eight digits a CN code when the reporter is in the EU (inEU) and a
// national tariff line otherwise, nine to twelve digits a national tariff
// line. Anything else is unknown: "". A row without a code has no
// classification unless the heading names one.
func ProductClassification(class, code string, inEU bool) string {
	if class != "" {
		return class
	}
	code = strings.TrimSpace(code)
	n := 0
	for _, c := range code {
		if c < '0' || c > '9' {
			if c == ' ' || c == '.' {
				continue // "0101 21", "8471.30"
			}
			return ""
		}
		n++
	}
	switch {
	case n == 6:
		return ClassHS
	case n == 8 && inEU:
		return ClassCN
	case n >= 8 && n <= 12:
		return ClassNational
	}
	return ""
}

// quantityUnits maps the folded words of a unit of quantity to the short
// symbol quantity_unit holds. Other units are kept as written.
var quantityUnits = map[string]string{
	"kg": "kg", "kgs": "kg", "kilogram": "kg", "kilograms": "kg", "kilogramme": "kg", "kilogrammes": "kg",
	"kilo": "kg", "kilos": "kg", "in kg": "kg", "net mass": "kg", "net weight": "kg", "netwgt": "kg",
	"t": "t", "ton": "t", "tons": "t", "tonne": "t", "tonnes": "t", "metric ton": "t", "metric tons": "t",
	"metric tonnes": "t", "tonnen": "t",
	"g": "g", "gram": "g", "grams": "g",
	"l": "l", "litre": "l", "litres": "l", "liter": "l", "liters": "l",
	"hl": "hl", "hectolitres": "hl", "m3": "m3", "cubic metres": "m3",
	"kwh": "kWh", "mwh": "MWh",
	"pieces": "pieces", "piece": "pieces", "pcs": "pieces", "stuks": "pieces", "stk": "pieces", "stuck": "pieces",
}

// QuantityUnit returns the symbol of a unit of quantity as written in a
// heading or unit cell ("(tonnes)" → t, "in kg" → kg, "pieces" → pieces):
// kg, t, g, l, hl, m3, kWh, MWh or pieces; other text as written, trimmed
// of brackets, and so is a unit with a multiple ("1000 litres"); "" for
// none.
func QuantityUnit(text string) string {
	words := Fold(text)
	if len(words) == 0 {
		return ""
	}
	if u, ok := quantityUnits[strings.Join(words, " ")]; ok {
		return u
	}
	asWritten := strings.Trim(strings.TrimSpace(text), "()[] ")
	for _, w := range words {
		if w[0] >= '0' && w[0] <= '9' {
			return asWritten // "1000 litres": a multiple, kept as written
		}
	}
	for _, w := range words {
		if u, ok := quantityUnits[w]; ok {
			return u
		}
	}
	return asWritten
}

// QuantityUnitIn returns the unit of quantity that a column heading names
// ("QUANTITY_IN_KG" → kg, "netWgt" → kg, "Quantity (tonnes)" → t), "" when
// none of its words is a unit [QuantityUnit] knows.
func QuantityUnitIn(heading string) string {
	words := Fold(heading)
	for i := range words {
		for j := len(words); j > i; j-- {
			if u, ok := quantityUnits[strings.Join(words[i:j], " ")]; ok {
				return u
			}
		}
	}
	return ""
}
