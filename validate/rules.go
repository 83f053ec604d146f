package validate

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/expr-lang/expr/vm"
	"github.com/goccy/go-yaml"
	yamlast "github.com/goccy/go-yaml/ast"
	yamlparser "github.com/goccy/go-yaml/parser"

	"github.com/tradeetl/tradeetl/schemas"
)

// Severity of a rule: schemas.SeverityError or schemas.SeverityWarning.
type Severity = schemas.Severity

// Scopes of a rule: where the figures it compares may come from.
const (
	ScopeTable = "table" // the anchor's table (file, sheet and table range)
	ScopeFile  = "file"  // any sheet of the anchor's file
	ScopeRun   = "run"   // any file of the run
)

// Rule is one consistency rule of a rules file.
type Rule struct {
	ID          string
	Description string
	Severity    Severity
	Scope       string // ScopeTable, ScopeFile or ScopeRun
	Check       string // the check expression as written
	Line        int    // line of the rule in its file

	as        string // name of the anchor's value in the check
	match     []matcher
	where     *vm.Program
	whereSrc  string
	whereLine int     // line of where in the rules file
	fastWhere whereFn // where compiled into Go, or nil to run the VM
	operands  []*operand
	prog      *program
	names     []string // as, then the with names: the check's slots
}

// RuleSet is a loaded rules file. It is immutable and safe for concurrent
// use.
type RuleSet struct {
	Name    string // file name, or "default rules"
	Version string // first 12 hex chars of sha256 of the file bytes
	Rules   []*Rule

	nOverrides int // constant overrides, numbered by override.id
	nMatchers  int // matchers of interned fields, numbered by matcher.id
}

// matcher is one entry of a rule's match: the field must have one of the
// values. Integer and boolean fields are compared by value, which is the
// same as comparing their text.
type matcher struct {
	id    int // number within the rule set, for matchers of interned fields
	f     *field
	strs  []string
	ints  []int64
	bools []bool
}

func (m *matcher) ok(o *schemas.Observation) bool {
	switch m.f.kind {
	case reflect.String:
		return slices.Contains(m.strs, m.f.str(o))
	case reflect.Int:
		return slices.Contains(m.ints, m.f.integer(o))
	case reflect.Bool:
		return slices.Contains(m.bools, m.f.boolean(o))
	}
	return false
}

// operand is one entry of a rule's with: the figure found by changing some
// key fields of the anchor.
type operand struct {
	name      string
	overrides []override
	star      int // slot summed over ("*"), or -1
}

// override sets one key slot: to a constant, or to a field of the anchor.
type override struct {
	slot  int
	value string // constant value
	ref   *field // $field, or nil
	id    int    // number of a constant override within the rule set
}

const defaultRulesName = "default rules"

//go:embed rules.yaml
var defaultRulesYAML []byte

var defaultRules = sync.OnceValues(func() (*RuleSet, error) {
	return LoadRules(defaultRulesName, defaultRulesYAML)
})

// DefaultRules returns the rule set embedded in the binary (rules.yaml in
// this package). It is parsed once and shared.
func DefaultRules() (*RuleSet, error) { return defaultRules() }

// DefaultRulesYAML returns the embedded rules file, the example to copy.
func DefaultRulesYAML() []byte { return slices.Clone(defaultRulesYAML) }

