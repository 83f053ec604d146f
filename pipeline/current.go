package pipeline

import (
	"context"
	"path"
	"path/filepath"
	"strings"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

// current stages the current dataset (load.CurrentDir) for the inputs the
// run publishes, and the revisions between its deliveries
// (load.RevisionsPath), and returns their files, paths relative to OUT.
// A run that loaded no input and removed none keeps the published files
// as they are (when the previous manifest lists both datasets, in this
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
	curFiles, revFiles := 0, 0
	for _, f := range man.Files {
		switch {
		case load.IsCurrentPath(f.Path):
			curFiles++
		case f.Path == load.RevisionsPath():
			revFiles++
		default:
			continue
		}
		prev = append(prev, f)
	}
	if !changed && curFiles > 0 && revFiles == 1 && filesExist(out, prev) && layoutOf(prev) == r.cfg.Load.PartitionBy {
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
		for _, f := range files {
			if !strings.HasPrefix(f.Path, load.ObservationsDir+"/") {
				continue
			}
			name := filepath.Join(out, filepath.FromSlash(f.Path))
			if st != nil && st.RunID == r.runID {
				// published by this run: still in the staging area
				staged, err := r.pub.StagePath(f.Path)
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
	files = append(files, revInfo)
	for _, f := range files {
		r.pub.Publish(f.Path)
	}
	r.log.Info("current dataset", "deliveries", stats.Deliveries, "observations", stats.Read, "figures", stats.Rows,
		"superseded", stats.Superseded, "revisions", len(stats.Revisions), "duplicates", stats.Duplicates)
	return files, nil
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
