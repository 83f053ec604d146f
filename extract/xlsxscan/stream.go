package xlsxscan

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"sync"

	kflate "github.com/klauspost/compress/flate"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// tuning sets how parts are inflated. Parts are read in chunks of chunk
// bytes. Each chunk buffer keeps prefix bytes free in front, where the
// reader copies the unfinished tail of the previous chunk (a row cut in
// two), so that a row is contiguous without copying whole chunks. Parts
// whose declared size is below sync are inflated whole, in the caller's
// goroutine; larger parts are inflated by a goroutine of their own while
// the caller parses, so that both cores work. Tests use tiny chunks to make
// every construct straddle chunks, and turn the fast path off.
type tuning struct {
	chunk, prefix int
	sync          uint64
	slow          bool // no fast paths (cells, shared strings): tests compare both
}

var defaultTuning = tuning{chunk: 512 << 10, prefix: 64 << 10, sync: 1 << 20}

// chunks in flight per stream: one parsed, two queued, one inflating
const nChunks = 4

// pkg is the opened zip package.
type pkg struct {
	zr    *zip.Reader
	files map[string]*zip.File   // by name, '\' made '/', no leading '/'
	lower map[string][]*zip.File // by lower-case name
	dups  map[string]bool        // names given to more than one entry
	lim   Limits
	tun   tuning

	mu      sync.Mutex
	partMax map[string]int64 // most bytes inflated from each part so far
	total   int64            // sum of partMax
}

func newPkg(zr *zip.Reader, lim Limits, tun tuning) *pkg {
	p := &pkg{
		zr: zr, lim: lim, tun: tun,
		files:   make(map[string]*zip.File, len(zr.File)),
		lower:   make(map[string][]*zip.File, len(zr.File)),
		dups:    map[string]bool{},
		partMax: map[string]int64{},
	}
	for _, f := range zr.File {
		name := normName(f.Name)
		if name == "" || strings.HasSuffix(name, "/") {
			continue
		}
		if _, ok := p.files[name]; ok {
			p.dups[name] = true
		}
		p.files[name] = f
		l := strings.ToLower(name)
		p.lower[l] = append(p.lower[l], f)
	}
	return p
}

func normName(name string) string {
	return strings.TrimLeft(strings.ReplaceAll(name, "\\", "/"), "/")
}

// find returns the zip entry of a part: by exact name, else by the
// case-insensitive name when only one entry has it (OPC part names are
// case-insensitive).
func (p *pkg) find(name string) (*zip.File, error) {
	name = normName(name)
	if p.dups[name] {
		return nil, fmt.Errorf("%w: the zip archive holds part %s more than once", ErrNotWorkbook, name)
	}
	if f, ok := p.files[name]; ok {
		return f, nil
	}
	switch fs := p.lower[strings.ToLower(name)]; len(fs) {
	case 0:
		return nil, nil
	case 1:
		return fs[0], nil
	}
	return nil, fmt.Errorf("%w: the zip archive holds several parts named %s (differing in case)", ErrNotWorkbook, name)
}

// count records that n more bytes of part name were inflated, in the
// stream's read number at (the total bytes this stream inflated).
func (p *pkg) count(name string, at int64) error {
	if at > p.lim.MaxPartSize {
		return fmt.Errorf("part %s: %w: more than %d bytes decompressed", name, ErrTooLarge, p.lim.MaxPartSize)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if prev := p.partMax[name]; at > prev {
		p.total += at - prev
		p.partMax[name] = at
	}
	if p.total > p.lim.MaxTotalSize {
		return fmt.Errorf("part %s: %w: the workbook decompresses to more than %d bytes", name, ErrTooLarge, p.lim.MaxTotalSize)
	}
	return nil
}

// countingReader counts the bytes inflated from a part against the limits.
type countingReader struct {
	r    io.Reader
	p    *pkg
	name string
	n    int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	if n > 0 {
		c.n += int64(n)
		if cerr := c.p.count(c.name, c.n); cerr != nil {
			return n, cerr
		}
	}
	return n, err
}

type chunk struct {
	data []byte // tuning.prefix free bytes, then up to tuning.chunk bytes read
	n    int
	err  error // io.EOF after the last bytes, or a read error
}

// stream is the inflated content of one part, offered to a parser as a
// window of bytes that grows at its end and drops consumed bytes at its
// start.
type stream struct {
	name string
	lim  Limits
	tun  tuning
	buf  []byte // the window
	base int64  // offset of buf[0] in the part
	eof  bool   // no bytes beyond buf

	rc       io.ReadCloser // the zip entry
	declared uint64        // the size its zip header declares

	// asynchronous inflation
	full chan *chunk
	free chan *chunk
	done chan struct{}
	cur  *chunk // chunk the window lies in, if any
	big  []byte // window storage when the carried tail does not fit a prefix
	wg   sync.WaitGroup
}

// open starts inflating a part. The caller must close the stream.
func (p *pkg) open(name string, f *zip.File) (*stream, error) {
	rc, err := f.Open()
	if err != nil {
		if errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrAlgorithm) {
			return nil, fmt.Errorf("part %s: %w: %v", name, ErrNotWorkbook, err)
		}
		return nil, fmt.Errorf("part %s: %w", name, err)
	}
	st := &stream{name: name, lim: p.lim, tun: p.tun, rc: rc, declared: f.UncompressedSize64}
	var r io.Reader = &countingReader{r: rc, p: p, name: name}
	br := bufio.NewReaderSize(r, 4096)
	head, _ := br.Peek(4)
	if enc := utf16Of(head); enc != nil {
		r = transform.NewReader(br, enc.NewDecoder())
	} else {
		r = br
	}
	if f.UncompressedSize64 < p.tun.sync {
		data, err := io.ReadAll(r)
		if err != nil {
			rc.Close()
			return nil, st.wrap(err)
		}
		st.buf, st.eof = data, true
		return st, nil
	}
	st.full = make(chan *chunk, nChunks)
	st.free = make(chan *chunk, nChunks)
	st.done = make(chan struct{})
	for range nChunks {
		st.free <- &chunk{data: make([]byte, p.tun.prefix+p.tun.chunk)}
	}
	st.wg.Add(1)
	go st.inflate(r)
	return st, nil
}