// LoadRulesFile reads and loads a rules file.
func LoadRulesFile(path string) (*RuleSet, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	defer f.Close()
	// One byte more than a rules file may hold: enough to refuse it, with
	// no more memory than that, whatever the path names.
	data, err := io.ReadAll(io.LimitReader(f, MaxRulesFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	return LoadRules(path, data)
}

// ruleYAML is the YAML shape of one rule.
type ruleYAML struct {
	ID          string        `yaml:"id"`
	Description string        `yaml:"description"`
	Severity    string        `yaml:"severity"`
	Scope       string        `yaml:"scope"`
	Match       yaml.MapSlice `yaml:"match"`
	Where       string        `yaml:"where"`
	As          string        `yaml:"as"`
	With        yaml.MapSlice `yaml:"with"`
	Check       string        `yaml:"check"`
}

const ruleFields = "id, description, severity, scope, match, where, as, with, check"

var reName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// reserved are words a value name may not take: the check's functions and
// expr-lang keywords.
var reserved = []string{"abs", "min", "max", "and", "or", "not", "in", "matches", "contains",
	"startsWith", "endsWith", "let", "if", "else", "true", "false", "nil"}

// LoadRules parses and compiles a rules file. name is used in error
// messages and as RuleSet.Name. Every error names the file and line, and
// the rule id; several errors are joined, one a line.
func LoadRules(name string, data []byte) (*RuleSet, error) {
	sum := sha256.Sum256(data)
	rs := &RuleSet{Name: name, Version: hex.EncodeToString(sum[:])[:12]}
	l := &loader{name: name, rs: rs, lines: map[string]int{}}
	l.load(data)
	if len(l.errs) > 0 {
		return nil, errors.Join(l.errs...)
	}
	return rs, nil
}

type loader struct {
	name  string
	rs    *RuleSet
	errs  []error
	lines map[string]int // rule id -> line
}

func (l *loader) errorf(line int, format string, args ...any) {
	l.errs = append(l.errs, fmt.Errorf("%s:%d: %s", l.name, line, fmt.Sprintf(format, args...)))
}

func (l *loader) load(data []byte) {
	if ln, err := checkYAMLShape(data); err != nil {
		l.errorf(ln, "%v", err)
		return
	}
	f, err := yamlparser.ParseBytes(data, 0)
	if err != nil {
		ln := 1
		var ye yaml.Error
		if errors.As(err, &ye) {
			ln = line2(ye, 1)
		}
		l.errorf(ln, "%s", yaml.FormatError(err, false, true))
		return
	}
	var body yamlast.Node
	for _, doc := range f.Docs {
		if doc == nil || doc.Body == nil {
			continue
		}
		if body != nil {
			l.errorf(line(doc.Body), "a second YAML document; a rules file holds one")
			return
		}
		body = doc.Body
	}
	if body == nil {
		l.errorf(1, "empty rules file; want version: 1 and rules")
		return
	}
	top, ok := body.(yamlast.MapNode)
	if !ok {
		l.errorf(line(body), "a rules file is a mapping with version and rules")
		return
	}
	var rules *yamlast.SequenceNode
	version := false
	for it := top.MapRange(); it.Next(); {
		key, val := it.Key(), it.Value()
		switch key.String() {
		case "version":
			if val.String() != "1" {
				l.errorf(line(val), "unsupported version %s; want 1", val.String())
				return
			}
			version = true
		case "rules":
			seq, ok := val.(*yamlast.SequenceNode)
			if !ok {
				if _, isNull := val.(*yamlast.NullNode); !isNull {
					l.errorf(line(val), "rules must be a list of rules")
					return
				}
				seq = &yamlast.SequenceNode{}
			}
			rules = seq
		default:
			l.errorf(line(key), "unknown field %q (valid: version, rules)", key.String())
			return
		}
	}
	if !version {
		l.errorf(line(body), "missing version: 1")
	}
	if rules == nil || len(rules.Values) == 0 {
		l.errorf(line(body), "no rules")
		return
	}
	for i, n := range rules.Values {
		l.rule(i, n)
	}
}

// line returns the line of a node's first token.
func line(n yamlast.Node) int {
	if n == nil {
		return 0
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}

// keyLine returns the line of the key at path below n, or of the deepest
// key on the way that exists, or def.
func keyLine(n yamlast.Node, def int, path ...string) int {
	ln := def
	for _, k := range path {
		m, ok := n.(yamlast.MapNode)
		if !ok {
			return ln
		}
		found := false
		for it := m.MapRange(); it.Next(); {
			if it.Key().String() == k {
				ln, n, found = line(it.Key()), it.Value(), true
				break
			}
		}
		if !found {
			return ln
		}
	}
	return ln
}

// rule decodes and compiles the i-th rule.
func (l *loader) rule(i int, n yamlast.Node) {
	at := line(n)
	var y ruleYAML
	if err := yaml.NodeToValue(n, &y, yaml.DisallowUnknownField()); err != nil {
		who := ruleName(i, idOf(n))
		var ye yaml.Error
		if errors.As(err, &ye) {
			msg := ye.GetMessage()
			var unknown *yaml.UnknownFieldError
			if errors.As(err, &unknown) {
				msg += " (valid: " + ruleFields + ")"
			}
			l.errorf(line2(ye, at), "%s: %s", who, msg)
		} else {
			l.errorf(at, "%s: %v", who, err)
		}
		return
	}
	r := &Rule{ID: y.ID, Description: strings.TrimSpace(y.Description), Severity: Severity(y.Severity),
		Scope: y.Scope, Check: strings.TrimSpace(y.Check), Line: at, as: y.As}
	who := ruleName(i, y.ID)
	nerr := len(l.errs)
	bad := func(path []string, format string, args ...any) {
		l.errorf(keyLine(n, at, path...), "%s: %s", who, fmt.Sprintf(format, args...))
	}

	switch {
	case r.ID == "":
		bad(nil, "missing id")
	case l.lines[r.ID] != 0:
		bad([]string{"id"}, "duplicate id (first at line %d)", l.lines[r.ID])
	default:
		l.lines[r.ID] = at
	}
	switch r.Severity {
	case "":
		r.Severity = schemas.SeverityError
	case schemas.SeverityError, schemas.SeverityWarning:
	default:
		bad([]string{"severity"}, "unknown severity %q (want error or warning)", r.Severity)
	}
	switch r.Scope {
	case "":
		r.Scope = ScopeTable
	case ScopeTable, ScopeFile, ScopeRun:
	default:
		bad([]string{"scope"}, "unknown scope %q (want table, file or run)", r.Scope)
	}

	for _, item := range y.Match {
		key := fmt.Sprint(item.Key)
		m, err := newMatcher(key, item.Value)
		if err != nil {
			bad([]string{"match", key}, "match: %v", err)
			continue
		}
		if m.f.interned >= 0 {
			m.id = l.rs.nMatchers
			l.rs.nMatchers++
		}
		r.match = append(r.match, m)
	}

	if w := strings.TrimSpace(y.Where); w != "" {
		p, err := compileWhere(w)
		if err != nil {
			bad([]string{"where"}, "where: %v", err)
		}
		r.where, r.whereSrc, r.whereLine = p, w, keyLine(n, at, "where")
		if p != nil {
			r.fastWhere = compileWhereFast(w)
		}
	}

	if r.as == "" {
		r.as = "value"
	}
	if err := checkName(r.as); err != nil {
		bad([]string{"as"}, "as: %v", err)
	}
	r.names = []string{r.as}
	for _, item := range y.With {
		opName := fmt.Sprint(item.Key)
		path := []string{"with", opName}
		if err := checkName(opName); err != nil {
			bad(path, "with: %v", err)
			continue
		}
		if opName == r.as {
			bad(path, "with %s: the name collides with as: %s (the anchor's value)", opName, r.as)
			continue
		}
		if slices.Contains(r.names, opName) {
			bad(path, "with %s: duplicate name", opName)
			continue
		}
		op, msgs := l.newOperand(opName, item.Value)
		for _, m := range msgs {
			bad(append(path, m.field), "%s", m.msg)
		}
		r.names = append(r.names, opName)
		r.operands = append(r.operands, op)
	}

	if r.Check == "" {
		bad(nil, "missing check")
	} else if len(l.errs) == nerr {
		p, err := compileCheck(r.Check, r.names)
		if err != nil {
			bad([]string{"check"}, "check: %v", err)
		}
		r.prog = p
	}
	if len(l.errs) == nerr {
		l.rs.Rules = append(l.rs.Rules, r)
	}
}

// line2 prefers the line of a YAML error's token.
func line2(e yaml.Error, def int) int {
	if tk := e.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return def
}

func ruleName(i int, id string) string {
	if id == "" {
		return fmt.Sprintf("rule #%d", i+1)
	}
	return fmt.Sprintf("rule %q", id)
}

// idOf reads a rule's id from its node, for errors raised before decoding.
func idOf(n yamlast.Node) string {
	m, ok := n.(yamlast.MapNode)
	if !ok {
		return ""
	}
	for it := m.MapRange(); it.Next(); {
		if it.Key().String() == "id" {
			if s, ok := it.Value().(*yamlast.StringNode); ok {
				return s.Value
			}
			return it.Value().String()
		}
	}
	return ""
}

func checkName(name string) error {
	if !reName.MatchString(name) {
		return fmt.Errorf("%q is not a name (letters, digits and _, not starting with a digit)", name)
	}
	if slices.Contains(reserved, name) {
		return fmt.Errorf("%q is a reserved word", name)
	}
	return nil
}

func newMatcher(key string, value any) (matcher, error) {
	f := fieldByName[key]
	if f == nil || !f.textual() {
		return matcher{}, fmt.Errorf("unknown field %s (valid: %s)", key, strings.Join(matchable, ", "))
	}
	m := matcher{f: f}
	vals, ok := value.([]any)
	if !ok {
		vals = []any{value}
	}
	if len(vals) == 0 {
		return matcher{}, fmt.Errorf("%s: empty list", key)
	}
	for _, v := range vals {
		s, err := scalarText(v)
		if err != nil {
			return matcher{}, fmt.Errorf("%s: %v", key, err)
		}
		switch f.kind {
		case reflect.Int:
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return matcher{}, fmt.Errorf("%s: %q is not an integer", key, s)
			}
			m.ints = append(m.ints, n)
		case reflect.Bool:
			b, err := strconv.ParseBool(s)
			if err != nil {
				return matcher{}, fmt.Errorf("%s: %q is not true or false", key, s)
			}
			m.bools = append(m.bools, b)
		default:
			m.strs = append(m.strs, s)
		}
	}
	return m, nil
}

// scalarText returns a YAML scalar as text; numbers by their decimal text.
func scalarText(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case uint64, int64, int, uint, bool:
		return fmt.Sprint(v), nil
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	case nil:
		return "", nil
	}
	return "", fmt.Errorf("want a value, got %T", v)
}

type fieldMsg struct{ field, msg string }

func (l *loader) newOperand(name string, value any) (*operand, []fieldMsg) {
	op := &operand{name: name, star: -1}
	var msgs []fieldMsg
	fail := func(field, format string, args ...any) {
		msgs = append(msgs, fieldMsg{field, fmt.Sprintf("with %s: ", name) + fmt.Sprintf(format, args...)})
	}
	var items yaml.MapSlice
	switch v := value.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			items = append(items, yaml.MapItem{Key: k, Value: v[k]})
		}
	case yaml.MapSlice:
		items = v
	case nil:
	default:
		fail("", "want a mapping of key fields to values, such as {flow: exports}")
		return op, msgs
	}
	for _, item := range items {
		key := fmt.Sprint(item.Key)
		f := fieldByName[key]
		switch {
		case f == nil:
			fail(key, "unknown field %s (valid: %s)", key, strings.Join(keyFields, ", "))
			continue
		case f.slot < 0:
			fail(key, "bad grouping: %s is not a key field; with may change only %s", key, strings.Join(keyFields, ", "))
			continue
		}
		s, err := scalarText(item.Value)
		if err != nil {
			fail(key, "%s: %v", key, err)
			continue
		}
		ov := override{slot: f.slot}
		switch {
		case s == "*":
			if op.star >= 0 {
				fail(key, "only one field may be \"*\"")
				continue
			}
			op.star = f.slot
			continue
		case strings.HasPrefix(s, "$"):
			ref := fieldByName[s[1:]]
			if ref == nil || !ref.textual() {
				fail(key, "%s: unknown field %s (valid: %s)", key, s, "$"+strings.Join(matchable, ", $"))
				continue
			}
			ov.ref = ref
		default:
			ov.value = s
			ov.id = l.rs.nOverrides
			l.rs.nOverrides++
		}
		op.overrides = append(op.overrides, ov)
	}
	return op, msgs
}

// ByScope splits the rule set into the rules each input is checked with
// on its own (scopes table and file) and the rules checked over the whole
// run (scope run), each nil when it has no rule. Both share rs's rules,
// name and version; rs is unchanged.
func (rs *RuleSet) ByScope() (perInput, run *RuleSet) {
	if rs == nil {
		return nil, nil
	}
	var in, across []*Rule
	for _, r := range rs.Rules {
		if r.Scope == ScopeRun {
			across = append(across, r)
		} else {
			in = append(in, r)
		}
	}
	subset := func(rules []*Rule) *RuleSet {
		if len(rules) == 0 {
			return nil
		}
		c := *rs
		c.Rules = rules
		return &c
	}
	return subset(in), subset(across)
}
