package pipeline

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

// A sharded run splits the inputs of one run between processes (the pods
// of a Kubernetes Indexed Job): each shard reads the inputs that fall to
// it (ShardOf) and stages what they give under
// OUT/.shards/RUN_ID/I/ (see load.ShardDir), without touching the
// published output; the publication then checks that every shard
// completed, checks the run-scope rules over all of them and publishes
// the run once, through the same steps as a run of one process. The last
// shard to complete publishes (RunShard); Publish does it on demand.

// Shard is one part of a sharded run: shard Index (0-based) of Count.
type Shard struct {
	Index, Count int
}

// ParseShard reads a shard as "I/N": shard I (0 <= I < N) of N.
func ParseShard(s string) (Shard, error) {
	i, n, ok := strings.Cut(s, "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: want I/N, e.g. 0/4", s)
	}
	var sh Shard
	var err1, err2 error
	sh.Index, err1 = strconv.Atoi(strings.TrimSpace(i))
	sh.Count, err2 = strconv.Atoi(strings.TrimSpace(n))
	if err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("shard %q: want I/N, e.g. 0/4", s)
	}
	return sh, sh.check()
}

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

func (s Shard) check() error {
	if s.Count < 1 || s.Count > MaxShards || s.Index < 0 || s.Index >= s.Count {
		return fmt.Errorf("shard %d/%d: want I/N with 0 <= I < N <= %d", s.Index, s.Count, MaxShards)
	}
	return nil
}

// MaxShards bounds the shards of a run.
const MaxShards = 10000

// ShardOf returns the shard, among n, of the input the run names name
// (the path it is given or found under, the key of state.json): the first
// 8 bytes of the SHA-256 of the path (cleaned, forward slashes) as a
// big-endian number, modulo n. It depends on nothing else, so every
// process, on every machine, in every run, assigns an input the same
// shard.
func ShardOf(name string, n int) int {
	sum := sha256.Sum256([]byte(filepath.ToSlash(filepath.Clean(name))))
	return int(binary.BigEndian.Uint64(sum[:8]) % uint64(n))
}

// DefaultShardTTL is the default Config.ShardTTL: the staging of a
// sharded run that was never published is removed after a week.
const DefaultShardTTL = 7 * 24 * time.Hour

// ErrPublished is matched (errors.Is) by the error of publishing a run
// that is already published: there is nothing to do.
var ErrPublished = errors.New("run already published")

// ErrShards is matched (errors.Is) by a *ShardsError.
var ErrShards = errors.New("the shards of the run cannot be published")

// ShardsError says why the shards of a run cannot be published: some
// are missing (not run yet, still running, or killed), some failed, or
// they do not belong together. Nothing is published.
type ShardsError struct {
	RunID   string
	Shards  int            // the shards of the run; 0 when no shard says
	Missing []int          // shards without a completion marker
	Failed  map[int]string // shards that stopped with an error, and the error
	// Mismatch says why completed shards do not make one run (another
	// shard count, other options, other inputs, another published state).
	Mismatch []string
}

func (e *ShardsError) Error() string {
	var parts []string
	if len(e.Missing) > 0 {
		parts = append(parts, fmt.Sprintf("shards %s of %d missing (not run, still running, or killed)", joinInts(e.Missing), e.Shards))
	}
	for _, i := range slices.Sorted(mapsKeys(e.Failed)) {
		parts = append(parts, fmt.Sprintf("shard %d/%d failed: %s", i, e.Shards, e.Failed[i]))
	}
	parts = append(parts, e.Mismatch...)
	if e.Shards == 0 && len(parts) == 0 {
		parts = append(parts, "no shard of it has completed")
	}
	return fmt.Sprintf("run %s cannot be published: %s; nothing was published (run the missing or failed shards again)", e.RunID, strings.Join(parts, "; "))
}

// Is makes errors.Is(err, ErrShards) hold.
func (e *ShardsError) Is(target error) bool { return target == ErrShards }

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

func mapsKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// ShardResult is what RunShard did.
type ShardResult struct {
	RunID string
	Shard Shard
	// Inputs are the inputs of this shard, as the run report lists them.
	Inputs []schemas.InputReport
	// Findings counts the findings of the shard's inputs.
	Findings int
	// Waiting lists the shards not yet complete when this one was: the
	// last of them to complete publishes the run.
	Waiting []int
	// Report is the run's report when this shard published it.
	Report *schemas.Report
	// Published is true when the run was already published (by another
	// shard, or before this attempt): nothing was done.
	Published bool
}

// RunShard runs shard sh of the run cfg.RunID (required, shared by every
// shard): it finds every input of cfg.Inputs and plans the run as Run does,
// but reads only the inputs ShardOf gives to sh, and stages their results
// under OUT/.shards/RUN_ID/I/ (load.ShardDir) instead of publishing them.
// An earlier attempt at the shard is replaced. When every shard has
// completed, it publishes the run (see Publish), so the last shard to
// complete publishes. A run already published is not run again.
//
// It returns an error when the shard could not be completed (it then
// leaves a failure marker that Publish reports), or when it was the last
// and publishing failed: the shard's work is kept, and Publish retries.
func RunShard(ctx context.Context, cfg Config, sh Shard) (*ShardResult, error) {
	if err := sh.check(); err != nil {
		return nil, err
	}
	if cfg.RunID == "" {
		return nil, errors.New("a sharded run needs a run id shared by its shards")
	}
	if cfg.OutDir == "" {
		return nil, errors.New("a sharded run needs an output directory")
	}
	r, plans, err := newRunner(cfg)
	if err != nil {
		return nil, err
	}
	res := &ShardResult{RunID: r.runID, Shard: sh}
	if r.published() {
		r.log.Info("run already published; shard not run", "run_id", r.runID, "shard", sh.String())
		res.Published = true
		return res, nil
	}
	lock, err := r.lockShard(ctx, sh)
	if err != nil {
		return nil, err
	}
	rec, err := r.runShard(ctx, plans, sh)
	lock.Release()
	if err != nil {
		if werr := r.markFailed(sh, err); werr != nil {
			r.log.Warn("cannot record the failure of the shard", "shard", sh.String(), "error", werr)
		}
		return nil, err
	}
	for _, in := range rec.Results {
		res.Inputs = append(res.Inputs, in.Input)
		res.Findings += len(in.Findings)
	}
	res.Waiting = MissingShards(r.cfg.OutDir, r.runID, sh.Count)
	if len(res.Waiting) > 0 {
		r.log.Info("shard complete; waiting for the others", "run_id", r.runID, "shard", sh.String(), "waiting", joinInts(res.Waiting))
		return res, nil
	}
	p, err := newPublisher(r.cfg)
	if err != nil {
		return res, err
	}
	rep, err := p.publishShards(ctx, true)
	switch {
	case errors.Is(err, ErrPublished):
		res.Published = true
		return res, nil
	case err != nil:
		return res, err
	}
	res.Report = rep
	return res, nil
}

// Publish publishes the sharded run cfg.RunID from the staging its shards
// left in cfg.OutDir: it checks that every shard completed, for the same
// shard count, options (the fingerprint of Config's output options: give
// it those of the shards) and inputs, against the state still published;
// then it takes the results of every input from its shard and publishes
// them with the same steps as Run, under the lock of OUT: exactly what
// one process reading every input would have published. The shards'
// staging is then removed, and so is that of other runs older than
// Config.ShardTTL. cfg.Inputs is not used.
//
// It returns an error matching ErrPublished when the run is already
// published (nothing to do), a *ShardsError when a shard is missing or
// failed (nothing is published), and otherwise the errors of Run.
func Publish(ctx context.Context, cfg Config) (*schemas.Report, error) {
	if cfg.RunID == "" {
		return nil, errors.New("publish: which run? (a run id is needed)")
	}
	if cfg.OutDir == "" {
		return nil, errors.New("publish: an output directory is needed")
	}
	r, err := newPublisher(cfg)
	if err != nil {
		return nil, err
	}
	return r.publishShards(ctx, false)
}

