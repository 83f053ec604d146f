package objstore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tradeetl/tradeetl/internal/s3test"
	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/objstore"
	"github.com/tradeetl/tradeetl/pipeline"
	"github.com/tradeetl/tradeetl/schemas"
)

// fixtures are the bundled fixture workbooks.
var fixtures = []string{
	"../fixtures/newsletter-2013-errors.xlsx",
	"../fixtures/newsletter-2013.xlsx",
	"../fixtures/products-2013.xlsx",
}

func config(inputs []string, out string) pipeline.Config {
	return pipeline.Config{Inputs: inputs, OutDir: out, Version: "test", Workers: 2}
}

func run(t *testing.T, ctx context.Context, cfg pipeline.Config, opts objstore.RunOptions) (*schemas.Report, *objstore.Result, error) {
	t.Helper()
	return objstore.Run(ctx, cfg, opts)
}

// openOut opens the output at u with a throwaway mirror.
func openOut(t *testing.T, u string) *objstore.Output {
	t.Helper()
	o, err := objstore.OpenOutput(context.Background(), u, t.TempDir(), objstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Close() })
	return o
}

// readObject reads the object key of the output and checks its SHA-256.
func readObject(t *testing.T, o *objstore.Output, key, sum string) []byte {
	t.Helper()
	b, err := o.Bucket().ReadAll(context.Background(), key)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	if sum != "" {
		if got := sha(b); got != sum {
			t.Fatalf("%s: SHA-256 %s, manifest says %s", key, got, sum)
		}
	}
	return b
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// observations reads an observations file without the run that wrote it.
func observations(t *testing.T, name string) []schemas.Observation {
	t.Helper()
	var out []schemas.Observation
	if err := load.ReadObservations(name, func(b []schemas.Observation) error {
		for _, o := range b {
			o.RunID = ""
			out = append(out, o)
		}
		return nil
	}); err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return out
}

func findings(t *testing.T, name string) []schemas.Finding {
	t.Helper()
	f, err := load.ReadFindings(name)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return f
}

// logical is a manifest's file names, with the run's own id taken out.
func logical(names []string, runID string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.ReplaceAll(n, runID, "RUN")
	}
	slices.Sort(out)
	return out
}

// checkIntact checks that the output's manifest is want (byte for byte)
// and that every object it names is there with its SHA-256.
func checkIntact(t *testing.T, o *objstore.Output, want []byte) {
	t.Helper()
	got := readObject(t, o, load.ManifestFile, "")
	if !bytes.Equal(got, want) {
		t.Fatalf("manifest.json changed:\n%s\nwant\n%s", got, want)
	}
	m, err := o.ReadManifest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Files {
		readObject(t, o, f.Path, f.SHA256)
	}
	if m.State != nil {
		readObject(t, o, m.State.Path, m.State.SHA256)
	}
}

