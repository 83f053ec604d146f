package pipeline

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

func fixture(name string) string { return filepath.Join("..", "fixtures", name) }

// plantedFindings reads the planted-errors table of fixtures/README.md:
// every `rule@cell` the errors fixture must yield.
func plantedFindings(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(fixture("README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i, j := strings.Index(s, "<!-- planted:start -->"), strings.Index(s, "<!-- planted:end -->")
	if i < 0 || j < i {
		t.Fatal("fixtures/README.md has no planted-errors table")
	}
	var out []string
	for _, m := range regexp.MustCompile("`([a-z_]+@[A-Z]+[0-9]+)`").FindAllStringSubmatch(s[i:j], -1) {
		out = append(out, m[1])
	}
	if len(out) < 4 {
		t.Fatalf("planted-errors table lists only %v", out)
	}
	slices.Sort(out)
	return out
}

func run(t *testing.T, cfg Config) *schemas.Report {
	t.Helper()
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func anchors(fs []schemas.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule+"@"+f.Cells[0])
	}
	slices.Sort(out)
	return out
}

// The errors fixture yields exactly the planted findings, no more (the near
// miss inside rounding is listed with no findings).
func TestPlantedErrors(t *testing.T) {
	want := plantedFindings(t)
	rep := run(t, Config{Inputs: []string{fixture("newsletter-2013-errors.xlsx")}})
	if got := anchors(rep.Findings); !slices.Equal(got, want) {
		t.Errorf("findings\n got %v\nwant %v", got, want)
	}
	for _, f := range rep.Findings {
		if f.File != fixture("newsletter-2013-errors.xlsx") || f.Sheet != "Trade with China" || f.Message == "" ||
			f.Expected == nil || f.Actual == nil || f.Tolerance == nil || f.Severity != schemas.SeverityError {
			t.Errorf("incomplete finding %+v", f)
		}
	}
	if ExitCode(rep) != ExitFindings {
		t.Errorf("exit code %d, want %d", ExitCode(rep), ExitFindings)
	}
}

func TestCleanFixtures(t *testing.T) {
	rep := run(t, Config{Inputs: []string{fixture("newsletter-2013.xlsx"), fixture("products-2013.xlsx")}})
	if len(rep.Findings) != 0 || ExitCode(rep) != ExitOK {
		t.Fatalf("findings %v, exit %d", rep.Findings, ExitCode(rep))
	}
	want := map[string]int{fixture("newsletter-2013.xlsx"): 36, fixture("products-2013.xlsx"): 28}
	for _, in := range rep.Inputs {
		if in.Status != schemas.StatusLoaded || in.Observations != want[in.Path] || len(in.SHA256) != 64 {
			t.Errorf("input %+v", in)
		}
	}
}

// One bad file never stops the others, and leaves nothing of itself in the
// outputs; exit code 3 wins over 1.
func TestBadInputDoesNotStopOthers(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "broken.xlsx")
	if err := os.WriteFile(bad, []byte("not a workbook"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	rep := run(t, Config{Inputs: []string{bad, filepath.Join("..", "fixtures")}, OutDir: out})
	if len(rep.Inputs) != 4 {
		t.Fatalf("inputs %+v", rep.Inputs)
	}
	loaded := 0
	for _, in := range rep.Inputs {
		switch {
		case in.Path == bad:
			if in.Status != schemas.StatusFailed || !strings.Contains(in.Error, "broken.xlsx") || !strings.Contains(in.Error, "not a zip") {
				t.Errorf("bad input %+v", in)
			}
		case in.Status == schemas.StatusLoaded:
			loaded++
		}
	}
	if loaded != 3 || ExitCode(rep) != ExitInput {
		t.Errorf("loaded %d, exit %d", loaded, ExitCode(rep))
	}
	for _, in := range rep.Inputs {
		if in.Status != schemas.StatusLoaded {
			continue
		}
		for _, rel := range []string{load.ObservationsPath(in.ID), load.FindingsPath(in.ID)} {
			if _, err := os.Stat(filepath.Join(out, rel)); err != nil {
				t.Error(err)
			}
		}
	}
	for _, name := range []string{load.ReportFile, load.ManifestFile, load.StateFile} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Error(err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, load.ObservationsPath(load.InputID(bad)))); err == nil {
		t.Error("the failed input has an observations file")
	}
	rows := int64(0)
	for _, o := range rep.Outputs {
		if strings.HasPrefix(o.Path, load.ObservationsDir+"/") {
			rows += o.Rows
		}
	}
	if rows != 100 {
		t.Errorf("observation rows %d, want 100; outputs %+v", rows, rep.Outputs)
	}
	noLeftovers(t, out)
}

// noLeftovers fails when a run left temporary files, a staging area or a
// journal in out.
func noLeftovers(t *testing.T, out string) {
	t.Helper()
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name := d.Name(); p == filepath.Join(out, load.ShardsDir) {
			// of a sharded run, once published, only the mark that it is
			runs, _ := os.ReadDir(p)
			for _, run := range runs {
				if left, _ := os.ReadDir(filepath.Join(p, run.Name())); len(left) != 1 || left[0].Name() != load.ShardPublishedFile {
					t.Errorf("left behind in %s: %v", filepath.Join(p, run.Name()), left)
				}
			}
			return filepath.SkipDir
		} else if p != out && strings.HasPrefix(name, ".") && name != load.LockFile {
			t.Errorf("left behind: %s", p)
		}
		return nil
	})
}

