// Code generated from findings.yaml by `go test ./schemas -run TestFindingsGenerated -update-findings`; DO NOT EDIT.

package schemas

// Finding rule ids of the kinds tradeetl raises (see FindingKinds). The
// rules of the built-in rules file have no constants: their ids are in
// the rules file.
const (
	// RuleTextEncoding (extract, warning): The encoding of a delimited text file was not sure, bytes not of its encoding were replaced, or the encoding given contradicts its byte order mark.
	RuleTextEncoding = "text_encoding"
	// RuleInvalidUTF8 (extract, warning): A file name, sheet name or field is not valid UTF-8; the outputs replace each such byte by U+FFFD.
	RuleInvalidUTF8 = "invalid_utf8"
	// RuleExcelError (transform, error): A figure cell holds an Excel error (#DIV/0!, #N/A, ...); no figure is read from it.
	RuleExcelError = "excel_error"
	// RuleFormulaNoValue (transform, error): A figure cell holds a formula the file stores no computed value for.
	RuleFormulaNoValue = "formula_no_value"
	// RuleUnreadable (transform, error): A figure cell holds text (or a date, or a boolean) that is not a number.
	RuleUnreadable = "unreadable_value"
	// RuleUnknownMark (transform, warning): A short text without digits among the figures, read as the mark of a missing figure.
	RuleUnknownMark = "unknown_mark"
	// RuleNoUnit (transform, warning): The table states no currency or unit; its figures are kept without currency (unit "").
	RuleNoUnit = "no_unit"
	// RuleUnknownArea (transform, warning): A reporter or partner name the area list does not know, kept as written without a code.
	RuleUnknownArea = "unknown_area"
	// RuleAmbiguousArea (transform, warning): A name of several areas that the table did not decide between, read as the likeliest.
	RuleAmbiguousArea = "ambiguous_area"
	// RuleNoPartner (transform, warning): The table names no partner; its figures are read as trade with the World.
	RuleNoPartner = "no_partner"
	// RuleNoReporter (transform, warning): No reporter is named in the table, its title, sheet or file name; its figures are not read.
	RuleNoReporter = "no_reporter"
	// RuleReporterAssumed (transform, warning): The reporter is taken from the sheet or file name, the regions above a total or the currency, not from the table.
	RuleReporterAssumed = "reporter_assumed"
	// RuleCurrencyAssumed (transform, warning): A currency word several currencies share ("kr.", "$") read as the currency of the reporter's country.
	RuleCurrencyAssumed = "currency_assumed"
	// RuleNoPeriod (transform, warning): Figures without a period in their column heading, row label or title; they are not read.
	RuleNoPeriod = "no_period"
	// RuleGrowthBase (transform, warning): Growth rates whose base period the table does not say and its figures could not confirm; the base is guessed.
	RuleGrowthBase = "growth_base_guess"
	// RuleRecord (record, error): An observation breaks a record rule (a required field empty, a value out of range, a flow or measure unknown), or its figure cannot be stored in its Parquet column and is left out.
	RuleRecord = "record"
	// RuleSuspect (audit, error): The cell most likely wrong in a cluster of failed rules, with the value that makes them hold, or the candidates when the rules cannot tell which; a warning when every failure it explains is one.
	RuleSuspect = "suspect"
	// RuleScaleSlip (audit, error): A figure about 1000 times off its neighbours in its series (million for billion).
	RuleScaleSlip = "scale_slip"
	// RuleAuditLimit (audit, warning): Error localization stopped at its budget; the findings of the clusters left name no suspect.
	RuleAuditLimit = "audit_limit"
	// RuleLargeRevision (run, warning): A figure changed by more than the run's revision threshold since the delivery that published it before (in report.json and report.html only).
	RuleLargeRevision = "large_revision"
)
