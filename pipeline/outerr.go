package pipeline

import (
	"context"
	"errors"
	"io/fs"
	"syscall"
)

// OutputError is a failure of the output directory or of the machine a
// run works on, not of an input: OUT is not a directory, cannot be
// written (read-only, full, over quota, permission), its lock or journal
// cannot be used, the process is out of file descriptors. The run stops
// and publishes nothing; when the failure comes after the journal of its
// publication was written, the next run finishes that publication.
// tradeetl run exits with [ExitOutput].
type OutputError struct {
	Err error
}

func (e *OutputError) Error() string { return e.Err.Error() }
func (e *OutputError) Unwrap() error { return e.Err }

// outputError wraps err as an *OutputError, unless it is nil, already one,
// or a cancellation.
func outputError(err error) error {
	var oe *OutputError
	if err == nil || errors.As(err, &oe) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &OutputError{Err: err}
}

// environmental reports whether err, met while writing the output, comes
// from the file system or the machine rather than from the data written:
// then it is no input's fault, and the whole run stops with an
// *OutputError rather than failing one input.
func environmental(err error) bool {
	if errors.Is(err, fs.ErrPermission) {
		return true
	}
	for _, errno := range []syscall.Errno{
		syscall.ENOSPC, syscall.EDQUOT, syscall.EROFS, syscall.EIO, syscall.ENOTDIR,
		syscall.EMFILE, syscall.ENFILE, syscall.EFBIG, syscall.ENOMEM, syscall.ESTALE,
	} {
		if errors.Is(err, errno) {
			return true
		}
	}
	return false
}
