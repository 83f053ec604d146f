package validate

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// A check is an expr-lang boolean expression over intervals: numbers,
// names, + − × ÷, unary −, abs/min/max, comparisons, and/or/not and the
// ternary ?:. It is parsed once, split at its top-level `and` into atoms,
// and each comparison atom has its two sides compiled separately, so that a
// failure can report both sides.

// Names of the interval functions the patcher calls in place of operators.
// Users cannot write them: the check grammar allows no other calls than
// abs, min and max.
const (
	fnAdd = "__add"
	fnSub = "__sub"
	fnMul = "__mul"
	fnDiv = "__div"
	fnNeg = "__neg"
)

var arithFns = map[string]string{"+": fnAdd, "-": fnSub, "*": fnMul, "/": fnDiv}

var cmpFns = map[string]string{"==": "__eq", "!=": "__ne", "<": "__lt", "<=": "__le", ">": "__gt", ">=": "__ge"}

// userFns are the functions a check may call.
var userFns = []string{"abs", "min", "max"}

// asInterval reads a value produced by a compiled check. Names are bound to
// *interval in the run-time environment (so that binding a new anchor does
// not allocate); results of operations are interval values.
func asInterval(v any) interval {
	switch v := v.(type) {
	case interval:
		return v
	case *interval:
		return *v
	}
	panic(fmt.Sprintf("validate: check produced %T, not a number", v))
}

func fn2(f func(a, b interval) interval) func(...any) (any, error) {
	return func(args ...any) (any, error) {
		return f(asInterval(args[0]), asInterval(args[1])), nil
	}
}

func cmp2(op string) func(...any) (any, error) {
	return func(args ...any) (any, error) {
		return compare(op, asInterval(args[0]), asInterval(args[1])), nil
	}
}

func fold(f func(a, b interval) interval) func(...any) (any, error) {
	return func(args ...any) (any, error) {
		acc := asInterval(args[0])
		for _, a := range args[1:] {
			acc = f(acc, asInterval(a))
		}
		return acc, nil
	}
}

// checkOptions are the expr options of every check program.
var checkOptions = func() []expr.Option {
	bin := new(func(interval, interval) interval)
	opts := []expr.Option{
		expr.DisableAllBuiltins(),
		expr.MaxNodes(maxExprNodes),
		expr.Patch(intervalPatcher{}),
		expr.Function(fnAdd, fn2(interval.add), bin),
		expr.Function(fnSub, fn2(interval.sub), bin),
		expr.Function(fnMul, fn2(interval.mul), bin),
		expr.Function(fnDiv, fn2(interval.div), bin),
		expr.Function(fnNeg, func(args ...any) (any, error) { return asInterval(args[0]).neg(), nil },
			new(func(interval) interval)),
		expr.Function("abs", func(args ...any) (any, error) { return asInterval(args[0]).abs(), nil },
			new(func(interval) interval)),
		expr.Function("min", fold(interval.min), new(func(interval, ...interval) interval)),
		expr.Function("max", fold(interval.max), new(func(interval, ...interval) interval)),
	}
	for op, name := range cmpFns {
		opts = append(opts, expr.Function(name, cmp2(op), new(func(interval, interval) bool)))
	}
	return opts
}()

// intervalPatcher rewrites a check so that it computes with intervals:
// number literals become interval constants, arithmetic and comparison
// operators become calls of the interval functions.
type intervalPatcher struct{}

func (intervalPatcher) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IntegerNode:
		ast.Patch(node, &ast.ConstantNode{Value: point(float64(n.Value))})
	case *ast.FloatNode:
		ast.Patch(node, &ast.ConstantNode{Value: point(n.Value)})
	case *ast.UnaryNode:
		switch n.Operator {
		case "-":
			ast.Patch(node, call(fnNeg, n, n.Node))
		case "+":
			ast.Patch(node, n.Node)
		}
	case *ast.BinaryNode:
		if name, ok := arithFns[n.Operator]; ok {
			ast.Patch(node, call(name, n, n.Left, n.Right))
		} else if name, ok := cmpFns[n.Operator]; ok {
			ast.Patch(node, call(name, n, n.Left, n.Right))
		}
	}
}

func call(name string, at ast.Node, args ...ast.Node) *ast.CallNode {
	callee := &ast.IdentifierNode{Value: name}
	callee.SetLocation(at.Location())
	return &ast.CallNode{Callee: callee, Arguments: args}
}

