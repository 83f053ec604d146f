package load

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Lock is the exclusive lock of a run on an output directory: OUT/.lock,
// held with an advisory file lock (flock on Unix, LockFileEx on Windows)
// that the operating system releases when the process ends, however it
// ends. The file itself stays; it holds who locked it, so that a second run
// can say who is in the way, and so that a run can tell that the previous
// holder was killed (a stale lock: the file names a holder, but nobody holds
// the lock).
type Lock struct {
	f    *os.File
	path string
}

// LockHolder is what a run writes into the lock file.
type LockHolder struct {
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	RunID   string    `json:"run_id"`
	Started time.Time `json:"started"`
}

func (h LockHolder) String() string {
	return fmt.Sprintf("run %s, pid %d on %s, started %s", h.RunID, h.PID, h.Host, h.Started.Format(time.RFC3339))
}

// ErrLocked is matched (errors.Is) by the error of a lock held by another
// run.
var ErrLocked = errors.New("output directory is locked by another run")

// LockedError says which run holds the lock.
type LockedError struct {
	Path   string
	Holder *LockHolder // nil when the lock file could not be read
}

func (e *LockedError) Error() string {
	who := "another tradeetl run"
	if e.Holder != nil {
		who += " (" + e.Holder.String() + ")"
	}
	return fmt.Sprintf("%s is locked by %s; two runs cannot write one output directory at once (use --wait to wait for it)", filepath.Dir(e.Path), who)
}

func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// lockPoll is how often a waiting run tries the lock again.
const lockPoll = 200 * time.Millisecond

// AcquireLock locks the output directory out (which must exist) for the
// run holder describes. When another run holds the lock it waits up to
// wait (0: not at all; the context ends the wait too) and then returns a
// *LockedError. stale is the holder recorded by a previous run that ended
// without releasing the lock (killed), or nil.
func AcquireLock(ctx context.Context, out string, holder LockHolder, wait time.Duration) (l *Lock, stale *LockHolder, err error) {
	return AcquireLockFile(ctx, filepath.Join(out, LockFile), holder, wait)
}

// AcquireLockFile is [AcquireLock] on the lock file path, whose directory
// must exist: the lock of one shard of a sharded run is a file of its own
// (ShardLockPath), so that two attempts at one shard never overlap while
// the shards of a run work at once.
func AcquireLockFile(ctx context.Context, path string, holder LockHolder, wait time.Duration) (l *Lock, stale *LockHolder, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("lock %s: %w", path, err)
	}
	deadline := time.Now().Add(wait)
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if ok {
			break
		}
		if wait <= 0 || time.Now().After(deadline) {
			h := readHolder(f)
			f.Close()
			return nil, nil, &LockedError{Path: path, Holder: h}
		}
		select {
		case <-ctx.Done():
			h := readHolder(f)
			f.Close()
			return nil, nil, errors.Join(ctx.Err(), &LockedError{Path: path, Holder: h})
		case <-time.After(lockPoll):
		}
	}
	stale = readHolder(f)
	b, _ := json.Marshal(holder)
	if err := rewrite(f, append(b, '\n')); err != nil {
		_ = unlock(f)
		f.Close()
		return nil, nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return &Lock{f: f, path: path}, stale, nil
}

// Release empties the lock file and releases the lock. The file is kept:
// removing it would let a run that opened it just before lock a file no
// longer in the directory while a third run creates a new one.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Truncate(0)
	if uerr := unlock(l.f); err == nil {
		err = uerr
	}
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	if err != nil {
		return fmt.Errorf("unlock %s: %w", l.path, err)
	}
	return nil
}

// readHolder reads the holder recorded in the lock file; nil when it is
// empty (released cleanly) or unreadable.
func readHolder(f *os.File) *LockHolder {
	b, err := io.ReadAll(io.NewSectionReader(f, 0, 1<<16))
	if err != nil || len(b) == 0 {
		return nil
	}
	var h LockHolder
	if json.Unmarshal(b, &h) != nil {
		return nil
	}
	return &h
}

func rewrite(f *os.File, b []byte) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt(b, 0)
	return err
}
