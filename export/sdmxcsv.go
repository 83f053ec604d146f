// Package export writes the current dataset (OUT/current/) in exchange
// formats. SDMX-CSV 2.0 is the one so far ([WriteSDMXCSV], the command
// tradeetl export --format sdmx-csv).
//
// # SDMX-CSV 2.0
//
// The format is the SDMX-CSV data message of SDMX 3.0 ("Data Message
// Field Guide", https://github.com/sdmx-twg/sdmx-csv, docs/
// data_message_field_guide.md): RFC 4180 CSV, comma separated, UTF-8,
// with a mandatory header row whose first three fields are STRUCTURE,
// STRUCTURE_ID and ACTION, then one column per component (dimensions,
// then measures, then attributes), by component ID. Each row is one
// observation: STRUCTURE is "dataflow", STRUCTURE_ID the dataflow as
// AGENCY:ID(VERSION) (default [DefaultStructureID]) and ACTION "I"
// (information: loaded as an append).
//
// The columns, in order:
//
//	STRUCTURE, STRUCTURE_ID, ACTION
//	FREQ          A, S, Q or M from period_type (year, half, quarter,
//	              month); _O for a cumulative period (year to date),
//	              which has no frequency of its own
//	REPORTER      reporter_code; the reporter's name when it has no code
//	PARTNER       partner_code; the partner's name when it has no code
//	FLOW          flow_code (X, M, B, D, T, RX, RM, DX); the flow word
//	              when it has none
//	PRODUCT       product_code; _T for the total; the product label when
//	              the source gives no code
//	MEASURE       LEVEL, SHARE, GROWTH or INDEX (measure, upper case)
//	UNIT_MEASURE  unit: the ISO 4217 currency, PC for percent
//	BASE_PER      base_period of growth rates; empty otherwise
//	TIME_PERIOD   time_period (2013, 2013-S1, 2013-Q1, 2013-03, or a
//	              time range 2024-01-01/P6M)
//	OBS_VALUE     value as published (in UNIT_MEASURE × 10^UNIT_MULT);
//	              empty for a missing figure
//	OBS_STATUS    obs_status; M (missing) for a missing figure without one
//	UNIT_MULT     the power of ten of scale (9 for billions)
//	DECIMALS      decimals the figure was published with
//	CURRENCY      currency of the figure's table
//
// BASE_PER and UNIT_MEASURE are dimensions here because current/ tells
// figures apart by them (load.FigureKey): a growth rate against the
// previous period and one against the same period a year earlier are two
// observations. A scale that is not a power of ten (none seen so far) is
// folded into OBS_VALUE, with UNIT_MULT 0.
package export

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

// DefaultStructureID is the dataflow the export names when none is given:
// agency TRADEETL, dataflow TRADE, version 1.0.
const DefaultStructureID = "TRADEETL:TRADE(1.0)"

// SDMXCSVHeader is the header row of the export.
var SDMXCSVHeader = []string{
	"STRUCTURE", "STRUCTURE_ID", "ACTION",
	"FREQ", "REPORTER", "PARTNER", "FLOW", "PRODUCT", "MEASURE", "UNIT_MEASURE", "BASE_PER", "TIME_PERIOD",
	"OBS_VALUE",
	"OBS_STATUS", "UNIT_MULT", "DECIMALS", "CURRENCY",
}

// ErrNoCurrent is returned when the output directory holds no current
// dataset (no run has published one).
var ErrNoCurrent = errors.New("no current dataset")

// freqCodes maps period_type to the SDMX FREQ code.
var freqCodes = map[string]string{
	"year": "A", "half": "S", "quarter": "Q", "month": "M", "cumulative": "_O",
}

// SDMXCSVWriter writes observations as SDMX-CSV 2.0 rows. Call
// [SDMXCSVWriter.WriteHeader] once, then Write, then Flush.
type SDMXCSVWriter struct {
	w           *csv.Writer
	structureID string
	rec         []string
	rows        int64
}

// NewSDMXCSVWriter returns a writer to w naming the dataflow structureID
// (AGENCY:ID(VERSION); [DefaultStructureID] when empty).
func NewSDMXCSVWriter(w io.Writer, structureID string) *SDMXCSVWriter {
	if structureID == "" {
		structureID = DefaultStructureID
	}
	return &SDMXCSVWriter{w: csv.NewWriter(w), structureID: structureID, rec: make([]string, len(SDMXCSVHeader))}
}

// WriteHeader writes the header row.
func (s *SDMXCSVWriter) WriteHeader() error { return s.w.Write(SDMXCSVHeader) }

