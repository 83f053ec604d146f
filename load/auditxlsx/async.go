package auditxlsx

import (
	"io"
	"sync"
)

// A worksheet is rewritten by three stages that each take about a third
// of the time: inflating the source part, scanning it, deflating the copy.
// readAhead and writeBehind run the first and the last on goroutines of
// their own, so that the copy uses both cores, as the reader does.

const (
	asyncChunk = 256 << 10
	asyncDepth = 4 // chunks in flight each way
)

type chunk struct {
	b   []byte
	err error
}

// readAhead reads r on a goroutine, asyncDepth chunks ahead. Close stops
// it; the caller closes r after that.
type readAhead struct {
	ch   chan chunk
	free chan []byte
	done chan struct{}
	wg   sync.WaitGroup
	cur  []byte
	buf  []byte
	err  error
}

func newReadAhead(r io.Reader) *readAhead {
	ra := &readAhead{ch: make(chan chunk, asyncDepth), free: make(chan []byte, asyncDepth+2), done: make(chan struct{})}
	for range asyncDepth + 2 {
		ra.free <- make([]byte, asyncChunk)
	}
	ra.wg.Add(1)
	go func() {
		defer ra.wg.Done()
		defer close(ra.ch)
		for {
			var b []byte
			select {
			case b = <-ra.free:
			case <-ra.done:
				return
			}
			n, err := io.ReadFull(r, b)
			if err == io.ErrUnexpectedEOF {
				err = io.EOF
			}
			select {
			case ra.ch <- chunk{b[:n], err}:
			case <-ra.done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return ra
}

func (ra *readAhead) Read(p []byte) (int, error) {
	for len(ra.cur) == 0 {
		if ra.err != nil {
			return 0, ra.err
		}
		if ra.buf != nil {
			ra.free <- ra.buf[:cap(ra.buf)]
			ra.buf = nil
		}
		c, ok := <-ra.ch
		if !ok {
			return 0, io.ErrClosedPipe
		}
		ra.buf, ra.cur, ra.err = c.b, c.b, c.err
	}
	n := copy(p, ra.cur)
	ra.cur = ra.cur[n:]
	return n, nil
}

// Close stops the goroutine and waits for it.
func (ra *readAhead) Close() error {
	close(ra.done)
	ra.wg.Wait()
	return nil
}

// writeBehind writes to w on a goroutine. Close flushes what is pending
// and returns the first error of w.
type writeBehind struct {
	ch   chan []byte
	free chan []byte
	errc chan error
	buf  []byte
}

func newWriteBehind(w io.Writer) *writeBehind {
	wb := &writeBehind{ch: make(chan []byte, asyncDepth), free: make(chan []byte, asyncDepth+1), errc: make(chan error, 1)}
	for range asyncDepth + 1 {
		wb.free <- make([]byte, 0, asyncChunk)
	}
	wb.buf = <-wb.free
	go func() {
		var err error
		for b := range wb.ch {
			if err == nil {
				_, err = w.Write(b)
			}
			wb.free <- b[:0]
		}
		wb.errc <- err
	}()
	return wb
}

func (wb *writeBehind) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := copy(wb.buf[len(wb.buf):cap(wb.buf)], p)
		wb.buf = wb.buf[:len(wb.buf)+k]
		p = p[k:]
		if len(wb.buf) == cap(wb.buf) {
			wb.ch <- wb.buf
			wb.buf = <-wb.free
		}
	}
	return n, nil
}

// Close writes what is pending and waits for the goroutine.
func (wb *writeBehind) Close() error {
	if len(wb.buf) > 0 {
		wb.ch <- wb.buf
	}
	close(wb.ch)
	return <-wb.errc
}
