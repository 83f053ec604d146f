package auditxlsx_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/load/auditxlsx"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/transform"
	"github.com/tradeetl/tradeetl/validate"
)

// BenchmarkWriteBadDelivery writes the annotated copy of the bad 100k-row
// long table of make bench-data (10% of its rows wrong: about 5,500
// findings naming 76,000 cells), inline and shared strings:
//
//	make bench-data-quick && go test ./load/auditxlsx -run '^$' -bench WriteBadDelivery -count 5
func BenchmarkWriteBadDelivery(b *testing.B) {
	for _, kind := range []string{"inline", "shared"} {
		src, err := filepath.Abs(filepath.Join("..", "..", "bench", "data", "long-100k-bad-"+kind+".xlsx"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := os.Stat(src); err != nil {
			b.Skipf("%v: make bench-data-quick writes it", err)
		}
		findings := auditOf(b, src)
		b.Run(kind, func(b *testing.B) {
			dst := filepath.Join(b.TempDir(), "copy.audit.xlsx")
			var res auditxlsx.Result
			cpu := cpuTime()
			for b.Loop() {
				if res, err = auditxlsx.Write(context.Background(), dst, src, findings, auditxlsx.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(res.Marked), "cells")
			b.ReportMetric(float64(len(findings)), "findings")
		})
	}
}

// cpuTime is the CPU time of the process (user and system) in ns: a busy
// machine inflates it less than the wall time.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// auditOf reads a workbook and audits it as the run does.
func auditOf(b *testing.B, src string) []schemas.Finding {
	b.Helper()
	wb, err := extract.Open(src, extract.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	defer wb.Close()
	dict, _ := schemas.DefaultDictionary()
	rs, _ := validate.DefaultRules()
	ev := rs.NewEvaluator(validate.EvalOptions{Audit: true})
	if _, err := transform.Workbook(context.Background(), wb, transform.Options{Dict: dict, File: src},
		func(o []schemas.Observation, _ []schemas.Finding) error { ev.Add(o); return nil }); err != nil {
		b.Fatal(err)
	}
	return ev.Finish()
}
