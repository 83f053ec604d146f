package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

// newPublisher returns the runner of a publication: no inputs of its own.
func newPublisher(cfg Config) (*runner, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	if err := load.CheckRunID(cfg.RunID); err != nil {
		return nil, err
	}
	fo := cfg.FailOn
	if err := fo.check(); err != nil {
		return nil, err
	}
	r := &runner{cfg: cfg, runID: cfg.RunID, started: cfg.Now().UTC(), failOn: fo,
		progress: cfg.Progress, log: cfg.Logger}
	r.perInput, r.runRules = cfg.Rules.ByScope()
	return r, nil
}

// publishShards publishes the run from its shards (see Publish). auto is
// true when the last shard publishes: then another process publishing the
// same run (the lock names it) is no error.
func (r *runner) publishShards(ctx context.Context, auto bool) (*schemas.Report, error) {
	lock, err := r.lockOutput(ctx)
	if err != nil {
		var le *load.LockedError
		if auto && errors.As(err, &le) && le.Holder != nil && le.Holder.RunID == r.runID {
			r.log.Info("another shard is publishing the run", "run_id", r.runID, "pid", le.Holder.PID, "host", le.Holder.Host)
			return nil, ErrPublished
		}
		return nil, err
	}
	defer lock.Release()
	if r.published() {
		r.log.Info("run already published", "run_id", r.runID)
		r.cleanShards(false)
		return nil, fmt.Errorf("%w: %s", ErrPublished, r.runID)
	}
	recs, err := r.readShards()
	if err != nil {
		return nil, err
	}
	state, man := r.readPublished()
	config := r.configFingerprint()
	serr := &ShardsError{RunID: r.runID, Shards: len(recs)}
	if recs[0].Base != state.RunID {
		serr.Mismatch = append(serr.Mismatch, fmt.Sprintf("the shards read the inputs against the output of run %q, but run %q has been published since: run every shard again", recs[0].Base, state.RunID))
	}
	if recs[0].Config != config {
		serr.Mismatch = append(serr.Mismatch, "the shards ran with other output options (version, rules, labels, layouts, compression, row groups, --fail-on, partitioning or encoding) than this publication: give it the shards' options")
	}
	if len(serr.Mismatch) > 0 {
		return nil, serr
	}
	plans, byPath, err := r.shardPlans(recs)
	if err != nil {
		return nil, err
	}
	plans, _, err = r.prepare(plans, state, man, func(*inputPlan) bool { return false })
	if err != nil {
		return nil, err
	}
	pub, err := load.NewPublication(r.cfg.OutDir, r.runID)
	if err != nil {
		return nil, &OutputError{Err: err}
	}
	defer pub.Abort()
	r.pub = pub
	if err := r.adopt(plans, byPath); err != nil {
		return nil, err
	}
	for _, rec := range recs {
		if rec.Started.Before(r.started) {
			r.started = rec.Started
		}
	}
	rep, err := r.publish(ctx, plans, state, man)
	if err != nil {
		return nil, outputError(err)
	}
	r.cleanShards(true)
	return rep, nil
}

