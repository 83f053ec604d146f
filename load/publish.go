package load

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Staging area and journal of a publication, inside OUT. Both are hidden:
// query engines and globs ("*.parquet") never see them.
const (
	stagingDir  = ".staging"
	journalFile = ".publish.json"
)

// A Publication publishes a run's files together. Every file is first
// written complete (fsynced and verified) into OUT/.staging/RUN_ID/, under
// the path it will have in OUT. [Publication.CommitManifest] then writes a
// journal of every step and carries it out:
//
//  1. manifest.json becomes the new run's manifest, listing the files of
//     this run where they are staged (.staging/RUN_ID/...), which are
//     complete and never change, and the files kept from earlier runs
//     where they are;
//  2. each staged file gets its name in OUT as a second name (a hard link,
//     renamed into place; a copy where the file system has no hard links):
//     the file it replaces, if any, keeps its old content until the new
//     one takes its name;
//  3. manifest.json becomes the final manifest, listing every file under
//     its name in OUT;
//  4. the files of gone inputs are removed, then the journal and the
//     staging area.
//
// So a reader that follows manifest.json always finds one complete run:
// the previous one before step 1, this one after, whenever the process is
// killed. Killed before the journal is written, the run leaves OUT exactly
// as it was (plus a staging area that [Recover] removes). Killed after,
// the journal is complete and [Recover] finishes the publication. Every
// file in OUT is complete at every moment: files only ever get their name
// by a rename. A reader that globs a directory (observations/*.parquet)
// sees each file whole but, during the milliseconds of step 2 or after a
// kill in it until the next run, new files of some inputs beside old files
// of others.
//
// A Publication is not safe for concurrent use; the lock on OUT keeps two
// runs from publishing at once.
type Publication struct {
	out       string
	runID     string
	staging   string // out/.staging/runID
	ops       []journalOp
	removals  []journalOp
	published map[string]bool // rel of every file scheduled by Publish
	done      bool
}

// journal is the plan of a publication, written before any file of OUT
// changes.
type journal struct {
	RunID string      `json:"run_id"`
	Ops   []journalOp `json:"ops"`
}

// journalOp renames From to To, or, with Link, gives the file From the
// second name To (replacing To); it removes To when From is empty. Paths
// are relative to OUT, with forward slashes. Journals written before Link
// existed only rename and remove.
type journalOp struct {
	From string `json:"from,omitempty"`
	To   string `json:"to"`
	Link bool   `json:"link,omitempty"`
}

