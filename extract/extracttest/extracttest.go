// Package extracttest checks that a reader of package extract keeps the
// contract of [extract.Workbook] and [extract.SheetReader], the way
// testing/fstest checks an fs.FS: every reader, and every decorator of
// one, is run through the same suite.
//
// In: a function that opens a workbook, and the bound (in rows) within
// which the reader notices a cancelled context. Out: test failures naming
// the file, sheet and row where the contract is broken.
//
// The contract checked: Sheets names sheets Open opens; rows come in
// ascending order, each with at least one cell, cells in ascending column
// order on the row's number, text valid UTF-8; Next keeps returning
// io.EOF after the last row; a row's cells stay as returned while later
// rows are read (the caller owns them); a MergeReader's ranges are well
// formed once Next returned io.EOF; a cancelled context ends the read with
// an error matching context.Canceled within the bound, or with io.EOF;
// Close after the end returns nil.
package extracttest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/tradeetl/tradeetl/extract"
)

// Opener opens the workbook under test. Each call opens it anew.
type Opener func() (extract.Workbook, error)

// Run checks every sheet of the workbook open returns. cancelWithin is
// the number of rows after which a reader must have noticed that its
// context was cancelled (0: the check is skipped, for sheets too short to
// tell).
func Run(t *testing.T, open Opener, cancelWithin int) {
	t.Helper()
	wb, err := open()
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	sheets := wb.Sheets()
	if err := wb.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if len(sheets) == 0 {
		t.Fatal("Sheets: no sheet")
	}
	for _, sheet := range sheets {
		t.Run(fmt.Sprintf("sheet=%q", sheet), func(t *testing.T) {
			first := readSheet(t, open, sheet)
			if second := readSheet(t, open, sheet); !reflect.DeepEqual(first, second) {
				t.Errorf("two reads of the sheet differ")
			}
			if cancelWithin > 0 {
				checkCancel(t, open, sheet, cancelWithin)
			}
		})
	}
	checkUnknownSheet(t, open)
}

// readSheet reads one sheet to its end, checking each row, and returns
// its rows.
func readSheet(t *testing.T, open Opener, sheet string) []extract.Row {
	t.Helper()
	wb, err := open()
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer wb.Close()
	sr, err := wb.Open(context.Background(), sheet)
	if err != nil {
		t.Fatalf("Open(%q): %v", sheet, err)
	}
	var rows, copies []extract.Row
	prev := 0
	for {
		row, err := sr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("Next after row %d: %v", prev, err)
		}
		checkRow(t, row, prev)
		prev = row.Num
		rows = append(rows, row)
		copies = append(copies, extract.Row{Num: row.Num, Cells: slices.Clone(row.Cells)})
	}
	// The rows kept are still as they were returned: the caller owns
	// them, the reader does not reuse their cells for later rows.
	for i := range rows {
		if !reflect.DeepEqual(rows[i], copies[i]) {
			t.Errorf("row %d changed after later rows were read: the reader reuses the cells it returned", rows[i].Num)
			break
		}
	}
	for range 2 {
		if _, err := sr.Next(); !errors.Is(err, io.EOF) {
			t.Errorf("Next after the end: %v, want io.EOF", err)
		}
	}
	if mr, ok := sr.(extract.MergeReader); ok {
		ranges, err := mr.MergedCells()
		if err != nil {
			t.Errorf("MergedCells after the end: %v", err)
		}
		for _, r := range ranges {
			if r.FromRow < 1 || r.FromCol < 1 || r.ToRow < r.FromRow || r.ToCol < r.FromCol {
				t.Errorf("merged range %+v is not well formed", r)
			}
		}
	}
	if err := sr.Close(); err != nil {
		t.Errorf("Close after the end: %v", err)
	}
	return rows
}

func checkRow(t *testing.T, row extract.Row, prev int) {
	t.Helper()
	if row.Num <= prev {
		t.Errorf("row %d after row %d: rows must ascend", row.Num, prev)
	}
	if len(row.Cells) == 0 {
		t.Errorf("row %d has no cell: empty rows are skipped", row.Num)
	}
	if !slices.IsSortedFunc(row.Cells, func(a, b extract.Cell) int { return a.Col - b.Col }) {
		t.Errorf("row %d: cells not in column order", row.Num)
	}
	for i, c := range row.Cells {
		if c.Row != row.Num {
			t.Errorf("row %d: cell %s says row %d", row.Num, c.Ref(), c.Row)
		}
		if i > 0 && c.Col == row.Cells[i-1].Col {
			t.Errorf("row %d: column %d twice", row.Num, c.Col)
		}
		if !utf8.ValidString(c.Text) {
			t.Errorf("cell %s: text %q is not UTF-8", c.Ref(), c.Text)
		}
	}
}

// checkCancel cancels the context after the first row and expects the
// read to end with context.Canceled within limit rows, or to reach the end.
func checkCancel(t *testing.T, open Opener, sheet string, limit int) {
	t.Helper()
	wb, err := open()
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer wb.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sr, err := wb.Open(ctx, sheet)
	if err != nil {
		t.Fatalf("Open(%q): %v", sheet, err)
	}
	defer sr.Close()
	if _, err := sr.Next(); err != nil {
		if !errors.Is(err, io.EOF) {
			t.Fatalf("first Next: %v", err)
		}
		return
	}
	cancel()
	for n := 1; ; n++ {
		_, err := sr.Next()
		switch {
		case errors.Is(err, io.EOF):
			if n > limit {
				t.Errorf("read %d rows to the end after the context was cancelled, want at most %d", n, limit)
			}
			return
		case errors.Is(err, context.Canceled):
			if n > limit {
				t.Errorf("noticed the cancellation after %d rows, want at most %d", n, limit)
			}
			return
		case err != nil:
			t.Errorf("after cancellation: %v, want an error matching context.Canceled", err)
			return
		}
	}
}

// checkUnknownSheet expects Open of a sheet the workbook does not have to
// fail rather than read another sheet.
func checkUnknownSheet(t *testing.T, open Opener) {
	t.Helper()
	wb, err := open()
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer wb.Close()
	name := "no such sheet \u2603"
	if slices.Contains(wb.Sheets(), name) {
		return
	}
	sr, err := wb.Open(context.Background(), name)
	if err == nil {
		sr.Close()
		t.Errorf("Open(%q) of a sheet the workbook does not have: no error", name)
	}
}
