package objstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	"github.com/tradeetl/tradeetl/load"
)

// LockKey is the lock object of an output, beside manifest.json.
const LockKey = ".lock"

// DefaultLease is how long a lock stays held without being renewed: a run
// renews it every third of that, so a run that is killed blocks the
// output for at most this long.
const DefaultLease = 2 * time.Minute

// lockRecord is the content of the lock object.
type lockRecord struct {
	load.LockHolder
	// Token is unique to one taking of the lock.
	Token string `json:"token"`
	// Expires is when the lease ends unless renewed.
	Expires time.Time `json:"expires"`
	// Released is set by a run that ended: the lock is free.
	Released bool `json:"released,omitempty"`
}

// A Lock is a run's exclusive lease on an output in object storage: the
// object OUT/.lock, created only if absent (a conditional write), renewed
// while the run goes, and marked released at the end (it stays, like the
// lock file of a local output). A lock whose lease ran out (its run was
// killed) is taken over by the next run.
//
// On S3 (and S3-compatible servers with conditional writes), renewals,
// the release and a takeover are conditional on the object's ETag
// (If-Match), so that of two runs that find the same expired lock only
// one takes it, and a run that lost its lock learns it at its next
// renewal. Stores where tradeetl has no conditional overwrite (gs://,
// azblob://) create the lock conditionally but renew and take it over by
// reading it back: two runs taking over the same expired lock within the
// same instant could both believe they hold it.
type Lock struct {
	b     *blob.Bucket
	where string
	lease time.Duration
	now   func() time.Time

	onLost func(error)

	mu   sync.Mutex
	rec  lockRecord
	etag string
	lost error

	stop context.CancelFunc
	done chan struct{}
}

// LockedError says which run holds an output's lock.
type LockedError struct {
	Where   string // the output, redacted
	Holder  *load.LockHolder
	Expires time.Time
}

func (e *LockedError) Error() string {
	who := "another tradeetl run"
	if e.Holder != nil {
		who += " (" + e.Holder.String() + ")"
	}
	return fmt.Sprintf("%s is locked by %s until %s unless it renews its lease; two runs cannot write one output at once (use --wait to wait for it)",
		e.Where, who, e.Expires.UTC().Format(time.RFC3339))
}

// Is makes errors.Is(err, load.ErrLocked) hold, as for a local output.
func (e *LockedError) Is(target error) bool { return target == load.ErrLocked }

// ErrLockLost is matched by the error of a run whose lease ended before
// it could renew it: another run may hold the output now.
var ErrLockLost = errors.New("lost the lock on the output")

// lockPoll is how often a waiting run tries the lock again.
const lockPoll = 500 * time.Millisecond

