package main

import (
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/pipeline"
	"github.com/tradeetl/tradeetl/schemas"
)

// Output formats of run and validate.
const (
	formatText = "text"
	formatJSON = "json"
)

// output is how run and validate print their result.
type output struct {
	format string // formatText or formatJSON
	color  string // auto, always or never
	// findingsExit is the exit code of a run with error findings or a
	// quarantine (pipeline.ExitFindings unless --findings-exit-code).
	findingsExit int
}

func (o *output) check() error {
	if o.findingsExit < 0 || o.findingsExit > 125 {
		return fmt.Errorf("--findings-exit-code %d: want 0 to 125", o.findingsExit)
	}
	switch o.format {
	case formatText, formatJSON:
	default:
		return fmt.Errorf("--format %q: want text or json", o.format)
	}
	switch o.color {
	case "auto", "always", "never":
	default:
		return fmt.Errorf("--color %q: want auto, always or never", o.color)
	}
	return nil
}

// colored reports whether to colour w: always, never, or (auto) when w is
// a terminal and NO_COLOR is not set (https://no-color.org).
func (o *output) colored(w io.Writer) bool {
	switch o.color {
	case "always":
		return true
	case "never":
		return false
	}
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// printRun writes the report in the chosen format; quiet (for cron)
// prints only the inputs that failed, and nothing when none did.
func (o *output) printRun(w io.Writer, rep *schemas.Report, outDir string, quiet bool) error {
	if quiet {
		failed := slices.ContainsFunc(rep.Inputs, func(in schemas.InputReport) bool {
			return in.Status == schemas.StatusFailed || in.Status == schemas.StatusQuarantined
		})
		switch {
		case !failed:
			return nil
		case o.format == formatJSON:
			return printJSON(w, rep)
		}
		printFailures(w, rep, painter(o.colored(w)))
		return nil
	}
	if o.format == formatJSON {
		return printJSON(w, rep)
	}
	printSummary(w, rep, outDir, o.colored(w))
	return nil
}

// printJSON writes the report as report.json holds it.
func printJSON(w io.Writer, r *schemas.Report) error {
	b, err := load.EncodeReport(r)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// ANSI colours; every code of a column has the same length, so that
// tabwriter still aligns coloured columns.
const (
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBold   = "\x1b[01m"
	ansiDim    = "\x1b[02m"
	ansiReset  = "\x1b[0m"
)

type painter bool

func (p painter) paint(code, s string) string {
	if !p {
		return s
	}
	return code + s + ansiReset
}

func (p painter) severity(sev schemas.Severity) string {
	if sev == schemas.SeverityError {
		return p.paint(ansiRed, "ERROR")
	}
	return p.paint(ansiYellow, "WARNING")
}

// What the text summary draws at most: a delivery with a hundred thousand
// findings prints a screenful, says how many more there are and where
// they all are.
const (
	maxFailedShown  = 50  // failed or quarantined inputs
	maxRowsPerGroup = 20  // suspects, and findings, of one file and sheet
	maxRowsShown    = 200 // table rows in all
	maxGroupsShown  = 25  // files and sheets
	maxWroteShown   = 30  // files written
)

// printSummary writes the run summary: a line of counts, failed inputs,
// then per file and sheet a table of suspect cells (what the cell reads,
// what it should read, the typing slip, the rules it explains) followed by
// a table of the findings, then the outputs written; each part capped,
// saying how many more there are. Text from the inputs is escaped (safe).
func printSummary(w io.Writer, rep *schemas.Report, outDir string, color bool) {
	p := painter(color)
	t := rep.Tally()
	status := fmt.Sprintf("%d loaded, %d failed", t.Loaded, t.Failed)
	for _, st := range []schemas.Status{schemas.StatusSkipped, schemas.StatusQuarantined} {
		if n := t.Status(st); n > 0 {
			status += fmt.Sprintf(", %d %s", n, st)
		}
	}
	fmt.Fprintf(w, "%d inputs: %s; %d observations; %d findings (%d errors, %d warnings)",
		t.Inputs, status, t.Observations, t.Findings, t.Errors, t.Warnings)
	if t.Suspects > 0 {
		fmt.Fprintf(w, "; %d suspect cells", t.Suspects)
	}
	fmt.Fprintln(w)
	printFailures(w, rep, p)

	// Group by file and sheet, in the report's order.
	type group struct {
		file, sheet string
		findings    []*schemas.Finding
	}
	var groups []*group
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if n := len(groups); n == 0 || groups[n-1].file != f.File || groups[n-1].sheet != f.Sheet {
			groups = append(groups, &group{file: f.File, sheet: f.Sheet})
		}
		g := groups[len(groups)-1]
		g.findings = append(g.findings, f)
	}
	ex := newExplainer(rep.Findings)
	left := maxRowsShown
	cut := false
	for gi, g := range groups {
		if left <= 0 || gi == maxGroupsShown {
			more := 0
			for _, g := range groups[gi:] {
				more += len(g.findings)
			}
			fmt.Fprintf(w, "\n… and %d more findings in %d more files and sheets\n", more, len(groups)-gi)
			cut = true
			break
		}
		title := safe(g.file)
		if g.sheet != "" {
			title += " · " + safe(g.sheet)
		}
		fmt.Fprintf(w, "\n%s\n", p.paint(ansiBold, title))
		var verdicts, rest []*schemas.Finding
		for _, f := range g.findings {
			if f.Verdict() {
				verdicts = append(verdicts, f)
			} else {
				rest = append(rest, f)
			}
		}
		nv := min(len(verdicts), maxRowsPerGroup, left)
		left -= nv
		nr := min(len(rest), maxRowsPerGroup, left)
		left -= nr
		cut = cut || nv < len(verdicts) || nr < len(rest)
		if nv > 0 {
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "  "+p.paint(ansiDim, "SUSPECT")+"\tREADS\tSHOULD READ\tSLIP\tEXPLAINS")
			for _, f := range verdicts[:nv] {
				cell := f.SuspectCell
				should := "?"
				if f.SuggestedValue != nil {
					should = schemas.FormatFigure(f.SuggestedValue)
				}
				reads := ""
				if f.Actual != nil {
					reads = schemas.FormatFigure(f.Actual)
				}
				explains := ex.explains(f)
				if cell == "" {
					cell = joinCells(f.Candidates, "|", 6)
					explains = "cannot tell which: " + explains
				}
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", p.paint(ansiRed, safe(cell)), reads, should, safe(orDash(f.Slip)), safe(explains))
			}
			tw.Flush()
		}
		if n := len(verdicts) - nv; n > 0 {
			fmt.Fprintf(w, "  … and %d more suspects\n", n)
		}
		if nr > 0 {
			if nv > 0 {
				fmt.Fprintln(w)
			}
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "  "+p.paint(ansiDim, "SEVERITY")+"\tRULE\tCELLS\tEXPECTED\tACTUAL\t±\tSUSPECT")
			for _, f := range rest[:nr] {
				exp, act, tol := "", "", ""
				if f.Expected != nil {
					exp = schemas.FormatFigure(f.Expected)
				}
				if f.Actual != nil {
					act = schemas.FormatFigure(f.Actual)
				}
				if f.Tolerance != nil {
					tol = schemas.FormatFigure(f.Tolerance)
				}
				sus := f.SuspectCell
				if sus == "" && len(f.Candidates) > 0 {
					sus = joinCells(f.Candidates, "|", 6) + "?"
				}
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.severity(f.Severity), safe(f.Rule), safe(joinCells(f.Cells, ",", 12)),
					exp, act, tol, safe(orDash(sus)))
			}
			tw.Flush()
		}
		if n := len(rest) - nr; n > 0 {
			fmt.Fprintf(w, "  … and %d more findings\n", n)
		}
		// The audit's verdicts in words.
		if nv > 0 {
			fmt.Fprintln(w)
		}
		for _, f := range verdicts[:nv] {
			fmt.Fprintf(w, "  %s %s\n", p.paint(ansiDim, "•"), safe(shorten(f.Message, maxMessage)))
		}
	}
	if cut {
		if outDir != "" {
			fmt.Fprintf(w, "every finding: %s (for people), %s\n", safe(path.Join(outDir, pipeline.HTMLReport)), safe(path.Join(outDir, pipeline.ReportFile)))
		} else {
			fmt.Fprintln(w, "every finding: tradeetl validate --format json")
		}
	}
	if outDir != "" && len(rep.Outputs) > 0 {
		fmt.Fprintln(w)
		kept, shown, more := 0, 0, 0
		for _, o := range rep.Outputs {
			switch {
			case o.RunID != "" && o.RunID != rep.RunID:
				kept++
			case shown == maxWroteShown:
				more++
			case strings.HasSuffix(o.Path, ".parquet"):
				shown++
				fmt.Fprintf(w, "wrote %s (%d rows)\n", safe(path.Join(outDir, o.Path)), o.Rows)
			default:
				shown++
				fmt.Fprintf(w, "wrote %s\n", safe(path.Join(outDir, o.Path)))
			}
		}
		if more > 0 {
			fmt.Fprintf(w, "… and %d more files (%s lists them all)\n", more, safe(path.Join(outDir, load.ManifestFile)))
		}
		fmt.Fprintf(w, "wrote %s\n", safe(path.Join(outDir, pipeline.ReportFile)))
		if kept > 0 {
			fmt.Fprintf(w, "kept %d files of earlier runs\n", kept)
		}
	}
}

