package interop

import (
	"encoding/json"
	"fmt"
	"math/big"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tradeetl/tradeetl/bench/longtable"
	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/vocab"
)

// duckType is the type DuckDB shows for one of our column types.
func duckType(t *testing.T, typ string) string {
	t.Helper()
	switch {
	case strings.HasPrefix(typ, "STRING"):
		return "VARCHAR"
	case typ == "INT32":
		return "INTEGER"
	case typ == "INT64":
		return "BIGINT"
	case typ == "DOUBLE":
		return "DOUBLE"
	case typ == "DATE":
		return "DATE"
	case typ == "TIMESTAMP(us, UTC)":
		return "TIMESTAMP WITH TIME ZONE"
	case strings.HasPrefix(typ, "DECIMAL("):
		return typ
	case typ == "LIST<STRING>":
		return "VARCHAR[]"
	}
	t.Fatalf("no DuckDB type for %q", typ)
	return ""
}

// DuckDB sees every column of every dataset, each output read as one table,
// with the type the schema documents: exact decimals, INTEGER years, DATE
// periods, UTC timestamps, no unsigned types.
func TestDuckDBTypes(t *testing.T) {
	db := duck(t)
	for oname, o := range outputs() {
		for _, ds := range datasets {
			t.Run(oname+"/"+ds.name, func(t *testing.T) {
				var got []string
				for _, row := range query(t, db, `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?, hive_partitioning = false))`, o.glob(ds.name)) {
					name, typ, _ := strings.Cut(row, "|")
					if regexp.MustCompile(`^U(TINY|SMALL|BIG|HUGE)?INT`).MatchString(typ) {
						t.Errorf("%s: unsigned type %s", name, typ)
					}
					got = append(got, name+" "+typ)
				}
				var want []string
				for _, c := range ds.cols {
					want = append(want, c.Name+" "+duckType(t, c.Type))
				}
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("DuckDB columns:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			})
		}
	}
}

// Row counts per input, read as one table, match report.json, in every
// dataset; the run history has the run's row.
func TestDuckDBRowCounts(t *testing.T) {
	db := duck(t)
	for oname, o := range outputs() {
		t.Run(oname, func(t *testing.T) {
			var total int
			for _, in := range o.report.Inputs {
				n := query(t, db, "SELECT count(*) FROM read_parquet(?) WHERE file = ?", o.glob(load.ObservationsDir), in.Path)
				if n[0] != strconv.Itoa(in.Observations) || in.Observations == 0 {
					t.Errorf("%s: DuckDB counts %s rows, report.json says %d", in.Path, n[0], in.Observations)
				}
				total += in.Observations
			}
			if n := query(t, db, "SELECT count(*) FROM read_parquet(?)", o.glob(load.ObservationsDir)); n[0] != strconv.Itoa(total) {
				t.Errorf("observations: %s rows, report.json %d", n[0], total)
			}
			if n := query(t, db, "SELECT count(*) FROM read_parquet(?)", o.glob(load.FindingsDir)); n[0] != strconv.Itoa(len(o.stored())) {
				t.Errorf("findings: DuckDB counts %s, report.json has %d", n[0], len(o.stored()))
			}
			if got := query(t, db, "SELECT run_id FROM read_parquet(?)", o.glob(load.RunsDir)); !slices.Equal(got, []string{o.report.RunID}) {
				t.Errorf("runs: %v, want the one row of run %s", got, o.report.RunID)
			}
		})
	}
	if n := len(fixtures.stored()); n != 14 {
		t.Errorf("fixtures: %d findings, want 14", n)
	}
	if n := long.report.Inputs[0].Observations; n != longRows {
		t.Errorf("long table: %d observations, want %d", n, longRows)
	}
}

// cellValue reads a cell of a fixture with excelize, as the figure shown.
func cellValue(t *testing.T, file, sheet, cell string) string {
	t.Helper()
	f, err := excelize.OpenFile(filepath.Join("..", "fixtures", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := f.GetCellValue(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Sums per reporter and year in DuckDB equal the figures of the fixture read
// with excelize: the level of each year, exact to the published decimals,
// partitioned or not.
func TestDuckDBSumsMatchFixture(t *testing.T) {
	db := duck(t)
	const file = "newsletter-2013.xlsx"
	cells := map[string]map[int]string{ // reporter -> year -> cell of exports
		"Belgium":  {2011: "B4", 2012: "C4", 2013: "E4"},
		"Flanders": {2011: "B5", 2012: "C5", 2013: "E5"},
	}
	for oname, o := range map[string]output{"fixtures": fixtures, "by year": byYear} {
		for reporter, years := range cells {
			for year, cell := range years {
				want := cellValue(t, file, "Trade with China", cell)
				got := query(t, db, `SELECT CAST(sum(value) AS DECIMAL(38,2))::VARCHAR FROM read_parquet(?, hive_partitioning = true)
					WHERE file LIKE ? AND reporter = ? AND year = ? AND flow = 'exports' AND measure = 'level'`,
					o.glob(load.ObservationsDir), "%/"+file, reporter, year)
				if got[0] != want {
					t.Errorf("%s: %s exports %d: DuckDB %s, fixture %s says %s", oname, reporter, year, got[0], cell, want)
				}
			}
		}
	}
	// The product lines add up to the total, in exact euro.
	f, err := excelize.OpenFile(filepath.Join("..", "fixtures", "products-2013.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Products")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*big.Rat{} // flow/year -> sum of product lines, million euro
	for _, r := range rows[3:] {
		if len(r) < 6 || r[3] == "Total" {
			continue
		}
		v, ok := new(big.Rat).SetString(r[5])
		if !ok {
			t.Fatalf("fixture value %q", r[5])
		}
		key := r[2] + "/" + r[4]
		if want[key] == nil {
			want[key] = new(big.Rat)
		}
		want[key].Add(want[key], v)
	}
	got := query(t, db, `SELECT flow || '/' || year, sum(value_eur)::VARCHAR,
		(sum(value_eur) FILTER (WHERE product = 'Total'))::VARCHAR FROM read_parquet(?)
		WHERE file LIKE '%/products-2013.xlsx' GROUP BY ALL ORDER BY 1`, fixtures.glob(load.ObservationsDir))
	for _, row := range got {
		parts := strings.Split(row, "|")
		all, _ := new(big.Rat).SetString(parts[1])
		tot, _ := new(big.Rat).SetString(parts[2])
		lines := new(big.Rat).Sub(all, tot)
		wantEUR := new(big.Rat).Mul(want[parts[0]], big.NewRat(1_000_000, 1))
		if lines.Cmp(wantEUR) != 0 || tot.Cmp(wantEUR) != 0 {
			t.Errorf("%s: DuckDB product lines %s and total %s EUR, fixture lines sum to %s", parts[0], lines.FloatString(2), tot.FloatString(2), wantEUR.FloatString(2))
		}
	}
	if len(got) != 4 {
		t.Errorf("%d flow/year groups, want 4", len(got))
	}
}

// The long table read back equals the generated one: every row, and the
// Belgian total of each partner, flow and year, to the cent. Names come
// out canonical (the generator's "Turkey" is "Türkiye", as ISO 3166 has it
// since 2022), so the expected names go through the same vocabulary.
func TestDuckDBLongTable(t *testing.T) {
	db := duck(t)
	areas := vocab.DefaultAreas()
	canonical := func(name, country string) string {
		m, ok := areas.Exact(name, vocab.Context{Country: country})
		if !ok || m.Ambiguous {
			t.Fatalf("the vocabulary does not name %q", name)
		}
		return m.Area.Name
	}
	want := map[string]int64{} // reporter|partner|flow|year|code -> cents of a million
	totals := map[string]int64{}
	longtable.Rows(longRows, func(r longtable.Row) bool {
		reporter, partner := canonical(r.Reporter, "BE"), canonical(r.Partner, "")
		want[fmt.Sprintf("%s|%s|%s|%d|%s", reporter, partner, r.Flow, r.Year, r.Code)] = r.Value
		if r.Reporter == "Belgium" && r.Code == "TOTAL" {
			totals[fmt.Sprintf("%s|%s|%d", partner, r.Flow, r.Year)] = r.Value
		}
		return true
	})
	rows := query(t, db, `SELECT reporter, partner, flow, year, CASE WHEN product = 'Total' THEN 'TOTAL' ELSE product_code END,
		(value * 100)::BIGINT, (value_eur / 10000)::BIGINT FROM read_parquet(?)`, long.glob(load.ObservationsDir))
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for _, row := range rows {
		i := strings.LastIndexByte(row, '|')
		j := strings.LastIndexByte(row[:i], '|')
		key, cents, eur := row[:j], row[j+1:i], row[i+1:]
		if w, ok := want[key]; !ok || strconv.FormatInt(w, 10) != cents || cents != eur {
			t.Errorf("%s: value %s (value_eur %s), generated %d", key, cents, eur, w)
		}
	}
	for _, row := range query(t, db, `SELECT partner || '|' || flow || '|' || year, (sum(value) * 100)::BIGINT FROM read_parquet(?)
		WHERE reporter <> 'Belgium' AND product = 'Total' GROUP BY ALL`, long.glob(load.ObservationsDir)) {
		i := strings.LastIndexByte(row, '|')
		key, sum := row[:i], row[i+1:]
		if strconv.FormatInt(totals[key], 10) != sum {
			t.Errorf("%s: the regions' totals sum to %s, Belgium's total is %d", key, sum, totals[key])
		}
	}
}

// Findings by rule, as a data-quality dashboard would chart them, match
// report.json; a finding's figures and audit read back exactly.
func TestDuckDBFindings(t *testing.T) {
	db := duck(t)
	want := map[string]int{}
	for _, f := range fixtures.stored() {
		want[f.Rule]++
	}
	got := map[string]int{}
	for _, row := range query(t, db, "SELECT rule, count(*) FROM read_parquet(?) GROUP BY rule", fixtures.glob(load.FindingsDir)) {
		rule, n, _ := strings.Cut(row, "|")
		got[rule], _ = strconv.Atoi(n)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || len(got) == 0 {
		t.Errorf("findings by rule: DuckDB %v, report.json %v", got, want)
	}
	balance := query(t, db, `SELECT run_id, severity, sheet, cells, expected, actual, tolerance, suspect_cell, suggested_value, slip, candidates, date_trunc('second', created_at) = ?::TIMESTAMPTZ
		FROM read_parquet(?) WHERE rule = 'balance' AND cells LIKE 'C13,%'`, fixtures.report.Started, fixtures.glob(load.FindingsDir))
	wantRow := fixtures.report.RunID + "|error|Trade with China|C13,C5,C9|5.13|5.31|0.015|C13|5.13|digits swapped|NULL|true"
	if !slices.Equal(balance, []string{wantRow}) {
		t.Errorf("balance finding of C13:\n%v\nwant\n%s", balance, wantRow)
	}
}

// The run history: one row per run with the counts of report.json.
func TestDuckDBRuns(t *testing.T) {
	db := duck(t)
	rep := fixtures.report
	errs, warns := 0, 0
	for _, f := range rep.Findings {
		if f.Severity == schemas.SeverityError {
			errs++
		} else {
			warns++
		}
	}
	got := query(t, db, `SELECT run_id, date_trunc('second', started) = ?::TIMESTAMPTZ, finished >= started, duration_seconds >= 0, version, length(rules_version), mode,
		exit_code, inputs, loaded, skipped, failed, quarantined, removed, observations, observations_loaded, findings_error, findings_warning
		FROM read_parquet(?)`, rep.Started, fixtures.glob(load.RunsDir))
	want := fmt.Sprintf("%s|true|true|true|interop-test|12|full|1|3|3|0|0|0|0|100|100|%d|%d", rep.RunID, errs, warns)
	if !slices.Equal(got, []string{want}) {
		t.Errorf("run history:\n%v\nwant\n%s", got, want)
	}
}

// Every file's footer carries the run id, versions and the sha256 of its
// sources, readable with DuckDB's parquet_kv_metadata, in every dataset.
func TestDuckDBKeyValueMetadata(t *testing.T) {
	db := duck(t)
	for oname, o := range outputs() {
		for _, ds := range datasets {
			for _, path := range o.files(t, ds.name) {
				kv := map[string]string{}
				for _, row := range query(t, db, "SELECT decode(key), decode(value) FROM parquet_kv_metadata(?)", path) {
					k, v, _ := strings.Cut(row, "|")
					kv[k] = v
				}
				where := oname + ": " + strings.TrimPrefix(path, o.dir)
				if kv["tradeetl.run_id"] != o.report.RunID || kv["tradeetl.version"] != "interop-test" ||
					kv["tradeetl.schema_version"] != schemas.SchemaVersion || len(kv["tradeetl.rules_version"]) != 12 || kv["ARROW:schema"] == "" {
					t.Errorf("%s: metadata %v", where, kv)
				}
				var sources map[string]string
				if err := json.Unmarshal([]byte(kv["tradeetl.sources"]), &sources); err != nil {
					t.Errorf("%s: tradeetl.sources %q: %v", where, kv["tradeetl.sources"], err)
				}
				for _, in := range o.report.Inputs {
					if sha, ok := sources[in.Path]; ok && sha != in.SHA256 {
						t.Errorf("%s: source %s sha256 %s, report.json says %s", where, in.Path, sha, in.SHA256)
					}
				}
				// An input's files name their input; the run's own
				// files (run history, run-scope findings) none; the
				// current dataset and the revisions every input with
				// figures.
				if ds.name == load.CurrentDir || ds.name == load.RevisionsDir {
					for _, in := range o.report.Inputs {
						if _, ok := sources[in.Path]; !ok && in.Observations > 0 {
							t.Errorf("%s: sources %v lack %s", where, sources, in.Path)
						}
					}
					continue
				}
				if perInput := ds.name != load.RunsDir && !strings.HasSuffix(path, load.RunFindingsID+".parquet"); perInput != (len(sources) == 1) {
					t.Errorf("%s: sources %v", where, sources)
				}
			}
		}
	}
}

// The output directory reads as one table with and without Hive
// partitioning: the same rows, sums and years; partitioned, each file holds
// the year of its directory.
func TestDuckDBWholeDirectory(t *testing.T) {
	db := duck(t)
	const summary = `SELECT count(*), year, sum(value)::VARCHAR, sum(value_eur)::VARCHAR FROM read_parquet(?, hive_partitioning = %s) GROUP BY year ORDER BY year`
	want := query(t, db, fmt.Sprintf(summary, "false"), fixtures.glob(load.ObservationsDir))
	if len(want) != 3 {
		t.Fatalf("years %v, want 2011 to 2013", want)
	}
	for _, c := range []struct {
		name string
		o    output
		hive string
	}{
		{"one file per input", fixtures, "true"},
		{"by year, partitions", byYear, "true"},
		{"by year, files alone", byYear, "false"},
	} {
		if got := query(t, db, fmt.Sprintf(summary, c.hive), c.o.glob(load.ObservationsDir)); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", c.name, got, want)
		}
	}
	// Partitioned: the year of the directory is the year of every row.
	if bad := query(t, db, `SELECT filename, year FROM read_parquet(?, filename = true, hive_partitioning = false)
		WHERE filename NOT LIKE '%/year=' || year || '/%'`, byYear.glob(load.ObservationsDir)); len(bad) != 0 {
		t.Errorf("rows outside their year's directory: %v", bad)
	}
	if n := len(byYear.files(t, load.ObservationsDir)); n != 8 {
		t.Errorf("%d partition files, want 8 (newsletters 2011-2013, products 2012-2013)", n)
	}
	// A filter on the partition column reads one directory.
	if got := query(t, db, `SELECT count(*), min(year), max(year) FROM read_parquet(?, hive_partitioning = true, hive_types = {'year': INTEGER}) WHERE year = 2013`,
		byYear.glob(load.ObservationsDir)); !slices.Equal(got, []string{"42|2013|2013"}) {
		t.Errorf("year 2013: %v", got)
	}
}

// Rows are sorted by reporter, partner, flow, period, product across the
// whole file, so each row group's min/max of reporter (as DuckDB's
// parquet_metadata shows them) cover a narrow range, one after the other,
// and a filter on reporter skips the other row groups.
func TestDuckDBSortOrderPrunes(t *testing.T) {
	db := duck(t)
	path := long.files(t, load.ObservationsDir)[0]
	stats := query(t, db, `SELECT row_group_id, row_group_num_rows, stats_min_value, stats_max_value FROM parquet_metadata(?)
		WHERE path_in_schema = 'reporter' ORDER BY row_group_id`, path)
	if len(stats) != longRows/2000 {
		t.Fatalf("%d row groups, want %d: %v", len(stats), longRows/2000, stats)
	}
	prevMax := ""
	distinct := map[string]bool{}
	for _, row := range stats {
		p := strings.Split(row, "|")
		if p[1] != "2000" {
			t.Errorf("row group %s: %s rows", p[0], p[1])
		}
		if p[2] < prevMax {
			t.Errorf("row group %s: reporter from %s, before the end %s of the previous one", p[0], p[2], prevMax)
		}
		prevMax = p[3]
		distinct[p[2]+"-"+p[3]] = true
	}
	if len(distinct) < 4 {
		t.Errorf("reporter ranges %v: row groups overlap, nothing to prune", stats)
	}
	// Every row is in key order.
	unsorted := query(t, db, `SELECT count(*) FROM (
		SELECT [reporter, partner, flow, period, product] AS k, lag([reporter, partner, flow, period, product]) OVER (ORDER BY file_row_number) AS prev
		FROM read_parquet(?, file_row_number = true)) WHERE k < prev`, path)
	if unsorted[0] != "0" {
		t.Errorf("%s rows come before the row they follow", unsorted[0])
	}
	// The row groups whose statistics admit Wallonia are the only ones
	// holding it.
	admit := query(t, db, `SELECT count(*) FROM parquet_metadata(?) WHERE path_in_schema = 'reporter' AND 'Wallonia' BETWEEN stats_min_value AND stats_max_value`, path)
	if n, _ := strconv.Atoi(admit[0]); n == 0 || n > len(stats)/4+1 {
		t.Errorf("%d of %d row groups may hold Wallonia", n, len(stats))
	}
}