// program is a compiled check.
type program struct {
	src   string
	atoms []*atom
}

// atom is one conjunct of a check's top-level `and`.
type atom struct {
	node        ast.Node // as parsed, for messages
	op          string   // comparison operator, or "" for a boolean atom
	left, right *side    // the sides of a comparison
	prog        *vm.Program
	names       []int // slots the atom reads, in order of appearance
}

// side is one side of a comparison atom. Bare names and number literals
// are evaluated without the VM.
type side struct {
	node    ast.Node
	prog    *vm.Program
	slot    int // the slot of a bare name, else -1
	isConst bool
	konst   interval
	names   []int
}

type kind int

const (
	kindNumber kind = iota + 1
	kindBool
)

func (k kind) String() string {
	if k == kindBool {
		return "a condition"
	}
	return "a number"
}

// compileCheck parses, checks and compiles a check. names are the names
// it may use: names[i] is bound to slot i.
func compileCheck(src string, names []string) (*program, error) {
	env := make(map[string]any, len(names))
	for _, n := range names {
		env[n] = interval{}
	}
	if err := checkExprShape(src); err != nil {
		return nil, err
	}
	opts := append(slices.Clip(checkOptions), expr.Env(env))
	tree, err := parser.ParseWithConfig(src, parseConfig(opts))
	if err != nil {
		return nil, err
	}
	if err := checkExprDepth(file.NewSource(src), tree.Node); err != nil {
		return nil, err
	}
	a := &analyzer{src: file.NewSource(src), names: names}
	if k := a.kind(tree.Node); a.err == nil && k != kindBool {
		a.fail(tree.Node, "a check must be a condition (a comparison such as a == b), not %s", k)
	}
	if a.err != nil {
		return nil, a.err
	}
	// Compile the whole check once: it catches whatever the walk above
	// let through, with expr's own messages.
	if _, err := expr.Compile(src, append(opts, expr.AsBool())...); err != nil {
		return nil, err
	}
	p := &program{src: src}
	for _, n := range conjuncts(tree.Node, nil) {
		at := &atom{node: n, names: namesIn(n, names)}
		if b, ok := n.(*ast.BinaryNode); ok && cmpFns[b.Operator] != "" {
			at.op = b.Operator
			if at.left, err = compileSide(b.Left, names, opts); err != nil {
				return nil, err
			}
			if at.right, err = compileSide(b.Right, names, opts); err != nil {
				return nil, err
			}
		} else if at.prog, err = expr.Compile(n.String(), append(opts, expr.AsBool())...); err != nil {
			return nil, err
		}
		p.atoms = append(p.atoms, at)
	}
	return p, nil
}

func parseConfig(opts []expr.Option) *conf.Config {
	c := conf.CreateNew()
	for _, o := range opts {
		o(c)
	}
	for name := range c.Disabled {
		delete(c.Builtins, name)
	}
	return c
}

// conjuncts splits a top-level `and` chain.
func conjuncts(n ast.Node, out []ast.Node) []ast.Node {
	if b, ok := n.(*ast.BinaryNode); ok && (b.Operator == "&&" || b.Operator == "and") {
		out = conjuncts(b.Left, out)
		return conjuncts(b.Right, out)
	}
	return append(out, n)
}

func compileSide(n ast.Node, names []string, opts []expr.Option) (*side, error) {
	s := &side{node: n, slot: -1, names: namesIn(n, names)}
	if id, ok := n.(*ast.IdentifierNode); ok {
		s.slot = slices.Index(names, id.Value)
		return s, nil
	}
	if v, ok := literal(n); ok {
		s.isConst, s.konst = true, point(v)
		return s, nil
	}
	var err error
	s.prog, err = expr.Compile(n.String(), opts...)
	return s, err
}

// literal reports the value of a number literal, possibly negated.
func literal(n ast.Node) (float64, bool) {
	switch n := n.(type) {
	case *ast.IntegerNode:
		return float64(n.Value), true
	case *ast.FloatNode:
		return n.Value, true
	case *ast.UnaryNode:
		if v, ok := literal(n.Node); ok {
			switch n.Operator {
			case "-":
				return -v, true
			case "+":
				return v, true
			}
		}
	}
	return 0, false
}

