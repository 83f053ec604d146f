package load

import (
	"math"
	"math/big"
	"strconv"
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
)

func TestDecimalFromFloat(t *testing.T) {
	tests := []struct {
		v     float64
		scale int32
		want  string // "" means an error
	}{
		{6.8, 9, "6.800000000"},
		{11.28, 9, "11.280000000"},
		{-4.48, 9, "-4.480000000"},
		{0.1 + 0.2, 9, "0.300000000"},
		{91.8, 9, "91.800000000"},
		{6.8e9, 2, "6800000000.00"},
		{4.48e9 - 6.8e9, 2, "-2320000000.00"},
		{1.005, 2, "1.01"}, // as written, although the float is 1.00499999999999989…
		{5e-10, 9, "0.000000001"},
		{-5e-10, 9, "-0.000000001"},
		{2.5e-10, 9, "0.000000000"},
		{0.9999999996, 9, "1.000000000"},
		{-1e-12, 9, "0.000000000"},
		{0, 9, "0.000000000"},
		{123456789.123456789, 9, "123456789.123456790"},   // 18 digits: fast path
		{1234567890.123456789, 9, "1234567890.123456700"}, // 19 digits: slow path
		{1e20, 9, "100000000000000000000.000000000"},
		{-9.99e28, 9, "-99900000000000000000000000000.000000000"},
		{9.99999999999999e28, 9, "99999999999999900000000000000.000000000"},
		{1e29, 9, ""}, // 39 digits
		{1e36, 2, ""},
		{math.NaN(), 9, ""},
		{math.Inf(-1), 2, ""},
	}
	for _, tt := range tests {
		n, err := decimalFromFloat(nil, tt.v, schemas.DecimalPrecision, tt.scale)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("decimalFromFloat(%g, %d) = %s, want an error", tt.v, tt.scale, n.ToString(tt.scale))
		case tt.want != "" && err != nil:
			t.Errorf("decimalFromFloat(%g, %d): %v", tt.v, tt.scale, err)
		case tt.want != "" && n.ToString(tt.scale) != tt.want:
			t.Errorf("decimalFromFloat(%g, %d) = %s, want %s", tt.v, tt.scale, n.ToString(tt.scale), tt.want)
		}
	}
}

// The fast path gives exactly what formatting gives, whenever it answers.
func TestDecimalFast(t *testing.T) {
	hits := 0
	for _, v := range []float64{0, 6.8, -4.48, 11.28, 0.1 + 0.2, 1.005, 91.8, 6.8e9, 123456.789, 4503599627370495, 4503599627370496, 1e-9, 0.000000001, math.Copysign(0, -1), 2.5e-10} {
		for k := range 12 {
			for _, scale := range []int32{2, 9} {
				hits += checkFast(t, v, k, scale)
			}
		}
	}
	if hits < 40 {
		t.Errorf("the fast path answered %d times", hits)
	}
}

func checkFast(t *testing.T, v float64, k int, scale int32) int {
	t.Helper()
	fast, ok := decimalFast(v, k, scale)
	if !ok {
		return 0
	}
	slow, err := decimalFromFloat(nil, v, 38, scale)
	if err != nil || fast != slow {
		t.Fatalf("decimalFast(%s, %d, %d) = %s, formatting gives %s (%v)", strconv.FormatFloat(v, 'g', -1, 64), k, scale, fast.ToString(scale), slow.ToString(scale), err)
	}
	return 1
}

func FuzzDecimalFast(f *testing.F) {
	f.Add(6.8, uint8(2))
	f.Add(-0.07, uint8(2))
	f.Add(1234567.891, uint8(3))
	f.Add(4503599627.370495, uint8(6))
	f.Fuzz(func(t *testing.T, v float64, k uint8) {
		for _, scale := range []int32{2, 9} {
			checkFast(t, v, int(k%12), scale)
			// Also a value with k decimals built from an integer.
			if !math.IsNaN(v) && !math.IsInf(v, 0) && math.Abs(v) < 1e15 {
				d := int(k % 10)
				checkFast(t, math.Round(v)/pow10f[d], d, scale)
			}
		}
	})
}

