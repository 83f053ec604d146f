package validate

import (
	"reflect"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"

	"github.com/tradeetl/tradeetl/schemas"
)

// A rule's where condition runs for every observation its match selects,
// a million times for a long table. Conditions of the common shape — a
// field compared with a literal (reporter_parent != "", year >= 2010,
// has_value == true, a bare boolean field), joined by and, or, not — are
// compiled here into plain Go; anything else runs in the expr VM. Both
// give the same answer (TestWhereFast compares them).

type whereFn func(o *schemas.Observation) bool

// compileWhereFast compiles src, or returns nil when it is not of the
// simple shape.
func compileWhereFast(src string) whereFn {
	tree, err := parser.Parse(src)
	if err != nil {
		return nil
	}
	return fastBool(tree.Node)
}

func fastBool(n ast.Node) whereFn {
	switch n := n.(type) {
	case *ast.BoolNode:
		v := n.Value
		return func(*schemas.Observation) bool { return v }
	case *ast.IdentifierNode:
		f := fieldByName[n.Value]
		if f == nil || f.kind != reflect.Bool {
			return nil
		}
		return f.boolean
	case *ast.UnaryNode:
		if n.Operator != "!" && n.Operator != "not" {
			return nil
		}
		x := fastBool(n.Node)
		if x == nil {
			return nil
		}
		return func(o *schemas.Observation) bool { return !x(o) }
	case *ast.BinaryNode:
		switch n.Operator {
		case "&&", "and", "||", "or":
			l, r := fastBool(n.Left), fastBool(n.Right)
			if l == nil || r == nil {
				return nil
			}
			if n.Operator == "&&" || n.Operator == "and" {
				return func(o *schemas.Observation) bool { return l(o) && r(o) }
			}
			return func(o *schemas.Observation) bool { return l(o) || r(o) }
		case "==", "!=", "<", "<=", ">", ">=":
			return fastCompare(n)
		}
	}
	return nil
}

// fastCompare compiles field op literal (or literal op field).
func fastCompare(n *ast.BinaryNode) whereFn {
	op := n.Operator
	id, ok := n.Left.(*ast.IdentifierNode)
	lit := n.Right
	if !ok {
		if id, ok = n.Right.(*ast.IdentifierNode); !ok {
			return nil
		}
		lit = n.Left
		op = flipOp[op]
	}
	f := fieldByName[id.Value]
	if f == nil {
		return nil
	}
	switch l := lit.(type) {
	case *ast.StringNode:
		if f.kind != reflect.String || (op != "==" && op != "!=") {
			return nil
		}
		want, get := l.Value, f.str
		if op == "==" {
			return func(o *schemas.Observation) bool { return get(o) == want }
		}
		return func(o *schemas.Observation) bool { return get(o) != want }
	case *ast.BoolNode:
		if f.kind != reflect.Bool || (op != "==" && op != "!=") {
			return nil
		}
		want, eq, get := l.Value, op == "==", f.boolean
		return func(o *schemas.Observation) bool { return (get(o) == want) == eq }
	case *ast.IntegerNode:
		if f.kind != reflect.Int {
			return nil
		}
		want := int64(l.Value)
		var cmp func(a, b int64) bool
		switch op {
		case "==":
			cmp = func(a, b int64) bool { return a == b }
		case "!=":
			cmp = func(a, b int64) bool { return a != b }
		case "<":
			cmp = func(a, b int64) bool { return a < b }
		case "<=":
			cmp = func(a, b int64) bool { return a <= b }
		case ">":
			cmp = func(a, b int64) bool { return a > b }
		case ">=":
			cmp = func(a, b int64) bool { return a >= b }
		default:
			return nil
		}
		get := f.integer
		return func(o *schemas.Observation) bool { return cmp(get(o), want) }
	}
	return nil
}
