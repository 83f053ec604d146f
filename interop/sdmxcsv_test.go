package interop

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/export"
	"github.com/tradeetl/tradeetl/load"
)

// TestDuckDBSDMXCSV exports the current dataset of each output (the
// fixtures, the fixtures partitioned by year, the long table) as SDMX-CSV
// 2.0 and reads it back with DuckDB's read_csv: the header is the format's,
// every row names the dataflow, the dimensions identify each row, and the row count and SUM(OBS_VALUE), in
// total and by TIME_PERIOD and FLOW, are those of current/.
func TestDuckDBSDMXCSV(t *testing.T) {
	db := duck(t)
	for oname, o := range outputs() {
		t.Run(oname, func(t *testing.T) {
			dest := filepath.Join(t.TempDir(), "trade.csv")
			n, err := export.ExportSDMXCSV(context.Background(), dest, o.dir, "")
			if err != nil {
				t.Fatal(err)
			}
			csv := `read_csv(?, header = true, delim = ',', quote = '"', all_varchar = true)`
			if got := query(t, db, `SELECT column_name FROM (DESCRIBE SELECT * FROM `+csv+`)`, dest); !slices.Equal(got, export.SDMXCSVHeader) {
				t.Errorf("header: %v, want %v", got, export.SDMXCSVHeader)
			}
			if got := query(t, db, `SELECT DISTINCT STRUCTURE || ' ' || STRUCTURE_ID || ' ' || ACTION FROM `+csv, dest); !slices.Equal(got, []string{"dataflow " + export.DefaultStructureID + " I"}) {
				t.Errorf("STRUCTURE, STRUCTURE_ID, ACTION: %v", got)
			}
			cur := o.glob(load.CurrentDir)
			got := query(t, db, `SELECT count(*), sum(OBS_VALUE::DECIMAL(38,9))::VARCHAR FROM `+csv, dest)
			want := query(t, db, `SELECT count(*), sum(value)::VARCHAR FROM read_parquet(?)`, cur)
			if !slices.Equal(got, want) || strings.HasPrefix(want[0], "0|") {
				t.Errorf("count, SUM(OBS_VALUE): SDMX-CSV %v, current/ %v", got, want)
			}
			if !strings.HasPrefix(want[0], strconv.FormatInt(n, 10)+"|") {
				t.Errorf("ExportSDMXCSV says %d rows, current/ %v", n, want)
			}
			// One row per series key and period, as SDMX wants.
			if got := query(t, db, `SELECT count(*) FROM (SELECT DISTINCT `+strings.Join(export.SDMXCSVHeader[3:12], ", ")+` FROM `+csv+`)`, dest); !strings.HasPrefix(want[0], got[0]+"|") {
				t.Errorf("%v distinct keys, want one per row (%v)", got, want)
			}
			// The same by period and flow, codes against codes.
			byKey := query(t, db, `SELECT TIME_PERIOD, FLOW, count(*), sum(OBS_VALUE::DECIMAL(38,9))::VARCHAR
				FROM `+csv+` GROUP BY ALL ORDER BY ALL`, dest)
			wantKey := query(t, db, `SELECT time_period, CASE WHEN flow_code <> '' THEN flow_code ELSE flow END, count(*), sum(value)::VARCHAR
				FROM read_parquet(?) GROUP BY ALL ORDER BY ALL`, cur)
			if !slices.Equal(byKey, wantKey) {
				t.Errorf("by TIME_PERIOD and FLOW:\nSDMX-CSV  %v\ncurrent/  %v", byKey, wantKey)
			}
		})
	}
}