func TestDiscover(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.xlsx", "a.csv", "notes.txt", "~$b.xlsx", ".hidden.xlsx", "sub/c.xlsm", ".git/d.xlsx",
		"minutes-2024.xlsx", "sub/minutes/e.xlsx", "archive/f.csv", "sub/archive.csv",
		"g.ods", "sub/h.fods", "i.xls", "~$i.xls", ".~lock.g.ods#"} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rel := func(paths []string) []string {
		var out []string
		for _, p := range paths {
			r, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(r))
		}
		return out
	}
	got, err := Discover([]string{dir, filepath.Join(dir, "b.xlsx")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a.csv", "archive/f.csv", "b.xlsx", "g.ods", "i.xls", "minutes-2024.xlsx", "sub/archive.csv", "sub/c.xlsm", "sub/h.fods", "sub/minutes/e.xlsx"}
	if !slices.Equal(rel(got.Files), want) || len(got.Unlisted)+len(got.Excluded) != 0 {
		t.Errorf("Discover = %v (unlisted %v, excluded %v), want %v", rel(got.Files), got.Unlisted, got.Excluded, want)
	}

	// --exclude: a name, a path suffix, a directory (with a trailing
	// slash: directories only); a named file is excluded too.
	got, err = Discover([]string{dir, filepath.Join(dir, "b.xlsx")}, []string{"minutes*", "sub/*.xlsm", "archive/", "b.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	want = []string{"a.csv", "g.ods", "i.xls", "sub/archive.csv", "sub/h.fods"}
	if !slices.Equal(rel(got.Files), want) {
		t.Errorf("Discover with exclusions = %v, want %v", rel(got.Files), want)
	}
	var excluded []string
	for _, x := range got.Excluded {
		excluded = append(excluded, rel([]string{x.Path})[0]+" "+x.Pattern)
	}
	slices.Sort(excluded)
	if want := []string{"archive archive/", "b.xlsx b.xlsx", "minutes-2024.xlsx minutes*", "sub/c.xlsm sub/*.xlsm", "sub/minutes minutes*"}; !slices.Equal(excluded, want) {
		t.Errorf("excluded %q, want %q", excluded, want)
	}

	// A path that does not exist is an error naming it, whatever else
	// is given.
	_, err = Discover([]string{dir, filepath.Join(dir, "missing.xlsx"), filepath.Join(dir, "typo")}, nil)
	var ie *InputPathError
	if !errors.As(err, &ie) || !errors.Is(err, ErrInputPath) || len(ie.Paths) != 2 ||
		!strings.Contains(err.Error(), "missing.xlsx does not exist") || !strings.Contains(err.Error(), "typo does not exist") {
		t.Errorf("Discover with missing paths: %v", err)
	}
}

// A directory below an input directory that cannot be listed is reported,
// and the walk goes on; the input directory itself unlistable is an error.
func TestDiscoverUnlisted(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.csv", "locked/b.csv", "z/c.csv"} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	locked := filepath.Join(dir, "locked")
	unreadable(t, locked)
	got, err := Discover([]string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{filepath.Join(dir, "a.csv"), filepath.Join(dir, "z", "c.csv")}; !slices.Equal(got.Files, want) {
		t.Errorf("files %v, want %v", got.Files, want)
	}
	if len(got.Unlisted) != 1 || got.Unlisted[0].Path != locked || !errors.Is(got.Unlisted[0].Err, fs.ErrPermission) {
		t.Errorf("unlisted %v", got.Unlisted)
	}
	_, err = Discover([]string{locked}, nil)
	if !errors.Is(err, ErrInputPath) || !strings.Contains(err.Error(), "input "+locked+" cannot be listed: permission denied") {
		t.Errorf("Discover of an unlistable directory: %v", err)
	}
}

// unreadable takes the permissions of dir away for the rest of the test;
// it skips the test where that changes nothing (root).
func unreadable(t *testing.T, dir string) {
	t.Helper()
	if err := os.Chmod(dir, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	if _, err := os.ReadDir(dir); err == nil {
		t.Skip("a directory without permissions is still readable here (root)")
	}
}

func TestNoInputs(t *testing.T) {
	if _, err := Run(context.Background(), Config{Inputs: []string{t.TempDir()}}); err != ErrNoInputs {
		t.Errorf("Run on an empty directory: %v, want ErrNoInputs", err)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, Config{Inputs: []string{fixture("newsletter-2013.xlsx")}}); err == nil {
		t.Error("Run with a cancelled context succeeded")
	}
}