// readShards reads the records of every shard of the run and checks that
// they complete it.
func (r *runner) readShards() ([]*shardRecord, error) {
	runDir := filepath.Join(r.cfg.OutDir, filepath.FromSlash(load.ShardRunDir(r.runID)))
	entries, err := os.ReadDir(runDir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, &OutputError{Err: fmt.Errorf("read the shards of run %s: %w", r.runID, err)}
	}
	serr := &ShardsError{RunID: r.runID, Failed: map[int]string{}}
	markers := map[int]*shardMarker{}
	counts := map[int]bool{}
	for _, e := range entries {
		i, err := strconv.Atoi(e.Name())
		if err != nil || !e.IsDir() || strconv.Itoa(i) != e.Name() {
			continue
		}
		dir := filepath.Join(runDir, e.Name())
		var m shardMarker
		if err := readJSONFile(filepath.Join(dir, load.ShardCompleteFile), &m); err == nil {
			markers[i] = &m
			counts[m.Shards] = true
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			serr.Failed[i] = fmt.Sprintf("unreadable completion marker: %v", err)
			continue
		}
		var f failedMarker
		if err := readJSONFile(filepath.Join(dir, load.ShardFailedFile), &f); err == nil {
			serr.Failed[i] = f.Error
			counts[f.Shards] = true
		}
	}
	if len(counts) != 1 {
		if len(counts) > 1 {
			serr.Mismatch = append(serr.Mismatch, fmt.Sprintf("its shards disagree on the number of shards (%s)", joinInts(slices.Sorted(maps.Keys(counts)))))
		}
		return nil, serr
	}
	for n := range counts {
		serr.Shards = n
	}
	for i := range serr.Shards {
		if markers[i] == nil && serr.Failed[i] == "" {
			serr.Missing = append(serr.Missing, i)
		}
	}
	for i := range serr.Failed {
		if i >= serr.Shards {
			delete(serr.Failed, i)
		}
	}
	if len(serr.Missing) > 0 || len(serr.Failed) > 0 {
		return nil, serr
	}
	recs := make([]*shardRecord, serr.Shards)
	for i := range recs {
		m := markers[i]
		dir := filepath.Join(runDir, strconv.Itoa(i))
		b, err := os.ReadFile(filepath.Join(dir, load.ShardResultsFile))
		if err != nil {
			serr.Failed[i] = fmt.Sprintf("results unreadable: %v", err)
			continue
		}
		if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != m.Results {
			serr.Failed[i] = "results.json does not match its completion marker"
			continue
		}
		var rec shardRecord
		if err := json.Unmarshal(b, &rec); err != nil {
			serr.Failed[i] = fmt.Sprintf("results unreadable: %v", err)
			continue
		}
		if rec.Version != shardVersion || rec.RunID != r.runID || rec.Shard != i || rec.Shards != serr.Shards {
			serr.Failed[i] = fmt.Sprintf("results of another run or shard (version %d, run %q, shard %d/%d)", rec.Version, rec.RunID, rec.Shard, rec.Shards)
			continue
		}
		recs[i] = &rec
	}
	if len(serr.Failed) > 0 {
		return nil, serr
	}
	for _, rec := range recs[1:] {
		switch {
		case rec.Config != recs[0].Config:
			serr.Mismatch = append(serr.Mismatch, fmt.Sprintf("shards 0 and %d ran with other output options", rec.Shard))
		case rec.Base != recs[0].Base:
			serr.Mismatch = append(serr.Mismatch, fmt.Sprintf("shards 0 and %d read against different published runs (%q, %q): run every shard again", rec.Shard, recs[0].Base, rec.Base))
		case rec.Inputs != recs[0].Inputs:
			serr.Mismatch = append(serr.Mismatch, fmt.Sprintf("shards 0 and %d found different inputs: give every shard the same inputs", rec.Shard))
		}
	}
	if len(serr.Mismatch) > 0 {
		return nil, serr
	}
	return recs, nil
}

// shardInput is the record of an input, and the shard it is from.
type shardInput struct {
	rec   *inputRecord
	shard int
}

// shardPlans returns the plans of the run the shards ran: their inputs,
// and the directories they could not list; and each input's record by
// path.
func (r *runner) shardPlans(recs []*shardRecord) ([]*inputPlan, map[string]shardInput, error) {
	var plans []*inputPlan
	byPath := map[string]shardInput{}
	r.unlisted = nil
	for _, rec := range recs {
		for _, f := range rec.Files {
			p := string(f)
			if ShardOf(p, rec.Shards) != rec.Shard {
				return nil, nil, &ShardsError{RunID: r.runID, Shards: rec.Shards, Mismatch: []string{fmt.Sprintf("shard %d read %s, an input of shard %d", rec.Shard, p, ShardOf(p, rec.Shards))}}
			}
			plans = append(plans, &inputPlan{path: p})
		}
		for i := range rec.Results {
			in := &rec.Results[i]
			byPath[in.Input.Path] = shardInput{in, rec.Shard}
		}
	}
	for _, u := range recs[0].Unlisted {
		r.unlisted = append(r.unlisted, Unlisted{Path: string(u.Path), Err: errors.New(u.Error)})
		plans = append(plans, &inputPlan{path: string(u.Path), unlisted: errors.New(u.Error)})
	}
	if got := inputsDigest(r.index(slices.Clone(plans))); got != recs[0].Inputs {
		return nil, nil, &ShardsError{RunID: r.runID, Shards: len(recs), Mismatch: []string{"the inputs of the shards together are not those each shard found"}}
	}
	return plans, byPath, nil
}

