package schemas

// Input statuses in the run report.
const (
	StatusLoaded  = "loaded"
	StatusFailed  = "failed"
	StatusSkipped = "skipped"
)

// Report is the run summary written to OUT/report.json. Its shape is a
// contract (DESIGN.md): scripts read it.
type Report struct {
	RunID    string        `json:"run_id"`
	Version  string        `json:"version"`
	Started  string        `json:"started"`
	Finished string        `json:"finished"`
	Inputs   []InputReport `json:"inputs"`
	Outputs  []Output      `json:"outputs"`
	Findings []Finding     `json:"findings"`
}

// InputReport is the outcome for one input file.
type InputReport struct {
	Path         string `json:"path"`
	SHA256       string `json:"sha256"`
	Status       string `json:"status"`
	Error        string `json:"error,omitempty"`
	Observations int    `json:"observations"`
}

// Output is one file the run published, relative to the output directory.
type Output struct {
	Path string `json:"path"`
	Rows int64  `json:"rows"`
}
