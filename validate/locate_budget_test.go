package validate_test

import (
	"fmt"
	"testing"

	"github.com/tradeetl/tradeetl/bench/longtable"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/validate"
)

// badObs is the long table of n rows with planted typing slips (a decimal
// point moved), a bad delivery.
func badObs(n, planted int) []schemas.Observation {
	obs := make([]schemas.Observation, 0, n)
	row := 1
	longtable.Generate(n, planted, func(r longtable.Row) bool {
		row++
		obs = append(obs, longObservation("bad.csv", row, r))
		return true
	})
	return obs
}

func count(fs []schemas.Finding, rule string) int {
	n := 0
	for _, f := range fs {
		if f.Rule == rule {
			n++
		}
	}
	return n
}

// Error localization stops at its budget, says so in one finding, and
// leaves the rules' findings as they are; the default budget localizes a
// small bad table in full.
func TestLocateBudget(t *testing.T) {
	e := defaultRuleSet(t)
	obs := badObs(6*longtable.BlockRows, 30)
	audit := func(budget int64) []schemas.Finding {
		ev := e.rs.NewEvaluator(validate.EvalOptions{Audit: true, LocateBudget: budget})
		ev.Add(obs)
		return ev.Finish()
	}
	full := audit(0)
	rules := len(full) - count(full, schemas.RuleSuspect)
	if count(full, schemas.RuleAuditLimit) != 0 || count(full, schemas.RuleSuspect) < 10 {
		t.Fatalf("default budget: %d suspects, %d budget findings", count(full, schemas.RuleSuspect), count(full, schemas.RuleAuditLimit))
	}
	for _, tc := range []struct {
		name   string
		budget int64
	}{
		{"none", 1},
		{"some", 2_000_000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := audit(tc.budget)
			if n := count(fs, schemas.RuleAuditLimit); n != 1 {
				t.Fatalf("%d budget findings, want 1", n)
			}
			if got, all := count(fs, schemas.RuleSuspect), count(full, schemas.RuleSuspect); got >= all {
				t.Errorf("%d suspects within the budget, %d without: nothing was left out", got, all)
			}
			if got := len(fs) - count(fs, schemas.RuleSuspect) - 1; got != rules {
				t.Errorf("%d findings of the rules, want %d as without a budget", got, rules)
			}
			for _, f := range fs {
				if f.Rule == schemas.RuleAuditLimit && (f.Severity != schemas.SeverityWarning || f.File != "bad.csv") {
					t.Errorf("budget finding %+v", f)
				}
			}
		})
	}
}

// BenchmarkAuditBadDelivery audits the long table with 1% and 10% of its
// rows wrong (a decimal point moved), against the clean table: the
// localization budget keeps the bad ones within a few times the clean
// one.
//
//	go test ./validate -run '^$' -bench AuditBadDelivery -count 5
func BenchmarkAuditBadDelivery(b *testing.B) {
	e := defaultRuleSet(b)
	const rows = 100_000
	for _, share := range []int{0, 1, 10} {
		obs := badObs(rows, rows*share/100)
		b.Run(fmt.Sprintf("rows=%d/wrong=%dpct", rows, share), func(b *testing.B) {
			for b.Loop() {
				ev := e.rs.NewEvaluator(validate.EvalOptions{Audit: true})
				for i := 0; i < len(obs); i += 8192 {
					ev.Add(obs[i:min(i+8192, len(obs))])
				}
				ev.Finish()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/rows, "ns/obs")
		})
	}
}
