// Command duckcsv converts a CSV file to Parquet with DuckDB, the baseline
// of tradeetl's CSV benchmark (make bench, bench/e2e):
//
//	cd interop && go run ./cmd/duckcsv IN.csv OUT.parquet
//
// It runs COPY (FROM read_csv('IN.csv')) TO 'OUT.parquet' (FORMAT parquet)
// in an in-memory database, with DuckDB's defaults (all cores, type
// detection, snappy), and prints the rows written and the time taken.
package main

import (
	"database/sql"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

func main() {
	if len(os.Args) != 3 {
		log.Fatal("usage: duckcsv IN.csv OUT.parquet")
	}
	in, out := os.Args[1], os.Args[2]
	db, err := sql.Open("duckdb", "")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	quote := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	start := time.Now()
	res, err := db.Exec(fmt.Sprintf("COPY (FROM read_csv(%s)) TO %s (FORMAT parquet)", quote(in), quote(out)))
	if err != nil {
		log.Fatal(err)
	}
	n, _ := res.RowsAffected()
	fmt.Printf("%d rows in %v\n", n, time.Since(start).Round(time.Millisecond))
}
