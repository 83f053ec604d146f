package xlsxscan

import (
	"bytes"
	"io"
)

// walker streams the tags of a part: start tags with their attributes and
// end tags, skipping text, comments, processing instructions and CDATA.
// Parsers of structure parts (relationships, workbook, styles) and the
// outer levels of worksheets and shared strings use it.
type walker struct {
	st    *stream
	sc    scanner
	pos   int // next byte to read in st.buf
	depth int // depth of the next tag: 0 for the root element
}

// tag events
const (
	evStart = iota
	evEnd
	evEOF
)

// newWalker positions a walker on the root element of a part.
func newWalker(st *stream) (*walker, error) {
	w := &walker{st: st}
	i, err := st.prolog(&w.sc)
	if err != nil {
		return nil, err
	}
	w.pos = i
	return w, nil
}

// next returns the next tag. For a start tag, depth is the element's depth
// (0 for the root) and its attributes are in w.sc.attrs until the next
// call; name aliases the window.
func (w *walker) next() (ev int, name []byte, self bool, depth int, err error) {
	for {
		b := w.st.buf
		w.sc.b = b
		k := bytes.IndexByte(b[w.pos:], '<')
		if k < 0 {
			if err := w.more(len(b)); err != nil {
				return evEOF, nil, false, 0, err
			}
			continue
		}
		i := w.pos + k
		kind, err := w.sc.peek(i)
		if err == errMore {
			if err := w.more(i); err != nil {
				return evEOF, nil, false, 0, err
			}
			continue
		}
		if err != nil {
			return evEOF, nil, false, 0, w.st.wrap(err)
		}
		switch kind {
		case mkStart:
			name, self, j, err := w.sc.startTag(i)
			if err == errMore {
				if err := w.more(i); err != nil {
					return evEOF, nil, false, 0, err
				}
				continue
			}
			if err != nil {
				return evEOF, nil, false, 0, w.st.wrap(err)
			}
			w.pos = j
			d := w.depth
			if !self {
				w.depth++
			}
			return evStart, name, self, d, nil
		case mkEnd:
			j, err := w.sc.endTag(i)
			if err == errMore {
				if err := w.more(i); err != nil {
					return evEOF, nil, false, 0, err
				}
				continue
			}
			w.pos = j
			w.depth--
			if w.depth < 0 {
				return evEOF, nil, false, 0, w.st.wrap(synErr(i, "end tag without start tag"))
			}
			return evEnd, local(b[i+2 : j-1]), false, w.depth, nil
		default:
			j, err := w.sc.skipSpecial(i, kind)
			if err == errMore {
				if err := w.more(i); err != nil {
					return evEOF, nil, false, 0, err
				}
				continue
			}
			w.pos = j
		}
	}
}

// more keeps the window from keep on and reads on. At the end of the part
// it returns io.EOF when all elements were closed, else a syntax error.
func (w *walker) more(keep int) error {
	err := w.st.more(keep)
	if err == nil {
		w.pos -= keep
		if w.pos < 0 {
			w.pos = 0
		}
		return nil
	}
	if err == io.EOF {
		if w.depth > 0 || keep < len(w.st.buf) && len(bytes.TrimSpace(w.st.buf[keep:])) > 0 {
			return w.st.wrap(synErr(len(w.st.buf), "the part is cut short (unexpected end of part)"))
		}
		return io.EOF
	}
	return err
}

// skip skips the content of the element whose start tag was just returned
// (not self-closing), with its end tag.
func (w *walker) skip() error {
	for {
		w.sc.b = w.st.buf
		j, err := w.sc.skipContent(w.pos)
		if err == errMore {
			if err := w.more(w.pos); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return w.st.wrap(err)
		}
		w.pos = j
		w.depth--
		return nil
	}
}
