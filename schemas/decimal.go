package schemas

import (
	"strconv"
	"strings"
)

// Decimal is a decimal number read from text, exactly: the number is
// 0.Digits × 10^Exp, negative when Neg. Digits holds the significant
// digits, without leading or trailing zeros; zero has no digits.
type Decimal struct {
	Neg    bool
	Digits string
	Exp    int
}

// Limits of ParseDecimal: more significant digits, or a larger exponent,
// than any column or float holds.
const (
	maxDecimalDigits = 400
	maxDecimalExp    = 400
)

// ParseDecimal reads the decimal text of a number: an optional sign,
// digits with an optional decimal point ("12", "-1.50", ".5", "5."), and
// an optional exponent ("1.5e3", "2E-4"), which is what
// strconv.ParseFloat reads in decimal. It reports false for other text,
// and for numbers of more than 400 significant digits or an exponent
// beyond ±400.
func ParseDecimal(s string) (Decimal, bool) {
	var d Decimal
	if s == "" {
		return d, false
	}
	switch s[0] {
	case '-':
		d.Neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || e > maxDecimalExp || e < -maxDecimalExp {
			return d, false
		}
		mant, exp = s[:i], e
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart == "" && frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return d, false
	}
	digits := strings.TrimLeft(intPart+frac, "0")
	// the point sits len(intPart) digits into intPart+frac; leading
	// zeros dropped move it left
	point := len(intPart) - (len(intPart) + len(frac) - len(digits))
	digits = strings.TrimRight(digits, "0")
	if len(digits) > maxDecimalDigits {
		return d, false
	}
	if digits == "" {
		return Decimal{}, true // zero, whatever its sign
	}
	d.Digits, d.Exp = digits, point+exp
	return d, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Significant returns the number of significant digits.
func (d Decimal) Significant() int { return len(d.Digits) }

// Shift returns d × 10^n.
func (d Decimal) Shift(n int) Decimal {
	if d.Digits != "" {
		d.Exp += n
	}
	return d
}

// Round returns d rounded half away from zero to the given number of
// decimals (≥ 0).
func (d Decimal) Round(decimals int) Decimal {
	keep := d.Exp + decimals // digits before the cut
	if keep >= len(d.Digits) {
		return d
	}
	if keep < 0 || keep == 0 && d.Digits[0] < '5' {
		return Decimal{}
	}
	up := d.Digits[keep] >= '5'
	b := []byte(d.Digits[:keep])
	exp := d.Exp
	if up {
		i := len(b) - 1
		for i >= 0 && b[i] == '9' {
			b[i] = '0'
			i--
		}
		if i >= 0 {
			b[i]++
		} else {
			b = append([]byte{'1'}, b...) // 999.5 → 1000
			exp++
		}
	}
	digits := strings.TrimRight(string(b), "0")
	if digits == "" {
		return Decimal{}
	}
	return Decimal{Neg: d.Neg, Digits: digits, Exp: exp}
}

// Decimals returns the number of digits after the decimal point of the
// plain text of d.
func (d Decimal) Decimals() int { return max(0, len(d.Digits)-d.Exp) }

// String returns the plain text of d, without exponent: "-0.015",
// "9007199254740993", "0".
func (d Decimal) String() string {
	if d.Digits == "" {
		return "0"
	}
	var b strings.Builder
	if d.Neg {
		b.WriteByte('-')
	}
	switch {
	case d.Exp <= 0:
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", -d.Exp))
		b.WriteString(d.Digits)
	case d.Exp >= len(d.Digits):
		b.WriteString(d.Digits)
		b.WriteString(strings.Repeat("0", d.Exp-len(d.Digits)))
	default:
		b.WriteString(d.Digits[:d.Exp])
		b.WriteByte('.')
		b.WriteString(d.Digits[d.Exp:])
	}
	return b.String()
}

// FloatExact is the most significant digits a decimal may have to be
// held exactly by a float64 (DBL_DIG): a decimal of at most 15 digits
// reads back from its float unchanged.
const FloatExact = 15

// FloatPrintout reports whether d is v printed to d's number of
// significant digits (correctly rounded), as a program writing floats
// writes them (Excel writes up to 17 digits: 2.675 as
// "2.6749999999999998"): such text carries no digit the float lacks.
func FloatPrintout(d Decimal, v float64) bool {
	if d.Digits == "" {
		return v == 0
	}
	p, ok := ParseDecimal(strconv.FormatFloat(v, 'e', d.Significant()-1, 64))
	return ok && p == d
}
