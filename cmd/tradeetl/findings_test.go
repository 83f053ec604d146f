package main

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/pipeline"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/validate"
)

// kindConst is the name of a constant holding a finding rule id.
var kindConst = regexp.MustCompile(`^Rule[A-Z]`)

// TestFindingKindsRegistered checks the registry of finding kinds
// (schemas/findings.yaml) against the code: every rule id a finding can
// carry, from the constants of the code, the built-in rules file and the
// findings of runs over the fixtures and the audit's planted errors, is
// registered; and every registered kind is raised by some code or is a
// built-in rule.
func TestFindingKindsRegistered(t *testing.T) {
	registered := map[string]schemas.FindingKind{}
	for _, k := range schemas.FindingKinds() {
		registered[k.ID] = k
	}
	raised := map[string]string{} // rule id -> where it was seen

	// The constants of the code. A finding rule id is a constant of
	// package schemas (generated from the registry); a constant Rule...
	// holding a string anywhere else, or a finding literal with a literal
	// rule, is a kind the registry would miss.
	consts := sourceKinds(t, filepath.Join("..", ".."))
	for id, where := range consts {
		raised[id] = where
	}

	// The built-in rules.
	rs, err := validate.DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs.Rules {
		raised[r.ID] = "validate/rules.yaml"
		k, ok := registered[r.ID]
		switch {
		case !ok:
			t.Errorf("built-in rule %s is not in schemas/findings.yaml", r.ID)
		case k.Stage != schemas.StageRules || k.Severity != r.Severity || k.Scope != r.Scope || k.Description != r.Description:
			t.Errorf("built-in rule %s: registry says stage %s, severity %s, scope %s, %q; rules.yaml says severity %s, scope %s, %q",
				r.ID, k.Stage, k.Severity, k.Scope, k.Description, r.Severity, r.Scope, r.Description)
		}
	}

	// Runs: the fixtures (two deliveries of a newsletter, one with planted
	// errors) and the planted-error workbooks of the audit.
	for _, dir := range []string{filepath.Join("..", "..", "fixtures"), filepath.Join("..", "..", "validate", "testdata", "planted")} {
		in := t.TempDir()
		if err := copyDir(dir, in, ".xlsx"); err != nil {
			t.Fatal(err)
		}
		rep, err := pipeline.Run(context.Background(), pipeline.Config{
			Inputs: []string{in}, OutDir: filepath.Join(t.TempDir(), "out"), Version: "test", RevisionWarn: 10,
		})
		if err != nil {
			t.Fatalf("run over %s: %v", dir, err)
		}
		for _, f := range rep.Findings {
			if _, ok := raised[f.Rule]; !ok {
				raised[f.Rule] = "a run over " + dir
			}
			if _, ok := registered[f.Rule]; !ok {
				t.Errorf("a run over %s raised %s (%s), which is not in schemas/findings.yaml", dir, f.Rule, f.Message)
			}
		}
	}

	for _, id := range slices.Sorted(maps.Keys(raised)) {
		if _, ok := registered[id]; !ok {
			t.Errorf("%s raises finding kind %q, which is not in schemas/findings.yaml", raised[id], id)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(registered)) {
		if _, ok := raised[id]; !ok {
			t.Errorf("schemas/findings.yaml lists %q, which nothing raises: remove it", id)
		}
	}
}

// sourceKinds returns the finding rule ids the Go code of the module
// declares (the constants of package schemas), and fails the test on
// a finding kind declared anywhere else.
func sourceKinds(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	kindsByConst := map[string]schemas.FindingKind{}
	for _, k := range schemas.FindingKinds() {
		if k.Const != "" {
			kindsByConst[k.Const] = k
		}
	}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (name == "testdata" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for i, name := range n.Names {
					if !kindConst.MatchString(name.Name) || i >= len(n.Values) {
						continue
					}
					lit, ok := n.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue // an alias of a schemas constant, or not a string
					}
					id, _ := strconv.Unquote(lit.Value)
					if rel != "schemas/kinds_gen.go" {
						t.Errorf("%s: %s = %q declares a finding kind outside the registry: add it to schemas/findings.yaml and use schemas.%s", fset.Position(name.Pos()), name.Name, id, name.Name)
					}
					out[id] = rel
				}
			case *ast.CompositeLit:
				if !isFindingType(n.Type) {
					return true
				}
				var rule, sev string // constant names
				for _, e := range n.Elts {
					kv, ok := e.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					key, ok := kv.Key.(*ast.Ident)
					if !ok {
						continue
					}
					switch key.Name {
					case "Rule":
						if lit, ok := kv.Value.(*ast.BasicLit); ok {
							t.Errorf("%s: a finding with the literal rule %s: use a constant of package schemas", fset.Position(lit.Pos()), lit.Value)
						}
						rule = schemasConst(kv.Value)
					case "Severity":
						if c := schemasConst(kv.Value); strings.HasPrefix(c, "Severity") {
							sev = c
						}
					}
				}
				// A finding of a registered kind raised with a constant
				// severity has the registry's.
				if k, ok := kindsByConst[rule]; ok && sev != "" && "Severity"+strings.ToUpper(string(k.Severity[:1]))+string(k.Severity[1:]) != sev {
					t.Errorf("%s: %s raised with %s; the registry says %s", fset.Position(n.Pos()), rule, sev, k.Severity)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("no finding kind constants found: is the module root right?")
	}
	return out
}

// schemasConst returns the name of the constant e names, schemas.X or X
// (within package schemas), or "".
func schemasConst(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok && x.Name == "schemas" {
			return e.Sel.Name
		}
	case *ast.Ident:
		return e.Name
	}
	return ""
}

func isFindingType(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.SelectorExpr:
		return e.Sel.Name == "Finding"
	case *ast.Ident:
		return e.Name == "Finding"
	}
	return false
}
