package validate_test

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/transform"
	"github.com/tradeetl/tradeetl/validate"
)

// scenario is one entry of testdata/planted/cases.json, written by
// fixtures/gen next to the workbooks.
type scenario struct {
	File     string `json:"file"`
	What     string `json:"what"`
	Suspects []struct {
		Cell      string  `json:"cell"`
		Suggested float64 `json:"suggested"`
		Slip      string  `json:"slip"`
	} `json:"suspects"`
	Candidates []string `json:"candidates"`
	Findings   []string `json:"findings"`
}

// read extracts and transforms a workbook the way the pipeline does.
func read(t *testing.T, path string) []schemas.Observation {
	t.Helper()
	wb, err := extract.Open(path, extract.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	dict, err := schemas.DefaultDictionary()
	if err != nil {
		t.Fatal(err)
	}
	var obs []schemas.Observation
	_, err = transform.Workbook(context.Background(), wb, transform.Options{Dict: dict, File: path},
		func(o []schemas.Observation, _ []schemas.Finding) error {
			obs = append(obs, o...)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) == 0 {
		t.Fatalf("%s: no observations", path)
	}
	return obs
}

func audit(t *testing.T, path string) []schemas.Finding {
	t.Helper()
	rs, err := validate.DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	return rs.Audit(read(t, path))
}

func anchors(fs []schemas.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule+"@"+f.Cells[0])
	}
	slices.Sort(out)
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func near(p *float64, want float64) bool {
	return p != nil && math.Abs(*p-want) <= 1e-9*max(1, math.Abs(want))
}

func show(f schemas.Finding) string {
	s := f.Rule + "@" + strings.Join(f.Cells, ",") + " suspect=" + f.SuspectCell
	if f.SuggestedValue != nil {
		s += " suggested=" + strconv.FormatFloat(*f.SuggestedValue, 'g', -1, 64)
	}
	return s + " slip=" + f.Slip + " candidates=" + strings.Join(f.Candidates, ",") + "\n    " + f.Message
}

// Every planted-error workbook yields exactly its findings, names its
// suspects with the values and slips planted, lists candidates where the
// rules cannot tell, and names nothing for a near miss inside rounding.
func TestPlantedScenarios(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "planted", "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []scenario
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 10 {
		t.Fatalf("cases.json lists %d scenarios", len(cases))
	}
	for _, sc := range cases {
		t.Run(strings.TrimSuffix(sc.File, ".xlsx"), func(t *testing.T) {
			got := audit(t, filepath.Join("testdata", "planted", sc.File))
			defer func() {
				if t.Failed() {
					t.Logf("%s", sc.What)
					for _, f := range got {
						t.Logf("%s", show(f))
					}
				}
			}()
			if a := anchors(got); !slices.Equal(a, sc.Findings) {
				t.Errorf("findings\n got %v\nwant %v", a, sc.Findings)
			}
			var named []string
			for _, f := range got {
				if f.Rule != schemas.RuleSuspect || f.SuspectCell == "" {
					continue
				}
				named = append(named, f.SuspectCell)
				i := slices.IndexFunc(sc.Suspects, func(s struct {
					Cell      string  `json:"cell"`
					Suggested float64 `json:"suggested"`
					Slip      string  `json:"slip"`
				}) bool {
					return s.Cell == f.SuspectCell
				})
				if i < 0 {
					continue
				}
				want := sc.Suspects[i]
				if !near(f.SuggestedValue, want.Suggested) || !near(f.Expected, want.Suggested) {
					t.Errorf("suspect %s: suggested %s, want %v", f.SuspectCell, show(f), want.Suggested)
				}
				if f.Slip != want.Slip {
					t.Errorf("suspect %s: slip %q, want %q", f.SuspectCell, f.Slip, want.Slip)
				}
				if f.Cells[0] != f.SuspectCell || f.Actual == nil || f.Tolerance == nil || f.Severity != schemas.SeverityError {
					t.Errorf("suspect finding incomplete: %s", show(f))
				}
				if !strings.Contains(f.Message, "should be") || !strings.Contains(f.Message, "breaks no other rule") {
					t.Errorf("suspect message %q", f.Message)
				}
			}
			var wantNamed []string
			for _, s := range sc.Suspects {
				wantNamed = append(wantNamed, s.Cell)
			}
			if !sameSet(named, wantNamed) {
				t.Errorf("suspects %v, want %v", named, wantNamed)
			}
			// Candidates: on the one suspect finding of the cluster.
			var cands []string
			for _, f := range got {
				if f.Rule == schemas.RuleSuspect && len(f.Candidates) > 0 {
					cands = f.Candidates
				}
			}
			if !sameSet(cands, sc.Candidates) {
				t.Errorf("candidates %v, want %v", cands, sc.Candidates)
			}
			// Every rule finding points at the suspect that explains it,
			// or at its candidates.
			for _, f := range got {
				if f.Rule == schemas.RuleSuspect {
					continue
				}
				if f.SuspectCell == "" && len(f.Candidates) == 0 {
					t.Errorf("finding without suspect or candidates: %s", show(f))
				}
				if f.SuspectCell != "" && !slices.Contains(f.Cells, f.SuspectCell) {
					t.Errorf("finding's suspect is not one of its cells: %s", show(f))
				}
			}
		})
	}
}

// The bundled errors fixture: each planted figure is named with the value
// and slip the fixtures README lists.
func TestErrorsFixtureSuspects(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "fixtures", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(readme)
	table := s[strings.Index(s, "<!-- planted:start -->"):strings.Index(s, "<!-- planted:end -->")]
	row := regexp.MustCompile(`(?m)^\| ([A-Z]+[0-9]+) \| [^|]+ \| [^|]+ \| ([A-Z]+[0-9]+|none) \| ([-0-9.]*) \| ([a-z0-9 ]*) \|`)
	rows := row.FindAllStringSubmatch(table, -1)
	if len(rows) < 4 {
		t.Fatalf("planted table rows: %v", rows)
	}
	got := audit(t, filepath.Join("..", "fixtures", "newsletter-2013-errors.xlsx"))
	suspects := map[string]schemas.Finding{}
	for _, f := range got {
		if f.Rule == schemas.RuleSuspect {
			suspects[f.SuspectCell] = f
		}
	}
	n := 0
	for _, r := range rows {
		if r[2] == "none" {
			if _, ok := suspects[r[1]]; ok {
				t.Errorf("%s is named, but the table says it is not wrong", r[1])
			}
			continue
		}
		n++
		f, ok := suspects[r[2]]
		want, _ := strconv.ParseFloat(r[3], 64)
		switch {
		case !ok:
			t.Errorf("%s not named as suspect", r[2])
		case !near(f.SuggestedValue, want) || f.Slip != strings.TrimSpace(r[4]):
			t.Errorf("%s: %s, want suggested %v slip %q", r[2], show(f), want, strings.TrimSpace(r[4]))
		}
	}
	if len(suspects) != n {
		t.Errorf("%d suspects, want %d", len(suspects), n)
	}
}

// The clean fixtures stay clean under the audit.
func TestCleanFixturesAudit(t *testing.T) {
	for _, name := range []string{"newsletter-2013.xlsx", "products-2013.xlsx"} {
		if got := audit(t, filepath.Join("..", "fixtures", name)); len(got) != 0 {
			t.Errorf("%s: %d findings, first %s", name, len(got), show(got[0]))
		}
	}
}
