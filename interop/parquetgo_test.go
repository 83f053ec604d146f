package interop

import (
	"errors"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

func openParquet(t *testing.T, path string) *parquet.File {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fh.Close() })
	st, err := fh.Stat()
	if err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(fh, st.Size())
	if err != nil {
		t.Fatalf("parquet-go cannot open %s: %v", path, err)
	}
	return f
}

// cellListSchema is findings' cell_list as parquet-go prints it: a
// required LIST of required strings, in the three-level form of the
// Parquet spec that DuckDB, Spark and parquet-mr read.
const cellListSchema = "\trequired group cell_list (LIST) {\n\t\trepeated group list {\n\t\t\trequired binary element (STRING);\n\t\t}\n\t}\n"

// parquet-go, a reader written independently of the arrow-go writer, sees
// the logical types BI tools rely on, in every dataset.
func TestParquetGoSchema(t *testing.T) {
	want := map[string][]string{
		"observations": {
			"required binary reporter (STRING)",
			"required int32 year (INT(32,true))",
			"required int32 period_start (DATE)",
			"optional fixed_len_byte_array(16) value (DECIMAL(38,9))",
			"optional fixed_len_byte_array(16) value_eur (DECIMAL(38,2))",
			"required int64 scale (INT(64,true))",
			"required int64 loaded_at (TIMESTAMP(isAdjustedToUTC=true,unit=MICROS))",
		},
		"findings": {
			"required binary rule (STRING)",
			"optional double expected",
			"required int64 created_at (TIMESTAMP(isAdjustedToUTC=true,unit=MICROS))",
		},
		"runs": {
			"required int64 started (TIMESTAMP(isAdjustedToUTC=true,unit=MICROS))",
			"required double duration_seconds",
			"required int32 exit_code (INT(32,true))",
			"required int64 observations (INT(64,true))",
		},
	}
	for oname, o := range outputs() {
		for ds, lines := range want {
			for _, path := range o.files(t, ds) {
				schema := openParquet(t, path).Schema().String()
				if ds == "findings" {
					// The one nested column, findings' cell_list, in the
					// standard three-level LIST form; the rest is flat.
					rest := strings.Replace(schema, cellListSchema, "", 1)
					if rest == schema {
						t.Errorf("%s %s: no %q:\n%s", oname, path, cellListSchema, schema)
					}
					schema = rest
				}
				for _, line := range lines {
					if !strings.Contains(schema, line) {
						t.Errorf("%s %s: schema has no %q:\n%s", oname, path, line, schema)
					}
				}
				for _, bad := range []string{"INT(8,false)", "INT(16,false)", "INT(32,false)", "INT(64,false)", "NANOS", "int96", "repeated"} {
					if strings.Contains(schema, bad) {
						t.Errorf("%s %s: schema holds %s:\n%s", oname, path, bad, schema)
					}
				}
				if strings.Count(schema, "{") != 1 { // only the message itself: no nested groups
					t.Errorf("%s %s: nested schema:\n%s", oname, path, schema)
				}
			}
		}
	}
}

// Every column chunk of every file uses only PLAIN and RLE_DICTIONARY data
// encodings (RLE for levels), zstd, and carries statistics; the dimensions
// are dictionary-encoded; the observations declare their sort order. As
// checked by parquet-go.
func TestParquetGoColumnChunks(t *testing.T) {
	dims := map[string]bool{}
	for _, c := range schemas.ObservationColumns {
		dims[c.Name] = c.Dictionary()
	}
	for oname, o := range outputs() {
		for _, ds := range datasets {
			for _, path := range o.files(t, ds.name) {
				meta := openParquet(t, path).Metadata()
				if len(meta.RowGroups) == 0 && meta.NumRows > 0 {
					t.Errorf("%s: no row groups", path)
				}
				for _, rg := range meta.RowGroups {
					for _, cc := range rg.Columns {
						md := cc.MetaData
						name := strings.Join(md.PathInSchema, ".")
						where := oname + " " + filepath.Base(path) + "." + name
						sawDict := false
						for _, e := range md.Encoding {
							switch e {
							case format.Plain, format.RLE:
							case format.RLEDictionary:
								sawDict = true
							default:
								t.Errorf("%s uses encoding %s", where, e)
							}
						}
						if ds.name == load.ObservationsDir && dims[name] && !sawDict {
							t.Errorf("%s: a dimension without dictionary (%v)", where, md.Encoding)
						}
						if md.Codec != format.Zstd {
							t.Errorf("%s compressed with %s", where, md.Codec)
						}
						st := md.Statistics
						if rg.NumRows > 0 && (st.MinValue == nil || st.MaxValue == nil) && st.NullCount != rg.NumRows {
							t.Errorf("%s has no min/max statistics", where)
						}
					}
					if ds.name == load.ObservationsDir {
						var sorted []string
						for _, sc := range rg.SortingColumns {
							sorted = append(sorted, meta.Schema[sc.ColumnIdx+1].Name) // flat: leaf i is element i+1
						}
						want := "reporter partner flow period product"
						if o.dir == byYear.dir {
							want = "year " + want
						}
						if strings.Join(sorted, " ") != want {
							t.Errorf("%s %s: sorting columns %v, want %s", oname, filepath.Base(path), sorted, want)
						}
					}
				}
			}
		}
	}
}

// The figures parquet-go decodes equal the ones DuckDB reads, cell by cell.
func TestParquetGoValuesMatchDuckDB(t *testing.T) {
	db := duck(t)
	for _, path := range append(fixtures.files(t, load.ObservationsDir), byYear.files(t, load.ObservationsDir)...) {
		f := openParquet(t, path)
		cols := map[string]int{}
		for i, c := range f.Schema().Columns() {
			cols[strings.Join(c, ".")] = i
		}
		got := map[string]string{} // file|cell -> value
		for _, rg := range f.RowGroups() {
			rows := rg.Rows()
			buf := make([]parquet.Row, 64)
			for {
				n, err := rows.ReadRows(buf)
				for _, row := range buf[:n] {
					key := row[cols["file"]].String() + "|" + row[cols["cell"]].String()
					v := row[cols["value"]]
					if v.IsNull() {
						got[key] = "NULL"
						continue
					}
					unscaled := new(big.Int).SetBytes(v.ByteArray())
					if b := v.ByteArray(); len(b) > 0 && b[0]&0x80 != 0 { // two's complement
						unscaled.Sub(unscaled, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
					}
					got[key] = new(big.Rat).SetFrac(unscaled, big.NewInt(1_000_000_000)).FloatString(9)
				}
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			rows.Close()
		}
		if int64(len(got)) != f.NumRows() || len(got) == 0 {
			t.Fatalf("%s: %d distinct cells for %d rows", path, len(got), f.NumRows())
		}
		q, err := db.Query("SELECT file || '|' || cell, coalesce(value::VARCHAR, 'NULL') FROM read_parquet(?)", path)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for q.Next() {
			var key, v string
			if err := q.Scan(&key, &v); err != nil {
				t.Fatal(err)
			}
			if got[key] != v {
				t.Errorf("%s %s: parquet-go %s, DuckDB %s", path, key, got[key], v)
			}
			n++
		}
		q.Close()
		if n != len(got) {
			t.Errorf("%s: DuckDB %d rows, parquet-go %d", path, n, len(got))
		}
	}
}
