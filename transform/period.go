package transform

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/tradeetl/tradeetl/schemas"
)

// periodParser reads periods as tables write them, in any language of the
// dictionary: years ("2023", "Année 2023"), quarters ("2023Q1", "Q1 2023",
// "T1 2023", "1er trim. 2023", "1. Quartal 2023", "I kw. 2023", "1e kw.
// 2023", "kv1 2023", "2023KW01"), half years ("H1 2023", "1er semestre
// 2023"), months ("Jan. 2023", "janvier 2024", "Jänner 2024", "jan/2024",
// "2023M07", "07/2023", "2023MM01") and cumulative periods ("Jan–Jun
// 2024", "gen-giu 2023", "Jänner bis Juni 2024", "YTD Sep 2024").
// Quarter, half-year, range and year-to-date words come from the
// dictionary, month names from CLDR (package vocab).
type periodParser struct {
	dict  *schemas.Dictionary
	month func(word string) (int, bool)
}

// ptok is a token of a period text: a number, a word or a separator.
type ptok struct {
	s   string // lower case, accents removed for words
	num int    // value of a number token; -1 otherwise
	n   int    // digits of a number token
	sep bool   // "-", "/", ".", ":" and dashes
	era bool   // a character of an era's name before its year ("令和")
	pos int    // byte offset in the text
	end int
}

func (t ptok) isNum() bool { return t.num >= 0 }

// periodTokens splits a text into numbers, words and separators; a word
// glued to a number ("2023q1", "kv1", "1er", "T1") is split at the
// boundary. A run of a script written without spaces ("年第一季度") is cut
// into the longest words known says are period words ("季度", "四半期",
// "一月"), and single characters between them; without known, into single
// characters. Digits of other scripts (fullwidth, Arabic-Indic, Devanagari,
// Thai) are numbers too.
func periodTokens(s string, known ...func(string) bool) []ptok {
	var out []ptok
	runes := []rune(strings.ToLower(s))
	offs := make([]int, 0, len(runes)+1)
	for i := range strings.ToLower(s) {
		offs = append(offs, i)
	}
	offs = append(offs, len(strings.ToLower(s)))
	i := 0
	for i < len(runes) {
		r := runes[i]
		switch {
		case unicode.IsDigit(r):
			j := i
			v := 0
			for j < len(runes) && unicode.IsDigit(runes[j]) {
				if d := digitValue(runes[j]); d < 0 || v < 0 {
					v = -1
				} else if j-i < 9 {
					v = v*10 + d
				}
				j++
			}
			digits := string(runes[i:j])
			if j-i > 8 {
				v = -1
			}
			out = append(out, ptok{s: digits, num: v, n: j - i, pos: offs[i], end: offs[j]})
			i = j
		case schemas.SplitRune(r):
			j := i + 1
			for j < len(runes) && (schemas.SplitRune(runes[j]) || isMarkRune(runes[j])) {
				j++
			}
			var starts []int // the characters of the run, each with its marks
			for k := i; k < j; k++ {
				if !isMarkRune(runes[k]) {
					starts = append(starts, k)
				}
			}
			starts = append(starts, j)
			for p := 0; p+1 < len(starts); {
				n := 1
				for m := min(6, len(starts)-1-p); m >= 2 && len(known) > 0; m-- {
					if known[0](string(runes[starts[p]:starts[p+m]])) {
						n = m
						break
					}
				}
				a, b := starts[p], starts[p+n]
				out = append(out, ptok{s: foldWord(string(runes[a:b])), num: -1, pos: offs[a], end: offs[b]})
				p += n
			}
			i = j
		case unicode.IsLetter(r) || r == 'º' || r == '°':
			j := i
			for j < len(runes) && (unicode.IsLetter(runes[j]) || unicode.Is(unicode.Mn, runes[j]) || runes[j] == 'º' || runes[j] == '°') && !schemas.SplitRune(runes[j]) {
				j++
			}
			out = append(out, ptok{s: foldWord(string(runes[i:j])), num: -1, pos: offs[i], end: offs[j]})
			i = j
		case strings.ContainsRune("-/.:–—‒−～〜~－／", r):
			out = append(out, ptok{s: string(r), num: -1, sep: true, pos: offs[i], end: offs[i+1]})
			i++
		default:
			i++
		}
	}
	return out
}

// digitValue is the value of a decimal digit of the scripts tables use:
// ASCII, fullwidth, Arabic-Indic (both), Devanagari and Thai; -1 otherwise.
func digitValue(r rune) int {
	for _, zero := range []rune{'0', '０', '٠', '۰', '०', '๐'} {
		if r >= zero && r <= zero+9 {
			return int(r - zero)
		}
	}
	return -1
}

