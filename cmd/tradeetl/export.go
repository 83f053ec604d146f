package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"

	"github.com/spf13/cobra"

	"github.com/tradeetl/tradeetl/export"
	"github.com/tradeetl/tradeetl/pipeline"
)

// structureIDPattern is SDMX's AGENCY:ID(VERSION): agency ids may hold
// dots (sub-agencies), ids letters, digits, _ and -.
var structureIDPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]*:[A-Za-z0-9_@$-]+\([0-9][0-9A-Za-z.+-]*\)$`)

func newExportCmd(stdout io.Writer) *cobra.Command {
	var format, dest, structureID string
	cmd := &cobra.Command{
		Use:   "export --format sdmx-csv --out FILE OUTDIR",
		Short: "Write the current dataset of OUTDIR in an exchange format (SDMX-CSV 2.0)",
		Long: `export writes the current dataset of OUTDIR (current/observations.parquet,
or current/year=*/ when partitioned), one row per figure, to FILE.

--format sdmx-csv writes SDMX-CSV 2.0 (SDMX 3.0 data message): header
STRUCTURE,STRUCTURE_ID,ACTION, then the dimensions FREQ, REPORTER,
PARTNER, FLOW, PRODUCT, MEASURE, UNIT_MEASURE, BASE_PER, TIME_PERIOD,
the measure OBS_VALUE and the attributes OBS_STATUS, UNIT_MULT,
DECIMALS, CURRENCY, by code (reporter_code, partner_code, flow_code,
time_period...). STRUCTURE is dataflow, STRUCTURE_ID --structure-id
(default ` + export.DefaultStructureID + `), ACTION I.

FILE is written atomically: a temporary file beside it, renamed over it
once complete; on an error or a signal FILE is left as it was. OUTDIR
without current/ (no run has published there) is exit code 2.`,
		Example: `  tradeetl export --format sdmx-csv --out trade.csv out/
  tradeetl export --format sdmx-csv --structure-id ESTAT:DS_TRADE(1.0) --out trade.csv out/`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "sdmx-csv" {
				return usageError(fmt.Errorf("export: --format %q: the one format is sdmx-csv", format))
			}
			if dest == "" {
				return usageError(errors.New("export: --out FILE is required"))
			}
			if !structureIDPattern.MatchString(structureID) {
				return usageError(fmt.Errorf("export: --structure-id %q is not AGENCY:ID(VERSION), e.g. %s", structureID, export.DefaultStructureID))
			}
			if fi, err := os.Stat(dest); err == nil && fi.IsDir() {
				return usageError(fmt.Errorf("export: --out %s is a directory; give a file name", dest))
			}
			watchStop(cmd.Context())
			rows, err := export.ExportSDMXCSV(cmd.Context(), dest, args[0], structureID)
			switch {
			case errors.Is(err, export.ErrNoCurrent):
				return usageError(fmt.Errorf("export: %w (run tradeetl run --out %s first)", err, args[0]))
			case err != nil && cmd.Context().Err() != nil:
				return err
			case err != nil:
				return &exitError{pipeline.ExitOutput, fmt.Errorf("export: %w", err)}
			}
			fmt.Fprintf(stdout, "exported %d observations of %s to %s (SDMX-CSV 2.0, %s)\n", rows, args[0], dest, structureID)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "sdmx-csv", "output format: sdmx-csv")
	cmd.Flags().StringVar(&dest, "out", "", "file to write (required)")
	cmd.Flags().StringVar(&structureID, "structure-id", export.DefaultStructureID, "dataflow the rows name, AGENCY:ID(VERSION)")
	return cmd
}
