package extract

import (
	"context"
	"io"
	"sync"
)

// Prefetch returns wb with read-ahead: each sheet it opens is read by a
// goroutine of its own into a bounded queue of row chunks, so that reading
// (XML decoding, for xlsx) runs while the caller works on the rows before.
// rows, when not nil, is called from that goroutine with the number of
// rows of each chunk read. The optional abilities of the workbook
// (Delimited) and of its sheets ([MergeReader]) pass through; Unwrap
// returns wb. Closing a sheet stops its goroutine and waits for it, so
// the underlying reader is never used by two goroutines at once.
func Prefetch(wb Workbook, rows func(n int)) Workbook {
	return &prefetchWorkbook{Workbook: wb, rows: rows}
}

var (
	_ Workbook    = (*prefetchWorkbook)(nil)
	_ SheetReader = (*prefetchSheet)(nil)
	_ MergeReader = (*prefetchSheet)(nil)
)

type prefetchWorkbook struct {
	Workbook
	rows func(n int)
}

// Unwrap returns the workbook read ahead.
func (w *prefetchWorkbook) Unwrap() Workbook { return w.Workbook }

// Delimited reports whether the workbook is a delimited text file.
func (w *prefetchWorkbook) Delimited() bool {
	d, ok := w.Workbook.(interface{ Delimited() bool })
	return ok && d.Delimited()
}

func (w *prefetchWorkbook) Open(ctx context.Context, sheet string) (SheetReader, error) {
	src, err := w.Workbook.Open(ctx, sheet)
	if err != nil {
		return nil, err
	}
	s := &prefetchSheet{src: src, ch: make(chan rowChunk, 4), stop: make(chan struct{}), done: make(chan struct{})}
	go s.run(w.rows)
	return s, nil
}

// prefetchChunk is the number of rows handed over at a time.
const prefetchChunk = 256

type rowChunk struct {
	rows []Row
	err  error // io.EOF after the last row
}

type prefetchSheet struct {
	mu   sync.Mutex // held while src is used: by run, or by MergedCells
	src  SheetReader
	ch   chan rowChunk
	stop chan struct{}
	done chan struct{}
	cur  []Row
	err  error
}

func (s *prefetchSheet) run(progress func(int)) {
	defer close(s.done)
	for {
		rows := make([]Row, 0, prefetchChunk)
		var err error
		for len(rows) < prefetchChunk {
			var row Row
			s.mu.Lock()
			row, err = s.src.Next()
			s.mu.Unlock()
			if err != nil {
				break
			}
			rows = append(rows, row)
		}
		if progress != nil {
			progress(len(rows))
		}
		select {
		case s.ch <- rowChunk{rows: rows, err: err}:
		case <-s.stop:
			return
		}
		if err != nil {
			return
		}
	}
}

// Next returns the next row read ahead.
func (s *prefetchSheet) Next() (Row, error) {
	for len(s.cur) == 0 {
		if s.err != nil {
			return Row{}, s.err
		}
		c, ok := <-s.ch
		if !ok {
			return Row{}, io.ErrUnexpectedEOF
		}
		s.cur, s.err = c.rows, c.err
	}
	row := s.cur[0]
	s.cur = s.cur[1:]
	return row, nil
}

// MergedCells returns the merged ranges of the sheet, if its reader knows
// them; it waits for the read-ahead to leave the reader alone.
func (s *prefetchSheet) MergedCells() ([]Range, error) {
	m, ok := s.src.(MergeReader)
	if !ok {
		return nil, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return m.MergedCells()
}

// Close stops the read-ahead goroutine, waits for it, then closes the
// sheet.
func (s *prefetchSheet) Close() error {
	close(s.stop)
	<-s.done
	return s.src.Close()
}