// foldWord removes the accents of a lower-case word ("jänner" stays
// "janner"; the month lookup accepts either).
func foldWord(w string) string {
	f := schemas.Fold(w)
	if len(f) == 0 {
		return w
	}
	return strings.Join(f, "")
}

// periodMatch is a period found in a text, or a period without its year
// ("1er semestre", "Jan–Jun") when NoYear is set (Year is then 0).
type periodMatch struct {
	P          schemas.Period
	NoYear     bool
	Fiscal     bool // a fiscal year starting in P.Year ("2022-2023", "2022/23", "FY2023"): its months depend on the country
	Start, End int  // byte span in the text
}

// Find returns every period in a text, in text order. Numbers that are not
// years stand alone are not periods: "1.234" is not read as anything.
func (pp *periodParser) Find(text string) []periodMatch {
	return pp.find(text, false)
}

// find is Find; thai says the table is written in Thai, whose bare years
// ("2566" alone in a heading) are of the Buddhist era too.
func (pp *periodParser) find(text string, thai bool) []periodMatch {
	toks := periodTokens(text, pp.known)
	buddhistEra(text, toks, thai)
	eraYears(toks)
	var out []periodMatch
	for i := 0; i < len(toks); {
		if m, n := pp.at(toks, i); n > 0 {
			m.Start, m.End = toks[i].pos, toks[i+n-1].end
			if i >= 2 && toks[i-1].era {
				m.Start = toks[i-2].pos // the era's name is part of the year
			}
			// a year, then a period without its year: "2024 m. I pusm.",
			// "2024 m. sausio–birželio mėn." (Lithuanian writes the year
			// first)
			if k := len(out) - 1; k >= 0 && m.NoYear && !out[k].NoYear && out[k].P.Type == schemas.PeriodYear && !out[k].Fiscal && pp.onlyYearWords(text[out[k].End:m.Start]) {
				m.P, m.NoYear, m.Start = withYear(m.P, out[k].P.Year), false, out[k].Start
				out[k] = m
				i += n
				continue
			}
			out = append(out, m)
			i += n
			continue
		}
		i++
	}
	return out
}

// onlyYearWords reports whether the text between two periods holds
// nothing but separators and year words ("m.", "r.", "year").
func (pp *periodParser) onlyYearWords(gap string) bool {
	for _, w := range schemas.Fold(gap) {
		switch w {
		case "m", "r", "г", "g", "年", "y":
			continue // the year's letter: Lithuanian m., Polish r., Russian г.
		}
		if !pp.kind(w, schemas.KindYearWord) {
			return false
		}
	}
	return true
}

// Parse reads a text that is one period and nothing else but period words
// ("Année 2023", "Anno 2023", "2023 r."), footnote marks removed first.
func (pp *periodParser) Parse(text string) (periodMatch, bool) {
	found := pp.Find(text)
	if len(found) != 1 {
		return periodMatch{}, false
	}
	m := found[0]
	rest := text[:m.Start] + " " + text[m.End:]
	for _, t := range periodTokens(rest, pp.known) {
		if t.sep {
			continue
		}
		if t.isNum() {
			return periodMatch{}, false
		}
		if !pp.isPeriodWord(t.s) {
			return periodMatch{}, false
		}
	}
	return m, true
}

// isPeriodWord reports whether a word may stand beside a period in a
// heading without changing it: "year", "Année", "Anno", "r." (Polish rok),
// "de" (julio de 2024), "fy".
func (pp *periodParser) isPeriodWord(w string) bool {
	switch w {
	case "r", "de", "del", "van", "of", "im", "in", "en", "i", "w", "в", "у", "jahr", "jahre", "ano", "anno", "annee", "year", "rok", "roku", "ar", "aar", "vuosi", "fy", "cy", "a", "und", "and":
		return true
	}
	for _, t := range pp.dict.Exact(w) {
		switch t.Kind {
		case schemas.KindYearWord, schemas.KindMonthWord:
			return true
		}
	}
	return false
}

// buddhistEra turns the years of a Thai text, written in the Buddhist
// era ("ปี 2566", "พ.ศ. 2566"), into years of the common era (2023);
// thai says the text is Thai even without Thai letters (a bare heading).
func buddhistEra(text string, toks []ptok, thai bool) {
	if !thai && strings.IndexFunc(text, isThai) < 0 {
		return
	}
	for i := range toks {
		if t := &toks[i]; t.isNum() && t.n == 4 && t.num >= 2443 && t.num <= 2643 {
			t.num -= 543
		}
	}
}

// The eras of East Asian calendars: the year before an era's first year.
var eraStart = map[string]int{
	"令和": 2018, // Reiwa
	"平成": 1988, // Heisei
	"昭和": 1925, // Shōwa
	"民國": 1911, // the Republic of China (Minguo)
	"民国": 1911,
}

