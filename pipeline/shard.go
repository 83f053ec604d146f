package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

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
	for _, i := range slices.Sorted(maps.Keys(e.Failed)) {
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
	res, err := StageShard(ctx, cfg, sh)
	if err != nil || res.Published || len(res.Waiting) > 0 {
		return res, err
	}
	p, err := newPublisher(cfg)
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

// StageShard is RunShard without the publication: it stages shard sh and
// says which shards of cfg.OutDir are still missing (ShardResult.Waiting).
// Where shards meet elsewhere than in cfg.OutDir (an output in object
// storage, each shard on its own copy), the caller looks for them there
// and publishes.
func StageShard(ctx context.Context, cfg Config, sh Shard) (*ShardResult, error) {
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
	}
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