// utf16Of detects a UTF-16 XML part by its byte-order mark or by the
// encoding of "<?".
func utf16Of(head []byte) encoding.Encoding {
	switch {
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
	case bytes.HasPrefix(head, []byte{0, '<', 0, '?'}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	case bytes.HasPrefix(head, []byte{'<', 0, '?', 0}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	}
	return nil
}

// inflate runs in its own goroutine: it fills free chunks and queues them.
func (st *stream) inflate(r io.Reader) {
	defer st.wg.Done()
	defer close(st.full)
	for {
		var c *chunk
		select {
		case c = <-st.free:
		case <-st.done:
			return
		}
		n, err := io.ReadFull(r, c.data[st.tun.prefix:])
		if err == io.ErrUnexpectedEOF {
			err = io.EOF
		}
		c.n, c.err = n, err
		select {
		case st.full <- c:
		case <-st.done:
			return
		}
		if err != nil {
			return
		}
	}
}

// more drops the window's bytes before keep and appends the next bytes of
// the part. It returns io.EOF, leaving the window as it was, when the part
// has no more bytes.
//
// A tail longer than a chunk's free prefix (a long row) goes to a separate
// buffer, and then more appends chunks until the new bytes are at least as
// many as the tail: the caller re-reads the tail after each call, and this
// keeps the total work linear in the size of the element however small the
// chunks.
func (st *stream) more(keep int) error {
	if st.eof {
		return io.EOF
	}
	tail := st.buf[keep:]
	if len(tail) > st.lim.MaxRowBytes {
		return fmt.Errorf("part %s at byte %d: %w: an element longer than %d bytes", st.name, st.base+int64(keep), ErrTooLarge, st.lim.MaxRowBytes)
	}
	pre := st.tun.prefix
	grown := false // st.big holds the tail and some new bytes
	for {
		c, ok := <-st.full
		if ok && c.err != nil && c.err != io.EOF {
			return st.wrap(c.err)
		}
		if !ok || c.n == 0 {
			if ok {
				st.free <- c
			}
			st.eof = true
			if !grown {
				return io.EOF
			}
			break
		}
		if len(tail) <= pre && !grown {
			copy(c.data[pre-len(tail):], tail)
			if st.cur != nil {
				st.free <- st.cur
			}
			st.cur = c
			st.base += int64(keep)
			st.buf = c.data[pre-len(tail) : pre+c.n]
			st.eof = c.err == io.EOF
			return nil
		}
		if !grown {
			st.big = append(st.big[:0], tail...)
			if st.cur != nil {
				st.free <- st.cur
				st.cur = nil
			}
			grown = true
		}
		st.big = append(st.big, c.data[pre:pre+c.n]...)
		last := c.err == io.EOF
		st.free <- c // c belongs to the inflating goroutine from here on
		if last {
			st.eof = true
			break
		}
		if len(st.big) >= 2*len(tail) {
			break
		}
	}
	st.base += int64(keep)
	st.buf = st.big
	return nil
}

// wrap adds the part name to an error; a posError also gets its offset.
// Damaged zip data (a checksum that fails, a part larger or smaller than
// its header says, corrupt deflate data) is ErrNotWorkbook and ErrDamaged.
func (st *stream) wrap(err error) error {
	var pe *posError
	if errors.As(err, &pe) {
		return fmt.Errorf("part %s at byte %d: %w: %s", st.name, st.base+int64(pe.pos), pe.kind, pe.msg)
	}
	if errors.Is(err, ErrTooLarge) {
		return err
	}
	var corrupt kflate.CorruptInputError
	var what string
	switch {
	case errors.Is(err, zip.ErrFormat):
		// archive/zip stops a part that inflates past its declared size
		what = fmt.Sprintf("it decompresses to more than the %d bytes its header declares (a zip bomb or a corrupt file)", st.declared)
	case errors.Is(err, zip.ErrChecksum):
		what = "it fails its checksum (the file is corrupt or was cut short)"
	case errors.Is(err, io.ErrUnexpectedEOF):
		what = fmt.Sprintf("it holds fewer bytes than the %d its header declares (the file is corrupt or was cut short)", st.declared)
	case errors.As(err, &corrupt):
		what = fmt.Sprintf("its compressed data is corrupt (%v)", err)
	default:
		return fmt.Errorf("part %s: %w", st.name, err)
	}
	return fmt.Errorf("part %s: %w: %w: %s", st.name, ErrNotWorkbook, ErrDamaged, what)
}

func (st *stream) close() error {
	if st.done != nil {
		close(st.done)
		st.wg.Wait()
		st.done = nil
	}
	if st.rc != nil {
		err := st.rc.Close()
		st.rc = nil
		return err
	}
	return nil
}

// prolog skips a byte-order mark, the XML declaration, comments,
// processing instructions and white space before the root element, and
// returns the position of the root element's '<'. The declaration must not
// name an encoding other than UTF-8 (UTF-16 parts were converted already).
func (st *stream) prolog(sc *scanner) (int, error) {
	i := 0
	for {
		sc.b = st.buf
		j, err := st.prologIn(sc, i)
		if err == errMore {
			if err := st.more(0); err != nil {
				if err == io.EOF {
					return 0, st.wrap(synErr(len(st.buf), "no root element"))
				}
				return 0, err
			}
			continue
		}
		if err != nil {
			return 0, st.wrap(err)
		}
		return j, nil
	}
}

func (st *stream) prologIn(sc *scanner, i int) (int, error) {
	b := sc.b
	if st.base == 0 && bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		i = 3
	} else if st.base == 0 && len(b) < 3 && bytes.HasPrefix([]byte("\xEF\xBB\xBF"), b) {
		return 0, errMore
	}
	for {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			return 0, errMore
		}
		if b[i] != '<' {
			return 0, synErr(i, "text before the root element")
		}
		kind, err := sc.peek(i)
		if err != nil {
			return 0, err
		}
		switch kind {
		case mkStart:
			return i, nil
		case mkPI:
			j, err := sc.skipSpecial(i, kind)
			if err != nil {
				return 0, err
			}
			if bytes.HasPrefix(b[i:], []byte("<?xml")) && (isSpace(b[i+5]) || b[i+5] == '?') {
				if err := checkEncoding(b[i:j], i); err != nil {
					return 0, err
				}
			}
			i = j
		case mkComment:
			if i, err = sc.skipSpecial(i, kind); err != nil {
				return 0, err
			}
		default:
			return 0, synErr(i, "unexpected markup before the root element")
		}
	}
}

