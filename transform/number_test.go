package transform

import (
	"math"
	"strconv"
	"testing"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in       string
		hint     Separator
		value    float64
		decimals int
		percent  bool
		footnote string
		err      bool
	}{
		{in: "6.80", value: 6.8, decimals: 2},
		{in: "6,80", value: 6.8, decimals: 2},
		{in: "  6.8 ", value: 6.8, decimals: 1},
		{in: "1.234,5", value: 1234.5, decimals: 1},
		{in: "1,234.5", value: 1234.5, decimals: 1},
		{in: "1 234,5", value: 1234.5, decimals: 1},
		{in: "1\u00a0234,56", value: 1234.56, decimals: 2},
		{in: "1'234.5", value: 1234.5, decimals: 1},
		{in: "1.234.567", value: 1234567, decimals: 0},
		{in: "1,234,567", value: 1234567, decimals: 0},
		{in: "1,234", value: 1234, decimals: 0},
		{in: "1,234", hint: SepDecimalComma, value: 1.234, decimals: 3},
		{in: "1.234", hint: SepDecimalComma, value: 1234, decimals: 0},
		{in: "1.234", hint: SepDecimalPoint, value: 1.234, decimals: 3},
		{in: "0,123", value: 0.123, decimals: 3},
		{in: "(1.2)", value: -1.2, decimals: 1},
		{in: "-3.2", value: -3.2, decimals: 1},
		{in: "\u22123.2", value: -3.2, decimals: 1},
		{in: "+3.2", value: 3.2, decimals: 1},
		{in: "6.80*", value: 6.8, decimals: 2, footnote: "*"},
		{in: "6.80 (a)", value: 6.8, decimals: 2, footnote: "(a)"},
		{in: "6.80 p", value: 6.8, decimals: 2, footnote: "p"},
		{in: "3\u00a0521\u00a0447,9p", value: 3521447.9, decimals: 1, footnote: "p"}, // a flag glued to the figure
		{in: "12.4e", value: 12.4, decimals: 1, footnote: "e"},
		{in: "3,62,315.42", value: 362315.42, decimals: 2}, // Indian lakhs
		{in: "12,34,56,789", value: 123456789, decimals: 0},
		{in: "1,23,4567", err: true},
		{in: "6.80¹", value: 6.8, decimals: 2, footnote: "¹"},
		{in: "(1.2) (e)", value: -1.2, decimals: 1, footnote: "(e)"},
		{in: "91.8%", value: 91.8, decimals: 1, percent: true},
		{in: "91,8 %", value: 91.8, decimals: 1, percent: true},
		{in: "€ 6.8", value: 6.8, decimals: 1},
		{in: "6.8 EUR", value: 6.8, decimals: 1},
		{in: "1.2E3", value: 1200, decimals: 0},
		{in: "1.25E-2", value: 0.0125, decimals: 4},
		{in: ".5", value: 0.5, decimals: 1},
		{in: "", err: true},
		{in: "n.a.", err: true},
		{in: "abc", err: true},
		{in: "1.23.4", err: true},
		{in: "12,34,5", err: true},
		{in: "-", err: true},
		{in: "(-1)", err: true},
		{in: "NaN", err: true},
		{in: "Inf", err: true},
		{in: "1e999", err: true},
		{in: "1,2.3", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n, err := ParseNumber(tt.in, tt.hint)
			if tt.err {
				if err == nil {
					t.Fatalf("ParseNumber(%q) = %+v, want an error", tt.in, n)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseNumber(%q): %v", tt.in, err)
			}
			if math.Abs(n.Value-tt.value) > 1e-12 || n.Decimals != tt.decimals || n.Percent != tt.percent || n.Footnote != tt.footnote {
				t.Errorf("ParseNumber(%q) = %+v, want value %v decimals %d percent %v footnote %q",
					tt.in, n, tt.value, tt.decimals, tt.percent, tt.footnote)
			}
		})
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"6.80", "6,80", "1.234,5", "(1.2)", "6.80 (a)", "91.8%", "€ 6.8", "1.2E3", "n.a.", "1 234,5", "−3.2"} {
		f.Add(s, uint8(0))
	}
	for _, s := range []string{"1234.56", "-3", "1.234", "-.5", "5.", "007", "-0", "12345678901234567890.1234567890123"} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, s string, hint uint8) {
		// the short way for plain figures reads them as the long way does
		if p, ok := plainNumber(s, Separator(hint%3)); ok {
			long, err := parseNumber(s, Separator(hint%3))
			if err != nil || p != long || math.Signbit(p.Value) != math.Signbit(long.Value) {
				t.Fatalf("plainNumber(%q) = %+v; parseNumber gives %+v, %v", s, p, long, err)
			}
		}
		n, err := ParseNumber(s, Separator(hint%3))
		if err != nil {
			return
		}
		if math.IsNaN(n.Value) || math.IsInf(n.Value, 0) {
			t.Fatalf("ParseNumber(%q) = %v", s, n.Value)
		}
		if n.Decimals < 0 || n.Decimals > 15 {
			t.Fatalf("ParseNumber(%q): decimals %d", s, n.Decimals)
		}
		// A figure written back with its decimals reads the same.
		text := strconv.FormatFloat(n.Value, 'f', n.Decimals, 64)
		again, err := ParseNumber(text, SepDecimalPoint)
		if err != nil {
			t.Fatalf("ParseNumber(%q) = %v; re-reading %q: %v", s, n.Value, text, err)
		}
		if again.Value != roundTo(n.Value, n.Decimals) && math.Abs(again.Value-n.Value) > 1e-9*math.Max(1, math.Abs(n.Value)) {
			t.Fatalf("ParseNumber(%q) = %v; re-reading %q gives %v", s, n.Value, text, again.Value)
		}
	})
}

func TestRoundTo(t *testing.T) {
	tests := []struct {
		v    float64
		d    int
		want float64
	}{
		{2.675, 2, 2.68}, {6.8049, 2, 6.8}, {-2.675, 2, -2.68}, {91.768, 1, 91.8}, {6.8, 2, 6.8}, {0.05, 1, 0.1}, {1234.5, 0, 1235},
	}
	for _, tt := range tests {
		if got := roundTo(tt.v, tt.d); got != tt.want {
			t.Errorf("roundTo(%v, %d) = %v, want %v", tt.v, tt.d, got, tt.want)
		}
	}
}

// TestParseNumberDigits: a figure of more significant digits than a
// float holds exactly keeps its text, normalised (sign, decimal point, no
// digit groups), in Digits; a shorter one has none.
func TestParseNumberDigits(t *testing.T) {
	tests := []struct {
		in     string
		hint   Separator
		digits string
	}{
		{"9007199254740993", SepUnknown, "9007199254740993"},
		{"-123456789.012345678", SepUnknown, "-123456789.012345678"},
		{"1 234 567 890,12345678", SepDecimalComma, "1234567890.12345678"},
		{"(123 456 789 012 345,678)", SepDecimalComma, "-123456789012345.678"},
		{"123456789012345678*", SepUnknown, "123456789012345678"},
		{"1.23456789012345678E3", SepUnknown, "1.23456789012345678e3"},
		{"6.80", SepUnknown, ""},
		{"123456789012345", SepUnknown, ""},        // 15 digits: the float is exact
		{"1.50000000000000000000", SepUnknown, ""}, // 2 significant digits
	}
	for _, tt := range tests {
		n, err := ParseNumber(tt.in, tt.hint)
		if err != nil || n.Digits != tt.digits {
			t.Errorf("ParseNumber(%q).Digits = %q (%v), want %q", tt.in, n.Digits, err, tt.digits)
		}
	}
}
