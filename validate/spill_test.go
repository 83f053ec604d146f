package validate_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/bench/longtable"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/validate"
)

// An evaluator with a memory budget (EvalOptions.RuleMemory) finds what
// the in-memory one finds, finding for finding, field for field, in the
// same order: under a budget it never reaches (the records replayed into
// one evaluation), under a small one (partitions written to the spill
// file) and under a tiny one (a flush every batch and every partition
// split again, as deep as it goes). The inputs: the fixtures and planted
// workbooks, transform's test workbooks, long tables clean and bad, two
// files and sheets, and random observations under random rules.

// spillBudgets are the budgets compared with the in-memory evaluation.
var spillBudgets = []struct {
	name  string
	bytes int64
	spill bool // the spill file must be used (given enough records)
}{
	{"tiny", 1, true},
	{"small", 64 << 10, true},
	{"never reached", 1 << 40, false},
}

// spilled runs obs through an evaluator with a budget, in batches of n,
// in a temporary directory that must be empty afterwards.
func spilled(t *testing.T, rs *validate.RuleSet, opts validate.EvalOptions, obs []schemas.Observation, n int) ([]schemas.Finding, validate.SpillStats) {
	t.Helper()
	dir := t.TempDir()
	opts.TempDir = dir
	ev := rs.NewEvaluator(opts)
	for i := 0; i < len(obs); i += n {
		ev.Add(obs[i:min(i+n, len(obs))])
	}
	fs, err := ev.FinishContext(context.Background())
	if err != nil {
		t.Fatalf("FinishContext: %v", err)
	}
	noSpillFiles(t, dir)
	return fs, ev.SpillStats()
}

// noSpillFiles fails when dir holds a file or the process still has a
// spill file open.
func noSpillFiles(t *testing.T, dir string) {
	t.Helper()
	if es, err := os.ReadDir(dir); err != nil || len(es) > 0 {
		t.Errorf("temporary directory after the evaluation: %v %v", es, err)
	}
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return // no /proc: the directory's emptiness is all we can see
	}
	for _, fd := range fds {
		if target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name())); err == nil && strings.Contains(target, dir) {
			t.Errorf("the spill file is still open: %s", target)
		}
	}
}

// compareSpilled checks the evaluations with a budget against the
// in-memory one, with and without the audit.
func compareSpilled(t *testing.T, e namedRules, obs []schemas.Observation) {
	t.Helper()
	for _, audit := range []bool{false, true} {
		want := showAll(stream(e.rs, validate.EvalOptions{Audit: audit}, obs, 8192))
		for _, b := range spillBudgets {
			for _, n := range []int{7, 1000} {
				what := fmt.Sprintf("%s audit=%v budget %s batches of %d", e.name, audit, b.name, n)
				got, st := spilled(t, e.rs, validate.EvalOptions{Audit: audit, RuleMemory: b.bytes}, obs, n)
				if g := showAll(got); !slices.Equal(g, want) {
					sameFindings(t, what, got, want)
				}
				if (!b.spill && st.Spilled) || (b.bytes == 1 && len(obs) > 600 && !st.Spilled) {
					t.Errorf("%s: spilled %v", what, st.Spilled)
				}
			}
		}
	}
}

