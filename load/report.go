package load

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/tradeetl/tradeetl/schemas"
)

// WriteReport writes the run report to path atomically, as indented JSON
// with a trailing newline. Empty lists are written as [] rather than null,
// so that scripts can iterate them without a check.
func WriteReport(path string, r *schemas.Report) error {
	if r == nil {
		return fmt.Errorf("write %s: nil report", path)
	}
	rep := *r
	if rep.Inputs == nil {
		rep.Inputs = []schemas.InputReport{}
	}
	if rep.Outputs == nil {
		rep.Outputs = []schemas.Output{}
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
	// Encode before touching the file system: an encoding error (a NaN in
	// a finding) leaves any earlier report in place.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&rep); err != nil { // Encode ends with "\n"
		return fmt.Errorf("write %s: %w", path, err)
	}
	return WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(buf.Bytes())
		return err
	})
}