// eraYears turns the years of East Asian eras into years of the common
// era: "令和6年" (Reiwa 6) and "令和元年" are 2024 and 2019, "民國113年"
// is 2024, and so is "113年" alone — three digits before 年 are a Minguo
// year, as Taiwan's tables write them (a common-era year has four).
func eraYears(toks []ptok) {
	for i := range toks {
		t := &toks[i]
		if i+1 >= len(toks) || toks[i+1].s != "年" {
			continue
		}
		if !t.isNum() && t.s != "元" {
			continue
		}
		n := t.num
		if t.s == "元" {
			n = 1 // the era's first year
		}
		start := 0
		if i >= 2 {
			start = eraStart[toks[i-2].s+toks[i-1].s]
		}
		switch {
		case start > 0 && n >= 1 && n <= 199:
			toks[i-2].era, toks[i-1].era = true, true
		case start == 0 && t.isNum() && t.n == 3 && n >= 80 && n <= 199:
			start = 1911
		default:
			continue
		}
		t.num, t.n, t.s = start+n, 4, strconv.Itoa(start+n)
	}
}

// known reports whether a run of characters of a script written without
// spaces is one period word: a month ("一月"), or a quarter, half-year,
// month, year, year-to-date or range word ("季度", "四半期", "분기").
func (pp *periodParser) known(w string) bool {
	if pp.month != nil {
		if _, ok := pp.month(w); ok {
			return true
		}
	}
	for _, t := range pp.dict.Exact(w) {
		switch t.Kind {
		case schemas.KindQuarter, schemas.KindHalf, schemas.KindMonthWord, schemas.KindYearWord, schemas.KindYTD,
			schemas.KindRange, schemas.KindYearEnding:
			return true
		}
	}
	return false
}

func (pp *periodParser) kind(w string, k schemas.Kind) bool {
	for _, t := range pp.dict.Exact(w) {
		if t.Kind == k {
			return true
		}
	}
	return false
}

func isYear(t ptok) bool { return t.isNum() && t.n == 4 && t.num >= 1900 && t.num <= 2100 }

// ordinal reads a quarter or half number: 1–4, a Roman numeral I–IV, or
// "1er", "2e", "1st", "1.", "1:a", "1º" (the number and its suffix), and
// returns how many tokens it took.
func ordinal(toks []ptok, i, maxN int) (int, int) {
	if i >= len(toks) {
		return 0, 0
	}
	t := toks[i]
	v := 0
	switch {
	case t.isNum() && t.n <= 2 && t.num >= 1 && t.num <= maxN:
		v = t.num
	case !t.isNum() && !t.sep && (t.s == "第" || t.s == "제") && i+1 < len(toks) && toks[i+1].pos <= t.end+1:
		// "第1四半期", "第一季度", "제1분기": the ordinal prefix
		if v, n := ordinal(toks, i+1, maxN); n > 0 {
			return v, n + 1
		}
		return 0, 0
	case !t.isNum() && !t.sep:
		switch t.s {
		case "一", "上", "상", "الاول":
			v = 1
		case "二", "下", "하", "الثاني":
			v = 2
		case "三", "الثالث":
			v = 3
		case "四", "الرابع":
			v = 4
		case "i":
			v = 1
		case "ii":
			v = 2
		case "iii":
			v = 3
		case "iv":
			v = 4
		case "first", "premier", "premiere", "erstes", "erste", "primo", "primer", "primeiro", "forsta", "pierwszy", "eerste":
			v = 1
		case "second", "deuxieme", "zweites", "zweite", "secondo", "segundo", "andra", "drugi", "tweede":
			v = 2
		case "third", "troisieme", "drittes", "dritte", "terzo", "tercer", "terceiro", "tredje", "trzeci", "derde":
			v = 3
		case "fourth", "quatrieme", "viertes", "vierte", "quarto", "cuarto", "fjarde", "czwarty", "vierde":
			v = 4
		}
		if v > maxN {
			v = 0
		}
		if v > 0 {
			return v, 1
		}
		return 0, 0
	default:
		return 0, 0
	}
	n := 1
	// suffixes: 1er, 2e, 1st, 2nd, 3rd, 4th, 1:a, 2:a, 1º, 1.
	if i+1 < len(toks) {
		nx := toks[i+1]
		if !nx.isNum() && !nx.sep && nx.pos == t.end {
			switch nx.s {
			case "er", "re", "e", "eme", "st", "nd", "rd", "th", "o", "a", "º", "°", "ste", "de", "ten", "ο", "η":
				n++
			}
		} else if nx.sep && (nx.s == "." || nx.s == ":") && nx.pos == t.end {
			n++
			if nx.s == ":" && i+2 < len(toks) && toks[i+2].s == "a" {
				n++
			}
		}
	}
	return v, n
}

