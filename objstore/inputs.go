package objstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"

	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"
	"golang.org/x/sync/errgroup"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/pipeline"
)

// DefaultMaxObjectBytes bounds the size of an input object: 4 GiB.
const DefaultMaxObjectBytes = 4 << 30

// InputOptions tune FetchInputs.
type InputOptions struct {
	// Dir is where the copies go: DIR/inputs/...
	Dir string
	// MaxObjectBytes refuses larger input objects; 0 means
	// DefaultMaxObjectBytes.
	MaxObjectBytes int64
	// Exclude are the run's --exclude patterns, matched against the
	// object keys as against local paths.
	Exclude []string
	// Concurrency is the number of objects downloaded at once; default 8.
	Concurrency int
	// Keep, when set, picks the inputs to fetch by name (the object's
	// URL): a shard fetches only its own. The others are listed all the
	// same (every shard plans the whole run), with an empty placeholder
	// for their copy where there is none, which the shard does not read.
	Keep func(name string) bool
	// Wrap, when set, is called before each download (tests).
	Wrap func(op, key string) error
}

// Inputs are input URLs brought into local files.
type Inputs struct {
	// Files are the local copies, in the order of their names.
	Files []string
	// Names are the inputs' names, by local copy: the object's URL
	// (without query), for pipeline.Config.InputNames.
	Names map[string]string
	// Excluded are the objects an exclude pattern skipped.
	Excluded []pipeline.Exclusion
	// Downloaded counts the objects copied; the others were in the work
	// directory already, unchanged (same size and time).
	Downloaded int
	Bytes      int64
}

// FetchInputs lists each input URL and copies the input objects under it
// into the work directory: a URL ending in "/" (or naming no object) is a
// prefix, walked like a directory (the file types tradeetl reads, hidden
// names and exclude patterns skipped); another names one object. The copy
// of an object lives at a path that depends only on its URL, and keeps
// the object's size and modification time, so a later run finds it
// there, downloads only what changed, and skips unchanged inputs as it
// does local files. A URL under which nothing exists is an error, as a
// missing local path is. Objects above the size limit are refused with an
// error naming them.
func FetchInputs(ctx context.Context, urls []string, opts InputOptions) (*Inputs, error) {
	if opts.MaxObjectBytes <= 0 {
		opts.MaxObjectBytes = DefaultMaxObjectBytes
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 8
	}
	in := &Inputs{Names: map[string]string{}}
	var mu sync.Mutex
	for _, u := range urls {
		loc, err := ParseURL(u)
		if err != nil {
			return nil, err
		}
		b, err := loc.Open(ctx, false)
		if err != nil {
			return nil, err
		}
		objs, excluded, err := listInputs(ctx, b, loc, opts)
		if err != nil {
			b.Close()
			return nil, err
		}
		in.Excluded = append(in.Excluded, excluded...)
		sum := sha256.Sum256([]byte(loc.bucketURL()))
		root := filepath.Join(opts.Dir, "inputs", loc.Scheme+"-"+safeName(loc.Bucket)+"-"+hex.EncodeToString(sum[:4]))
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(opts.Concurrency)
		for _, obj := range objs {
			local := filepath.Join(root, filepath.FromSlash(obj.Key))
			name := loc.Scheme + "://" + loc.Bucket + "/" + obj.Key
			if _, dup := in.Names[local]; !dup {
				in.Files = append(in.Files, local)
			}
			in.Names[local] = name
			if opts.Keep != nil && !opts.Keep(name) {
				if err := placeholder(local); err != nil {
					return nil, fmt.Errorf("input %s: %w", name, err)
				}
				continue
			}
			g.Go(func() error {
				if fi, err := os.Stat(local); err == nil && fi.Mode().IsRegular() && fi.Size() == obj.Size && fi.ModTime().Equal(obj.ModTime) {
					return nil
				}
				if obj.Size > opts.MaxObjectBytes {
					return fmt.Errorf("input %s: %d bytes, more than the limit of %d (--max-object-bytes)", name, obj.Size, opts.MaxObjectBytes)
				}
				if err := downloadObject(gctx, b, obj.Key, local, "", opts.MaxObjectBytes, obj.ModTime, opts.Wrap, loc.Scheme+"://"+loc.Bucket); err != nil {
					return err
				}
				mu.Lock()
				in.Downloaded++
				in.Bytes += obj.Size
				mu.Unlock()
				return nil
			})
		}
		err = g.Wait()
		b.Close()
		if err != nil {
			return nil, err
		}
	}
	slices.SortFunc(in.Files, func(a, b string) int { return strings.Compare(in.Names[a], in.Names[b]) })
	return in, nil
}

