// Package validate checks observations: record rules (struct tags checked by go-playground/validator) and consistency rules across records, declared in a rules file and evaluated with rounding-aware tolerance. In: []schemas.Observation. Out: []schemas.Finding.
//
// # Record rules
//
// [RecordChecker] checks one [schemas.Observation] against the validate tags
// of its struct: required fields, enumerations, ranges. Each violated tag
// becomes one finding of rule "record".
//
// # Consistency rules
//
// A [RuleSet] is loaded from a rules file ([LoadRules], [LoadRulesFile]) or
// from the embedded default set ([DefaultRules], the file rules.yaml in this
// package, which documents the format). A rule selects anchor observations
// (match, where), finds the other figures it needs by changing some key
// fields of the anchor (with), and evaluates a check expression in
// expr-lang syntax over their values.
//
// Every published figure stands for an interval: 6.80, published with two
// decimals, is any true value in [6.795, 6.805]. Checks are evaluated with
// interval arithmetic, and a comparison holds when the true values can
// satisfy it, so rounding in the source never raises a finding while any
// real inconsistency does.
package validate
