// Package validate checks observations: record rules (struct tags checked by go-playground/validator), consistency rules across records, declared in a rules file and evaluated with rounding-aware tolerance, and the audit of their failures (which cell is wrong, what it should read). In: schemas.Observations, one at a time or in batches as they stream. Out: []schemas.Finding.
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
//
// Money figures are compared on one scale (6800 million and 6.8 billion
// agree), in any currency; figures of different currencies never meet,
// since the currency is a key field: a money figure's is its Unit, a
// share's or growth rate's its table's Currency. Figures whose table
// states no unit have none, and are compared, as written, only with each
// other within their table.
//
// # Streaming
//
// An [Evaluator] ([RuleSet.NewEvaluator]) takes the observations of an
// input in batches as they are read ([Evaluator.Add]) and returns the
// findings at the end ([Evaluator.Finish]), the same findings, in the same
// order, that [RuleSet.Check] and [RuleSet.Audit] return for all of them at
// once (both are an Evaluator fed one batch). It keeps no observation: of
// each figure a rule can reach it keeps a compact record (key fields as
// interned strings, value, decimals, cell, and an interned context of
// file, sheet, table, unit, currency, scale and period; 48 bytes) and a
// slot in a hash index of keys, so its memory grows with the figures the
// rules can look up, not with the observations' size, and figures no rule
// can reach cost nothing. Rules without operands are decided as their anchors
// arrive, so are anchors whose figures are already in; sums ("*"), anchors
// whose figures come later, and the audit at Finish. A [Collector] keeps
// records to be checked later with those of other inputs: the pipeline's
// rules of scope run.
//
// # The audit
//
// [RuleSet.Audit] runs the rules and then localizes their failures: for
// each cluster of failed rules that share cells it finds the fewest cells
// whose change makes every rule hold again within rounding (Fellegi–Holt),
// solves the rules for their values, and checks those values against
// typing slips (digits swapped, a digit mistyped, dropped or repeated, a
// flipped sign, a shifted decimal point, a unit 1000 times off). Its
// verdicts are findings of rule [schemas.RuleSuspect]; cells that explain
// a cluster equally well are listed as candidates. It also reports figures
// about 1000 times off their series ([schemas.RuleScaleSlip]). The search
// works within a budget that grows with the number of observations
// (EvalOptions), the cheapest clusters first; when it runs out, a finding
// of rule [schemas.RuleAuditLimit] says so, and a delivery with errors
// everywhere costs a few times a clean one. Every kind of finding is
// listed, with its severity and meaning, by [schemas.FindingKinds].
package validate
