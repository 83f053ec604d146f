package extract_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tradeetl/tradeetl/extract"
)

// Prefetch gives the rows of the workbook it wraps, in order, then
// io.EOF; counts them as it reads ahead; and keeps the abilities of the
// workbook and its sheets.
func TestPrefetch(t *testing.T) {
	for _, rows := range []int{0, 1, 255, 256, 257, 1000} {
		t.Run(fmt.Sprint(rows), func(t *testing.T) {
			var b strings.Builder
			b.WriteString("Year,Exports\n")
			for i := range rows {
				fmt.Fprintf(&b, "%d,%d\n", 1000+i, i)
			}
			data := []byte(b.String())
			wb, err := extract.OpenReader("t.csv", bytes.NewReader(data), int64(len(data)), extract.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			defer wb.Close()
			var counted atomic.Int64
			ahead := extract.Prefetch(wb, func(n int) { counted.Add(int64(n)) })
			if u, ok := ahead.(interface{ Unwrap() extract.Workbook }); !ok || u.Unwrap() != wb {
				t.Fatalf("Unwrap does not give the workbook")
			}
			if d, ok := ahead.(interface{ Delimited() bool }); !ok || !d.Delimited() {
				t.Errorf("a CSV file read ahead is not Delimited")
			}
			s, err := ahead.Open(context.Background(), ahead.Sheets()[0])
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for {
				row, err := s.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if n > 0 {
					if got, want := row.Cells[0].Text, fmt.Sprint(1000+n-1); got != want {
						t.Fatalf("row %d starts %q, want %q", n, got, want)
					}
				}
				n++
			}
			if _, err := s.Next(); !errors.Is(err, io.EOF) {
				t.Errorf("after the last row: %v, want io.EOF again", err)
			}
			if n != rows+1 || counted.Load() != int64(rows+1) {
				t.Errorf("%d rows, %d counted; want %d", n, counted.Load(), rows+1)
			}
			if _, ok := s.(extract.MergeReader); !ok {
				t.Errorf("a sheet read ahead is no MergeReader")
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Closing a sheet before its last row stops the read-ahead.
func TestPrefetchCloseEarly(t *testing.T) {
	data := []byte(strings.Repeat("1,2\n", 10000))
	wb, err := extract.OpenReader("t.csv", bytes.NewReader(data), int64(len(data)), extract.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	s, err := extract.Prefetch(wb, nil).Open(context.Background(), wb.Sheets()[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Next(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
