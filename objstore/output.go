package objstore

import (
	"context"
	"crypto/sha256"
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
	"strings"
	"sync"
	"time"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"
	"golang.org/x/sync/errgroup"

	"github.com/tradeetl/tradeetl/load"
)

// The layout of an output in object storage, relative to OUT's prefix:
//
//	manifest.json                the commit point: every object of the run
//	data/RUN_ID/PATH             a file the run RUN_ID published (PATH as
//	                             in a local output: observations/ID.parquet)
//	.lock                        the lock object (see Lock)
//
// Objects are written once and never overwritten, except manifest.json
// and .lock.
const (
	// DataPrefix holds every published file.
	DataPrefix = "data/"
	// DefaultGrace is how long an object that no manifest names any more
	// is kept for readers of an earlier manifest.
	DefaultGrace = 24 * time.Hour
)

// Manifest is manifest.json in object storage: load.Manifest with, for
// each file, the object that holds it.
type Manifest struct {
	RunID   string `json:"run_id"`
	Version string `json:"version"`
	Created string `json:"created"`
	// Files are the files of the output: Path is the object's key
	// relative to OUT (data/RUN_ID/observations/ID.parquet), Name the
	// file's path in the layout of a local output.
	Files []File `json:"files"`
	// State is the state of incremental runs (state.json).
	State *File `json:"state,omitempty"`
	// Retired are objects of earlier manifests that this one no longer
	// names, kept for their readers until Since + the grace period.
	Retired []Retired `json:"retired,omitempty"`
}

// File is a file of the output and its object.
type File struct {
	load.FileInfo
	Name string `json:"name"`
}

