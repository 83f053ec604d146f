package interop

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
)

// DuckDB joins observations/ and current/ to dim/areas on reporter_code
// and partner_code with no unmatched row for a coded area, and the
// uncoded ones to its unknown areas by name; current/ joins dim/products
// on classification, code and label, each row once.
func TestDuckDBDim(t *testing.T) {
	db := duck(t)
	for name, o := range outputs() {
		dir := filepath.ToSlash(o.dir)
		for file, cols := range map[string][]schemas.Column{"areas": schemas.DimAreaColumns, "products": schemas.DimProductColumns} {
			var got, want []string
			for _, row := range query(t, db, "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('"+dir+"/dim/"+file+".parquet'))") {
				n, typ, _ := strings.Cut(row, "|")
				got = append(got, n+" "+typ)
			}
			for _, c := range cols {
				want = append(want, c.Name+" "+duckType(t, c.Type))
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("%s: dim/%s columns:\n%s\nwant:\n%s", name, file, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
		areas := "read_parquet('" + dir + "/dim/areas.parquet')"
		products := "read_parquet('" + dir + "/dim/products.parquet')"
		if v := splitInts(t, query(t, db, "SELECT count(*), count(DISTINCT code) FROM "+areas+" WHERE code <> ''")[0]); v[0] < 5000 || v[0] != v[1] {
			t.Errorf("%s: dim/areas: %d codes, %d distinct", name, v[0], v[1])
		}
		for _, ds := range []string{"observations", "current"} {
			obs := "read_parquet('" + dir + "/" + ds + "/**/*.parquet')"
			for _, col := range []string{"reporter", "partner"} {
				q := `SELECT count(*) AS rows,
				        count(*) FILTER (o.` + col + `_code <> '') AS coded,
				        count(*) FILTER (o.` + col + `_code <> '' AND a.code IS NULL) AS unmatched,
				        count(*) FILTER (o.` + col + `_code <> '' AND a.name <> o.` + col + `) AS renamed,
				        count(*) FILTER (o.` + col + `_code = '' AND u.name IS NULL) AS unknown_unmatched
				      FROM ` + obs + ` o
				      LEFT JOIN ` + areas + ` a ON a.code <> '' AND a.code = o.` + col + `_code
				      LEFT JOIN (SELECT name FROM ` + areas + ` WHERE kind = 'unknown') u ON o.` + col + `_code = '' AND u.name = o.` + col
				got := query(t, db, q)
				var rows, coded, unmatched, renamed, unknown int
				if len(got) != 1 {
					t.Fatalf("%s %s: %v", name, ds, got)
				}
				vals := splitInts(t, got[0])
				rows, coded, unmatched, renamed, unknown = vals[0], vals[1], vals[2], vals[3], vals[4]
				if rows == 0 || coded == 0 || unmatched != 0 || unknown != 0 {
					t.Errorf("%s %s.%s_code: %d rows, %d coded, %d coded rows not in dim/areas, %d uncoded not in its unknown areas",
						name, ds, col, rows, coded, unmatched, unknown)
				}
				if renamed != 0 {
					t.Errorf("%s %s: %d rows whose %s is not dim/areas' name of its code", name, ds, renamed, col)
				}
			}
		}
		cur := "read_parquet('" + dir + "/current/**/*.parquet')"
		got := query(t, db, `SELECT count(*), count(p.product), (SELECT sum(observations)::BIGINT FROM `+products+`)
			FROM `+cur+` o LEFT JOIN `+products+` p
			ON p.product_classification = o.product_classification AND p.product_code = o.product_code AND p.product = o.product`)
		if v := splitInts(t, got[0]); v[0] == 0 || v[0] != v[1] || v[0] != v[2] {
			t.Errorf("%s: current/ rows, joined to dim/products, dim/products' count: %v", name, v)
		}
	}
}

// splitInts parses a row of query's output as integers.
func splitInts(t *testing.T, row string) []int {
	t.Helper()
	var out []int
	start := 0
	for i := 0; i <= len(row); i++ {
		if i == len(row) || row[i] == '|' {
			n, err := strconv.Atoi(row[start:i])
			if err != nil {
				t.Fatalf("row %q: %v", row, err)
			}
			out = append(out, n)
			start = i + 1
		}
	}
	return out
}
