package schemas

import (
	"strconv"
	"strings"
)

// Finding is one broken rule or unreadable value. Cells lists every cell the
// rule involved (the anchor cell first); SuspectCell and SuggestedValue name
// the cell most likely wrong and the value that would make the rules hold.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
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
	// none stands out; SuggestedValue is the value it should hold, nil when
	// the rules do not pin it down.
	SuspectCell    string   `json:"suspect_cell"`
	SuggestedValue *float64 `json:"suggested_value"`
	// Slip names the typing slip that turns SuggestedValue into the
	// published figure (one of the Slip constants), or "" when none fits.
	Slip string `json:"slip"`
	// Candidates lists the cells that could each explain the failure
	// equally well when the rules cannot tell which one is wrong; empty
	// when one cell stands out (or none does).
	Candidates []string `json:"candidates"`
}

// Locate reads one of the finding's cell references (in Cells,
// SuspectCell or Candidates) as file, sheet and cell: "C9" is a cell of the
// finding's file and sheet, "Sheet2!C9" of another sheet, and
// "[other.xlsx]Sheet2!C9" of another file (rules with scope run).
func (f *Finding) Locate(ref string) (file, sheet, cell string) {
	file, sheet, rest := f.File, f.Sheet, ref
	if strings.HasPrefix(rest, "[") {
		if i := strings.Index(rest, "]"); i > 0 {
			file, rest = rest[1:i], rest[i+1:]
		}
	}
	if j := strings.LastIndex(rest, "!"); j >= 0 {
		sheet, rest = rest[:j], rest[j+1:]
	}
	return file, sheet, rest
}

// Typing slips the audit recognises: how a figure that should read
// SuggestedValue came to read the published value.
const (
	SlipSwapped  = "digits swapped"        // 5.31 for 5.13
	SlipMistyped = "digit mistyped"        // 11.85 for 13.85
	SlipDropped  = "digit dropped"         // 11.8 for 11.28
	SlipRepeated = "digit repeated"        // 66.75 for 6.75
	SlipSign     = "sign flipped"          // -6.80 for 6.80
	SlipDecimal  = "decimal point shifted" // 126.2 for 12.62
	SlipUnit     = "unit off by 1000"      // 12080 for 12.08 (million for billion)
)

// Float returns a pointer to v, for the optional fields of Finding.
func Float(v float64) *float64 { return &v }

// FormatFigure writes one of a finding's numbers (Expected, Actual,
// Tolerance, SuggestedValue) for people: at most four decimals, trailing
// zeros dropped, "" for nil. Expected values are computed and carry more
// digits than anyone needs to read.
func FormatFigure(v *float64) string {
	if v == nil {
		return ""
	}
	s := strconv.FormatFloat(*v, 'f', 4, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}
