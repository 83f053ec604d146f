package auditxlsx

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// The parts the annotated copy changes (worksheets, styles, the workbook)
// are rewritten as byte streams: markup is located, the few tags that
// change are replaced or have something inserted before them, and every
// other byte is copied as it is — no parsing into a tree, no
// re-serialisation, so a sheet of a million rows is rewritten in one pass
// with a window of memory.

// tagKind is what a piece of markup is.
type tagKind uint8

const (
	tagStart tagKind = iota // <name ...>
	tagEmpty                // <name .../>
	tagEnd                  // </name>
	tagOther                // comment, processing instruction, CDATA
)

// tag is one piece of markup found by the scanner. Its slices point into
// the scanner's window and are valid until the callback returns.
type tag struct {
	kind tagKind
	raw  []byte // from '<' through '>'
	name []byte // qualified name, for start, empty and end tags
}

// local returns the tag's name without its namespace prefix.
func (t *tag) local() []byte {
	if i := bytes.IndexByte(t.name, ':'); i >= 0 {
		return t.name[i+1:]
	}
	return t.name
}

// prefix returns the namespace prefix of the tag's name with its colon
// ("x:"), or "".
func (t *tag) prefix() string {
	if i := bytes.IndexByte(t.name, ':'); i >= 0 {
		return string(t.name[:i+1])
	}
	return ""
}

func (t *tag) is(local string) bool { return string(t.local()) == local }

// attr returns the value of the attribute with this qualified name, as
// written (entities not decoded).
func (t *tag) attr(name string) ([]byte, bool) {
	v, _, _, ok := findAttr(t.raw, name)
	return v, ok
}