func TestDecimalFromText(t *testing.T) {
	tests := []struct {
		s     string
		mul   int64
		scale int32
		want  string // "" means an error
	}{
		{"9007199254740993", 1, 9, "9007199254740993.000000000"},
		{"123456789.012345678", 1, 9, "123456789.012345678"},
		{"123456789.012345678", 1, 2, "123456789.01"},
		{"-123456789.015", 1, 2, "-123456789.02"}, // half away from zero
		{"1234567890.1234567891", 1, 9, "1234567890.123456789"},
		{"1234567890.1234567895", 1, 9, "1234567890.123456790"},
		{"6.8", 1000000000, 2, "6800000000.00"},
		{"1234567.89012345678", 1000, 2, "1234567890.12"},
		{"1.5e3", 1, 9, "1500.000000000"},
		{"-0", 1, 9, "0.000000000"},
		{"4e-10", 1, 9, "0.000000000"},
		{"5e-10", 1, 9, "0.000000001"},
		{"1e-300", 1, 9, "0.000000000"},
		{"99999999999999999999999999999.4", 1, 9, "99999999999999999999999999999.400000000"},
		{"99999999999999999999999999999.9999999995", 1, 9, ""}, // rounds to 30 integer digits
		{"1e29", 1, 9, ""},
		{"1e17", 1000000000000, 9, ""},
		{"1e400", 1, 9, ""},
		{"6,8", 1, 9, ""},
	}
	for _, tt := range tests {
		n, err := decimalFromText(tt.s, tt.mul, schemas.DecimalPrecision, tt.scale)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("decimalFromText(%s × %d, %d) = %s, want an error", tt.s, tt.mul, tt.scale, n.ToString(tt.scale))
		case tt.want != "" && err != nil:
			t.Errorf("decimalFromText(%s × %d, %d): %v", tt.s, tt.mul, tt.scale, err)
		case tt.want != "" && n.ToString(tt.scale) != tt.want:
			t.Errorf("decimalFromText(%s × %d, %d) = %s, want %s", tt.s, tt.mul, tt.scale, n.ToString(tt.scale), tt.want)
		}
	}
}

// FuzzDecimalText: the decimal of a text is the text times mul rounded
// half away from zero to the scale, exactly (big.Rat), or an error when
// that does not fit; for texts of at most 15 significant digits it is
// what the float path gives.
func FuzzDecimalText(f *testing.F) {
	f.Add("9007199254740993", int64(1))
	f.Add("-123456789.015", int64(1000))
	f.Add("6.8", int64(1000000000))
	f.Add("1.5e3", int64(1))
	f.Add("99999999999999999999999999999.9999999995", int64(1))
	f.Fuzz(func(t *testing.T, s string, mul int64) {
		if mul < 1 || mul > 1e18 {
			return
		}
		d, ok := schemas.ParseDecimal(s)
		for _, scale := range []int32{2, 9} {
			n, err := decimalFromText(s, mul, schemas.DecimalPrecision, scale)
			if !ok {
				if err == nil {
					t.Fatalf("%q is no decimal but reads as %s", s, n.ToString(scale))
				}
				continue
			}
			x, _ := new(big.Rat).SetString(d.String())
			x.Mul(x, new(big.Rat).SetInt64(mul))
			want := roundHalfAway(x, scale)
			limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(38), nil)
			fits := new(big.Int).Abs(want).Cmp(limit) < 0
			switch {
			case err != nil && fits:
				t.Fatalf("%s × %d at scale %d: %v, want %s", s, mul, scale, err, want)
			case err == nil && !fits:
				t.Fatalf("%s × %d at scale %d = %s, does not fit", s, mul, scale, n.ToString(scale))
			case err == nil && n.BigInt().Cmp(want) != 0:
				t.Fatalf("%s × %d at scale %d = %s, want unscaled %s", s, mul, scale, n.ToString(scale), want)
			}
			if err == nil && mul == 1 && d.Significant() <= schemas.FloatExact {
				v, _ := strconv.ParseFloat(s, 64)
				if fl, ferr := decimalFromFloat(nil, v, schemas.DecimalPrecision, scale); ferr == nil && fl != n {
					t.Fatalf("%s at scale %d: %s from the text, %s from the float", s, scale, n.ToString(scale), fl.ToString(scale))
				}
			}
		}
	})
}

// roundHalfAway returns x × 10^scale rounded half away from zero.
func roundHalfAway(x *big.Rat, scale int32) *big.Int {
	y := new(big.Rat).Mul(x, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)))
	q, r := new(big.Int).QuoRem(y.Num(), y.Denom(), new(big.Int))
	if r.Abs(r).Lsh(r, 1).Cmp(y.Denom()) >= 0 {
		if y.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q
}