// subWord reads a quarter or half-year word at i ("Q", "kw", "trimestre",
// "H", "semestre", with a trailing "." of an abbreviation), returning the
// period type and tokens taken.
func (pp *periodParser) subWord(toks []ptok, i int) (string, int) {
	if i >= len(toks) || toks[i].isNum() || toks[i].sep {
		return "", 0
	}
	w := toks[i].s
	typ := ""
	switch {
	case pp.kind(w, schemas.KindQuarter):
		typ = schemas.PeriodQuarter
	case pp.kind(w, schemas.KindHalf):
		typ = schemas.PeriodHalf
	}
	// two-word forms: "vierteljahr", "half year", "half-year"
	if typ == "" && i+2 < len(toks) && toks[i+1].s == "-" && pp.kind(w+" "+toks[i+2].s, schemas.KindHalf) {
		return schemas.PeriodHalf, 3
	}
	if typ == "" && i+1 < len(toks) && !toks[i+1].isNum() && pp.kind(w+" "+toks[i+1].s, schemas.KindHalf) {
		return schemas.PeriodHalf, 2
	}
	if typ == "" {
		return "", 0
	}
	n := 1
	if i+1 < len(toks) && toks[i+1].s == "." {
		n++
	}
	return typ, n
}

// halfOnly reports whether an ordinal word names a half year only: 上 and
// 下 ("上半年", "下半年"), Korean 상 and 하 ("상반기"); "上季度" is the
// previous quarter, not the first.
func halfOnly(w string) bool {
	switch w {
	case "上", "下", "상", "하":
		return true
	}
	return false
}

// month reads a month name at i (with a trailing abbreviation dot), or a
// number with a month character glued to it ("1月", "1월").
func (pp *periodParser) monthAt(toks []ptok, i int) (int, int) {
	if i >= len(toks) || toks[i].sep || pp.month == nil {
		return 0, 0
	}
	if toks[i].isNum() {
		if toks[i].n <= 2 && i+1 < len(toks) && !toks[i+1].isNum() && !toks[i+1].sep && toks[i+1].pos == toks[i].end {
			if m, ok := pp.month(toks[i].s + toks[i+1].s); ok && m == toks[i].num {
				return m, 2
			}
		}
		return 0, 0
	}
	// a dotted abbreviation: Thai ม.ค.
	if i+2 < len(toks) && toks[i+1].s == "." && toks[i+1].pos == toks[i].end && !toks[i+2].isNum() && !toks[i+2].sep &&
		toks[i+2].pos == toks[i+1].end {
		if m, ok := pp.month(toks[i].s + "." + toks[i+2].s + "."); ok {
			n := 3
			if i+3 < len(toks) && toks[i+3].s == "." {
				n++
			}
			return m, n
		}
	}
	m, ok := pp.month(toks[i].s)
	if !ok {
		return 0, 0
	}
	n := 1
	if i+1 < len(toks) && toks[i+1].s == "." {
		n++
	}
	return m, n
}

// yearAt reads a year at i, skipping one separator, "de" or a year word
// before it ("Quý 2 năm 2023").
func (pp *periodParser) yearAt(toks []ptok, i int) (int, int) {
	skip := 0
	for i+skip < len(toks) && skip < 2 && (toks[i+skip].sep && toks[i+skip].s != ":" || toks[i+skip].s == "de" || toks[i+skip].s == "del" ||
		!toks[i+skip].isNum() && pp.kind(toks[i+skip].s, schemas.KindYearWord)) {
		skip++
	}
	if i+skip < len(toks) && isYear(toks[i+skip]) {
		return toks[i+skip].num, skip + 1
	}
	return 0, 0
}

// monthRangeAt reads "1-6月", "1～6月", "1至6月": a month number, a
// range, and a month written as a number with its month character.
func (pp *periodParser) monthRangeAt(toks []ptok, i int) (m1, m2, n int) {
	if i >= len(toks) || !toks[i].isNum() || toks[i].n > 2 || toks[i].num < 1 || toks[i].num > 12 {
		return 0, 0, 0
	}
	r := pp.rangeAt(toks, i+1)
	if r == 0 || toks[i+1].s == "." {
		return 0, 0, 0
	}
	if m, k := pp.monthAt(toks, i+1+r); k > 0 && toks[i+1+r].isNum() && m > toks[i].num {
		return toks[i].num, m, 1 + r + k
	}
	return 0, 0, 0
}

// cumulative is the period of months m1 to m2 of year y (the year when
// they are all twelve).
func cumulative(y, m1, m2 int) schemas.Period {
	if m1 == 1 && m2 == 12 {
		return schemas.Period{Type: schemas.PeriodYear, Year: y}
	}
	return schemas.Cumulative(y, m1, y, m2)
}

