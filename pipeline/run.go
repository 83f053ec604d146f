package pipeline

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/transform"
	"github.com/tradeetl/tradeetl/validate"
)

// Config is what a run needs. Zero values mean defaults where noted.
type Config struct {
	// Inputs are files or directories (see Discover).
	Inputs []string
	// InputNames names input files by something else than their path: a
	// local copy of a remote object is recorded, reported and given its
	// output id under the object's URL (local path -> name). Inputs not
	// in it are named by their path.
	InputNames map[string]string
	// Exclude are glob patterns of input files and directories to skip
	// (see Excluded). A published input that is excluded is removed like
	// one that is gone.
	Exclude []string
	// MaxRemove bounds how many published inputs a run may remove; the
	// zero value is DefaultRemoveLimit (half, never all). A run that would
	// remove more returns a *RemovalRefusedError and changes nothing.
	MaxRemove RemoveLimit
	// OutDir is where Parquet files and report.json are written; empty
	// means validate only (nothing is written, nothing is locked).
	OutDir string
	// Rules are the consistency rules; nil means validate.DefaultRules.
	Rules *validate.RuleSet
	// Labels are the vocabularies tables are read with; nil means the
	// built-in ones.
	Labels *transform.Labels
	// Limits protect against hostile files.
	Limits extract.Limits
	// Layouts override table detection for the sources they match; nil
	// means detect everything.
	Layouts *transform.Layouts
	// Workers is the size of each worker pool (files read at once, batches
	// checked at once); default the number of CPUs.
	Workers int
	// Version is the tradeetl version recorded in outputs.
	Version string
	// Load options for the Parquet files.
	Load load.Options
	// Logger receives one line per input and one per run; nil discards.
	Logger *slog.Logger
	// Progress receives counts while the run goes; nil means none.
	Progress Progress
	// Full reprocesses every input, even those unchanged since the run
	// that wrote their output.
	Full bool
	// FailOn is the lowest finding severity that keeps a delivery from
	// being published: FailOnNone (the zero value: publish everything),
	// FailOnError or FailOnWarning (see ParseFailOn). A delivery kept back
	// is reported as quarantined and the input's last good output stays
	// published.
	FailOn FailOn
	// Wait is how long to wait for another run that holds OutDir; 0 means
	// fail at once with an error matching load.ErrLocked.
	Wait time.Duration
	// BatchSize is the number of observations per batch between stages;
	// default 8192.
	BatchSize int
	// Publishing, when set, is called once the run can no longer be
	// stopped: just before it writes the journal of its publication
	// (milliseconds before its files are in place). A cancellation after
	// it no longer stops the run, which then returns its report.
	Publishing func(runID string)
	// RunID names the run; empty means a new id from the clock (the
	// time and 8 random hex digits). The shards of a sharded run and its
	// publication share one (see RunShard).
	RunID string
	// Now is the run's clock; nil means time.Now.
	Now func() time.Time
	// ShardTTL is how old the staging of an unpublished sharded run may
	// grow before a publication removes it; 0 means DefaultShardTTL.
	ShardTTL time.Duration
	// beforeAudit, in tests, is called with an input's path when its
	// figures are read and its annotated copy is to be made.
	beforeAudit func(path string)
	// RevisionWarn is the change, in percent, beyond which a revision
	// (a figure a later delivery changed) is a warning finding
	// large_revision; 0 means DefaultRevisionWarn, a negative value
	// warns on none.
	RevisionWarn float64
	// RuleMemory bounds the memory of one input's rule state, in bytes:
	// past it the figures the rules check go to a temporary file (in
	// TMPDIR), in partitions checked one by one, so that a long table of
	// any length runs in fixed memory (validate.EvalOptions.RuleMemory).
	// 0 means DefaultRuleMemory; a negative value keeps it all in memory.
	RuleMemory int64
}

// DefaultRuleMemory is the default Config.RuleMemory: about the rule
// state of a long table of 200,000 rows.
const DefaultRuleMemory = 64 << 20

func (c *Config) ruleMemory() int64 {
	switch {
	case c.RuleMemory < 0:
		return 0
	case c.RuleMemory == 0:
		return DefaultRuleMemory
	}
	return c.RuleMemory
}

// DefaultRevisionWarn is the default Config.RevisionWarn: a revision by
// more than 10% is a warning.
const DefaultRevisionWarn = 10.0

// ReportFile is the run report inside OutDir.
const ReportFile = load.ReportFile

// Run processes the inputs and, with an OutDir, publishes the outputs of
// those it read: each input's observations and findings, run-scope
// findings, the run history, report.json, state.json and, last,
// manifest.json, all at once (see load.Publication).
//
// It returns an error only when the run as a whole could not be carried
// out (bad configuration, cancelled, output directory locked or not
// writable); then nothing of the run is published. Problems with single
// inputs are in the report.
func Run(ctx context.Context, cfg Config) (*schemas.Report, error) {
	r, plans, err := newRunner(cfg)
	if err != nil {
		return nil, err
	}
	if r.cfg.OutDir == "" {
		return r.validateOnly(ctx, r.index(plans))
	}
	return r.publishRun(ctx, plans)
}

