package load

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
)

// outputMode is the permission of files load publishes when the
// destination does not exist yet: output is meant to be read by BI tools
// running as other users.
const outputMode fs.FileMode = 0o644

// WriteFileAtomic writes path through write: it creates a temporary file
// (".NAME.RANDOM.tmp") in the same directory, writes, fsyncs and closes it,
// checks its size, renames it to path and fsyncs the directory. On any error
// the temporary file is removed and an existing file at path is left as it
// was. The new file keeps the permissions of the file it replaces, or gets
// 0644.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := createTemp(path)
	if err != nil {
		return err
	}
	cw := &countingWriter{w: tmp}
	bw := bufio.NewWriterSize(cw, 64<<10)
	if err := write(bw); err != nil {
		discard(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		discard(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return publish(tmp, path, func(name string) error {
		fi, err := os.Stat(name)
		if err != nil {
			return err
		}
		if fi.Size() != cw.n {
			return fmt.Errorf("wrote %d bytes but the file holds %d", cw.n, fi.Size())
		}
		return nil
	})
}

// createTemp creates the temporary file for path in path's directory.
func createTemp(path string) (*os.File, error) {
	dir, base := filepath.Split(path)
	if base == "" {
		return nil, fmt.Errorf("create %s: not a file name", path)
	}
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return f, nil
}

// discard closes and removes a temporary file after a failure.
func discard(f *os.File) {
	_ = f.Close()
	_ = os.Remove(f.Name())
}

// publish fsyncs and closes the temporary file f, runs verify on its name,
// gives it the destination's permissions, renames it to path and fsyncs the
// directory. On error f is removed.
func publish(f *os.File, path string, verify func(name string) error) error {
	if err := seal(f, path, verify); err != nil {
		return err
	}
	return install(f.Name(), path)
}

// seal fsyncs and closes the temporary file f written for path and runs
// verify on it. On error f is removed.
func seal(f *os.File, path string, verify func(name string) error) error {
	name := f.Name()
	fail := func(err error) error {
		_ = os.Remove(name)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return fail(err)
	}
	if verify != nil {
		if err := verify(name); err != nil {
			return fail(fmt.Errorf("verify: %w", err))
		}
	}
	return nil
}

// install gives the sealed temporary file name the permissions of the file
// at path (or 0644), renames it to path and fsyncs the directory. On error
// name is removed.
func install(name, path string) error {
	fail := func(err error) error {
		_ = os.Remove(name)
		return fmt.Errorf("write %s: %w", path, err)
	}
	mode := outputMode
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		mode = fi.Mode().Perm()
	}
	if err := os.Chmod(name, mode); err != nil {
		return fail(err)
	}
	if err := os.Rename(name, path); err != nil {
		return fail(err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		// The file is in place; only its durability across a crash is in
		// doubt.
		return fmt.Errorf("write %s: sync directory: %w", path, err)
	}
	return nil
}

// syncDir fsyncs a directory so that a rename in it survives a crash.
// Platforms and file systems that cannot sync directories are not an error.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
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

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
