package corpus

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/tradeetl/tradeetl/schemas"
)

// Summary is the score of a run on a key.
type Summary struct {
	Cases  []CaseScore
	Groups []GroupScore // by group name
	Totals Totals
	// Field and FieldN count, over recalled figures, those whose label is
	// right and those the label applies to, by field (see [Fields]).
	Field, FieldN map[string]int
}

// CaseScore is the score of one case.
type CaseScore struct {
	Case, Group  string
	ExitCode     int // -1: did not finish, or no run for the case
	ExpectedExit int
	ExitOK       bool
	Clean        bool // no planted error, expected exit 0

	Figures     int // in the key
	Recalled    int // found at the right cell with the right amount
	WrongValue  int // found at the right cell with another amount
	Absent      int // not found at their cell
	LabelsRight int // recalled with every label right
	// Field and FieldN: labels right and compared, by field.
	Field, FieldN map[string]int
	// Confusions: label errors among recalled figures, most frequent first.
	Confusions  []Confusion
	WrongValues []string // "C7: key 12.5 x 1e+06 got 12500 x 1", the first 12

	Observations int // read back from the output
	ExtraObs     int // observations at cells of the case's files that the key does not list
	MissingRead  int // numbers read at cells the key marks missing

	Errors, Warnings int            // findings by severity
	ErrorRules       map[string]int // error findings by rule
	errorRuleOrder   []string       // rules of ErrorRules in order of appearance
	Inputs           []InputStatus
	Planted          *PlantedScore // nil without a planted error
	Note             string        // what could not be run or read back
	Wall             time.Duration // how long the run took
}

// Confusion is a label a tool got wrong, and how often.
type Confusion struct {
	Field, Want, Got string
	N                int
}

// InputStatus is an input of report.json: base name, status, error.
type InputStatus struct {
	File   string
	Status schemas.Status
	Error  string
}

// PlantedScore is how the run did on a case's planted error.
type PlantedScore struct {
	// Sheet, Cell, TrueText and Published are the key's.
	Sheet, Cell, TrueText, Published string
	// Caught: an error finding of the culprit's file names its cell (among
	// cells or as suspect_cell). Named: as suspect_cell. SuggestOK: every
	// suggested value of those naming it within one unit of the last
	// decimal of the true value.
	Caught, Named, SuggestOK bool
	Suggested                *float64 // the first suggested value, nil when none
	Rules                    []string // rules of the findings that name the cell
	OtherErrors              int      // error findings of the culprit's file that do not
}

// GroupScore sums the cases of one group.
type GroupScore struct {
	Group                                 string
	Cases, Figures, Recalled, LabelsRight int
	ExitOK                                int
}