func TestSpillMatchesMemoryOnWorkbooks(t *testing.T) {
	var paths []string
	for _, pattern := range []string{"../fixtures/*.xlsx", "testdata/planted/*.xlsx", "../transform/testdata/*.xlsx", "../transform/testdata/*.csv"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	e := defaultRuleSet(t)
	var all []schemas.Observation
	tested := 0
	for _, path := range paths {
		obs, err := readObs(path)
		if err != nil || len(obs) == 0 {
			continue
		}
		tested++
		t.Run(filepath.Base(path), func(t *testing.T) { compareSpilled(t, e, obs) })
		if strings.Contains(path, "planted") || strings.Contains(path, "fixtures") {
			all = append(all, obs...)
		}
	}
	if tested < 10 {
		t.Fatalf("%d workbooks compared: too few", tested)
	}
	t.Run("fixtures and planted together", func(t *testing.T) {
		compareSpilled(t, e, all)
		compareSpilled(t, loadRuleSet(t, "run.yaml", runRules), all)
	})
}

func TestSpillMatchesMemoryOnLongTables(t *testing.T) {
	e := defaultRuleSet(t)
	rows := 3 * longtable.BlockRows
	t.Run("clean", func(t *testing.T) { compareSpilled(t, e, longObs("long.csv", rows)) })
	t.Run("planted", func(t *testing.T) {
		obs := longObs("long.csv", rows)
		plant(obs, rand.New(rand.NewPCG(5, 7)), 40)
		compareSpilled(t, e, obs)
	})
	t.Run("typing slips", func(t *testing.T) { compareSpilled(t, e, badObs(rows, 25)) })
	t.Run("two files and two sheets", func(t *testing.T) {
		var obs []schemas.Observation
		for _, f := range []string{"a.csv", "b.csv"} {
			part := longObs(f, longtable.BlockRows)
			for i := range part {
				if i%2 == 1 {
					part[i].Sheet = "Second"
				}
			}
			obs = append(obs, part...)
		}
		plant(obs, rand.New(rand.NewPCG(3, 4)), 10)
		compareSpilled(t, e, obs)
		compareSpilled(t, loadRuleSet(t, "run.yaml", runRules), obs)
	})
}

func TestSpillMatchesMemoryOnRandomObservations(t *testing.T) {
	rules := []namedRules{defaultRuleSet(t), loadRuleSet(t, "random.yaml", randomRules), loadRuleSet(t, "run.yaml", runRules)}
	rng := rand.New(rand.NewPCG(17, 19))
	n := 10
	if testing.Short() {
		n = 4
	}
	for i := range n {
		obs := randomObs(rng, 150+rng.IntN(500))
		for _, e := range rules {
			t.Run(fmt.Sprintf("%d/%s", i, e.name), func(t *testing.T) { compareSpilled(t, e, obs) })
		}
		if t.Failed() {
			break
		}
	}
}

// Error localization's budget is the run's, spent cheapest cluster first
// over every partition: the same clusters are localized, and the same
// finding says where it stopped.
func TestSpillLocateBudget(t *testing.T) {
	e := defaultRuleSet(t)
	obs := badObs(6*longtable.BlockRows, 60)
	for _, budget := range []int64{1, 300_000, 2_000_000, 0} {
		t.Run(fmt.Sprint(budget), func(t *testing.T) {
			opts := validate.EvalOptions{Audit: true, LocateBudget: budget}
			want := stream(e.rs, opts, obs, 8192)
			if budget != 0 && count(want, schemas.RuleAuditLimit) != 1 {
				t.Fatalf("budget %d: the in-memory evaluation did not stop: the test tests nothing", budget)
			}
			for _, b := range spillBudgets {
				opts.RuleMemory = b.bytes
				got, _ := spilled(t, e.rs, opts, obs, 500)
				sameFindings(t, "budget "+b.name, got, showAll(want))
			}
		})
	}
}

// Collectors replayed into an evaluator with a budget give the findings
// of the in-memory one.
func TestSpillCollected(t *testing.T) {
	e := loadRuleSet(t, "run.yaml", runRules)
	obs := randomObs(rand.New(rand.NewPCG(1, 2)), 2000)
	want := showAll(collected(e.rs, obs))
	for _, b := range spillBudgets {
		dir := t.TempDir()
		ev := e.rs.NewEvaluator(validate.EvalOptions{RuleMemory: b.bytes, TempDir: dir})
		for rest := obs; len(rest) > 0; {
			n := 1
			for n < len(rest) && rest[n].File == rest[0].File {
				n++
			}
			col := e.rs.NewCollector()
			col.Add(rest[:n])
			ev.AddCollected(col)
			rest = rest[n:]
		}
		got, err := ev.FinishContext(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		sameFindings(t, "collected, budget "+b.name, got, want)
		noSpillFiles(t, dir)
	}
}

// A cancelled evaluation stops with the context's error and leaves no
// temporary file; so does one whose spill file cannot be made, and one
// closed without finishing.
func TestSpillCancelAndCleanup(t *testing.T) {
	e := defaultRuleSet(t)
	obs := badObs(4*longtable.BlockRows, 10)
	feed := func(ev *validate.Evaluator) {
		for i := 0; i < len(obs); i += 300 {
			ev.Add(obs[i:min(i+300, len(obs))])
		}
	}
	tmp := func(t *testing.T) string { return t.TempDir() }
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name    string
		budget  int64
		dir     func(t *testing.T) string
		finish  func(ev *validate.Evaluator) error
		wantErr error
	}{
		{"cancelled, spilled", 1, tmp, func(ev *validate.Evaluator) error {
			_, err := ev.FinishContext(cancelled)
			return err
		}, context.Canceled},
		{"cancelled, in memory", 1 << 40, tmp, func(ev *validate.Evaluator) error {
			_, err := ev.FinishContext(cancelled)
			return err
		}, context.Canceled},
		{"closed without finishing", 1, tmp, func(ev *validate.Evaluator) error { return ev.Close() }, nil},
		{"no temporary directory", 1, func(t *testing.T) string { return filepath.Join(t.TempDir(), "gone") }, func(ev *validate.Evaluator) error {
			_, err := ev.FinishContext(context.Background())
			return err
		}, os.ErrNotExist},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.dir(t)
			ev := e.rs.NewEvaluator(validate.EvalOptions{Audit: true, RuleMemory: tc.budget, TempDir: dir})
			feed(ev)
			err := tc.finish(ev)
			switch {
			case tc.wantErr == nil && err != nil:
				t.Fatalf("error %v", err)
			case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
				t.Fatalf("error %v, want %v", err, tc.wantErr)
			}
			if err := ev.Close(); err != nil {
				t.Errorf("Close after: %v", err)
			}
			if tc.name == "closed without finishing" {
				if _, err := ev.FinishContext(context.Background()); err == nil {
					t.Error("FinishContext after Close: no error")
				}
			}
			if _, err := os.Stat(dir); err == nil {
				noSpillFiles(t, dir)
			}
		})
	}
	// Finish, without a context, reports a failure as an error finding.
	ev := e.rs.NewEvaluator(validate.EvalOptions{RuleMemory: 1, TempDir: filepath.Join(t.TempDir(), "gone")})
	feed(ev)
	fs := ev.Finish()
	if len(fs) != 1 || fs[0].Severity != schemas.SeverityError || !strings.Contains(fs[0].Message, "could not be checked") {
		t.Errorf("Finish after a failed spill: %v", showAll(fs))
	}
}

