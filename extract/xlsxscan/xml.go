package xlsxscan

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// This file holds the byte-level XML scanner the part readers share. It
// works on a window of bytes (one or more inflated chunks); every function
// returns errMore when the construct it reads is not complete in the
// window, and the caller then retries from the start of the enclosing unit
// (a row, a shared string, a top-level tag) once more bytes arrived.
//
// It understands what well-formed XML may contain: start and end tags with
// namespace prefixes, attributes in either quote, character and entity
// references, CDATA sections, comments and processing instructions. It
// refuses a DOCTYPE (so no entity is ever defined, let alone expanded or
// fetched), unknown entities, and character references to code points XML
// forbids. It does not check that end tags name their start tags: elements
// are matched by depth.

// errMore reports that the window ends inside the construct being read.
var errMore = errors.New("xlsxscan: need more input")

// posError is a syntax or data error at a position of the window; the
// stream turns the position into an offset in the part.
type posError struct {
	pos  int
	kind error // ErrSyntax, ErrDoctype or ErrInvalid
	msg  string
}

func (e *posError) Error() string { return e.msg }

func synErr(pos int, format string, args ...any) error {
	return &posError{pos: pos, kind: ErrSyntax, msg: fmt.Sprintf(format, args...)}
}

// nameByte marks the bytes that may appear in an XML name. Bytes of
// multi-byte UTF-8 sequences are all accepted.
var nameByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '_' || c == ':' || c == '-' || c == '.' || c >= 0x80
	}
	return
}()

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// local returns the part of a qualified name after its prefix.
func local(name []byte) []byte {
	if i := bytes.LastIndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// attr is one attribute of the last start tag read: its local name and its
// raw value (entities not decoded; see attrValue).
type attr struct {
	name []byte
	val  []byte
}

// scanner reads XML constructs out of the window b.
type scanner struct {
	b      []byte
	attrs  []attr
	tmp    []byte // scratch for decoded attribute values
	runBuf []byte // scratch for the runs of a rich-text string
}

// startTag reads the start tag at b[i] ('<' followed by a name byte). It
// returns the tag's local name, whether it closes itself ("/>"), and the
// position after it. Its attributes are left in s.attrs.
func (s *scanner) startTag(i int) (name []byte, self bool, j int, err error) {
	b := s.b
	j = i + 1
	k := j
	for k < len(b) && nameByte[b[k]] {
		k++
	}
	if k >= len(b) {
		return nil, false, 0, errMore
	}
	if k == j {
		return nil, false, 0, synErr(i, "invalid tag")
	}
	name = local(b[j:k])
	s.attrs = s.attrs[:0]
	for {
		for k < len(b) && isSpace(b[k]) {
			k++
		}
		if k >= len(b) {
			return nil, false, 0, errMore
		}
		switch b[k] {
		case '>':
			return name, false, k + 1, nil
		case '/':
			if k+1 >= len(b) {
				return nil, false, 0, errMore
			}
			if b[k+1] != '>' {
				return nil, false, 0, synErr(k, "expected /> in tag <%s>", name)
			}
			return name, true, k + 2, nil
		}
		a := k
		for k < len(b) && nameByte[b[k]] {
			k++
		}
		if k >= len(b) {
			return nil, false, 0, errMore
		}
		if k == a {
			return nil, false, 0, synErr(k, "invalid character %q in tag <%s>", b[k], name)
		}
		an := local(b[a:k])
		for k < len(b) && isSpace(b[k]) {
			k++
		}
		if k >= len(b) {
			return nil, false, 0, errMore
		}
		if b[k] != '=' {
			return nil, false, 0, synErr(k, "attribute %s without value in tag <%s>", an, name)
		}
		k++
		for k < len(b) && isSpace(b[k]) {
			k++
		}
		if k >= len(b) {
			return nil, false, 0, errMore
		}
		q := b[k]
		if q != '"' && q != '\'' {
			return nil, false, 0, synErr(k, "unquoted value of attribute %s in tag <%s>", an, name)
		}
		e := bytes.IndexByte(b[k+1:], q)
		if e < 0 {
			return nil, false, 0, errMore
		}
		v := b[k+1 : k+1+e]
		if bytes.IndexByte(v, '<') >= 0 {
			return nil, false, 0, synErr(k, "'<' in value of attribute %s", an)
		}
		s.attrs = append(s.attrs, attr{name: an, val: v})
		k += e + 2
	}
}

// attrValue returns the decoded value of an attribute. The result may
// alias the window or scratch space: copy it to keep it.
func (s *scanner) attrValue(a attr, pos int) ([]byte, error) {
	if bytes.IndexByte(a.val, '&') < 0 && bytes.IndexByte(a.val, '\r') < 0 {
		return a.val, nil
	}
	var err error
	s.tmp, err = appendText(s.tmp[:0], a.val, pos)
	return s.tmp, err
}

// endTag reads the end tag at b[i] ("</") and returns the position after it.
func (s *scanner) endTag(i int) (int, error) {
	e := bytes.IndexByte(s.b[i:], '>')
	if e < 0 {
		return 0, errMore
	}
	return i + e + 1, nil
}

// markup kinds returned by peek.
const (
	mkStart   = iota // <name
	mkEnd            // </
	mkComment        // <!--
	mkCDATA          // <![CDATA[
	mkPI             // <?
)

var (
	cdataOpen   = []byte("<![CDATA[")
	cdataClose  = []byte("]]>")
	commentOpen = []byte("<!--")
	commentEnd  = []byte("-->")
	piEnd       = []byte("?>")
	doctype     = []byte("<!DOCTYPE")
)

// peek classifies the markup at b[i] ('<').
func (s *scanner) peek(i int) (int, error) {
	b := s.b
	if i+1 >= len(b) {
		return 0, errMore
	}
	switch c := b[i+1]; {
	case c == '/':
		return mkEnd, nil
	case c == '?':
		return mkPI, nil
	case c == '!':
		rest := b[i:]
		switch {
		case bytes.HasPrefix(rest, commentOpen):
			return mkComment, nil
		case bytes.HasPrefix(rest, cdataOpen):
			return mkCDATA, nil
		case len(rest) < len(cdataOpen) && (bytes.HasPrefix(commentOpen, rest) || bytes.HasPrefix(cdataOpen, rest) || bytes.HasPrefix(doctype, rest)):
			return 0, errMore
		case bytes.HasPrefix(rest, doctype):
			return 0, &posError{pos: i, kind: ErrDoctype, msg: "the part declares a DOCTYPE (entity definitions)"}
		}
		return 0, synErr(i, "invalid markup <!")
	case nameByte[c]:
		return mkStart, nil
	}
	return 0, synErr(i, "invalid character after <")
}

// skipSpecial skips a comment, processing instruction or CDATA section at
// b[i] and returns the position after it.
func (s *scanner) skipSpecial(i, kind int) (int, error) {
	var open, end []byte
	switch kind {
	case mkComment:
		open, end = commentOpen, commentEnd
	case mkCDATA:
		open, end = cdataOpen, cdataClose
	default:
		open, end = []byte("<?"), piEnd
	}
	e := bytes.Index(s.b[i+len(open):], end)
	if e < 0 {
		return 0, errMore
	}
	return i + len(open) + e + len(end), nil
}

// skipContent skips the content of an element whose start tag ended just
// before b[i], and its end tag; it returns the position after the end tag.
func (s *scanner) skipContent(i int) (int, error) {
	b := s.b
	depth := 0
	for {
		k := bytes.IndexByte(b[i:], '<')
		if k < 0 {
			return 0, errMore
		}
		i += k
		kind, err := s.peek(i)
		if err != nil {
			return 0, err
		}
		switch kind {
		case mkEnd:
			if i, err = s.endTag(i); err != nil {
				return 0, err
			}
			if depth == 0 {
				return i, nil
			}
			depth--
		case mkStart:
			_, self, j, err := s.startTag(i)
			if err != nil {
				return 0, err
			}
			if !self {
				depth++
			}
			i = j
		default:
			if i, err = s.skipSpecial(i, kind); err != nil {
				return 0, err
			}
		}
	}
}

// text appends to dst the character data of an element whose start tag
// ended just before b[i]: its text and CDATA sections, entities decoded,
// line ends normalized, the content of nested elements left out (as
// encoding/xml does when it decodes an element into a string). It returns
// the position after the element's end tag.
func (s *scanner) text(i int, dst []byte) ([]byte, int, error) {
	b := s.b
	depth := 0
	for {
		k := bytes.IndexByte(b[i:], '<')
		if k < 0 {
			return dst, 0, errMore
		}
		if depth == 0 && k > 0 {
			var err error
			if dst, err = appendText(dst, b[i:i+k], i); err != nil {
				return dst, 0, err
			}
		}
		i += k
		kind, err := s.peek(i)
		if err != nil {
			return dst, 0, err
		}
		switch kind {
		case mkEnd:
			if i, err = s.endTag(i); err != nil {
				return dst, 0, err
			}
			if depth == 0 {
				return dst, i, nil
			}
			depth--
		case mkStart:
			_, self, j, err := s.startTag(i)
			if err != nil {
				return dst, 0, err
			}
			if !self {
				depth++
			}
			i = j
		case mkCDATA:
			e := bytes.Index(b[i+len(cdataOpen):], cdataClose)
			if e < 0 {
				return dst, 0, errMore
			}
			if depth == 0 {
				dst = appendCDATA(dst, b[i+len(cdataOpen):i+len(cdataOpen)+e])
			}
			i += len(cdataOpen) + e + len(cdataClose)
		default:
			if i, err = s.skipSpecial(i, kind); err != nil {
				return dst, 0, err
			}
		}
	}
}

// appendCDATA appends the content of a CDATA section with its line ends
// normalized.
func appendCDATA(dst, s []byte) []byte {
	for {
		k := bytes.IndexByte(s, '\r')
		if k < 0 {
			return append(dst, s...)
		}
		dst = append(dst, s[:k]...)
		dst = append(dst, '\n')
		if k+1 < len(s) && s[k+1] == '\n' {
			k++
		}
		s = s[k+1:]
	}
}

// appendText appends character data with its references decoded and its
// line ends normalized ("\r\n" and "\r" become "\n"). pos is the position
// of s in the window, for errors.
func appendText(dst, s []byte, pos int) ([]byte, error) {
	for {
		k := 0
		for k < len(s) && s[k] != '&' && s[k] != '\r' {
			k++
		}
		dst = append(dst, s[:k]...)
		if k == len(s) {
			return dst, nil
		}
		if s[k] == '\r' {
			dst = append(dst, '\n')
			if k+1 < len(s) && s[k+1] == '\n' {
				k++
			}
			s, pos = s[k+1:], pos+k+1
			continue
		}
		e := bytes.IndexByte(s[k:], ';')
		if e < 0 {
			return dst, synErr(pos+k, "unterminated entity reference")
		}
		ref := s[k+1 : k+e]
		var err error
		if dst, err = appendRef(dst, ref); err != nil {
			return dst, synErr(pos+k, "%v", err)
		}
		s, pos = s[k+e+1:], pos+k+e+1
	}
}

// appendRef appends the character an entity or character reference (the
// text between '&' and ';') stands for.
func appendRef(dst, ref []byte) ([]byte, error) {
	switch string(ref) {
	case "lt":
		return append(dst, '<'), nil
	case "gt":
		return append(dst, '>'), nil
	case "amp":
		return append(dst, '&'), nil
	case "apos":
		return append(dst, '\''), nil
	case "quot":
		return append(dst, '"'), nil
	}
	if len(ref) < 2 || ref[0] != '#' {
		return dst, fmt.Errorf("unknown entity &%.20s;", ref)
	}
	digits, base := ref[1:], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 || len(digits) > 8 {
		return dst, fmt.Errorf("invalid character reference &%.20s;", ref)
	}
	n, err := strconv.ParseUint(string(digits), base, 32)
	if err != nil || !isXMLChar(rune(n)) {
		return dst, fmt.Errorf("invalid character reference &%.20s;", ref)
	}
	return utf8.AppendRune(dst, rune(n)), nil
}

// isXMLChar reports whether XML 1.0 allows a code point in a document.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// unescapeX decodes the _xHHHH_ escapes OOXML uses in strings for
// characters XML cannot hold (ST_Xstring): "_x000D_" is a carriage return,
// "_x005F_" a literal underscore (so "_x005F_x000D_" is the text
// "_x000D_"). A surrogate pair of escapes makes one character; a lone
// surrogate is dropped, as excelize drops it. It returns s itself when it
// holds no escape.
func unescapeX(s []byte) []byte {
	i := bytes.Index(s, []byte("_x"))
	if i < 0 {
		return s
	}
	out := make([]byte, 0, len(s))
	for i >= 0 {
		if i+7 > len(s) {
			break
		}
		h, ok := hex4(s[i+2 : i+6])
		if !ok || s[i+6] != '_' {
			out = append(out, s[:i+1]...)
			s = s[i+1:]
			i = bytes.Index(s, []byte("_x"))
			continue
		}
		out = append(out, s[:i]...)
		s = s[i+7:]
		switch {
		case h >= 0xD800 && h <= 0xDBFF:
			// a high surrogate: combine with a following low one
			if len(s) >= 7 && s[0] == '_' && s[1] == 'x' && s[6] == '_' {
				if l, ok := hex4(s[2:6]); ok && l >= 0xDC00 && l <= 0xDFFF {
					out = utf8.AppendRune(out, rune(0x10000+(h-0xD800)<<10+(l-0xDC00)))
					s = s[7:]
				}
			}
		case h >= 0xDC00 && h <= 0xDFFF:
		default:
			out = utf8.AppendRune(out, rune(h))
		}
		i = bytes.Index(s, []byte("_x"))
	}
	return append(out, s...)
}

func hex4(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			n = n<<4 | int(c-'0')
		case c >= 'a' && c <= 'f':
			n = n<<4 | int(c-'a'+10)
		case c >= 'A' && c <= 'F':
			n = n<<4 | int(c-'A'+10)
		default:
			return 0, false
		}
	}
	return n, true
}

