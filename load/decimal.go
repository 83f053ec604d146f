package load

import (
	"bytes"
	"fmt"
	"math"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// decimalFromFloat returns v as a decimal of the given precision and scale.
//
// v is taken as the shortest decimal that reads back as v (what
// strconv.FormatFloat(v, 'f', -1, 64) prints), which is the figure as the
// source wrote it: 6.8 becomes exactly 6.800000000, not the
// 6.79999999999999982236431605997495353221893310546875 the float holds.
// Digits beyond scale are rounded half away from zero. buf is scratch space.
// The result is an error when v is not finite or does not fit in precision
// digits.
func decimalFromFloat(buf []byte, v float64, prec, scale int32) (decimal128.Num, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return decimal128.Num{}, fmt.Errorf("%v is not a finite number", v)
	}
	s := strconv.AppendFloat(buf[:0], v, 'f', -1, 64)
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	intPart, frac, _ := bytes.Cut(s, []byte{'.'})
	roundUp := false
	if len(frac) > int(scale) {
		roundUp = frac[scale] >= '5'
		frac = frac[:scale]
	}
	var num decimal128.Num
	if digits := len(intPart) + int(scale); digits <= 18 {
		// Fast path: the unscaled value fits an int64 exactly.
		var n int64
		for _, c := range intPart {
			n = n*10 + int64(c-'0')
		}
		for i := range int(scale) {
			n *= 10
			if i < len(frac) {
				n += int64(frac[i] - '0')
			}
		}
		num = decimal128.FromI64(n)
	} else {
		if digits > int(prec)+1 {
			return decimal128.Num{}, fmt.Errorf("%s does not fit DECIMAL(%d,%d)", strconv.FormatFloat(v, 'g', -1, 64), prec, scale)
		}
		str := string(intPart)
		if len(frac) > 0 {
			str += "." + string(frac)
		}
		var err error
		if num, err = decimal128.FromString(str, 38, scale); err != nil {
			return decimal128.Num{}, fmt.Errorf("%s does not fit DECIMAL(%d,%d)", strconv.FormatFloat(v, 'g', -1, 64), prec, scale)
		}
	}
	if roundUp {
		num = num.Add(decimal128.FromI64(1))
	}
	if neg {
		num = num.Negate()
	}
	if !num.FitsInPrecision(prec) {
		return decimal128.Num{}, fmt.Errorf("%s does not fit DECIMAL(%d,%d)", strconv.FormatFloat(v, 'g', -1, 64), prec, scale)
	}
	return num, nil
}
