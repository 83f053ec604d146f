// Command gen writes the benchmark inputs: long tables of trade figures as
// xlsx and CSV (see package longtable), of the sizes given.
//
// Usage: go run ./bench/gen -out bench/data -rows 100000,1000000
//
// It writes OUT/long-100k.xlsx, OUT/long-100k.csv, OUT/long-1m.xlsx and
// OUT/long-1m.csv. `make bench-data` runs it; the files are not committed.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tradeetl/tradeetl/bench/longtable"
)

func main() {
	out := flag.String("out", "bench/data", "output directory")
	sizes := flag.String("rows", "100000,1000000", "comma-separated row counts")
	flag.Parse()
	if err := run(*out, *sizes); err != nil {
		log.Fatal(err)
	}
}

func run(out, sizes string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("-rows: %q is not a row count", s)
		}
		base := filepath.Join(out, "long-"+Name(n))
		f, err := os.Create(base + ".csv")
		if err != nil {
			return err
		}
		if err := longtable.WriteCSV(f, n); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		if err := longtable.WriteXLSX(base+".xlsx", n); err != nil {
			return err
		}
		fmt.Printf("wrote %s.csv and %s.xlsx (%d rows)\n", base, base, n)
	}
	return nil
}

// Name is the size part of a file name: 100k, 1m, 2500.
func Name(n int) string {
	switch {
	case n%1_000_000 == 0:
		return strconv.Itoa(n/1_000_000) + "m"
	case n%1000 == 0:
		return strconv.Itoa(n/1000) + "k"
	}
	return strconv.Itoa(n)
}