// Write writes one row per observation.
func (s *SDMXCSVWriter) Write(obs []schemas.Observation) error {
	for i := range obs {
		s.row(&obs[i])
		if err := s.w.Write(s.rec); err != nil {
			return err
		}
		s.rows++
	}
	return nil
}

// Rows is the number of observations written.
func (s *SDMXCSVWriter) Rows() int64 { return s.rows }

// Flush flushes the rows written and returns the first write error.
func (s *SDMXCSVWriter) Flush() error {
	s.w.Flush()
	return s.w.Error()
}

func (s *SDMXCSVWriter) row(o *schemas.Observation) {
	r := s.rec
	r[0], r[1], r[2] = "dataflow", s.structureID, "I"
	r[3] = freqCodes[o.PeriodType]
	r[4] = orName(o.ReporterCode, o.Reporter)
	r[5] = orName(o.PartnerCode, o.Partner)
	r[6] = orName(schemas.FlowCode(o.Flow), o.Flow)
	switch {
	case o.Product == schemas.ProductTotal:
		r[7] = "_T"
	default:
		r[7] = orName(o.ProductCode, o.Product)
	}
	r[8] = strings.ToUpper(o.Measure)
	r[9] = o.Unit
	if o.Unit == schemas.UnitPercent {
		r[9] = "PC"
	}
	r[10] = o.BasePeriod
	r[11] = schemas.TimePeriod(o.Period)
	mult, fold := unitMult(o.Scale)
	r[12] = ""
	if o.HasValue {
		switch {
		case o.Digits != "" && fold == 1:
			r[12] = o.Digits
		default:
			r[12] = strconv.FormatFloat(o.Value*fold, 'f', -1, 64)
		}
	}
	r[13] = o.Status
	if !o.HasValue && o.Status == "" {
		r[13] = "M"
	}
	r[14] = strconv.Itoa(mult)
	r[15] = strconv.Itoa(o.Decimals)
	r[16] = o.Currency
}

func orName(code, name string) string {
	if code != "" {
		return code
	}
	return name
}

// unitMult returns the power of ten of scale, and 1; or, for a scale that
// is no power of ten, 0 and the scale to multiply the value by.
func unitMult(scale float64) (int, float64) {
	if scale <= 0 {
		return 0, 1
	}
	e := math.Round(math.Log10(scale))
	if math.Pow(10, e) == scale {
		return int(e), 1
	}
	return 0, scale
}

// CurrentFiles returns the Parquet files of out's current dataset:
// current/observations.parquet, or current/year=*/observations.parquet
// when partitioned, in lexical order. It returns an error wrapping
// [ErrNoCurrent] when there is none.
func CurrentFiles(out string) ([]string, error) {
	dir := filepath.Join(out, load.CurrentDir)
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && !fi.IsDir()) {
		return nil, fmt.Errorf("%w in %s: %s is missing", ErrNoCurrent, out, dir)
	}
	if err != nil {
		return nil, err
	}
	single := filepath.Join(dir, load.CurrentName)
	if _, err := os.Stat(single); err == nil {
		return []string{single}, nil
	}
	parts, err := filepath.Glob(filepath.Join(dir, "year=*", load.CurrentName))
	if err != nil {
		return nil, err
	}
	if len(parts) == 0 {
		return nil, fmt.Errorf("%w in %s: %s holds no %s", ErrNoCurrent, out, dir, load.CurrentName)
	}
	return parts, nil // Glob sorts
}

// WriteSDMXCSV writes the current dataset of out to w as SDMX-CSV 2.0,
// naming the dataflow structureID, and returns the number of rows. It
// stops with ctx's error when ctx is done.
func WriteSDMXCSV(ctx context.Context, w io.Writer, out, structureID string) (int64, error) {
	files, err := CurrentFiles(out)
	if err != nil {
		return 0, err
	}
	sw := NewSDMXCSVWriter(w, structureID)
	if err := sw.WriteHeader(); err != nil {
		return 0, err
	}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return sw.Rows(), err
		}
		err := load.ReadObservations(f, func(obs []schemas.Observation) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return sw.Write(obs)
		})
		if err != nil {
			return sw.Rows(), err
		}
	}
	return sw.Rows(), sw.Flush()
}

// ExportSDMXCSV writes the current dataset of out to the file dest as
// SDMX-CSV 2.0, atomically (a temporary file beside dest, renamed over
// it): on any error, cancellation included, dest is left as it was.
func ExportSDMXCSV(ctx context.Context, dest, out, structureID string) (int64, error) {
	if _, err := CurrentFiles(out); err != nil {
		return 0, err
	}
	var rows int64
	err := load.WriteFileAtomic(dest, func(w io.Writer) error {
		n, err := WriteSDMXCSV(ctx, w, out, structureID)
		rows = n
		return err
	})
	return rows, err
}
