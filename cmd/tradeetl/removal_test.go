package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

// These tests run the real binary against the ways a night's run could
// wipe the published dataset: a mistyped input path, a share that is not
// mounted (an empty or unreadable directory), a mass removal, an
// unreadable subdirectory. Each refused run must leave the output byte for
// byte as it was (checkReadable).

// The published set-up of these tests: four inputs in in/ (one in a
// subdirectory), published into out/.
type dataset struct {
	t       *testing.T
	dir     string // holds in/ and out/
	in, out string
	bin     string              // the binary to run
	cred    *syscall.Credential // whom to run it as; nil: this process's user
	snap    map[string]string
}

// inputNames are the inputs of a dataset, relative to in/.
var inputNames = []string{"a.csv", "b.csv", "c.csv", "sub/d.csv"}

// newDataset publishes a dataset. With asUser, where this process is root
// (who lists any directory whatever its permissions), the binary runs as
// nobody, so that a directory without permissions cannot be listed; the
// test is skipped where that cannot be arranged.
func newDataset(t *testing.T, asUser bool) *dataset {
	t.Helper()
	d := &dataset{t: t, bin: binary(t)}
	if asUser && os.Geteuid() == 0 {
		d.cred = &syscall.Credential{Uid: 65534, Gid: 65534}
		dir, err := os.MkdirTemp("", "tradeetl-nobody-")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(dir, 65534, 65534); err != nil {
			t.Skipf("cannot hand a directory to nobody: %v", err)
		}
		d.dir = dir
		bin := filepath.Join(dir, "bin", "tradeetl") // testscript.Main dispatches on the name
		if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Link(d.bin, bin); err != nil {
			b, err := os.ReadFile(d.bin)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(bin, b, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		d.bin = bin
		if code, _, stderr := d.run("version"); code != 0 {
			t.Skipf("cannot run the binary as nobody (exit %d): %s", code, stderr)
		}
	} else {
		d.dir = t.TempDir()
	}
	d.in, d.out = filepath.Join(d.dir, "in"), filepath.Join(d.dir, "out")
	for i, name := range inputNames {
		writeLong(t, d.input(name), 100+i)
	}
	if code, stdout, stderr := d.run("run", "--out", d.out, d.in); code != 0 {
		t.Fatalf("first run exited %d:\n%s%s", code, stdout, stderr)
	}
	d.snap = snapshot(t, d.out)
	return d
}

// input returns the path of an input, creating its directory.
func (d *dataset) input(name string) string {
	p := filepath.Join(d.in, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		d.t.Fatal(err)
	}
	return p
}

// run runs the binary and returns its exit code, stdout and stderr.
func (d *dataset) run(args ...string) (int, string, string) {
	d.t.Helper()
	cmd := exec.Command(d.bin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: d.cred}
	p := startCmd(d.t, cmd)
	code := p.wait(d.t, 3*time.Minute)
	return code, p.stdout.String(), p.stderr.String()
}

// refused runs the binary, wants exit 2 with every one of wants on stderr,
// and the published output unchanged, byte for byte.
func (d *dataset) refused(wants []string, args ...string) {
	d.t.Helper()
	code, stdout, stderr := d.run(args...)
	if code != 2 {
		d.t.Fatalf("%v exited %d, want 2\n%s%s", args, code, stdout, stderr)
	}
	for _, want := range wants {
		if !strings.Contains(stderr, want) {
			d.t.Errorf("%v: stderr lacks %q:\n%s", args, want, stderr)
		}
	}
	checkReadable(d.t, d.out, d.snap)
}

// inputs returns the report's inputs of the last run by path relative to
// in/.
func (d *dataset) inputs() map[string]schemas.InputReport {
	d.t.Helper()
	out := map[string]schemas.InputReport{}
	for _, in := range readReport(d.t, d.out).Inputs {
		rel, _ := filepath.Rel(d.in, in.Path)
		out[filepath.ToSlash(rel)] = in
	}
	return out
}

// observationFiles returns the input paths (relative to in/) that
// observations/ holds a file of.
func (d *dataset) observationFiles() []string {
	d.t.Helper()
	var names []string
	for _, name := range slices.Concat(inputNames, []string{"e.csv"}) {
		if _, err := os.Stat(filepath.Join(d.out, load.ObservationsPath(load.InputID(filepath.Join(d.in, filepath.FromSlash(name)))))); err == nil {
			names = append(names, name)
		}
	}
	return names
}

// A mistyped input path (a folder or a file that does not exist) is exit 2,
// names the path, and removes and publishes nothing — also with --fail-on
// error, also beside a good path; validate says the same.
func TestMistypedInputPath(t *testing.T) {
	t.Parallel()
	d := newDataset(t, false)
	typo := d.in + "-typo"
	msg := "input " + typo + " does not exist (a typo, or a share that is not mounted?); nothing was read, published or removed"
	d.refused([]string{msg}, "run", "--out", d.out, typo)
	d.refused([]string{msg}, "run", "--fail-on", "error", "--max-remove", "all", "--out", d.out, typo)
	d.refused([]string{"input " + filepath.Join(d.in, "a.cvs") + " does not exist"}, "run", "--out", d.out, d.in, filepath.Join(d.in, "a.cvs"))
	d.refused([]string{msg}, "validate", typo)
	if _, err := os.Stat(filepath.Join(d.dir, "never")); err == nil {
		t.Fatal("set-up")
	}
	d.refused([]string{msg}, "run", "--out", filepath.Join(d.dir, "never"), typo)
	if _, err := os.Stat(filepath.Join(d.dir, "never")); err == nil {
		t.Error("a refused run created its output directory")
	}
}

// A share that is not mounted shows as an empty directory, or one that
// cannot be listed: either way nothing is removed. An empty directory is
// taken for what it says only with --max-remove all.
func TestUnmountedShare(t *testing.T) {
	t.Parallel()
	t.Run("empty", func(t *testing.T) {
		t.Parallel()
		d := newDataset(t, false)
		if err := os.Rename(d.in, d.in+".away"); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(d.in, 0o755); err != nil {
			t.Fatal(err)
		}
		want := []string{"found no input files, so this run would remove the outputs of 4 of the 4 published inputs, more than --max-remove 50% allows (at most 2)",
			filepath.Join(d.in, "a.csv") + ", " + filepath.Join(d.in, "b.csv"),
			"run again with --max-remove all"}
		d.refused(want, "run", "--out", d.out, d.in)
		d.refused(want[1:], "run", "--max-remove", "3", "--out", d.out, d.in)
		d.refused(want[1:], "run", "--max-remove", "99%", "--out", d.out, d.in)

		code, stdout, stderr := d.run("run", "--max-remove", "all", "--out", d.out, d.in)
		if code != 0 || !strings.Contains(stdout, "0 inputs: 0 loaded, 0 failed; 0 observations") {
			t.Fatalf("--max-remove all: exit %d\n%s%s", code, stdout, stderr)
		}
		if got := d.observationFiles(); len(got) != 0 {
			t.Errorf("--max-remove all left %v", got)
		}
		if n := strings.Count(stderr, `msg="input removed"`); n != 4 {
			t.Errorf("%d inputs logged as removed, want 4:\n%s", n, stderr)
		}
		// Nothing published any more, nothing found: nothing to do.
		if code, _, stderr := d.run("run", "--out", d.out, d.in); code != 2 || !strings.Contains(stderr, "no input files found") {
			t.Errorf("empty input, empty output: exit %d\n%s", code, stderr)
		}
	})
	t.Run("unreadable", func(t *testing.T) {
		t.Parallel()
		d := newDataset(t, true)
		unreadable(t, d.in)
		d.refused([]string{"input " + d.in + " cannot be listed: permission denied", "nothing was read, published or removed"}, "run", "--out", d.out, d.in)
		d.refused([]string{"input " + d.in + " cannot be listed: permission denied"}, "run", "--max-remove", "all", "--out", d.out, d.in)
	})
}

// unreadable takes the permissions of dir away until the test ends.
func unreadable(t *testing.T, dir string) {
	t.Helper()
	if err := os.Chmod(dir, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
}

// A run that would remove more than --max-remove allows (default: half)
// is refused; within the limit, or with a higher one, the outputs of the
// inputs that are gone are removed, and only theirs.
func TestMassRemoval(t *testing.T) {
	t.Parallel()
	d := newDataset(t, false)
	for _, name := range []string{"a.csv", "b.csv", "sub/d.csv"} {
		if err := os.Remove(d.input(name)); err != nil {
			t.Fatal(err)
		}
	}
	refusal := fmt.Sprintf("this run would remove the outputs of 3 of the 4 published inputs, more than --max-remove 50%% allows (at most 2): %s, %s, %s; nothing was read, published or removed",
		filepath.Join(d.in, "a.csv"), filepath.Join(d.in, "b.csv"), filepath.Join(d.in, "sub", "d.csv"))
	d.refused([]string{refusal, "run again with --max-remove 3 (or all)"}, "run", "--out", d.out, d.in)
	d.refused([]string{"more than --max-remove 2 allows (at most 2)"}, "run", "--max-remove", "2", "--out", d.out, d.in)
	d.refused([]string{"more than --max-remove 0 allows (none)"}, "run", "--max-remove", "0", "--out", d.out, d.in)
	d.refused([]string{"--max-remove \"lots\": want a count (10), a share of the published inputs (50%) or all"}, "run", "--max-remove", "lots", "--out", d.out, d.in)
	d.refused([]string{"--max-remove \"120%\""}, "run", "--max-remove", "120%", "--out", d.out, d.in)

	code, stdout, stderr := d.run("run", "--max-remove", "75%", "--out", d.out, d.in)
	if code != 0 || !strings.Contains(stdout, "1 inputs: 0 loaded, 0 failed, 1 skipped") {
		t.Fatalf("--max-remove 75%%: exit %d\n%s%s", code, stdout, stderr)
	}
	if got := d.observationFiles(); !slices.Equal(got, []string{"c.csv"}) {
		t.Errorf("observations of %v, want c.csv's", got)
	}
	checkManifestMatches(t, d.out)
}

// Removing half of the published inputs is within the default limit.
func TestRemoveHalf(t *testing.T) {
	t.Parallel()
	d := newDataset(t, false)
	for _, name := range []string{"a.csv", "c.csv"} {
		if err := os.Remove(d.input(name)); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr := d.run("run", "--out", d.out, d.in)
	if code != 0 || !strings.Contains(stdout, "2 inputs: 0 loaded, 0 failed, 2 skipped") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if got := d.observationFiles(); !slices.Equal(got, []string{"b.csv", "sub/d.csv"}) {
		t.Errorf("observations of %v", got)
	}
	checkManifestMatches(t, d.out)
}

// checkManifestMatches checks that the manifest lists exactly the files
// of observations/ and findings/, with their SHA-256.
func checkManifestMatches(t *testing.T, out string) {
	t.Helper()
	man, err := load.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]string{}
	for _, f := range man.Files {
		listed[f.Path] = f.SHA256
	}
	for rel, sum := range snapshot(t, out) {
		if !strings.HasPrefix(rel, load.ObservationsDir+"/") && !strings.HasPrefix(rel, load.FindingsDir+"/") {
			continue
		}
		if listed[rel] != sum {
			t.Errorf("%s: on disk, not (or otherwise) in the manifest", rel)
		}
		delete(listed, rel)
	}
	for rel := range listed {
		if strings.HasPrefix(rel, load.ObservationsDir+"/") || strings.HasPrefix(rel, load.FindingsDir+"/") {
			t.Errorf("%s: in the manifest, not on disk", rel)
		}
	}
}

// One subdirectory that cannot be listed is one failed input (exit 3):
// the others are read and published, and the outputs of the inputs under
// it stay published until it can be listed again.
func TestUnreadableSubdirectory(t *testing.T) {
	t.Parallel()
	d := newDataset(t, true)
	writeLong(t, d.input("e.csv"), 50) // a new input is read all the same
	sub := filepath.Join(d.in, "sub")
	unreadable(t, sub)
	code, stdout, stderr := d.run("run", "--out", d.out, d.in)
	if code != 3 {
		t.Fatalf("exit %d, want 3\n%s%s", code, stdout, stderr)
	}
	got := d.inputs()
	if in := got["sub"]; in.Status != schemas.StatusFailed || !strings.Contains(in.Error, "cannot list directory: open "+sub+": permission denied; nothing under it was read, and the published output of the input under it is kept") {
		t.Errorf("sub: %+v", in)
	}
	if in := got["sub/d.csv"]; in.Status != schemas.StatusFailed || in.OutputRunID == "" || !strings.Contains(in.Error, "not read: directory "+sub+" could not be listed") {
		t.Errorf("sub/d.csv: %+v", in)
	}
	if got["e.csv"].Status != schemas.StatusLoaded || got["a.csv"].Status != schemas.StatusSkipped || len(got) != 6 {
		t.Errorf("inputs %v", got)
	}
	for _, want := range []string{"FAILED " + sub + ": cannot list directory", "FAILED " + filepath.Join(sub, "d.csv") + ": not read: directory " + sub + " could not be listed (last good output, of run "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if files := d.observationFiles(); !slices.Equal(files, []string{"a.csv", "b.csv", "c.csv", "sub/d.csv", "e.csv"}) {
		t.Errorf("observations of %v", files)
	}
	for rel, sum := range d.snap {
		if strings.Contains(rel, "sub-d-csv") && snapshot(t, d.out)[rel] != sum {
			t.Errorf("%s of the input under the unreadable directory changed", rel)
		}
	}
	checkManifestMatches(t, d.out)
	if st, err := load.ReadState(d.out); err != nil || st.Inputs[filepath.Join(sub, "d.csv")] == nil {
		t.Errorf("the state lost the input under the unreadable directory (%v)", err)
	}

	// Readable again: the input under it is found unchanged.
	if err := os.Chmod(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = d.run("run", "--out", d.out, d.in)
	if code != 0 || !strings.Contains(stdout, "5 inputs: 0 loaded, 0 failed, 5 skipped") {
		t.Fatalf("readable again: exit %d\n%s%s", code, stdout, stderr)
	}
}

// --exclude skips files that are not tables; an excluded input that was
// published is removed like one that is gone (within --max-remove).
func TestExclude(t *testing.T) {
	t.Parallel()
	d := newDataset(t, false)
	if err := os.WriteFile(d.input("notes/minutes.xlsx"), []byte("meeting notes, not a workbook"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(d.input("README.xlsx"), []byte("read me\nfirst\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := d.run("run", "--exclude", "notes/", "--exclude", "README*", "--out", d.out, d.in)
	if code != 0 || !strings.Contains(stdout, "4 inputs: 0 loaded, 0 failed, 4 skipped") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{`msg="input excluded" file=` + filepath.Join(d.in, "README.xlsx") + ` pattern=README*`, `msg="input excluded" file=` + filepath.Join(d.in, "notes") + ` pattern=notes/`} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	// Without --exclude they are read and fail.
	if code, stdout, _ := d.run("validate", d.in); code != 3 || !strings.Contains(stdout, "6 inputs: 4 loaded, 2 failed") {
		t.Errorf("validate without --exclude: exit %d\n%s", code, stdout)
	}
	if code, stdout, _ := d.run("validate", "--exclude", "minutes.xlsx", "--exclude", "in/README.xlsx", d.in); code != 0 || !strings.Contains(stdout, "4 inputs: 4 loaded, 0 failed") {
		t.Errorf("validate with --exclude: exit %d\n%s", code, stdout)
	}

	// Excluding published inputs removes their outputs, within --max-remove.
	snap := snapshot(t, d.out)
	code, _, stderr = d.run("run", "--exclude", "*.csv", "--out", d.out, d.in)
	if code != 2 || !strings.Contains(stderr, "would remove the outputs of 4 of the 4 published inputs") {
		t.Errorf("excluding everything: exit %d\n%s", code, stderr)
	}
	checkReadable(t, d.out, snap)
	code, stdout, stderr = d.run("run", "--exclude", "sub/*.csv", "--exclude", "notes/", "--exclude", "README*", "--out", d.out, d.in)
	if code != 0 || !strings.Contains(stdout, "3 inputs: 0 loaded, 0 failed, 3 skipped") || !strings.Contains(stderr, `msg="input removed" file=`+filepath.Join(d.in, "sub", "d.csv")) {
		t.Errorf("excluding sub/*.csv: exit %d\n%s%s", code, stdout, stderr)
	}
	if files := d.observationFiles(); !slices.Equal(files, []string{"a.csv", "b.csv", "c.csv"}) {
		t.Errorf("observations of %v", files)
	}

	// A bad glob is a usage error; inspect skips what is excluded.
	if code, _, stderr := d.run("run", "--exclude", "[", "--out", d.out, d.in); code != 2 || !strings.Contains(stderr, `--exclude "[": bad glob`) {
		t.Errorf("bad glob: exit %d\n%s", code, stderr)
	}
	code, stdout, _ = d.run("inspect", "--exclude", "minutes*", d.input("notes/minutes.xlsx"), d.input("a.csv"))
	if code != 0 || !strings.Contains(stdout, d.input("notes/minutes.xlsx")+`: excluded by --exclude "minutes*", not read`) || !strings.Contains(stdout, d.input("a.csv")+": 1 sheet") {
		t.Errorf("inspect --exclude: exit %d\n%s", code, stdout)
	}
}

// serve refuses a scheduled run as run does: it logs why and the
// published output stays as it was.
func TestServeRefuses(t *testing.T) {
	t.Parallel()
	d := newDataset(t, false)
	empty := filepath.Join(d.dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		input string
		log   []string
	}{
		{d.in + "-typo", []string{
			`msg="input path not found; each run refuses (changing nothing) until it is there" input=` + d.in + "-typo",
			`msg="scheduled run refused; the published output is unchanged" result=error exit_code=2 error="input ` + d.in + `-typo does not exist`,
		}},
		{empty, []string{`msg="scheduled run refused; the published output is unchanged" result=error exit_code=2 error="found no input files, so this run would remove the outputs of 4 of the 4 published inputs`}},
	} {
		addr, stop := startServe(t, d.bin, "--schedule", "@every 1s", "--run-at-start", "--listen", "127.0.0.1:0", "--out", d.out, tt.input)
		var h struct {
			LastRun *struct {
				Result   string `json:"result"`
				ExitCode int    `json:"exit_code"`
				Error    string `json:"error"`
			} `json:"last_run"`
		}
		var code int
		eventually(t, "a refused run", time.Minute, func() bool {
			resp, err := http.Get("http://" + addr + "/healthz")
			if err != nil {
				return false
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			code = resp.StatusCode
			return json.Unmarshal(b, &h) == nil && h.LastRun != nil
		})
		if h.LastRun.Result != "error" || h.LastRun.ExitCode != 2 || code != http.StatusServiceUnavailable {
			t.Errorf("/healthz %d, last run %+v", code, *h.LastRun)
		}
		// The metrics agree with /healthz.
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if metric(string(b), "tradeetl_last_exit_code") != "2" || metric(string(b), "tradeetl_healthy") != "0" {
			t.Errorf("/metrics: tradeetl_last_exit_code %s, tradeetl_healthy %s", metric(string(b), "tradeetl_last_exit_code"), metric(string(b), "tradeetl_healthy"))
		}
		log := stop()
		for _, want := range tt.log {
			if !strings.Contains(log, want) {
				t.Errorf("serve log lacks %q:\n%s", want, log)
			}
		}
		checkReadable(t, d.out, d.snap)
	}
}

// startServe starts tradeetl serve and waits for it to listen; stop
// SIGTERMs it and returns what it logged.
func startServe(t *testing.T, bin string, args ...string) (addr string, stop func() string) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var logged bytes.Buffer
	timeout := time.After(time.Minute)
	for addr == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("serve exited:\n%s", logged.String())
			}
			logged.WriteString(line + "\n")
			if m := regexp.MustCompile(`msg=serving listen=(\S+)`).FindStringSubmatch(line); m != nil {
				addr = m[1]
			}
		case <-timeout:
			t.Fatalf("serve did not say where it listens:\n%s", logged.String())
		}
	}
	rest := make(chan struct{})
	go func() {
		for line := range lines {
			logged.WriteString(line + "\n") // read only once the process ended
		}
		close(rest)
	}()
	return addr, func() string {
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		<-rest // stderr closed: the process ended
		if err := cmd.Wait(); err != nil {
			t.Errorf("serve exited with %v", err)
		}
		return logged.String()
	}
}
