// Package corpus scores a tradeetl run against the answer key of a
// trade-table corpus: the shared corpus (../shared/corpus/trade) or the
// project's own fixtures (testdata/world).
//
// In: a key, read by [Load] from an answers.json (cases, their input files,
// the figures each must yield with their labels, the cells that hold
// missing marks, the planted error of a case, the expected exit code, and
// the name aliases the key accepts); and, per case, what `tradeetl run`
// produced ([CaseRun]: its exit code, the observations read back from
// OUT/observations/**/*.parquet and the findings of OUT/report.json, both
// read by [ReadOutput]).
//
// Out: a [Summary] from [Score]: per case and in total, the figures
// recalled at the right cell with the right amount, those with every label
// right, clean cases with error findings, planted errors caught and named,
// and exit codes right; [Summary.Write] prints it as the shared corpus's
// score.py does, and [Summary.Line] is its last line.
//
// The comparison follows score.py: a key figure is recalled when an
// observation of the same file (base name), sheet (any, for CSV) and cell
// has value × scale equal to the key's (relative 1e-9). Among recalled
// figures, reporter, partner, flow, measure, period, unit and (for growth
// rates) base period are compared: names without case, accents and
// punctuation and through the key's aliases; flows balance and surplus
// are the same flow; periods as month ranges (2024Q1 = 2024-01/2024-03).
package corpus

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

// Key is an answer key (answers.json).
type Key struct {
	Version     int               `json:"version"`
	Description string            `json:"description"`
	Conventions map[string]string `json:"conventions"`
	// Aliases maps a canonical name of the key to other names and codes a
	// tool may give for the same area; they count as that name.
	Aliases map[string][]string `json:"aliases,omitempty"`
	Cases   []Case              `json:"cases"`
	// Dir is the folder of the key file: the cases' Files are relative to
	// it, and tradeetl runs there.
	Dir string `json:"-"`
}

// Case is one case of a key: input files and what they must give.
type Case struct {
	Case             string   `json:"case"`
	Group            string   `json:"group"`
	Models           string   `json:"models"`
	Writer           string   `json:"writer"`
	Tests            []string `json:"tests"`
	Files            []string `json:"files"`
	ExpectedExit     int      `json:"expected_exit"`
	Planted          *Planted `json:"planted"`
	ProductsComplete bool     `json:"products_complete"`
	// PartnerSums lists [total, [parts]] pairs, for information.
	PartnerSums json.RawMessage `json:"partner_sums"`
	Missing     []Mark          `json:"missing"`
	NFigures    int             `json:"n_figures"`
	Figures     []Figure        `json:"figures"`
	// Aliases of this case only, merged over the key's.
	Aliases map[string][]string `json:"aliases,omitempty"`
}

// Figure is one figure a case must yield.
type Figure struct {
	File           string  `json:"file"`
	Sheet          string  `json:"sheet"`
	Cell           string  `json:"cell"`
	Reporter       string  `json:"reporter"`
	ReporterParent string  `json:"reporter_parent"`
	Partner        string  `json:"partner"`
	Flow           string  `json:"flow"`
	Measure        string  `json:"measure"`
	Period         string  `json:"period"`
	BasePeriod     string  `json:"base_period"`
	Value          float64 `json:"value"`
	Text           string  `json:"text"`
	Decimals       int     `json:"decimals"`
	Scale          float64 `json:"scale"`
	Unit           string  `json:"unit"`
	Flag           string  `json:"flag"`
	Product        string  `json:"product"`
}

// Mark is a cell holding a missing or suppressed mark: no number may be
// read there.
type Mark struct {
	File  string `json:"file"`
	Sheet string `json:"sheet"`
	Cell  string `json:"cell"`
	Text  string `json:"text"`
}

// Planted is the one wrong figure of a case with a planted error.
type Planted struct {
	File      string   `json:"file"`
	Sheet     string   `json:"sheet"`
	Cell      string   `json:"cell"`
	Rule      string   `json:"rule"`
	Rules     []string `json:"rules"`
	TrueValue float64  `json:"true_value"`
	TrueText  string   `json:"true_text"`
	Published string   `json:"published"`
	Slip      string   `json:"slip"`
}

