package interop

import (
	"errors"
	"io"
	"math/big"
	"os"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
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

// parquet-go, a reader written independently of the arrow-go writer, sees
// the logical types BI tools rely on.
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
			"optional double expected",
			"required int64 created_at (TIMESTAMP(isAdjustedToUTC=true,unit=MICROS))",
		},
	}
	for ds, lines := range want {
		for _, path := range files(t, ds) {
			schema := openParquet(t, path).Schema().String()
			for _, line := range lines {
				if !strings.Contains(schema, line) {
					t.Errorf("%s: schema has no %q:\n%s", path, line, schema)
				}
			}
			for _, bad := range []string{"INT(8,false)", "INT(16,false)", "INT(32,false)", "INT(64,false)", "NANOS", "int96", "repeated"} {
				if strings.Contains(schema, bad) {
					t.Errorf("%s: schema holds %s:\n%s", path, bad, schema)
				}
			}
			if strings.Count(schema, "{") != 1 { // only the message itself: no nested groups
				t.Errorf("%s: nested schema:\n%s", path, schema)
			}
		}
	}
}

// Every column chunk uses only PLAIN and RLE_DICTIONARY data encodings (RLE
// for levels), zstd, and carries statistics, as checked by parquet-go.
func TestParquetGoColumnChunks(t *testing.T) {
	for _, ds := range []string{"observations", "findings"} {
		for _, path := range files(t, ds) {
			meta := openParquet(t, path).Metadata()
			if len(meta.RowGroups) == 0 && meta.NumRows > 0 {
				t.Errorf("%s: no row groups", path)
			}
			for _, rg := range meta.RowGroups {
				for _, cc := range rg.Columns {
					md := cc.MetaData
					name := strings.Join(md.PathInSchema, ".")
					for _, e := range md.Encoding {
						switch e {
						case format.Plain, format.RLEDictionary, format.RLE:
						default:
							t.Errorf("%s: column %s uses encoding %s", path, name, e)
						}
					}
					if md.Codec != format.Zstd {
						t.Errorf("%s: column %s compressed with %s", path, name, md.Codec)
					}
					st := md.Statistics
					if rg.NumRows > 0 && (st.MinValue == nil || st.MaxValue == nil) && st.NullCount != rg.NumRows {
						t.Errorf("%s: column %s has no min/max statistics", path, name)
					}
				}
			}
		}
	}
}

// The figures parquet-go decodes equal the ones DuckDB reads, cell by cell.
func TestParquetGoValuesMatchDuckDB(t *testing.T) {
	db := duck(t)
	for _, path := range files(t, "observations") {
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
