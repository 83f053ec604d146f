package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

func newLabelsCmd(stdout io.Writer) *cobra.Command {
	var file, country string
	cmd := &cobra.Command{
		Use:   "labels [flags] NAME...",
		Short: "Show how a name, label or heading is read, and why",
		Long: `Show how tradeetl reads a text from a table: the areas it names (country,
region or aggregate, with its code and parent, and every other area the
words could name), the vocabulary words in it (flows, measures, units,
periods, headings), currencies, scale and periods. Use it to check a
labels file (--labels) before a run, or to see why a table was read the
way it was. A name the built-in lists do not know can be added in a labels
file (see docs/inputs.md, "Labels files").

--country gives the country the table is about (ISO code): its regions and
currency win ties, as they do when a table names its country.`,
		Example: `  tradeetl labels "Korea, Rep." "Hong Kong, China" Limburg
  tradeetl labels --country BE Limburg
  tradeetl labels --country DK "Million kr."
  tradeetl labels --labels my-labels.yaml "Région de Bruxelles-Capitale"`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := loadLabels(file)
			if err != nil {
				return err
			}
			for i, name := range args {
				if i > 0 {
					fmt.Fprintln(stdout)
				}
				fmt.Fprintf(stdout, "%q\n", name)
				for _, line := range l.Explain(name, strings.ToUpper(country)) {
					fmt.Fprintf(stdout, "  %s\n", safe(line))
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&file, "labels", "", "labels file (YAML) merged over the built-in vocabularies")
	cmd.Flags().StringVar(&country, "country", "", "ISO code of the country the table is about (its regions and currency win ties)")
	return cmd
}
