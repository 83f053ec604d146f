package validate

import (
	"math"
	"testing"
)

func TestIntervalArithmetic(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name string
		got  interval
		want interval
	}{
		{"add", interval{1, 2}.add(interval{10, 20}), interval{11, 22}},
		{"sub", interval{4.655, 4.665}.sub(interval{1.805, 1.815}), interval{2.84, 2.86}},
		{"neg", interval{1, 2}.neg(), interval{-2, -1}},
		{"mul positive", interval{2, 3}.mul(interval{4, 5}), interval{8, 15}},
		{"mul mixed signs", interval{-2, 3}.mul(interval{4, 5}), interval{-10, 15}},
		{"mul both negative", interval{-3, -2}.mul(interval{-5, -4}), interval{8, 15}},
		{"mul by exact zero", everything.mul(point(0)), interval{0, 0}},
		{"div", interval{6, 12}.div(interval{2, 3}), interval{2, 6}},
		{"div by negative", interval{6, 12}.div(interval{-3, -2}), interval{-6, -2}},
		{"div by interval containing 0", interval{1, 2}.div(interval{-0.5, 0.5}), interval{-inf, inf}},
		{"div by exact zero", interval{1, 2}.div(point(0)), interval{-inf, inf}},
		{"abs positive", interval{1, 2}.abs(), interval{1, 2}},
		{"abs negative", interval{-2, -1}.abs(), interval{1, 2}},
		{"abs straddling", interval{-3, 2}.abs(), interval{0, 3}},
		{"min", interval{1, 5}.min(interval{2, 3}), interval{1, 3}},
		{"max", interval{1, 5}.max(interval{2, 3}), interval{2, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !closeTo(tt.got.lo, tt.want.lo) || !closeTo(tt.got.hi, tt.want.hi) {
				t.Errorf("got [%v, %v], want [%v, %v]", tt.got.lo, tt.got.hi, tt.want.lo, tt.want.hi)
			}
		})
	}
}

func closeTo(a, b float64) bool {
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return a == b
	}
	return math.Abs(a-b) <= 1e-12*max(1, math.Abs(b))
}

func TestIntervalComparisons(t *testing.T) {
	a := interval{1, 2}
	tests := []struct {
		op   string
		x, y interval
		want bool
	}{
		{"==", a, interval{2, 3}, true}, // touching
		{"==", a, interval{2.0000001, 3}, false},
		{"==", a, interval{1.5, 1.5}, true},
		{"==", point(3), point(3), true},
		{"==", point(3), point(3.0000000001), true}, // float epsilon
		{"==", point(3), point(3.001), false},
		{"!=", point(3), point(3), false},
		{"!=", point(3), point(4), true},
		{"!=", a, a, true}, // true values may differ
		{"<=", a, interval{0, 1}, true},
		{"<=", a, interval{0, 0.999}, false},
		{"<", a, interval{0, 1}, false}, // 1 < 1 cannot hold
		{"<", a, interval{0, 1.01}, true},
		{">=", interval{0, 1}, a, true},
		{">=", interval{0, 0.5}, a, false},
		{">", interval{0, 1}, a, false},
		{">", interval{0, 1.5}, a, true},
		{"==", everything, point(42), true},
		{"<=", interval{1e12, 1e12}, interval{1e12 - 1e-4, 1e12 - 1e-4}, true}, // epsilon grows with magnitude
	}
	for _, tt := range tests {
		if got := compare(tt.op, tt.x, tt.y); got != tt.want {
			t.Errorf("[%v, %v] %s [%v, %v] = %v, want %v", tt.x.lo, tt.x.hi, tt.op, tt.y.lo, tt.y.hi, got, tt.want)
		}
	}
}

// The newsletter's deficit: exports 1.81 and imports 4.66 (two decimals)
// allow a deficit between 2.84 and 2.86.
func TestNewsletterRounding(t *testing.T) {
	six80 := fig("C5", 6.80, 2)
	if got := figure(&six80, six80.Scale); !closeTo(got.lo, 6.795) || !closeTo(got.hi, 6.805) {
		t.Errorf("6.80 stands for [%v, %v], want [6.795, 6.805]", got.lo, got.hi)
	}
	imports, exports := fig("C9", 4.66, 2), fig("C5", 1.81, 2)
	diff := figure(&imports, 1e9).sub(figure(&exports, 1e9))
	for _, tt := range []struct {
		published float64
		want      bool
	}{{2.84, true}, {2.85, true}, {2.86, true}, {2.80, false}, {2.88, false}} {
		deficit := fig("C13", tt.published, 2)
		if got := figure(&deficit, 1e9).eq(diff); got != tt.want {
			t.Errorf("4.66 − 1.81 == %.2f: got %v, want %v", tt.published, got, tt.want)
		}
	}
}

