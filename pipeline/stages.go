package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/transform"
	"github.com/tradeetl/tradeetl/validate"
)

// The stages of one run, joined by bounded channels:
//
//	feeder ─tasks─► read ×W ─checkQ─► check ×W ─inbox─► load (one per file)
//	                (extract ─rows─► transform)
//
// read: a worker per file at a time hashes the file, opens it and runs
// transform over it; extract reads rows ahead in its own goroutine
// (extract.Prefetch), so reading XML and parsing figures overlap. Observations
// leave in numbered batches. check: a pool applies the record rules to
// batches of any file. load: one goroutine per file in flight puts the
// batches of its file back in order, writes them to Parquet as they come,
// and when the file ends runs the consistency rules over its observations
// and writes its findings. At most W files are in flight (slots), so memory
// is bounded by W files' rule state and a few batches per stage.

// batch is a run of observations of one file on its way through the stages.
type batch struct {
	f        *inflight
	seq      int
	obs      []schemas.Observation
	findings []schemas.Finding
	// The end marker (end true) follows the last batch of a file: seq is
	// then the number of batches, err why reading stopped.
	end     bool
	err     error
	unread  bool // content unchanged since the last run: nothing was read
	sheets  []transform.SheetInfo
	readDur time.Duration
	// encoding is how delimited text was decoded, when that is not
	// plainly UTF-8: "Shift_JIS (detected)", "windows-1251 (--encoding)"
	encoding string
}

// inflight is one input between the read and load stages.
type inflight struct {
	plan  *inputPlan
	inbox chan *batch
	fp    fingerprint
	res   *fileResult
}

// fingerprint identifies the content of an input file.
type fingerprint struct {
	size     int64
	modTime  time.Time
	sha256   string
	hashedAt time.Time
	id       identity // of the snapshot read; zero when the input was not opened
}

// fileResult is what processing one input produced.
type fileResult struct {
	input    schemas.InputReport
	fp       fingerprint
	obs      []schemas.Observation // kept for report.html (inputs of at most htmlMaxObservations)
	run      *validate.Collector   // what the run-scope rules can reach, for them
	findings []schemas.Finding
	errors   int
	warnings int
	staged   []load.FileInfo // observations, then findings; Path relative to OUT
	// outputErr is why the input's output could not be written, when that
	// failed it.
	outputErr error
	// restored: the result of a shard, read back from its record (see
	// RunShard); obs and run are not kept, the staged observations stand
	// for them.
	restored bool
}

