package transform

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/schemas"
)

// figure is a data cell read as a number.
type figure struct {
	value    float64
	decimals int
	digits   string // value as exact decimal text, when it has more digits than value holds
	text     string // as written or stored
	missing  string // missing-value mark, when the cell holds one
	status   string // status flag or footnote mark written with it ("p", "*")
	problem  string // why the cell could not be read, when it could not
	rule     string // the finding rule for problem
}

// readFigure reads a data cell. A number formatted as a percentage ("0.0%")
// reads as percent: 0.918 gives 91.8.
func (t *reader) readFigure(c extract.Cell) figure {
	f := figure{text: c.Text}
	switch c.Kind {
	case extract.Number:
		// The published figure is the one the number format shows:
		// 6.8049 formatted "0.00" was published as 6.80.
		f.value = c.Number
		format := t.format(c.Format)
		if format.percent {
			f.value *= 100
		}
		f.decimals = format.decimals
		if f.decimals < 0 {
			f.decimals = decimalsOf(f.value)
		} else {
			f.value = roundTo(f.value, f.decimals)
		}
		if d, ok := storedDigits(c); ok {
			// the stored text has digits the float lost: it is the
			// figure, shown as the format shows it
			if format.percent {
				d = d.Shift(2)
			}
			if format.decimals >= 0 {
				d = d.Round(format.decimals)
			} else {
				f.decimals = min(d.Decimals(), 15)
			}
			f.digits = d.String()
			f.value, _ = strconv.ParseFloat(f.digits, 64)
		}
		// the figure as published; mostly the stored text itself
		var buf [32]byte
		if f.digits != "" {
			if f.digits != c.Text {
				f.text = f.digits
			}
		} else if text := strconv.AppendFloat(buf[:0], f.value, 'f', f.decimals, 64); string(text) != c.Text {
			f.text = string(text)
		}
		return f
	case extract.String:
		if t.dict.IsMissing(c.Text) {
			f.missing = strings.TrimSpace(c.Text)
			return f
		}
		// a mark with a flag: Eurostat's ": c" (confidential), ": z"
		if mark, flag, ok := strings.Cut(strings.TrimSpace(c.Text), " "); ok && t.dict.IsMissing(mark) && t.dict.IsFlag(flag) {
			f.missing, f.status = mark, strings.TrimSpace(flag)
			return f
		}
		n, err := ParseNumber(c.Text, t.sep)
		if err != nil {
			if s := strings.TrimSpace(c.Text); isMarkLike(s) {
				// "np", "n.d.", "(s)": a mark of a missing figure that the
				// labels do not list; no figure was lost to a typing slip
				f.missing = s
				f.problem, f.rule = "cell "+c.Ref()+" holds "+strconv.Quote(s)+", read as a mark of a missing figure (add it to the missing list of a labels file to silence this)", schemas.RuleUnknownMark
				return f
			}
			f.problem, f.rule = "cell "+c.Ref()+" holds "+strconv.Quote(c.Text)+", which is not a number", schemas.RuleUnreadable
			return f
		}
		f.value, f.decimals, f.digits = n.Value, n.Decimals, n.Digits
		f.status = n.Footnote
		return f
	case extract.Error:
		f.missing = c.Text
		f.problem, f.rule = "cell "+c.Ref()+" holds the Excel error "+c.Text, schemas.RuleExcelError
		return f
	case extract.NoValue:
		f.missing = "=" + c.Formula
		f.problem, f.rule = "cell "+c.Ref()+" holds the formula ="+c.Formula+" but the file has no computed value for it (save it from Excel or LibreOffice to compute it)", schemas.RuleFormulaNoValue
		return f
	}
	f.problem, f.rule = "cell "+c.Ref()+" holds a "+c.Kind.String()+", not a number", schemas.RuleUnreadable
	return f
}

// storedDigits returns the text stored for a number cell as a decimal
// when it carries digits its float lost: more than a float holds exactly
// (schemas.FloatExact), and not merely the float printed to that many
// digits (Excel stores 2.675 as "2.6749999999999998": the float is the
// figure, as Excel shows it). A library may write any decimal into a
// cell: 9007199254740993 is stored as that text, read as the float
// 9007199254740992.
func storedDigits(c extract.Cell) (schemas.Decimal, bool) {
	if len(c.Text) <= schemas.FloatExact {
		return schemas.Decimal{}, false // the short way for the common case
	}
	d, ok := schemas.ParseDecimal(c.Text)
	if !ok || d.Significant() <= schemas.FloatExact || schemas.FloatPrintout(d, c.Number) {
		return schemas.Decimal{}, false
	}
	return d, true
}

// isMarkLike reports whether a text could be a mark for a missing figure:
// short, without a digit, at most two letters or a few with dots or
// brackets ("np", "n.d.", "(s)", "***").
func isMarkLike(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > 6 {
		return false
	}
	letters, marks := 0, 0
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			return false
		case unicode.IsLetter(r):
			letters++
		case unicode.IsSpace(r):
			return false
		default:
			marks++
		}
	}
	// "np", "x", "***", "n.d.", "(s)"; not "abc", a slip of a word
	return letters <= 2 || letters <= 4 && marks > 0
}

// decimalsOf returns the decimals of the shortest text of v ("6.8" → 1):
// the published precision of a figure shown in the General format.
func decimalsOf(v float64) int {
	var buf [32]byte
	s := strconv.AppendFloat(buf[:0], v, 'f', -1, 64)
	if i := bytes.IndexByte(s, '.'); i >= 0 {
		return min(len(s)-i-1, 15)
	}
	return 0
}

// roundTo rounds v half away from zero to the given decimals the way Excel
// displays it: on the shortest decimal text of v, so that 2.675 (stored as
// 2.67499999...) shows as 2.68.
func roundTo(v float64, decimals int) float64 {
	var buf [32]byte
	b := strconv.AppendFloat(buf[:0], math.Abs(v), 'f', -1, 64)
	dot := bytes.IndexByte(b, '.')
	if dot < 0 || len(b)-dot-1 <= decimals {
		return v
	}
	s := string(b)
	keep := s[:dot+1+decimals]
	up := s[dot+1+decimals] >= '5'
	r, err := strconv.ParseFloat(strings.TrimSuffix(keep, "."), 64)
	if err != nil {
		return v
	}
	if up {
		r += math.Pow(10, -float64(decimals))
		r, _ = strconv.ParseFloat(strconv.FormatFloat(r, 'f', decimals, 64), 64)
	}
	return math.Copysign(r, v)
}
