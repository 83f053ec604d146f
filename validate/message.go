package validate

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/ast"

	"github.com/tradeetl/tradeetl/schemas"
)

// flowWords are the words messages use for flows whose name is not a
// word: "Hong Kong re-exports 2023", not "re_exports".
var flowWords = map[string]string{
	schemas.FlowReexports: "re-exports",
	schemas.FlowReimports: "re-imports",
}

// describe is o.Describe() with the flow in words: "Flanders exports
// 2012", "Hong Kong share of re-exports 2023".
func describe(o *schemas.Observation) string {
	if w, ok := flowWords[o.Flow]; ok {
		c := *o
		c.Flow = w
		return c.Describe()
	}
	return o.Describe()
}

// describer writes the message of a finding: one sentence naming the
// anchor, the values and their cells, built from the check's own text.
type describer struct {
	c      *checker
	r      *Rule
	i      int32                // the anchor
	anchor *schemas.Observation // its fields
	b      *binding
	dec    int // decimals shown for computed values
}

func (c *checker) describer(r *Rule, i int32, b *binding) *describer {
	d := &describer{c: c, r: r, i: i, anchor: c.obs(i), b: b}
	d.dec = c.decimalsIn(i, b.scale)
	for _, ms := range b.members {
		for _, m := range ms {
			d.dec = max(d.dec, c.decimalsIn(m, b.scale))
		}
	}
	d.dec = min(d.dec, 9)
	return d
}

// decimalsIn is the number of decimals figure i is published with, once
// expressed in scale (a figure in million euro with 1 decimal has 4 in
// billions).
func (c *checker) decimalsIn(i int32, scale float64) int {
	d := max(c.decimals(i), 0)
	f := c.num(i).factor(scale)
	if f == 1 {
		return d
	}
	e := math.Round(math.Log10(f))
	if math.Abs(math.Pow(10, e)-f) > 1e-9*f {
		return d
	}
	return max(d-int(e), 0)
}

var flipOp = map[string]string{"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

var opWords = map[string]string{
	"!=": "must differ from",
	"<":  "must be below",
	"<=": "must not exceed",
	">":  "must exceed",
	">=": "must be at least",
}

// comparison describes a failed comparison atom, for example
// `Flanders deficit 2012 (C13) is 5.31, but imports − exports = 12.08 − 6.95
// = 5.13 (C9, C5); rounding allows ±0.015`.
func (d *describer) comparison(at *atom, left, right interval) string {
	op, ls, rs := at.op, at.left, at.right
	if rs.slot == 0 && ls.slot != 0 {
		// "0 <= value" reads better as "value >= 0".
		op, ls, rs, left, right = flipOp[op], rs, ls, right, left
	}
	var sb strings.Builder
	sb.WriteString(describe(d.anchor))
	sb.WriteString(" (" + d.anchor.Cell + ")")
	if ls.slot == 0 {
		sb.WriteString(" is " + d.value(0))
	} else {
		sb.WriteString(": " + d.phrase(ls, left))
	}
	sb.WriteString(", but ")
	if w := opWords[op]; w != "" {
		sb.WriteString(w + " ")
	} else if rs.isConst {
		sb.WriteString("must equal ")
	}
	sb.WriteString(d.phrase(rs, right))
	sb.WriteString("; rounding allows ±" + formatSig(left.half()+right.half()))
	return sb.String()
}

// condition describes a failed atom that is not a comparison.
func (d *describer) condition(at *atom) string {
	var sb strings.Builder
	sb.WriteString(describe(d.anchor))
	sb.WriteString(" (" + d.anchor.Cell + ") is " + d.value(0))
	sb.WriteString(", but " + render(at.node, nil, nil) + " does not hold")
	var parts []string
	for _, s := range at.names {
		if s == 0 {
			continue
		}
		parts = append(parts, d.r.names[s]+" = "+d.value(s)+" ("+strings.Join(d.cells([]int{s}), ", ")+")")
	}
	if len(parts) > 0 {
		sb.WriteString(" with " + strings.Join(parts, ", "))
	}
	return sb.String()
}

// phrase shows one side of a comparison: its names, its values and its
// result, with the cells it read.
func (d *describer) phrase(s *side, v interval) string {
	switch {
	case s.isConst:
		return render(s.node, nil, nil)
	case s.slot == 0:
		return d.r.names[0] + " = " + d.value(0)
	case s.slot > 0:
		ms := d.b.members[s.slot-1]
		if len(ms) == 1 {
			return d.r.names[s.slot] + " = " + d.value(s.slot) + " (" + d.c.describe(ms[0]) + ", " + d.c.cellRef(d.i, ms[0]) + ")"
		}
		return d.r.names[s.slot] + " = " + d.value(s.slot) + " (sum of " + strings.Join(d.cells([]int{s.slot}), ", ") + ")"
	}
	out := render(s.node, nil, nil)
	if len(s.names) > 0 {
		out += " = " + render(s.node, d.r.names, d.value)
	}
	out += " = " + d.format(v.mid(), d.dec)
	if len(s.names) > 0 {
		out += " (" + strings.Join(d.cells(s.names), ", ") + ")"
	}
	return out
}

// value formats the value bound to a slot with its published decimals.
func (d *describer) value(slot int) string {
	if slot == 0 {
		return d.format(d.b.vals[0].mid(), d.c.decimalsIn(d.i, d.b.scale))
	}
	ms := d.b.members[slot-1]
	dec := 0
	for _, m := range ms {
		dec = max(dec, d.c.decimalsIn(m, d.b.scale))
	}
	return d.format(d.b.vals[slot].mid(), dec)
}

func (d *describer) format(v float64, dec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "undefined"
	}
	return strconv.FormatFloat(v, 'f', dec, 64)
}