// Totals sum every case.
type Totals struct {
	Cases, Figures, Recalled, LabelsRight, WrongValue, MissingRead, ExtraObs int
	// Clean cases, those with any error finding, and their error findings.
	Clean, CleanWithFalseErrors, FalseErrors int
	Planted, Caught, Named, SuggestOK        int
	ExitOK                                   int
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Recall is the fraction of key figures recalled.
func (t Totals) Recall() float64 { return ratio(t.Recalled, t.Figures) }

// LabelsRate is the fraction of recalled figures with every label right (1 when none is recalled).
func (t Totals) LabelsRate() float64 { return ratio(t.LabelsRight, t.Recalled) }

// CleanRate is the fraction of clean cases without error findings.
func (t Totals) CleanRate() float64 { return ratio(t.Clean-t.CleanWithFalseErrors, t.Clean) }

// CaughtRate is the fraction of planted errors whose cell an error finding names.
func (t Totals) CaughtRate() float64 { return ratio(t.Caught, t.Planted) }

// NamedRate is the fraction of planted errors named as the suspect cell.
func (t Totals) NamedRate() float64 { return ratio(t.Named, t.Planted) }

// ExitRate is the fraction of cases whose exit code is the expected one.
func (t Totals) ExitRate() float64 { return ratio(t.ExitOK, t.Cases) }

// Score compares a run with a key, case by case; a case without a run
// scores as one that did not finish.
func Score(key *Key, run Run) Summary {
	s := Summary{Field: map[string]int{}, FieldN: map[string]int{}}
	groups := map[string]*GroupScore{}
	for i := range key.Cases {
		c := &key.Cases[i]
		r := run[c.Case]
		if r == nil {
			r = &CaseRun{ExitCode: -1, Err: "no run for this case"}
		}
		idx, err := aliasIndex(key.Aliases, c.Aliases)
		if err != nil { // Load checked it; a key built by hand may not be
			idx = map[string]string{}
		}
		cs := scoreCase(c, r, names(idx))
		s.Cases = append(s.Cases, cs)
		t := &s.Totals
		t.Cases++
		t.Figures += cs.Figures
		t.Recalled += cs.Recalled
		t.LabelsRight += cs.LabelsRight
		t.WrongValue += cs.WrongValue
		t.MissingRead += cs.MissingRead
		t.ExtraObs += cs.ExtraObs
		if cs.Clean {
			t.Clean++
			t.FalseErrors += cs.Errors
			if cs.Errors > 0 {
				t.CleanWithFalseErrors++
			}
		}
		if p := cs.Planted; p != nil {
			t.Planted++
			t.Caught += b2i(p.Caught)
			t.Named += b2i(p.Named)
			t.SuggestOK += b2i(p.SuggestOK)
		}
		t.ExitOK += b2i(cs.ExitOK)
		for k, v := range cs.Field {
			s.Field[k] += v
		}
		for k, v := range cs.FieldN {
			s.FieldN[k] += v
		}
		g := groups[c.Group]
		if g == nil {
			g = &GroupScore{Group: c.Group}
			groups[c.Group] = g
		}
		g.Cases++
		g.Figures += cs.Figures
		g.Recalled += cs.Recalled
		g.LabelsRight += cs.LabelsRight
		g.ExitOK += b2i(cs.ExitOK)
	}
	for _, g := range groups {
		s.Groups = append(s.Groups, *g)
	}
	sort.Slice(s.Groups, func(i, j int) bool { return s.Groups[i].Group < s.Groups[j].Group })
	return s
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

type cellKey struct{ file, cell string }

func scoreCase(c *Case, r *CaseRun, n names) CaseScore {
	cs := CaseScore{Case: c.Case, Group: c.Group, ExitCode: r.ExitCode, ExpectedExit: c.ExpectedExit,
		ExitOK: r.ExitCode == c.ExpectedExit, Clean: c.Clean(), Figures: len(c.Figures),
		Field: map[string]int{}, FieldN: map[string]int{}, ErrorRules: map[string]int{},
		Observations: len(r.Observations), Note: r.Err, Wall: r.Wall}
	files := map[string]bool{}
	for _, f := range c.Files {
		files[base(f)] = true
	}
	byCell := map[cellKey][]*schemas.Observation{}
	var order []cellKey
	for i := range r.Observations {
		o := &r.Observations[i]
		k := cellKey{base(o.File), stripRef(o.Cell)}
		if _, ok := byCell[k]; !ok {
			order = append(order, k)
		}
		byCell[k] = append(byCell[k], o)
	}
	confusions := map[[3]string]int{}
	var confOrder [][3]string
	keyCells := map[cellKey]bool{}
	for i := range c.Figures {
		f := &c.Figures[i]
		keyCells[cellKey{f.File, f.Cell}] = true
		var cands, hit []*schemas.Observation
		for _, o := range byCell[cellKey{f.File, f.Cell}] {
			if f.Sheet == "" || o.Sheet == f.Sheet {
				cands = append(cands, o)
			}
		}
		for _, o := range cands {
			if sameAmount(f, o) {
				hit = append(hit, o)
			}
		}
		if len(hit) == 0 {
			if len(cands) > 0 {
				cs.WrongValue++
				if len(cs.WrongValues) < 12 {
					o := cands[0]
					got := "None"
					if o.HasValue {
						got = fmt.Sprint(o.Value)
					}
					cs.WrongValues = append(cs.WrongValues, fmt.Sprintf("%s: key %v x %g got %s x %v",
						f.Cell, f.Value, f.Scale, got, o.Scale))
				}
			} else {
				cs.Absent++
			}
			continue
		}
		cs.Recalled++
		var fields []string
		for _, k := range Fields {
			if applies(k, f) {
				fields = append(fields, k)
			}
		}
		best, bestN := hit[0], -1
		for _, o := range hit {
			m := 0
			for _, k := range fields {
				m += b2i(n.fieldOK(k, f.field(k), obsField(o, k)))
			}
			if m > bestN {
				best, bestN = o, m
			}
		}
		ok := true
		for _, k := range fields {
			cs.FieldN[k]++
			if n.fieldOK(k, f.field(k), obsField(best, k)) {
				cs.Field[k]++
			} else {
				ok = false
				ck := [3]string{k, f.field(k), obsField(best, k)}
				if confusions[ck] == 0 {
					confOrder = append(confOrder, ck)
				}
				confusions[ck]++
			}
		}
		if ok {
			cs.LabelsRight++
		}
	}
	for _, k := range confOrder {
		cs.Confusions = append(cs.Confusions, Confusion{Field: k[0], Want: k[1], Got: k[2], N: confusions[k]})
	}
	sort.SliceStable(cs.Confusions, func(i, j int) bool { return cs.Confusions[i].N > cs.Confusions[j].N })
	missing := map[cellKey]bool{}
	for _, m := range c.Missing {
		missing[cellKey{m.File, m.Cell}] = true
	}
	for _, k := range order {
		if !files[k.file] || keyCells[k] {
			continue
		}
		obs := byCell[k]
		if missing[k] {
			for _, o := range obs {
				cs.MissingRead += b2i(o.HasValue)
			}
		} else {
			cs.ExtraObs += len(obs)
		}
	}
	var findings []schemas.Finding
	if r.Report != nil {
		findings = r.Report.Findings
		for _, in := range r.Report.Inputs {
			e := in.Error
			if len(e) > 200 {
				e = e[:200]
			}
			cs.Inputs = append(cs.Inputs, InputStatus{File: base(in.Path), Status: in.Status, Error: e})
		}
	}
	var errs []*schemas.Finding
	for i := range findings {
		if findings[i].Severity == schemas.SeverityError {
			errs = append(errs, &findings[i])
			if cs.ErrorRules[findings[i].Rule] == 0 {
				cs.errorRuleOrder = append(cs.errorRuleOrder, findings[i].Rule)
			}
			cs.ErrorRules[findings[i].Rule]++
		}
	}
	cs.Errors = len(errs)
	cs.Warnings = len(findings) - len(errs)
	if p := c.Planted; p != nil {
		cs.Planted = scorePlanted(p, errs)
	}
	return cs
}

func scorePlanted(p *Planted, errs []*schemas.Finding) *PlantedScore {
	ps := &PlantedScore{Sheet: p.Sheet, Cell: p.Cell, TrueText: p.TrueText, Published: p.Published}
	rules := map[string]bool{}
	var named []*schemas.Finding
	for _, x := range errs {
		if base(x.File) != p.File || (p.Sheet != "" && x.Sheet != "" && x.Sheet != p.Sheet) {
			continue
		}
		names := stripRef(x.SuspectCell) == p.Cell
		for _, c := range x.Cells {
			names = names || stripRef(c) == p.Cell
		}
		if !names {
			ps.OtherErrors++
			continue
		}
		ps.Caught = true
		rules[x.Rule] = true
		if stripRef(x.SuspectCell) == p.Cell {
			ps.Named = true
			named = append(named, x)
		}
	}
	for r := range rules {
		ps.Rules = append(ps.Rules, r)
	}
	sort.Strings(ps.Rules)
	dec := 0
	if i := strings.Index(p.TrueText, "."); i >= 0 {
		dec = len(p.TrueText) - i - 1
	}
	tol := math.Pow(10, -float64(dec)) + 1e-9
	var sugg []float64
	for _, x := range named {
		if v := x.SuggestedValue; v != nil && !math.IsNaN(*v) && !math.IsInf(*v, 0) {
			sugg = append(sugg, *v)
		}
	}
	if len(sugg) > 0 {
		v := sugg[0]
		ps.Suggested = &v
		ps.SuggestOK = true
		for _, v := range sugg {
			ps.SuggestOK = ps.SuggestOK && math.Abs(v-p.TrueValue) <= tol
		}
	}
	return ps
}

func pct(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(a)/float64(b))
}

func exitText(code int) string {
	if code < 0 {
		return "none"
	}
	return fmt.Sprint(code)
}

// Line is the summary line, as score.py's last line with name for "trade corpus".
func (s *Summary) Line(name string) string {
	t := s.Totals
	rec := 0.0
	if t.Figures > 0 {
		rec = 100 * float64(t.Recalled) / float64(t.Figures)
	}
	return fmt.Sprintf("%s: recall %d/%d (%.1f%%); labels right %d/%d; clean cases with false errors %d/%d; "+
		"planted caught %d/%d; culprit named %d/%d; exit codes right %d/%d", name, t.Recalled, t.Figures, rec,
		t.LabelsRight, t.Recalled, t.CleanWithFalseErrors, t.Clean, t.Caught, t.Planted, t.Named, t.Planted,
		t.ExitOK, t.Cases)
}

// Write prints the score as score.py does: a line per case (with label
// confusions, wrong amounts and notes when verbose), a line per group, the
// labels by field, and the summary line named name.
func (s *Summary) Write(w io.Writer, name string, verbose bool) {
	for _, cs := range s.Cases {
		var fl []string
		for _, k := range Fields {
			fl = append(fl, fmt.Sprintf("%s %d", short[k], cs.Field[k]))
		}
		fmt.Fprintf(w, "%-40s exit %s/%d  recall %3d/%-3d (%4s)  wrongval %3d  labels %3d/%-3d [%s]  errors %d  "+
			"extra-obs %d", cs.Case, exitText(cs.ExitCode), cs.ExpectedExit, cs.Recalled, cs.Figures,
			pct(cs.Recalled, cs.Figures), cs.WrongValue, cs.LabelsRight, cs.Recalled, strings.Join(fl, " "),
			cs.Errors, cs.ExtraObs)
		if cs.MissingRead > 0 {
			fmt.Fprintf(w, "  missing-read-as-value %d", cs.MissingRead)
		}
		if p := cs.Planted; p != nil {
			sugg := "-"
			if p.Suggested != nil {
				sugg = fmt.Sprint(*p.Suggested)
			}
			rules := strings.Join(p.Rules, ",")
			if rules == "" {
				rules = "-"
			}
			ok := ""
			if p.SuggestOK {
				ok = " ok"
			}
			where := p.Cell
			if p.Sheet != "" {
				where = p.Sheet + "!" + p.Cell
			}
			fmt.Fprintf(w, "\n    planted %s (%s -> %s): caught %s, named %s, suggested %s%s; rules %s; other error "+
				"findings %d", where, p.TrueText, p.Published, yes(p.Caught), yes(p.Named), sugg, ok, rules,
				p.OtherErrors)
		}
		if cs.Clean && cs.Errors > 0 {
			fmt.Fprintf(w, "\n    false errors: %s", countText(cs.ErrorRules, cs.errorRuleOrder))
		}
		var bad []string
		for _, in := range cs.Inputs {
			if in.Status != schemas.StatusLoaded || cs.ExpectedExit == 3 {
				bad = append(bad, fmt.Sprintf("%s %s: %s", in.File, in.Status, in.Error))
			}
		}
		if len(bad) > 0 {
			fmt.Fprintf(w, "\n    inputs: %s", strings.Join(bad, "; "))
		}
		if verbose {
			for i, c := range cs.Confusions {
				if i == 8 {
					break
				}
				fmt.Fprintf(w, "\n    %s: want %s got %s x%d", c.Field, pyRepr(c.Want), pyRepr(c.Got), c.N)
			}
			for i, v := range cs.WrongValues {
				if i == 4 {
					break
				}
				fmt.Fprintf(w, "\n    wrong value %s", v)
			}
			if cs.Note != "" {
				fmt.Fprintf(w, "\n    %s", cs.Note)
			}
			fmt.Fprintf(w, "\n    observations %d, warnings %d, %.1fs", cs.Observations, cs.Warnings, cs.Wall.Seconds())
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
	for _, g := range s.Groups {
		fmt.Fprintf(w, "group %s: %d cases, recall %d/%d (%s), labels right %d/%d, exit code as expected %d/%d\n",
			g.Group, g.Cases, g.Recalled, g.Figures, pct(g.Recalled, g.Figures), g.LabelsRight, g.Recalled,
			g.ExitOK, g.Cases)
	}
	var fl []string
	for _, k := range Fields {
		fl = append(fl, fmt.Sprintf("%s %d/%d", k, s.Field[k], s.FieldN[k]))
	}
	t := s.Totals
	fmt.Fprintf(w, "labels by field (of recalled figures the field applies to): %s\n", strings.Join(fl, ", "))
	fmt.Fprintf(w, "found at the right cell with a wrong amount: %d; missing marks read as values: %d; error "+
		"findings on clean cases: %d; planted suggested value right %d/%d\n", t.WrongValue, t.MissingRead,
		t.FalseErrors, t.SuggestOK, t.Planted)
	fmt.Fprintln(w, s.Line(name))
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "NO"
}

// countText writes counts as Python prints a dict: {'balance': 2, 'share_range': 1}.
func countText(m map[string]int, order []string) string {
	parts := make([]string, len(order))
	for i, k := range order {
		parts[i] = fmt.Sprintf("%s: %d", pyRepr(k), m[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// pyRepr quotes s as Python's repr of a str does (for printable text).
func pyRepr(s string) string {
	q := "'"
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		q = `"`
	}
	r := strings.ReplaceAll(s, `\`, `\\`)
	if q == "'" {
		r = strings.ReplaceAll(r, "'", `\'`)
	}
	return q + r + q
}