// NewPublication starts a publication of run runID into out, creating its
// staging area.
func NewPublication(out, runID string) (*Publication, error) {
	if runID == "" || strings.ContainsAny(runID, `/\`) || runID[0] == '.' {
		return nil, fmt.Errorf("publish into %s: invalid run id %q", out, runID)
	}
	staging := filepath.Join(out, stagingDir, runID)
	if err := os.MkdirAll(staging, 0o755); err != nil {
		return nil, fmt.Errorf("publish into %s: %w", out, err)
	}
	return &Publication{out: out, runID: runID, staging: staging, published: map[string]bool{}}, nil
}

// Dir returns the output directory.
func (p *Publication) Dir() string { return p.out }

// StagePath returns where to write the file that will be rel in OUT (rel
// relative to OUT, forward slashes), creating its directory.
func (p *Publication) StagePath(rel string) (string, error) {
	if err := checkRel(rel); err != nil {
		return "", err
	}
	name := filepath.Join(p.staging, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return "", fmt.Errorf("stage %s: %w", rel, err)
	}
	return name, nil
}

// staged is the path relative to OUT of the staged file for rel.
func (p *Publication) staged(rel string) string { return path.Join(stagingDir, p.runID, rel) }

// Publish schedules the staged file rel to replace rel in OUT. The file must
// be complete in the staging area (written with an atomic writer) before
// Commit.
func (p *Publication) Publish(rel string) {
	p.ops = append(p.ops, journalOp{From: p.staged(rel), To: rel, Link: true})
	p.published[rel] = true
}

// Remove schedules rel in OUT for removal. Removals come last, once the
// manifest names the new run.
func (p *Publication) Remove(rel string) { p.removals = append(p.removals, journalOp{To: rel}) }

// WriteJSON stages rel as indented JSON (with a trailing newline) and
// schedules it for publication.
func (p *Publication) WriteJSON(rel string, v any) error {
	if err := p.stageJSON(rel, v); err != nil {
		return err
	}
	p.Publish(rel)
	return nil
}

func (p *Publication) stageJSON(rel string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	name, err := p.StagePath(rel)
	if err != nil {
		return err
	}
	return WriteFileAtomic(name, func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}

// stagedManifest is the name, in the run's staging area, of the manifest
// that lists this run's files where they are staged. It starts with a dot,
// so no file of OUT can have its name.
const stagedManifest = ".staged-" + ManifestFile

// Commit is CommitManifest without a manifest: the staged files take their
// names in OUT in the order they were scheduled, then the removals.
func (p *Publication) Commit() error { return p.CommitManifest(nil) }

// CommitManifest writes the journal and carries it out (see [Publication]):
// with a manifest, first manifest.json listing this run's files where they
// are staged, then every staged file in the order scheduled, then man as
// manifest.json, then the removals. man lists files by their paths in OUT;
// those scheduled by Publish are this run's. After CommitManifest returns
// nil every file is in place and durable. An error after the journal is
// written leaves it for [Recover].
func (p *Publication) CommitManifest(man *Manifest) error {
	if p.done {
		return fmt.Errorf("publish into %s: %w", p.out, errFinished)
	}
	ops, err := p.plan(man)
	p.done = true
	if err != nil {
		p.abort()
		return err
	}
	j, err := p.writeJournal(ops)
	if err != nil {
		p.abort()
		return err
	}
	// From here on the publication is decided: a failure leaves the
	// journal, and the next run finishes it.
	if err := apply(p.out, j); err != nil {
		return fmt.Errorf("%w: %w", ErrUnfinished, err)
	}
	if err := finish(p.out); err != nil {
		return fmt.Errorf("%w: %w", ErrUnfinished, err)
	}
	return nil
}

// ErrUnfinished is matched (errors.Is) by the error of a publication that
// failed after its journal was written: a reader following manifest.json
// finds the previous run or this one, whole, and the next run finishes
// the publication.
var ErrUnfinished = errors.New("publication unfinished (the next run finishes it)")

// plan stages the manifests and returns the steps of the publication.
func (p *Publication) plan(man *Manifest) ([]journalOp, error) {
	ops := slices.Clone(p.ops)
	if man != nil {
		first := *man
		first.Files = slices.Clone(man.Files)
		for i, f := range first.Files {
			if p.published[f.Path] {
				first.Files[i].Path = p.staged(f.Path)
			}
		}
		if err := p.stageJSON(stagedManifest, first); err != nil {
			return nil, err
		}
		if err := p.stageJSON(ManifestFile, man); err != nil {
			return nil, err
		}
		ops = slices.Insert(ops, 0, journalOp{From: p.staged(stagedManifest), To: ManifestFile})
		ops = append(ops, journalOp{From: p.staged(ManifestFile), To: ManifestFile})
	}
	return append(ops, p.removals...), nil
}

// writeJournal checks the plan and writes it to OUT/.publish.json.
func (p *Publication) writeJournal(ops []journalOp) (journal, error) {
	j := journal{RunID: p.runID, Ops: ops}
	if err := checkJournal(j); err != nil {
		return j, fmt.Errorf("publish into %s: %w", p.out, err)
	}
	b, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return j, fmt.Errorf("publish into %s: %w", p.out, err)
	}
	if err := WriteFileAtomic(filepath.Join(p.out, journalFile), func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	}); err != nil {
		return j, fmt.Errorf("publish into %s: %w", p.out, err)
	}
	return j, nil
}

// checkJournal checks that a journal only moves files out of its run's
// staging area and only touches plain paths inside OUT: a journal is read
// back from OUT, where others may write.
func checkJournal(j journal) error {
	if j.RunID == "" || strings.ContainsAny(j.RunID, `/\`) || j.RunID[0] == '.' {
		return fmt.Errorf("journal: invalid run id %q", j.RunID)
	}
	staging := path.Join(stagingDir, j.RunID) + "/"
	for _, op := range j.Ops {
		if err := checkRel(op.To); err != nil {
			return fmt.Errorf("journal: %w", err)
		}
		if strings.HasPrefix(op.To, stagingDir+"/") || op.To == stagingDir || op.To == journalFile || op.To == LockFile {
			return fmt.Errorf("journal: %q is not an output file", op.To)
		}
		if op.From == "" {
			if op.Link {
				return fmt.Errorf("journal: a link to %q without a source", op.To)
			}
			continue
		}
		if checkRel(op.From) != nil || !strings.HasPrefix(op.From, staging) {
			return fmt.Errorf("journal: moves %q, outside the staging area of run %s", op.From, j.RunID)
		}
	}
	return nil
}

// Abort removes the staging area; OUT is untouched. It is a no-op after
// Commit, so it can be deferred.
func (p *Publication) Abort() {
	if !p.done {
		p.done = true
		p.abort()
	}
}

func (p *Publication) abort() {
	_ = os.RemoveAll(p.staging)
	_ = os.Remove(filepath.Dir(p.staging)) // only when empty
}

// apply carries out a journal. It is idempotent: a rename whose staged file
// is gone and whose destination exists was done by an earlier attempt; a
// link whose destination already is the staged file too. Before each
// rename of manifest.json, the directories changed so far are synced, so
// that the manifest never names a file that a crash could lose.
func apply(out string, j journal) error {
	dirty := map[string]bool{}
	var errs []error
	sync := func() {
		for dir := range dirty {
			if err := syncDir(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, fmt.Errorf("publish: sync %s: %w", dir, err))
			}
		}
		clear(dirty)
	}
	for _, op := range j.Ops {
		to := filepath.Join(out, filepath.FromSlash(op.To))
		if op.To == ManifestFile {
			sync()
		}
		dirty[filepath.Dir(to)] = true
		if op.From == "" {
			if err := os.Remove(to); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, fmt.Errorf("publish: remove %s: %w", op.To, err))
			}
			if strings.Count(op.To, "/") >= 2 {
				// A partition directory (observations/year=2013/) left
				// empty goes too; a dataset directory stays.
				_ = os.Remove(filepath.Dir(to))
			}
			continue
		}
		from := filepath.Join(out, filepath.FromSlash(op.From))
		fromInfo, err := os.Lstat(from)
		if errors.Is(err, fs.ErrNotExist) {
			if _, err := os.Lstat(to); err == nil {
				continue // renamed before a crash
			}
			errs = append(errs, fmt.Errorf("publish: staged file for %s is missing", op.To))
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("publish %s: %w", op.To, err))
			continue
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			errs = append(errs, fmt.Errorf("publish %s: %w", op.To, err))
			continue
		}
		if !op.Link {
			if err := os.Rename(from, to); err != nil {
				errs = append(errs, fmt.Errorf("publish %s: %w", op.To, err))
			}
			continue
		}
		if toInfo, err := os.Lstat(to); err == nil && os.SameFile(fromInfo, toInfo) {
			continue // linked before a crash
		}
		if err := link(from, to, j.RunID); err != nil {
			errs = append(errs, fmt.Errorf("publish %s: %w", op.To, err))
		}
	}
	sync()
	return errors.Join(errs...)
}

// link gives the file from the second name to, replacing what is there:
// a hard link under a temporary name, renamed into place. Where the file
// system has no hard links, a copy takes the link's place.
func link(from, to, runID string) error {
	tmp := filepath.Join(filepath.Dir(to), "."+filepath.Base(to)+"."+runID+".tmp")
	_ = os.Remove(tmp) // left by an attempt that was killed
	if err := os.Link(from, tmp); err != nil {
		if err := copyFile(from, tmp); err != nil {
			_ = os.Remove(tmp)
			return err
		}
	}
	if err := os.Rename(tmp, to); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}

// copyFile copies from to a new file to, fsynced.
func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, outputMode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		_ = dst.Close()
		return err
	}
	if err := dst.Sync(); err != nil {
		_ = dst.Close()
		return err
	}
	return dst.Close()
}

// finish removes the journal and the staging area once a publication is
// complete.
func finish(out string) error {
	if err := os.Remove(filepath.Join(out, journalFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("publish: remove journal: %w", err)
	}
	if err := syncDir(out); err != nil {
		return fmt.Errorf("publish: sync %s: %w", out, err)
	}
	if err := os.RemoveAll(filepath.Join(out, stagingDir)); err != nil {
		return fmt.Errorf("publish: remove staging area: %w", err)
	}
	return nil
}

// Recovery says what [Recover] found.
type Recovery struct {
	// Finished is the run id of a publication that was interrupted after
	// its journal was written and has now been completed.
	Finished string
	// Removed lists leftovers of interrupted runs that were deleted: their
	// staging areas and temporary files.
	Removed []string
}

// Recover brings OUT back to a published state after a run was killed: it
// finishes a publication whose journal was written, then removes staging
// areas and temporary files of writers that never finished. It must be
// called with the lock on OUT held. A directory without leftovers is left
// as it is.
func Recover(out string) (Recovery, error) {
	var rec Recovery
	b, err := os.ReadFile(filepath.Join(out, journalFile))
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return rec, fmt.Errorf("recover %s: %w", out, err)
	default:
		var j journal
		if err := json.Unmarshal(b, &j); err != nil {
			return rec, fmt.Errorf("recover %s: unreadable journal %s (written atomically, so not by tradeetl): %w", out, journalFile, err)
		}
		if err := checkJournal(j); err != nil {
			return rec, fmt.Errorf("recover %s: %w (the journal was not written by tradeetl; remove it to go on)", out, err)
		}
		if err := apply(out, j); err != nil {
			return rec, fmt.Errorf("recover %s: finish run %s: %w", out, j.RunID, err)
		}
		rec.Finished = j.RunID
		if err := finish(out); err != nil {
			return rec, fmt.Errorf("recover %s: %w", out, err)
		}
	}
	if entries, err := os.ReadDir(filepath.Join(out, stagingDir)); err == nil {
		for _, e := range entries {
			rec.Removed = append(rec.Removed, path.Join(stagingDir, e.Name()))
		}
		if err := os.RemoveAll(filepath.Join(out, stagingDir)); err != nil {
			return rec, fmt.Errorf("recover %s: %w", out, err)
		}
	}
	for _, dir := range []string{".", ObservationsDir, FindingsDir, RunsDir, AuditDir} {
		entries, err := os.ReadDir(filepath.Join(out, dir))
		if err != nil {
			continue
		}
		for _, e := range entries {
			if name := e.Name(); e.Type().IsRegular() && isTempName(name) {
				if err := os.Remove(filepath.Join(out, dir, name)); err == nil {
					rec.Removed = append(rec.Removed, path.Join(dir, name))
				}
			}
		}
	}
	// Partition directories of observations.
	parts, _ := ListFiles(out, ObservationsDir)
	for _, rel := range parts {
		if strings.Count(rel, "/") >= 2 && isTempName(path.Base(rel)) {
			if err := os.Remove(filepath.Join(out, filepath.FromSlash(rel))); err == nil {
				rec.Removed = append(rec.Removed, rel)
			}
		}
	}
	return rec, nil
}

// isTempName reports whether name is a temporary file of [WriteFileAtomic]
// or a Parquet writer: ".NAME.RANDOM.tmp".
func isTempName(name string) bool {
	return strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".tmp")
}

// checkRel rejects paths that are not plain relative paths inside OUT.
func checkRel(rel string) error {
	if rel == "" || path.IsAbs(rel) || strings.Contains(rel, `\`) || path.Clean(rel) != rel || rel == ".." || strings.HasPrefix(rel, "../") {
		return fmt.Errorf("publish: %q is not a path inside the output directory", rel)
	}
	return nil
}