// placeholder creates an empty file at name unless a file is there: it
// stands for an input object a shard lists but does not read. A later run
// that reads the input downloads it, as the sizes differ.
func placeholder(name string) error {
	if _, err := os.Lstat(name); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil
		}
		return err
	}
	return f.Close()
}

// listInputs lists the input objects a URL names.
func listInputs(ctx context.Context, b *blob.Bucket, loc Location, opts InputOptions) ([]*blob.ListObject, []pipeline.Exclusion, error) {
	key := loc.Key
	if key != "" && !strings.HasSuffix(key, "/") {
		attrs, err := b.Attributes(ctx, key)
		if err == nil {
			if err := checkKey(key); err != nil {
				return nil, nil, fmt.Errorf("input %s: %w", loc, err)
			}
			return []*blob.ListObject{{Key: key, Size: attrs.Size, ModTime: attrs.ModTime}}, nil, nil
		}
		if gcerrors.Code(err) != gcerrors.NotFound {
			return nil, nil, fmt.Errorf("input %s: %w", loc, err)
		}
		key += "/"
	}
	var objs []*blob.ListObject
	var excluded []pipeline.Exclusion
	it := b.List(&blob.ListOptions{Prefix: key})
	found := false
	for {
		obj, err := it.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("input %s: list: %w", loc, err)
		}
		found = true
		if obj.IsDir || strings.HasSuffix(obj.Key, "/") {
			continue
		}
		rel := strings.TrimPrefix(obj.Key, key)
		if hiddenPath(rel) || !extract.Supported(path.Base(obj.Key)) {
			continue
		}
		if err := checkKey(obj.Key); err != nil {
			return nil, nil, fmt.Errorf("input %s: object %q: %w", loc, obj.Key, err)
		}
		name := loc.Scheme + "://" + loc.Bucket + "/" + obj.Key
		if pat, ok := excludedKey(opts.Exclude, key, rel); ok {
			excluded = append(excluded, pipeline.Exclusion{Path: name, Pattern: pat})
			continue
		}
		objs = append(objs, obj)
	}
	if !found {
		return nil, nil, &pipeline.InputPathError{Paths: []string{loc.String()}, Errs: []error{os.ErrNotExist}}
	}
	return objs, excluded, nil
}

// hiddenPath reports whether a path below a listed prefix has an element
// that a directory walk skips: a name starting with ".".
func hiddenPath(rel string) bool {
	for _, part := range strings.Split(rel, "/") {
		if strings.HasPrefix(part, ".") {
			return true
		}
	}
	return false
}

// excludedKey matches the exclude patterns against the object and the
// "directories" between the listed prefix and it, as a walk of a local
// directory does.
func excludedKey(patterns []string, prefix, rel string) (string, bool) {
	parts := strings.Split(rel, "/")
	for i := 1; i < len(parts); i++ {
		if pat, ok := pipeline.Excluded(patterns, prefix+strings.Join(parts[:i], "/"), true); ok {
			return pat, true
		}
	}
	return pipeline.Excluded(patterns, prefix+rel, false)
}

// safeName keeps a bucket name usable as a directory name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '_'
	}, s)
}
