package corpus

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"São Paulo":          "sao paulo",
		"Korea, Rep. of":     "korea rep of",
		"  EU-27 (2020) ":    "eu 27 2020",
		"Türkiye":            "turkiye",
		"Łódź":               "odz", // score.py drops what NFKD cannot map to ASCII
		"Außenhandelssaldo":  "auenhandelssaldo",
		"CN_X_HK":            "cn x hk",
		"Brussels-Capital ☃": "brussels capital",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPeriodRange(t *testing.T) {
	for in, want := range map[string]string{
		"2024":             "2024-01 2024-12",
		"2024Q1":           "2024-01 2024-03",
		"2023-Q3":          "2023-07 2023-09",
		"2024 q4":          "2024-10 2024-12",
		"2024S1":           "2024-01 2024-06",
		"2024-H2":          "2024-07 2024-12",
		"2024-06":          "2024-06 2024-06",
		"2023M07":          "2023-07 2023-07",
		"202313":           "raw 202313",
		"2024-01/2024-06":  "2024-01 2024-06",
		"2023-07/2024-06":  "2023-07 2024-06",
		"2023-04..2024-03": "2023-04 2024-03",
		"Jan 2024":         "raw jan 2024",
		"":                 "raw ",
	} {
		a, b := PeriodRange(in)
		if got := a + " " + b; got != want {
			t.Errorf("PeriodRange(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLoadWorldKey reads the project's own fixtures key and checks that
// every case's files are there (gen.py writes them).
func TestLoadWorldKey(t *testing.T) {
	k, err := Load(filepath.Join("..", "..", "testdata", "world", "answers.json"))
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]int{}
	for _, c := range k.Cases {
		groups[c.Group]++
		for _, f := range c.Files {
			if _, err := os.Stat(filepath.Join(k.Dir, f)); err != nil {
				t.Errorf("%s: %v (run testdata/world/gen.py)", c.Case, err)
			}
		}
	}
	if len(k.Cases) < 24 || groups["planted"] < 2 || groups["unreadable"] < 1 {
		t.Errorf("%d cases, groups %v", len(k.Cases), groups)
	}
	if len(k.Aliases) == 0 {
		t.Error("no aliases in the key")
	}
}

func TestAliasConflict(t *testing.T) {
	k := &Key{Aliases: map[string][]string{"South Korea": {"Korea"}}}
	if err := k.AddAliases(map[string][]string{"North Korea": {"korea"}}); err == nil {
		t.Error("a variant standing for two names was accepted")
	}
	if err := k.AddAliases(map[string][]string{"South Korea": {"KR"}}); err != nil {
		t.Error(err)
	}
	if got := len(k.Aliases["South Korea"]); got != 2 {
		t.Errorf("South Korea has %d aliases after the merge", got)
	}
}

func fl(v float64) *float64 { return &v }

func testKey() *Key {
	lab := func(cell, flow, measure, period, base string, value, scale float64, unit string) Figure {
		return Figure{File: "a.xlsx", Sheet: "S", Cell: cell, Reporter: "Spain", Partner: "South Korea", Flow: flow,
			Measure: measure, Period: period, BasePeriod: base, Value: value, Scale: scale, Unit: unit}
	}
	return &Key{
		Aliases: map[string][]string{"South Korea": {"Korea, Republic of"}},
		Cases: []Case{{
			Case: "c1_clean", Group: "report", Files: []string{"cases/a.xlsx"},
			Figures: []Figure{
				lab("B5", "exports", "level", "2024Q1", "", 12.5, 1e6, "EUR"),
				lab("B6", "balance", "level", "2024-01/2024-03", "", -1.2, 1e6, "EUR"),
				lab("C7", "exports", "growth", "2024Q1", "2023Q1", 3.4, 1, "%"),
				lab("D8", "imports", "level", "2024Q1", "", 7, 1e3, "EUR"),
				lab("E9", "imports", "level", "2023Q1", "", 8, 1e3, "EUR"),
			},
			Missing: []Mark{{File: "a.xlsx", Sheet: "S", Cell: "F10", Text: ":"}},
		}, {
			Case: "c2_planted", Group: "planted", Files: []string{"cases/b.csv"}, ExpectedExit: 1,
			Figures: []Figure{{File: "b.csv", Cell: "A2", Reporter: "Spain", Partner: "World", Flow: "deficit",
				Measure: "level", Period: "2013", Value: 5.31, Scale: 1e9, Unit: "EUR"}},
			Planted: &Planted{File: "b.csv", Cell: "A2", Rule: "balance", TrueValue: 5.13, TrueText: "5.13"},
		}, {
			Case: "c3_unreadable", Group: "unreadable", Files: []string{"cases/c.xlsx"}, ExpectedExit: 3,
		}},
	}
}

func obs(file, sheet, cell string, value, scale float64, set func(o *schemas.Observation)) schemas.Observation {
	o := schemas.Observation{File: file, Sheet: sheet, Cell: cell, HasValue: true, Value: value, Scale: scale,
		Reporter: "spain", Partner: "Korea, Republic of", Flow: "exports", Measure: "level", Period: "2024Q1",
		Unit: "EUR"}
	if set != nil {
		set(&o)
	}
	return o
}

func TestScore(t *testing.T) {
	key := testKey()
	run := Run{
		"c1_clean": {ExitCode: 0, Observations: []schemas.Observation{
			// 12.5 million read as 12,500,000 in units, period as a month range, names as aliases
			obs("in/cases/a.xlsx", "S", "$B$5", 12500000, 1, func(o *schemas.Observation) {
				o.Period = "2024-01/2024-03"
			}),
			// surplus is balance; World in another case
			obs("cases/a.xlsx", "S", "S!B6", -1.2, 1e6, func(o *schemas.Observation) {
				o.Flow, o.Partner = "surplus", "south korea"
			}),
			// a growth rate with the wrong base period
			obs("cases/a.xlsx", "S", "C7", 3.4, 1, func(o *schemas.Observation) {
				o.Measure, o.BasePeriod, o.Unit = "growth", "2023Q4", "percent"
			}),
			// the right cell of another sheet does not count
			obs("cases/a.xlsx", "Other", "D8", 7, 1e3, nil),
			// a wrong amount (the scale missed)
			obs("cases/a.xlsx", "S", "E9", 8, 1, func(o *schemas.Observation) { o.Flow = "imports" }),
			// a number read at a missing mark, an extra figure, and a figure of another file
			obs("cases/a.xlsx", "S", "F10", 1, 1, nil),
			obs("cases/a.xlsx", "S", "G11", 1, 1, nil),
			obs("other.xlsx", "S", "G11", 1, 1, nil),
		}, Report: &schemas.Report{Findings: []schemas.Finding{
			{Rule: "balance", Severity: "error", File: "cases/a.xlsx", Sheet: "S", Cells: []string{"B6"}},
			{Rule: "no_unit", Severity: "warning", File: "cases/a.xlsx"},
		}}},
		"c2_planted": {ExitCode: 1, Report: &schemas.Report{Findings: []schemas.Finding{
			{Rule: "balance", Severity: "error", File: "x/b.csv", Cells: []string{"A3", "A2", "A1"},
				SuspectCell: "A2", SuggestedValue: fl(5.13)},
			{Rule: "growth_consistency", Severity: "error", File: "x/b.csv", Cells: []string{"B7"}},
			{Rule: "balance", Severity: "error", File: "x/other.csv", Cells: []string{"A2"}, SuspectCell: "A2"},
		}}},
	}
	s := Score(key, run)
	c1, c2, c3 := s.Cases[0], s.Cases[1], s.Cases[2]
	if c1.Recalled != 3 || c1.WrongValue != 1 || c1.Absent != 1 || c1.LabelsRight != 2 {
		t.Errorf("c1: recalled %d, wrong value %d, absent %d, labels right %d; want 3, 1, 1, 2",
			c1.Recalled, c1.WrongValue, c1.Absent, c1.LabelsRight)
	}
	if c1.FieldN["base_period"] != 1 || c1.Field["base_period"] != 0 || c1.Field["partner"] != 3 {
		t.Errorf("c1 fields %v of %v", c1.Field, c1.FieldN)
	}
	if len(c1.Confusions) != 1 || c1.Confusions[0] != (Confusion{"base_period", "2023Q1", "2023Q4", 1}) {
		t.Errorf("c1 confusions %v", c1.Confusions)
	}
	if c1.MissingRead != 1 || c1.ExtraObs != 1 || c1.Errors != 1 || c1.Warnings != 1 || !c1.ExitOK || !c1.Clean {
		t.Errorf("c1: missing read %d, extra %d, errors %d, warnings %d, exit ok %v, clean %v", c1.MissingRead,
			c1.ExtraObs, c1.Errors, c1.Warnings, c1.ExitOK, c1.Clean)
	}
	p := c2.Planted
	if p == nil || !p.Caught || !p.Named || !p.SuggestOK || p.OtherErrors != 1 || strings.Join(p.Rules, ",") != "balance" {
		t.Errorf("c2 planted %+v", p)
	}
	if c3.ExitOK || c3.ExitCode != -1 || c3.Note == "" {
		t.Errorf("c3: %+v", c3)
	}
	tot := s.Totals
	want := Totals{Cases: 3, Figures: 6, Recalled: 3, LabelsRight: 2, WrongValue: 1, MissingRead: 1, ExtraObs: 1,
		Clean: 1, CleanWithFalseErrors: 1, FalseErrors: 1, Planted: 1, Caught: 1, Named: 1, SuggestOK: 1,
		ExitOK: 2}
	if tot != want {
		t.Errorf("totals\n%+v\nwant\n%+v", tot, want)
	}
	if tot.CleanRate() != 0 || tot.NamedRate() != 1 || tot.Recall() != 0.5 {
		t.Errorf("rates: clean %v named %v recall %v", tot.CleanRate(), tot.NamedRate(), tot.Recall())
	}
	var b strings.Builder
	s.Write(&b, "test corpus", true)
	out := b.String()
	for _, frag := range []string{
		"c1_clean                                 exit 0/0  recall   3/5   ( 60%)  wrongval   1  labels   2/3   " +
			"[rep 3 par 3 flo 3 mea 3 per 3 uni 3 bas 0]  errors 1  extra-obs 1  missing-read-as-value 1",
		"    false errors: {'balance': 1}",
		"    planted A2 (5.13 -> ): caught yes, named yes, suggested 5.13 ok; rules balance; other error findings 1",
		"c3_unreadable                            exit none/3",
		"group planted: 1 cases, recall 0/1 (0%), labels right 0/0, exit code as expected 1/1",
		"test corpus: recall 3/6 (50.0%); labels right 2/3; clean cases with false errors 1/1; planted caught 1/1; " +
			"culprit named 1/1; exit codes right 2/3",
	} {
		if !strings.Contains(out, frag) {
			t.Errorf("the table lacks %q:\n%s", frag, out)
		}
	}
}

// TestReadOutput writes an output folder as tradeetl does (observations
// under observations/, one of them partitioned, a hidden temporary file,
// report.json) and reads it back.
func TestReadOutput(t *testing.T) {
	out := t.TempDir()
	dir := filepath.Join(out, load.ObservationsDir)
	for _, d := range []string{dir, filepath.Join(dir, "year=2024")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(path string, cells ...string) {
		w, err := load.NewObservationWriter(path, load.Metadata{RunID: "r", Version: "test"}, load.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var batch []schemas.Observation
		for _, c := range cells {
			batch = append(batch, schemas.Observation{File: "a.csv", Cell: c, Reporter: "Spain", Partner: "World",
				Flow: "exports", Product: schemas.ProductTotal, Measure: "level", Period: "2024", PeriodType: "year",
				Year: 2024, PeriodStart: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), HasValue: true, Value: 1.5,
				Decimals: 1, Unit: "EUR", Scale: 1e6})
		}
		if err := w.Write(batch); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "a.parquet"), "B2", "C2")
	write(filepath.Join(dir, "year=2024", "b.parquet"), "D2")
	if err := os.WriteFile(filepath.Join(dir, ".c.parquet.tmp"), []byte("partial"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := schemas.Report{RunID: "r", Findings: []schemas.Finding{{Rule: "balance", Severity: "error"}}}
	b, _ := json.Marshal(rep)
	if err := os.WriteFile(filepath.Join(out, "report.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	got, r, err := ReadOutput(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || r == nil || len(r.Findings) != 1 {
		t.Fatalf("%d observations, report %+v", len(got), r)
	}
	if got[0].Value != 1.5 || got[0].Scale != 1e6 || got[0].Reporter != "Spain" {
		t.Errorf("read back %+v", got[0])
	}
	// an empty folder: nothing read, the missing report said
	if obs, r, err := ReadOutput(t.TempDir()); len(obs) != 0 || r != nil || err == nil {
		t.Errorf("empty folder: %d observations, report %v, error %v", len(obs), r, err)
	}
}
