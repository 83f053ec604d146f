package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"

	"github.com/tradeetl/tradeetl/pipeline"
	"github.com/tradeetl/tradeetl/schemas"
)

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// newLogger returns the logger of a run: log/slog in text or JSON on w, at
// level.
func newLogger(w io.Writer, format string, level slog.Level) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: level}
	switch format {
	case "", "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		opts.ReplaceAttr = secondsAttr
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", format)
}

// secondsAttr writes durations in seconds in JSON logs, as a number under
// the key with _seconds added ("duration_seconds": 1.234), rather than as
// slog's nanoseconds.
func secondsAttr(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		return slog.Float64(a.Key+"_seconds", a.Value.Duration().Seconds())
	}
	return a
}

// bars shows a run on a terminal with vbauerster/mpb: a bar of files, and
// one line per stage with its count and rate, each stage's bar filling
// towards the count of the stage before it, so that the slowest stage
// shows. Log lines (warnings) are printed above the bars.
type bars struct {
	p      *mpb.Progress
	files  *mpb.Bar
	stages [4]*mpb.Bar
	counts [4]atomic.Int64
	status [4]atomic.Int64 // loaded, skipped, failed, quarantined
}

var statusIndex = map[schemas.Status]int{
	schemas.StatusLoaded: 0, schemas.StatusSkipped: 1, schemas.StatusFailed: 2, schemas.StatusQuarantined: 3,
}

func newBars(w io.Writer, opts ...mpb.ContainerOption) *bars {
	opts = append([]mpb.ContainerOption{mpb.WithOutput(w), mpb.WithWidth(72), mpb.WithRefreshRate(150 * time.Millisecond)}, opts...)
	return &bars{p: mpb.New(opts...)}
}

// Start adds the bars, once the number of inputs is known.
func (b *bars) Start(inputs int) {
	b.files = b.p.AddBar(int64(inputs),
		mpb.PrependDecorators(decor.Name("files", decor.WC{C: decor.DindentRight | decor.DextraSpace, W: 10}),
			decor.CountersNoUnit("%d/%d", decor.WCSyncWidth)),
		mpb.AppendDecorators(decor.Any(func(decor.Statistics) string {
			return fmt.Sprintf("%d loaded, %d skipped, %d failed, %d quarantined",
				b.status[0].Load(), b.status[1].Load(), b.status[2].Load(), b.status[3].Load())
		})))
	units := [4]string{"rows", "observations", "observations", "observations"}
	for s := range b.stages {
		name := decor.Name(pipeline.Stage(s).String(), decor.WC{C: decor.DindentRight | decor.DextraSpace, W: 10})
		count := decor.CurrentNoUnit("%d "+units[s], decor.WCSyncWidth)
		rate := decor.AverageSpeed(nil, "%.0f/s", decor.WCSyncSpace)
		if s < int(pipeline.StageValidate) {
			b.stages[s] = b.p.New(0, mpb.SpinnerStyle().PositionLeft(), mpb.PrependDecorators(name), mpb.AppendDecorators(count, rate))
		} else {
			b.stages[s] = b.p.AddBar(0, mpb.PrependDecorators(name), mpb.AppendDecorators(count, rate))
		}
	}
}

// Advance counts rows through a stage and raises the next stage's total.
func (b *bars) Advance(stage pipeline.Stage, n int) {
	if b.files == nil || n == 0 {
		return
	}
	c := b.counts[stage].Add(int64(n))
	b.stages[stage].IncrBy(n)
	if stage >= pipeline.StageTransform && stage < pipeline.StageLoad {
		b.stages[stage+1].SetTotal(c, false)
	}
}

// Done counts a finished input.
func (b *bars) Done(in schemas.InputReport) {
	if b.files == nil {
		return
	}
	b.status[statusIndex[in.Status]].Add(1)
	b.files.Increment()
}

// Write prints a log line above the bars.
func (b *bars) Write(p []byte) (int, error) { return b.p.Write(p) }

// Finish completes every bar and waits for the last frame, so that the
// summary printed next is not mixed with the bars.
func (b *bars) Finish() {
	if b.files != nil {
		b.files.SetTotal(-1, true)
		for _, s := range b.stages {
			s.SetTotal(-1, true)
		}
	}
	b.p.Wait()
}
