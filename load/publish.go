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
// the path it will have in OUT. Commit then writes a journal listing every
// rename and removal, carries them out, and deletes the journal and the
// staging area.
//
// Killed before the journal is written, the run leaves OUT exactly as it
// was (plus a staging area that [Recover] removes). Killed after, the
// journal is complete and [Recover] finishes the publication. Every file in
// OUT is complete at every moment: files are only ever renamed into place.
// Callers add manifest.json last, so that it appears only once every file
// it lists is in place.
//
// A Publication is not safe for concurrent use; the lock on OUT keeps two
// runs from publishing at once.
type Publication struct {
	out     string
	runID   string
	staging string // out/.staging/runID
	ops     []journalOp
	done    bool
}

// journal is the plan of a publication, written before any file of OUT
// changes.
type journal struct {
	RunID string      `json:"run_id"`
	Ops   []journalOp `json:"ops"`
}

// journalOp renames From to To, or removes To when From is empty. Paths are
// relative to OUT, with forward slashes.
type journalOp struct {
	From string `json:"from,omitempty"`
	To   string `json:"to"`
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
	return &Publication{out: out, runID: runID, staging: staging}, nil
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

// Publish schedules the staged file rel to replace rel in OUT. The file must
// be complete in the staging area (written with an atomic writer) before
// Commit.
func (p *Publication) Publish(rel string) {
	p.ops = append(p.ops, journalOp{From: path.Join(stagingDir, p.runID, rel), To: rel})
}

// Remove schedules rel in OUT for removal.
func (p *Publication) Remove(rel string) { p.ops = append(p.ops, journalOp{To: rel}) }

// WriteJSON stages rel as indented JSON (with a trailing newline) and
// schedules it for publication.
func (p *Publication) WriteJSON(rel string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	name, err := p.StagePath(rel)
	if err != nil {
		return err
	}
	if err := WriteFileAtomic(name, func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	}); err != nil {
		return err
	}
	p.Publish(rel)
	return nil
}

// Commit writes the journal and carries it out, in the order the files were
// scheduled. After Commit returns nil every file is in place and durable.
// An error after the journal is written leaves it for [Recover].
func (p *Publication) Commit() error {
	if p.done {
		return fmt.Errorf("publish into %s: %w", p.out, errFinished)
	}
	p.done = true
	j, err := p.writeJournal()
	if err != nil {
		p.abort()
		return err
	}
	// From here on the publication is decided: a failure leaves the
	// journal, and the next run finishes it.
	if err := apply(p.out, j); err != nil {
		return err
	}
	return finish(p.out)
}

// writeJournal checks the plan and writes it to OUT/.publish.json.
func (p *Publication) writeJournal() (journal, error) {
	for _, op := range p.ops {
		if err := checkRel(op.To); err != nil {
			return journal{}, err
		}
	}
	j := journal{RunID: p.runID, Ops: p.ops}
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
// is gone and whose destination exists was done by an earlier attempt.
func apply(out string, j journal) error {
	dirs := map[string]bool{}
	var errs []error
	for _, op := range j.Ops {
		to := filepath.Join(out, filepath.FromSlash(op.To))
		dirs[filepath.Dir(to)] = true
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
		if _, err := os.Lstat(from); errors.Is(err, fs.ErrNotExist) {
			if _, err := os.Lstat(to); err == nil {
				continue // renamed before a crash
			}
			errs = append(errs, fmt.Errorf("publish: staged file for %s is missing", op.To))
			continue
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			errs = append(errs, fmt.Errorf("publish %s: %w", op.To, err))
			continue
		}
		if err := os.Rename(from, to); err != nil {
			errs = append(errs, fmt.Errorf("publish %s: %w", op.To, err))
		}
	}
	for dir := range dirs {
		if err := syncDir(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("publish: sync %s: %w", dir, err))
		}
	}
	return errors.Join(errs...)
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
		for _, op := range j.Ops {
			if err := checkRel(op.To); err != nil {
				return rec, fmt.Errorf("recover %s: journal: %w", out, err)
			}
			if op.From != "" && !strings.HasPrefix(op.From, stagingDir+"/") {
				return rec, fmt.Errorf("recover %s: journal renames %q, outside the staging area", out, op.From)
			}
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
	for _, dir := range []string{".", ObservationsDir, FindingsDir, RunsDir} {
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
