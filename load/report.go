package load

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/tradeetl/tradeetl/schemas"
)

// WriteReport writes the run report to path atomically, as EncodeReport
// encodes it.
func WriteReport(path string, r *schemas.Report) error {
	if r == nil {
		return fmt.Errorf("write %s: nil report", path)
	}
	// Encode before touching the file system: an encoding error (a NaN in
	// a finding) leaves any earlier report in place.
	b, err := EncodeReport(r)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// EncodeReport encodes the run report as report.json holds it (and
// `--format json` prints it): indented JSON with a trailing newline, and
// empty lists written as [] rather than null, so that scripts can iterate
// them without a check.
func EncodeReport(r *schemas.Report) ([]byte, error) {
	rep := *r
	if rep.Inputs == nil {
		rep.Inputs = []schemas.InputReport{}
	}
	if rep.Outputs == nil {
		rep.Outputs = []schemas.Output{}
	}
	if rep.Revisions == nil {
		rep.Revisions = []schemas.RevisionReport{}
	}
	rep.Findings = make([]schemas.Finding, len(r.Findings))
	for i, f := range r.Findings {
		if f.Cells == nil {
			f.Cells = []string{}
		}
		if f.Candidates == nil {
			f.Candidates = []string{}
		}
		rep.Findings[i] = f
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&rep); err != nil { // Encode ends with "\n"
		return nil, err
	}
	return buf.Bytes(), nil
}
