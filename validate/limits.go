package validate

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	exprchecker "github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"

	"github.com/tradeetl/tradeetl/schemas"
)

// A rules file may come from anyone who can write beside the inputs, and
// serve reads it again before every run: whatever it holds, loading it
// and evaluating its rules must end quickly, in bounded memory, with an
// error that names its line. The YAML parser and expr-lang's parser
// recurse once per nesting level (millions of brackets overflow the
// stack, and deep flow collections take quadratic time), and expr-lang's
// built-ins can build strings of any size (nested repeat). So a rules
// file is bounded in size and nesting before it is parsed, each
// expression in size, nesting and nodes, and a where condition may use
// only the few operators and functions a condition on one figure needs,
// none of which can grow a value beyond the size of its inputs.
const (
	// MaxRulesFileSize bounds a rules file; the built-in one is 7 KB.
	MaxRulesFileSize = 1 << 20
	// maxYAMLFlowDepth bounds the nesting of YAML flow collections ([ and
	// {, counted anywhere on a line: also inside strings, so it is loose).
	maxYAMLFlowDepth = 64
	// maxYAMLCompactDepth bounds the block collections one line may open
	// ("- - - x").
	maxYAMLCompactDepth = 16
	// maxExprLen bounds the text of a where or check.
	maxExprLen = 8 << 10
	// maxExprBrackets bounds the nesting of brackets in an expression.
	maxExprBrackets = 32
	// maxExprDepth bounds the depth of an expression's syntax tree, which
	// a chain of operators (- - - x, a + b + c ...) deepens too.
	maxExprDepth = 256
	// maxExprNodes bounds the nodes of an expression's syntax tree.
	maxExprNodes = 2000
)

// whereBuiltins are the expr-lang functions a where condition may call:
// each returns a number or a string no longer than its argument (give or
// take a case mapping), so that no condition can build a large value.
var whereBuiltins = []string{"len", "lower", "upper", "trim", "trimPrefix", "trimSuffix",
	"hasPrefix", "hasSuffix", "indexOf", "lastIndexOf", "int", "float", "abs", "ceil", "floor", "round", "min", "max"}

// whereOperators are the binary operators a where condition may use.
var whereOperators = []string{"==", "!=", "<", "<=", ">", ">=", "&&", "||", "and", "or",
	"in", "not in", "matches", "contains", "startsWith", "endsWith", "??", "+", "-", "*", "/", "%"}

// whereOptions are the expr options of every where program.
var whereOptions = func() []expr.Option {
	opts := []expr.Option{expr.Env(schemas.Observation{}), expr.AsBool(), expr.MaxNodes(maxExprNodes), expr.DisableAllBuiltins()}
	for _, name := range whereBuiltins {
		opts = append(opts, expr.EnableBuiltin(name))
	}
	return opts
}()

// checkYAMLShape bounds a rules file before the YAML parser sees it: its
// size, the nesting of its flow collections, and the block collections
// one line opens. It returns the line at fault.
func checkYAMLShape(data []byte) (int, error) {
	if len(data) > MaxRulesFileSize {
		return 1, fmt.Errorf("the file is %d bytes; a rules file may hold at most %d (1 MiB)", len(data), MaxRulesFileSize)
	}
	depth, ln := 0, 1
	for rest := data; len(rest) > 0; ln++ {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		// "- - - x", "- ? - x": each indicator opens a block collection.
		compact, s := 0, bytes.TrimLeft(line, " \t")
		for len(s) >= 2 && (s[0] == '-' || s[0] == '?') && (s[1] == ' ' || s[1] == '\t') {
			compact++
			s = bytes.TrimLeft(s[1:], " \t")
		}
		if compact > maxYAMLCompactDepth {
			return ln, fmt.Errorf("%d block collections opened on one line; a rules file nests at most %d", compact, maxYAMLCompactDepth)
		}
		for _, b := range line {
			switch b {
			case '[', '{':
				if depth++; depth > maxYAMLFlowDepth {
					return ln, fmt.Errorf("brackets [ { nested more than %d deep; a rules file needs a few", maxYAMLFlowDepth)
				}
			case ']', '}':
				depth = max(depth-1, 0)
			}
		}
	}
	return 0, nil
}

// checkExprShape bounds the text of an expression before it is parsed:
// its length and the nesting of its brackets outside string literals.
func checkExprShape(src string) error {
	if len(src) > maxExprLen {
		return fmt.Errorf("the expression is %d bytes long; at most %d", len(src), maxExprLen)
	}
	depth, quote := 0, byte(0)
	for i := 0; i < len(src); i++ {
		b := src[i]
		switch {
		case quote != 0:
			if b == '\\' && quote != '`' {
				i++
			} else if b == quote {
				quote = 0
			}
		case b == '"' || b == '\'' || b == '`':
			quote = b
		case b == '(' || b == '[' || b == '{':
			if depth++; depth > maxExprBrackets {
				return fmt.Errorf("brackets nested more than %d deep (at column %d)", maxExprBrackets, i+1)
			}
		case b == ')' || b == ']' || b == '}':
			depth = max(depth-1, 0)
		}
	}
	return nil
}