// published reports whether the run is published: its shards' staging
// says so, or manifest.json names it.
func (r *runner) published() bool {
	out := r.cfg.OutDir
	if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(load.ShardRunDir(r.runID)), load.ShardPublishedFile)); err == nil {
		return true
	}
	man, err := load.ReadManifest(out)
	return err == nil && man.RunID == r.runID
}

// lockShard takes the lock of one shard, so that two attempts at it never
// work at once.
func (r *runner) lockShard(ctx context.Context, sh Shard) (*load.Lock, error) {
	dir := filepath.Join(r.cfg.OutDir, filepath.FromSlash(load.ShardRunDir(r.runID)))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, &OutputError{Err: fmt.Errorf("create shard staging: %w", err)}
	}
	host, _ := os.Hostname()
	name := filepath.Join(r.cfg.OutDir, filepath.FromSlash(load.ShardLockPath(r.runID, sh.Index)))
	lock, _, err := load.AcquireLockFile(ctx, name, load.LockHolder{PID: os.Getpid(), Host: host, RunID: r.runID, Started: r.started}, r.cfg.Wait)
	if err != nil {
		if errors.Is(err, load.ErrLocked) {
			return nil, fmt.Errorf("shard %s of run %s: another attempt at it is running: %w", sh, r.runID, err)
		}
		return nil, outputError(err)
	}
	return lock, nil
}

// runShard reads the inputs of shard sh and stages their results.
func (r *runner) runShard(ctx context.Context, plans []*inputPlan, sh Shard) (*shardRecord, error) {
	out := r.cfg.OutDir
	dir := filepath.Join(out, filepath.FromSlash(load.ShardDir(r.runID, sh.Index)))
	if err := os.RemoveAll(dir); err != nil { // an earlier attempt
		return nil, &OutputError{Err: fmt.Errorf("replace the staging of shard %s: %w", sh, err)}
	}
	state, man := r.readPublished()
	mine := func(p *inputPlan) bool { return ShardOf(p.path, sh.Count) == sh.Index }
	plans, todo, err := r.prepare(plans, state, man, mine)
	if err != nil {
		return nil, err
	}
	pub, err := load.NewShardStage(out, r.runID, sh.Index)
	if err != nil {
		return nil, &OutputError{Err: err}
	}
	r.pub = pub
	done := false
	defer func() {
		if !done {
			pub.Abort()
		}
	}()
	if err := r.process(ctx, todo); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rec, err := r.shardRecord(dir, plans, state, sh, mine)
	if err != nil {
		return nil, outputError(err)
	}
	if err := writeShard(dir, rec, r.cfg.Now().UTC()); err != nil {
		return nil, outputError(err)
	}
	done = true
	return rec, nil
}

// shardVersion is the version of the shard records; a publication refuses
// others.
const shardVersion = 1

// shardRecord is what a shard staged: results.json. Its files are under
// files/, at their paths in OUT.
type shardRecord struct {
	Version int    `json:"version"`
	RunID   string `json:"run_id"`
	Shard   int    `json:"shard"`
	Shards  int    `json:"shards"`
	// Config is the fingerprint of the options that shape the output.
	Config string `json:"config"`
	// Base is the run whose state.json the shard planned against ("" when
	// none was published): the inputs it skipped are unchanged since then.
	Base string `json:"base_run_id"`
	// Inputs is the SHA-256 of the paths of every input of the run (every
	// shard's): the shards of one run found the same inputs.
	Inputs  string    `json:"inputs"`
	Started time.Time `json:"started"`
	// Files are the inputs of this shard; Unlisted the directories of the
	// run that could not be listed (every shard lists them all).
	Files    []safeString     `json:"files"`
	Unlisted []unlistedRecord `json:"unlisted"`
	Results  []inputRecord    `json:"results"`
}

type unlistedRecord struct {
	Path  safeString `json:"path"`
	Error string     `json:"error"`
}

