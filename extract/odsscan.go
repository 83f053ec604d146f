package extract

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// tokenSource gives XML tokens: an encoding/xml Decoder, or an odsScanner.
type tokenSource interface {
	Token() (xml.Token, error)
}

// odsScanner is a small XML tokenizer for the body of a sheet, built for
// speed: it finds markup with bytes.IndexByte over a bufio.Reader instead
// of reading byte by byte as encoding/xml does, and keeps the names it has
// seen, so that the rows of a large sheet cost a fraction of what
// encoding/xml takes. It gives the tokens encoding/xml gives (names with
// their namespace URIs, attribute values and text with entities and
// character references replaced), checks that elements nest and that text
// is UTF-8, and refuses a DOCTYPE as a Directive token. Namespaces are
// those of the document's root element, and any declared on the elements
// read. A differential test and FuzzODS check it against encoding/xml.
type odsScanner struct {
	r       *bufio.Reader
	ns      map[string]string // prefix → URI in scope
	stack   []scanFrame
	names   map[string]scanName // qualified element name → Name
	attrs   map[string]scanName // qualified attribute name → Name
	scopes  int                 // elements open that declared namespaces
	values  map[string]string   // short attribute values seen ("float", "ce1")
	raw     [][2][]byte         // the attributes of the tag being read
	attrBuf []xml.Attr          // reused by each start tag's Attr
	buf     []byte              // the text or tag being read
	text    []byte              // unescaped text returned as CharData
	pending bool                // the '<' of the next markup was read
	endNext *xml.Name           // a self-closing element's end, to give next
	max     int                 // the longest tag or text run
}

type scanFrame struct {
	qname string
	name  xml.Name
	saved map[string]string // the namespaces before this element declared its own
}

// scanName is a resolved qualified name, with the name as written.
type scanName struct {
	q    string
	name xml.Name
}

func newODSScanner(r io.Reader, ns map[string]string, max int) *odsScanner {
	return &odsScanner{r: bufio.NewReaderSize(r, 64<<10), ns: ns, names: map[string]scanName{}, attrs: map[string]scanName{}, values: map[string]string{}, max: max}
}

func (s *odsScanner) syntax(msg string) error {
	return &xml.SyntaxError{Msg: msg, Line: 0}
}

// Token returns the next token. The Attr slice of a StartElement is
// reused by the next start tag: callers read it at once (as the .ods
// reader does) and keep only the strings.
func (s *odsScanner) Token() (xml.Token, error) {
	if s.endNext != nil {
		n := *s.endNext
		s.endNext = nil
		s.pop()
		return xml.EndElement{Name: n}, nil
	}
	if !s.pending {
		// text up to the next '<'
		s.buf = s.buf[:0]
		for {
			chunk, err := s.r.ReadSlice('<')
			if err == nil {
				s.buf = append(s.buf, chunk[:len(chunk)-1]...)
				s.pending = true
				break
			}
			s.buf = append(s.buf, chunk...)
			if len(s.buf) > s.max {
				return nil, fmt.Errorf("%w: %w (%s, --max-line-size)", ErrTooLarge, errODSToken, byteSize(uint64(s.max)))
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err == io.EOF {
				if len(s.stack) > 0 {
					return nil, s.syntax("unexpected EOF")
				}
				if len(bytes.TrimSpace(s.buf)) > 0 {
					return nil, s.syntax("text after the document element")
				}
				return nil, io.EOF
			}
			return nil, err
		}
		if len(s.buf) > 0 {
			t, err := s.unescape(s.buf)
			if err != nil {
				return nil, err
			}
			return xml.CharData(t), nil
		}
	}
	s.pending = false
	first, err := s.r.Peek(1)
	if err != nil {
		return nil, s.syntax("unexpected EOF")
	}
	switch first[0] {
	case '/':
		tag, err := s.readTag()
		if err != nil {
			return nil, err
		}
		q := bytes.TrimSpace(tag[1 : len(tag)-1])
		if len(s.stack) == 0 || s.stack[len(s.stack)-1].qname != string(q) {
			return nil, s.syntax("element <" + string(q) + "> closed but not open")
		}
		name := s.stack[len(s.stack)-1].name
		s.pop()
		return xml.EndElement{Name: name}, nil
	case '!':
		return s.bang()
	case '?':
		if _, err := s.readUntil("?>"); err != nil {
			return nil, err
		}
		return xml.ProcInst{}, nil
	}
	tag, err := s.readTag()
	if err != nil {
		return nil, err
	}
	return s.start(tag[:len(tag)-1])
}

func (s *odsScanner) pop() {
	f := s.stack[len(s.stack)-1]
	if f.saved != nil {
		s.ns = f.saved
		s.scopes--
	}
	s.stack = s.stack[:len(s.stack)-1]
}

// readTag reads a tag up to its '>', outside quoted attribute values.
func (s *odsScanner) readTag() ([]byte, error) {
	s.buf = s.buf[:0]
	var quote byte
	scanned := 0
	for {
		chunk, err := s.r.ReadSlice('>')
		s.buf = append(s.buf, chunk...)
		if len(s.buf) > s.max {
			return nil, fmt.Errorf("%w: %w (%s, --max-line-size)", ErrTooLarge, errODSToken, byteSize(uint64(s.max)))
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return nil, s.syntax("unexpected EOF")
		}
		for ; scanned < len(s.buf); scanned++ {
			c := s.buf[scanned]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '<':
				return nil, s.syntax("'<' inside a tag")
			}
		}
		if quote == 0 {
			return s.buf, nil
		}
	}
}

