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
	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
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

// An input written after its figures were read, before its annotated copy
// and report.html are made: its figures and their SHA-256 are those of the
// bytes read; neither the copy nor the page shows the new content (no copy
// is published, and the page says the tables could not be read again).
// So whatever is published of an input comes from the bytes whose hash
// it records.
func TestInputChangedBeforeAudit(t *testing.T) {
	for _, tt := range []struct {
		name   string
		change func(t *testing.T, path string)
	}{
		{"rewritten", func(t *testing.T, path string) {
			time.Sleep(10 * time.Millisecond)
			copyFile(t, fixture("newsletter-2013.xlsx"), path)
		}},
		{"rewritten, size and mtime kept", func(t *testing.T, path string) {
			if runtime.GOOS != "linux" {
				t.Skip("needs the change time")
			}
			fi, err := os.Stat(path)
			must(t, err)
			time.Sleep(10 * time.Millisecond)
			b, err := os.ReadFile(path)
			must(t, err)
			b[len(b)/2] ^= 0xff
			must(t, os.WriteFile(path, b, 0o644))
			must(t, os.Chtimes(path, fi.ModTime(), fi.ModTime()))
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "in")
			must(t, os.MkdirAll(dir, 0o755))
			in := filepath.Join(dir, "errors.xlsx")
			copyFile(t, fixture("newsletter-2013-errors.xlsx"), in)
			orig, err := os.ReadFile(in)
			must(t, err)
			out := filepath.Join(t.TempDir(), "out")
			cfg := Config{Inputs: []string{dir}, OutDir: out, Workers: 1}
			cfg.beforeAudit = func(path string) { tt.change(t, path) }
			rep := run(t, cfg)
			sum := sha256.Sum256(orig)
			if len(rep.Inputs) != 1 || rep.Inputs[0].Status != schemas.StatusLoaded || rep.Inputs[0].SHA256 != hex.EncodeToString(sum[:]) {
				t.Fatalf("inputs %+v, want loaded with the SHA-256 of the bytes read", rep.Inputs)
			}
			if n := len(ruleFindings(rep.Findings)); n != errorsFixtureFindings {
				t.Errorf("%d findings, want those of the bytes read (%d)", n, errorsFixtureFindings)
			}
			man := checkManifest(t, out)
			for _, f := range man.Files {
				if strings.HasPrefix(f.Path, load.AuditDir+"/") {
					t.Errorf("audit copy %s published from a changed input", f.Path)
				}
			}
			page, err := os.ReadFile(filepath.Join(out, HTMLReport))
			must(t, err)
			if !strings.Contains(string(page), "could not be read again") {
				t.Errorf("report.html draws the tables of a changed input")
			}
		})
	}
}

// reopen hands extract only bytes with the recorded SHA-256, even when
// the file's identity does not show the change.
func TestReopenChecksTheHash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.csv")
	must(t, os.WriteFile(path, []byte("Year,Exports\n2013,5\n"), 0o644))
	sum := sha256.Sum256([]byte("Year,Exports\n2013,5\n"))
	fi, err := os.Stat(path)
	must(t, err)
	was := identityOf(fi)
	wb, err := reopen(path, was, hex.EncodeToString(sum[:]), extract.Limits{})
	must(t, err)
	wb.Close()
	other := sha256.Sum256([]byte("Year,Exports\n2013,6\n"))
	if _, err := reopen(path, was, hex.EncodeToString(other[:]), extract.Limits{}); !errors.Is(err, ErrChanged) {
		t.Errorf("bytes of another hash: %v, want ErrChanged", err)
	}
}
