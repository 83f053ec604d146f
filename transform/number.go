package transform

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/tradeetl/tradeetl/schemas"
)

// Separator tells ParseNumber how to read a lone "," or "." followed by
// exactly three digits ("1,234"), which is a thousands separator in English
// and a decimal separator in Dutch and French.
type Separator uint8

// Separator hints.
const (
	SepUnknown      Separator = iota // guess: a lone ",ddd" or ".ddd" is a thousands separator
	SepDecimalPoint                  // 1,234.5
	SepDecimalComma                  // 1.234,5
)

// Number is a figure as written: its value, the decimals it was written
// with, and the marks around it.
type Number struct {
	Value    float64
	Decimals int
	// Percent is true when the text ended in "%" ("91.8%"); Value is
	// then 91.8, not 0.918.
	Percent bool
	// Footnote is a trailing footnote mark that was removed ("*", "(a)").
	Footnote string
	// Digits is the figure as exact decimal text ("-9007199254740993")
	// when it has more significant digits than Value holds exactly
	// (schemas.FloatExact); empty otherwise.
	Digits string
}

// Errors of ParseNumber.
var (
	ErrNotNumber = errors.New("not a number")
	ErrEmpty     = errors.New("empty")
)

// ParseNumber reads a figure the way people write it in spreadsheets and
// CSV exports: "6.80", "6,80", "1.234,5", "1,234.5", "1 234,5", "(1.2)"
// (negative), "−3.2" (Unicode minus), "6.80*" and "6.80 (a)" (footnote
// marks), "91.8%", "€ 6.8", "1.2E3". Decimals counts the digits after the
// decimal separator as written ("6.80" has 2). Missing-value marks are not
// numbers; see Dictionary.IsMissing.
func ParseNumber(s string, hint Separator) (Number, error) {
	if n, ok := plainNumber(s, hint); ok {
		return n, nil
	}
	return parseNumber(s, hint)
}

// parseNumber is ParseNumber for any text; ParseNumber takes a shorter way
// for plain figures.
func parseNumber(s string, hint Separator) (Number, error) {
	var n Number
	s = strings.TrimFunc(s, isSpace)
	if s == "" {
		return n, ErrEmpty
	}
	s, n.Footnote = stripFootnote(s)
	neg := false
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg, s = true, strings.TrimFunc(s[1:len(s)-1], isSpace)
	}
	s = trimCurrency(s)
	if strings.HasSuffix(s, "%") {
		n.Percent, s = true, strings.TrimFunc(strings.TrimSuffix(s, "%"), isSpace)
	}
	s = trimCurrency(s)
	switch {
	case strings.HasPrefix(s, "-"), strings.HasPrefix(s, "\u2212"), strings.HasPrefix(s, "\u2013"):
		if neg {
			return n, ErrNotNumber
		}
		neg = true
		_, size := firstRune(s)
		s = strings.TrimFunc(s[size:], isSpace)
	case strings.HasPrefix(s, "+"):
		s = strings.TrimFunc(s[1:], isSpace)
	}
	if s == "" {
		return n, ErrNotNumber
	}
	digits, decimals, exp, err := normalise(s, hint)
	if err != nil {
		return n, err
	}
	v, err := strconv.ParseFloat(digits, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return n, ErrNotNumber
	}
	if neg {
		v = -v
		digits = "-" + digits
	}
	n.Value = v
	n.Digits = exactDigits(digits)
	n.Decimals = max(0, decimals-exp)
	if n.Decimals > 15 {
		n.Decimals = 15
	}
	return n, nil
}

// plainNumber reads the common case on a short way: ASCII digits with at
// most one decimal point and an optional minus sign ("1234.56", "-3"), as
// CSV exports write figures. A point followed by three digits ("1.234")
// is a decimal point unless the sheet writes decimal commas, as
// ParseNumber decides; anything else is left to ParseNumber's long way.
func plainNumber(s string, hint Separator) (Number, bool) {
	if hint == SepDecimalComma || len(s) == 0 || len(s) > 40 {
		return Number{}, false
	}
	i := 0
	if s[0] == '-' {
		i = 1
	}
	digits, dot := 0, -1
	for j := i; j < len(s); j++ {
		switch c := s[j]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && dot < 0:
			dot = j
		default:
			return Number{}, false
		}
	}
	if digits == 0 || dot == len(s)-1 && dot == i {
		return Number{}, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return Number{}, false
	}
	n := Number{Value: v, Digits: exactDigits(s)}
	if dot >= 0 {
		n.Decimals = min(len(s)-dot-1, 15)
	}
	return n, true
}

// exactDigits returns s, the decimal text of a figure, when it has more
// significant digits than a float64 holds exactly, and "" otherwise.
func exactDigits(s string) string {
	if len(s) <= schemas.FloatExact {
		return "" // the short way for the common case
	}
	if d, ok := schemas.ParseDecimal(s); ok && d.Significant() > schemas.FloatExact {
		return s
	}
	return ""
}

func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' || r == '\u2009' || r == '\u2007'
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

// trimCurrency removes a euro sign or code before or after the figure.
func trimCurrency(s string) string {
	for _, c := range []string{"€", "EUR", "eur", "Eur"} {
		if strings.HasPrefix(s, c) {
			s = strings.TrimFunc(s[len(c):], isSpace)
		}
		if strings.HasSuffix(s, c) {
			s = strings.TrimFunc(s[:len(s)-len(c)], isSpace)
		}
	}
	return s
}

