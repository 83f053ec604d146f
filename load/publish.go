package load

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
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
	stageOnly bool // a shard's staging (NewShardStage): never committed
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
	if err := checkRunID(runID); err != nil {
		return nil, fmt.Errorf("publish into %s: %w", out, err)
	}
	staging := filepath.Join(out, stagingDir, runID)
	if err := os.MkdirAll(staging, 0o755); err != nil {
		return nil, fmt.Errorf("publish into %s: %w", out, err)
	}
	return &Publication{out: out, runID: runID, staging: staging, published: map[string]bool{}}, nil
}

// NewShardStage returns where shard i of run runID stages the files of its
// inputs (ShardFilesDir): a publication that only stages. Its files are
// published by the run's publication, which adopts them ([Publication.Adopt]);
// committing it is an error. Abort removes what it staged.
func NewShardStage(out, runID string, i int) (*Publication, error) {
	if err := checkRunID(runID); err != nil {
		return nil, fmt.Errorf("stage shard %d into %s: %w", i, out, err)
	}
	staging := filepath.Join(out, filepath.FromSlash(ShardFilesDir(runID, i)))
	if err := os.MkdirAll(staging, 0o755); err != nil {
		return nil, fmt.Errorf("stage shard %d into %s: %w", i, out, err)
	}
	return &Publication{out: out, runID: runID, staging: staging, published: map[string]bool{}, stageOnly: true}, nil
}

