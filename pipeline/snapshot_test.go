//go:build unix

package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tradeetl/tradeetl/extract"
)

// A snapshot sees every way a file can change while it is read, and only
// those.
func TestSnapshotChanged(t *testing.T) {
	const content = "reporter,partner\nFlanders,China\n"
	old := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tt := range []struct {
		name    string
		change  func(t *testing.T, path string)
		changed bool
		linux   bool // needs the change time
	}{
		{"untouched", func(*testing.T, string) {}, false, false},
		{"read again", func(t *testing.T, path string) { _, _ = os.ReadFile(path) }, false, false},
		{"appended", func(t *testing.T, path string) { appendTo(t, path, "Wallonia,China\n") }, true, false},
		{"truncated", func(t *testing.T, path string) { must(t, os.Truncate(path, 5)) }, true, false},
		{"touched", func(t *testing.T, path string) { must(t, os.Chtimes(path, time.Now(), time.Now())) }, true, false},
		{"rewritten in place, same size, mtime set back", func(t *testing.T, path string) {
			time.Sleep(10 * time.Millisecond) // a later change time
			must(t, os.WriteFile(path, []byte(strings.ToUpper(content)), 0o644))
			must(t, os.Chtimes(path, old, old))
		}, true, true},
		{"replaced by rename", func(t *testing.T, path string) {
			// the descriptor still reads the file it opened, whole, but
			// the input is not what it was: read it next run
			time.Sleep(10 * time.Millisecond)
			tmp := path + ".new"
			must(t, os.WriteFile(tmp, []byte("other\n"), 0o644))
			must(t, os.Rename(tmp, path))
		}, true, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.linux && runtime.GOOS != "linux" {
				t.Skip("needs the change time")
			}
			path := filepath.Join(t.TempDir(), "in.csv")
			must(t, os.WriteFile(path, []byte(content), 0o644))
			must(t, os.Chtimes(path, old, old))
			s, err := openSnapshot(path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			sum, err := s.hash(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if want := sha256.Sum256([]byte(content)); sum != hex.EncodeToString(want[:]) {
				t.Errorf("hash %s", sum)
			}
			tt.change(t, path)
			err = s.changed()
			if got := errors.Is(err, ErrChanged); got != tt.changed {
				t.Errorf("changed: %v, want %v", err, tt.changed)
			}
			if err != nil && !strings.Contains(err.Error(), "the next run reads it again") {
				t.Errorf("message: %v", err)
			}
		})
	}
}

// What is not a regular file is refused without being opened: a named
// pipe nobody writes would block the open, /dev/zero never ends.
func TestSnapshotRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.csv")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	sock := filepath.Join(dir, "sock.xlsx")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	zero := filepath.Join(dir, "zero.csv")
	must(t, os.Symlink("/dev/zero", zero))
	for path, what := range map[string]string{fifo: "a named pipe", sock: "a socket", zero: "a character device", dir: "a directory"} {
		done := make(chan error, 1)
		go func() {
			s, err := openSnapshot(path)
			if err == nil {
				s.Close()
			}
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, extract.ErrNotRegular) || !strings.Contains(err.Error(), "not a regular file but "+what) {
				t.Errorf("%s: %v", filepath.Base(path), err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: open blocks", filepath.Base(path))
		}
	}
}

// Hashing heeds cancellation.
func TestSnapshotHashCancelled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.csv")
	must(t, os.WriteFile(path, make([]byte, 3<<20), 0o644))
	s, err := openSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.hash(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("hash: %v", err)
	}
}

func appendTo(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
	must(t, f.Close())
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
