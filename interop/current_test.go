package interop

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tradeetl/tradeetl/bench/longtable"
	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/pipeline"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/vocab"
)

// figureCols are the columns that identify a figure in SQL: the parts of
// load.FigureKey.
const figureCols = `reporter_code, reporter, partner_code, partner, flow_code,
	CASE WHEN product = 'Total' THEN 'Total' WHEN product_code <> '' THEN product_classification || ':' || product_code ELSE product END AS product_key,
	time_period, measure, base_period, unit`

// writeCodeList writes the area list tradeetl codes areas with (package
// vocab) as a CSV code list, as an analyst's country dimension would be.
func writeCodeList(t *testing.T, name string) {
	t.Helper()
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"code", "name", "kind", "m49"})
	for _, a := range vocab.DefaultAreas().All() {
		_ = w.Write([]string{a.Code, a.Name, string(a.Kind), a.Numeric})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// Two deliveries publish the same figures (the newsletter in January, the
// product table with its totals in February): a SUM over current/ counts
// each figure once, from the later delivery, where observations/ counts it
// twice; the codes join a code list (areas from the area list, flows from
// the documented table) with no unmatched row; time_period parses back to
// period_start; and removing the later delivery gives its figures back to
// the earlier one and leaves none of its rows in current/.
func TestDuckDBCurrent(t *testing.T) {
	tmp := t.TempDir()
	in := filepath.Join(tmp, "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	jan := time.Date(2014, 1, 10, 9, 0, 0, 0, time.UTC)
	for i, name := range []string{"newsletter-2013.xlsx", "products-2013.xlsx"} {
		b, err := os.ReadFile(filepath.Join("..", "fixtures", name))
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(in, name)
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
		mt := jan.AddDate(0, i, 0)
		if err := os.Chtimes(dst, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(tmp, "out")
	cfg := pipeline.Config{Inputs: []string{in}, OutDir: out, Version: "interop-test"}
	rep, err := pipeline.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	db := duck(t)
	cur := filepath.Join(out, load.CurrentDir, "*.parquet")
	obs := filepath.Join(out, load.ObservationsDir, "*.parquet")

	// Flanders' exports to China in 2013: 6.8 billion euro, once.
	const flanders2013 = `SELECT count(*), sum(value_eur)::VARCHAR, string_agg(DISTINCT file, ',') FROM read_parquet(?)
		WHERE reporter_code = 'BE-VLG' AND partner_code = 'CN' AND flow_code = 'X' AND time_period = '2013'
		AND measure = 'level' AND product = 'Total'`
	if got, want := query(t, db, flanders2013, cur), []string{"1|6800000000.00|" + filepath.Join(in, "products-2013.xlsx")}; !slices.Equal(got, want) {
		t.Errorf("current/: %v, want %v", got, want)
	}
	if got := query(t, db, flanders2013, obs); len(got) != 1 || !strings.HasPrefix(got[0], "2|13600000000.00|") {
		t.Errorf("observations/ (one copy per delivery): %v", got)
	}
	// Every figure once; as many figures as observations/ has.
	distinct := `SELECT count(*) FROM (SELECT DISTINCT ` + figureCols + ` FROM read_parquet(?))`
	rows := query(t, db, `SELECT count(*) FROM read_parquet(?)`, cur)
	if d := query(t, db, distinct, obs); !slices.Equal(rows, d) || rows[0] == "0" {
		t.Errorf("current/ has %v rows, observations/ %v figures", rows, d)
	}
	if got := query(t, db, distinct, cur); !slices.Equal(got, rows) {
		t.Errorf("current/ has %v rows for %v figures", rows, got)
	}
	// A shared figure comes from the later delivery, with its cell and run.
	shared := query(t, db, `SELECT count(*), count(*) FILTER (c.file LIKE '%products-2013.xlsx' AND c.run_id = ?)
		FROM (SELECT file, run_id, `+figureCols+` FROM read_parquet(?)) c
		JOIN (SELECT `+figureCols+`, count(*) AS n FROM read_parquet(?) GROUP BY ALL HAVING n > 1) d
		USING (reporter_code, reporter, partner_code, partner, flow_code, product_key, time_period, measure, base_period, unit)`,
		rep.RunID, cur, obs)
	if len(shared) != 1 || strings.HasPrefix(shared[0], "0|") {
		t.Errorf("shared figures: %v", shared)
	} else if n, m, _ := strings.Cut(shared[0], "|"); n != m {
		t.Errorf("shared figures: %s, of which %s from the later delivery", n, m)
	}

	// Codes join code lists: areas, flows.
	codes := filepath.Join(tmp, "areas.csv")
	writeCodeList(t, codes)
	for _, col := range []string{"reporter_code", "partner_code"} {
		got := query(t, db, `SELECT count(*), count(a.code), count(*) FILTER (c.`+col+` = '') FROM read_parquet(?) c
			LEFT JOIN read_csv(?, header = true, all_varchar = true) a ON a.code = c.`+col, cur, codes)
		if len(got) != 1 || strings.Count(got[0], "|") != 2 {
			t.Fatalf("%s: %v", col, got)
		}
		parts := strings.Split(got[0], "|")
		if parts[0] != parts[1] || parts[2] != "0" {
			t.Errorf("%s: %s rows, %s matched in the code list, %s without a code", col, parts[0], parts[1], parts[2])
		}
	}
	var flows []string
	for flow, code := range schemas.FlowCodes {
		flows = append(flows, "('"+flow+"', '"+code+"')")
	}
	if got := query(t, db, `SELECT count(*) FROM read_parquet(?) c LEFT JOIN (VALUES `+strings.Join(flows, ", ")+`) f(flow, code)
		ON f.code = c.flow_code AND f.flow = c.flow WHERE f.code IS NULL`, cur); !slices.Equal(got, []string{"0"}) {
		t.Errorf("rows whose flow_code the flow table does not give: %v", got)
	}

	// time_period parses back to the period: years, quarters, months,
	// halves and SDMX time ranges.
	const parsed = `SELECT period_type, time_period, period_start, CASE
		WHEN regexp_full_match(time_period, '\d{4}') THEN make_date(time_period::INT, 1, 1)
		WHEN regexp_full_match(time_period, '\d{4}-Q[1-4]') THEN make_date(left(time_period, 4)::INT, 3 * right(time_period, 1)::INT - 2, 1)
		WHEN regexp_full_match(time_period, '\d{4}-S[12]') THEN make_date(left(time_period, 4)::INT, 6 * right(time_period, 1)::INT - 5, 1)
		WHEN regexp_full_match(time_period, '\d{4}-\d{2}') THEN strptime(time_period, '%Y-%m')::DATE
		WHEN regexp_full_match(time_period, '\d{4}-\d{2}-01/P\d+M') THEN strptime(split_part(time_period, '/', 1), '%Y-%m-%d')::DATE
		END AS start FROM read_parquet(?)`
	bad := query(t, db, `SELECT * FROM (`+parsed+`) WHERE start IS DISTINCT FROM period_start`, cur)
	if len(bad) > 0 {
		t.Errorf("time_period that does not parse to period_start: %v", bad)
	}
	if got := query(t, db, `SELECT count(DISTINCT period_type) FROM (`+parsed+`)`, cur); slices.Equal(got, []string{"0"}) {
		t.Errorf("no periods")
	}

	// The later delivery is removed: none of its rows stay current, and
	// the newsletter's figure is current again.
	if err := os.Remove(filepath.Join(in, "products-2013.xlsx")); err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if got := query(t, db, `SELECT count(*) FROM read_parquet(?) WHERE file LIKE '%products-2013.xlsx'`, cur); !slices.Equal(got, []string{"0"}) {
		t.Errorf("rows of the removed delivery in current/: %v", got)
	}
	if got, want := query(t, db, flanders2013, cur), []string{"1|6800000000.00|" + filepath.Join(in, "newsletter-2013.xlsx")}; !slices.Equal(got, want) {
		t.Errorf("after the removal: %v, want %v", got, want)
	}
	rows = query(t, db, `SELECT count(*) FROM read_parquet(?)`, cur)
	if d := query(t, db, distinct, obs); !slices.Equal(rows, d) {
		t.Errorf("after the removal current/ has %v rows, observations/ %v figures", rows, d)
	}
}

// The long table's quantity column ("Quantity (tonnes)") comes through on
// every figure, in tonnes, as generated, with the SDMX codes of its flow
// and year.
func TestDuckDBLongTableQuantity(t *testing.T) {
	db := duck(t)
	want := map[string]int64{} // reporter|partner|flow|year|code -> quantity
	areas := vocab.DefaultAreas()
	canonical := func(name, country string) string {
		m, ok := areas.Exact(name, vocab.Context{Country: country})
		if !ok || m.Ambiguous {
			t.Fatalf("the vocabulary does not name %q", name)
		}
		return m.Area.Name
	}
	longtable.Rows(longRows, func(r longtable.Row) bool {
		want[fmt.Sprintf("%s|%s|%s|%d|%s", canonical(r.Reporter, "BE"), canonical(r.Partner, ""), r.Flow, r.Year, r.Code)] = r.Quantity
		return true
	})
	rows := query(t, db, `SELECT reporter || '|' || partner || '|' || flow || '|' || year || '|' || CASE WHEN product = 'Total' THEN 'TOTAL' ELSE product_code END,
		quantity::VARCHAR, quantity_unit, flow_code, time_period FROM read_parquet(?)`, long.glob(load.ObservationsDir))
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for _, row := range rows {
		parts := strings.Split(row, "|")
		n := len(parts)
		key, qty, unit, flowCode, period := strings.Join(parts[:n-4], "|"), parts[n-4], parts[n-3], parts[n-2], parts[n-1]
		w, ok := want[key]
		if !ok || qty != fmt.Sprintf("%d.000000", w) || unit != "t" {
			t.Errorf("%s: quantity %s %s, generated %d t", key, qty, unit, w)
		}
		if flow := parts[2]; flowCode != schemas.FlowCode(flow) || period != parts[3] {
			t.Errorf("%s: flow_code %s, time_period %s", key, flowCode, period)
		}
	}
}
