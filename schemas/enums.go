package schemas

import (
	"fmt"
	"slices"
	"strings"
)

// Severity is how bad a finding is: SeverityError or SeverityWarning.
// Error-severity findings make `tradeetl run` exit 1.
type Severity string

// Severities of a finding.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Severities lists every severity, the worst first.
var Severities = []Severity{SeverityError, SeverityWarning}

// Valid reports whether s is one of the severities.
func (s Severity) Valid() bool { return s == SeverityError || s == SeverityWarning }

// ParseSeverity reads a severity as rules files and flags write it.
func ParseSeverity(s string) (Severity, error) {
	if v := Severity(s); v.Valid() {
		return v, nil
	}
	return "", fmt.Errorf("unknown severity %q (want error or warning)", s)
}

// Status is the outcome of one input of a run: StatusLoaded, StatusFailed,
// StatusSkipped or StatusQuarantined.
type Status string

// Input statuses in the run report.
const (
	// StatusLoaded: read in this run; its outputs were (re)written.
	StatusLoaded Status = "loaded"
	// StatusFailed: could not be read; nothing of this delivery is
	// published (an earlier good output may be kept: OutputRunID).
	StatusFailed Status = "failed"
	// StatusSkipped: unchanged since the run that wrote its outputs
	// (OutputRunID); nothing was read or rewritten.
	StatusSkipped Status = "skipped"
	// StatusQuarantined: read, but its findings reach the severity the
	// run fails on; this delivery is not published (an earlier good
	// output may be kept: OutputRunID).
	StatusQuarantined Status = "quarantined"
)

// Statuses lists every input status, in the order summaries count them.
var Statuses = []Status{StatusLoaded, StatusSkipped, StatusQuarantined, StatusFailed}

// Valid reports whether s is one of the input statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusLoaded, StatusFailed, StatusSkipped, StatusQuarantined:
		return true
	}
	return false
}

// ParseStatus reads an input status as report.json writes it.
func ParseStatus(s string) (Status, error) {
	if v := Status(s); v.Valid() {
		return v, nil
	}
	return "", fmt.Errorf("unknown input status %q (want loaded, failed, skipped or quarantined)", s)
}

// Flow is a flow of trade, one of Flows. The Observation field that holds
// it (and the other records' flow fields) keep the type string: rule
// expressions compare them with string literals, and the expression
// engine takes a value of a named string type for unequal to every
// string. Flow reads and checks such text.
type Flow string

// Valid reports whether f is one of Flows.
func (f Flow) Valid() bool { return slices.Contains(Flows, string(f)) }

// ParseFlow reads a flow as labels files and rules write it.
func ParseFlow(s string) (Flow, error) {
	if f := Flow(s); f.Valid() {
		return f, nil
	}
	return "", fmt.Errorf("unknown flow %q (want one of %s)", s, strings.Join(Flows, ", "))
}

// Measure is what an observation's figure measures, one of Measures (a
// string field of Observation, as Flow says).
type Measure string

// Measures lists every measure.
var Measures = []string{MeasureLevel, MeasureShare, MeasureGrowth, MeasureIndex}

// Valid reports whether m is one of Measures.
func (m Measure) Valid() bool { return slices.Contains(Measures, string(m)) }

// ParseMeasure reads a measure.
func ParseMeasure(s string) (Measure, error) {
	if m := Measure(s); m.Valid() {
		return m, nil
	}
	return "", fmt.Errorf("unknown measure %q (want one of %s)", s, strings.Join(Measures, ", "))
}

// PeriodType is the kind of an observation's period, one of PeriodTypes
// (a string field of Observation, as Flow says).
type PeriodType string

// PeriodTypes lists every period type, the longest first.
var PeriodTypes = []string{PeriodYear, PeriodHalf, PeriodQuarter, PeriodMonth, PeriodCumulative}

// Valid reports whether t is one of PeriodTypes.
func (t PeriodType) Valid() bool { return slices.Contains(PeriodTypes, string(t)) }

// ParsePeriodType reads a period type.
func ParsePeriodType(s string) (PeriodType, error) {
	if t := PeriodType(s); t.Valid() {
		return t, nil
	}
	return "", fmt.Errorf("unknown period type %q (want one of %s)", s, strings.Join(PeriodTypes, ", "))
}