// readUntil reads up to and including end.
func (s *odsScanner) readUntil(end string) ([]byte, error) {
	s.buf = s.buf[:0]
	for {
		chunk, err := s.r.ReadSlice(end[len(end)-1])
		s.buf = append(s.buf, chunk...)
		if len(s.buf) > s.max {
			return nil, fmt.Errorf("%w: %w (%s, --max-line-size)", ErrTooLarge, errODSToken, byteSize(uint64(s.max)))
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return nil, s.syntax("unexpected EOF")
		}
		if bytes.HasSuffix(s.buf, []byte(end)) {
			return s.buf, nil
		}
	}
}

// bang reads a comment, a CDATA section or a directive.
func (s *odsScanner) bang() (xml.Token, error) {
	head, _ := s.r.Peek(8)
	switch {
	case bytes.HasPrefix(head, []byte("!--")):
		if _, err := s.readUntil("-->"); err != nil {
			return nil, err
		}
		return xml.Comment(nil), nil
	case bytes.HasPrefix(head, []byte("![CDATA[")):
		b, err := s.readUntil("]]>")
		if err != nil {
			return nil, err
		}
		t := b[len("![CDATA[") : len(b)-3]
		if !utf8.Valid(t) {
			return nil, s.syntax("invalid UTF-8")
		}
		return xml.CharData(t), nil
	}
	b, err := s.readTag()
	if err != nil {
		return nil, err
	}
	return xml.Directive(b[1 : len(b)-1]), nil
}

// name returns the Name of a qualified name, its prefix resolved (an
// attribute without a prefix has no namespace).
func (s *odsScanner) name(q string, isAttr bool) xml.Name {
	prefix, local, ok := strings.Cut(q, ":")
	if !ok {
		if isAttr {
			return xml.Name{Local: q}
		}
		return xml.Name{Space: s.ns[""], Local: q}
	}
	if uri, known := s.ns[prefix]; known {
		return xml.Name{Space: uri, Local: local}
	}
	return xml.Name{Space: prefix, Local: local}
}

// start parses a start tag (without its '>').
func (s *odsScanner) start(tag []byte) (xml.Token, error) {
	selfClosing := len(tag) > 0 && tag[len(tag)-1] == '/'
	if selfClosing {
		tag = tag[:len(tag)-1]
	}
	i := 0
	for i < len(tag) && !isSpace(tag[i]) {
		i++
	}
	if i == 0 {
		return nil, s.syntax("a tag without a name")
	}
	q := tag[:i]
	attrs := s.attrBuf[:0]
	rawAttrs := s.raw[:0]
	for {
		for i < len(tag) && isSpace(tag[i]) {
			i++
		}
		if i >= len(tag) {
			break
		}
		j := i
		for j < len(tag) && tag[j] != '=' && !isSpace(tag[j]) {
			j++
		}
		an := tag[i:j]
		for j < len(tag) && isSpace(tag[j]) {
			j++
		}
		if j >= len(tag) || tag[j] != '=' {
			return nil, s.syntax("attribute " + string(an) + " without a value")
		}
		j++
		for j < len(tag) && isSpace(tag[j]) {
			j++
		}
		if j >= len(tag) || tag[j] != '"' && tag[j] != '\'' {
			return nil, s.syntax("attribute " + string(an) + " value not quoted")
		}
		quote := tag[j]
		k := bytes.IndexByte(tag[j+1:], quote)
		if k < 0 {
			return nil, s.syntax("attribute " + string(an) + " value not closed")
		}
		rawAttrs = append(rawAttrs, [2][]byte{an, tag[j+1 : j+1+k]})
		i = j + 1 + k + 1
		if i < len(tag) && !isSpace(tag[i]) {
			return nil, s.syntax("no space between attributes")
		}
	}
	// namespace declarations first: they apply to the element's own name
	var saved map[string]string
	for _, a := range rawAttrs {
		an := a[0]
		if bytes.Equal(an, []byte("xmlns")) || bytes.HasPrefix(an, []byte("xmlns:")) {
			v, err := s.unescapeString(a[1])
			if err != nil {
				return nil, err
			}
			if saved == nil {
				saved = s.ns
				s.ns = make(map[string]string, len(saved)+1)
				for k, v := range saved {
					s.ns[k] = v
				}
			}
			s.ns[strings.TrimPrefix(strings.TrimPrefix(string(an), "xmlns"), ":")] = v
		}
	}
	s.raw = rawAttrs
	for _, a := range rawAttrs {
		v, err := s.value(a[1])
		if err != nil {
			return nil, err
		}
		var n xml.Name
		if an := string(a[0]); strings.HasPrefix(an, "xmlns") && (len(an) == 5 || an[5] == ':') {
			n = xml.Name{Space: "xmlns", Local: strings.TrimPrefix(strings.TrimPrefix(an, "xmlns"), ":")}
			if n.Local == "" {
				n = xml.Name{Local: "xmlns"}
			}
		} else {
			n = s.cachedName(a[0], true).name
		}
		attrs = append(attrs, xml.Attr{Name: n, Value: v})
	}
	s.attrBuf = attrs
	sn := s.cachedName(q, false)
	name := sn.name
	if saved != nil {
		name = s.name(sn.q, false)
		s.scopes++
	}
	s.stack = append(s.stack, scanFrame{qname: sn.q, name: name, saved: saved})
	if selfClosing {
		s.endNext = &name
	}
	return xml.StartElement{Name: name, Attr: attrs}, nil
}