// TestRunMatchesLocal: a run of the fixtures into s3:// publishes the
// same files (by name), rows and findings as a run into a local
// directory, and its manifest names objects that hold them.
func TestRunMatchesLocal(t *testing.T) {
	srv := s3test.Start(t)
	ctx := context.Background()
	localOut := t.TempDir()
	localRep, err := pipeline.Run(ctx, config(fixtures, localOut))
	if err != nil {
		t.Fatal(err)
	}
	u := srv.URL("trade/out")
	rep, res, err := run(t, ctx, config(fixtures, u), objstore.RunOptions{WorkDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Out != "s3://"+srv.Bucket+"/trade/out" {
		t.Errorf("Out = %q", res.Out)
	}
	if len(rep.Inputs) != len(localRep.Inputs) || len(rep.Outputs) != len(localRep.Outputs) || len(rep.Findings) != len(localRep.Findings) {
		t.Fatalf("report: %d inputs, %d outputs, %d findings; local: %d, %d, %d",
			len(rep.Inputs), len(rep.Outputs), len(rep.Findings), len(localRep.Inputs), len(localRep.Outputs), len(localRep.Findings))
	}
	for i, in := range rep.Inputs {
		if l := localRep.Inputs[i]; in.Path != l.Path || in.Observations != l.Observations || in.Status != l.Status {
			t.Errorf("input %s: %s, %d observations; local %s: %s, %d", in.Path, in.Status, in.Observations, l.Path, l.Status, l.Observations)
		}
	}
	localMan, err := load.ReadManifest(localOut)
	if err != nil {
		t.Fatal(err)
	}
	o := openOut(t, u)
	m, err := o.ReadManifest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if m.RunID != rep.RunID || m.State == nil {
		t.Fatalf("manifest run %q, state %v; want run %q and a state", m.RunID, m.State, rep.RunID)
	}
	var localNames, names []string
	for _, f := range localMan.Files {
		localNames = append(localNames, f.Path)
	}
	byName := map[string]objstore.File{}
	for _, f := range m.Files {
		names = append(names, f.Name)
		byName[f.Name] = f
		if !strings.HasPrefix(f.Path, objstore.DataPrefix+rep.RunID+"/") {
			t.Errorf("%s is in object %s, not under data/%s/", f.Name, f.Path, rep.RunID)
		}
	}
	if got, want := logical(names, rep.RunID), logical(localNames, localRep.RunID); !reflect.DeepEqual(got, want) {
		t.Fatalf("files %v, local run %v", got, want)
	}
	dl := t.TempDir()
	for _, lf := range localMan.Files {
		name := strings.ReplaceAll(lf.Path, localRep.RunID, rep.RunID)
		f := byName[name]
		if f.Rows != lf.Rows {
			t.Errorf("%s: %d rows, local %d", name, f.Rows, lf.Rows)
		}
		data := readObject(t, o, f.Path, f.SHA256)
		got := filepath.Join(dl, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(got), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(got, data, 0o644); err != nil {
			t.Fatal(err)
		}
		want := filepath.Join(localOut, filepath.FromSlash(lf.Path))
		switch dir, _, _ := strings.Cut(name, "/"); dir {
		case load.ObservationsDir, load.CurrentDir:
			if a, b := observations(t, got), observations(t, want); !reflect.DeepEqual(a, b) {
				t.Errorf("%s: %d observations differ from the local run's %d", name, len(a), len(b))
			}
		case load.FindingsDir:
			if a, b := findings(t, got), findings(t, want); !reflect.DeepEqual(a, b) {
				t.Errorf("%s: findings differ from the local run's", name)
			}
		}
	}
	// The mirror holds the run as a local output would.
	mirrorMan, err := load.ReadManifest(res.Mirror)
	if err != nil || mirrorMan.RunID != rep.RunID || len(mirrorMan.Files) != len(m.Files) {
		t.Fatalf("mirror manifest %+v, %v", mirrorMan, err)
	}
}

// TestIncrementalRun: a second run over unchanged inputs uploads nothing
// but its own report, run row and state, and keeps the objects of the
// unchanged files; the mirror is rebuilt from the store when it is lost.
func TestIncrementalRun(t *testing.T) {
	srv := s3test.Start(t)
	ctx := context.Background()
	u := srv.URL("out")
	work := t.TempDir()
	rep1, _, err := run(t, ctx, config(fixtures, u), objstore.RunOptions{WorkDir: work})
	if err != nil {
		t.Fatal(err)
	}
	o := openOut(t, u)
	m1, _ := o.ReadManifest(ctx)
	for _, fresh := range []bool{false, true} {
		w := work
		if fresh {
			w = t.TempDir() // a new pod: nothing cached
		} else {
			// A mirror file damaged between runs is downloaded again.
			mirror := filepath.Join(work, "out")
			entries, err := os.ReadDir(mirror)
			if err != nil || len(entries) != 1 {
				t.Fatalf("mirror: %v, %v", entries, err)
			}
			damaged := filepath.Join(mirror, entries[0].Name(), filepath.FromSlash(m1.Files[0].Name))
			if err := os.WriteFile(damaged, []byte("damaged"), 0o644); err != nil {
				t.Fatal(err)
			}
			want := m1.Files[0].SHA256
			defer func() {
				data, err := os.ReadFile(damaged)
				if err != nil || sha(data) != want {
					t.Errorf("damaged mirror file not restored: %v", err)
				}
			}()
		}
		rep2, _, err := run(t, ctx, config(fixtures, u), objstore.RunOptions{WorkDir: w})
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range rep2.Inputs {
			if in.Status != schemas.StatusSkipped {
				t.Errorf("fresh=%v: %s: %s, want skipped", fresh, in.Path, in.Status)
			}
		}
		m2, _ := o.ReadManifest(ctx)
		kept := map[string]string{}
		for _, f := range m1.Files {
			kept[f.Name] = f.Path
		}
		for _, f := range m2.Files {
			if strings.HasPrefix(f.Name, load.ObservationsDir+"/") && f.Path != kept[f.Name] {
				t.Errorf("fresh=%v: %s uploaded again (%s, was %s)", fresh, f.Name, f.Path, kept[f.Name])
			}
		}
		if m2.RunID == rep1.RunID {
			t.Errorf("no new manifest")
		}
		m1 = m2
	}
}

// TestInputsFromS3: inputs read from s3:// give the same observations as
// the same files read locally, named by their URLs; a second run
// downloads nothing and skips them; an object above the size limit is
// refused by name.
func TestInputsFromS3(t *testing.T) {
	srv := s3test.Start(t)
	ctx := context.Background()
	for _, f := range fixtures {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		put(t, srv, "incoming/2013/"+filepath.Base(f), data)
	}
	put(t, srv, "incoming/2013/notes.txt", []byte("not an input"))
	put(t, srv, "incoming/.hidden/x.xlsx", []byte("hidden"))

	localOut := t.TempDir()
	if _, err := pipeline.Run(ctx, config(fixtures, localOut)); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	work := t.TempDir()
	rep, res, err := run(t, ctx, config([]string{srv.URL("incoming/")}, out), objstore.RunOptions{WorkDir: work})
	if err != nil {
		t.Fatal(err)
	}
	if res.Inputs.Downloaded != 3 || len(res.Inputs.Files) != 3 {
		t.Fatalf("downloaded %d of %d objects, want 3 of 3", res.Inputs.Downloaded, len(res.Inputs.Files))
	}
	want := map[string]string{}
	for _, f := range fixtures {
		want["s3://"+srv.Bucket+"/incoming/2013/"+filepath.Base(f)] = f
	}
	for _, in := range rep.Inputs {
		local, ok := want[in.Path]
		if !ok {
			t.Fatalf("input %q is not named by its URL", in.Path)
		}
		if in.ID != load.InputID(in.Path) {
			t.Errorf("%s: id %s", in.Path, in.ID)
		}
		got := observations(t, filepath.Join(out, filepath.FromSlash(load.ObservationsPath(in.ID))))
		exp := observations(t, filepath.Join(localOut, filepath.FromSlash(load.ObservationsPath(load.InputID(filepath.Clean(local))))))
		if len(got) == 0 || len(got) != len(exp) {
			t.Fatalf("%s: %d observations, local %d", in.Path, len(got), len(exp))
		}
		for i := range got {
			if got[i].File != in.Path {
				t.Fatalf("%s: observation file %q", in.Path, got[i].File)
			}
			got[i].File, exp[i].File = "", ""
		}
		if !reflect.DeepEqual(got, exp) {
			t.Errorf("%s: observations differ from the same file read locally", in.Path)
		}
	}
	// Again: nothing downloaded, everything skipped.
	rep, res, err = run(t, ctx, config([]string{srv.URL("incoming/")}, out), objstore.RunOptions{WorkDir: work})
	if err != nil {
		t.Fatal(err)
	}
	if res.Inputs.Downloaded != 0 {
		t.Errorf("second run downloaded %d objects", res.Inputs.Downloaded)
	}
	for _, in := range rep.Inputs {
		if in.Status != schemas.StatusSkipped {
			t.Errorf("second run: %s %s", in.Path, in.Status)
		}
	}
	// One object by its URL; the size limit.
	tests := []struct {
		name, url string
		max       int64
		err       string
	}{
		{"one object", srv.URL("incoming/2013/products-2013.xlsx"), 0, ""},
		{"too large", srv.URL("incoming/2013/products-2013.xlsx"), 100, "incoming/2013/products-2013.xlsx: "},
		{"missing", srv.URL("nothing/here/"), 0, "does not exist"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := run(t, ctx, config([]string{tc.url}, ""), objstore.RunOptions{WorkDir: t.TempDir(), MaxObjectBytes: tc.max})
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Fatalf("err = %v, want %q", err, tc.err)
			}
		})
	}
}

func put(t *testing.T, srv *s3test.Server, key string, data []byte) {
	t.Helper()
	if _, err := srv.Client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(srv.Bucket), Key: aws.String(key), Body: bytes.NewReader(data)}); err != nil {
		t.Fatal(err)
	}
}

