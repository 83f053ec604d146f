package pipeline

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/tradeetl/tradeetl/load/auditxlsx"
	"github.com/tradeetl/tradeetl/load/htmlreport"
	"github.com/tradeetl/tradeetl/schemas"
)

// Audit artefacts inside OutDir.
const (
	AuditDir   = "audit"       // annotated copies of the source workbooks
	HTMLReport = "report.html" // the audit for people
)

// publishAudit writes the audit artefacts for people: an annotated copy of
// every loaded workbook with findings (OUT/audit/<input>.audit.xlsx) and
// OUT/report.html. A workbook that cannot be annotated is logged and
// skipped; it does not fail the run.
func publishAudit(ctx context.Context, cfg Config, rep *schemas.Report, obs []schemas.Observation) error {
	withFindings := map[string]int{}
	for _, f := range rep.Findings {
		withFindings[f.File]++
	}
	used := map[string]bool{}
	for _, in := range rep.Inputs {
		if in.Status != schemas.StatusLoaded || withFindings[in.Path] == 0 || !auditxlsx.Supported(in.Path) {
			continue
		}
		name := auditxlsx.FileName(in.Path)
		if used[name] { // two inputs with the same base name
			ext := filepath.Ext(name)
			name = strings.TrimSuffix(name, ext) + "-" + in.SHA256[:8] + ext
		}
		used[name] = true
		rel := filepath.Join(AuditDir, name)
		if _, err := auditxlsx.Write(filepath.Join(cfg.OutDir, rel), in.Path, rep.Findings); err != nil {
			cfg.Logger.Warn("audit copy failed", "file", in.Path, "error", err)
			continue
		}
		rep.Outputs = append(rep.Outputs, schemas.Output{Path: filepath.ToSlash(rel), Rows: int64(withFindings[in.Path])})
	}
	if err := htmlreport.Write(ctx, filepath.Join(cfg.OutDir, HTMLReport), rep, obs, htmlreport.Options{Limits: cfg.Limits}); err != nil {
		return fmt.Errorf("write %s: %w", HTMLReport, err)
	}
	rep.Outputs = append(rep.Outputs, schemas.Output{Path: HTMLReport, Rows: int64(len(rep.Findings))})
	return nil
}