func TestCheckExpressions(t *testing.T) {
	names := []string{"value", "a", "b"}
	tests := []struct {
		check   string
		a, b    interval
		v       interval
		wantOK  bool
		wantErr bool
	}{
		{check: "value == a - b", v: around(2.84, 0.005), a: around(4.66, 0.005), b: around(1.81, 0.005), wantOK: true},
		{check: "value == a - b", v: around(2.80, 0.005), a: around(4.66, 0.005), b: around(1.81, 0.005)},
		{check: "value == -(b - a)", v: around(2.84, 0.005), a: around(4.66, 0.005), b: around(1.81, 0.005), wantOK: true},
		{check: "value >= 0 and value <= 100", v: point(50), wantOK: true},
		{check: "value >= 0 and value <= 100", v: point(101)},
		{check: "abs(value - a) <= 1", v: point(5), a: point(5.5), wantOK: true},
		{check: "abs(value - a) <= 1", v: point(5), a: point(7)},
		{check: "min(a, b, value) == 1 && max(a, b) == 3", v: point(1), a: point(2), b: point(3), wantOK: true},
		{check: "value > 0 ? a == 1 : b == 1", v: point(1), a: point(1), b: point(9), wantOK: true},
		{check: "not (value < 0) || a == 1", v: point(-1), a: point(2)},
		{check: "value == a / b * 100", v: around(47.3, 0.05), a: around(6.80, 0.005), b: around(14.37, 0.005), wantOK: true},
		{check: "value == a / b", v: point(1), a: point(1), b: interval{-1, 1}, wantOK: true}, // unknown ratio
		{check: "value + 1 == 2.5", v: around(1.5, 0.05), wantOK: true},
		{check: "value", wantErr: true},
		{check: "value == c", wantErr: true},
		{check: "value ** 2 > 0", wantErr: true},
		{check: "value == 'x'", wantErr: true},
		{check: "len(value) > 0", wantErr: true},
		{check: "value.lo > 0", wantErr: true},
		{check: "(value > 0) + 1 > 0", wantErr: true},
		{check: "value == a -", wantErr: true},
		{check: "abs(a, b) > 0", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.check, func(t *testing.T) {
			p, err := compileCheck(tt.check, names)
			if tt.wantErr {
				if err == nil {
					t.Fatal("compiled, want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			vals := []interval{tt.v, tt.a, tt.b}
			env := map[string]any{}
			for i, n := range names {
				env[n] = &vals[i]
			}
			c := &checker{}
			b := &binding{vals: vals, env: env}
			ok := true
			for _, at := range p.atoms {
				if at.op == "" {
					out, err := c.machine.Run(at.prog, env)
					if err != nil {
						t.Fatal(err)
					}
					ok = ok && out == true
					continue
				}
				l, err := c.side(at.left, b)
				if err != nil {
					t.Fatal(err)
				}
				r, err := c.side(at.right, b)
				if err != nil {
					t.Fatal(err)
				}
				ok = ok && compare(at.op, l, r)
			}
			if ok != tt.wantOK {
				t.Errorf("holds = %v, want %v", ok, tt.wantOK)
			}
		})
	}
}

func TestConjuncts(t *testing.T) {
	p, err := compileCheck("value >= 0 && value <= 100 and (a == 1 || b == 2)", []string{"value", "a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, at := range p.atoms {
		ops = append(ops, at.op)
	}
	if len(ops) != 3 || ops[0] != ">=" || ops[1] != "<=" || ops[2] != "" {
		t.Errorf("atoms = %q, want [>= <= \"\"]", ops)
	}
}

func TestRender(t *testing.T) {
	names := []string{"share", "part", "whole"}
	tests := []struct{ src, want string }{
		{"share == part / whole * 100", "share = part / whole × 100"},
		{"share == (part - whole) - (part - 1)", "share = part − whole − (part − 1)"},
		{"share == part / (whole * 100)", "share = part / (whole × 100)"},
		{"share == -(part + whole)", "share = −(part + whole)"},
		{"share >= 0 && share <= 100", "share ≥ 0 and share ≤ 100"},
		{"abs(share - part) <= 0.5", "abs(share − part) ≤ 0.5"},
	}
	for _, tt := range tests {
		p, err := compileCheck(tt.src, names)
		if err != nil {
			t.Fatal(err)
		}
		var parts []string
		for _, at := range p.atoms {
			parts = append(parts, render(at.node, nil, nil))
		}
		if got := joinAnd(parts); got != tt.want {
			t.Errorf("render(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func joinAnd(s []string) string {
	out := ""
	for i, p := range s {
		if i > 0 {
			out += " and "
		}
		out += p
	}
	return out
}
