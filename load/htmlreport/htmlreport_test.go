package htmlreport_test

import (
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/load/htmlreport"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/transform"
	"github.com/tradeetl/tradeetl/validate"
)

// report audits the bundled fixtures (and a broken input) as a run would,
// and writes report.html.
func report(t *testing.T) (path string, rep *schemas.Report) {
	t.Helper()
	dict, _ := schemas.DefaultDictionary()
	rs, _ := validate.DefaultRules()
	rep = &schemas.Report{RunID: "20261128T061533Z-9f2c01aa", Version: "test", Started: "2026-11-28T06:15:33Z", Finished: "2026-11-28T06:15:34Z"}
	var obs []schemas.Observation
	for _, name := range []string{"newsletter-2013.xlsx", "newsletter-2013-errors.xlsx", "products-2013.xlsx"} {
		p := filepath.Join("..", "..", "fixtures", name)
		wb, err := extract.Open(p, extract.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		n := len(obs)
		_, err = transform.Workbook(context.Background(), wb, transform.Options{Dict: dict, File: p},
			func(o []schemas.Observation, _ []schemas.Finding) error { obs = append(obs, o...); return nil })
		wb.Close()
		if err != nil {
			t.Fatal(err)
		}
		rep.Inputs = append(rep.Inputs, schemas.InputReport{Path: p, Status: schemas.StatusLoaded, Observations: len(obs) - n})
	}
	rep.Inputs = append(rep.Inputs, schemas.InputReport{Path: "broken.xlsx", Status: schemas.StatusFailed, Error: "open broken.xlsx: not a zip archive"})
	rep.Findings = rs.Audit(obs)
	rep.Outputs = []schemas.Output{{Path: "observations.parquet", Rows: int64(len(obs))}}
	path = filepath.Join(t.TempDir(), "report.html")
	if err := htmlreport.Write(context.Background(), path, rep, obs, htmlreport.Options{}); err != nil {
		t.Fatal(err)
	}
	return path, rep
}

// The file stands alone: no script, stylesheet, image or font from
// anywhere, and it holds each part the report promises.
func TestSelfContained(t *testing.T) {
	path, rep := report(t)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*"?(https?:|//)|@import|url\(`).FindString(html); m != "" {
		t.Errorf("the report fetches something: %q", m)
	}
	if strings.Contains(html, "<script") {
		t.Error("the report has a script")
	}
	for _, want := range []string{
		`data-suspect="C13" data-suggested="5.13" data-slip="digits swapped"`,
		`<td class="num suspect" title="suspect: Flanders deficit 2012 (C13) reads 5.31`,
		`<td class="num operand"`,
		`<svg class="chart"`,
		`No findings: every rule holds`,
		`not a zip archive`,
		rep.RunID,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}

// chromium returns the path of Debian's chromium, or skips the test
// outside CI (.ci/run installs it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium not found; .ci/run installs it")
	}
	t.Skip("chromium not found (apt-get install chromium); CI runs this test")
	return ""
}

// runChromium runs headless chromium with the flags this machine needs
// (no sandbox as root, no GPU, no background networking) and a fresh
// profile; network access is cut off, so that anything the page tried to
// fetch would fail.
func runChromium(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return out
}

// A real browser renders the report: the DOM has every finding, the
// verdicts and the flagged cells; a screenshot shows the red of the
// suspect cells.
func TestChromiumRendersReport(t *testing.T) {
	bin := chromium(t)
	path, rep := report(t)
	dom := string(runChromium(t, bin, "--dump-dom", "file://"+path))
	if !strings.Contains(dom, `id="run-id">`+rep.RunID) {
		t.Fatalf("DOM without the run id:\n%.2000s", dom)
	}
	findings := regexp.MustCompile(`class="(verdict )?finding (error|warning)"`).FindAllString(dom, -1)
	if len(findings) != len(rep.Findings) {
		t.Errorf("DOM has %d findings, report %d", len(findings), len(rep.Findings))
	}
	for _, f := range rep.Findings {
		if f.Rule == schemas.RuleSuspect && !strings.Contains(dom, `data-suspect="`+f.SuspectCell+`"`) {
			t.Errorf("DOM lacks suspect %s", f.SuspectCell)
		}
	}
	if n := strings.Count(dom, `class="num suspect"`); n != 4 {
		t.Errorf("%d suspect cells highlighted, want 4", n)
	}
	if n := strings.Count(dom, "<svg"); n < 10 {
		t.Errorf("%d charts", n)
	}

	shot := filepath.Join(t.TempDir(), "report.png")
	runChromium(t, bin, "--hide-scrollbars", "--window-size=1280,2400", "--screenshot="+shot, "file://"+path)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	red, other := 0, 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			switch {
			case r > 240 && g > 110 && g < 150 && bl > 110 && bl < 150: // the suspect fill, #ff8080
				red++
			case r < 200 || g < 200 || bl < 200:
				other++
			}
		}
	}
	if red < 200 || other < 2000 {
		t.Errorf("screenshot: %d suspect-red and %d other non-white samples; is the page rendered?", red, other)
	}
	if dir := os.Getenv("TRADEETL_SCREENSHOT_DIR"); dir != "" {
		data, _ := os.ReadFile(shot)
		_ = os.WriteFile(filepath.Join(dir, "report.png"), data, 0o644)
	}
}

// Charts flag the suspect points of their own file only.
func TestChartsFlagTheirOwnFile(t *testing.T) {
	path, _ := report(t)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	clean := html[strings.Index(html, `id="input-1"`):strings.Index(html, `id="input-2"`)]
	errs := html[strings.Index(html, `id="input-2"`):strings.Index(html, `id="input-3"`)]
	if strings.Contains(clean, "dot suspect") || strings.Contains(clean, "chart flagged") {
		t.Error("the clean input's charts are flagged")
	}
	if n := strings.Count(errs, `class="dot suspect"`); n != 4 {
		t.Errorf("%d suspect points in the errors input's charts, want 4", n)
	}
}
