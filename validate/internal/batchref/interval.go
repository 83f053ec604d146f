package batchref

import "math"

// interval is the set of true values a figure can stand for. A figure v
// published with d decimals is [v − h, v + h], h = 0.5·10^−d; a number
// written in a check is the single point [v, v].
type interval struct {
	lo, hi float64
}

// point returns the zero-width interval [v, v].
func point(v float64) interval { return interval{v, v} }

// around returns [v − h, v + h].
func around(v, h float64) interval { return interval{v - h, v + h} }

// everything is (−inf, +inf), the result of a division by an interval that
// contains zero.
var everything = interval{math.Inf(-1), math.Inf(1)}

// mid is the midpoint, the figure as published for a published figure.
func (a interval) mid() float64 {
	if a.lo == a.hi {
		return a.lo
	}
	return a.lo/2 + a.hi/2
}

// half is the half-width: how far rounding lets the true value be from mid.
func (a interval) half() float64 {
	if a.lo == a.hi {
		return 0
	}
	return a.hi/2 - a.lo/2
}

func (a interval) finite() bool {
	return !math.IsInf(a.lo, 0) && !math.IsInf(a.hi, 0) && !math.IsNaN(a.lo) && !math.IsNaN(a.hi)
}

func (a interval) add(b interval) interval { return interval{a.lo + b.lo, a.hi + b.hi} }

func (a interval) sub(b interval) interval { return interval{a.lo - b.hi, a.hi - b.lo} }

func (a interval) neg() interval { return interval{-a.hi, -a.lo} }

func (a interval) mul(b interval) interval {
	p1, p2, p3, p4 := xmul(a.lo, b.lo), xmul(a.lo, b.hi), xmul(a.hi, b.lo), xmul(a.hi, b.hi)
	return interval{min(p1, p2, p3, p4), max(p1, p2, p3, p4)}
}

// xmul is multiplication with 0 × ±inf = 0, the convention of interval
// arithmetic (an unbounded interval times exactly zero is zero).
func xmul(x, y float64) float64 {
	if x == 0 || y == 0 {
		return 0
	}
	return x * y
}

func (a interval) div(b interval) interval {
	if b.lo <= 0 && b.hi >= 0 {
		return everything
	}
	return a.mul(interval{1 / b.hi, 1 / b.lo})
}

func (a interval) abs() interval {
	switch {
	case a.lo >= 0:
		return a
	case a.hi <= 0:
		return a.neg()
	}
	return interval{0, max(-a.lo, a.hi)}
}

func (a interval) min(b interval) interval { return interval{min(a.lo, b.lo), min(a.hi, b.hi)} }

func (a interval) max(b interval) interval { return interval{max(a.lo, b.lo), max(a.hi, b.hi)} }

// eps is the float slack allowed at a boundary near x.
func eps(x float64) float64 { return 1e-9 * max(1, math.Abs(x)) }

// Comparisons ask "can the true values satisfy it": a == b holds when the
// intervals overlap, a <= b when some x in a is <= some y in b.

func (a interval) eq(b interval) bool {
	return a.lo <= b.hi+eps(b.hi) && b.lo <= a.hi+eps(a.hi)
}

func (a interval) ne(b interval) bool {
	single := a.lo == a.hi && b.lo == b.hi
	return !single || math.Abs(a.lo-b.lo) > eps(a.lo)
}

func (a interval) le(b interval) bool { return a.lo <= b.hi+eps(b.hi) }

func (a interval) lt(b interval) bool { return a.lo < b.hi }

func (a interval) ge(b interval) bool { return b.le(a) }

func (a interval) gt(b interval) bool { return b.lt(a) }

// compare applies a comparison operator of the check language.
func compare(op string, a, b interval) bool {
	switch op {
	case "==":
		return a.eq(b)
	case "!=":
		return a.ne(b)
	case "<":
		return a.lt(b)
	case "<=":
		return a.le(b)
	case ">":
		return a.gt(b)
	case ">=":
		return a.ge(b)
	}
	panic("validate: unknown comparison " + op)
}