// newRunner checks the configuration, finds the inputs and returns the
// runner with a plan for each input (not yet sorted or numbered).
func newRunner(cfg Config) (*runner, []*inputPlan, error) {
	if err := cfg.defaults(); err != nil {
		return nil, nil, err
	}
	started := cfg.Now().UTC()
	fo := cfg.FailOn
	if err := fo.check(); err != nil {
		return nil, nil, err
	}
	runID := cfg.RunID
	if runID == "" {
		runID = newRunID(started)
	} else if err := load.CheckRunID(runID); err != nil {
		return nil, nil, err
	}
	if err := CheckExclude(cfg.Exclude); err != nil {
		return nil, nil, err
	}
	found, err := Discover(cfg.Inputs, cfg.Exclude)
	if err != nil {
		return nil, nil, err
	}
	local := nameInputs(found, cfg.InputNames)
	// No input and nothing published that it would remove: a mistake.
	// (With published outputs, the run goes on to say what it would
	// remove, which --max-remove decides.)
	if len(found.Files)+len(found.Unlisted) == 0 && (cfg.OutDir == "" || !hasOutput(cfg.OutDir)) {
		if n := len(found.Excluded); n > 0 {
			return nil, nil, fmt.Errorf("%w; %d excluded by --exclude", ErrNoInputs, n)
		}
		return nil, nil, ErrNoInputs
	}
	for _, x := range found.Excluded {
		cfg.Logger.Info("input excluded", "file", x.Path, "pattern", x.Pattern)
	}
	r := &runner{
		cfg: cfg, runID: runID, started: started, failOn: fo,
		records: validate.NewRecordChecker(), progress: cfg.Progress, log: cfg.Logger,
		unlisted: found.Unlisted, local: local,
	}
	r.perInput, r.runRules = cfg.Rules.ByScope()
	plans := make([]*inputPlan, 0, len(found.Files)+len(found.Unlisted))
	for _, p := range found.Files {
		plans = append(plans, &inputPlan{path: p})
	}
	for _, u := range found.Unlisted {
		plans = append(plans, &inputPlan{path: u.Path, unlisted: u.Err})
	}
	return r, plans, nil
}

// hasOutput reports whether out holds the output of an earlier run.
func hasOutput(out string) bool {
	for _, name := range []string{load.StateFile, load.ManifestFile} {
		if _, err := os.Stat(filepath.Join(out, name)); err == nil {
			return true
		}
	}
	return false
}

// index sorts the plans by path, numbers them and makes room for their
// results.
func (r *runner) index(plans []*inputPlan) []*inputPlan {
	slices.SortFunc(plans, func(a, b *inputPlan) int { return cmp.Compare(a.path, b.path) })
	for i, p := range plans {
		p.idx = i
	}
	r.results = make([]*fileResult, len(plans))
	return plans
}

// unread is the result of an input that is not read: a directory that
// could not be listed, or an input under it whose last good output stays.
// It returns nil for a plan that is to be read.
func (r *runner) unread(p *inputPlan) *fileResult {
	switch {
	case p.unlisted != nil:
		msg := fmt.Sprintf("cannot list directory: %v; nothing under it was read", p.unlisted)
		switch n := r.keptUnder[p.path]; n {
		case 0:
		case 1:
			msg += ", and the published output of the input under it is kept"
		default:
			msg += fmt.Sprintf(", and the published outputs of the %d inputs under it are kept", n)
		}
		return &fileResult{input: schemas.InputReport{Path: p.path, Status: schemas.StatusFailed, Error: msg}}
	case p.notListed != "":
		res := &fileResult{input: schemas.InputReport{
			Path: p.path, ID: p.id, Status: schemas.StatusFailed,
			Error: fmt.Sprintf("not read: directory %s could not be listed", p.notListed),
		}}
		if p.prev != nil {
			res.input.SHA256, res.input.OutputRunID = p.prev.SHA256, p.prev.RunID
		}
		return res
	}
	return nil
}

