package schemas

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Report is the run summary written to OUT/report.json. Its shape is a
// contract (docs/outputs.md): scripts read it.
type Report struct {
	RunID    string        `json:"run_id"`
	Version  string        `json:"version"`
	Started  string        `json:"started"`
	Finished string        `json:"finished"`
	Inputs   []InputReport `json:"inputs"`
	Outputs  []Output      `json:"outputs"`
	Findings []Finding     `json:"findings"`
	// Revisions are the figures a later delivery changed (as
	// revisions/revisions.parquet holds them), largest change first, at
	// most MaxReportRevisions; RevisionsMore counts the rest.
	Revisions     []RevisionReport `json:"revisions"`
	RevisionsMore int              `json:"revisions_more"`
}

// MaxReportRevisions caps the revisions report.json lists; every one is in
// revisions/revisions.parquet.
const MaxReportRevisions = 1000

// RevisionReport is a revision as report.json lists it: the figure's key
// labels, its old and new value (each in unit × its scale), the change in
// percent, and where the two figures are.
type RevisionReport struct {
	Key       string   `json:"figure_key"`
	Reporter  string   `json:"reporter"`
	Partner   string   `json:"partner"`
	Flow      string   `json:"flow"`
	Product   string   `json:"product"`
	Period    string   `json:"time_period"`
	Measure   string   `json:"measure"`
	Unit      string   `json:"unit"`
	OldValue  *float64 `json:"old_value"`
	OldScale  float64  `json:"old_scale"`
	NewValue  *float64 `json:"new_value"`
	NewScale  float64  `json:"new_scale"`
	ChangePct *float64 `json:"change_pct"`
	OldFile   string   `json:"old_file"`
	OldCell   string   `json:"old_cell"`
	OldRunID  string   `json:"old_run_id"`
	NewFile   string   `json:"new_file"`
	NewCell   string   `json:"new_cell"`
	NewRunID  string   `json:"new_run_id"`
	// Text says it in words: "2012 imports revised from 11.9 to 12.4
	// (+4.2%)".
	Text string `json:"text"`
}

// Sentence returns the revision in words, e.g. "2012 imports revised
// from 11.9 to 12.4 (+4.2%)": the period, the flow (with the measure
// when it is not a level), the two values and the change.
func (r *RevisionReport) Sentence() string {
	what := r.Flow
	if r.Measure != "" && r.Measure != MeasureLevel {
		what = r.Flow + " " + r.Measure
	}
	old, neu := r.OldValue, r.NewValue
	if old != nil && neu != nil && r.OldScale != r.NewScale && r.OldScale > 0 && r.NewScale > 0 {
		// in the later figure's scale
		v := *old * r.OldScale / r.NewScale
		old = &v
	}
	s := strings.TrimSpace(r.Period+" "+what) + " revised from " + revValue(old) + " to " + revValue(neu)
	if c := r.Change(); c != "" {
		s += " (" + c + ")"
	}
	return s
}

// Change returns the change in percent as "+4.2%", or "" when there is
// none (a figure that became or was missing, or an old value of 0).
func (r *RevisionReport) Change() string {
	if r.ChangePct == nil {
		return ""
	}
	return fmt.Sprintf("%+.1f%%", *r.ChangePct)
}

func revValue(v *float64) string {
	if v == nil {
		return "missing"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// InputReport is the outcome for one input file.
type InputReport struct {
	Path         string `json:"path"`
	SHA256       string `json:"sha256"`
	Status       Status `json:"status"`
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
