package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tradeetl/tradeetl/extract"
)

// Discovery is what Discover found under the paths of a run.
type Discovery struct {
	// Files are the input files, sorted and without duplicates, so that
	// runs are reproducible.
	Files []string
	// Unlisted are the directories below the given ones that could not be
	// listed, sorted by path. Each is a failed input of the run; what they
	// hold is unknown, so nothing published from under them is removed.
	Unlisted []Unlisted
	// Excluded are the files and directories skipped by an exclude
	// pattern, in the order found.
	Excluded []Exclusion
}

// Unlisted is a directory that could not be listed.
type Unlisted struct {
	Path string
	Err  error
}

// Exclusion is a file or directory skipped by an exclude pattern.
type Exclusion struct {
	Path    string
	Pattern string
}

// ErrInputPath is matched (errors.Is) by an *InputPathError.
var ErrInputPath = errors.New("input path missing or not listable")

// InputPathError reports paths given to a run that do not exist or cannot
// be listed: the run does nothing, since reading on would take the inputs
// under them for removed (a typo, or a share that is not mounted).
type InputPathError struct {
	Paths []string
	Errs  []error // one per path
}

func (e *InputPathError) Error() string {
	var b strings.Builder
	for i, p := range e.Paths {
		if i > 0 {
			b.WriteString("; ")
		}
		if errors.Is(e.Errs[i], fs.ErrNotExist) {
			fmt.Fprintf(&b, "input %s does not exist", p)
		} else {
			fmt.Fprintf(&b, "input %s cannot be listed: %v", p, e.Errs[i])
		}
	}
	b.WriteString(" (a typo, or a share that is not mounted?); nothing was read, published or removed")
	return b.String()
}

// Is makes errors.Is(err, ErrInputPath) hold.
func (e *InputPathError) Is(target error) bool { return target == ErrInputPath }

// Discover expands the given paths into the input files of a run: a file is
// taken as given, a directory is walked for the file types tradeetl reads
// (extract.Supported: .xlsx, .xlsm, .xls, .ods, .fods, .csv, .tsv; hidden
// files, LibreOffice's ".~lock" files among them, and Excel lock files
// "~$..." skipped). Files and
// directories matching an exclude pattern (see Excluded) are skipped; the
// given directories themselves are always walked.
//
// A given path that does not exist, or a given directory that cannot be
// listed, is an *InputPathError: nothing can be said about the inputs under
// it. A directory below a given one that cannot be listed is in
// Discovery.Unlisted, and the walk goes on.
func Discover(paths, exclude []string) (*Discovery, error) {
	d := &Discovery{}
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			d.Files = append(d.Files, p)
		}
	}
	skipped := map[string]bool{}
	skip := func(p, pattern string) {
		if !skipped[p] {
			skipped[p] = true
			d.Excluded = append(d.Excluded, Exclusion{p, pattern})
		}
	}
	bad := &InputPathError{}
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil {
			bad.Paths, bad.Errs = append(bad.Paths, root), append(bad.Errs, err)
			continue
		}
		if !info.IsDir() {
			p := filepath.Clean(root)
			if pat, ok := Excluded(exclude, p, false); ok {
				skip(p, pat)
				continue
			}
			add(p)
			continue
		}
		var unlisted []Unlisted
		err = filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				if p == root {
					return err
				}
				// The directory could not be listed (or only in part):
				// walk what was read, and remember it.
				unlisted = append(unlisted, Unlisted{Path: p, Err: err})
				return nil
			}
			if p == root {
				return nil
			}
			name := e.Name()
			if len(name) > 0 && name[0] == '.' {
				if e.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if pat, ok := Excluded(exclude, p, e.IsDir()); ok {
				if e.IsDir() || extract.Supported(name) {
					skip(p, pat)
				}
				if e.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !e.IsDir() && extract.Supported(name) {
				add(p)
			}
			return nil
		})
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			bad.Paths, bad.Errs = append(bad.Paths, root), append(bad.Errs, err)
			continue
		}
		d.Unlisted = append(d.Unlisted, unlisted...)
	}
	if len(bad.Paths) > 0 {
		return nil, bad
	}
	sort.Strings(d.Files)
	sort.Slice(d.Unlisted, func(i, j int) bool { return d.Unlisted[i].Path < d.Unlisted[j].Path })
	return d, nil
}

// under reports whether p lies inside directory dir.
func under(p, dir string) bool {
	dir = filepath.Clean(dir)
	p = filepath.Clean(p)
	if dir == "." {
		return !filepath.IsAbs(p) && p != ".." && !strings.HasPrefix(p, ".."+string(filepath.Separator))
	}
	return strings.HasPrefix(p, dir+string(filepath.Separator))
}

// CheckExclude reports the first exclude pattern that is not a valid glob.
func CheckExclude(patterns []string) error {
	for _, pat := range patterns {
		if strings.Trim(pat, "/") == "" {
			return fmt.Errorf("--exclude %q: empty pattern", pat)
		}
		if _, err := path.Match(strings.Trim(pat, "/"), ""); err != nil {
			return fmt.Errorf("--exclude %q: bad glob", pat)
		}
	}
	return nil
}

// Excluded returns the first pattern that excludes the file (or, with dir,
// the directory) at p, as layout files match their "files:" globs: a
// pattern without "/" matches the name ("notes*.xlsx"), one with "/"
// matches as many trailing elements of the path ("minutes/*.xlsx" matches
// in/2024/minutes/a.xlsx). A pattern ending in "/" matches directories
// only ("archive/"). A matching directory is skipped with everything in
// it.
func Excluded(patterns []string, p string, dir bool) (string, bool) {
	if len(patterns) == 0 {
		return "", false
	}
	parts := strings.Split(strings.Trim(filepath.ToSlash(p), "/"), "/")
	for _, pat := range patterns {
		if strings.HasSuffix(pat, "/") && !dir {
			continue
		}
		glob := strings.Trim(pat, "/")
		n := strings.Count(glob, "/") + 1
		target := strings.Join(parts[max(0, len(parts)-n):], "/")
		if ok, _ := path.Match(glob, target); ok {
			return pat, true
		}
	}
	return "", false
}