// LockOptions tune AcquireLock.
type LockOptions struct {
	// Lease is how long the lock stays held without a renewal; 0 means
	// DefaultLease.
	Lease time.Duration
	// Wait is how long to wait for another run's lock (0: not at all).
	Wait time.Duration
	// OnLost is called, once, when a renewal finds the lock lost.
	OnLost func(error)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// AcquireLock takes the lock of the output opened as b (where names it
// in messages) for the run holder describes. When another run holds it,
// it waits up to opts.Wait (the context ends the wait too) and then
// returns a *LockedError. stale is the holder of a lock whose lease had
// run out (a killed run), or nil. The lock renews itself until Release.
func AcquireLock(ctx context.Context, b *blob.Bucket, where string, holder load.LockHolder, opts LockOptions) (l *Lock, stale *load.LockHolder, err error) {
	lease, wait, now := opts.Lease, opts.Wait, opts.Now
	if now == nil {
		now = time.Now
	}
	if lease <= 0 {
		lease = DefaultLease
	}
	l = &Lock{b: b, where: where, lease: lease, now: now, onLost: opts.OnLost}
	token, err := randomHex(16)
	if err != nil {
		return nil, nil, err
	}
	deadline := now().Add(wait)
	for {
		l.rec = lockRecord{LockHolder: holder, Token: token, Expires: now().Add(lease)}
		err := l.write(ctx, l.rec, true, "")
		if err == nil {
			err = l.readETag(ctx)
		}
		if err == nil {
			l.start(ctx)
			return l, nil, nil
		}
		if gcerrors.Code(err) != gcerrors.FailedPrecondition {
			// The write may have reached the store all the same (a
			// cancellation after the request was sent): free the lock
			// if it is this run's.
			l.abandon(ctx)
			return nil, nil, fmt.Errorf("lock %s: %w", where, err)
		}
		cur, etag, err := readLock(ctx, b)
		switch {
		case gcerrors.Code(err) == gcerrors.NotFound:
			continue // released and removed by hand in between
		case err != nil && !errors.Is(err, errBadLock):
			return nil, nil, fmt.Errorf("lock %s: %w", where, err)
		}
		if cur.Released || now().After(cur.Expires) {
			ok, err := l.takeOver(ctx, etag)
			if err != nil {
				l.abandon(ctx)
				return nil, nil, fmt.Errorf("lock %s: %w", where, err)
			}
			if ok {
				l.start(ctx)
				if cur.Released || cur.Token == "" {
					return l, nil, nil
				}
				h := cur.LockHolder
				return l, &h, nil
			}
			continue // another run took it first: look again
		}
		if wait <= 0 || now().After(deadline) {
			h := cur.LockHolder
			return nil, nil, &LockedError{Where: where, Holder: &h, Expires: cur.Expires}
		}
		select {
		case <-ctx.Done():
			h := cur.LockHolder
			return nil, nil, errors.Join(ctx.Err(), &LockedError{Where: where, Holder: &h, Expires: cur.Expires})
		case <-time.After(lockPoll):
		}
	}
}

// takeOver overwrites the lock object, found with etag, by l.rec; false
// when another run changed it first.
func (l *Lock) takeOver(ctx context.Context, etag string) (bool, error) {
	err := l.write(ctx, l.rec, false, etag)
	if gcerrors.Code(err) == gcerrors.FailedPrecondition {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	// Read it back: where the overwrite was not conditional, a run that
	// wrote after this one holds the lock.
	cur, tag, err := readLock(ctx, l.b)
	if err != nil {
		return false, err
	}
	if cur.Token != l.rec.Token {
		return false, nil
	}
	l.etag = tag
	return true, nil
}

var errBadLock = errors.New("unreadable lock object")

// readLock reads the lock object and its ETag. An unreadable one (not
// written by tradeetl) reads as expired, with errBadLock.
func readLock(ctx context.Context, b *blob.Bucket) (lockRecord, string, error) {
	var rec lockRecord
	attrs, err := b.Attributes(ctx, LockKey)
	if err != nil {
		return rec, "", err
	}
	r, err := b.NewReader(ctx, LockKey, nil)
	if err != nil {
		return rec, "", err
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, 1<<16))
	if err != nil {
		return rec, "", err
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		return lockRecord{}, attrs.ETag, fmt.Errorf("%w: %v", errBadLock, err)
	}
	return rec, attrs.ETag, nil
}

// write writes rec as the lock object: only if there is none (create),
// or only if it still has ETag ifMatch where the store supports it.
func (l *Lock) write(ctx context.Context, rec lockRecord, create bool, ifMatch string) error {
	data, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	opts := &blob.WriterOptions{ContentType: "application/json", IfNotExist: create}
	if ifMatch != "" {
		opts.BeforeWrite = func(as func(any) bool) error {
			var in *transfermanager.UploadObjectInput
			if as(&in) {
				in.IfMatch = aws.String(ifMatch)
			}
			return nil
		}
	}
	return l.b.WriteAll(ctx, LockKey, append(data, '\n'), opts)
}

func (l *Lock) readETag(ctx context.Context) error {
	attrs, err := l.b.Attributes(ctx, LockKey)
	if err != nil {
		return fmt.Errorf("lock %s: %w", l.where, err)
	}
	l.etag = attrs.ETag
	return nil
}

// start renews the lease every third of it until Release.
func (l *Lock) start(ctx context.Context) {
	ctx, l.stop = context.WithCancel(context.WithoutCancel(ctx))
	l.done = make(chan struct{})
	go func() {
		defer close(l.done)
		t := time.NewTicker(l.lease / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := l.Renew(ctx); err != nil && errors.Is(err, ErrLockLost) {
					if l.onLost != nil {
						l.onLost(err)
					}
					return
				}
			}
		}
	}()
}

// Renew extends the lease now. It fails with an error matching
// ErrLockLost when the lock is no longer this run's: taken over after
// the lease ran out, or not renewed in time.
func (l *Lock) Renew(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lost != nil {
		return l.lost
	}
	rec := l.rec
	rec.Expires = l.now().Add(l.lease)
	err := l.write(ctx, rec, false, l.etag)
	if err == nil {
		var cur lockRecord
		var tag string
		cur, tag, err = readLock(ctx, l.b)
		if err == nil && cur.Token != rec.Token {
			err = errOtherHolder
		}
		if err == nil {
			l.rec, l.etag = rec, tag
			return nil
		}
	}
	if gcerrors.Code(err) == gcerrors.FailedPrecondition || errors.Is(err, errOtherHolder) || l.now().After(l.rec.Expires) {
		l.lost = fmt.Errorf("%w %s: another run took it, or it was not renewed in time (%v)", ErrLockLost, l.where, err)
		return l.lost
	}
	return fmt.Errorf("renew the lock on %s: %w", l.where, err)
}

var errOtherHolder = errors.New("the lock object names another run")

// Check renews the lease and reports whether the lock is still this
// run's: called just before the commit point.
func (l *Lock) Check(ctx context.Context) error { return l.Renew(ctx) }

// Lost returns the error of a lock that is no longer this run's, or nil.
func (l *Lock) Lost() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lost
}

// Release stops the renewals and marks the lock released. A lock lost
// meanwhile is left to its new holder.
func (l *Lock) Release(ctx context.Context) error {
	if l == nil || l.stop == nil {
		return nil
	}
	l.stop()
	<-l.done
	l.stop = nil
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lost != nil {
		return nil
	}
	rec := l.rec
	rec.Released = true
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := l.write(wctx, rec, false, l.etag); err != nil {
		return fmt.Errorf("release the lock on %s: %w", l.where, err)
	}
	return nil
}

// abandon marks the lock released if the lock object is this run's: a
// request whose answer was lost may have taken it.
func (l *Lock) abandon(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	cur, etag, err := readLock(ctx, l.b)
	if err != nil || cur.Token != l.rec.Token {
		return
	}
	rec := cur
	rec.Released = true
	_ = l.write(ctx, rec, false, etag)
}

func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return hex.EncodeToString(b), nil
}
