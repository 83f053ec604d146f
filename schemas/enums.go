package schemas

import "fmt"

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
