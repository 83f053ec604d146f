package batchref

import (
	"math"
	"strconv"
	"strings"

	"github.com/tradeetl/tradeetl/schemas"
)

// slip is a value a figure may have been meant to read, and the typing
// slip that would have turned it into the published figure.
type slip struct {
	value float64
	kind  string
}

// slipKinds orders the slips from the most to the least specific: when one
// value arises from several slips, the first names it.
var slipKinds = []string{
	schemas.SlipSwapped, schemas.SlipMistyped, schemas.SlipDropped, schemas.SlipRepeated,
	schemas.SlipSign, schemas.SlipDecimal, schemas.SlipUnit,
}

// slipCandidates returns the values a published figure v (shown with
// decimals decimals) may have been meant to read, one typing slip away:
// two neighbouring digits swapped (5.31 for 5.13), a digit mistyped (11.85
// for 13.85), a digit dropped (11.8 for 11.28), a digit repeated (66.75 for
// 6.75), the sign flipped, the decimal point shifted by one or two places,
// or a unit 1000 times off. Digits are handled as typed: in the figure's
// shortest text and in its text with the published decimals, the decimal
// point staying where it was typed. Only values with the published
// decimals are candidates.
func slipCandidates(v float64, decimals int) []slip {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	byKind := map[string][]float64{}
	add := func(kind, text string) {
		x, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsInf(x, 0) {
			return
		}
		if v < 0 {
			x = -x
		}
		if x == v {
			return
		}
		byKind[kind] = append(byKind[kind], x)
	}
	abs := math.Abs(v)
	texts := []string{strconv.FormatFloat(abs, 'f', -1, 64)}
	if decimals >= 0 {
		if t := strconv.FormatFloat(abs, 'f', decimals, 64); t != texts[0] {
			texts = append(texts, t)
		}
	}
	for _, t := range texts {
		if strings.ContainsAny(t, "eE") {
			continue
		}
		b := []byte(t)
		digits := func(i int) bool { return i >= 0 && i < len(b) && b[i] >= '0' && b[i] <= '9' }
		// Swapped: two neighbouring digits, across the decimal point too
		// (-8.5 for -5.8).
		for i := range b {
			j := i + 1
			if j < len(b) && b[j] == '.' {
				j++
			}
			if !digits(i) || !digits(j) || b[i] == b[j] {
				continue
			}
			s := []byte(t)
			s[i], s[j] = s[j], s[i]
			add(schemas.SlipSwapped, string(s))
		}
		// Mistyped: one digit replaced by another.
		for i := range b {
			if !digits(i) {
				continue
			}
			for d := byte('0'); d <= '9'; d++ {
				// 06.75 is nobody's way of typing 6.75.
				if d == b[i] || (d == '0' && i == 0 && digits(1)) {
					continue
				}
				s := []byte(t)
				s[i] = d
				add(schemas.SlipMistyped, string(s))
			}
		}
		// Dropped: the figure misses a digit somewhere.
		for i := 0; i <= len(b); i++ {
			for d := byte('0'); d <= '9'; d++ {
				if d == '0' && i == 0 {
					continue
				}
				add(schemas.SlipDropped, t[:i]+string(d)+t[i:])
			}
		}
		// Repeated: a digit typed twice.
		for i := 1; i < len(b); i++ {
			if digits(i) && b[i] == b[i-1] {
				add(schemas.SlipRepeated, t[:i]+t[i+1:])
			}
		}
	}
	byKind[schemas.SlipSign] = []float64{-v}
	for _, e := range []float64{10, 100, 0.1, 0.01} {
		byKind[schemas.SlipDecimal] = append(byKind[schemas.SlipDecimal], v/e)
	}
	byKind[schemas.SlipUnit] = []float64{v / 1000, v * 1000}
	if v == 0 {
		byKind[schemas.SlipSign], byKind[schemas.SlipDecimal], byKind[schemas.SlipUnit] = nil, nil, nil
	}

	// The figure meant was published with the same decimals: 5.131 is no
	// candidate for a 5.31 shown with two.
	onGrid := func(x float64) bool {
		if decimals < 0 {
			return true
		}
		p := math.Pow(10, float64(decimals))
		return math.Abs(x*p-math.Round(x*p)) <= 1e-6*max(1, math.Abs(x*p))*1e-3
	}
	var out []slip
	seen := map[float64]bool{}
	for _, kind := range slipKinds {
		for _, x := range byKind[kind] {
			x = round12(x)
			if !seen[x] && x != v && onGrid(x) {
				seen[x] = true
				out = append(out, slip{x, kind})
			}
		}
	}
	return out
}

// formatValue formats a figure with the decimals it is published with.
func formatValue(v float64, decimals int) string {
	if decimals < 0 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}