func (cfg *Config) defaults() error {
	if cfg.Rules == nil {
		rs, err := validate.DefaultRules()
		if err != nil {
			return err
		}
		cfg.Rules = rs
	}
	if cfg.Labels == nil {
		l, err := transform.DefaultLabels()
		if err != nil {
			return err
		}
		cfg.Labels = l
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 8192
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Progress == nil {
		cfg.Progress = noProgress{}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return nil
}

// runner is the state of one run.
type runner struct {
	cfg      Config
	runID    string
	started  time.Time
	failOn   FailOn
	full     bool
	config   string            // fingerprint of the options that shape the output
	perInput *validate.RuleSet // rules with scope table or file; nil if none
	runRules *validate.RuleSet // rules with scope run; nil if none
	records  *validate.RecordChecker
	progress Progress
	log      *slog.Logger
	pub      *load.Publication // nil when validating only
	results  []*fileResult     // by input index
	unlisted []Unlisted        // directories that could not be listed
	// keptUnder counts, by unlisted directory, the published inputs under
	// it whose outputs stay.
	keptUnder map[string]int
	gone      []string          // published inputs whose outputs this run removes
	local     map[string]string // by name, the file of an input named otherwise (Config.InputNames)
}

// nameInputs renames the files found by their Config.InputNames and
// returns the files by name.
func nameInputs(found *Discovery, names map[string]string) map[string]string {
	local := map[string]string{}
	for i, p := range found.Files {
		if name, ok := names[p]; ok {
			found.Files[i], local[name] = name, p
		}
	}
	return local
}

// file is the file of the input named p.
func (r *runner) file(p string) string { return cmp.Or(r.local[p], p) }

// inputPlan is what the run does with one input.
type inputPlan struct {
	idx  int
	path string
	id   string
	// prev is the input's published output from an earlier run; nil when
	// there is none or its files are gone.
	prev *load.InputState
	// unlisted is why the plan's path, a directory, could not be listed;
	// nil for an input file.
	unlisted error
	// notListed is the unlisted directory an earlier input lies under: it
	// is not read, and its last good output stays.
	notListed string
	// keep are the published files of an input under notListed that the
	// state does not list (the state was unreadable): kept all the same.
	keep []load.FileInfo
}

// validateOnly reads and checks every input and writes nothing.
func (r *runner) validateOnly(ctx context.Context, plans []*inputPlan) (*schemas.Report, error) {
	r.progress.Start(len(plans))
	var todo []*inputPlan
	for _, p := range plans {
		if res := r.unread(p); res != nil {
			r.results[p.idx] = res
			r.logInput(res, nil)
			r.progress.Done(res.input)
			continue
		}
		todo = append(todo, p)
	}
	if err := r.process(ctx, todo); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rep := r.newReport()
	var run *validate.Evaluator
	if r.runRules != nil {
		run = r.runRules.NewEvaluator(validate.EvalOptions{})
	}
	for _, res := range r.results {
		rep.Inputs = append(rep.Inputs, res.input)
		rep.Findings = append(rep.Findings, res.findings...)
		if run != nil && res.input.Status == schemas.StatusLoaded {
			run.AddCollected(res.run)
			res.run = nil
		}
	}
	if run != nil {
		rep.Findings = append(rep.Findings, run.Finish()...)
	}
	sortFindings(rep.Findings)
	rep.Finished = r.cfg.Now().UTC().Format(time.RFC3339)
	r.logRun(rep, 0)
	return rep, nil
}

func (r *runner) newReport() *schemas.Report {
	return &schemas.Report{
		RunID: r.runID, Version: r.cfg.Version, Started: r.started.Format(time.RFC3339),
		Inputs: []schemas.InputReport{}, Outputs: []schemas.Output{}, Findings: []schemas.Finding{}, Revisions: []schemas.RevisionReport{},
	}
}

// publishRun is a run with an output directory: lock, recover, plan,
// refuse to remove too much, process, publish.
func (r *runner) publishRun(ctx context.Context, plans []*inputPlan) (*schemas.Report, error) {
	lock, err := r.lockOutput(ctx)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	state, man := r.readPublished()
	plans, todo, err := r.prepare(plans, state, man, func(*inputPlan) bool { return true })
	if err != nil {
		return nil, err
	}
	pub, err := load.NewPublication(r.cfg.OutDir, r.runID)
	if err != nil {
		return nil, &OutputError{Err: err}
	}
	defer pub.Abort()
	r.pub = pub
	if err := r.process(ctx, todo); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rep, err := r.publish(ctx, plans, state, man)
	if err != nil {
		return nil, outputError(err)
	}
	return rep, nil
}

// lockOutput creates the output directory, locks it for the run and
// finishes or discards what an interrupted run left (load.Recover).
func (r *runner) lockOutput(ctx context.Context) (*load.Lock, error) {
	out := r.cfg.OutDir
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, &OutputError{Err: fmt.Errorf("create output directory: %w", err)}
	}
	host, _ := os.Hostname()
	lock, stale, err := load.AcquireLock(ctx, out, load.LockHolder{PID: os.Getpid(), Host: host, RunID: r.runID, Started: r.started}, r.cfg.Wait)
	if err != nil {
		if errors.Is(err, load.ErrLocked) {
			return nil, err
		}
		return nil, outputError(err)
	}
	if stale != nil {
		r.log.Warn("previous run ended without releasing its lock (killed?); recovering", "stale_run_id", stale.RunID, "stale_pid", stale.PID, "stale_host", stale.Host)
	}
	rec, err := load.Recover(out)
	if err != nil {
		lock.Release()
		return nil, &OutputError{Err: err}
	}
	if rec.Finished != "" {
		r.log.Warn("finished the publication of an interrupted run", "interrupted_run_id", rec.Finished)
	}
	if len(rec.Removed) > 0 {
		r.log.Warn("removed leftovers of an interrupted run", "files", strings.Join(rec.Removed, ","))
	}
	return lock, nil
}

// readPublished reads the state and the manifest of the published output;
// an unreadable one is logged and taken for empty.
func (r *runner) readPublished() (*load.State, *load.Manifest) {
	state, err := load.ReadState(r.cfg.OutDir)
	if err != nil {
		r.log.Warn("state unreadable; every input is processed again", "error", err)
		state = load.NewState()
	}
	man, err := load.ReadManifest(r.cfg.OutDir)
	if err != nil {
		r.log.Warn("manifest unreadable; file checksums are computed again", "error", err)
		man = &load.Manifest{}
	}
	return state, man
}

// prepare plans the run against the published output: what is removed
// (planRemovals), whether every input is read again (the options changed),
// each input's output name and earlier output. Plans that are not read (a
// directory that could not be listed, an input under it) get their result
// here; of the others, those mine selects get theirs too when the input is
// unchanged since its output was written (size and time), and the rest are
// returned in todo, to be read. It returns every plan, sorted and
// numbered.
func (r *runner) prepare(plans []*inputPlan, state *load.State, man *load.Manifest, mine func(*inputPlan) bool) (all, todo []*inputPlan, err error) {
	plans, err = r.planRemovals(plans, state, man)
	if err != nil {
		return nil, nil, err
	}
	r.config = r.configFingerprint()
	r.full = r.cfg.Full || state.Config != r.config
	ids := map[string]string{}
	r.progress.Start(len(plans))
	for _, plan := range plans {
		p := plan.path
		if plan.unlisted == nil {
			plan.id = load.InputID(p)
			if other, dup := ids[plan.id]; dup {
				return nil, nil, fmt.Errorf("inputs %s and %s map to the same output name %s", other, p, plan.id)
			}
			ids[plan.id] = p
			if prev := state.Inputs[p]; prev != nil && prev.ID == plan.id && filesExist(r.cfg.OutDir, prev.Files) {
				plan.prev = prev
				if prev.Config == "" {
					prev.Config = state.Config // a state from before InputState.Config
				}
			}
		}
		if res := r.unread(plan); res != nil {
			r.results[plan.idx] = res
			r.logInput(res, nil)
			r.progress.Done(res.input)
			continue
		}
		if !mine(plan) {
			continue
		}
		if plan.prev != nil && r.reusable(plan.prev) && statUnchanged(r.file(p), plan.prev) {
			res := r.skipped(plan, fingerprint{})
			r.results[plan.idx] = res
			r.logInput(res, nil)
			r.progress.Done(res.input)
			continue
		}
		todo = append(todo, plan)
	}
	return plans, todo, nil
}

// planRemovals decides what happens to the published inputs that are not
// among the plans: those under a directory that could not be listed stay
// (a plan each, not read, their last good output kept); the others are
// gone, and their outputs removed, unless that is more than
// Config.MaxRemove allows: then the run is refused. Published inputs are
// those of the state and, should the state have been lost, of the
// manifest. It returns every plan, sorted and numbered.
func (r *runner) planRemovals(plans []*inputPlan, state *load.State, man *load.Manifest) ([]*inputPlan, error) {
	current := map[string]bool{}
	for _, p := range plans {
		current[p.path] = true
	}
	published := map[string][]load.FileInfo{}
	for p, st := range state.Inputs {
		published[p] = st.Files
	}
	for _, f := range man.Files {
		if _, ok := state.Inputs[f.Input]; f.Input != "" && !ok {
			published[f.Input] = append(published[f.Input], f)
		}
	}
	r.keptUnder = map[string]int{}
	r.gone = nil
	for _, p := range slices.Sorted(maps.Keys(published)) {
		if current[p] {
			continue
		}
		dir := ""
		for _, u := range r.unlisted {
			if under(p, u.Path) {
				dir = u.Path
				break
			}
		}
		if dir == "" {
			r.gone = append(r.gone, p)
			continue
		}
		kept := &inputPlan{path: p, notListed: dir}
		if _, ok := state.Inputs[p]; !ok {
			kept.keep = published[p]
		}
		plans = append(plans, kept)
		r.keptUnder[dir]++
	}
	if limit := r.cfg.MaxRemove; len(r.gone) > limit.Max(len(published)) {
		found := 0
		for _, p := range plans {
			if p.unlisted == nil && p.notListed == "" {
				found++
			}
		}
		return nil, &RemovalRefusedError{Remove: r.gone, Published: len(published), Found: found, Limit: limit}
	}
	if len(plans) == 0 && len(r.gone) == 0 {
		return nil, ErrNoInputs // nothing found, nothing published
	}
	return r.index(plans), nil
}

// statUnchanged reports whether a file has the size and modification time
// recorded when it was last read, and that time is safely older than the
// hash (a write in the same clock tick as the hash would otherwise go
// unnoticed: such a file is hashed again).
func statUnchanged(path string, prev *load.InputState) bool {
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	return fi.Size() == prev.Size && fi.ModTime().Equal(prev.ModTime) && fi.ModTime().Before(prev.HashedAt.Add(-racyWindow))
}

// racyWindow is how much older than its hash a file's mtime must be for
// size and mtime alone to vouch for its content (coarse file system
// clocks tick in up to 2 s).
const racyWindow = 2 * time.Second

// skipped is the result of an input whose published output stays as it is.
func (r *runner) skipped(p *inputPlan, fp fingerprint) *fileResult {
	return &fileResult{fp: fp, input: schemas.InputReport{
		Path: p.path, SHA256: p.prev.SHA256, Status: schemas.StatusSkipped, ID: p.id,
		Observations: int(p.prev.Observations), OutputRunID: p.prev.RunID,
	}}
}

func filesExist(out string, files []load.FileInfo) bool {
	for _, f := range files {
		if fi, err := os.Stat(filepath.Join(out, filepath.FromSlash(f.Path))); err != nil || !fi.Mode().IsRegular() {
			return false
		}
	}
	return len(files) > 0
}

// configFingerprint identifies what shapes the outputs besides the inputs.
func (r *runner) configFingerprint() string {
	h := sha256.New()
	fmt.Fprintf(h, "tradeetl %s\nschema %s\nrules %s\ncompression %s\nrow groups %d\nfail-on %s\npartition %s\n",
		r.cfg.Version, schemas.SchemaVersion, r.cfg.Rules.Version, r.cfg.Load.Compression, r.cfg.Load.RowGroupRows, r.failOn, r.cfg.Load.PartitionBy)
	// what the tables are read with: a changed labels or layout file
	// reads every input again
	if r.cfg.Labels != nil && r.cfg.Labels.Version != "" {
		fmt.Fprintf(h, "labels %s\n", r.cfg.Labels.Version)
	}
	if r.cfg.Layouts != nil && r.cfg.Layouts.Version != "" {
		fmt.Fprintf(h, "layouts %s\n", r.cfg.Layouts.Version)
	}
	// a changed --encoding reads delimited text differently
	if r.cfg.Limits.Encoding != "" {
		fmt.Fprintf(h, "encoding %s\n", r.cfg.Limits.Encoding)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// meta is the Parquet footer metadata of an input's files.
func (r *runner) meta(f *inflight) load.Metadata {
	return load.Metadata{
		RunID: r.runID, Version: r.cfg.Version, RulesVersion: r.cfg.Rules.Version,
		Sources: map[string]string{f.plan.path: f.fp.sha256}, LoadedAt: r.started,
	}
}

// publication is what the publish steps of a run build up, in order:
// the report and the state (assembleState), the run-scope findings
// (stageRunScope), the current dataset and the files every input keeps
// (stageDatasets), the removals (sweep), the run history (stageRunRecord),
// report.html, report.json and state.json (stageReports), and last the
// manifest (commit).
type publication struct {
	plans     []*inputPlan
	old       *load.State    // the state before the run
	man       *load.Manifest // the manifest before the run
	rep       *schemas.Report
	state     *load.State     // the state after the run
	loadedObs int64           // observations of the inputs loaded
	runScope  *load.FileInfo  // findings of the run-scope rules; nil without such rules
	published []load.FileInfo // every published file of the inputs and datasets
	keep      map[string]bool // their paths
	removed   int             // inputs whose outputs are removed
	runs      load.FileInfo   // this run's row of the run history
	files     []load.FileInfo // the manifest's files
}

// publish assembles the report, state, manifest and run history, and
// publishes them with the staged files of the inputs: the steps of
// publication, each on its own.
func (r *runner) publish(ctx context.Context, plans []*inputPlan, old *load.State, man *load.Manifest) (*schemas.Report, error) {
	pb := &publication{plans: plans, old: old, man: man}
	for _, step := range []func(context.Context, *publication) error{
		r.assembleState, r.stageRunScope, r.stageDatasets, r.sweep, r.stageRunRecord, r.stageReports, r.stageManifest,
	} {
		if err := step(ctx, pb); err != nil {
			return nil, err
		}
	}
	if err := r.commit(ctx, pb); err != nil {
		return nil, err
	}
	return pb.rep, nil
}

// assembleState lists each input in the report with its findings, and in
// the new state with the output it has once the run is published: the
// files just staged (loaded), its earlier files (skipped, or failed or
// quarantined with a last good output), or none. The staged files of
// loaded inputs are scheduled for publication.
func (r *runner) assembleState(_ context.Context, pb *publication) error {
	rep := r.newReport()
	state := &load.State{Version: load.StateVersion, RunID: r.runID, Config: r.config, Inputs: map[string]*load.InputState{}}
	for _, p := range pb.plans {
		res := r.results[p.idx]
		rep.Inputs = append(rep.Inputs, res.input)
		switch res.input.Status {
		case schemas.StatusLoaded:
			state.Inputs[p.path] = &load.InputState{
				ID: p.id, Size: res.fp.size, ModTime: res.fp.modTime, SHA256: res.fp.sha256, HashedAt: res.fp.hashedAt,
				RunID: r.runID, Observations: int64(res.input.Observations), Errors: res.errors, Warnings: res.warnings,
				Files: res.staged, Config: r.config,
			}
			pb.loadedObs += int64(res.input.Observations)
			for _, f := range res.staged {
				r.pub.Publish(f.Path)
			}
			rep.Findings = append(rep.Findings, res.findings...)
		case schemas.StatusSkipped:
			st := *p.prev
			if res.fp.sha256 != "" { // hashed: same content, new mtime
				st.Size, st.ModTime, st.HashedAt = res.fp.size, res.fp.modTime, res.fp.hashedAt
			}
			state.Inputs[p.path] = &st
			fs, err := load.ReadFindings(filepath.Join(r.cfg.OutDir, filepath.FromSlash(load.FindingsPath(p.id))))
			if err != nil {
				return fmt.Errorf("findings of skipped input %s: %w", p.path, err)
			}
			rep.Findings = append(rep.Findings, fs...)
		case schemas.StatusQuarantined:
			rep.Findings = append(rep.Findings, res.findings...)
			fallthrough
		default: // failed
			if p.prev != nil {
				state.Inputs[p.path] = p.prev
			}
		}
	}
	pb.rep, pb.state = rep, state
	return nil
}

// stageRunScope checks the rules of scope run over the published
// observations of every input and stages their findings.
func (r *runner) stageRunScope(ctx context.Context, pb *publication) error {
	if r.runRules != nil {
		fs, err := r.checkRunRules(ctx, pb.plans)
		if err != nil {
			return err
		}
		sortFindings(fs)
		pb.rep.Findings = append(pb.rep.Findings, fs...)
		rel := load.FindingsPath(load.RunFindingsID)
		info, err := r.writeFindings(rel, fs, load.Metadata{RunID: r.runID, Version: r.cfg.Version, RulesVersion: r.cfg.Rules.Version, LoadedAt: r.started})
		if err != nil {
			return err
		}
		pb.runScope = &info
		r.pub.Publish(rel)
	}
	sortFindings(pb.rep.Findings)
	return nil
}

// stageDatasets lists the files every input keeps, stages the current
// dataset, revisions and dimensions over them, and reports the revisions.
func (r *runner) stageDatasets(ctx context.Context, pb *publication) error {
	pb.keep = map[string]bool{}
	add := func(f load.FileInfo) {
		pb.keep[f.Path] = true
		pb.published = append(pb.published, f)
	}
	for _, p := range pb.plans {
		files := p.keep // an input under an unlisted directory that the state lost
		if st := pb.state.Inputs[p.path]; st != nil {
			files = st.Files
		}
		for _, f := range files {
			add(f)
		}
	}
	if pb.runScope != nil {
		add(*pb.runScope)
	}
	cur, err := r.current(ctx, pb.plans, pb.state, pb.man)
	if err != nil {
		return err
	}
	for _, f := range cur {
		add(f)
	}
	return r.reportRevisions(pb.rep)
}

// sweep schedules the removal of the outputs of inputs gone since the
// last run, and of every output file nobody lists.
func (r *runner) sweep(_ context.Context, pb *publication) error {
	pb.removed = len(r.gone)
	for _, pth := range r.gone {
		attrs := []any{"file", pth}
		if st := pb.old.Inputs[pth]; st != nil {
			attrs = append(attrs, "id", st.ID, "outputs", len(st.Files))
		}
		r.log.Info("input removed", attrs...)
	}
	gone, err := load.Unlisted(r.cfg.OutDir, pb.keep)
	if err != nil {
		return err
	}
	for _, rel := range gone {
		r.pub.Remove(rel)
	}
	return nil
}

// stageRunRecord finishes the report (outputs, time) and stages the run's
// row of the run history.
func (r *runner) stageRunRecord(_ context.Context, pb *publication) error {
	rep, state := pb.rep, pb.state
	var total int64
	for _, st := range state.Inputs {
		total += st.Observations
	}
	for _, f := range pb.published {
		rep.Outputs = append(rep.Outputs, schemas.Output{Path: f.Path, Rows: f.Rows, RunID: runOf(f, state, r.runID)})
	}
	finished := r.cfg.Now().UTC()
	rep.Finished = finished.Format(time.RFC3339)
	rec := load.RunRecord{
		RunID: r.runID, Started: r.started, Finished: finished, Version: r.cfg.Version, RulesVersion: r.cfg.Rules.Version,
		Mode: "incremental", ExitCode: ExitCode(rep), Inputs: len(pb.plans), Removed: pb.removed,
		Observations: total, ObservationsLoaded: pb.loadedObs,
	}
	if r.full {
		rec.Mode = "full"
	}
	for _, in := range rep.Inputs {
		switch in.Status {
		case schemas.StatusLoaded:
			rec.Loaded++
		case schemas.StatusSkipped:
			rec.Skipped++
		case schemas.StatusFailed:
			rec.Failed++
		case schemas.StatusQuarantined:
			rec.Quarantined++
		}
	}
	for _, f := range rep.Findings {
		if f.Severity == schemas.SeverityError {
			rec.FindingsError++
		} else {
			rec.FindingsWarning++
		}
	}
	runsRel, runRows, herr := load.RunHistoryRows(r.cfg.OutDir, rec)
	if herr != nil {
		r.log.Warn("the day's history of unchanged runs cannot be read; this run's row gets a file of its own", "file", load.CompactRunPath(rec.Started), "error", herr)
	}
	name, err := r.pub.StagePath(runsRel)
	if err != nil {
		return err
	}
	info, err := load.WriteRuns(name, runRows, r.cfg.Load)
	if err != nil {
		return err
	}
	info.Path = runsRel
	r.pub.Publish(runsRel)
	rep.Outputs = append(rep.Outputs, schemas.Output{Path: runsRel, Rows: info.Rows, RunID: r.runID})
	pb.runs = info
	return nil
}

// stageReports stages the audit for people (report.html), then
// report.json and state.json.
func (r *runner) stageReports(ctx context.Context, pb *publication) error {
	type staged struct {
		info load.FileInfo
		err  error
	}
	html, err := interruptible(ctx, func() staged {
		info, err := r.stageHTMLReport(ctx, pb.plans, pb.rep)
		return staged{info, err}
	})
	if err != nil {
		return err
	}
	if html.err != nil {
		return html.err
	}
	r.pub.Publish(HTMLReport)
	pb.rep.Outputs = append(pb.rep.Outputs, schemas.Output{Path: HTMLReport, Rows: html.info.Rows, RunID: r.runID})

	name, err := r.pub.StagePath(load.ReportFile)
	if err != nil {
		return err
	}
	if err := load.WriteReport(name, pb.rep); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	report, err := describeFile(name, load.ReportFile, false)
	if err != nil {
		return err
	}
	r.pub.Publish(load.ReportFile)
	if err := r.pub.WriteJSON(load.StateFile, pb.state); err != nil {
		return err
	}
	pb.files = append(pb.files, report, html.info)
	return nil
}

// stageManifest lists every file of the published output for the
// manifest: those of the inputs and datasets, the run history, the
// reports.
func (r *runner) stageManifest(_ context.Context, pb *publication) error {
	history, err := r.runHistory(pb.man, pb.runs)
	if err != nil {
		return err
	}
	files := append(pb.published, history...)
	files = append(files, pb.files...)
	slices.SortFunc(files, func(a, b load.FileInfo) int { return cmp.Compare(a.Path, b.Path) })
	pb.files = files
	return nil
}

// commit publishes the run: the journal, the files, manifest.json last
// (load.Publication.CommitManifest).
func (r *runner) commit(ctx context.Context, pb *publication) error {
	manifest := load.Manifest{RunID: r.runID, Version: r.cfg.Version, Created: pb.rep.Finished, Files: pb.files}
	// The last moment a signal stops the run. Past it the run is
	// published even if ctx is cancelled: the journal is written, the
	// renames take milliseconds, and a kill in between is finished by the
	// next run.
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.cfg.Publishing != nil {
		r.cfg.Publishing(r.runID)
	}
	if err := r.pub.CommitManifest(&manifest); err != nil {
		return err
	}
	r.logRun(pb.rep, pb.removed)
	return nil
}

// runOf returns the run that wrote a published file.
func runOf(f load.FileInfo, state *load.State, current string) string {
	if f.Input == "" {
		return current
	}
	if st := state.Inputs[f.Input]; st != nil {
		return st.RunID
	}
	return current
}

// runHistory lists the run history files: those of earlier runs (from the
// previous manifest, or described afresh when it lacks them) and this one.
func (r *runner) runHistory(man *load.Manifest, current load.FileInfo) ([]load.FileInfo, error) {
	known := map[string]load.FileInfo{}
	for _, f := range man.Files {
		known[f.Path] = f
	}
	files := []load.FileInfo{current}
	entries, _ := os.ReadDir(filepath.Join(r.cfg.OutDir, load.RunsDir))
	for _, e := range entries {
		rel := path.Join(load.RunsDir, e.Name())
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".parquet") || rel == current.Path {
			continue
		}
		if f, ok := known[rel]; ok {
			files = append(files, f)
			continue
		}
		f, err := describeFile(filepath.Join(r.cfg.OutDir, load.RunsDir, e.Name()), rel, true)
		if err != nil {
			r.log.Warn("run history file unreadable; left out of the manifest", "file", rel, "error", err)
			continue
		}
		files = append(files, f)
	}
	return files, nil
}

// describeFile returns the size, SHA-256 and, for Parquet, row count of a
// file.
func describeFile(name, rel string, parquet bool) (load.FileInfo, error) {
	f, err := os.Open(name)
	if err != nil {
		return load.FileInfo{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return load.FileInfo{}, fmt.Errorf("read %s: %w", name, err)
	}
	info := load.FileInfo{Path: rel, Bytes: n, SHA256: hex.EncodeToString(h.Sum(nil))}
	if parquet {
		if info.Rows, err = load.FileRows(name); err != nil {
			return load.FileInfo{}, err
		}
	}
	return info, nil
}

// checkRunRules checks the rules of scope run over the observations the
// output directory will hold once the run is published: those just read
// (collected as they were loaded), and those of inputs whose earlier
// output stays, read back from it batch by batch.
func (r *runner) checkRunRules(ctx context.Context, plans []*inputPlan) ([]schemas.Finding, error) {
	ev := r.runRules.NewEvaluator(validate.EvalOptions{})
	for _, p := range plans {
		res := r.results[p.idx]
		switch {
		case res.input.Status == schemas.StatusLoaded && !res.restored:
			ev.AddCollected(res.run)
			res.run = nil
		case res.input.Status == schemas.StatusLoaded || res.input.OutputRunID != "":
			for _, name := range r.observationFiles(p, res) {
				if err := load.ReadObservations(name, func(obs []schemas.Observation) error {
					ev.Add(obs)
					return ctx.Err()
				}); err != nil {
					if ctx.Err() != nil {
						return nil, ctx.Err()
					}
					return nil, fmt.Errorf("observations of %s for run-scope rules: %w", p.path, err)
				}
			}
		}
	}
	return interruptible(ctx, ev.Finish)
}

// observationFiles returns the observation files of an input: one, or
// one per partition. Those of an input loaded by a shard of the run are in
// the staging area; those of an input whose earlier output stays are
// published.
func (r *runner) observationFiles(p *inputPlan, res *fileResult) []string {
	var names []string
	if res.restored && res.input.Status == schemas.StatusLoaded {
		for _, rel := range load.ObservationFiles(res.staged) {
			if name, err := r.pub.StagePath(rel); err == nil {
				names = append(names, name)
			}
		}
		return names
	}
	if p.prev == nil {
		return nil
	}
	for _, rel := range load.ObservationFiles(p.prev.Files) {
		names = append(names, filepath.Join(r.cfg.OutDir, filepath.FromSlash(rel)))
	}
	return names
}

// logInput writes the line of one input: status, counts, timings.
func (r *runner) logInput(res *fileResult, end *batch) {
	in := res.input
	attrs := []any{"file", in.Path, "status", in.Status, "observations", in.Observations}
	if in.ID != "" {
		attrs = append(attrs, "id", in.ID)
	}
	if in.Status == schemas.StatusLoaded || in.Status == schemas.StatusQuarantined {
		attrs = append(attrs, "errors", res.errors, "warnings", res.warnings)
	}
	if end != nil && end.encoding != "" {
		attrs = append(attrs, "encoding", end.encoding)
	}
	if end != nil && end.sheets != nil {
		tables := 0
		for _, s := range end.sheets {
			tables += len(s.Tables)
		}
		attrs = append(attrs, "sheets", len(end.sheets), "tables", tables)
	}
	if end != nil && !end.unread {
		attrs = append(attrs, "read", end.readDur.Round(time.Millisecond))
		if in.Status == schemas.StatusLoaded && end.readDur > 0 {
			attrs = append(attrs, "rows_per_s", int(float64(in.Observations)/end.readDur.Seconds()))
		}
	}
	if in.OutputRunID != "" && in.Status != schemas.StatusLoaded {
		attrs = append(attrs, "output_run_id", in.OutputRunID)
	}
	switch in.Status {
	case schemas.StatusFailed, schemas.StatusQuarantined:
		attrs = append(attrs, "error", in.Error)
		msg := "input " + string(in.Status)
		if in.OutputRunID != "" {
			msg += "; last good output kept (quarantine)"
		}
		r.log.Warn(msg, attrs...)
	default:
		r.log.Info("input "+string(in.Status), attrs...)
	}
}

// logRun writes the line of the run.
func (r *runner) logRun(rep *schemas.Report, removed int) {
	counts := map[schemas.Status]int{}
	obs := 0
	for _, in := range rep.Inputs {
		counts[in.Status]++
		obs += in.Observations
	}
	errs := 0
	for _, f := range rep.Findings {
		if f.Severity == schemas.SeverityError {
			errs++
		}
	}
	r.log.Info("run finished", "run_id", rep.RunID, "inputs", len(rep.Inputs),
		"loaded", counts[schemas.StatusLoaded], "skipped", counts[schemas.StatusSkipped],
		"failed", counts[schemas.StatusFailed], "quarantined", counts[schemas.StatusQuarantined], "removed", removed,
		"observations", obs, "errors", errs, "warnings", len(rep.Findings)-errs,
		"exit_code", ExitCode(rep), "duration", time.Since(r.started).Round(time.Millisecond))
}

// FailOn is the lowest finding severity that keeps a delivery from being
// published.
type FailOn int

// FailOn levels.
const (
	FailOnNone FailOn = iota
	FailOnWarning
	FailOnError
)

// ParseFailOn reads "", "none", "error" or "warning".
func ParseFailOn(s string) (FailOn, error) {
	switch s {
	case "", "none":
		return FailOnNone, nil
	case "error":
		return FailOnError, nil
	case "warning":
		return FailOnWarning, nil
	}
	return 0, fmt.Errorf("--fail-on %q: want none, error or warning", s)
}

func (f FailOn) check() error {
	if f < FailOnNone || f > FailOnError {
		return fmt.Errorf("fail-on level %d: want FailOnNone, FailOnWarning or FailOnError", int(f))
	}
	return nil
}

func (f FailOn) String() string {
	switch f {
	case FailOnError:
		return "error"
	case FailOnWarning:
		return "warning"
	}
	return "none"
}

func (f FailOn) reached(errors, warnings int) bool {
	switch f {
	case FailOnError:
		return errors > 0
	case FailOnWarning:
		return errors+warnings > 0
	}
	return false
}

// Exit codes of a run (docs/operations.md).
const (
	ExitOK       = 0 // every input read, no error-severity finding
	ExitFindings = 1 // finished with error-severity findings, or a delivery quarantined
	ExitUsage    = 2 // usage or configuration error
	ExitInput    = 3 // at least one input could not be read
	ExitLocked   = 4 // another run holds the output directory
	ExitOutput   = 5 // the output directory or the environment failed (*OutputError); nothing published
	ExitShards   = 6 // publish: a shard is missing or failed, or the shards do not make one run (*ShardsError); nothing published
)

// ExitCode returns the exit code a report calls for: 3 when an input
// failed (it wins over 1), 1 for error-severity findings or a quarantined
// delivery, else 0.
func ExitCode(rep *schemas.Report) int {
	code := ExitOK
	for _, in := range rep.Inputs {
		switch in.Status {
		case schemas.StatusFailed:
			return ExitInput
		case schemas.StatusQuarantined:
			code = ExitFindings
		}
	}
	for _, f := range rep.Findings {
		if f.Severity == schemas.SeverityError {
			code = ExitFindings
		}
	}
	return code
}

// sortFindings orders findings by file, sheet, first cell (row, then
// column) and rule, so that reports are stable from run to run.
func sortFindings(fs []schemas.Finding) {
	slices.SortStableFunc(fs, func(a, b schemas.Finding) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Sheet, b.Sheet),
			compareCells(first(a.Cells), first(b.Cells)),
			cmp.Compare(a.Rule, b.Rule),
		)
	})
}