// cachedName resolves a qualified name, keeping the result while the
// namespaces in scope are the root's.
func (s *odsScanner) cachedName(q []byte, isAttr bool) scanName {
	m := s.names
	if isAttr {
		m = s.attrs
	}
	if s.scopes == 0 {
		if n, ok := m[string(q)]; ok {
			return n
		}
	}
	qs := string(q)
	n := scanName{q: qs, name: s.name(qs, isAttr)}
	if s.scopes == 0 && len(m) < 4096 {
		m[qs] = n
	}
	return n
}

// value is an attribute's value; short ones are kept and shared.
func (s *odsScanner) value(b []byte) (string, error) {
	if len(b) > 16 || bytes.IndexByte(b, '&') >= 0 {
		return s.unescapeString(b)
	}
	if v, ok := s.values[string(b)]; ok {
		return v, nil
	}
	v, err := s.unescapeString(b)
	if err == nil && len(s.values) < 4096 {
		s.values[v] = v
	}
	return v, err
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (s *odsScanner) unescapeString(b []byte) (string, error) {
	if bytes.IndexByte(b, '&') < 0 {
		if !utf8.Valid(b) {
			return "", s.syntax("invalid UTF-8")
		}
		return string(b), nil
	}
	t, err := s.unescape(b)
	return string(t), err
}

// unescape replaces entities and character references; the result is
// valid until the next call.
func (s *odsScanner) unescape(b []byte) ([]byte, error) {
	if !utf8.Valid(b) {
		return nil, s.syntax("invalid UTF-8")
	}
	// line ends are normalised to \n, as encoding/xml does
	if bytes.IndexByte(b, '&') < 0 && bytes.IndexByte(b, '\r') < 0 {
		return b, nil
	}
	out := s.text[:0]
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\r' {
			out = append(out, '\n')
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
			continue
		}
		if c != '&' {
			out = append(out, c)
			continue
		}
		k := bytes.IndexByte(b[i:], ';')
		if k < 0 {
			return nil, s.syntax("an entity without its ';'")
		}
		ent := string(b[i+1 : i+k])
		switch ent {
		case "lt":
			out = append(out, '<')
		case "gt":
			out = append(out, '>')
		case "amp":
			out = append(out, '&')
		case "quot":
			out = append(out, '"')
		case "apos":
			out = append(out, '\'')
		default:
			var n uint64
			var err error
			switch {
			case strings.HasPrefix(ent, "#x"):
				n, err = strconv.ParseUint(ent[2:], 16, 32)
			case strings.HasPrefix(ent, "#"):
				n, err = strconv.ParseUint(ent[1:], 10, 32)
			default:
				return nil, s.syntax("invalid character entity &" + ent + ";")
			}
			if err != nil || !isXMLChar(rune(n)) {
				return nil, s.syntax("invalid character entity &" + ent + ";")
			}
			out = utf8.AppendRune(out, rune(n))
		}
		i += k
	}
	s.text = out
	return out, nil
}

// isXMLChar reports whether r may appear in an XML document.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
