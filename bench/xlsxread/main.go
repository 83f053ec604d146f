// Command xlsxread reads the first sheet of a workbook one way and prints
// what it read, for timing with /usr/bin/time (see bench/xlsxscan.sh):
//
//	xlsxread -mode xlsxscan FILE   tradeetl's streaming reader
//	xlsxread -mode zipscan FILE    archive/zip inflate + count of '<' (the Go floor)
//	xlsxread -mode excelize FILE   excelize's Rows iterator, raw values
package main

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"runtime/pprof"
	"time"

	"github.com/tradeetl/tradeetl/extract/xlsxscan"
	"github.com/xuri/excelize/v2"
)

func main() {
	mode := flag.String("mode", "xlsxscan", "xlsxscan, zipscan or excelize")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: xlsxread [-mode M] FILE")
	}
	path := flag.Arg(0)
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	var rows, cells int
	var err error
	switch *mode {
	case "xlsxscan":
		rows, cells, err = readScan(path)
	case "zipscan":
		rows, cells, err = readZip(path)
	case "excelize":
		rows, cells, err = readExcelize(path)
	default:
		err = fmt.Errorf("unknown mode %q", *mode)
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d rows, %d cells in %v\n", *mode, rows, cells, time.Since(start).Round(time.Millisecond))
}

func readScan(path string) (rows, cells int, err error) {
	w, err := xlsxscan.Open(path, xlsxscan.Limits{})
	if err != nil {
		return 0, 0, err
	}
	defer w.Close()
	r, err := w.OpenSheetAt(context.Background(), 0)
	if err != nil {
		return 0, 0, err
	}
	defer r.Close()
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return rows, cells, nil
		}
		if err != nil {
			return rows, cells, err
		}
		rows++
		cells += len(row.Cells)
	}
}

// readZip inflates the first worksheet part and counts its '<' bytes: the
// least work any reader of the sheet must do.
func readZip(path string) (rows, cells int, err error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return 0, 0, err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return 0, 0, err
		}
		defer rc.Close()
		buf := make([]byte, 1<<20)
		for {
			n, err := rc.Read(buf)
			cells += bytes.Count(buf[:n], []byte("<"))
			if err == io.EOF {
				return rows, cells, nil
			}
			if err != nil {
				return rows, cells, err
			}
		}
	}
	return 0, 0, errors.New("no xl/worksheets/sheet1.xml")
}

func readExcelize(path string) (rows, cells int, err error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	r, err := f.Rows(f.GetSheetList()[0])
	if err != nil {
		return 0, 0, err
	}
	defer r.Close()
	for r.Next() {
		cols, err := r.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return rows, cells, err
		}
		rows++
		cells += len(cols)
	}
	return rows, cells, r.Error()
}