// inputRecord is the result of one input of a shard: its line of the
// report, its findings, and what its entry of state.json needs.
type inputRecord struct {
	Input    schemas.InputReport `json:"input"`
	Size     int64               `json:"size"`
	ModTime  time.Time           `json:"mod_time"`
	SHA256   string              `json:"sha256"`
	HashedAt time.Time           `json:"hashed_at"`
	// The identity of the file read (see identity); zero when it was not
	// opened.
	Ctime    time.Time       `json:"ctime"`
	Dev      uint64          `json:"dev"`
	Ino      uint64          `json:"ino"`
	Findings []findingRecord `json:"findings"`
	Errors   int             `json:"errors"`
	Warnings int             `json:"warnings"`
	// Staged are the files staged for the input (under files/), paths
	// relative to OUT.
	Staged []load.FileInfo `json:"staged"`
	// Drawn is the file, relative to the shard's directory, of the
	// observations report.html draws of the input, in the order they
	// were read (gob); empty when it draws none.
	Drawn string `json:"drawn,omitempty"`
}

// shardMarker is complete.json, written last: the shard is complete. It
// repeats what a publication checks before reading results.json, and the
// SHA-256 of results.json.
type shardMarker struct {
	Version  int         `json:"version"`
	RunID    string      `json:"run_id"`
	Shard    int         `json:"shard"`
	Shards   int         `json:"shards"`
	Config   string      `json:"config"`
	Base     string      `json:"base_run_id"`
	Inputs   string      `json:"inputs"`
	Started  time.Time   `json:"started"`
	Finished time.Time   `json:"finished"`
	Results  string      `json:"results_sha256"`
	Counts   shardCounts `json:"counts"`
}

type shardCounts struct {
	Inputs       int `json:"inputs"`
	Loaded       int `json:"loaded"`
	Skipped      int `json:"skipped"`
	Failed       int `json:"failed"`
	Quarantined  int `json:"quarantined"`
	Observations int `json:"observations"`
	Findings     int `json:"findings"`
}

// failedMarker is failed.json: the shard stopped with an error.
type failedMarker struct {
	RunID    string    `json:"run_id"`
	Shard    int       `json:"shard"`
	Shards   int       `json:"shards"`
	Error    string    `json:"error"`
	Finished time.Time `json:"finished"`
}

// shardRecord records the results of the plans of shard sh, writing the
// observations report.html draws into dir.
func (r *runner) shardRecord(dir string, plans []*inputPlan, state *load.State, sh Shard, mine func(*inputPlan) bool) (*shardRecord, error) {
	rec := &shardRecord{
		Version: shardVersion, RunID: r.runID, Shard: sh.Index, Shards: sh.Count, Config: r.config,
		Base: state.RunID, Inputs: inputsDigest(plans), Started: r.started,
		Files: []safeString{}, Unlisted: []unlistedRecord{}, Results: []inputRecord{},
	}
	for _, p := range plans {
		switch {
		case p.unlisted != nil:
			rec.Unlisted = append(rec.Unlisted, unlistedRecord{Path: safeString(p.path), Error: p.unlisted.Error()})
		case p.notListed != "" || !mine(p):
		default:
			rec.Files = append(rec.Files, safeString(p.path))
			res := r.results[p.idx]
			in := inputRecord{
				Input: res.input, Size: res.fp.size, ModTime: res.fp.modTime, SHA256: res.fp.sha256, HashedAt: res.fp.hashedAt,
				Ctime: res.fp.id.ctime, Dev: res.fp.id.dev, Ino: res.fp.id.ino,
				Errors: res.errors, Warnings: res.warnings, Staged: res.staged,
			}
			for _, f := range res.findings {
				in.Findings = append(in.Findings, newFindingRecord(f))
			}
			if res.obs != nil {
				in.Drawn = path.Join("drawn", p.id+".gob")
				if err := writeDrawn(filepath.Join(dir, filepath.FromSlash(in.Drawn)), res.obs); err != nil {
					return nil, err
				}
			}
			rec.Results = append(rec.Results, in)
		}
	}
	return rec, nil
}