// adopt takes each input's result from its shard's record, and stages its
// files for publication.
func (r *runner) adopt(plans []*inputPlan, byPath map[string]shardInput) error {
	for _, p := range plans {
		if r.results[p.idx] != nil {
			continue // not read: decided here
		}
		in, ok := byPath[p.path]
		if !ok {
			return &ShardsError{RunID: r.runID, Mismatch: []string{fmt.Sprintf("no shard has a result for %s", p.path)}}
		}
		res, err := in.rec.result(filepath.Join(r.cfg.OutDir, filepath.FromSlash(load.ShardDir(r.runID, in.shard))))
		if err != nil {
			return &ShardsError{RunID: r.runID, Failed: map[int]string{in.shard: err.Error()}}
		}
		if res.input.ID != "" && res.input.ID != p.id {
			return &ShardsError{RunID: r.runID, Mismatch: []string{fmt.Sprintf("the result of %s names output %s, not %s", p.path, res.input.ID, p.id)}}
		}
		dir := load.ShardFilesDir(r.runID, in.shard)
		for _, f := range res.staged {
			name := filepath.Join(r.cfg.OutDir, filepath.FromSlash(path.Join(dir, f.Path)))
			if err := r.pub.Adopt(f.Path, name); err != nil {
				return &OutputError{Err: fmt.Errorf("the staged output of %s: %w", p.path, err)}
			}
		}
		r.results[p.idx] = res
		r.logInput(res, nil)
		r.progress.Done(res.input)
	}
	return nil
}

// cleanShards removes the staging of the run's shards, leaving (when the
// run was just published) the marker that says it is published, and the
// staging of other runs older than Config.ShardTTL. It is called with
// the lock of OUT held; what it cannot remove is logged.
func (r *runner) cleanShards(published bool) {
	root := filepath.Join(r.cfg.OutDir, load.ShardsDir)
	runDir := filepath.Join(r.cfg.OutDir, filepath.FromSlash(load.ShardRunDir(r.runID)))
	if published {
		b, _ := json.MarshalIndent(struct {
			RunID     string    `json:"run_id"`
			Published time.Time `json:"published"`
		}{r.runID, r.cfg.Now().UTC()}, "", "  ")
		if err := writeJSONFile(filepath.Join(runDir, load.ShardPublishedFile), append(b, '\n')); err != nil {
			r.log.Warn("cannot mark the run published in its shard staging", "error", err)
		}
	}
	if entries, err := os.ReadDir(runDir); err == nil {
		for _, e := range entries {
			if e.Name() == load.ShardPublishedFile {
				continue
			}
			if err := os.RemoveAll(filepath.Join(runDir, e.Name())); err != nil {
				r.log.Warn("cannot remove shard staging", "dir", filepath.Join(runDir, e.Name()), "error", err)
			}
		}
	}
	ttl := r.cfg.ShardTTL
	if ttl <= 0 {
		ttl = DefaultShardTTL
	}
	runs, err := os.ReadDir(root)
	if err != nil {
		return
	}
	now := r.cfg.Now()
	for _, e := range runs {
		if e.Name() == r.runID || !e.IsDir() {
			continue
		}
		dir := filepath.Join(root, e.Name())
		if newest(dir).After(now.Add(-ttl)) {
			continue
		}
		r.log.Info("removing the stale staging of a sharded run", "run_id", e.Name())
		if err := os.RemoveAll(dir); err != nil {
			r.log.Warn("cannot remove stale shard staging", "dir", dir, "error", err)
		}
	}
}

// newest returns the latest modification time of dir and what is
// directly in it and in its subdirectories one level down (the shards and
// their markers).
func newest(dir string) time.Time {
	var t time.Time
	note := func(name string) {
		if fi, err := os.Lstat(name); err == nil && fi.ModTime().After(t) {
			t = fi.ModTime()
		}
	}
	note(dir)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		name := filepath.Join(dir, e.Name())
		note(name)
		if e.IsDir() {
			sub, _ := os.ReadDir(name)
			for _, s := range sub {
				note(filepath.Join(name, s.Name()))
			}
		}
	}
	return t
}
