package schemas

import (
	"math/big"
	"strconv"
	"testing"
)

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in     string
		ok     bool
		want   Decimal
		plain  string
		digits int
	}{
		{"9007199254740993", true, Decimal{Digits: "9007199254740993", Exp: 16}, "9007199254740993", 16},
		{"-0.015", true, Decimal{Neg: true, Digits: "15", Exp: -1}, "-0.015", 2},
		{"120", true, Decimal{Digits: "12", Exp: 3}, "120", 2},
		{"1.50000", true, Decimal{Digits: "15", Exp: 1}, "1.5", 2},
		{".5", true, Decimal{Digits: "5", Exp: 0}, "0.5", 1},
		{"5.", true, Decimal{Digits: "5", Exp: 1}, "5", 1},
		{"+1.5e3", true, Decimal{Digits: "15", Exp: 4}, "1500", 2},
		{"2E-4", true, Decimal{Digits: "2", Exp: -3}, "0.0002", 1},
		{"-0.000", true, Decimal{}, "0", 0},
		{"123456789012345678.9", true, Decimal{Digits: "1234567890123456789", Exp: 18}, "123456789012345678.9", 19},
		{"", false, Decimal{}, "", 0},
		{".", false, Decimal{}, "", 0},
		{"-", false, Decimal{}, "", 0},
		{"1,5", false, Decimal{}, "", 0},
		{"1e", false, Decimal{}, "", 0},
		{"1e401", false, Decimal{}, "", 0},
		{"0x1p3", false, Decimal{}, "", 0},
		{"Inf", false, Decimal{}, "", 0},
		{"1.2.3", false, Decimal{}, "", 0},
	}
	for _, tt := range tests {
		d, ok := ParseDecimal(tt.in)
		if ok != tt.ok || ok && (d != tt.want || d.String() != tt.plain || d.Significant() != tt.digits) {
			t.Errorf("ParseDecimal(%q) = %+v %v (%q), want %+v %v (%q)", tt.in, d, ok, d.String(), tt.want, tt.ok, tt.plain)
		}
	}
}

func TestDecimalRound(t *testing.T) {
	tests := []struct {
		in       string
		decimals int
		want     string
	}{
		{"0.015", 2, "0.02"},
		{"0.015", 1, "0"},
		{"0.05", 1, "0.1"},
		{"0.5", 0, "1"},
		{"-0.5", 0, "-1"},
		{"0.004", 1, "0"},
		{"999.95", 1, "1000"},
		{"2.6749999999999998", 2, "2.67"},
		{"123456789012345.678", 2, "123456789012345.68"},
		{"12.3", 5, "12.3"},
	}
	for _, tt := range tests {
		d, _ := ParseDecimal(tt.in)
		if got := d.Round(tt.decimals).String(); got != tt.want {
			t.Errorf("%s rounded to %d: %s, want %s", tt.in, tt.decimals, got, tt.want)
		}
	}
}

func TestFloatPrintout(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"2.6749999999999998", true}, // Excel's 2.675
		{"0.30000000000000004", true},
		{"6.8", true},
		{"9007199254740993", false}, // the float is …992
		{"123456789012345678", false},
		{"0.1000000000000000055511151231257827021181583404541015625", true},
	}
	for _, tt := range tests {
		d, _ := ParseDecimal(tt.text)
		v, _ := strconv.ParseFloat(tt.text, 64)
		if got := FloatPrintout(d, v); got != tt.want {
			t.Errorf("FloatPrintout(%s) = %v", tt.text, got)
		}
	}
}

// FuzzDecimal: a decimal reads exactly (its plain text is the same
// rational number as the input), reads as the same float, and rounds half
// away from zero.
func FuzzDecimal(f *testing.F) {
	for _, s := range []string{"9007199254740993", "-0.015", "1.5e3", ".5", "5.", "999.95", "2E-4", "-0", "1e400"} {
		f.Add(s, uint8(2))
	}
	f.Fuzz(func(t *testing.T, s string, k uint8) {
		d, ok := ParseDecimal(s)
		if !ok {
			return
		}
		in, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("big.Rat does not read %q", s)
		}
		plain, ok := new(big.Rat).SetString(d.String())
		if !ok || plain.Cmp(in) != 0 {
			t.Fatalf("%q reads as %+v, plain %q", s, d, d.String())
		}
		if a, b := parseF(s), parseF(d.String()); a != b {
			t.Fatalf("%q reads as float %v, its plain text %q as %v", s, a, d.String(), b)
		}
		decimals := int(k % 20)
		got, _ := new(big.Rat).SetString(d.Round(decimals).String())
		if want := roundRat(in, decimals); got.Cmp(want) != 0 {
			t.Fatalf("%q to %d decimals: %s, want %s", s, decimals, got.FloatString(decimals), want.FloatString(decimals))
		}
	})
}

func parseF(s string) float64 {
	v, _ := strconv.ParseFloat(s, 64)
	return v
}

// roundRat rounds x half away from zero to the given decimals.
func roundRat(x *big.Rat, decimals int) *big.Rat {
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(decimals)), nil)
	y := new(big.Rat).Mul(new(big.Rat).Abs(x), new(big.Rat).SetInt(p))
	q, r := new(big.Int).QuoRem(y.Num(), y.Denom(), new(big.Int))
	if new(big.Int).Mul(r, big.NewInt(2)).Cmp(y.Denom()) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if x.Sign() < 0 {
		q.Neg(q)
	}
	return new(big.Rat).SetFrac(q, p)
}