// Adopt stages the complete file name (a file a shard staged) as rel: it
// gets a second name in the staging area (a hard link; a copy where the
// file system has none), so that name stays as it was should the
// publication not be committed.
func (p *Publication) Adopt(rel, name string) error {
	dst, err := p.StagePath(rel)
	if err != nil {
		return err
	}
	fi, err := os.Lstat(name)
	if err != nil {
		return fmt.Errorf("stage %s: %w", rel, err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("stage %s: %s is not a regular file", rel, name)
	}
	_ = os.Remove(dst)
	if err := os.Link(name, dst); err == nil {
		return nil
	}
	if err := WriteFileAtomic(dst, func(w io.Writer) error {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(w, f)
		return err
	}); err != nil {
		return fmt.Errorf("stage %s: %w", rel, err)
	}
	return nil
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
	if p.stageOnly {
		return fmt.Errorf("publish into %s: a shard's staging is published by its run, not committed itself", p.out)
	}
	ops, err := p.plan(man)
	p.done = true
	if err != nil {
		p.abort()
		return err
	}
	if err := p.preflight(ops); err != nil {
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

// preflight refuses, before the journal is written, a plan that apply
// would refuse half-way: a symbolic link on the way to a file of OUT
// (OUT/audit made a link to another directory). The run then fails
// cleanly instead of leaving a journal that no recovery can finish.
func (p *Publication) preflight(ops []journalOp) error {
	root, err := os.OpenRoot(p.out)
	if err != nil {
		return fmt.Errorf("publish into %s: %w", p.out, err)
	}
	defer root.Close()
	for _, op := range ops {
		if err := noLinkOnTheWay(root, op.To); err != nil {
			return fmt.Errorf("publish into %s: %s: %w", p.out, op.To, err)
		}
	}
	return nil
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
// staging area and only touches files of the output's layout, by plain
// paths inside OUT: a journal is read back from OUT, where others may
// write.
func checkJournal(j journal) error {
	if err := checkRunID(j.RunID); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	staging := path.Join(stagingDir, j.RunID) + "/"
	for _, op := range j.Ops {
		if err := checkRel(op.To); err != nil {
			return fmt.Errorf("journal: %w", err)
		}
		if !outputPath(op.To) {
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

// CheckRunID returns an error unless id can name a run: a plain file
// name (no separator, not starting with a dot).
func CheckRunID(id string) error { return checkRunID(id) }

// checkRunID rejects run ids that are not a plain file name.
func checkRunID(id string) error {
	if id == "" || id[0] == '.' || strings.ContainsAny(id, "/\\\x00") || id != path.Clean(id) {
		return fmt.Errorf("invalid run id %q", id)
	}
	return nil
}

// outputPath reports whether rel is a path a publication may write or
// remove: a file of the datasets and audit directories, or the top-level
// files of a run.
// Hidden names (the lock, the journal, the staging area, temporary files)
// are never output files.
func outputPath(rel string) bool {
	for _, part := range strings.Split(rel, "/") {
		if strings.HasPrefix(part, ".") {
			return false
		}
	}
	dir, _, nested := strings.Cut(rel, "/")
	if nested {
		switch dir {
		case ObservationsDir, CurrentDir, RevisionsDir, DimDir, FindingsDir, RunsDir, AuditDir:
			return true
		}
		return false
	}
	switch rel {
	case ManifestFile, ReportFile, StateFile, HTMLReportFile:
		return true
	}
	return false
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
//
// Every step works inside OUT through an [os.Root], and refuses a path
// that passes a symbolic link on its way (OUT/audit -> elsewhere), a
// staged file that is not a regular file, and the removal of a
// directory: the journal is read back from OUT, where others may write,
// and must not make the run move, link or delete anything outside it.
func apply(out string, j journal) error {
	root, err := os.OpenRoot(out)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	defer root.Close()
	dirty := map[string]bool{}
	var errs []error
	sync := func() {
		for dir := range dirty {
			if err := syncRootDir(root, dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, fmt.Errorf("publish: sync %s: %w", dir, err))
			}
		}
		clear(dirty)
	}
	for _, op := range j.Ops {
		to := filepath.FromSlash(op.To)
		if op.To == ManifestFile {
			sync()
		}
		if err := noLinkOnTheWay(root, op.To); err != nil {
			errs = append(errs, fmt.Errorf("publish %s: %w", op.To, err))
			continue
		}
		dirty[filepath.Dir(to)] = true
		if op.From == "" {
			if err := removeFile(root, to); err != nil {
				errs = append(errs, fmt.Errorf("publish: remove %s: %w", op.To, err))
			}
			if strings.Count(op.To, "/") >= 2 {
				// A partition directory (observations/year=2013/) left
				// empty goes too; a dataset directory stays.
				_ = root.Remove(filepath.Dir(to))
			}
			continue
		}
		if err := noLinkOnTheWay(root, op.From); err != nil {
			errs = append(errs, fmt.Errorf("publish %s: %w", op.To, err))
			continue
		}
		from := filepath.FromSlash(op.From)
		fromInfo, err := root.Lstat(from)
		if errors.Is(err, fs.ErrNotExist) {
			if _, err := root.Lstat(to); err == nil {
				continue // renamed before a crash
			}
			errs = append(errs, fmt.Errorf("publish: staged file for %s is missing", op.To))
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("publish %s: %w", op.To, err))
			continue
		}
		if !fromInfo.Mode().IsRegular() {
			errs = append(errs, fmt.Errorf("publish %s: the staged %s is not a regular file", op.To, op.From))
			continue
		}
		if err := root.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			errs = append(errs, fmt.Errorf("publish %s: %w", op.To, err))
			continue
		}
		if !op.Link {
			if err := root.Rename(from, to); err != nil {
				errs = append(errs, fmt.Errorf("publish %s: %w", op.To, err))
			}
			continue
		}
		if toInfo, err := root.Lstat(to); err == nil && os.SameFile(fromInfo, toInfo) {
			continue // linked before a crash
		}
		if err := link(root, from, to, j.RunID); err != nil {
			errs = append(errs, fmt.Errorf("publish %s: %w", op.To, err))
		}
	}
	sync()
	return errors.Join(errs...)
}

// noLinkOnTheWay checks that no directory on the way to rel (relative to
// the root, forward slashes) is a symbolic link or something else than a
// directory. Directories that do not exist yet are fine: MkdirAll makes
// them real directories.
func noLinkOnTheWay(root *os.Root, rel string) error {
	parts := strings.Split(rel, "/")
	for i := 1; i < len(parts); i++ {
		dir := filepath.FromSlash(strings.Join(parts[:i], "/"))
		fi, err := root.Lstat(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil
		case err != nil:
			return err
		case fi.Mode()&fs.ModeSymlink != 0:
			return fmt.Errorf("%s is a symbolic link; refusing to follow it", filepath.ToSlash(dir))
		case !fi.IsDir():
			return fmt.Errorf("%s is not a directory", filepath.ToSlash(dir))
		}
	}
	return nil
}

// removeFile removes the file name of the root, never a directory: a
// symbolic link is removed itself, not what it points to. A missing file
// is not an error.
func removeFile(root *os.Root, name string) error {
	fi, err := root.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return fmt.Errorf("%s is a directory; only files are removed", filepath.ToSlash(name))
	}
	if err := root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// syncRootDir fsyncs the directory dir of the root (see syncDir).
func syncRootDir(root *os.Root, dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := root.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) {
		return nil
	}
	return err
}

// link gives the file from the second name to, replacing what is there:
// a hard link under a temporary name, renamed into place. Where the file
// system has no hard links, a copy takes the link's place. Both names are
// relative to the root.
func link(root *os.Root, from, to, runID string) error {
	tmp := filepath.Join(filepath.Dir(to), "."+filepath.Base(to)+"."+runID+".tmp")
	_ = root.Remove(tmp) // left by an attempt that was killed
	if err := root.Link(from, tmp); err != nil {
		if err := copyFile(root, from, tmp); err != nil {
			_ = root.Remove(tmp)
			return err
		}
	}
	if err := root.Rename(tmp, to); err != nil {
		_ = root.Remove(tmp)
		return err
	}
	return nil
}

// copyFile copies from to a new file to, fsynced; both relative to the
// root.
func copyFile(root *os.Root, from, to string) error {
	src, err := root.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := root.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, outputMode)
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
		j, err := readJournal(b)
		if err != nil {
			return rec, fmt.Errorf("recover %s: %w", out, err)
		}
		if err := matchRun(out, j); err != nil {
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
	for _, dir := range []string{".", ObservationsDir, CurrentDir, RevisionsDir, DimDir, FindingsDir, RunsDir, AuditDir} {
		if fi, err := os.Lstat(filepath.Join(out, dir)); err != nil || !fi.IsDir() {
			continue // missing, or a symbolic link: nothing of ours
		}
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
	// Partition directories of observations and of the current dataset.
	parts, _ := ListFiles(out, ObservationsDir)
	curParts, _ := ListFiles(out, CurrentDir)
	for _, rel := range append(parts, curParts...) {
		if strings.Count(rel, "/") >= 2 && isTempName(path.Base(rel)) {
			if err := os.Remove(filepath.Join(out, filepath.FromSlash(rel))); err == nil {
				rec.Removed = append(rec.Removed, rel)
			}
		}
	}
	return rec, nil
}

// readJournal reads a journal back from OUT: one JSON object with no
// unknown field, every path of it checked (see checkJournal).
func readJournal(b []byte) (journal, error) {
	var j journal
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	err := dec.Decode(&j)
	if err == nil && dec.More() {
		err = errors.New("data after the journal")
	}
	if err != nil {
		return j, fmt.Errorf("unreadable journal %s (written atomically, so not by tradeetl): %w", journalFile, err)
	}
	if err := checkJournal(j); err != nil {
		return j, fmt.Errorf("%w (the journal was not written by tradeetl; remove it to go on)", err)
	}
	return j, nil
}

// matchRun checks that a journal belongs to the run it names, as
// tradeetl leaves it when killed: the run's staging area is there (a real
// directory: tradeetl removes it only after the journal), the journal
// publishes a manifest (first the staged one, last the final one), and
// that manifest names the run — still staged, or already in place.
func matchRun(out string, j journal) error {
	for _, dir := range []string{stagingDir, path.Join(stagingDir, j.RunID)} {
		fi, err := os.Lstat(filepath.Join(out, filepath.FromSlash(dir)))
		if err != nil || !fi.IsDir() || fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("journal of run %s: its staging area %s is missing or not a directory", j.RunID, dir)
		}
	}
	var manifests []string
	for _, op := range j.Ops {
		if op.To == ManifestFile {
			manifests = append(manifests, op.From)
		}
	}
	if len(manifests) == 0 || manifests[0] != path.Join(stagingDir, j.RunID, stagedManifest) ||
		manifests[len(manifests)-1] != path.Join(stagingDir, j.RunID, ManifestFile) {
		return fmt.Errorf("journal of run %s: it does not publish the run's manifest", j.RunID)
	}
	staged := false
	for _, from := range manifests {
		m, err := readManifestFile(filepath.Join(out, filepath.FromSlash(from)))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("journal of run %s: %w", j.RunID, err)
		}
		if m.RunID != j.RunID {
			return fmt.Errorf("journal of run %s: its staged manifest names run %q", j.RunID, m.RunID)
		}
		staged = true
	}
	if !staged {
		m, err := readManifestFile(filepath.Join(out, ManifestFile))
		if err != nil {
			return fmt.Errorf("journal of run %s: %w", j.RunID, err)
		}
		if m.RunID != j.RunID {
			return fmt.Errorf("journal of run %s: manifest.json names run %q", j.RunID, m.RunID)
		}
	}
	return nil
}

// readManifestFile reads a manifest, not following a symbolic link.
func readManifestFile(name string) (*Manifest, error) {
	fi, err := os.Lstat(name)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", filepath.Base(name))
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Base(name), err)
	}
	return &m, nil
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
