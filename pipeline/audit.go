package pipeline

import (
	"context"
	"fmt"
	"os"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/load/auditxlsx"
	"github.com/tradeetl/tradeetl/load/htmlreport"
	"github.com/tradeetl/tradeetl/schemas"
)

// HTMLReport is the audit for people inside OutDir (see load's layout).
const HTMLReport = load.HTMLReportFile

// htmlMaxObservations caps the observations of one input that report.html
// draws (its tables and series charts); a larger input, typically a long
// table, is summarised by its findings only, so the page stays readable and
// the run's memory bounded.
const htmlMaxObservations = 20_000

// htmlMaxCleanInputs caps the inputs without findings whose tables
// report.html draws: in a run of a thousand report tables the page shows
// every input with findings in full, the first htmlMaxCleanInputs clean
// ones, and lists the rest, so that it opens quickly and is written in
// moments (each drawn input is read again).
const htmlMaxCleanInputs = 100

// stageAudit writes the annotated copy of one loaded workbook into the
// staging area when it has findings that name cells. A copy that cannot be
// written is logged and skipped: it never fails the input.
//
// The copy is made from the input file as it is now, so it is made only
// when the file is, before and after, the one the run read (was).
func (r *runner) stageAudit(ctx context.Context, p *inputPlan, was identity, findings []schemas.Finding) *load.FileInfo {
	if r.cfg.beforeAudit != nil {
		r.cfg.beforeAudit(p.path)
	}
	if !auditxlsx.Supported(p.path) || !namesCells(findings) {
		return nil
	}
	rel := load.AuditPath(p.id, p.path)
	name, err := r.pub.StagePath(rel)
	if err != nil {
		r.log.Warn("audit copy failed", "file", p.path, "error", err)
		return nil
	}
	err = unchangedSince(r.file(p.path), was)
	var res auditxlsx.Result
	if err == nil {
		res, err = auditxlsx.Write(ctx, name, r.file(p.path), findings, auditxlsx.Options{Limits: r.cfg.Limits})
	}
	if err == nil {
		err = unchangedSince(r.file(p.path), was)
	}
	if err == nil {
		if len(res.Omitted) > 0 {
			r.log.Info("audit copy leaves out zip entries that are no part of the workbook", "file", p.path, "entries", len(res.Omitted), "first", res.Omitted[0])
		}
		var info load.FileInfo
		info, err = describeFile(name, rel, false)
		info.Rows, info.Input = int64(res.Marked), p.path
		if err == nil {
			return &info
		}
	}
	r.log.Warn("audit copy failed", "file", p.path, "error", err)
	_ = os.Remove(name)
	return nil
}

func namesCells(fs []schemas.Finding) bool {
	for _, f := range fs {
		if len(f.Cells) > 0 {
			return true
		}
	}
	return false
}

// stageHTMLReport writes report.html into the staging area: every input's
// findings, and the tables and series of the inputs small enough to draw
// (read back from their Parquet files when the input was skipped).
func (r *runner) stageHTMLReport(ctx context.Context, plans []*inputPlan, rep *schemas.Report) (load.FileInfo, error) {
	var obs []schemas.Observation
	withFindings := map[string]bool{}
	for _, f := range rep.Findings {
		withFindings[f.File] = true
	}
	notes := map[string]string{}
	type readAs struct {
		id  identity
		sum string
	}
	read := map[string]readAs{}
	clean := 0
	for _, p := range plans {
		res := r.results[p.idx]
		status := res.input.Status
		if status != schemas.StatusLoaded && status != schemas.StatusSkipped || res.input.Observations == 0 {
			continue // nothing to draw
		}
		if res.input.Observations > htmlMaxObservations {
			notes[p.path] = fmt.Sprintf("%d observations: too many to draw here (its findings, if any, are listed above).", res.input.Observations)
			continue
		}
		if !withFindings[p.path] {
			if clean++; clean > htmlMaxCleanInputs {
				notes[p.path] = fmt.Sprintf("No findings. Its tables are not drawn: this run has more than %d inputs without findings, and the page draws the first %d.", htmlMaxCleanInputs, htmlMaxCleanInputs)
				continue
			}
		}
		// The tables are drawn from the input file: it must be the one
		// the figures come from, with the SHA-256 the outputs record.
		switch {
		case res.fp.id.size != 0 || res.fp.sha256 != "":
			read[p.path] = readAs{res.fp.id, res.input.SHA256}
		case p.prev != nil:
			read[p.path] = readAs{identity{size: p.prev.Size, modTime: p.prev.ModTime}, p.prev.SHA256}
		}
		if status == schemas.StatusLoaded {
			obs = append(obs, res.obs...)
			continue
		}
		for _, name := range r.observationFiles(p, res) {
			if err := load.ReadObservations(name, func(batch []schemas.Observation) error {
				obs = append(obs, batch...)
				return nil
			}); err != nil {
				r.log.Warn("report.html: observations of a skipped input unreadable; its tables are left out", "file", p.path, "error", err)
			}
		}
	}
	name, err := r.pub.StagePath(HTMLReport)
	if err != nil {
		return load.FileInfo{}, err
	}
	open := func(path string, lim extract.Limits) (extract.Workbook, error) {
		was, ok := read[path]
		if !ok {
			return nil, fmt.Errorf("%s: not an input of this run", path)
		}
		return reopen(r.file(path), was.id, was.sum, lim)
	}
	if err := htmlreport.Write(ctx, name, rep, obs, htmlreport.Options{Limits: r.cfg.Limits, Notes: notes, Open: open}); err != nil {
		return load.FileInfo{}, fmt.Errorf("write %s: %w", HTMLReport, err)
	}
	info, err := describeFile(name, HTMLReport, false)
	info.Rows = int64(len(rep.Findings))
	return info, err
}

// unchangedSince returns an error matching ErrChanged unless the file at
// path is the one the run read, unchanged.
func unchangedSince(path string, was identity) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	return changedError(was, identityOf(fi))
}
