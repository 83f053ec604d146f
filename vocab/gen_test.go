package vocab

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The committed generated files are what the generator writes from the
// Debian sources on this machine: rerunning it gives the same bytes.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator (-short)")
	}
	for _, p := range []string{
		"/usr/share/iso-codes/json/iso_3166-2.json",
		"/usr/share/unicode/cldr/common/main/en.xml",
		"/usr/share/locale/de/LC_MESSAGES/iso_3166-1.mo",
	} {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("Debian sources missing: %v", err)
		}
	}
	if _, err := exec.LookPath("dpkg-query"); err != nil {
		t.Skip("no dpkg-query")
	}
	gobin := goBinary(t)
	date, packages := "", ""
	for _, line := range strings.Split(string(areasTSV[:min(len(areasTSV), 4096)]), "\n") {
		if rest, ok := strings.CutPrefix(line, "# generated: "); ok {
			date, _, _ = strings.Cut(rest, " ")
		}
		if rest, ok := strings.CutPrefix(line, "# packages: "); ok {
			packages = rest
		}
	}
	// Another Debian release ships other lists: the committed files are
	// checked against the packages they were made from, not any.
	for _, pkg := range []string{"iso-codes", "unicode-cldr-core"} {
		out, err := exec.Command("dpkg-query", "-W", "-f", "${Version}", pkg).Output()
		if err != nil {
			t.Skipf("dpkg-query %s: %v", pkg, err)
		}
		if v := pkg + " " + string(out); !strings.Contains(packages, v) {
			t.Skipf("this machine has %s; the committed files were made from %q", v, packages)
		}
	}
	if date == "" {
		t.Fatal("areas.tsv has no '# generated:' line")
	}
	dir := t.TempDir()
	cmd := exec.Command(gobin, "run", "./internal/gen", "-q", "-date", date, "-out", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generator: %v\n%s", err, out)
	}
	for name, committed := range map[string][]byte{"areas.tsv": areasTSV, "currencies.tsv": currenciesTSV, "calendar.tsv": calendarTSV} {
		fresh, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fresh, committed) {
			t.Errorf("%s differs from a fresh run of the generator (go generate ./vocab to update it)", name)
		}
	}
}

func TestGeneratorFailsOnMissingSource(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator (-short)")
	}
	cmd := exec.Command(goBinary(t), "run", "./internal/gen", "-q", "-date", "2000-01-01",
		"-iso-codes", t.TempDir(), "-iso-codes-version", "x", "-unicode-cldr-core-version", "y", "-out", t.TempDir())
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "required source") {
		t.Errorf("generator with no iso-codes: err %v, output %s", err, out)
	}
}

// goBinary finds the go command, or skips the test.
func goBinary(t *testing.T) string {
	p, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	return p
}