// TestInterruptedRunKeepsPreviousManifest: a run that fails or is
// cancelled at any request it makes to the store, or at any moment,
// leaves the previous manifest, and every object it names, as they were;
// the next run succeeds.
func TestInterruptedRunKeepsPreviousManifest(t *testing.T) {
	srv := s3test.Start(t)
	ctx := context.Background()
	u := srv.URL("out")
	if _, _, err := run(t, ctx, config(fixtures, u), objstore.RunOptions{WorkDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	o := openOut(t, u)
	before := readObject(t, o, load.ManifestFile, "")
	// The second run changes every file: a full run over two inputs
	// (one removed).
	second := func(c context.Context, wrap func(op, key string) error, work string) error {
		cfg := config(fixtures[1:], u)
		cfg.Full = true
		cfg.MaxRemove = removeAll(t)
		_, _, err := run(t, c, cfg, objstore.RunOptions{WorkDir: work, Output: objstore.Options{Wrap: wrap}})
		return err
	}
	// Fail, then cancel, at each request in turn.
	work := t.TempDir()
	injected := errors.New("injected failure")
	for k := 1; ; k++ {
		var n atomic.Int32
		var seen []string
		var mu sync.Mutex
		err := second(ctx, func(op, key string) error {
			mu.Lock()
			seen = append(seen, op+" "+key)
			mu.Unlock()
			if int(n.Add(1)) == k {
				return injected
			}
			return nil
		}, work)
		if int(n.Load()) < k {
			if err != nil {
				t.Fatalf("run without failure: %v", err)
			}
			t.Logf("%d requests in a run (%d objects moved)", k-1, len(seen))
			before = readObject(t, o, load.ManifestFile, "") // it was published
			break
		}
		if !errors.Is(err, injected) {
			t.Fatalf("failure at request %d (%s): err = %v", k, seen[len(seen)-1], err)
		}
		checkIntact(t, o, before)
		// Cancel the run at the same request.
		cctx, cancel := context.WithCancel(ctx)
		n.Store(0)
		err = second(cctx, func(op, key string) error {
			if int(n.Add(1)) == k {
				cancel()
			}
			return nil
		}, work)
		cancel()
		if err == nil {
			t.Fatalf("cancel at request %d: the run completed", k)
		}
		checkIntact(t, o, before)
	}
	// Cancel at moments through the run.
	for _, d := range []time.Duration{0, time.Millisecond, 5 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 700 * time.Millisecond, time.Second, 1500 * time.Millisecond} {
		cctx, cancel := context.WithTimeout(ctx, d)
		err := second(cctx, nil, work)
		cancel()
		if err == nil {
			t.Logf("a run cancelled after %v had completed", d)
			before = readObject(t, o, load.ManifestFile, "")
		}
		t.Logf("cancelled after %v: %v", d, err)
		checkIntact(t, o, before)
	}
	if err := second(ctx, nil, work); err != nil {
		t.Fatalf("the run after the failures: %v", err)
	}
	m, _ := o.ReadManifest(ctx)
	for _, f := range m.Files {
		readObject(t, o, f.Path, f.SHA256)
	}
}

// TestSecondRunRefused: while a run holds the output, another run is
// refused with an error naming the holder; once it released the lock,
// or once its lease ran out (killed), the next run goes ahead.
func TestSecondRunRefused(t *testing.T) {
	srv := s3test.Start(t)
	ctx := context.Background()
	u := srv.URL("out")
	// A real run, held inside its first upload.
	inside := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	done := make(chan error, 1)
	go func() {
		_, _, err := run(t, ctx, config(fixtures, u), objstore.RunOptions{WorkDir: t.TempDir(), Output: objstore.Options{Wrap: func(op, key string) error {
			if op == "put" {
				once.Do(func() { close(inside); <-release })
			}
			return nil
		}}})
		done <- err
	}()
	select {
	case <-inside:
	case err := <-done:
		t.Fatalf("first run ended early: %v", err)
	}
	_, _, err := run(t, ctx, config(fixtures, u), objstore.RunOptions{WorkDir: t.TempDir()})
	if !errors.Is(err, load.ErrLocked) {
		t.Fatalf("second run: err = %v, want ErrLocked", err)
	}
	var le *objstore.LockedError
	if !errors.As(err, &le) || le.Holder == nil || le.Holder.PID != os.Getpid() || !strings.Contains(err.Error(), "s3://"+srv.Bucket+"/out is locked by") {
		t.Fatalf("second run: %v", err)
	}
	if strings.Contains(err.Error(), "endpoint") {
		t.Errorf("error shows the URL's query: %v", err)
	}
	// --wait: the second run waits for the first.
	waited := make(chan error, 1)
	go func() {
		cfg := config(fixtures, u)
		cfg.Wait = time.Minute
		_, _, err := run(t, ctx, cfg, objstore.RunOptions{WorkDir: t.TempDir()})
		waited <- err
	}()
	time.Sleep(300 * time.Millisecond)
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("first run: %v", err)
	}
	if err := <-waited; err != nil {
		t.Fatalf("waiting run: %v", err)
	}
}

// TestLockLease: a lock whose holder was killed (no release, no renewal)
// is taken over once its lease ran out, and only by one run; the killed
// holder, were it alive, would find its lock lost.
func TestLockLease(t *testing.T) {
	srv := s3test.Start(t)
	ctx := context.Background()
	o := openOut(t, srv.URL("out"))
	now := time.Now()
	clock := func() time.Time { return now }
	holder := load.LockHolder{PID: 1, Host: "killed", RunID: "r1", Started: now}
	l1, stale, err := o.Lock(ctx, holder, objstore.LockOptions{Lease: time.Hour, Now: clock})
	if err != nil || stale != nil {
		t.Fatalf("first lock: %v, stale %v", err, stale)
	}
	// Within the lease: refused.
	if _, _, err := o.Lock(ctx, load.LockHolder{PID: 2, RunID: "r2"}, objstore.LockOptions{Lease: time.Hour, Now: clock}); !errors.Is(err, load.ErrLocked) {
		t.Fatalf("second lock within the lease: %v", err)
	}
	// After it: two runs race for it; one wins.
	later := func() time.Time { return now.Add(2 * time.Hour) }
	var wins atomic.Int32
	var wg sync.WaitGroup
	var mu sync.Mutex
	var stales []*load.LockHolder
	var locks []*objstore.Lock
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, st, err := o.Lock(ctx, load.LockHolder{PID: 10 + i, RunID: fmt.Sprint("r", 10+i)}, objstore.LockOptions{Lease: time.Hour, Now: later})
			if err == nil {
				wins.Add(1)
				mu.Lock()
				stales, locks = append(stales, st), append(locks, l)
				mu.Unlock()
			} else if !errors.Is(err, load.ErrLocked) {
				t.Errorf("racer %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d runs took the expired lock, want 1", wins.Load())
	}
	if stales[0] == nil || stales[0].Host != "killed" {
		t.Errorf("stale holder %+v", stales[0])
	}
	if err := l1.Check(ctx); !errors.Is(err, objstore.ErrLockLost) {
		t.Errorf("the old holder's check: %v, want ErrLockLost", err)
	}
	if err := l1.Release(ctx); err != nil {
		t.Errorf("release of a lost lock: %v", err)
	}
	if err := locks[0].Check(ctx); err != nil {
		t.Errorf("the new holder's check: %v", err)
	}
	if err := locks[0].Release(ctx); err != nil {
		t.Fatal(err)
	}
	// Released: taken at once, no stale holder.
	l, stale, err := o.Lock(ctx, holder, objstore.LockOptions{Lease: time.Hour, Now: clock})
	if err != nil || stale != nil {
		t.Fatalf("lock after release: %v, stale %v", err, stale)
	}
	_ = l.Release(ctx)
}

// TestSweep: objects no manifest names are removed once the grace
// period is over, counted from when the manifest stopped naming them
// (or, never named, from when they were written); an object the manifest
// names is never removed.
func TestSweep(t *testing.T) {
	srv := s3test.Start(t)
	ctx := context.Background()
	u := srv.URL("out")
	work := t.TempDir()
	if _, _, err := run(t, ctx, config(fixtures, u), objstore.RunOptions{WorkDir: work}); err != nil {
		t.Fatal(err)
	}
	o := openOut(t, u)
	m1, _ := o.ReadManifest(ctx)
	cfg := config(fixtures[1:], u)
	cfg.MaxRemove = removeAll(t)
	if _, _, err := run(t, ctx, cfg, objstore.RunOptions{WorkDir: work}); err != nil {
		t.Fatal(err)
	}
	m2, _ := o.ReadManifest(ctx)
	if len(m2.Retired) == 0 {
		t.Fatal("the second manifest retires nothing")
	}
	named := map[string]bool{}
	for _, f := range m2.Files {
		named[f.Path] = true
	}
	named[m2.State.Path] = true
	var retired []string
	for _, f := range append(m1.Files, *m1.State) {
		if !named[f.Path] {
			retired = append(retired, f.Path)
		}
	}
	put(t, srv, "out/data/crashed-run/observations/x.parquet", []byte("left by a run that never committed"))
	put(t, srv, "out/elsewhere.txt", []byte("not ours"))
	keys := func() map[string]bool {
		out := map[string]bool{}
		res, err := srv.Client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(srv.Bucket), Prefix: aws.String("out/")})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range res.Contents {
			out[strings.TrimPrefix(*o.Key, "out/")] = true
		}
		return out
	}
	tests := []struct {
		name      string
		after     time.Duration
		grace     time.Duration
		wantGone  bool
		wantCount int
	}{
		{"within the grace period", time.Hour, 0, false, 0},
		{"keep forever", 1000 * time.Hour, -1, false, 0},
		{"after the grace period", 25 * time.Hour, 0, true, len(retired) + 1},
		{"long after", 1000 * time.Hour, 0, true, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			at := time.Now().Add(tc.after)
			so, err := objstore.OpenOutput(ctx, u, t.TempDir(), objstore.Options{Grace: tc.grace, Now: func() time.Time { return at }})
			if err != nil {
				t.Fatal(err)
			}
			defer so.Close()
			res, err := so.Sweep(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Removed) != tc.wantCount {
				t.Errorf("removed %d objects %v, want %d", len(res.Removed), res.Removed, tc.wantCount)
			}
			have := keys()
			for _, k := range retired {
				if have[k] == tc.wantGone {
					t.Errorf("retired %s: present %v", k, have[k])
				}
			}
			if have["data/crashed-run/observations/x.parquet"] == tc.wantGone {
				t.Errorf("orphan present %v", !tc.wantGone)
			}
			if !have["elsewhere.txt"] || !have[load.ManifestFile] {
				t.Errorf("sweep removed what is not under data/")
			}
			checkIntact(t, o, readObject(t, o, load.ManifestFile, ""))
		})
	}
}