// Clean reports whether the case must read without error findings.
func (c *Case) Clean() bool { return c.Planted == nil && c.ExpectedExit == 0 }

// Load reads and checks an answer key.
func Load(keyPath string) (*Key, error) {
	b, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, err
	}
	var k Key
	if err := json.Unmarshal(b, &k); err != nil {
		return nil, fmt.Errorf("%s: %w", keyPath, err)
	}
	abs, err := filepath.Abs(keyPath)
	if err != nil {
		return nil, err
	}
	k.Dir = filepath.Dir(abs)
	if err := k.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", keyPath, err)
	}
	return &k, nil
}

func (k *Key) check() error {
	if len(k.Cases) == 0 {
		return errors.New("no cases")
	}
	if _, err := aliasIndex(k.Aliases, nil); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i := range k.Cases {
		c := &k.Cases[i]
		if c.Case == "" || seen[c.Case] {
			return fmt.Errorf("case %d: empty or repeated id %q", i, c.Case)
		}
		seen[c.Case] = true
		if len(c.Files) == 0 {
			return fmt.Errorf("case %s: no files", c.Case)
		}
		if c.NFigures != len(c.Figures) {
			return fmt.Errorf("case %s: n_figures %d but %d figures", c.Case, c.NFigures, len(c.Figures))
		}
		if _, err := aliasIndex(k.Aliases, c.Aliases); err != nil {
			return fmt.Errorf("case %s: %w", c.Case, err)
		}
		cells := map[[3]string]bool{}
		for j, f := range c.Figures {
			if f.File == "" || f.Cell == "" || f.Reporter == "" || f.Partner == "" || f.Flow == "" ||
				f.Measure == "" || f.Period == "" || f.Unit == "" || f.Scale <= 0 {
				return fmt.Errorf("case %s: figure %d (%s %s) lacks a field", c.Case, j, f.File, f.Cell)
			}
			id := [3]string{f.File, f.Sheet, f.Cell}
			if cells[id] {
				return fmt.Errorf("case %s: two figures at %s %s!%s", c.Case, f.File, f.Sheet, f.Cell)
			}
			cells[id] = true
		}
		if p := c.Planted; p != nil && !cells[[3]string{p.File, p.Sheet, p.Cell}] {
			return fmt.Errorf("case %s: planted cell %s!%s is not a figure", c.Case, p.Sheet, p.Cell)
		}
	}
	return nil
}

// AddAliases merges more aliases into the key (canonical name -> variants),
// checking that no variant then stands for two names.
func (k *Key) AddAliases(more map[string][]string) error {
	merged := map[string][]string{}
	for c, vs := range k.Aliases {
		merged[c] = append(merged[c], vs...)
	}
	for c, vs := range more {
		merged[c] = append(merged[c], vs...)
	}
	if _, err := aliasIndex(merged, nil); err != nil {
		return err
	}
	k.Aliases = merged
	return nil
}

// aliasIndex maps the folded form of every canonical name and alias to the
// folded canonical name; a case's own aliases win over the key's.
func aliasIndex(keyAliases, caseAliases map[string][]string) (map[string]string, error) {
	idx, err := oneIndex(keyAliases)
	if err != nil {
		return nil, err
	}
	own, err := oneIndex(caseAliases)
	if err != nil {
		return nil, err
	}
	for v, c := range own {
		idx[v] = c
	}
	return idx, nil
}

func oneIndex(m map[string][]string) (map[string]string, error) {
	idx := map[string]string{}
	canons := make([]string, 0, len(m))
	for c := range m {
		canons = append(canons, c)
	}
	sort.Strings(canons)
	for _, c := range canons {
		fc := Fold(c)
		for _, v := range append([]string{c}, m[c]...) {
			fv := Fold(v)
			if prev, ok := idx[fv]; ok && prev != fc {
				return nil, fmt.Errorf("alias %q stands for both %q and %q", v, prev, fc)
			}
			idx[fv] = fc
		}
	}
	return idx, nil
}

