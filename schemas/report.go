package schemas

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Input statuses in the run report.
const (
	// StatusLoaded: read in this run; its outputs were (re)written.
	StatusLoaded = "loaded"
	// StatusFailed: could not be read; nothing of this delivery is
	// published (an earlier good output may be kept: OutputRunID).
	StatusFailed = "failed"
	// StatusSkipped: unchanged since the run that wrote its outputs
	// (OutputRunID); nothing was read or rewritten.
	StatusSkipped = "skipped"
	// StatusQuarantined: read, but its findings reach the --fail-on
	// severity; this delivery is not published (an earlier good output
	// may be kept: OutputRunID).
	StatusQuarantined = "quarantined"
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
	// ID names the input's output files (observations/ID.parquet,
	// findings/ID.parquet); empty when no output directory is written.
	ID string `json:"id,omitempty"`
	// OutputRunID is the run that wrote the input's published output: this
	// run when loaded, an earlier one when skipped or when a failed or
	// quarantined delivery keeps its last good output; empty when nothing
	// of the input is published.
	OutputRunID string `json:"output_run_id,omitempty"`
	// PathHex holds the bytes of Path in hex when they are not valid
	// UTF-8 (a file name in another encoding): JSON cannot hold them, so
	// path shows U+FFFD for each such byte, as the file column of the
	// Parquet outputs does. Reading the JSON back restores Path.
	PathHex string `json:"path_hex,omitempty"`
}

// MarshalJSON writes a Path that is not valid UTF-8 as path_hex, and the
// path with U+FFFD for its invalid bytes.
func (in InputReport) MarshalJSON() ([]byte, error) {
	type plain InputReport
	if !utf8.ValidString(in.Path) {
		in.PathHex = hex.EncodeToString([]byte(in.Path))
		in.Path = ValidUTF8(in.Path)
	}
	return json.Marshal(plain(in))
}

// UnmarshalJSON restores Path from path_hex.
func (in *InputReport) UnmarshalJSON(b []byte) error {
	type plain InputReport
	var r plain
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	if r.PathHex != "" {
		p, err := hex.DecodeString(r.PathHex)
		if err != nil {
			return fmt.Errorf("input %q: path_hex: %w", r.Path, err)
		}
		r.Path, r.PathHex = string(p), ""
	}
	*in = InputReport(r)
	return nil
}

// Output is one file the run published, relative to the output directory.
type Output struct {
	Path string `json:"path"`
	Rows int64  `json:"rows"`
	// RunID is the run that wrote the file: this one, or an earlier one
	// for the files of skipped and quarantined inputs.
	RunID string `json:"run_id,omitempty"`
}
