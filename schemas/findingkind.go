package schemas

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"
)

//go:generate go test -run ^TestFindingsGenerated$ -update-findings

// Stages that raise findings: what a FindingKind's Stage says.
const (
	StageExtract   = "extract"   // reading the file
	StageTransform = "transform" // reading a table
	StageRules     = "rules"     // a rule of the built-in rules file
	StageRecord    = "record"    // the record rules of Observation
	StageAudit     = "audit"     // error localization
	StageRun       = "run"       // the pipeline
)

// Scopes of a finding kind: what one finding covers.
const (
	ScopeCell  = "cell"
	ScopeTable = "table"
	ScopeFile  = "file"
	ScopeRun   = "run"
)

// FindingKind is one kind of finding tradeetl raises: the value of a
// Finding's Rule, what raises it, its severity and what it means. The
// registry (findings.yaml, embedded) lists every kind the code raises and
// the rules of the built-in rules file; a user's rules file adds its own
// rule ids, which are not in it.
type FindingKind struct {
	ID          string   `yaml:"id"`
	Stage       string   `yaml:"stage"`
	Severity    Severity `yaml:"severity"`
	Scope       string   `yaml:"scope"`
	Verdict     bool     `yaml:"verdict"`
	Description string   `yaml:"description"`
	// Message is the shape of the finding's message, {names} standing
	// for what varies; "" when the message has no fixed shape.
	Message string `yaml:"message"`
	// Const is the name of the Go constant of ID in this package, ""
	// for the built-in rules.
	Const string `yaml:"go"`
}

//go:embed findings.yaml
var findingsYAML []byte

// FindingKindsYAML returns the embedded registry of finding kinds.
func FindingKindsYAML() []byte { return slices.Clone(findingsYAML) }

var findingKinds = sync.OnceValues(func() ([]FindingKind, error) {
	return loadFindingKinds(findingsYAML)
})

// FindingKinds returns every registered finding kind, in the order of the
// registry: extract, transform, the built-in rules, record, audit, run.
// The slice is a copy.
func FindingKinds() []FindingKind {
	ks, err := findingKinds()
	if err != nil {
		// The registry is embedded and tested: it cannot fail at run
		// time unless the binary was built from a broken tree.
		panic(err)
	}
	return slices.Clone(ks)
}

// LookupFindingKind returns the registered kind of a finding rule id; ok
// is false for the rules of a user's rules file (and unknown ids).
func LookupFindingKind(id string) (k FindingKind, ok bool) {
	ks, err := findingKinds()
	if err != nil {
		panic(err)
	}
	i := slices.IndexFunc(ks, func(k FindingKind) bool { return k.ID == id })
	if i < 0 {
		return FindingKind{}, false
	}
	return ks[i], true
}

// IsVerdict reports whether findings of rule id are verdicts of the audit,
// naming a cell as wrong on their own (suspect, scale_slip), rather than a
// check that failed.
func IsVerdict(id string) bool {
	k, ok := LookupFindingKind(id)
	return ok && k.Verdict
}

// Verdict reports whether the finding is a verdict of the audit: it
// names a cell as wrong on its own (see IsVerdict).
func (f *Finding) Verdict() bool { return IsVerdict(f.Rule) }

// findingsFile is the shape of findings.yaml.
type findingsFile struct {
	Version int           `yaml:"version"`
	Kinds   []FindingKind `yaml:"kinds"`
}

var (
	kindStages = []string{StageExtract, StageTransform, StageRules, StageRecord, StageAudit, StageRun}
	kindScopes = []string{ScopeCell, ScopeTable, ScopeFile, ScopeRun}
)

// loadFindingKinds reads a registry strictly: no unknown field, every
// entry complete, ids unique, constants only and always for kinds raised
// by the code.
func loadFindingKinds(data []byte) ([]FindingKind, error) {
	var f findingsFile
	if err := yaml.UnmarshalWithOptions(data, &f, yaml.DisallowUnknownField()); err != nil {
		return nil, fmt.Errorf("finding kinds: %s", yaml.FormatError(err, false, true))
	}
	if f.Version != 1 {
		return nil, fmt.Errorf("finding kinds: version %d: want version: 1", f.Version)
	}
	if len(f.Kinds) == 0 {
		return nil, fmt.Errorf("finding kinds: no kinds")
	}
	seen := map[string]bool{}
	consts := map[string]bool{}
	var errs []string
	for i, k := range f.Kinds {
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Sprintf("kind %d (%s): ", i+1, k.ID)+fmt.Sprintf(format, args...))
		}
		switch {
		case k.ID == "":
			bad("missing id")
		case strings.Trim(k.ID, "abcdefghijklmnopqrstuvwxyz0123456789_") != "":
			bad("id: want lower case letters, digits and _")
		case seen[k.ID]:
			bad("duplicate id")
		}
		seen[k.ID] = true
		if !slices.Contains(kindStages, k.Stage) {
			bad("stage %q: want one of %s", k.Stage, strings.Join(kindStages, ", "))
		}
		if !k.Severity.Valid() {
			bad("severity %q: want error or warning", k.Severity)
		}
		if !slices.Contains(kindScopes, k.Scope) {
			bad("scope %q: want one of %s", k.Scope, strings.Join(kindScopes, ", "))
		}
		if k.Description == "" || strings.Contains(k.Description, "\n") {
			bad("description: want one line")
		}
		switch {
		case k.Stage == StageRules && k.Const != "":
			bad("go: a built-in rule has no constant (its id is in the rules file)")
		case k.Stage != StageRules && !strings.HasPrefix(k.Const, "Rule"):
			bad("go %q: want the name of its constant, Rule...", k.Const)
		case k.Const != "" && consts[k.Const]:
			bad("go %q: duplicate constant", k.Const)
		}
		consts[k.Const] = true
		if k.Verdict && k.Stage != StageAudit {
			bad("verdict: only the audit gives verdicts")
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("finding kinds: %s", strings.Join(errs, "; "))
	}
	return f.Kinds, nil
}