// TestURLs: credentials in a URL are refused and never shown.
func TestURLs(t *testing.T) {
	tests := []struct {
		url, err, redacted string
	}{
		{"s3://bucket/out?endpoint=http://127.0.0.1:9000&region=x", "", "s3://bucket/out?endpoint=http://127.0.0.1:9000&region=x"},
		{"s3://AKIA:topsecret@bucket/out", "credentials are never read from a URL", "s3://bucket/out"},
		{"s3://bucket/out?endpoint=http://user:topsecret@host", "credentials", "s3://bucket/out?endpoint=http%3A%2F%2Fhost"},
		{"azblob://container/x?sas_token=topsecret", "credentials", "azblob://container/x?sas_token=REDACTED"},
		{"s3://bucket/a/../b", "empty, . or ..", "s3://bucket/a/../b"},
		{"gs://", "no bucket", "gs:"},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			_, err := objstore.ParseURL(tc.url)
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Fatalf("err = %v, want %q", err, tc.err)
			}
			if err != nil && strings.Contains(err.Error(), "topsecret") {
				t.Errorf("error shows the secret: %v", err)
			}
			if got := objstore.Redact(tc.url); strings.Contains(got, "topsecret") {
				t.Errorf("Redact = %q", got)
			}
		})
	}
}