// findAttr finds attribute name in a start tag and returns its value and
// the offsets of the value in raw (between the quotes).
func findAttr(raw []byte, name string) (val []byte, from, to int, ok bool) {
	i := 1
	// skip the element name
	for i < len(raw) && !isSpace(raw[i]) && raw[i] != '>' && raw[i] != '/' {
		i++
	}
	for i < len(raw) {
		for i < len(raw) && isSpace(raw[i]) {
			i++
		}
		start := i
		for i < len(raw) && raw[i] != '=' && !isSpace(raw[i]) && raw[i] != '>' && raw[i] != '/' {
			i++
		}
		if i == start {
			return nil, 0, 0, false
		}
		an := raw[start:i]
		for i < len(raw) && isSpace(raw[i]) {
			i++
		}
		if i >= len(raw) || raw[i] != '=' {
			return nil, 0, 0, false
		}
		i++
		for i < len(raw) && isSpace(raw[i]) {
			i++
		}
		if i >= len(raw) || (raw[i] != '"' && raw[i] != '\'') {
			return nil, 0, 0, false
		}
		q := raw[i]
		i++
		end := bytes.IndexByte(raw[i:], q)
		if end < 0 {
			return nil, 0, 0, false
		}
		if string(an) == name {
			return raw[i : i+end], i, i + end, true
		}
		i += end + 1
	}
	return nil, 0, 0, false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// withAttr returns a copy of start tag raw with attribute name set to
// value (replaced when present, added after the element name otherwise).
func withAttr(raw []byte, name, value string) []byte {
	if _, from, to, ok := findAttr(raw, name); ok {
		out := make([]byte, 0, len(raw)+len(value))
		out = append(out, raw[:from]...)
		out = append(out, value...)
		return append(out, raw[to:]...)
	}
	i := 1
	for i < len(raw) && !isSpace(raw[i]) && raw[i] != '>' && raw[i] != '/' {
		i++
	}
	out := make([]byte, 0, len(raw)+len(name)+len(value)+4)
	out = append(out, raw[:i]...)
	out = append(out, ' ')
	out = append(out, name...)
	out = append(out, '=', '"')
	out = append(out, value...)
	out = append(out, '"')
	return append(out, raw[i:]...)
}

// errDoctype refuses a document type declaration: the reader refuses them
// too (no entity is ever defined or expanded).
var errDoctype = errors.New("a DOCTYPE declaration (refused: entities are never expanded)")

// maxTag bounds one piece of markup (a start tag with its attributes, a
// comment): the window never grows beyond it.
const maxTag = 16 << 20

// rewriter copies an XML stream from r to w, calling fn for every piece of
// markup. fn may write to the rewriter (through insert or replace) before
// the tag is copied; bytes not replaced are copied unchanged.
type rewriter struct {
	r   io.Reader
	w   *bufio.Writer
	buf []byte
	pos int // scan position in buf
	end int // end of data in buf
	out int // first byte of buf not yet written
	eof bool
	// base is the offset in the stream of buf[0]
	base int

	cur      *tag
	replaced bool

	// skip, when set, is asked about each piece of markup (b starts with
	// '<' and holds at least 12 bytes, or the rest of the stream): markup
	// it skips is copied without a call to fn.
	skip func(b []byte) bool
}

func newRewriter(r io.Reader, w *bufio.Writer) *rewriter {
	return &rewriter{r: r, w: w, buf: make([]byte, 256<<10)}
}

// insert writes b before the current tag.
func (rw *rewriter) insert(b []byte) error {
	if err := rw.flushTo(rw.tagStart()); err != nil {
		return err
	}
	_, err := rw.w.Write(b)
	return err
}

// replace writes b instead of the current tag.
func (rw *rewriter) replace(b []byte) error {
	if err := rw.insert(b); err != nil {
		return err
	}
	rw.replaced = true
	return nil
}

func (rw *rewriter) tagStart() int { return rw.pos - len(rw.cur.raw) }

// tagOffset is the offset in the stream of the current tag, offset that
// of the byte after it.
func (rw *rewriter) tagOffset() int { return rw.base + rw.tagStart() }
func (rw *rewriter) offset() int    { return rw.base + rw.pos }

func (rw *rewriter) flushTo(i int) error {
	if i > rw.out {
		if _, err := rw.w.Write(rw.buf[rw.out:i]); err != nil {
			return err
		}
		rw.out = i
	}
	return nil
}

// fill moves the unscanned bytes from keep on to the front of the window
// (writing what precedes them) and reads more. It reports false at the
// end of the input.
func (rw *rewriter) fill(keep int) (bool, error) {
	if rw.eof {
		return false, nil
	}
	if err := rw.flushTo(keep); err != nil {
		return false, err
	}
	n := copy(rw.buf, rw.buf[keep:rw.end])
	rw.base += keep
	rw.pos -= keep
	rw.out -= keep
	rw.end = n
	if rw.end == len(rw.buf) {
		if len(rw.buf) >= maxTag {
			return false, fmt.Errorf("markup longer than %d bytes", maxTag)
		}
		nb := make([]byte, 2*len(rw.buf))
		copy(nb, rw.buf[:rw.end])
		rw.buf = nb
	}
	for {
		m, err := rw.r.Read(rw.buf[rw.end:])
		rw.end += m
		if err == io.EOF {
			rw.eof = true
			return m > 0, nil
		}
		if err != nil {
			return false, err
		}
		if m > 0 {
			return true, nil
		}
	}
}

// run scans the stream through its end, calling fn for each tag, and
// writes the rest.
func (rw *rewriter) run(fn func(t *tag) error) error {
	var t tag
	rw.cur = &t
	for {
		i := bytes.IndexByte(rw.buf[rw.pos:rw.end], '<')
		if i < 0 {
			rw.pos = rw.end
			more, err := rw.fill(rw.end)
			if err != nil {
				return err
			}
			if !more {
				return rw.flushTo(rw.end)
			}
			continue
		}
		start := rw.pos + i
		if rw.skip != nil {
			if rw.end-start < 12 && !rw.eof {
				rw.pos = start
				more, err := rw.fill(start)
				if err != nil {
					return err
				}
				if !more {
					return fmt.Errorf("the XML ends inside markup")
				}
				continue
			}
			if rw.skip(rw.buf[start:rw.end]) {
				n, _, err := markupLen(rw.buf[start:rw.end])
				if err != nil {
					return err
				}
				if n > 0 {
					rw.pos = start + n
					continue
				}
				// incomplete: read more below
			}
		}
		n, kind, err := markupLen(rw.buf[start:rw.end])
		if err != nil {
			return err
		}
		if n < 0 {
			// incomplete: read more, keeping the tag
			rw.pos = start
			more, err := rw.fill(start)
			if err != nil {
				return err
			}
			if !more {
				return fmt.Errorf("the XML ends inside markup")
			}
			continue
		}
		t.kind = kind
		t.raw = rw.buf[start : start+n]
		t.name = nil
		if kind != tagOther {
			t.name = tagName(t.raw)
		}
		rw.pos = start + n
		rw.replaced = false
		if err := fn(&t); err != nil {
			return err
		}
		if rw.replaced {
			rw.out = rw.pos
		}
	}
}

// markupLen returns the length of the markup at the start of b, or -1 when
// b does not hold all of it yet.
func markupLen(b []byte) (int, tagKind, error) {
	if len(b) < 2 {
		return -1, 0, nil
	}
	switch b[1] {
	case '?':
		return through(b, "?>"), tagOther, nil
	case '!':
		for _, m := range [][2]string{{"<!--", "-->"}, {"<![CDATA[", "]]>"}} {
			switch {
			case bytes.HasPrefix(b, []byte(m[0])):
				return through(b, m[1]), tagOther, nil
			case len(b) < len(m[0]) && bytes.HasPrefix([]byte(m[0]), b):
				return -1, 0, nil // not enough bytes to tell yet
			}
		}
		return 0, 0, errDoctype
	case '/':
		i := bytes.IndexByte(b, '>')
		if i < 0 {
			return -1, 0, nil
		}
		return i + 1, tagEnd, nil
	}
	// a start tag: '>' outside quoted attribute values ends it; most
	// tags have no quote before their first '>'
	if i := bytes.IndexByte(b, '>'); i > 0 {
		if bytes.IndexByte(b[:i], '"') < 0 && bytes.IndexByte(b[:i], '\'') < 0 {
			if b[i-1] == '/' {
				return i + 1, tagEmpty, nil
			}
			return i + 1, tagStart, nil
		}
	}
	var q byte
	for i := 1; i < len(b); i++ {
		c := b[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '>':
			if b[i-1] == '/' {
				return i + 1, tagEmpty, nil
			}
			return i + 1, tagStart, nil
		}
	}
	return -1, 0, nil
}

func through(b []byte, end string) int {
	i := bytes.Index(b[2:], []byte(end))
	if i < 0 {
		return -1
	}
	return 2 + i + len(end)
}

// tagName returns the qualified name of a start, empty or end tag.
func tagName(raw []byte) []byte {
	i := 1
	if len(raw) > 1 && raw[1] == '/' {
		i = 2
	}
	j := i
	for j < len(raw) && !isSpace(raw[j]) && raw[j] != '>' && raw[j] != '/' {
		j++
	}
	return raw[i:j]
}