// printFailures lists the inputs that failed or were quarantined: all
// --quiet prints.
func printFailures(w io.Writer, rep *schemas.Report, p painter) {
	n := 0
	for _, in := range rep.Inputs {
		if in.Status != schemas.StatusFailed && in.Status != schemas.StatusQuarantined {
			continue
		}
		if n++; n > maxFailedShown {
			continue
		}
		kept := ""
		if in.OutputRunID != "" {
			kept = fmt.Sprintf(" (last good output, of run %s, kept)", in.OutputRunID)
		}
		fmt.Fprintf(w, "%s %s: %s%s\n", p.paint(ansiRed, strings.ToUpper(string(in.Status))), safe(in.Path), safe(in.Error), kept)
	}
	if n > maxFailedShown {
		fmt.Fprintf(w, "… and %d more inputs failed or quarantined (report.json lists them all)\n", n-maxFailedShown)
	}
}

// joinCells joins cell references, at most most of them, saying how many
// there are in all.
func joinCells(cells []string, sep string, most int) string {
	if len(cells) <= most {
		return strings.Join(cells, sep)
	}
	return strings.Join(cells[:most], sep) + fmt.Sprintf("%s… (%d cells)", sep, len(cells))
}

// maxMessage is the most of a message the summary prints (a verdict
// between a hundred candidates names them all).
const maxMessage = 600