// stripFootnote removes trailing footnote marks: "*", "**", "†", "‡",
// superscript digits, "(a)", "(p)", "[1]", a one- or two-letter flag
// after a space ("6.80 p", "6.80 e"), or a lower-case status flag glued to
// the last digit ("447,9p").
func stripFootnote(s string) (string, string) {
	orig := s
	for {
		t := strings.TrimRightFunc(s, func(r rune) bool {
			return r == '*' || r == '†' || r == '‡' || strings.ContainsRune("¹²³⁴⁵⁶⁷⁸⁹⁰", r)
		})
		t = strings.TrimRightFunc(t, isSpace)
		if n := len(t); n >= 3 && (t[n-1] == ')' || t[n-1] == ']') {
			open := strings.LastIndexAny(t, "([")
			if open > 0 && n-open <= 6 && isFlag(t[open+1:n-1]) && strings.TrimRightFunc(t[:open], isSpace) != "" {
				t = strings.TrimRightFunc(t[:open], isSpace)
			}
		}
		if i := strings.LastIndexFunc(t, isSpace); i > 0 && isLetters(t[i+1:]) && len(t)-i-1 <= 2 {
			t = strings.TrimRightFunc(t[:i], isSpace)
		}
		// a status flag glued to the figure: "3 521 447,9p", "12.4e"
		if n := len(t); n >= 2 && strings.IndexByte("pebrcufsndz", t[n-1]) >= 0 && t[n-2] >= '0' && t[n-2] <= '9' {
			t = t[:n-1]
		}
		if t == s {
			break
		}
		s = t
	}
	if s == orig {
		return s, ""
	}
	return s, strings.TrimFunc(orig[len(s):], isSpace)
}

func isFlag(s string) bool {
	if s == "" || len(s) > 4 {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

func isLetters(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// normalise turns the digits and separators of s into a string that
// strconv.ParseFloat reads, and counts the decimals and the exponent.
func normalise(s string, hint Separator) (digits string, decimals, exp int, err error) {
	mantissa := s
	if i := strings.IndexAny(s, "eE"); i > 0 {
		e, perr := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
		if perr != nil || e > 308 || e < -308 {
			return "", 0, 0, ErrNotNumber
		}
		mantissa, exp = s[:i], e
	}
	// drop digit-group spaces and apostrophes: "1 234,5", "1'234.5"
	var b strings.Builder
	for _, r := range mantissa {
		switch {
		case r >= '0' && r <= '9', r == '.', r == ',':
			b.WriteRune(r)
		case isSpace(r) || r == '\'' || r == '’':
			// group separator
		default:
			return "", 0, 0, ErrNotNumber
		}
	}
	m := b.String()
	if m == "" || strings.Trim(m, ".,") == "" {
		return "", 0, 0, ErrNotNumber
	}
	dots, commas := strings.Count(m, "."), strings.Count(m, ",")
	decimalSep := byte(0)
	switch {
	case dots > 0 && commas > 0:
		if strings.LastIndexByte(m, '.') > strings.LastIndexByte(m, ',') {
			decimalSep = '.'
		} else {
			decimalSep = ','
		}
	case dots > 1:
		decimalSep = 0 // "1.234.567": thousands
	case commas > 1:
		decimalSep = 0
	case dots == 1:
		decimalSep = loneSeparator(m, '.', hint == SepDecimalComma)
	case commas == 1:
		decimalSep = loneSeparator(m, ',', hint != SepDecimalComma)
	}
	var intPart, frac string
	if decimalSep != 0 {
		i := strings.LastIndexByte(m, decimalSep)
		intPart, frac = m[:i], m[i+1:]
		if strings.ContainsAny(frac, ".,") {
			return "", 0, 0, ErrNotNumber
		}
	} else {
		intPart = m
	}
	if !validGroups(intPart) {
		return "", 0, 0, ErrNotNumber
	}
	intPart = groupSeparators.Replace(intPart)
	if intPart == "" {
		intPart = "0"
	}
	digits = intPart
	if frac != "" {
		digits += "." + frac
	}
	if exp != 0 {
		digits += "e" + strconv.Itoa(exp)
	}
	return digits, len(frac), exp, nil
}

var groupSeparators = strings.NewReplacer(".", "", ",", "")

// loneSeparator decides whether a single sep in m is the decimal separator.
// Followed by other than three digits it must be; followed by exactly three
// digits ("1,234") it is a thousands separator when thousandsIfThree.
func loneSeparator(m string, sep byte, thousandsIfThree bool) byte {
	i := strings.IndexByte(m, sep)
	if len(m)-i-1 == 3 && i > 0 && thousandsIfThree && m[:i] != "0" {
		return 0
	}
	return sep
}

// validGroups checks that thousands separators in an integer part sit
// between groups of three digits ("1.234.567", not "1.23.4").
func validGroups(s string) bool {
	if !strings.ContainsAny(s, ".,") {
		return true
	}
	groups := strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == ',' })
	if len(groups) < 2 || strings.HasPrefix(s, ".") || strings.HasPrefix(s, ",") {
		return false
	}
	if len(groups[0]) == 0 || len(groups[0]) > 3 {
		return false
	}
	western := true
	for _, g := range groups[1:] {
		if len(g) != 3 {
			western = false
		}
	}
	return western || indianGroups(s, groups)
}

// indianGroups checks the Indian grouping of lakhs and crores: the last
// group of three digits, the ones before it of two ("3,62,315",
// "12,34,56,789").
func indianGroups(s string, groups []string) bool {
	if strings.Contains(s, ".") || len(groups) < 3 || len(groups[len(groups)-1]) != 3 || len(groups[0]) > 2 {
		return false
	}
	for _, g := range groups[1 : len(groups)-1] {
		if len(g) != 2 {
			return false
		}
	}
	return true
}