// MarshalJSON writes the file as load.FileInfo writes it, with its name.
func (f File) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(f.FileInfo)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	if m["name"], err = json.Marshal(f.Name); err != nil {
		return nil, err
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (f *File) UnmarshalJSON(b []byte) error {
	var n struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	if err := json.Unmarshal(b, &f.FileInfo); err != nil {
		return err
	}
	f.Name = n.Name
	return nil
}

// Retired is an object no manifest names since Since.
type Retired struct {
	Key   string    `json:"key"`
	Since time.Time `json:"since"`
}

// Options tune an Output.
type Options struct {
	// Grace is how long objects that the manifest no longer names are
	// kept; 0 means DefaultGrace, a negative value keeps them forever.
	Grace time.Duration
	// Concurrency is the number of objects moved at once; default 8.
	Concurrency int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Wrap, when set, wraps every object reader and writer (tests count
	// bytes and inject failures with it).
	Wrap func(op, key string) error
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// An Output is an output in object storage and its local mirror: a
// directory that holds, under their names in the layout, the files the
// manifest names, so that pipeline.Run works against it unchanged.
type Output struct {
	loc  Location
	b    *blob.Bucket
	dir  string
	opts Options
	// man is the manifest as Pull found it (an empty one when the
	// output is new).
	man *Manifest
	// index remembers the SHA-256 of the mirror's files by size and
	// modification time, so that Pull hashes only files that changed.
	mu    sync.Mutex
	index map[string]indexEntry
}

// indexFile is the index of the mirror, at its top (a hidden name, which
// no output file has).
const indexFile = ".objstore-index.json"

type indexEntry struct {
	Size    int64  `json:"size"`
	ModTime int64  `json:"mtime_ns"`
	SHA256  string `json:"sha256"`
}

func (o *Output) loadIndex() {
	o.index = map[string]indexEntry{}
	if b, err := os.ReadFile(filepath.Join(o.dir, indexFile)); err == nil {
		_ = json.Unmarshal(b, &o.index)
	}
}

func (o *Output) saveIndex() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return writeJSON(filepath.Join(o.dir, indexFile), o.index)
}

// knownSHA256 returns the SHA-256 of the mirror's file name, hashing it
// only when the index does not vouch for it.
func (o *Output) knownSHA256(name string) (string, error) {
	p := filepath.Join(o.dir, filepath.FromSlash(name))
	fi, err := os.Stat(p)
	if err != nil {
		return "", err
	}
	o.mu.Lock()
	e, ok := o.index[name]
	o.mu.Unlock()
	if ok && e.Size == fi.Size() && e.ModTime == fi.ModTime().UnixNano() {
		return e.SHA256, nil
	}
	sum, err := fileSHA256(p)
	if err != nil {
		return "", err
	}
	o.remember(name, fi, sum)
	return sum, nil
}

func (o *Output) remember(name string, fi os.FileInfo, sum string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.index == nil {
		o.index = map[string]indexEntry{}
	}
	o.index[name] = indexEntry{Size: fi.Size(), ModTime: fi.ModTime().UnixNano(), SHA256: sum}
}

// OpenOutput opens the output at URL u with its local mirror in dir
// (created if needed).
func OpenOutput(ctx context.Context, u, dir string, opts Options) (*Output, error) {
	loc, err := ParseURL(u)
	if err != nil {
		return nil, err
	}
	b, err := loc.Open(ctx, true)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Close()
		return nil, fmt.Errorf("work directory: %w", err)
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 8
	}
	return &Output{loc: loc, b: b, dir: dir, opts: opts}, nil
}

// Close closes the bucket.
func (o *Output) Close() error { return o.b.Close() }

// Dir is the local mirror of OUT.
func (o *Output) Dir() string { return o.dir }

// Bucket is the output's bucket, keys relative to OUT.
func (o *Output) Bucket() *blob.Bucket { return o.b }

// String names the output (its URL without query).
func (o *Output) String() string { return o.loc.String() }

// Lock takes the output's lock (see AcquireLock).
func (o *Output) Lock(ctx context.Context, holder load.LockHolder, opts LockOptions) (*Lock, *load.LockHolder, error) {
	if opts.Now == nil {
		opts.Now = o.opts.Now
	}
	return AcquireLock(ctx, o.b, o.String(), holder, opts)
}

// ReadManifest reads OUT's manifest.json; an output without one has an
// empty manifest.
func (o *Output) ReadManifest(ctx context.Context) (*Manifest, error) {
	data, err := o.b.ReadAll(ctx, load.ManifestFile)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return &Manifest{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s/%s: %w", o, load.ManifestFile, err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("read %s/%s: %w", o, load.ManifestFile, err)
	}
	for _, f := range append(slices.Clone(m.Files), ptrFiles(m.State)...) {
		if err := checkName(f.Name); err != nil {
			return nil, fmt.Errorf("read %s/%s: %w", o, load.ManifestFile, err)
		}
	}
	return &m, nil
}

func ptrFiles(f *File) []File {
	if f == nil {
		return nil
	}
	return []File{*f}
}

// checkName refuses a name that would leave the mirror.
func checkName(name string) error {
	if name == "" || path.IsAbs(name) || strings.Contains(name, `\`) || path.Clean(name) != name || name == ".." || strings.HasPrefix(name, "../") || strings.HasPrefix(name, ".") {
		return fmt.Errorf("file name %q is not a path inside the output", name)
	}
	return nil
}

// Pull makes the mirror hold exactly what OUT's manifest names: files it
// lacks, or whose SHA-256 differs from the manifest's, are downloaded;
// files it does not name are removed; manifest.json and state.json are
// written in their local form. A publication left in the mirror by a run
// that never reached the store is discarded.
func (o *Output) Pull(ctx context.Context) error {
	m, err := o.ReadManifest(ctx)
	if err != nil {
		return err
	}
	o.man = m
	o.loadIndex()
	// A local publication the store never saw must not be finished.
	for _, name := range []string{".publish.json", ".staging"} {
		if err := os.RemoveAll(filepath.Join(o.dir, name)); err != nil {
			return fmt.Errorf("work directory: %w", err)
		}
	}
	want := map[string]File{}
	for _, f := range m.Files {
		want[f.Name] = f
	}
	if m.State != nil {
		want[load.StateFile] = *m.State
	}
	// Remove what the manifest does not name.
	have, err := o.localFiles()
	if err != nil {
		return err
	}
	for _, rel := range have {
		if _, ok := want[rel]; !ok {
			if err := os.Remove(filepath.Join(o.dir, filepath.FromSlash(rel))); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("work directory: %w", err)
			}
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(o.opts.Concurrency)
	for _, f := range want {
		g.Go(func() error { return o.fetch(gctx, f) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if err := o.saveIndex(); err != nil {
		return fmt.Errorf("work directory: %w", err)
	}
	local := load.Manifest{RunID: m.RunID, Version: m.Version, Created: m.Created}
	for _, f := range m.Files {
		fi := f.FileInfo
		fi.Path = f.Name
		local.Files = append(local.Files, fi)
	}
	if m.RunID == "" {
		return removeIfExists(filepath.Join(o.dir, load.ManifestFile))
	}
	return writeJSON(filepath.Join(o.dir, load.ManifestFile), local)
}

// outputDirs are the directories of a local output that hold files a
// manifest names.
var outputDirs = []string{load.ObservationsDir, load.CurrentDir, load.RevisionsDir, load.DimDir, load.FindingsDir, load.RunsDir, load.AuditDir}

// topFiles are the files at the top of a local output that a manifest (or
// its state) names.
var topFiles = []string{load.ReportFile, load.StateFile, "report.html", "observations.parquet", "findings.parquet"}

// localFiles lists the output files of the mirror.
func (o *Output) localFiles() ([]string, error) {
	var rels []string
	for _, dir := range outputDirs {
		fs, err := load.ListFiles(o.dir, dir)
		if err != nil {
			return nil, fmt.Errorf("work directory: %w", err)
		}
		rels = append(rels, fs...)
	}
	for _, name := range topFiles {
		if _, err := os.Lstat(filepath.Join(o.dir, name)); err == nil {
			rels = append(rels, name)
		}
	}
	return rels, nil
}

// fetch brings the file f into the mirror unless it is there with its
// SHA-256.
func (o *Output) fetch(ctx context.Context, f File) error {
	name := filepath.Join(o.dir, filepath.FromSlash(f.Name))
	if sum, err := o.knownSHA256(f.Name); err == nil && sum == f.SHA256 {
		return nil
	}
	if err := o.download(ctx, f.Path, name, f.SHA256, -1, time.Time{}); err != nil {
		return err
	}
	if fi, err := os.Stat(name); err == nil {
		o.remember(f.Name, fi, f.SHA256)
	}
	return nil
}

// download copies the object key into the file name, through a
// temporary file renamed into place once complete and, with sum,
// verified; max bounds its size (negative: no bound).
func (o *Output) download(ctx context.Context, key, name, sum string, max int64, mtime time.Time) error {
	return downloadObject(ctx, o.b, key, name, sum, max, mtime, o.opts.Wrap, o.String())
}

// downloadObject is Output.download on any bucket; the file gets the
// modification time mtime, or the object's when zero.
func downloadObject(ctx context.Context, b *blob.Bucket, key, name, sum string, max int64, mtime time.Time, wrap func(op, key string) error, where string) error {
	if wrap != nil {
		if err := wrap("get", key); err != nil {
			return fmt.Errorf("download %s/%s: %w", where, key, err)
		}
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return fmt.Errorf("download %s/%s: %w", where, key, err)
	}
	r, err := b.NewReader(ctx, key, nil)
	if err != nil {
		return fmt.Errorf("download %s/%s: %w", where, key, err)
	}
	defer r.Close()
	if max >= 0 && r.Size() > max {
		return fmt.Errorf("download %s/%s: %d bytes, more than the limit of %d (--max-object-bytes)", where, key, r.Size(), max)
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return fmt.Errorf("download %s/%s: %w", where, key, err)
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	src := io.Reader(r)
	if max >= 0 {
		src = io.LimitReader(r, max+1)
	}
	n, err := io.Copy(io.MultiWriter(tmp, h), src)
	if err == nil && max >= 0 && n > max {
		err = fmt.Errorf("more than the limit of %d bytes (--max-object-bytes)", max)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("download %s/%s: %w", where, key, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); sum != "" && got != sum {
		return fmt.Errorf("download %s/%s: SHA-256 %s, but the manifest records %s (the object was changed in the store)", where, key, got, sum)
	}
	if mtime.IsZero() {
		mtime = r.ModTime()
	}
	if !mtime.IsZero() {
		_ = os.Chtimes(tmp.Name(), mtime, mtime)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("download %s/%s: %w", where, key, err)
	}
	return nil
}

// Push publishes the run the mirror holds into OUT: every file of the
// mirror's manifest.json whose SHA-256 differs from the one of the same
// name in the manifest Pull read is uploaded to data/RUN_ID/NAME (the
// others keep their objects), state.json likewise, then manifest.json
// names them all. Before that single write, check (the lock's Check) is
// called: a run that lost its lock publishes nothing. It returns the
// manifest written, or the one Pull read when the mirror holds no new
// run. Objects the previous manifest named and this one does not are
// listed as retired; Sweep removes them once the grace period is over.
func (o *Output) Push(ctx context.Context, check func(context.Context) error) (*Manifest, error) {
	if o.man == nil {
		return nil, errors.New("push: the output was not pulled")
	}
	local, err := load.ReadManifest(o.dir)
	if err != nil {
		return nil, fmt.Errorf("push to %s: %w", o, err)
	}
	if local.RunID == "" || local.RunID == o.man.RunID {
		return o.man, nil // nothing new was published
	}
	prev := map[string]File{}
	for _, f := range o.man.Files {
		prev[f.Name] = f
	}
	if o.man.State != nil {
		prev[load.StateFile] = *o.man.State
	}
	next := &Manifest{RunID: local.RunID, Version: local.Version, Created: local.Created, Files: make([]File, len(local.Files))}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(o.opts.Concurrency)
	put := func(fi load.FileInfo, into *File) {
		f := File{FileInfo: fi, Name: fi.Path}
		if err := checkName(f.Name); err != nil {
			g.Go(func() error { return err })
			return
		}
		if p, ok := prev[f.Name]; ok && p.SHA256 == f.SHA256 && f.SHA256 != "" {
			f.Path = p.Path
			*into = f
			return
		}
		f.Path = path.Join(strings.TrimSuffix(DataPrefix, "/"), local.RunID, f.Name)
		*into = f
		g.Go(func() error {
			return o.upload(gctx, filepath.Join(o.dir, filepath.FromSlash(f.Name)), f.Path, f.SHA256)
		})
	}
	for i, fi := range local.Files {
		put(fi, &next.Files[i])
	}
	stateName := filepath.Join(o.dir, load.StateFile)
	if st, err := os.Stat(stateName); err == nil && st.Mode().IsRegular() {
		sum, err := fileSHA256(stateName)
		if err != nil {
			return nil, fmt.Errorf("push to %s: %w", o, err)
		}
		next.State = &File{}
		put(load.FileInfo{Path: load.StateFile, Bytes: st.Size(), SHA256: sum}, next.State)
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("push to %s: %w (nothing of the run was published; its objects are removed after the grace period)", o, err)
	}
	next.Retired = o.retire(next)
	data, err := json.MarshalIndent(next, "", "  ")
	if err != nil {
		return nil, err
	}
	if o.opts.Wrap != nil {
		if err := o.opts.Wrap("put", load.ManifestFile); err != nil {
			return nil, fmt.Errorf("push to %s: %s: %w (nothing of the run was published)", o, load.ManifestFile, err)
		}
	}
	if check != nil {
		if err := check(ctx); err != nil {
			return nil, fmt.Errorf("push to %s: %w (nothing of the run was published)", o, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("push to %s: %w (nothing of the run was published)", o, err)
	}
	// The commit point: one PUT, atomic in every object store. Once it
	// is sent, a cancellation no longer stops it (the request is short):
	// the run is then published in full, or, on a failure, the previous
	// manifest stands.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), commitTimeout)
	defer cancel()
	if err := o.b.WriteAll(wctx, load.ManifestFile, append(data, '\n'), &blob.WriterOptions{ContentType: "application/json"}); err != nil {
		return nil, fmt.Errorf("push to %s: %s: %w (the previous manifest may stand or this one; both are whole)", o, load.ManifestFile, err)
	}
	o.man = next
	// The files the run wrote are the mirror's now: remember their sums.
	for _, f := range append(slices.Clone(next.Files), ptrFiles(next.State)...) {
		if fi, err := os.Stat(filepath.Join(o.dir, filepath.FromSlash(f.Name))); err == nil {
			o.remember(f.Name, fi, f.SHA256)
		}
	}
	_ = o.saveIndex() // a cache: without it the next Pull hashes
	return next, nil
}

// commitTimeout bounds the write of manifest.json.
const commitTimeout = time.Minute

// retire lists the objects of the previous manifest that next no longer
// names, with those retired earlier whose grace period is not over.
func (o *Output) retire(next *Manifest) []Retired {
	keep := map[string]bool{}
	for _, f := range append(slices.Clone(next.Files), ptrFiles(next.State)...) {
		keep[f.Path] = true
	}
	now := o.opts.now().UTC()
	var out []Retired
	seen := map[string]bool{}
	for _, f := range append(slices.Clone(o.man.Files), ptrFiles(o.man.State)...) {
		if !keep[f.Path] && !seen[f.Path] {
			seen[f.Path] = true
			out = append(out, Retired{Key: f.Path, Since: now})
		}
	}
	for _, r := range o.man.Retired {
		if !keep[r.Key] && !seen[r.Key] {
			seen[r.Key] = true
			out = append(out, r) // Sweep removes it when its time is up
		}
	}
	slices.SortFunc(out, func(a, b Retired) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// upload copies the file name to the object key, checking that it has
// the SHA-256 sum (empty: unchecked); a failed upload leaves no object.
func (o *Output) upload(ctx context.Context, name, key, sum string) error {
	if o.opts.Wrap != nil {
		if err := o.opts.Wrap("put", key); err != nil {
			return fmt.Errorf("upload %s: %w", key, err)
		}
	}
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("upload %s: %w", key, err)
	}
	defer f.Close()
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := o.b.NewWriter(wctx, key, nil)
	if err != nil {
		return fmt.Errorf("upload %s: %w", key, err)
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(w, h), f)
	if got := hex.EncodeToString(h.Sum(nil)); err == nil && sum != "" && got != sum {
		err = fmt.Errorf("the local file has SHA-256 %s, its manifest says %s", got, sum)
	}
	if err != nil {
		cancel() // abandons the upload
		_ = w.Close()
		return fmt.Errorf("upload %s: %w", key, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("upload %s: %w", key, err)
	}
	return nil
}

// SweepResult says what Sweep removed.
type SweepResult struct {
	Removed []string // keys, relative to OUT
	Kept    int      // unreferenced objects still within the grace period
}

// Sweep removes the objects under data/ that OUT's current manifest does
// not name, once the grace period is over: retired objects counted from
// when a manifest stopped naming them, objects never named (uploads of a
// run that did not commit) from when they were written. An object the
// manifest names is never removed. Call it with the lock held.
func (o *Output) Sweep(ctx context.Context) (SweepResult, error) {
	var res SweepResult
	grace := o.opts.Grace
	if grace == 0 {
		grace = DefaultGrace
	}
	if grace < 0 {
		return res, nil
	}
	m, err := o.ReadManifest(ctx)
	if err != nil {
		return res, err
	}
	named := map[string]bool{}
	for _, f := range append(slices.Clone(m.Files), ptrFiles(m.State)...) {
		named[f.Path] = true
	}
	retired := map[string]time.Time{}
	for _, r := range m.Retired {
		retired[r.Key] = r.Since
	}
	cutoff := o.opts.now().Add(-grace)
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(o.opts.Concurrency)
	it := o.b.List(&blob.ListOptions{Prefix: DataPrefix})
	for {
		obj, err := it.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return res, fmt.Errorf("sweep %s: %w", o, err)
		}
		if obj.IsDir || named[obj.Key] {
			continue
		}
		since, ok := retired[obj.Key]
		if !ok {
			since = obj.ModTime
		}
		if since.After(cutoff) {
			res.Kept++
			continue
		}
		g.Go(func() error {
			if err := o.b.Delete(gctx, obj.Key); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
				return fmt.Errorf("sweep %s: remove %s: %w", o, obj.Key, err)
			}
			mu.Lock()
			res.Removed = append(res.Removed, obj.Key)
			mu.Unlock()
			return nil
		})
	}
	err = g.Wait()
	slices.Sort(res.Removed)
	return res, err
}

// PutTree uploads the files under rel in the mirror (a directory such as
// a shard's staging area, .shards/RUN_ID/I) to the same keys under OUT,
// replacing what is there, and removes the objects under rel that the
// mirror does not hold. It is for staged work that is not yet published:
// published files go through Push.
func (o *Output) PutTree(ctx context.Context, rel string) error {
	if err := checkTree(rel); err != nil {
		return err
	}
	var files []string
	root := filepath.Join(o.dir, filepath.FromSlash(rel))
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && !strings.HasSuffix(d.Name(), ".tmp") {
			r, err := filepath.Rel(o.dir, p)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(r))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("put %s to %s: %w", rel, o, err)
	}
	// The markers a tree's reader waits for (a shard's complete.json or
	// failed.json) go up last, once every other file is there: a reader
	// that sees a marker finds the files it vouches for. The markers of
	// an earlier upload of the tree go first, before its files change.
	old, err := o.listTree(ctx, rel)
	if err != nil {
		return err
	}
	for _, k := range old {
		if isMarker(path.Base(k)) {
			if err := o.b.Delete(ctx, k); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
				return fmt.Errorf("put %s to %s: %w", rel, o, err)
			}
		}
	}
	var data, markers []string
	for _, f := range files {
		if isMarker(path.Base(f)) {
			markers = append(markers, f)
		} else {
			data = append(data, f)
		}
	}
	for _, batch := range [][]string{data, markers} {
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(o.opts.Concurrency)
		for _, f := range batch {
			g.Go(func() error { return o.upload(gctx, filepath.Join(o.dir, filepath.FromSlash(f)), f, "") })
		}
		if err := g.Wait(); err != nil {
			return fmt.Errorf("put %s to %s: %w", rel, o, err)
		}
	}
	keys, err := o.listTree(ctx, rel)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if !slices.Contains(files, k) {
			if err := o.b.Delete(ctx, k); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
				return fmt.Errorf("put %s to %s: %w", rel, o, err)
			}
		}
	}
	return nil
}

// isMarker reports whether name is a marker file of a staging tree, which
// says the tree is whole (load.ShardCompleteFile, load.ShardFailedFile).
func isMarker(name string) bool {
	return name == load.ShardCompleteFile || name == load.ShardFailedFile
}

// GetTree makes rel in the mirror hold exactly the objects under rel in
// OUT (the shards' staging areas, .shards/RUN_ID, before a publish).
func (o *Output) GetTree(ctx context.Context, rel string) error {
	if err := checkTree(rel); err != nil {
		return err
	}
	keys, err := o.listTree(ctx, rel)
	if err != nil {
		return err
	}
	root := filepath.Join(o.dir, filepath.FromSlash(rel))
	if err := os.RemoveAll(root); err != nil {
		return fmt.Errorf("get %s from %s: %w", rel, o, err)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(o.opts.Concurrency)
	for _, k := range keys {
		if err := checkKey(k); err != nil {
			return fmt.Errorf("get %s from %s: %w", rel, o, err)
		}
		g.Go(func() error {
			return o.download(gctx, k, filepath.Join(o.dir, filepath.FromSlash(k)), "", -1, time.Time{})
		})
	}
	return g.Wait()
}

// RemoveTree removes the objects under rel in OUT (a published run's
// shard staging areas).
func (o *Output) RemoveTree(ctx context.Context, rel string) error {
	if err := checkTree(rel); err != nil {
		return err
	}
	keys, err := o.listTree(ctx, rel)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := o.b.Delete(ctx, k); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
			return fmt.Errorf("remove %s from %s: %w", rel, o, err)
		}
	}
	return nil
}

func (o *Output) listTree(ctx context.Context, rel string) ([]string, error) {
	var keys []string
	it := o.b.List(&blob.ListOptions{Prefix: rel + "/"})
	for {
		obj, err := it.Next(ctx)
		if err == io.EOF {
			return keys, nil
		}
		if err != nil {
			return nil, fmt.Errorf("list %s/%s: %w", o, rel, err)
		}
		if !obj.IsDir {
			keys = append(keys, obj.Key)
		}
	}
}

// checkTree refuses a tree that is not a plain directory below OUT, or
// that holds published files.
func checkTree(rel string) error {
	if err := checkKey(rel); err != nil {
		return err
	}
	top, _, _ := strings.Cut(rel, "/")
	if top == strings.TrimSuffix(DataPrefix, "/") || top == load.ManifestFile || top == LockKey || slices.Contains(outputDirs, top) {
		return fmt.Errorf("%q holds published files; only staging trees are moved whole", rel)
	}
	return nil
}

// checkKey refuses keys that would leave a directory when taken as a path.
func checkKey(k string) error {
	if k == "" || path.IsAbs(k) || strings.Contains(k, `\`) || strings.ContainsRune(k, 0) || path.Clean(k) != k || k == ".." || strings.HasPrefix(k, "../") {
		return fmt.Errorf("%q is not a plain relative path", k)
	}
	return nil
}

func fileSHA256(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func writeJSON(name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return load.WriteFileAtomic(name, func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}

func removeIfExists(name string) error {
	if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