func removeAll(t *testing.T) pipeline.RemoveLimit {
	l, err := pipeline.ParseRemoveLimit("all")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// BenchmarkFixtures times a run of the fixtures into a local directory
// and into s3:// (the in-process server), first runs and incremental
// reruns, and reports the requests and bytes a run sends the store:
//
//	go test ./objstore/ -run '^$' -bench Fixtures -benchtime 10x
func BenchmarkFixtures(b *testing.B) {
	srv := s3test.Start(b)
	ctx := context.Background()
	b.Run("local", func(b *testing.B) {
		for range b.N {
			if _, err := pipeline.Run(ctx, config(fixtures, b.TempDir())); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("local-rerun", func(b *testing.B) {
		out := b.TempDir()
		for range b.N {
			if _, err := pipeline.Run(ctx, config(fixtures, out)); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, rerun := range []bool{false, true} {
		name := "s3"
		if rerun {
			name = "s3-rerun"
		}
		b.Run(name, func(b *testing.B) {
			work := b.TempDir()
			base := fmt.Sprintf("bench-%d", time.Now().UnixNano())
			u := srv.URL(base)
			if rerun {
				if _, _, err := objstore.Run(ctx, config(fixtures, u), objstore.RunOptions{WorkDir: work}); err != nil {
					b.Fatal(err)
				}
			}
			srv.Stats.Requests.Store(0)
			srv.Stats.BytesIn.Store(0)
			srv.Stats.BytesOut.Store(0)
			b.ResetTimer()
			for i := range b.N {
				out := u
				if !rerun {
					out = srv.URL(fmt.Sprintf("%s-%d", base, i)) // a new output each time
				}
				if _, _, err := objstore.Run(ctx, config(fixtures, out), objstore.RunOptions{WorkDir: work}); err != nil {
					b.Fatal(err)
				}
			}
			if srv.Stats.Requests.Load() == 0 {
				return // an external server: not counted
			}
			b.ReportMetric(float64(srv.Stats.Requests.Load())/float64(b.N), "requests/run")
			b.ReportMetric(float64(srv.Stats.BytesIn.Load())/float64(b.N), "bytes-up/run")
			b.ReportMetric(float64(srv.Stats.BytesOut.Load())/float64(b.N), "bytes-down/run")
		})
	}
}

// TestTrees: a shard's staging tree goes up under the same keys and
// comes down into another machine's mirror as it was; a tree that holds
// published files is refused.
func TestTrees(t *testing.T) {
	srv := s3test.Start(t)
	ctx := context.Background()
	u := srv.URL("out")
	files := map[string]string{
		".shards/run1/0/observations/a.parquet": "a",
		".shards/run1/0/state.json":             "{}",
		".shards/run1/1/observations/b.parquet": "b",
	}
	up := openOut(t, u)
	for name, data := range files {
		p := filepath.Join(up.Dir(), filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, shard := range []string{".shards/run1/0", ".shards/run1/1"} {
		if err := up.PutTree(ctx, shard); err != nil {
			t.Fatal(err)
		}
	}
	// A retried shard replaces its tree: a file it no longer has goes.
	if err := os.Remove(filepath.Join(up.Dir(), ".shards", "run1", "0", "state.json")); err != nil {
		t.Fatal(err)
	}
	if err := up.PutTree(ctx, ".shards/run1/0"); err != nil {
		t.Fatal(err)
	}
	delete(files, ".shards/run1/0/state.json")
	down := openOut(t, u)
	stale := filepath.Join(down.Dir(), ".shards", "run1", "9", "old")
	if err := os.MkdirAll(filepath.Dir(stale), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := down.GetTree(ctx, ".shards/run1"); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	if err := filepath.WalkDir(filepath.Join(down.Dir(), ".shards"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(down.Dir(), p)
		got[filepath.ToSlash(rel)] = string(data)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, files) {
		t.Errorf("mirror holds %v, want %v", got, files)
	}
	if err := down.RemoveTree(ctx, ".shards/run1"); err != nil {
		t.Fatal(err)
	}
	if err := down.GetTree(ctx, ".shards/run1"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(down.Dir(), ".shards", "run1")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("removed tree still comes down: %v", err)
	}
	for _, bad := range []string{"data/x", "observations", "../x", "/abs", "manifest.json"} {
		if err := up.PutTree(ctx, bad); err == nil {
			t.Errorf("PutTree(%q) accepted", bad)
		}
	}
}

// TestShardSteps: the steps of a sharded run as Do carries them out:
// shards stage their trees without the lock and commit nothing; the
// publish step, under the lock, finds every shard's tree in its mirror,
// commits once and removes the trees from the store.
func TestShardSteps(t *testing.T) {
	srv := s3test.Start(t)
	ctx := context.Background()
	u := srv.URL("out")
	for i, in := range fixtures {
		tree := fmt.Sprintf(".shards/r1/%d", i)
		w := objstore.Work{PutTrees: []string{tree}, Run: func(ctx context.Context, mirror string) error {
			p := filepath.Join(mirror, filepath.FromSlash(tree), "input.txt")
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			return os.WriteFile(p, []byte(in), 0o644)
		}}
		// Each shard on its own machine (work directory).
		if err := objstore.Do(ctx, u, objstore.RunOptions{WorkDir: t.TempDir()}, w, nil); err != nil {
			t.Fatal(err)
		}
	}
	o := openOut(t, u)
	if m, _ := o.ReadManifest(ctx); m.RunID != "" {
		t.Fatalf("a shard committed run %s", m.RunID)
	}
	var res objstore.Result
	err := objstore.Do(ctx, u, objstore.RunOptions{WorkDir: t.TempDir()}, objstore.Work{
		Lock: true, GetTrees: []string{".shards/r1"}, Commit: true, RemoveTrees: []string{".shards/r1"},
		Run: func(ctx context.Context, mirror string) error {
			var inputs []string
			for i := range fixtures {
				b, err := os.ReadFile(filepath.Join(mirror, ".shards", "r1", fmt.Sprint(i), "input.txt"))
				if err != nil {
					return err
				}
				inputs = append(inputs, string(b))
			}
			_, err := pipeline.Run(ctx, config(inputs, mirror))
			return err
		},
	}, &res)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := o.ReadManifest(ctx)
	if res.Manifest == nil || m.RunID != res.Manifest.RunID || len(m.Files) == 0 {
		t.Fatalf("publish committed %+v; manifest %s", res.Manifest, m.RunID)
	}
	list, err := srv.Client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(srv.Bucket), Prefix: aws.String("out/.shards/")})
	if err != nil || len(list.Contents) != 0 {
		t.Errorf("staging objects left: %v, %v", len(list.Contents), err)
	}
}

// TestLockRenewal: the lock renews itself while held, and calls OnLost
// when it finds the lock object changed under it (taken over).
func TestLockRenewal(t *testing.T) {
	srv := s3test.Start(t)
	ctx := context.Background()
	o := openOut(t, srv.URL("out"))
	lost := make(chan error, 1)
	l, _, err := o.Lock(ctx, load.LockHolder{PID: 1, RunID: "r1"}, objstore.LockOptions{Lease: 600 * time.Millisecond, OnLost: func(err error) { lost <- err }})
	if err != nil {
		t.Fatal(err)
	}
	// Held past several leases: renewed.
	time.Sleep(1500 * time.Millisecond)
	if _, _, err := o.Lock(ctx, load.LockHolder{PID: 2, RunID: "r2"}, objstore.LockOptions{}); !errors.Is(err, load.ErrLocked) {
		t.Fatalf("lock not renewed: another run got it (%v)", err)
	}
	select {
	case err := <-lost:
		t.Fatalf("lost a lock nobody took: %v", err)
	default:
	}
	// Someone overwrites it: the next renewal finds out.
	put(t, srv, "out/"+objstore.LockKey, []byte(`{"token":"other","expires":"2999-01-01T00:00:00Z"}`))
	select {
	case err := <-lost:
		if !errors.Is(err, objstore.ErrLockLost) {
			t.Errorf("OnLost(%v)", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the lock taken over was not noticed")
	}
	if err := l.Check(ctx); !errors.Is(err, objstore.ErrLockLost) {
		t.Errorf("Check after loss: %v", err)
	}
	_ = l.Release(ctx)
}
