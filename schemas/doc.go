// Package schemas defines the records that flow between tradeetl's stages and
// the vocabulary used to read them.
//
// In: nothing (it is imported by every stage). Out:
//
//   - [Observation]: one published figure, tidy and typed, with the cell it
//     came from. transform produces it, validate checks it, load writes it.
//   - [Finding]: one broken rule or unreadable value, naming its cells.
//   - [FindingKinds]: the registry of the kinds of finding (findings.yaml,
//     embedded): id, stage, severity, scope, description, and whether it is
//     a verdict of the audit. The findings reference (docs/findings.md) and
//     the Rule... constants are generated from it.
//   - [Report]: the run summary written to report.json; [Report.Tally]
//     counts its inputs by [Status] and its findings by [Severity].
//   - [Dictionary]: the label dictionary (labels.yaml, embedded) that maps the
//     wording of spreadsheets in 36 languages to reporters,
//     flows, measures, units and long-table columns.
//   - [Period]: years, quarters and months as they appear in headers.
package schemas