// Fold returns s without case, accents and punctuation, as score.py's norm:
// NFKD, non-ASCII dropped, lower case, every run of characters other than
// a-z and 0-9 one space, trimmed.
func Fold(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFKD.String(s) {
		if r > unicode.MaxASCII {
			continue
		}
		r = unicode.ToLower(r)
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}

// flowOf maps folded flow words to flows, so that balance and surplus
// compare equal (score.py's FLOWS).
var flowOf = map[string]string{
	"exports": "X", "export": "X", "x": "X", "imports": "M", "import": "M", "m": "M",
	"balance": "X-M", "trade balance": "X-M", "surplus": "X-M", "net": "X-M", "deficit": "M-X",
	"total": "X+M", "total trade": "X+M", "turnover": "X+M",
}

func flowKey(s string) string {
	f := Fold(s)
	if v, ok := flowOf[f]; ok {
		return v
	}
	return f
}

var (
	reYear    = regexp.MustCompile(`^(\d{4})$`)
	reQuarter = regexp.MustCompile(`^(\d{4})\s*-?\s*Q([1-4])$`)
	reHalf    = regexp.MustCompile(`^(\d{4})\s*-?\s*[HS]([12])$`)
	reMonth   = regexp.MustCompile(`^(\d{4})-?M?(\d{2})$`)
	reRange   = regexp.MustCompile(`^(\d{4})-(\d{2})\s*(?:/|\.\.|--)\s*(\d{4})-(\d{2})$`)
)

// PeriodRange returns the first and last month of a period label (2024Q1:
// 2024-01, 2024-03), or "raw" and the label in lower case when it is none
// of YYYY, YYYYQn, YYYYSn (or Hn), YYYY-MM (or YYYYMnn) and YYYY-MM/YYYY-MM.
func PeriodRange(p string) (string, string) {
	s := strings.ToUpper(strings.TrimSpace(p))
	if m := reYear.FindStringSubmatch(s); m != nil {
		return m[1] + "-01", m[1] + "-12"
	}
	if m := reQuarter.FindStringSubmatch(s); m != nil {
		q, _ := strconv.Atoi(m[2])
		return fmt.Sprintf("%s-%02d", m[1], 3*q-2), fmt.Sprintf("%s-%02d", m[1], 3*q)
	}
	if m := reHalf.FindStringSubmatch(s); m != nil {
		h, _ := strconv.Atoi(m[2])
		return fmt.Sprintf("%s-%02d", m[1], 6*h-5), fmt.Sprintf("%s-%02d", m[1], 6*h)
	}
	if m := reMonth.FindStringSubmatch(s); m != nil {
		if mo, _ := strconv.Atoi(m[2]); mo >= 1 && mo <= 12 {
			return m[1] + "-" + m[2], m[1] + "-" + m[2]
		}
	}
	if m := reRange.FindStringSubmatch(s); m != nil {
		return m[1] + "-" + m[2], m[3] + "-" + m[4]
	}
	return "raw", strings.ToLower(s)
}

func unitKey(u string) string {
	u = strings.TrimSpace(u)
	switch strings.ToLower(u) {
	case "%", "percent", "per cent", "pct", "pc":
		return "%"
	}
	return strings.ToUpper(u)
}

// Fields are the labels compared for every recalled figure, in the order
// of score.py's table; base_period only for growth rates.
var Fields = []string{"reporter", "partner", "flow", "measure", "period", "unit", "base_period"}

var short = map[string]string{"reporter": "rep", "partner": "par", "flow": "flo", "measure": "mea",
	"period": "per", "unit": "uni", "base_period": "bas"}

func (f *Figure) field(name string) string {
	switch name {
	case "reporter":
		return f.Reporter
	case "partner":
		return f.Partner
	case "flow":
		return f.Flow
	case "measure":
		return f.Measure
	case "period":
		return f.Period
	case "unit":
		return f.Unit
	case "base_period":
		return f.BasePeriod
	}
	panic("corpus: unknown field " + name)
}

func obsField(o *schemas.Observation, name string) string {
	switch name {
	case "reporter":
		return o.Reporter
	case "partner":
		return o.Partner
	case "flow":
		return o.Flow
	case "measure":
		return o.Measure
	case "period":
		return o.Period
	case "unit":
		return o.Unit
	case "base_period":
		return o.BasePeriod
	}
	panic("corpus: unknown field " + name)
}

type names map[string]string

func (n names) canon(s string) string {
	f := Fold(s)
	if c, ok := n[f]; ok {
		return c
	}
	return f
}

func (n names) fieldOK(field, want, got string) bool {
	switch field {
	case "reporter", "partner":
		return n.canon(want) == n.canon(got)
	case "flow":
		return flowKey(want) == flowKey(got)
	case "measure":
		return Fold(want) == Fold(got)
	case "period", "base_period":
		if want == "" && got == "" {
			return true
		}
		a1, a2 := PeriodRange(want)
		b1, b2 := PeriodRange(got)
		return a1 == b1 && a2 == b2
	case "unit":
		return unitKey(want) == unitKey(got)
	}
	panic("corpus: unknown field " + field)
}

func applies(field string, f *Figure) bool { return field != "base_period" || f.Measure == "growth" }

func sameAmount(f *Figure, o *schemas.Observation) bool {
	if !o.HasValue || math.IsNaN(o.Value) || math.IsInf(o.Value, 0) {
		return false
	}
	kv := f.Value * f.Scale
	ov := o.Value
	if o.Scale != 0 && !math.IsNaN(o.Scale) {
		ov *= o.Scale
	}
	return isClose(kv, ov)
}

func isClose(a, b float64) bool {
	return math.Abs(a-b) <= math.Max(1e-9*math.Max(math.Abs(a), math.Abs(b)), 1e-9)
}

// stripRef returns the cell of a reference without sheet and $ signs.
func stripRef(c string) string {
	if i := strings.LastIndex(c, "!"); i >= 0 {
		c = c[i+1:]
	}
	return strings.ToUpper(strings.ReplaceAll(c, "$", ""))
}

func base(p string) string {
	if p == "" {
		return ""
	}
	return filepath.Base(filepath.FromSlash(p))
}

// CaseRun is what one `tradeetl run` over a case's files produced.
type CaseRun struct {
	// ExitCode is the exit code of run; -1 when it did not finish (timeout,
	// signal) or could not start.
	ExitCode     int
	Observations []schemas.Observation
	// Report is OUT/report.json; nil when it was not written or not readable.
	Report *schemas.Report
	// Err says what could not be run or read back (also when the rest
	// was); "" when all went well.
	Err    string
	Stderr string
	Wall   time.Duration
}

// Run holds the runs of a key's cases, by case id.
type Run map[string]*CaseRun

// ReadOutput reads what tradeetl wrote to outDir: the observations of every
// OUT/observations/**/*.parquet (hidden files skipped) and OUT/report.json.
// It returns what it could read with an error for the rest.
func ReadOutput(outDir string) ([]schemas.Observation, *schemas.Report, error) {
	var errs []error
	var obs []schemas.Observation
	var files []string
	dir := filepath.Join(outDir, load.ObservationsDir)
	if err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".parquet") && !strings.HasPrefix(d.Name(), ".") {
			files = append(files, p)
		}
		return nil
	}); err != nil && !errors.Is(err, fs.ErrNotExist) {
		errs = append(errs, err)
	}
	sort.Strings(files)
	for _, f := range files {
		if err := load.ReadObservations(f, func(batch []schemas.Observation) error {
			obs = append(obs, batch...)
			return nil
		}); err != nil {
			errs = append(errs, err)
		}
	}
	var rep *schemas.Report
	if b, err := os.ReadFile(filepath.Join(outDir, "report.json")); err != nil {
		errs = append(errs, err)
	} else {
		rep = new(schemas.Report)
		if err := json.Unmarshal(b, rep); err != nil {
			errs = append(errs, fmt.Errorf("report.json: %w", err))
			rep = nil
		}
	}
	return obs, rep, errors.Join(errs...)
}