// checkExprDepth bounds the depth of a parsed expression.
func checkExprDepth(src file.Source, n ast.Node) error {
	var deep ast.Node
	var walk func(n ast.Node, d int)
	walk = func(n ast.Node, d int) {
		if n == nil || deep != nil {
			return
		}
		if d > maxExprDepth {
			deep = n
			return
		}
		for _, c := range children(n) {
			walk(c, d+1)
		}
	}
	walk(n, 1)
	if deep == nil {
		return nil
	}
	e := &file.Error{Location: deep.Location(), Message: fmt.Sprintf("the expression nests more than %d operations deep", maxExprDepth)}
	return e.Bind(src)
}

// children returns the operands of a node.
func children(n ast.Node) []ast.Node {
	switch n := n.(type) {
	case *ast.UnaryNode:
		return []ast.Node{n.Node}
	case *ast.BinaryNode:
		return []ast.Node{n.Left, n.Right}
	case *ast.ChainNode:
		return []ast.Node{n.Node}
	case *ast.MemberNode:
		return []ast.Node{n.Node, n.Property}
	case *ast.SliceNode:
		return []ast.Node{n.Node, n.From, n.To}
	case *ast.CallNode:
		return append([]ast.Node{n.Callee}, n.Arguments...)
	case *ast.BuiltinNode:
		return n.Arguments
	case *ast.PredicateNode:
		return []ast.Node{n.Node}
	case *ast.ConditionalNode:
		return []ast.Node{n.Cond, n.Exp1, n.Exp2}
	case *ast.VariableDeclaratorNode:
		return []ast.Node{n.Value, n.Expr}
	case *ast.SequenceNode:
		return n.Nodes
	case *ast.ArrayNode:
		return n.Nodes
	case *ast.MapNode:
		return n.Pairs
	case *ast.PairNode:
		return []ast.Node{n.Key, n.Value}
	}
	return nil
}

// compileWhere compiles a where condition within the limits above.
func compileWhere(src string) (*vm.Program, error) {
	if err := checkExprShape(src); err != nil {
		return nil, err
	}
	cfg := parseConfig(whereOptions)
	tree, err := parser.ParseWithConfig(src, cfg)
	if err != nil {
		return nil, err
	}
	fs := file.NewSource(src)
	if err := checkExprDepth(fs, tree.Node); err != nil {
		return nil, err
	}
	if err := allowedWhere(fs, tree.Node, false); err != nil {
		return nil, err
	}
	// The types, for what the grammar alone does not tell.
	if _, err := exprchecker.Check(tree, cfg); err != nil {
		return nil, err
	}
	if err := allowedWhere(fs, tree.Node, true); err != nil {
		return nil, err
	}
	return expr.Compile(src, whereOptions...)
}

// allowedWhere checks that a where condition uses only fields, literals,
// lists of literals, the allowed operators and functions, and ?:; typed,
// once the condition is type-checked, also that + adds numbers.
func allowedWhere(src file.Source, root ast.Node, typed bool) error {
	var bad *file.Error
	fail := func(n ast.Node, format string, args ...any) {
		if bad == nil {
			bad = &file.Error{Location: n.Location(), Message: fmt.Sprintf(format, args...)}
		}
	}
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		if n == nil || bad != nil {
			return
		}
		switch n := n.(type) {
		case *ast.NilNode, *ast.IdentifierNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode,
			*ast.StringNode, *ast.ConstantNode, *ast.UnaryNode, *ast.ConditionalNode, *ast.ArrayNode:
		case *ast.BinaryNode:
			if !slices.Contains(whereOperators, n.Operator) {
				fail(n, "operator %s is not allowed in where (use comparisons, and, or, not, in, matches, contains, startsWith, endsWith, + - * / %%)", n.Operator)
				return
			}
			if typed && n.Operator == "+" && (kindOf(n.Left) == reflect.String || kindOf(n.Right) == reflect.String) {
				fail(n, "strings cannot be joined with + in where; compare the fields themselves")
				return
			}
		case *ast.BuiltinNode:
			if !slices.Contains(whereBuiltins, n.Name) {
				fail(n, "where may call only %s", strings.Join(whereBuiltins, ", "))
				return
			}
		case *ast.CallNode:
			fail(n, "where may call only %s", strings.Join(whereBuiltins, ", "))
			return
		default:
			fail(n, "%s is not allowed in where (use the fields, literals, comparisons, and, or, not, in, matches and %s)", describeNode(n), strings.Join(whereBuiltins, ", "))
			return
		}
		for _, c := range children(n) {
			walk(c)
		}
	}
	walk(root)
	if bad == nil {
		return nil
	}
	return bad.Bind(src)
}

// kindOf is the kind of value a type-checked node computes, or Invalid.
func kindOf(n ast.Node) reflect.Kind {
	if t := n.Type(); t != nil {
		return t.Kind()
	}
	return reflect.Invalid
}