// process runs the stages over the inputs that need reading and fills
// their results.
func (r *runner) process(ctx context.Context, todo []*inputPlan) error {
	if len(todo) == 0 {
		return nil
	}
	w := r.cfg.Workers
	g, gctx := errgroup.WithContext(ctx)
	tasks := make(chan *inflight)
	checkQ := make(chan *batch, w)
	slots := make(chan struct{}, w)

	g.Go(func() error { // feeder
		defer close(tasks)
		for _, p := range todo {
			select {
			case slots <- struct{}{}:
			case <-gctx.Done():
				return gctx.Err()
			}
			f := &inflight{plan: p, inbox: make(chan *batch, 2*w+2)}
			g.Go(func() error {
				defer func() { <-slots }()
				return r.loadFile(gctx, f)
			})
			select {
			case tasks <- f:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	var readers sync.WaitGroup
	for range w {
		readers.Add(1)
		g.Go(func() error {
			defer readers.Done()
			for f := range tasks {
				r.readFile(gctx, f, checkQ)
			}
			return nil
		})
	}
	g.Go(func() error {
		readers.Wait()
		close(checkQ)
		return nil
	})
	for range w {
		g.Go(func() error { return r.checkBatches(gctx, checkQ) })
	}
	return g.Wait()
}

// readFile is the read stage for one file: open it once, hash it, extract,
// transform, and check that it did not change meanwhile (see snapshot).
// It always ends by sending the file's end marker.
func (r *runner) readFile(ctx context.Context, f *inflight, out chan<- *batch) {
	start := time.Now()
	seq := 0
	endWith := func(b *batch) {
		b.f, b.seq, b.end, b.readDur = f, seq, true, time.Since(start)
		select {
		case f.inbox <- b:
		case <-ctx.Done():
		}
	}
	if ctx.Err() != nil {
		endWith(&batch{err: ctx.Err()})
		return
	}
	snap, err := openSnapshot(r.file(f.plan.path)) // its errors name the file
	if err != nil {
		endWith(&batch{err: err})
		return
	}
	defer snap.Close()
	hashedAt := r.cfg.Now()
	sum, err := snap.hash(ctx)
	if err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		endWith(&batch{err: readError(f.plan.path, err)})
		return
	}
	f.fp = fingerprint{size: snap.id.size, modTime: snap.id.modTime, sha256: sum, hashedAt: hashedAt, id: snap.id}
	if prev := f.plan.prev; prev != nil && r.reusable(prev) && prev.SHA256 == sum {
		endWith(&batch{unread: true})
		return
	}
	wb, err := snap.open(r.cfg.Limits)
	if err != nil {
		endWith(&batch{err: cmp.Or(snap.changed(), err)})
		return
	}
	defer wb.Close()
	opts := transform.Options{Dict: r.cfg.Labels.Dict, Areas: r.cfg.Labels.Areas, Currencies: r.cfg.Labels.Currencies,
		File: f.plan.path, SHA256: sum, BatchSize: r.cfg.BatchSize, Layouts: r.cfg.Layouts}
	emit := func(obs []schemas.Observation, findings []schemas.Finding) error {
		r.progress.Advance(StageTransform, len(obs))
		b := &batch{f: f, seq: seq, obs: obs, findings: findings}
		seq++
		select {
		case out <- b:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	ahead := extract.Prefetch(wb, func(n int) { r.progress.Advance(StageExtract, n) })
	sheets, err := transform.Workbook(ctx, ahead, opts, emit)
	if err == nil {
		if warnings := utf8Warnings(f.plan.path, wb); len(warnings) > 0 {
			err = emit(nil, warnings)
		}
	}
	if err != nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	if ctx.Err() == nil {
		// A file written while it was read fails, whatever was read
		// of it: the hash and the figures may not agree.
		if cerr := snap.changed(); cerr != nil {
			err = fmt.Errorf("read %s: %w", f.plan.path, cerr)
		}
	}
	endWith(&batch{err: err, sheets: sheets, encoding: textEncoding(wb)})
}

// readError names the file in an error of hashing it.
func readError(path string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("read %s: %w", path, err)
}

// checkBatches is a worker of the check stage: the record rules on each
// observation of a batch, then on to the batch's loader.
func (r *runner) checkBatches(ctx context.Context, in <-chan *batch) error {
	for b := range in {
		b.findings = append(b.findings, r.records.CheckBatch(b.obs)...)
		r.progress.Advance(StageValidate, len(b.obs))
		select {
		case b.f.inbox <- b:
		case <-ctx.Done():
			// Keep draining so that read workers blocked on in can see
			// the cancellation and stop.
		}
	}
	return nil
}

// loadFile is the load stage of one file: it writes the file's batches in
// order, then checks the consistency rules and decides the file's status.
// It returns an error only when the run must stop (cancellation).
func (r *runner) loadFile(ctx context.Context, f *inflight) error {
	l := &fileLoader{r: r, f: f}
	pending := map[int]*batch{}
	next := 0
	var end *batch
	for end == nil || next < end.seq {
		select {
		case b := <-f.inbox:
			if b.end {
				end = b
			} else {
				pending[b.seq] = b
			}
		case <-ctx.Done():
			l.abort()
			return ctx.Err()
		}
		for b, ok := pending[next]; ok; b, ok = pending[next] {
			delete(pending, next)
			next++
			l.consume(b)
		}
	}
	// The end of the file: the audit (error localization), the annotated
	// copy, finishing the Parquet file. None of them takes a context, so
	// they run apart, and a cancellation stops the run without waiting for
	// them (the loader is theirs from here on).
	res, err := interruptible(ctx, func() *fileResult {
		defer l.abort()
		return l.finish(ctx, end)
	})
	if err != nil {
		return err
	}
	if res.outputErr != nil && environmental(res.outputErr) {
		return &OutputError{Err: fmt.Errorf("write the output of %s: %w", f.plan.path, res.outputErr)}
	}
	f.res = res
	r.results[f.plan.idx] = res
	r.logInput(res, end)
	r.progress.Done(res.input)
	return nil
}

// fileLoader holds the state of one file in the load stage.
type fileLoader struct {
	r        *runner
	f        *inflight
	ow       *load.ObservationWriter
	werr     error // a write failed: the file cannot be published
	batches  [][]schemas.Observation
	n        int
	findings []schemas.Finding

	// The consistency rules see each batch as it is written: ev the rules
	// of scope table and file (and the audit), run those of scope run,
	// which are checked once the run knows which inputs are published.
	// batches holds the batches only while the file is small enough for
	// report.html.
	ev  *validate.Evaluator
	run *validate.Collector
}

func (l *fileLoader) abort() {
	if l.ow != nil {
		l.ow.Abort()
	}
	if l.ev != nil {
		_ = l.ev.Close() // the rule state's temporary file, if it spilled
	}
}

// consume writes one batch and keeps what the rules need.
func (l *fileLoader) consume(b *batch) {
	l.findings = append(l.findings, b.findings...)
	if l.werr != nil {
		return
	}
	obs := b.obs
	if l.r.pub != nil {
		var dropped []schemas.Finding
		obs, dropped, l.werr = l.write(obs)
		l.findings = append(l.findings, dropped...)
	}
	l.r.progress.Advance(StageLoad, len(obs))
	l.n += len(obs)
	if l.r.perInput == nil && l.r.runRules == nil {
		return
	}
	if l.ev == nil {
		l.ev = l.r.perInput.NewEvaluator(validate.EvalOptions{Audit: true, RuleMemory: l.r.cfg.ruleMemory()})
		if l.r.runRules != nil {
			l.run = l.r.runRules.NewCollector()
		}
	}
	l.ev.Add(obs)
	if l.run != nil {
		l.run.Add(obs)
	}
	switch {
	case l.r.pub != nil && l.n <= htmlMaxObservations:
		l.batches = append(l.batches, obs)
	default:
		l.batches = nil
	}
}

// write writes obs to the file's observation writer, creating it on the
// first batch. A figure that cannot be stored exactly is left out and
// reported as a finding, and the rest of the batch is written.
func (l *fileLoader) write(obs []schemas.Observation) ([]schemas.Observation, []schemas.Finding, error) {
	if l.ow == nil {
		if err := l.create(); err != nil {
			return nil, nil, err
		}
	}
	var dropped []schemas.Finding
	for {
		err := l.ow.Write(obs)
		var ve *load.ValueError
		if !errors.As(err, &ve) {
			return obs, dropped, err
		}
		kept := make([]schemas.Observation, 0, len(obs))
		var bad *schemas.Observation
		for i := range obs {
			if obs[i].Ref() == ve.Cell {
				bad = &obs[i]
				continue
			}
			kept = append(kept, obs[i])
		}
		if bad == nil { // cannot happen: the error names a cell of the batch
			return nil, dropped, err
		}
		dropped = append(dropped, schemas.Finding{
			Rule: schemas.RuleRecord, Severity: schemas.SeverityError, File: bad.File, Sheet: bad.Sheet, Cells: []string{bad.Cell},
			Message: fmt.Sprintf("%s: the figure cannot be stored in column %s (%v); it is left out of the output", ve.Cell, ve.Column, ve.Err),
		})
		obs = kept
	}
}

func (l *fileLoader) create() error {
	name, err := l.r.pub.StagePath(load.ObservationsPath(l.f.plan.id))
	if err != nil {
		return err
	}
	l.ow, err = load.NewObservationWriter(name, l.r.meta(l.f), l.r.cfg.Load)
	return err
}

// finish decides the file's status once its last batch is in.
func (l *fileLoader) finish(ctx context.Context, end *batch) *fileResult {
	p := l.f.plan
	res := &fileResult{input: schemas.InputReport{Path: p.path, SHA256: l.f.fp.sha256}, fp: l.f.fp}
	if l.r.pub != nil {
		res.input.ID = p.id
	}
	kept := func() {
		if p.prev != nil {
			res.input.OutputRunID = p.prev.RunID
		}
	}
	switch {
	case end.unread:
		res.input.Status = schemas.StatusSkipped
		res.input.Observations = int(p.prev.Observations)
		kept()
		return res
	case end.err != nil || l.werr != nil:
		err := end.err
		if err == nil {
			err, res.outputErr = l.werr, l.werr
		}
		res.input.Status = schemas.StatusFailed
		res.input.Error = err.Error()
		kept()
		return res
	}
	// The Parquet file of the observations is finished (last row group,
	// fsync, read back, renamed in the staging area) while the audit runs
	// on the other core; whether it is published is decided after the
	// audit. Both are done before finish returns.
	var committed chan commitResult
	if l.r.pub != nil {
		committed = make(chan commitResult, 1)
		go func() { committed <- l.commitObservations() }()
	}
	// The audit: the consistency rules, then error localization (suspect
	// cells, suggested values, typing slips) and scale slips.
	findings := l.findings
	if l.ev != nil {
		findings = append(findings, l.ev.Finish()...)
	}
	var cr commitResult
	if committed != nil {
		cr = <-committed
	}
	sortFindings(findings)
	res.findings = findings
	for _, f := range findings {
		if f.Severity == schemas.SeverityError {
			res.errors++
		} else {
			res.warnings++
		}
	}
	res.input.Observations = l.n
	if l.r.pub != nil && l.r.failOn.reached(res.errors, res.warnings) {
		// the committed file stays in the staging area, unpublished
		res.input.Status = schemas.StatusQuarantined
		res.input.Error = fmt.Sprintf("%d errors and %d warnings; --fail-on %s keeps this delivery from being published", res.errors, res.warnings, l.r.failOn)
		kept()
		return res
	}
	if l.r.pub != nil {
		if err := l.commit(ctx, res, cr); err != nil {
			res.outputErr = err
			res.input.Status = schemas.StatusFailed
			res.input.Error = err.Error()
			res.staged = nil
			kept()
			return res
		}
		res.input.OutputRunID = l.r.runID
	}
	res.input.Status = schemas.StatusLoaded
	res.run = l.run
	if l.r.pub != nil && l.n <= htmlMaxObservations {
		res.obs = concat(l.batches, l.n) // for report.html
	}
	l.batches = nil
	return res
}

// commit publishes the observations and writes the findings of the file
// into the staging area.
func (l *fileLoader) commit(ctx context.Context, res *fileResult, cr commitResult) error {
	if cr.err != nil {
		return cr.err
	}
	p := l.f.plan
	for _, f := range cr.files { // one, or one per partition
		f.Path, f.Input = path.Join(load.ObservationsDir, f.Path), p.path
		res.staged = append(res.staged, f)
	}
	info, err := l.r.writeFindings(load.FindingsPath(p.id), res.findings, l.r.meta(l.f))
	if err != nil {
		return err
	}
	info.Input = p.path
	res.staged = append(res.staged, info)
	if audit := l.r.stageAudit(ctx, p, l.f.fp.id, res.findings); audit != nil {
		res.staged = append(res.staged, *audit)
	}
	return nil
}

// commitResult is what committing a file's observations gave.
type commitResult struct {
	files []load.FileInfo // one, or one per partition
	err   error
}

// commitObservations finishes the observations file in the staging area
// (creating it, empty, when the file had no observation).
func (l *fileLoader) commitObservations() commitResult {
	if l.ow == nil {
		if err := l.create(); err != nil {
			return commitResult{err: err}
		}
	}
	if _, err := l.ow.Commit(); err != nil {
		return commitResult{err: err}
	}
	return commitResult{files: l.ow.Files()}
}

// writeFindings stages a findings file.
func (r *runner) writeFindings(rel string, findings []schemas.Finding, meta load.Metadata) (load.FileInfo, error) {
	name, err := r.pub.StagePath(rel)
	if err != nil {
		return load.FileInfo{}, err
	}
	fw, err := load.NewFindingWriter(name, meta, r.cfg.Load)
	if err != nil {
		return load.FileInfo{}, err
	}
	defer fw.Abort()
	if err := fw.Write(findings); err != nil {
		return load.FileInfo{}, err
	}
	rows, err := fw.Commit()
	if err != nil {
		return load.FileInfo{}, err
	}
	n, sum := fw.Written()
	return load.FileInfo{Path: rel, Rows: rows, Bytes: n, SHA256: sum}, nil
}

// concat joins batches into one slice, letting each batch go as it is
// copied, so that the peak is one copy of the file's observations.
func concat(batches [][]schemas.Observation, n int) []schemas.Observation {
	switch len(batches) {
	case 0:
		return nil // the rules need no observations
	case 1:
		return batches[0]
	}
	out := make([]schemas.Observation, 0, n)
	for i := range batches {
		out = append(out, batches[i]...)
		batches[i] = nil
	}
	return out
}

// interruptible runs fn, which takes no context, in a goroutine of its own
// and returns its result, or ctx's error as soon as ctx ends. Then fn goes
// on unobserved until it returns, and its result is dropped: the run stops
// without waiting for it, and what fn may still write lands in the staging
// area, which the run (or else the next) removes.
func interruptible[T any](ctx context.Context, fn func() T) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	done := make(chan T, 1)
	go func() { done <- fn() }()
	select {
	case v := <-done:
		return v, nil
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}