// richText appends to dst the text of a string item (<si> or <is>) whose
// start tag ended just before b[i], as excelize reads it: the item's own
// <t> (the last one, if several) followed by the <t> of each rich-text run
// <r>; phonetic runs <rPh> and everything else left out. _xHHHH_ escapes
// are not decoded here. It returns the position after the end tag.
func (s *scanner) richText(i int, dst []byte) ([]byte, int, error) {
	b := s.b
	start := len(dst)
	s.runBuf = s.runBuf[:0]
	for {
		k := bytes.IndexByte(b[i:], '<')
		if k < 0 {
			return dst, 0, errMore
		}
		i += k
		kind, err := s.peek(i)
		if err != nil {
			return dst, 0, err
		}
		switch kind {
		case mkEnd:
			j, err := s.endTag(i)
			if err != nil {
				return dst, 0, err
			}
			return append(dst, s.runBuf...), j, nil
		case mkStart:
			name, self, j, err := s.startTag(i)
			if err != nil {
				return dst, 0, err
			}
			switch {
			case len(name) == 1 && name[0] == 't':
				dst = dst[:start]
				if !self {
					dst, j, err = s.text(j, dst)
				}
			case len(name) == 1 && name[0] == 'r':
				if !self {
					s.runBuf, j, err = s.run(j, s.runBuf)
				}
			default:
				if !self {
					j, err = s.skipContent(j)
				}
			}
			if err != nil {
				return dst, 0, err
			}
			i = j
		default:
			if i, err = s.skipSpecial(i, kind); err != nil {
				return dst, 0, err
			}
		}
	}
}

// run appends the text of a rich-text run (its last <t>) whose start tag
// ended just before b[i], and returns the position after its end tag.
func (s *scanner) run(i int, dst []byte) ([]byte, int, error) {
	b := s.b
	start := len(dst)
	for {
		k := bytes.IndexByte(b[i:], '<')
		if k < 0 {
			return dst, 0, errMore
		}
		i += k
		kind, err := s.peek(i)
		if err != nil {
			return dst, 0, err
		}
		switch kind {
		case mkEnd:
			j, err := s.endTag(i)
			return dst, j, err
		case mkStart:
			name, self, j, err := s.startTag(i)
			if err != nil {
				return dst, 0, err
			}
			if len(name) == 1 && name[0] == 't' {
				dst = dst[:start]
				if !self {
					dst, j, err = s.text(j, dst)
				}
			} else if !self {
				j, err = s.skipContent(j)
			}
			if err != nil {
				return dst, 0, err
			}
			i = j
		default:
			if i, err = s.skipSpecial(i, kind); err != nil {
				return dst, 0, err
			}
		}
	}
}

// utf8Valid reports whether b is valid UTF-8.
func utf8Valid(b []byte) bool { return utf8.Valid(b) }
