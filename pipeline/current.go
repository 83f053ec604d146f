package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/vocab"
)

// current stages the current dataset (load.CurrentDir) for the inputs the
// run publishes, and the revisions between its deliveries
// (load.RevisionsPath), and the dimension tables (load.DimDir), and
// returns their files, paths relative to OUT. A run that loaded no input
// and removed none keeps the published files as they are (when the
// previous manifest lists them all, in this
// run's layout, and they are there); any other run writes them again
// from every published input's observations, so that a removed or
// replaced input leaves no row behind. The new files are scheduled for
// publication with the rest of the run.
func (r *runner) current(ctx context.Context, plans []*inputPlan, state *load.State, man *load.Manifest) ([]load.FileInfo, error) {
	out := r.cfg.OutDir
	changed := len(r.gone) > 0
	for _, p := range plans {
		if r.results[p.idx].input.Status == schemas.StatusLoaded {
			changed = true
		}
	}
	var prev []load.FileInfo
	curFiles, revFiles, dimFiles := 0, 0, 0
	for _, f := range man.Files {
		switch {
		case load.IsCurrentPath(f.Path):
			curFiles++
		case f.Path == load.RevisionsPath():
			revFiles++
		case load.IsDimPath(f.Path):
			dimFiles++
		default:
			continue
		}
		prev = append(prev, f)
	}
	if !changed && curFiles > 0 && revFiles == 1 && dimFiles == 2 && filesExist(out, prev) && layoutOf(prev) == r.cfg.Load.PartitionBy {
		r.log.Info("current dataset unchanged", "files", len(prev))
		return prev, nil
	}
	var deliveries []load.Delivery
	for _, p := range plans {
		st := state.Inputs[p.path]
		files := p.keep // an input under an unlisted directory that the state lost
		d := load.Delivery{Input: p.path}
		if st != nil {
			files = st.Files
			d.SHA256, d.ModTime, d.RunID = st.SHA256, st.ModTime, st.RunID
		}
		for _, rel := range load.ObservationFiles(files) {
			name := filepath.Join(out, filepath.FromSlash(rel))
			if st != nil && st.RunID == r.runID {
				// published by this run: still in the staging area
				staged, err := r.pub.StagePath(rel)
				if err != nil {
					return nil, err
				}
				name = staged
			}
			d.Files = append(d.Files, name)
		}
		if len(d.Files) > 0 {
			deliveries = append(deliveries, d)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	name, err := r.pub.StagePath(load.CurrentPath())
	if err != nil {
		return nil, err
	}
	sources := map[string]string{}
	for _, d := range deliveries {
		sources[d.Input] = d.SHA256
	}
	meta := load.Metadata{RunID: r.runID, Version: r.cfg.Version, RulesVersion: r.cfg.Rules.Version, LoadedAt: r.started, Sources: sources}
	files, stats, err := load.WriteCurrent(name, deliveries, meta, r.cfg.Load)
	if err != nil {
		return nil, err
	}
	for i := range files {
		files[i].Path = path.Join(load.CurrentDir, files[i].Path)
	}
	name, err = r.pub.StagePath(load.RevisionsPath())
	if err != nil {
		return nil, err
	}
	revInfo, err := load.WriteRevisions(name, stats.Revisions, meta, r.cfg.Load)
	if err != nil {
		return nil, err
	}
	revInfo.Path = load.RevisionsPath()
	dims, err := r.dims(files, meta)
	if err != nil {
		return nil, err
	}
	files = append(files, revInfo)
	files = append(files, dims...)
	for _, f := range files {
		r.pub.Publish(f.Path)
	}
	r.log.Info("current dataset", "deliveries", stats.Deliveries, "observations", stats.Read, "figures", stats.Rows,
		"superseded", stats.Superseded, "revisions", len(stats.Revisions), "duplicates", stats.Duplicates)
	return files, nil
}

// dims stages the dimension tables (load.DimDir): the areas of the
// run's area list, and the products and uncoded areas of the current
// dataset's files cur (staged, paths relative to OUT).
func (r *runner) dims(cur []load.FileInfo, meta load.Metadata) ([]load.FileInfo, error) {
	var names []string
	for _, f := range cur {
		name, err := r.pub.StagePath(f.Path)
		if err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	data, err := load.ScanDims(names)
	if err != nil {
		return nil, err
	}
	list := vocab.DefaultAreas()
	if r.cfg.Labels != nil && r.cfg.Labels.Areas != nil {
		list = r.cfg.Labels.Areas
	}
	all := list.All()
	rows := make([]load.DimArea, 0, len(all)+len(data.UnknownAreas))
	for _, ar := range all {
		row := load.DimArea{Code: ar.Code, Name: ar.Name, Kind: string(ar.Kind), Parent: ar.Parent, Within: ar.Within,
			Country: ar.Country(), M49: ar.Numeric, Alpha3: ar.Alpha3, Names: make([]string, len(schemas.DimLangs))}
		for i, l := range schemas.DimLangs {
			row.Names[i] = list.NameIn(ar, l)
		}
		rows = append(rows, row)
	}
	for _, name := range data.UnknownAreas {
		rows = append(rows, load.DimArea{Name: name, Kind: "unknown"})
	}
	var out []load.FileInfo
	name, err := r.pub.StagePath(load.DimAreasPath())
	if err != nil {
		return nil, err
	}
	info, err := load.WriteDimAreas(name, rows, meta, r.cfg.Load)
	if err != nil {
		return nil, err
	}
	info.Path = load.DimAreasPath()
	out = append(out, info)
	name, err = r.pub.StagePath(load.DimProductsPath())
	if err != nil {
		return nil, err
	}
	info, err = load.WriteDimProducts(name, data.Products, meta, r.cfg.Load)
	if err != nil {
		return nil, err
	}
	info.Path = load.DimProductsPath()
	out = append(out, info)
	r.log.Info("dimension tables", "areas", len(rows), "unknown_areas", len(data.UnknownAreas), "products", len(data.Products))
	return out, nil
}

// layoutOf returns the partitioning of the current dataset's files: year
// when they are under year=YYYY/, "" otherwise.
func layoutOf(files []load.FileInfo) string {
	for _, f := range files {
		if strings.Contains(f.Path, "/year=") {
			return load.PartitionYear
		}
	}
	return ""
}

// reportRevisions lists the revisions of the current dataset in rep
// (largest change first, at most schemas.MaxReportRevisions, the rest
// counted) and adds a warning finding large_revision for each one whose
// change exceeds the run's threshold (Config.RevisionWarn). It reads
// revisions.parquet as this run stages it, or as it is published when
// the run keeps it.
func (r *runner) reportRevisions(rep *schemas.Report) error {
	name, err := r.pub.StagePath(load.RevisionsPath())
	if err != nil {
		return err
	}
	if _, err := os.Stat(name); err != nil {
		name = filepath.Join(r.cfg.OutDir, filepath.FromSlash(load.RevisionsPath()))
		if _, err := os.Stat(name); errors.Is(err, fs.ErrNotExist) {
			return nil
		}
	}
	var revs []schemas.RevisionReport
	err = load.ReadRevisions(name, func(row load.RevisionRow) {
		revs = append(revs, schemas.RevisionReport{
			Key: row.Key, Reporter: row.Reporter, Partner: row.Partner, Flow: row.Flow, Product: row.Product,
			Period: row.Period, Measure: row.Measure, Unit: row.Unit,
			OldValue: row.OldValue, OldScale: row.OldScale, NewValue: row.NewValue, NewScale: row.NewScale,
			ChangePct: row.Percent,
			OldFile:   row.OldFile, OldCell: row.OldCell, OldRunID: row.OldRunID,
			NewFile: row.NewFile, NewCell: row.NewCell, NewRunID: row.NewRunID,
		})
	})
	if err != nil {
		return fmt.Errorf("read %s: %w", load.RevisionsPath(), err)
	}
	slices.SortStableFunc(revs, func(a, b schemas.RevisionReport) int {
		if a.ChangePct == nil || b.ChangePct == nil {
			return cmp.Compare(boolInt(a.ChangePct == nil), boolInt(b.ChangePct == nil))
		}
		return cmp.Compare(math.Abs(*b.ChangePct), math.Abs(*a.ChangePct))
	})
	warn := r.cfg.RevisionWarn
	if warn == 0 {
		warn = DefaultRevisionWarn
	}
	added := false
	for i := range revs {
		rv := &revs[i]
		rv.Text = rv.Sentence()
		if warn < 0 || rv.ChangePct == nil || math.Abs(*rv.ChangePct) <= warn {
			continue
		}
		sheet, cell := "", rv.NewCell
		if j := strings.LastIndex(cell, "!"); j >= 0 {
			sheet, cell = cell[:j], cell[j+1:]
		}
		msg := fmt.Sprintf("%s → %s, %s: %s, more than the %g%% of --revision-warn; the earlier figure is %s %s (run %s)",
			rv.Reporter, rv.Partner, rv.Product, rv.Text, warn, rv.OldFile, rv.OldCell, rv.OldRunID)
		rep.Findings = append(rep.Findings, schemas.Finding{
			Rule: schemas.RuleLargeRevision, Severity: schemas.SeverityWarning,
			File: rv.NewFile, Sheet: sheet, Cells: []string{cell}, Message: msg,
		})
		added = true
	}
	if added {
		sortFindings(rep.Findings)
	}
	if len(revs) > schemas.MaxReportRevisions {
		rep.RevisionsMore = len(revs) - schemas.MaxReportRevisions
		revs = revs[:schemas.MaxReportRevisions]
	}
	rep.Revisions = revs
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
