package extract

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The OpenDocument namespaces the reader looks at. Elements are matched by
// namespace URI, not prefix, as encoding/xml resolves them.
const (
	nsOffice  = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
	nsTable   = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
	nsText    = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
	nsStyle   = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
	nsNumber  = "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
	nsCalcext = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
)

// errODSToken is returned by tokenGuard for a run of XML without a tag
// longer than its limit.
var errODSToken = errors.New("an XML element or text run is longer than the limit")

// tokenGuard passes XML through, failing once a stretch between two '<'
// grows longer than max bytes, so that encoding/xml, which holds a whole
// text run or tag in memory, never holds more than max bytes of one. It
// also counts the bytes read, against total.
type tokenGuard struct {
	r     io.Reader
	max   int   // longest stretch without '<'
	run   int   // bytes since the last '<'
	n     int64 // bytes read
	total int64 // most bytes to read
}

func (g *tokenGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.n += int64(n)
	if g.n > g.total {
		return 0, fmt.Errorf("%w: its XML is larger than the %s limit (--max-unzip-size)", ErrTooLarge, byteSize(uint64(g.total)))
	}
	b := p[:n]
	for len(b) > 0 {
		k := bytes.IndexByte(b, '<')
		if k < 0 {
			g.run += len(b)
			break
		}
		g.run = 0
		b = b[k+1:]
		if k > g.max {
			g.run = k
			break
		}
	}
	if g.run > g.max {
		return 0, fmt.Errorf("%w: %w (%s, --max-line-size)", ErrTooLarge, errODSToken, byteSize(uint64(g.max)))
	}
	return n, err
}

// newODSDecoder returns a decoder of OpenDocument XML read through a
// tokenGuard.
func newODSDecoder(r io.Reader, lim Limits) *xml.Decoder {
	d := xml.NewDecoder(&tokenGuard{r: r, max: lim.MaxLineSize, total: lim.MaxUnzipSize})
	d.Strict = true
	return d
}

// odsToken reads the next token, refusing a DOCTYPE (entity declarations:
// encoding/xml would not expand them, but such a file was not written by
// an office suite) and describing syntax errors.
func odsToken(d tokenSource, part string) (xml.Token, error) {
	tok, err := d.Token()
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		return nil, describeODSError(err, part)
	}
	if dir, ok := tok.(xml.Directive); ok && bytes.HasPrefix(bytes.TrimSpace(dir), []byte("DOCTYPE")) {
		return nil, fmt.Errorf("%w: %s holds a DOCTYPE (entity declarations); refused", ErrHostile, part)
	}
	return tok, nil
}

func describeODSError(err error, part string) error {
	var syn *xml.SyntaxError
	switch {
	case errors.Is(err, ErrTooLarge), errors.Is(err, ErrHostile), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.As(err, &syn):
		return fmt.Errorf("%w: %s is not well-formed XML (line %d: %s)", ErrDamaged, part, syn.Line, syn.Msg)
	case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: %s ends before its end (truncated)", ErrDamaged, part)
	}
	return fmt.Errorf("%w: %s cannot be read (%v)", ErrDamaged, part, err)
}

// truncated turns io.EOF, met inside an element, into an error.
func truncated(err error, part string) error {
	if err == io.EOF {
		return fmt.Errorf("%w: %s ends before its end (truncated)", ErrDamaged, part)
	}
	return err
}

// odsSkip skips the element whose start was just read.
func odsSkip(d tokenSource, part string) error {
	depth := 1
	for depth > 0 {
		tok, err := odsToken(d, part)
		if err != nil {
			return truncated(err, part)
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// attr returns the value of the attribute space:local.
func attr(e xml.StartElement, space, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local && a.Name.Space == space {
			return a.Value
		}
	}
	return ""
}

// attrCount reads a repetition or span count: absent or not a positive
// number is 1; large counts are capped at limit+1 (more than any sheet
// holds) so that arithmetic on them never overflows.
func attrCount(e xml.StartElement, space, local string, limit int) int {
	s := attr(e, space, local)
	if s == "" {
		return 1
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange && !strings.HasPrefix(strings.TrimSpace(s), "-") {
			return limit + 1
		}
		return 1
	}
	if n < 1 {
		return 1
	}
	if n > int64(limit) {
		return limit + 1
	}
	return int(n)
}