// checkEncoding reads the encoding of an XML declaration.
func checkEncoding(decl []byte, pos int) error {
	k := bytes.Index(decl, []byte("encoding"))
	if k < 0 {
		return nil
	}
	rest := bytes.TrimLeft(decl[k+len("encoding"):], " \t\r\n")
	if len(rest) == 0 || rest[0] != '=' {
		return nil
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) == 0 || rest[0] != '"' && rest[0] != '\'' {
		return nil
	}
	e := bytes.IndexByte(rest[1:], rest[0])
	if e < 0 {
		return nil
	}
	enc := strings.ToLower(string(rest[1 : 1+e]))
	switch enc {
	case "utf-8", "utf8", "utf-16", "utf-16le", "utf-16be", "unicode", "us-ascii", "ascii":
		return nil
	}
	return &posError{pos: pos, kind: ErrInvalid, msg: fmt.Sprintf("unsupported XML encoding %q (want UTF-8 or UTF-16)", enc)}
}

// relsName returns the name of the relationships part of a part.
func relsName(part string) string {
	dir, base := path.Split(part)
	return dir + "_rels/" + base + ".rels"
}

// resolveTarget resolves a relationship target against its source part.
func resolveTarget(source, target string) string {
	target = strings.ReplaceAll(target, "\\", "/")
	if !strings.HasPrefix(target, "/") {
		target = path.Dir(source) + "/" + target
	}
	return strings.TrimPrefix(path.Clean("/"+target), "/")
}