// writeDrawn writes the observations report.html draws of an input: gob
// keeps them exactly, and in their order (the Parquet file is sorted).
func writeDrawn(name string, obs []schemas.Observation) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return load.WriteFileAtomic(name, func(w io.Writer) error { return gob.NewEncoder(w).Encode(obs) })
}

func readDrawn(name string) ([]schemas.Observation, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var obs []schemas.Observation
	if err := gob.NewDecoder(bufio.NewReader(f)).Decode(&obs); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return obs, nil
}

// inputsDigest is the SHA-256 of the paths of the inputs the run found:
// its input files and the directories it could not list.
func inputsDigest(plans []*inputPlan) string {
	h := sha256.New()
	for _, p := range plans {
		if p.notListed == "" {
			fmt.Fprintf(h, "%d:%s\n", len(p.path), p.path)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// result turns an input's record back into its result. Its observations
// for the run-scope rules are read back from its staged files when
// needed; those report.html draws from the shard's directory dir.
func (in *inputRecord) result(dir string) (*fileResult, error) {
	res := &fileResult{
		input: in.Input,
		fp: fingerprint{size: in.Size, modTime: in.ModTime, sha256: in.SHA256, hashedAt: in.HashedAt,
			id: identity{size: in.Size, modTime: in.ModTime, ctime: in.Ctime, dev: in.Dev, ino: in.Ino}},
		errors: in.Errors, warnings: in.Warnings, staged: in.Staged, restored: true,
	}
	for _, f := range in.Findings {
		res.findings = append(res.findings, f.finding())
	}
	if in.Drawn != "" {
		if checkRel(in.Drawn) != nil {
			return nil, fmt.Errorf("result of %s: drawn observations at %q, outside the shard", in.Input.Path, in.Drawn)
		}
		obs, err := readDrawn(filepath.Join(dir, filepath.FromSlash(in.Drawn)))
		if err != nil {
			return nil, err
		}
		res.obs = obs
	}
	return res, nil
}

// checkRel rejects paths that are not plain relative paths.
func checkRel(rel string) error {
	if rel == "" || path.IsAbs(rel) || strings.Contains(rel, `\`) || path.Clean(rel) != rel || rel == ".." || strings.HasPrefix(rel, "../") {
		return fmt.Errorf("%q is not a relative path", rel)
	}
	return nil
}

// writeShard writes results.json, then complete.json: a shard is complete
// once its marker is there, and the marker is written last.
func writeShard(dir string, rec *shardRecord, finished time.Time) error {
	b, err := json.MarshalIndent(rec, "", " ")
	if err != nil {
		return fmt.Errorf("write shard results: %w", err)
	}
	b = append(b, '\n')
	if err := writeJSONFile(filepath.Join(dir, load.ShardResultsFile), b); err != nil {
		return err
	}
	sum := sha256.Sum256(b)
	m := shardMarker{
		Version: rec.Version, RunID: rec.RunID, Shard: rec.Shard, Shards: rec.Shards, Config: rec.Config,
		Base: rec.Base, Inputs: rec.Inputs, Started: rec.Started, Finished: finished, Results: hex.EncodeToString(sum[:]),
	}
	for _, in := range rec.Results {
		m.Counts.Inputs++
		m.Counts.Observations += in.Input.Observations
		m.Counts.Findings += len(in.Findings)
		switch in.Input.Status {
		case schemas.StatusLoaded:
			m.Counts.Loaded++
		case schemas.StatusSkipped:
			m.Counts.Skipped++
		case schemas.StatusFailed:
			m.Counts.Failed++
		case schemas.StatusQuarantined:
			m.Counts.Quarantined++
		}
	}
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("write shard marker: %w", err)
	}
	return writeJSONFile(filepath.Join(dir, load.ShardCompleteFile), append(mb, '\n'))
}

func writeJSONFile(name string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return load.WriteFileAtomic(name, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// markFailed replaces what shard sh staged by its failure marker.
func (r *runner) markFailed(sh Shard, cause error) error {
	dir := filepath.Join(r.cfg.OutDir, filepath.FromSlash(load.ShardDir(r.runID, sh.Index)))
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	b, err := json.MarshalIndent(failedMarker{RunID: r.runID, Shard: sh.Index, Shards: sh.Count, Error: schemas.ValidUTF8(cause.Error()), Finished: r.cfg.Now().UTC()}, "", "  ")
	if err != nil {
		return err
	}
	return writeJSONFile(filepath.Join(dir, load.ShardFailedFile), append(b, '\n'))
}

// MissingShards lists the shards of n of run runID in out without a
// completion marker (load.ShardCompleteFile): nil when every shard has
// completed and the run can be published.
func MissingShards(out, runID string, n int) []int {
	var missing []int
	for i := range n {
		name := filepath.Join(out, filepath.FromSlash(load.ShardDir(runID, i)), load.ShardCompleteFile)
		if _, err := os.Stat(name); err != nil {
			missing = append(missing, i)
		}
	}
	return missing
}

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
	r.perInput, r.runRules = splitRules(cfg.Rules)
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
			serr.Mismatch = append(serr.Mismatch, fmt.Sprintf("its shards disagree on the number of shards (%s)", joinInts(slices.Sorted(mapsKeys(counts)))))
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

func readJSONFile(name string, v any) error {
	b, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
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

// safeString is a string in JSON that keeps bytes that are not UTF-8: as
// a JSON string when it is valid UTF-8, else as {"hex": "..."}.
type safeString string

func (s safeString) MarshalJSON() ([]byte, error) {
	if utf8.ValidString(string(s)) {
		return json.Marshal(string(s))
	}
	return json.Marshal(map[string]string{"hex": hex.EncodeToString([]byte(s))})
}

func (s *safeString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '{' {
		var h struct {
			Hex string `json:"hex"`
		}
		if err := json.Unmarshal(b, &h); err != nil {
			return err
		}
		raw, err := hex.DecodeString(h.Hex)
		if err != nil {
			return err
		}
		*s = safeString(raw)
		return nil
	}
	var str string
	if err := json.Unmarshal(b, &str); err != nil {
		return err
	}
	*s = safeString(str)
	return nil
}

// findingRecord is a finding in a shard's record: the finding as JSON
// gives it, and in hex each of its strings that is not UTF-8 (JSON would
// change it), keyed by field ("file", "cells/2").
type findingRecord struct {
	schemas.Finding
	Hex map[string]string `json:"hex,omitempty"`
}

func newFindingRecord(f schemas.Finding) findingRecord {
	rec := findingRecord{Finding: f}
	for key, s := range findingStrings(&f) {
		if !utf8.ValidString(*s) {
			if rec.Hex == nil {
				rec.Hex = map[string]string{}
			}
			rec.Hex[key] = hex.EncodeToString([]byte(*s))
		}
	}
	return rec
}

func (rec findingRecord) finding() schemas.Finding {
	f := rec.Finding
	if len(rec.Hex) > 0 {
		f.Cells, f.Candidates = slices.Clone(f.Cells), slices.Clone(f.Candidates)
		fields := findingStrings(&f)
		for key, h := range rec.Hex {
			if raw, err := hex.DecodeString(h); err == nil && fields[key] != nil {
				*fields[key] = string(raw)
			}
		}
	}
	return f
}

// findingStrings returns the free-text strings of a finding by field (a
// severity is one of a few words and needs no repair).
func findingStrings(f *schemas.Finding) map[string]*string {
	m := map[string]*string{"rule": &f.Rule, "file": &f.File, "sheet": &f.Sheet,
		"message": &f.Message, "suspect_cell": &f.SuspectCell, "slip": &f.Slip}
	for i := range f.Cells {
		m["cells/"+strconv.Itoa(i)] = &f.Cells[i]
	}
	for i := range f.Candidates {
		m["candidates/"+strconv.Itoa(i)] = &f.Candidates[i]
	}
	return m
}
