package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/tradeetl/tradeetl/extract"
)

// Discover expands the given paths into the input files of a run: a file is
// taken as given, a directory is walked for the file types tradeetl reads
// (hidden files and Excel lock files "~$..." skipped). The result is sorted
// and without duplicates, so runs are reproducible. A path that does not
// exist is kept: reading it fails and is reported for that input.
func Discover(paths []string) ([]string, error) {
	seen := map[string]bool{}
	var files []string
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			files = append(files, p)
		}
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil || !info.IsDir() {
			add(filepath.Clean(p))
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if path != p && len(name) > 0 && name[0] == '.' {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.IsDir() && extract.Supported(name) {
				add(path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("discover %s: %w", p, err)
		}
	}
	sort.Strings(files)
	return files, nil
}

// hashReader returns the hex SHA-256 of everything r yields.
func hashReader(r io.Reader) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