// isRange reports whether the tokens at i join two months of a cumulative
// period: a dash, or "to", "bis", "à", "a", "till", "do", "tot".
func (pp *periodParser) rangeAt(toks []ptok, i int) int {
	if i >= len(toks) {
		return 0
	}
	t := toks[i]
	if t.sep && t.s != "." && t.s != ":" && t.s != "/" {
		return 1
	}
	if !t.isNum() && !t.sep && pp.kind(t.s, schemas.KindRange) && t.s != "-" {
		return 1
	}
	return 0
}

// at reads the longest period starting at token i.
func (pp *periodParser) at(toks []ptok, i int) (periodMatch, int) {
	t := toks[i]
	// year ending: "year ending June 2024" = July 2023 to June 2024
	if !t.isNum() && !t.sep {
		for _, n := range []int{4, 3, 2} {
			if i+n > len(toks) {
				continue
			}
			var ws []string
			for _, x := range toks[i : i+n] {
				ws = append(ws, x.s)
			}
			if !pp.kind(strings.Join(ws, " "), schemas.KindYearEnding) {
				continue
			}
			j := i + n
			if m, k := pp.monthAt(toks, j); k > 0 {
				if y, l := pp.yearAt(toks, j+k); l > 0 {
					if m == 12 {
						return periodMatch{P: schemas.Period{Type: schemas.PeriodYear, Year: y}}, n + k + l
					}
					return periodMatch{P: schemas.Cumulative(y-1, m+1, y, m)}, n + k + l
				}
			}
		}
	}
	// year to date: "YTD Sep 2024", "year to date September 2024"
	if !t.isNum() && !t.sep {
		for _, n := range []int{3, 2, 1} {
			if i+n > len(toks) {
				continue
			}
			var ws []string
			for _, x := range toks[i : i+n] {
				ws = append(ws, x.s)
			}
			if !pp.kind(strings.Join(ws, " "), schemas.KindYTD) {
				continue
			}
			j := i + n
			if m, k := pp.monthAt(toks, j); k > 0 {
				if y, l := pp.yearAt(toks, j+k); l > 0 {
					return periodMatch{P: schemas.Cumulative(y, 1, y, m)}, n + k + l
				}
				return periodMatch{P: schemas.Cumulative(0, 1, 0, m), NoYear: true}, n + k
			}
		}
	}
	// "1-6月" (without a year before it: "1-6月 2024" is rare)
	if m1, m2, n := pp.monthRangeAt(toks, i); n > 0 {
		if y, l := pp.yearAt(toks, i+n); l > 0 {
			return periodMatch{P: cumulative(y, m1, m2)}, n + l
		}
		return periodMatch{P: schemas.Cumulative(0, m1, 0, m2), NoYear: true}, n
	}
	// a month word and its number: Vietnamese "Tháng 1/2023"
	if !t.isNum() && !t.sep && i+1 < len(toks) && toks[i+1].isNum() && toks[i+1].n <= 2 && toks[i+1].num >= 1 &&
		toks[i+1].num <= 12 && pp.kind(t.s, schemas.KindMonthWord) {
		m := toks[i+1].num
		if y, l := pp.yearAt(toks, i+2); l > 0 {
			return periodMatch{P: schemas.Period{Type: schemas.PeriodMonth, Year: y, Sub: m}}, 2 + l
		}
	}
	// month names: "Jan 2023", "Jan–Jun 2024", "Jänner bis Juni 2024"
	if m, k := pp.monthAt(toks, i); k > 0 {
		j := i + k
		// a quarter named by its last month: "Dec qtr 2023", "Mar quarter
		// 2024" (Australian tables)
		if typ, k2 := pp.subWord(toks, j); k2 > 0 && typ == schemas.PeriodQuarter && m%3 == 0 {
			if _, l := ordinal(toks, j+k2, 4); l == 0 {
				if y, l := pp.yearAt(toks, j+k2); l > 0 {
					return periodMatch{P: schemas.Period{Type: schemas.PeriodQuarter, Year: y, Sub: m / 3}}, j + k2 + l - i
				}
				return periodMatch{P: schemas.Period{Type: schemas.PeriodQuarter, Sub: m / 3}, NoYear: true}, j + k2 - i
			}
		}
		// a range across the turn of a fiscal year: "July–June 2023-24"
		if r := pp.rangeAt(toks, j); r > 0 {
			if m2, k2 := pp.monthAt(toks, j+r); k2 > 0 && m2 < m {
				end := j + r + k2
				skip := 0
				for end+skip < len(toks) && skip < 1 && toks[end+skip].sep {
					skip++
				}
				if end+skip < len(toks) && isYear(toks[end+skip]) {
					if fm, n := fiscalAt(toks, end+skip); n > 0 {
						y := fm.P.Year
						if p := schemas.Cumulative(y, m, y+1, m2); p.Valid() {
							return periodMatch{P: p}, end + skip + n - i
						}
					}
				}
			}
		}
		// a range: month – month [year]
		if r := pp.rangeAt(toks, j); r > 0 {
			if m2, k2 := pp.monthAt(toks, j+r); k2 > 0 && m2 > m {
				end := j + r + k2
				if y, l := pp.yearAt(toks, end); l > 0 {
					if m == 1 && m2 == 12 {
						return periodMatch{P: schemas.Period{Type: schemas.PeriodYear, Year: y}}, end + l - i
					}
					return periodMatch{P: schemas.Cumulative(y, m, y, m2)}, end + l - i
				}
				// "Jan 2023 – Jun 2023" is handled below; a range
				// without a year waits for one from another heading
				return periodMatch{P: schemas.Cumulative(0, m, 0, m2), NoYear: true}, end - i
			}
		}
		if y, l := pp.yearAt(toks, j); l > 0 {
			// "Jul 2023 – Jun 2024": a cumulative run across years
			end := j + l
			if r := pp.rangeAt(toks, end); r > 0 {
				if m2, k2 := pp.monthAt(toks, end+r); k2 > 0 {
					if y2, l2 := pp.yearAt(toks, end+r+k2); l2 > 0 {
						p := schemas.Cumulative(y, m, y2, m2)
						if p.Valid() {
							return periodMatch{P: p}, end + r + k2 + l2 - i
						}
					}
				}
			}
			return periodMatch{P: schemas.Period{Type: schemas.PeriodMonth, Year: y, Sub: m}}, j + l - i
		}
		return periodMatch{P: schemas.Period{Type: schemas.PeriodMonth, Sub: m}, NoYear: true}, k
	}
	// a run of quarters or halves: "1.–3. čtvrtletí 2024", "I-III kw.
	// 2024", "Q1–Q3 2024": the months from the first to the last
	if m, n := pp.subRangeAt(toks, i); n > 0 {
		return m, n
	}
	// Roman month ranges: "I–VI 2024" (Polish tables) is January to June
	if a := romanMonth(t); a > 0 && i+2 < len(toks) && toks[i+1].sep && toks[i+1].s != "." && toks[i+1].s != ":" {
		if b := romanMonth(toks[i+2]); b > a {
			if y, l := pp.yearAt(toks, i+3); l > 0 {
				if a == 1 && b == 12 {
					return periodMatch{P: schemas.Period{Type: schemas.PeriodYear, Year: y}}, 3 + l
				}
				return periodMatch{P: schemas.Cumulative(y, a, y, b)}, 3 + l
			}
			return periodMatch{P: schemas.Cumulative(0, a, 0, b), NoYear: true}, 3
		}
	}
	// quarter and half forms led by a word: "Q1 2023", "T1 2023", "kv1
	// 2023", "H1 2023", "S1 2023", "trimestre 1 2023"
	if typ, k := pp.subWord(toks, i); k > 0 {
		if v, l := ordinal(toks, i+k, maxSub(typ)); l > 0 {
			j := i + k + l
			if y, m := pp.yearAt(toks, j); m > 0 {
				return periodMatch{P: schemas.Period{Type: typ, Year: y, Sub: v}}, j + m - i
			}
			if len(toks[i].s) <= 2 && toks[i+k].pos != toks[i].end {
				return periodMatch{}, 0 // "Q 1" alone is not a period
			}
			return periodMatch{P: schemas.Period{Type: typ, Sub: v}, NoYear: true}, j - i
		}
	}
	// ordinal first: "1er trim. 2023", "I kw. 2023", "1. Quartal 2023",
	// "1e kwartaal 2023", "1T 2023", "1er semestre"
	if v, l := ordinal(toks, i, 4); l > 0 && !(t.isNum() && t.n > 2) {
		if typ, k := pp.subWord(toks, i+l); k > 0 && v <= maxSub(typ) && (typ == schemas.PeriodHalf || !halfOnly(toks[i+l-1].s)) {
			j := i + l + k
			if y, m := pp.yearAt(toks, j); m > 0 {
				return periodMatch{P: schemas.Period{Type: typ, Year: y, Sub: v}}, j + m - i
			}
			return periodMatch{P: schemas.Period{Type: typ, Sub: v}, NoYear: true}, j - i
		}
	}
	// fiscal years: "FY2023", "FY 2022/23"
	if !t.isNum() && !t.sep && t.s == "fy" && i+1 < len(toks) && isYear(toks[i+1]) {
		if m, n := fiscalAt(toks, i+1); n > 0 {
			return m, 1 + n
		}
		return periodMatch{P: schemas.Period{Type: schemas.PeriodYear, Year: toks[i+1].num - 1}, Fiscal: true}, 2
	}
	if isYear(t) {
		if m, n := fiscalAt(toks, i); n > 0 {
			return m, n
		}
		j := i + 1
		// a year word glued to the year: "2023年", "2023년"; "2023年度"
		// is a fiscal year (Japan's runs April to March)
		if j < len(toks) && !toks[j].isNum() && !toks[j].sep && toks[j].pos == t.end && pp.kind(toks[j].s, schemas.KindYearWord) {
			if toks[j].s == "年度" {
				return periodMatch{P: schemas.Period{Type: schemas.PeriodYear, Year: t.num}, Fiscal: true}, 2
			}
			j++
		}
		base := j - i
		// "2023年1-6月", "2023年1～6月"
		if m1, m2, n := pp.monthRangeAt(toks, j); n > 0 {
			return periodMatch{P: cumulative(t.num, m1, m2)}, base + n
		}
		// "2023Q1", "2023-Q1", "2023 Q1", "2023KW01", "2023 1e kwartaal"
		sep := 0
		if j < len(toks) && toks[j].sep && toks[j].s != ":" && toks[j].s != "." {
			sep = 1
		}
		if typ, k := pp.subWord(toks, j+sep); k > 0 {
			if v, l := ordinal(toks, j+sep+k, maxSub(typ)); l > 0 {
				return periodMatch{P: schemas.Period{Type: typ, Year: t.num, Sub: v}}, base + sep + k + l
			}
		}
		if v, l := ordinal(toks, j+sep, 4); l > 0 && sep == 0 {
			if typ, k := pp.subWord(toks, j+l); k > 0 && v <= maxSub(typ) && (typ == schemas.PeriodHalf || !halfOnly(toks[j+l-1].s)) {
				return periodMatch{P: schemas.Period{Type: typ, Year: t.num, Sub: v}}, base + l + k
			}
		}
		// "2023.01", "2023.12": months as Korean and Chinese tables write them
		if j+1 < len(toks) && toks[j].s == "." && toks[j].pos == t.end && toks[j+1].isNum() && toks[j+1].n == 2 &&
			toks[j+1].pos == toks[j].end && toks[j+1].num >= 1 && toks[j+1].num <= 12 && (j+2 >= len(toks) || toks[j+2].s != ".") {
			return periodMatch{P: schemas.Period{Type: schemas.PeriodMonth, Year: t.num, Sub: toks[j+1].num}}, base + 2
		}
		// "2023M07", "2023MM01", "2023-07", "2023/07"
		if j < len(toks) && !toks[j].sep && (toks[j].s == "m" || toks[j].s == "mm") && toks[j].pos == t.end {
			if j+1 < len(toks) && toks[j+1].isNum() && toks[j+1].num >= 1 && toks[j+1].num <= 12 && toks[j+1].n <= 2 {
				return periodMatch{P: schemas.Period{Type: schemas.PeriodMonth, Year: t.num, Sub: toks[j+1].num}}, base + 2
			}
		}
		// "2023 JAN", "2023 January" (ONS), "2023年1月", "2023년 1월"
		if m, k := pp.monthAt(toks, j); k > 0 {
			return periodMatch{P: schemas.Period{Type: schemas.PeriodMonth, Year: t.num, Sub: m}}, base + k
		}
		if j+1 < len(toks) && toks[j].s == "." && toks[j].pos == t.end {
			// "2023.01" (Korean, Japanese and Chinese tables)
			if nx := toks[j+1]; nx.isNum() && nx.n == 2 && nx.num >= 1 && nx.num <= 12 && nx.pos == toks[j].end && (j+2 >= len(toks) || !toks[j+2].isNum()) {
				return periodMatch{P: schemas.Period{Type: schemas.PeriodMonth, Year: t.num, Sub: nx.num}}, 3
			}
			// "2023. január" (Hungarian order: year, then month)
			if m, k := pp.monthAt(toks, j+1); k > 0 {
				return periodMatch{P: schemas.Period{Type: schemas.PeriodMonth, Year: t.num, Sub: m}}, 2 + k
			}
		}
		// CBS "2023JJ00": the year
		if j+1 < len(toks) && toks[j].s == "jj" && toks[j].pos == t.end && toks[j+1].isNum() && toks[j+1].num == 0 {
			return periodMatch{P: schemas.Period{Type: schemas.PeriodYear, Year: t.num}}, base + 2
		}
		if sep == 1 && (toks[j].s == "-" || toks[j].s == "/") && j+1 < len(toks) && toks[j+1].isNum() && toks[j+1].n == 2 && toks[j+1].num >= 1 && toks[j+1].num <= 12 {
			// "2024-01/2024-06": cumulative
			if j+5 < len(toks) && toks[j+2].s == "/" && isYear(toks[j+3]) && toks[j+4].s == "-" && toks[j+5].isNum() && toks[j+5].n == 2 {
				p := schemas.Cumulative(t.num, toks[j+1].num, toks[j+3].num, toks[j+5].num)
				if p.Valid() {
					return periodMatch{P: p}, base + 6
				}
			}
			return periodMatch{P: schemas.Period{Type: schemas.PeriodMonth, Year: t.num, Sub: toks[j+1].num}}, base + 2
		}
		// "jan/2024" is read from the month side; "2023 - 2024" is two years
		return periodMatch{P: schemas.Period{Type: schemas.PeriodYear, Year: t.num}}, base
	}
	// "07/2023", "7.2023"
	if t.isNum() && t.n <= 2 && t.num >= 1 && t.num <= 12 && i+2 < len(toks) && (toks[i+1].s == "/" || toks[i+1].s == ".") && isYear(toks[i+2]) {
		return periodMatch{P: schemas.Period{Type: schemas.PeriodMonth, Year: toks[i+2].num, Sub: t.num}}, 3
	}
	return periodMatch{}, 0
}