// cells lists the cells behind some slots, in order, without repeats.
func (d *describer) cells(slots []int) []string {
	var out []string
	add := func(s string) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, s := range slots {
		if s == 0 {
			add(d.anchor.Cell)
			continue
		}
		for _, m := range d.b.members[s-1] {
			add(d.c.cellRef(d.i, m))
		}
	}
	return out
}

// formatSig formats a tolerance with three significant digits.
func formatSig(x float64) string {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	p := math.Pow(10, 2-math.Floor(math.Log10(math.Abs(x))))
	return strconv.FormatFloat(math.Round(x*p)/p, 'f', -1, 64)
}

// Operator spelling and precedence in messages.
var (
	opText = map[string]string{
		"-": "−", "*": "×", "/": "/", "+": "+",
		"==": "=", "!=": "≠", "<=": "≤", ">=": "≥", "<": "<", ">": ">",
		"&&": "and", "and": "and", "||": "or", "or": "or", "!": "not ", "not": "not ",
	}
	opPrec = map[string]int{
		"||": 1, "or": 1, "&&": 2, "and": 2,
		"==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3,
		"+": 4, "-": 4, "*": 5, "/": 5,
	}
)

const precUnary, precAtom = 6, 7

func prec(n ast.Node) int {
	switch n := n.(type) {
	case *ast.BinaryNode:
		return opPrec[n.Operator]
	case *ast.UnaryNode:
		return precUnary
	case *ast.ConditionalNode:
		return 0
	}
	return precAtom
}

// render prints a check expression for people: "imports − exports",
// "part / whole × 100". With value set, names are replaced by what value
// returns for their slot.
func render(n ast.Node, names []string, value func(slot int) string) string {
	var sb strings.Builder
	var walk func(n ast.Node)
	paren := func(n ast.Node, need bool) {
		if need {
			sb.WriteByte('(')
		}
		walk(n)
		if need {
			sb.WriteByte(')')
		}
	}
	walk = func(n ast.Node) {
		switch n := n.(type) {
		case *ast.IntegerNode:
			sb.WriteString(strconv.Itoa(n.Value))
		case *ast.FloatNode:
			sb.WriteString(strconv.FormatFloat(n.Value, 'f', -1, 64))
		case *ast.IdentifierNode:
			if value != nil {
				if s := slices.Index(names, n.Value); s >= 0 {
					v := value(s)
					if strings.HasPrefix(v, "-") {
						v = "(" + v + ")"
					}
					sb.WriteString(v)
					return
				}
			}
			sb.WriteString(n.Value)
		case *ast.UnaryNode:
			sb.WriteString(opText[n.Operator])
			if opText[n.Operator] == "" {
				sb.WriteString(n.Operator)
			}
			paren(n.Node, prec(n.Node) < precUnary)
		case *ast.BinaryNode:
			p := opPrec[n.Operator]
			paren(n.Left, prec(n.Left) < p)
			sb.WriteString(" " + opText[n.Operator] + " ")
			rp := prec(n.Right)
			paren(n.Right, rp < p || (rp == p && (n.Operator == "-" || n.Operator == "/")))
		case *ast.CallNode:
			sb.WriteString(n.Callee.String() + "(")
			for i, a := range n.Arguments {
				if i > 0 {
					sb.WriteString(", ")
				}
				walk(a)
			}
			sb.WriteByte(')')
		case *ast.ConditionalNode:
			paren(n.Cond, prec(n.Cond) <= 0)
			sb.WriteString(" ? ")
			paren(n.Exp1, prec(n.Exp1) <= 0)
			sb.WriteString(" : ")
			walk(n.Exp2)
		default:
			sb.WriteString(n.String())
		}
	}
	walk(n)
	return sb.String()
}
