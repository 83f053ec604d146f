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
	"github.com/tradeetl/tradeetl/validate"
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
}

func (o *output) check() error {
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

// print writes the report in the chosen format.
func (o *output) print(w io.Writer, rep *schemas.Report, outDir string) error {
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

func (p painter) severity(sev string) string {
	if sev == schemas.SeverityError {
		return p.paint(ansiRed, "ERROR")
	}
	return p.paint(ansiYellow, "WARNING")
}

// isVerdict reports whether a finding names a cell as wrong on its own:
// the audit's suspects (and their candidates) and scale slips.
func isVerdict(f *schemas.Finding) bool {
	return f.Rule == validate.RuleSuspect || f.Rule == validate.RuleScaleSlip
}

// printSummary writes the run summary: a line of counts, failed inputs,
// then per file and sheet a table of suspect cells (what the cell reads,
// what it should read, the typing slip, the rules it explains) followed by
// a table of every finding, then the outputs written.
func printSummary(w io.Writer, rep *schemas.Report, outDir string, color bool) {
	p := painter(color)
	counts := map[string]int{}
	obs := 0
	for _, in := range rep.Inputs {
		counts[in.Status]++
		obs += in.Observations
	}
	errs, warns, suspects := 0, 0, 0
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if f.Severity == schemas.SeverityError {
			errs++
		} else {
			warns++
		}
		if isVerdict(f) && f.SuspectCell != "" {
			suspects++
		}
	}
	status := fmt.Sprintf("%d loaded, %d failed", counts[schemas.StatusLoaded], counts[schemas.StatusFailed])
	for _, st := range []string{schemas.StatusSkipped, schemas.StatusQuarantined} {
		if counts[st] > 0 {
			status += fmt.Sprintf(", %d %s", counts[st], st)
		}
	}
	fmt.Fprintf(w, "%d inputs: %s; %d observations; %d findings (%d errors, %d warnings)",
		len(rep.Inputs), status, obs, len(rep.Findings), errs, warns)
	if suspects > 0 {
		fmt.Fprintf(w, "; %d suspect cells", suspects)
	}
	fmt.Fprintln(w)
	for _, in := range rep.Inputs {
		if in.Status != schemas.StatusFailed && in.Status != schemas.StatusQuarantined {
			continue
		}
		kept := ""
		if in.OutputRunID != "" {
			kept = fmt.Sprintf(" (last good output, of run %s, kept)", in.OutputRunID)
		}
		fmt.Fprintf(w, "%s %s: %s%s\n", p.paint(ansiRed, strings.ToUpper(in.Status)), in.Path, in.Error, kept)
	}

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
	for _, g := range groups {
		title := g.file
		if g.sheet != "" {
			title += " · " + g.sheet
		}
		fmt.Fprintf(w, "\n%s\n", p.paint(ansiBold, title))
		var verdicts, rest []*schemas.Finding
		for _, f := range g.findings {
			if isVerdict(f) {
				verdicts = append(verdicts, f)
			} else {
				rest = append(rest, f)
			}
		}
		if len(verdicts) > 0 {
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "  "+p.paint(ansiDim, "SUSPECT")+"\tREADS\tSHOULD READ\tSLIP\tEXPLAINS")
			for _, f := range verdicts {
				cell := f.SuspectCell
				should := "?"
				if f.SuggestedValue != nil {
					should = schemas.FormatFigure(f.SuggestedValue)
				}
				reads := ""
				if f.Actual != nil {
					reads = schemas.FormatFigure(f.Actual)
				}
				explains := explainsOf(rep.Findings, f)
				if cell == "" {
					cell = strings.Join(f.Candidates, "|")
					explains = "cannot tell which: " + explains
				}
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", p.paint(ansiRed, cell), reads, should, orDash(f.Slip), explains)
			}
			tw.Flush()
		}
		if len(rest) > 0 {
			if len(verdicts) > 0 {
				fmt.Fprintln(w)
			}
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "  "+p.paint(ansiDim, "SEVERITY")+"\tRULE\tCELLS\tEXPECTED\tACTUAL\t±\tSUSPECT")
			for _, f := range rest {
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
					sus = strings.Join(f.Candidates, "|") + "?"
				}
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.severity(f.Severity), f.Rule, strings.Join(f.Cells, ","),
					exp, act, tol, orDash(sus))
			}
			tw.Flush()
		}
		// The audit's verdicts in words.
		if len(verdicts) > 0 {
			fmt.Fprintln(w)
		}
		for _, f := range verdicts {
			fmt.Fprintf(w, "  %s %s\n", p.paint(ansiDim, "•"), f.Message)
		}
	}
	if outDir != "" && len(rep.Outputs) > 0 {
		fmt.Fprintln(w)
		kept := 0
		for _, o := range rep.Outputs {
			switch {
			case o.RunID != "" && o.RunID != rep.RunID:
				kept++
			case strings.HasSuffix(o.Path, ".parquet"):
				fmt.Fprintf(w, "wrote %s (%d rows)\n", path.Join(outDir, o.Path), o.Rows)
			default:
				fmt.Fprintf(w, "wrote %s\n", path.Join(outDir, o.Path))
			}
		}
		fmt.Fprintf(w, "wrote %s\n", path.Join(outDir, pipeline.ReportFile))
		if kept > 0 {
			fmt.Fprintf(w, "kept %d files of earlier runs\n", kept)
		}
	}
}

// explainsOf lists the rules a verdict explains, grouped by rule: the
// findings of its file and sheet that name it as suspect or candidate.
func explainsOf(all []schemas.Finding, v *schemas.Finding) string {
	if v.Rule == validate.RuleScaleSlip {
		return "1000 times off its series (" + strings.Join(v.Cells[1:], ",") + ")"
	}
	var ids []string
	at := map[string][]string{}
	for i := range all {
		f := &all[i]
		if isVerdict(f) || f.File != v.File || f.Sheet != v.Sheet || len(f.Cells) == 0 {
			continue
		}
		hit := v.SuspectCell != "" && f.SuspectCell == v.SuspectCell && slices.Contains(f.Cells, v.SuspectCell)
		if v.SuspectCell == "" {
			for _, c := range f.Candidates {
				hit = hit || slices.Contains(v.Candidates, c)
			}
		}
		if !hit {
			continue
		}
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