// subRangeAt reads a run of quarters or half years at i: "1.–3.
// čtvrtletí 2024", "I–III kw. 2024", "Q1–Q3 2024", "1-3Q 2024". A run
// over the whole year is the year.
func (pp *periodParser) subRangeAt(toks []ptok, i int) (periodMatch, int) {
	var typ string
	var a, b, j int
	if ty, k := pp.subWord(toks, i); k > 0 {
		// "Q1–Q3"
		v, l := ordinal(toks, i+k, maxSub(ty))
		if l == 0 {
			return periodMatch{}, 0
		}
		r := pp.rangeAt(toks, i+k+l)
		if r == 0 {
			return periodMatch{}, 0
		}
		ty2, k2 := pp.subWord(toks, i+k+l+r)
		if ty2 != ty {
			return periodMatch{}, 0
		}
		v2, l2 := ordinal(toks, i+k+l+r+k2, maxSub(ty))
		if l2 == 0 {
			return periodMatch{}, 0
		}
		typ, a, b, j = ty, v, v2, i+k+l+r+k2+l2
	} else {
		// "1.–3. čtvrtletí", "I–III kw."
		v, l := ordinal(toks, i, 4)
		if l == 0 || toks[i].isNum() && toks[i].n > 2 {
			return periodMatch{}, 0
		}
		r := pp.rangeAt(toks, i+l)
		if r == 0 {
			return periodMatch{}, 0
		}
		v2, l2 := ordinal(toks, i+l+r, 4)
		if l2 == 0 {
			return periodMatch{}, 0
		}
		ty, k := pp.subWord(toks, i+l+r+l2)
		if k == 0 {
			return periodMatch{}, 0
		}
		typ, a, b, j = ty, v, v2, i+l+r+l2+k
	}
	if b <= a || b > maxSub(typ) {
		return periodMatch{}, 0
	}
	months := 3
	if typ == schemas.PeriodHalf {
		months = 6
	}
	first, last := (a-1)*months+1, b*months
	y, l := pp.yearAt(toks, j)
	if l == 0 {
		return periodMatch{P: schemas.Cumulative(0, first, 0, last), NoYear: true}, j - i
	}
	if first == 1 && last == 12 {
		return periodMatch{P: schemas.Period{Type: schemas.PeriodYear, Year: y}}, j + l - i
	}
	return periodMatch{P: schemas.Cumulative(y, first, y, last)}, j + l - i
}