func first(cells []string) string {
	if len(cells) == 0 {
		return ""
	}
	return cells[0]
}

// compareCells orders A1 addresses by row, then column.
func compareCells(a, b string) int {
	ca, ra := splitCell(a)
	cb, rb := splitCell(b)
	return cmp.Or(cmp.Compare(ra, rb), cmp.Compare(len(ca), len(cb)), cmp.Compare(ca, cb))
}

func splitCell(s string) (string, int) {
	i := 0
	for i < len(s) && (s[i] < '0' || s[i] > '9') {
		i++
	}
	row := 0
	for _, c := range s[i:] {
		if c < '0' || c > '9' {
			break
		}
		row = row*10 + int(c-'0')
	}
	return s[:i], row
}

func newRunID(t time.Time) string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		return t.Format("20060102T150405Z")
	}
	return t.Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
}

// ErrNoInputs is returned when the paths given hold no input files.
var ErrNoInputs = errors.New("no input files found (want .xlsx, .xlsm, .csv or .tsv)")

// reusable reports whether an input's earlier output can stand for it when
// the input is unchanged: not with --full, and only when it was written with
// the options of this run (after a change of options, an input that failed
// or was quarantined keeps output in the old layout until it is read again).
func (r *runner) reusable(prev *load.InputState) bool {
	return !r.full && prev.Config == r.config
}
