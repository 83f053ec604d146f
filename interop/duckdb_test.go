package interop

import (
	"encoding/json"
	"fmt"
	"math/big"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tradeetl/tradeetl/schemas"
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
	}
	t.Fatalf("no DuckDB type for %q", typ)
	return ""
}

// DuckDB sees every column with the type the schema documents: exact
// decimals, INTEGER years, DATE periods, UTC timestamps, no unsigned types.
func TestDuckDBTypes(t *testing.T) {
	db := duck(t)
	for _, ds := range []struct {
		name string
		cols []schemas.Column
	}{
		{"observations", schemas.ObservationColumns},
		{"findings", schemas.FindingColumns},
	} {
		t.Run(ds.name, func(t *testing.T) {
			rows, err := db.Query("SELECT column_name, column_type, \"null\" FROM (DESCRIBE SELECT * FROM read_parquet(?, hive_partitioning = false))", dataset(ds.name))
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var got []string
			for rows.Next() {
				var name, typ, null string
				if err := rows.Scan(&name, &typ, &null); err != nil {
					t.Fatal(err)
				}
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

// Row counts per input, read as one table, match report.json.
func TestDuckDBRowCounts(t *testing.T) {
	db := duck(t)
	var total int64
	for _, in := range out.report.Inputs {
		var n int64
		if err := db.QueryRow("SELECT count(*) FROM read_parquet(?) WHERE file = ?", dataset("observations"), in.Path).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != int64(in.Observations) || n == 0 {
			t.Errorf("%s: DuckDB counts %d rows, report.json says %d", in.Path, n, in.Observations)
		}
		total += n
	}
	var n int64
	if err := db.QueryRow("SELECT count(*) FROM read_parquet(?)", dataset("findings")).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != int64(len(out.report.Findings)) || n == 0 {
		t.Errorf("findings: DuckDB counts %d, report.json has %d", n, len(out.report.Findings))
	}
	if total != 100 {
		t.Errorf("observations: %d rows, want 100 (36 + 36 + 28)", total)
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
// with excelize: the level of each year, exact to the published decimals.
func TestDuckDBSumsMatchFixture(t *testing.T) {
	db := duck(t)
	const file = "newsletter-2013.xlsx"
	cells := map[string]map[int]string{ // reporter -> year -> cell of exports
		"Belgium":  {2011: "B4", 2012: "C4", 2013: "E4"},
		"Flanders": {2011: "B5", 2012: "C5", 2013: "E5"},
	}
	for reporter, years := range cells {
		for year, cell := range years {
			want := cellValue(t, file, "Trade with China", cell)
			var got string
			err := db.QueryRow(`SELECT CAST(sum(value) AS DECIMAL(38,2))::VARCHAR FROM read_parquet(?)
				WHERE file LIKE ? AND reporter = ? AND year = ? AND flow = 'exports' AND measure = 'level'`,
				dataset("observations"), "%/"+file, reporter, year).Scan(&got)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s exports %d: DuckDB %s, fixture %s says %s", reporter, year, got, cell, want)
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
	q, err := db.Query(`SELECT flow || '/' || year, sum(value_eur)::VARCHAR,
		sum(value_eur) FILTER (WHERE product = 'Total')::VARCHAR FROM read_parquet(?)
		WHERE file LIKE '%/products-2013.xlsx' GROUP BY ALL ORDER BY 1`, dataset("observations"))
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	n := 0
	for q.Next() {
		var key, sumAll, total string
		if err := q.Scan(&key, &sumAll, &total); err != nil {
			t.Fatal(err)
		}
		all, _ := new(big.Rat).SetString(sumAll)
		tot, _ := new(big.Rat).SetString(total)
		lines := new(big.Rat).Sub(all, tot)
		wantEUR := new(big.Rat).Mul(want[key], big.NewRat(1_000_000, 1))
		if lines.Cmp(wantEUR) != 0 || tot.Cmp(wantEUR) != 0 {
			t.Errorf("%s: DuckDB product lines %s and total %s EUR, fixture lines sum to %s", key, lines.FloatString(2), tot.FloatString(2), wantEUR.FloatString(2))
		}
		n++
	}
	if n != 4 {
		t.Errorf("%d flow/year groups, want 4", n)
	}
}

// Findings by rule, as a data-quality dashboard would chart them, match
// report.json.
func TestDuckDBFindingsByRule(t *testing.T) {
	db := duck(t)
	want := map[string]int{}
	for _, f := range out.report.Findings {
		want[f.Rule]++
	}
	rows, err := db.Query("SELECT rule, count(*) FROM read_parquet(?) GROUP BY rule", dataset("findings"))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]int{}
	for rows.Next() {
		var rule string
		var n int
		if err := rows.Scan(&rule, &n); err != nil {
			t.Fatal(err)
		}
		got[rule] = n
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || len(got) == 0 {
		t.Errorf("findings by rule: DuckDB %v, report.json %v", got, want)
	}
}

// Every file's footer carries the run id, versions and the sha256 of its
// sources, readable with DuckDB's parquet_kv_metadata.
func TestDuckDBKeyValueMetadata(t *testing.T) {
	db := duck(t)
	for _, ds := range []string{"observations", "findings"} {
		for _, path := range files(t, ds) {
			rows, err := db.Query("SELECT decode(key), decode(value) FROM parquet_kv_metadata(?)", path)
			if err != nil {
				t.Fatal(err)
			}
			kv := map[string]string{}
			for rows.Next() {
				var k, v string
				if err := rows.Scan(&k, &v); err != nil {
					t.Fatal(err)
				}
				kv[k] = v
			}
			rows.Close()
			if kv["tradeetl.run_id"] != out.report.RunID || kv["tradeetl.version"] != "interop-test" ||
				kv["tradeetl.schema_version"] != schemas.SchemaVersion || len(kv["tradeetl.rules_version"]) != 12 || kv["ARROW:schema"] == "" {
				t.Errorf("%s: metadata %v", path, kv)
			}
			var sources map[string]string
			if err := json.Unmarshal([]byte(kv["tradeetl.sources"]), &sources); err != nil {
				t.Errorf("%s: tradeetl.sources %q: %v", path, kv["tradeetl.sources"], err)
			}
			for _, in := range out.report.Inputs {
				if sha, ok := sources[in.Path]; ok && sha != in.SHA256 {
					t.Errorf("%s: source %s sha256 %s, report.json says %s", path, in.Path, sha, in.SHA256)
				}
			}
			if len(sources) == 0 {
				t.Errorf("%s: no sources in metadata", path)
			}
		}
	}
}