// fiscalAt reads "2022-2023", "2022/23" or "2022-23": a year and the
// next one.
func fiscalAt(toks []ptok, i int) (periodMatch, int) {
	if i+2 >= len(toks) || !(toks[i+1].s == "-" || toks[i+1].s == "/" || toks[i+1].s == "–") || !toks[i+2].isNum() {
		return periodMatch{}, 0
	}
	y, next := toks[i].num, toks[i+2]
	switch {
	case next.n == 4 && next.num == y+1:
	case next.n == 2 && next.num == (y+1)%100:
	default:
		return periodMatch{}, 0
	}
	return periodMatch{P: schemas.Period{Type: schemas.PeriodYear, Year: y}, Fiscal: true}, 3
}

// romanMonth reads a Roman numeral I to XII as a month number.
func romanMonth(t ptok) int {
	if t.isNum() || t.sep {
		return 0
	}
	for i, r := range []string{"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"} {
		if t.s == r {
			return i + 1
		}
	}
	return 0
}

func maxSub(typ string) int {
	if typ == schemas.PeriodHalf {
		return 2
	}
	return 4
}

// withYear completes a period read without its year.
func withYear(p schemas.Period, y int) schemas.Period {
	p.Year = y
	if p.Type == schemas.PeriodCumulative {
		p.EndYear = y
	}
	return p
}
