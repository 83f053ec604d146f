package load

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/tradeetl/tradeetl/schemas"
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

// pow10f and pow10i are the powers of ten up to 10^18, exact as float64
// and int64.
var (
	pow10f [19]float64
	pow10i [19]int64
)

func init() {
	pow10f[0], pow10i[0] = 1, 1
	for i := 1; i < len(pow10f); i++ {
		pow10f[i], pow10i[i] = pow10f[i-1]*10, pow10i[i-1]*10
	}
}

// decimalFast returns what decimalFromFloat returns for v at scale, when v
// is a decimal with k digits after the point (k ≤ scale) small enough
// (|v|·10^k < 2^52), and false otherwise. It does not format v: it checks
// that the integer c nearest to v·10^k, divided by 10^k, reads back as v.
// Below 2^52 the k-digit decimals are further apart than the floats, so c
// is then the only one that does, and the shortest decimal that reads back
// as v (what decimalFromFloat takes) is c·10^-k.
func decimalFast(v float64, k int, scale int32) (decimal128.Num, bool) {
	if k < 0 || k > int(scale) || scale > 18 {
		return decimal128.Num{}, false
	}
	x := v * pow10f[k]
	if !(math.Abs(x) < 1<<52) { // also NaN and infinities
		return decimal128.Num{}, false
	}
	c := math.Round(x)
	if c/pow10f[k] != v {
		return decimal128.Num{}, false
	}
	m := uint64(pow10i[int(scale)-k])
	neg := c < 0
	hi, lo := bits.Mul64(uint64(math.Abs(c)), m)
	n := decimal128.New(int64(hi), lo)
	if neg {
		n = n.Negate()
	}
	return n, true
}

// decimalOf returns v as a DECIMAL(prec, scale) like decimalFromFloat,
// through decimalFast when v has hint (or, failing that, 0) digits after
// the point.
func decimalOf(buf []byte, v float64, prec, scale int32, hint int) (decimal128.Num, error) {
	if n, ok := decimalFast(v, hint, scale); ok {
		return n, nil
	}
	if hint != 0 {
		if n, ok := decimalFast(v, 0, scale); ok {
			return n, nil
		}
	}
	return decimalFromFloat(buf, v, prec, scale)
}

// decimalFromText returns the decimal text s (the syntax of
// schemas.ParseDecimal) times mul as a decimal of the given precision and
// scale, exactly: digits beyond scale are rounded half away from zero,
// none is lost on the way (no float). It is an error when s is not
// decimal text or the result does not fit in precision digits.
func decimalFromText(s string, mul int64, prec, scale int32) (decimal128.Num, error) {
	d, ok := schemas.ParseDecimal(s)
	if !ok {
		return decimal128.Num{}, fmt.Errorf("%q is not a decimal number", s)
	}
	if d.Digits == "" {
		return decimal128.Num{}, nil
	}
	tooLarge := fmt.Errorf("%s does not fit DECIMAL(%d,%d)", s, prec, scale)
	m := big.NewInt(mul)
	// integer digits of s × mul: at most d.Exp + those of mul
	if d.Exp+len(m.String()) > int(prec-scale)+1 {
		return decimal128.Num{}, tooLarge
	}
	// the unscaled value: digits × mul × 10^shift
	shift := d.Exp - len(d.Digits) + int(scale)
	if shift < -(len(d.Digits) + 20) {
		return decimal128.Num{}, nil // far below the last digit of scale
	}
	n, _ := new(big.Int).SetString(d.Digits, 10)
	n.Mul(n, m)
	ten := big.NewInt(10)
	if shift >= 0 {
		n.Mul(n, new(big.Int).Exp(ten, big.NewInt(int64(shift)), nil))
	} else {
		div := new(big.Int).Exp(ten, big.NewInt(int64(-shift)), nil)
		var rem big.Int
		n.QuoRem(n, div, &rem)
		if rem.Lsh(&rem, 1).Cmp(div) >= 0 {
			n.Add(n, big.NewInt(1))
		}
	}
	if d.Neg {
		n.Neg(n)
	}
	if n.BitLen() > 127 {
		return decimal128.Num{}, tooLarge
	}
	num := decimal128.FromBigInt(n)
	if !num.FitsInPrecision(prec) {
		return decimal128.Num{}, tooLarge
	}
	return num, nil
}