// With the built-in rules, a long table is split into many partitions,
// none larger than the budget allows; one whose figures share every value
// of the partition key cannot be split, and is evaluated as it is.
func TestSpillPartitions(t *testing.T) {
	e := defaultRuleSet(t)
	onePartner := longObs("long.csv", 4*longtable.BlockRows)
	for i := range onePartner {
		onePartner[i].Partner, onePartner[i].Flow = "World", "exports"
		onePartner[i].Period = fmt.Sprint(2000 + i/longtable.BlockRows)
	}
	// 409 records a partition: the 10 partners of the long table (800
	// figures each) are split again by flow.
	const budget = 64 << 10
	tests := []struct {
		name       string
		obs        []schemas.Observation
		partitions int // at least
		unsplit    bool
	}{
		{"ten partners", longObs("long.csv", 20*longtable.BlockRows), 15, false},
		{"one partner and flow", onePartner, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, st := spilled(t, e.rs, validate.EvalOptions{Audit: true, RuleMemory: budget}, tt.obs, 8192)
			if !st.Spilled || st.Partitions < tt.partitions || (st.Unsplit > 0) != tt.unsplit ||
				(!tt.unsplit && st.Largest > budget/160) {
				t.Errorf("stats %+v for %d observations", st, len(tt.obs))
			}
			sameFindings(t, "spilled", got, showAll(stream(e.rs, validate.EvalOptions{Audit: true}, tt.obs, 8192)))
		})
	}
}
