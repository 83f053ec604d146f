package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/pipeline"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/transform"
)

func newInspectCmd(stdout io.Writer) *cobra.Command {
	var c common
	cmd := &cobra.Command{
		Use:   "inspect [flags] FILE...",
		Short: "Show the tables found in a file and what could not be interpreted",
		Long: `Show, per sheet, the tables tradeetl finds in a file: their range, header
row, label column, unit and period columns, how each row label was read, and
every label or cell it could not interpret. Use it to fix a source or to
write a layout file (--layout) for it. Nothing is written.

Exit codes: 0 the file was read; 2 usage or configuration error; 3 a file
could not be read.`,
		Example: `  tradeetl inspect fixtures/newsletter-2013.xlsx
  tradeetl inspect --layout layouts.yaml incoming/tabel-3.xlsx`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, lift, err := c.setup(cmd, args)
			if err != nil {
				return err
			}
			defer lift()
			failed := 0
			for i, path := range args {
				if i > 0 {
					fmt.Fprintln(stdout)
				}
				if pat, ok := pipeline.Excluded(cfg.Exclude, path, false); ok {
					fmt.Fprintf(stdout, "%s: excluded by --exclude %q, not read\n", safe(path), pat)
					continue
				}
				if err := inspectFile(cmd.Context(), stdout, path, cfg); err != nil {
					fmt.Fprintf(stdout, "%s: FAILED: %s\n", safe(path), safe(err.Error()))
					failed++
				}
			}
			if failed > 0 {
				return &exitError{code: pipeline.ExitInput}
			}
			return nil
		},
	}
	c.register(cmd)
	c.acceptOutput(cmd)
	return cmd
}

// loadLabels reads a --labels file over the built-in vocabularies ("":
// the built-in ones); a mistake in it is a usage error.
func loadLabels(path string) (*transform.Labels, error) {
	if path == "" {
		return transform.DefaultLabels()
	}
	l, err := transform.LoadLabelsFile(path)
	if err != nil {
		return nil, usageError(err)
	}
	return l, nil
}

// inspectFile prints what transform finds in one file.
func inspectFile(ctx context.Context, w io.Writer, path string, cfg pipeline.Config) error {
	wb, err := extract.Open(path, cfg.Limits)
	if err != nil {
		return err
	}
	defer wb.Close()
	var findings []schemas.Finding
	figures := 0
	infos, err := transform.Workbook(ctx, wb, transform.Options{Dict: cfg.Labels.Dict, Areas: cfg.Labels.Areas, Currencies: cfg.Labels.Currencies, File: path, Layouts: cfg.Layouts},
		func(obs []schemas.Observation, fs []schemas.Finding) error {
			figures += len(obs)
			findings = append(findings, fs...)
			return nil
		})
	noFigures := errors.Is(err, transform.ErrNoFigures)
	if err != nil && !noFigures {
		return err
	}
	fmt.Fprintf(w, "%s: %s, %s\n", safe(path), plural(len(infos), "sheet"), plural(figures, "figure"))
	if te, ok := wb.(extract.TextEncoder); ok {
		if enc := te.TextEncoding(); enc.Name != "" {
			fmt.Fprintf(w, "  encoding %s\n", safe(enc.String()))
		}
	}
	if tr, ok := wb.(extract.TextRepairer); ok {
		for _, rep := range tr.TextRepairs() {
			if rep.Rule == extract.RuleTextEncoding {
				fmt.Fprintf(w, "  WARNING [%s] %s\n", rep.Rule, safe(rep.Message))
			}
		}
	}
	if wb.Date1904() {
		fmt.Fprintln(w, "  dates count from 1904 (old Mac workbook)")
	}
	bySheet := map[string][]schemas.Finding{}
	for _, f := range findings {
		bySheet[f.Sheet] = append(bySheet[f.Sheet], f)
	}
	for _, in := range infos {
		fmt.Fprintln(w)
		name := "sheet " + strconv.Quote(in.Name)
		if in.Name == "" {
			name = "the file"
		}
		fmt.Fprintf(w, "%s: %s, %s\n", name, plural(in.Rows, "row"), plural(len(in.Tables), "table"))
		for _, t := range in.Tables {
			printTable(w, t)
		}
		var cells []schemas.Finding
		for _, f := range bySheet[in.Name] {
			if len(f.Cells) > 0 {
				cells = append(cells, f)
			}
		}
		if len(in.Notes)+len(cells) > 0 {
			fmt.Fprintln(w, "  not interpreted:")
			for _, n := range in.Notes {
				fmt.Fprintf(w, "    %s\n", safe(n))
			}
			for _, f := range cells {
				fmt.Fprintf(w, "    %s [%s] %s\n", safe(strings.Join(f.Cells, ",")), safe(f.Rule), safe(f.Message))
			}
		}
	}
	for _, f := range findings {
		if len(f.Cells) == 0 {
			fmt.Fprintf(w, "\n%s [%s] %s\n", strings.ToUpper(string(f.Severity)), safe(f.Rule), safe(f.Message))
		}
	}
	if noFigures {
		fmt.Fprintln(w)
		return err
	}
	return nil
}

func printTable(w io.Writer, t transform.TableInfo) {
	fmt.Fprintf(w, "  %s table %s, header row %d", t.Kind, safe(t.Range), t.HeaderRow)
	if t.LabelCol != "" {
		fmt.Fprintf(w, ", labels in column %s", t.LabelCol)
	}
	fmt.Fprintln(w)
	if t.Title != "" {
		fmt.Fprintf(w, "    title    %s\n", safe(t.Title))
	}
	if t.Reporter != "" {
		fmt.Fprintf(w, "    reporter %s\n", safe(t.Reporter))
	}
	if t.Partner != "" {
		fmt.Fprintf(w, "    partner  %s\n", safe(t.Partner))
	}
	switch {
	case strings.HasPrefix(t.UnitFrom, "unit column"):
		fmt.Fprintf(w, "    unit     per row, from the %s\n", safe(t.UnitFrom))
	case t.Unit == "" && t.Scale <= 1:
		fmt.Fprintln(w, "    unit     none stated")
	default:
		fmt.Fprintf(w, "    unit     %s, from %s\n", safe(unitName(t.Unit, t.Scale)), safe(t.UnitFrom))
	}
	fmt.Fprintf(w, "    columns  %s\n", strings.Join(safeAll(t.Columns), " | "))
	for i, l := range t.Labels {
		head := "labels"
		if i > 0 {
			head = ""
		}
		fmt.Fprintf(w, "    %-8s %s\n", head, safe(l))
	}
	fmt.Fprintf(w, "    figures  %d\n", t.Rows)
}

// unitName writes a unit and scale as people do: "billion EUR", "¥100
// million" as "100 million JPY".
func unitName(unit string, scale float64) string {
	if unit == schemas.UnitPercent {
		return "percent"
	}
	if unit == "" {
		unit = "(no currency)"
	}
	switch scale {
	case 0, 1:
		return unit
	case 1e3:
		return "thousand " + unit
	case 1e6:
		return "million " + unit
	case 1e9:
		return "billion " + unit
	case 1e8:
		return "100 million " + unit
	}
	return strconv.FormatFloat(scale, 'f', -1, 64) + " " + unit
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