// namesIn returns the slots of the names n reads, in order of appearance,
// without repeats.
func namesIn(n ast.Node, names []string) []int {
	var out []int
	var walk func(ast.Node)
	walk = func(n ast.Node) {
		switch n := n.(type) {
		case *ast.IdentifierNode:
			if i := slices.Index(names, n.Value); i >= 0 && !slices.Contains(out, i) {
				out = append(out, i)
			}
		case *ast.UnaryNode:
			walk(n.Node)
		case *ast.BinaryNode:
			walk(n.Left)
			walk(n.Right)
		case *ast.CallNode:
			for _, a := range n.Arguments {
				walk(a)
			}
		case *ast.ConditionalNode:
			walk(n.Cond)
			walk(n.Exp1)
			walk(n.Exp2)
		}
	}
	walk(n)
	return out
}

// analyzer checks that a check stays within its small grammar, with
// messages that say what is allowed.
type analyzer struct {
	src   file.Source
	names []string
	err   error
}

func (a *analyzer) fail(n ast.Node, format string, args ...any) {
	if a.err != nil {
		return
	}
	e := &file.Error{Location: n.Location(), Message: fmt.Sprintf(format, args...)}
	a.err = e.Bind(a.src)
}

func (a *analyzer) want(n ast.Node, k kind, what string) {
	if got := a.kind(n); got != 0 && got != k {
		a.fail(n, "%s must be %s, not %s", what, k, got)
	}
}

// kind returns what n computes, or 0 after an error.
func (a *analyzer) kind(n ast.Node) kind {
	if a.err != nil {
		return 0
	}
	switch n := n.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
		return kindNumber
	case *ast.IdentifierNode:
		if !slices.Contains(a.names, n.Value) {
			known := slices.Clone(a.names)
			sort.Strings(known)
			a.fail(n, "unknown name %s (known: %s)", n.Value, strings.Join(known, ", "))
			return 0
		}
		return kindNumber
	case *ast.UnaryNode:
		switch n.Operator {
		case "-", "+":
			a.want(n.Node, kindNumber, "the operand of "+n.Operator)
			return kindNumber
		case "!", "not":
			a.want(n.Node, kindBool, "the operand of "+n.Operator)
			return kindBool
		}
	case *ast.BinaryNode:
		switch n.Operator {
		case "+", "-", "*", "/":
			a.want(n.Left, kindNumber, "the left operand of "+n.Operator)
			a.want(n.Right, kindNumber, "the right operand of "+n.Operator)
			return kindNumber
		case "==", "!=", "<", "<=", ">", ">=":
			a.want(n.Left, kindNumber, "the left side of "+n.Operator)
			a.want(n.Right, kindNumber, "the right side of "+n.Operator)
			return kindBool
		case "&&", "and", "||", "or":
			a.want(n.Left, kindBool, "the left operand of "+n.Operator)
			a.want(n.Right, kindBool, "the right operand of "+n.Operator)
			return kindBool
		}
		a.fail(n, "operator %s is not supported in a check (use + - * /, comparisons, and, or, not)", n.Operator)
		return 0
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		if !ok || !slices.Contains(userFns, id.Value) {
			a.fail(n, "a check may call only %s", strings.Join(userFns, ", "))
			return 0
		}
		if len(n.Arguments) == 0 || (id.Value == "abs" && len(n.Arguments) != 1) {
			a.fail(n, "wrong number of arguments to %s", id.Value)
			return 0
		}
		for _, arg := range n.Arguments {
			a.want(arg, kindNumber, "an argument of "+id.Value)
		}
		return kindNumber
	case *ast.ConditionalNode:
		a.want(n.Cond, kindBool, "the condition of ?:")
		k := a.kind(n.Exp1)
		a.want(n.Exp2, k, "the second branch of ?:")
		return k
	}
	if a.err == nil {
		a.fail(n, "%s is not allowed in a check (use numbers, names, + - * /, abs, min, max, comparisons, and, or, not)", describeNode(n))
	}
	return 0
}

func describeNode(n ast.Node) string {
	switch b := n.(type) {
	case *ast.StringNode:
		return "a string"
	case *ast.BoolNode:
		return "true/false"
	case *ast.NilNode:
		return "nil"
	case *ast.MemberNode, *ast.ChainNode:
		return "member access"
	case *ast.BuiltinNode:
		return "builtin " + b.Name
	}
	return fmt.Sprintf("%q", n.String())
}
