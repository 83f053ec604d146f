package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
	"time"

	"github.com/tradeetl/tradeetl/extract"
)

// An input is read from one snapshot: the file is opened once, and every
// byte the run reads of it (the hash, then extract) comes through that
// one descriptor, up to the size it had when opened. Nothing tells a
// reader that another program is writing the file, so the snapshot
// compares the file's identity (size, modification and change time) when
// opened and after reading: a file that changed in between was written
// while it was read, and the bytes hashed may not be the bytes parsed. It
// is then failed, and the next run reads it again.

// ErrChanged is matched (errors.Is) by the error of an input that changed
// while it was read.
var ErrChanged = errors.New("the file changed while it was read")

// identity is what says that a file is unchanged: its size and times. The
// change time (ctime) moves with every write and cannot be set back, so a
// write that restores the modification time (cp -p) is seen too; where the
// platform does not give it, it is zero.
type identity struct {
	size    int64
	modTime time.Time
	ctime   time.Time
	dev     uint64
	ino     uint64
}

func identityOf(fi fs.FileInfo) identity {
	id := identity{size: fi.Size(), modTime: fi.ModTime()}
	id.ctime, id.dev, id.ino = sysIdentity(fi)
	return id
}

// same reports whether b is the same file as a, unchanged. Change time,
// device and inode are compared when a has them (not for an identity
// recorded in state.json).
func (a identity) same(b identity) bool {
	if a.size != b.size || !a.modTime.Equal(b.modTime) {
		return false
	}
	return a.ctime.IsZero() || a.ctime.Equal(b.ctime) && a.dev == b.dev && a.ino == b.ino
}

// snapshot is an input file opened for one run.
type snapshot struct {
	f    *os.File
	path string
	id   identity
}

// openSnapshot opens an input without blocking: a named pipe that nobody
// writes would block a plain open for ever, so the file is opened
// non-blocking and refused unless it is a regular file.
func openSnapshot(path string) (*snapshot, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := extract.CheckRegular(fi.Mode()); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	fi, err = f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if err := extract.CheckRegular(fi.Mode()); err != nil { // swapped since the Stat
		f.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &snapshot{f: f, path: path, id: identityOf(fi)}, nil
}

// reader reads the file as it was opened: no byte past the size it had.
func (s *snapshot) reader() *io.SectionReader { return io.NewSectionReader(s.f, 0, s.id.size) }

// hash returns the hex SHA-256 of the snapshot's bytes, reading in chunks
// so that a cancellation stops it.
func (s *snapshot) hash(ctx context.Context) (string, error) {
	h := sha256.New()
	buf := make([]byte, 1<<20)
	r := s.reader()
	for {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		n, err := r.Read(buf)
		h.Write(buf[:n])
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// changed returns an error matching ErrChanged when the file is no longer
// as it was opened.
func (s *snapshot) changed() error {
	fi, err := s.f.Stat()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrChanged, err)
	}
	return changedError(s.id, identityOf(fi))
}

func changedError(was, now identity) error {
	if was.same(now) {
		return nil
	}
	what := ""
	switch {
	case was.size != now.size:
		what = fmt.Sprintf("%d bytes when opened, %d after reading", was.size, now.size)
	case !was.modTime.Equal(now.modTime):
		what = fmt.Sprintf("modified at %s when opened, at %s after reading", stamp(was.modTime), stamp(now.modTime))
	case !was.ctime.Equal(now.ctime):
		what = "its change time moved: written with the modification time set back, replaced, removed or its permissions changed"
	default:
		what = "replaced by another file"
	}
	return fmt.Errorf("%w (%s): another program was writing it; nothing of it was published, and the next run reads it again", ErrChanged, what)
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

func (s *snapshot) Close() error { return s.f.Close() }

// open hands the snapshot to extract, which reads it only through its
// descriptor. The workbook does not close the file.
func (s *snapshot) open(lim extract.Limits) (extract.Workbook, error) {
	return extract.OpenReader(s.path, s.reader(), s.id.size, lim)
}

// reopen opens the input again for a later stage (report.html draws its
// tables from it): it checks that the file is the one the run read
// (was), reads it whole through one descriptor, checks that these bytes
// have the SHA-256 the run recorded for the input (sum), and hands
// extract these very bytes. So what is drawn comes from the bytes whose
// hash the outputs record, whatever happens to the file meanwhile.
func reopen(path string, was identity, sum string, lim extract.Limits) (extract.Workbook, error) {
	s, err := openSnapshot(path)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	if err := changedError(was, s.id); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if s.id.size > maxReopen {
		return nil, fmt.Errorf("%s: %d bytes, more than the %d read again whole", path, s.id.size, int64(maxReopen))
	}
	b := make([]byte, s.id.size)
	if _, err := io.ReadFull(s.reader(), b); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if got := sha256.Sum256(b); hex.EncodeToString(got[:]) != sum {
		return nil, fmt.Errorf("%s: %w (its SHA-256 is no longer the one recorded): another program wrote it since it was read", path, ErrChanged)
	}
	return extract.OpenReader(path, bytes.NewReader(b), int64(len(b)), lim)
}

// maxReopen caps the size of an input read again whole (report.html
// draws only inputs of at most htmlMaxObservations figures).
const maxReopen = 256 << 20
