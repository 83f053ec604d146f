package schemas

// Severities of a finding. Error-severity findings make `tradeetl run` exit 1.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Finding is one broken rule or unreadable value. Cells lists every cell the
// rule involved (the anchor cell first); SuspectCell and SuggestedValue name
// the cell most likely wrong and the value that would make the rules hold.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity string   `json:"severity"`
	File     string   `json:"file"`
	Sheet    string   `json:"sheet"`
	Cells    []string `json:"cells"`
	Message  string   `json:"message"`
	// Expected, Actual and Tolerance describe the failed comparison: the
	// published figure (Actual), what the other figures imply (Expected)
	// and how far apart rounding alone lets them be (Tolerance). They are
	// nil for findings that are not comparisons.
	Expected  *float64 `json:"expected"`
	Actual    *float64 `json:"actual"`
	Tolerance *float64 `json:"tolerance"`
	// SuspectCell is the cell that best explains the failure, or "" when
	// none stands out; SuggestedValue is the value it should hold.
	SuspectCell    string   `json:"suspect_cell"`
	SuggestedValue *float64 `json:"suggested_value"`
}

// Float returns a pointer to v, for the optional fields of Finding.
func Float(v float64) *float64 { return &v }
