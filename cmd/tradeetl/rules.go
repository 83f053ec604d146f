package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/validate"
)

func newRulesCmd(stdout io.Writer) *cobra.Command {
	var rulesFile string
	var asYAML bool
	cmd := &cobra.Command{
		Use:   "rules [flags]",
		Short: "List the active consistency rules",
		Long: `List the consistency rules a run would apply: the built-in rules, or those of
--rules FILE, with their severity, scope, check and description. A rules file
with a mistake is reported with its file, line and rule (exit 2).

--yaml prints the built-in rules file, the documented example to copy.`,
		Example: `  tradeetl rules
  tradeetl rules --rules my-rules.yaml
  tradeetl rules --yaml > my-rules.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if asYAML {
				if rulesFile != "" {
					return usageError(fmt.Errorf("--yaml prints the built-in rules; it does not take --rules"))
				}
				_, err := stdout.Write(validate.DefaultRulesYAML())
				return err
			}
			rs, err := validate.DefaultRules()
			if rulesFile != "" {
				rs, err = validate.LoadRulesFile(rulesFile)
			}
			if err != nil {
				return usageError(err)
			}
			printRules(stdout, rs)
			return nil
		},
	}
	cmd.Flags().StringVar(&rulesFile, "rules", "", "rules file (YAML) to list instead of the built-in rules")
	cmd.Flags().BoolVar(&asYAML, "yaml", false, "print the built-in rules file")
	return cmd
}

// printRules lists a rule set: one line per rule with its id, severity,
// scope and check, its description below, then the audit's own checks.
func printRules(w io.Writer, rs *validate.RuleSet) {
	fmt.Fprintf(w, "%s (version %s): %d rules\n\n", safe(rs.Name), rs.Version, len(rs.Rules))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tSEVERITY\tSCOPE\tLINE\tCHECK")
	for _, r := range rs.Rules {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", safe(r.ID), r.Severity, r.Scope, r.Line, safe(strings.Join(strings.Fields(r.Check), " ")))
		if r.Description != "" {
			fmt.Fprintf(tw, "\t\t\t\t  %s\n", safe(r.Description))
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "\nAlways on, besides the rules:\n")
	fmt.Fprintf(w, "  %-11s the cell that best explains each cluster of failed rules, its suggested value and typing slip\n", schemas.RuleSuspect)
	fmt.Fprintf(w, "  %-11s a money figure about 1000 times off its neighbours in the same series\n", schemas.RuleScaleSlip)
	fmt.Fprintf(w, "  %-11s the record rules of every observation (required fields, ranges, values)\n", schemas.RuleRecord)
}
