package load

import (
	"math"
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