// shorten cuts s to at most n bytes, at a character boundary, marking the
// cut.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n] + " …"
}

// explainer finds the findings a verdict explains, through an index of
// the findings by the cells they name as suspect or candidate: a lookup
// per verdict instead of a pass over every finding.
type explainer struct {
	all     []schemas.Finding
	suspect map[cellKey][]int // findings naming the cell as suspect (and among their cells)
	cand    map[cellKey][]int // findings naming the cell as a candidate
}

type cellKey struct{ file, sheet, cell string }

func newExplainer(all []schemas.Finding) *explainer {
	e := &explainer{all: all, suspect: map[cellKey][]int{}, cand: map[cellKey][]int{}}
	for i := range all {
		f := &all[i]
		if f.Verdict() || len(f.Cells) == 0 {
			continue
		}
		if f.SuspectCell != "" && slices.Contains(f.Cells, f.SuspectCell) {
			k := cellKey{f.File, f.Sheet, f.SuspectCell}
			e.suspect[k] = append(e.suspect[k], i)
		}
		for _, c := range f.Candidates {
			k := cellKey{f.File, f.Sheet, c}
			if l := e.cand[k]; len(l) == 0 || l[len(l)-1] != i {
				e.cand[k] = append(e.cand[k], i)
			}
		}
	}
	return e
}

// explains lists the rules a verdict explains, grouped by rule: the
// findings of its file and sheet that name it as suspect or candidate.
func (e *explainer) explains(v *schemas.Finding) string {
	if v.Rule == schemas.RuleScaleSlip {
		return "1000 times off its series (" + strings.Join(v.Cells[1:], ",") + ")"
	}
	var hits []int
	if v.SuspectCell != "" {
		hits = e.suspect[cellKey{v.File, v.Sheet, v.SuspectCell}]
	} else {
		for _, c := range v.Candidates {
			hits = append(hits, e.cand[cellKey{v.File, v.Sheet, c}]...)
		}
		slices.Sort(hits)
		hits = slices.Compact(hits)
	}
	var ids []string
	at := map[string][]string{}
	for _, i := range hits {
		f := &e.all[i]
		if _, ok := at[f.Rule]; !ok {
			ids = append(ids, f.Rule)
		}
		at[f.Rule] = append(at[f.Rule], f.Cells[0])
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = id + " " + strings.Join(at[id], " ")
	}
	return strings.Join(parts, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
