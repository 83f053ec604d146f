package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/vbauerster/mpb/v8"

	"github.com/tradeetl/tradeetl/pipeline"
	"github.com/tradeetl/tradeetl/schemas"
)

// The bars, rendered as on a terminal: files with their statuses, and each
// stage with its count; log lines above them.
func TestBars(t *testing.T) {
	var buf bytes.Buffer
	b := newBars(&buf, mpb.WithAutoRefresh(), mpb.WithWidth(120))
	b.Start(3)
	b.Advance(pipeline.StageExtract, 1200)
	b.Advance(pipeline.StageTransform, 1000)
	b.Advance(pipeline.StageValidate, 1000)
	b.Advance(pipeline.StageLoad, 600)
	b.Done(schemas.InputReport{Status: schemas.StatusLoaded})
	b.Done(schemas.InputReport{Status: schemas.StatusSkipped})
	b.Done(schemas.InputReport{Status: schemas.StatusQuarantined})
	if _, err := b.Write([]byte("level=WARN msg=\"input quarantined\"\n")); err != nil {
		t.Fatal(err)
	}
	b.Finish()
	// The last frame, without the cursor movements between frames.
	out := regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`).ReplaceAllString(buf.String(), "")
	for _, want := range []string{
		`level=WARN msg="input quarantined"`,
		"files     3/3",
		"1 loaded, 1 skipped, 0 failed, 1 quarantined",
		"extract",
		"1200 rows",
		"transform",
		"validate",
		"load",
		"600 observations",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("bars lack %q:\n%s", want, out)
		}
	}
}
