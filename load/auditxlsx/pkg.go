package auditxlsx

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/klauspost/compress/flate"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Relationship types and content types the annotated copy writes or
// follows.
const (
	nsRel          = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsPkgRel       = "http://schemas.openxmlformats.org/package/2006/relationships"
	nsMain         = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	relWorksheet   = nsRel + "/worksheet"
	relStyles      = nsRel + "/styles"
	relComments    = nsRel + "/comments"
	relVML         = nsRel + "/vmlDrawing"
	ctWorksheet    = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
	ctStyles       = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
	ctComments     = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
	ctVML          = "application/vnd.openxmlformats-officedocument.vmlDrawing"
	ctRels         = "application/vnd.openxmlformats-package.relationships+xml"
	contentTypes   = "[Content_Types].xml"
	packageRels    = "_rels/.rels"
	maxSmallPart   = 64 << 20 // parts read whole: workbook, styles, relationships, comments
	errLimitSuffix = "(--max-unzip-size)"
)

// pkg is the source package: its zip entries under their part names, and
// the limits every inflated byte counts against.
type pkg struct {
	ctx   context.Context
	zr    *zip.ReadCloser
	parts map[string]*zip.File // by lower-case part name; only entries whose name is a part name
	names map[string]string    // lower-case part name → the name written
	limit int64                // bytes that may be inflated in all
	total int64                // bytes inflated so far
}

func openPkg(ctx context.Context, src string, limit int64) (*pkg, error) {
	zr, err := zip.OpenReader(src)
	if err != nil {
		return nil, err
	}
	zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return flate.NewReader(r) })
	p := &pkg{ctx: ctx, zr: zr, parts: map[string]*zip.File{}, names: map[string]string{}, limit: limit}
	var declared uint64
	for _, f := range zr.File {
		declared += f.UncompressedSize64
		name, ok := partName(f.Name)
		if !ok {
			continue // never a part: skipped, and so never copied
		}
		k := strings.ToLower(name)
		if _, dup := p.parts[k]; dup {
			zr.Close()
			return nil, fmt.Errorf("the zip archive holds the part %s twice", name)
		}
		p.parts[k], p.names[k] = f, name
	}
	if declared > uint64(limit) {
		zr.Close()
		return nil, fmt.Errorf("its parts decompress to more than the %s limit %s", byteSize(limit), errLimitSuffix)
	}
	return p, nil
}

func (p *pkg) Close() error { return p.zr.Close() }

// partName returns the part name of a zip entry name, and false when the
// name is no valid part name: empty, a directory, absolute, with
// backslashes, "." or ".." segments, or control characters. Such entries
// (zip-slip names among them) are never copied.
func partName(name string) (string, bool) {
	if name == "" || strings.ContainsAny(name, "\\:") || strings.HasPrefix(name, "/") || strings.HasSuffix(name, "/") {
		return "", false
	}
	for _, seg := range strings.Split(name, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "", false
		}
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return "", false
		}
	}
	return name, true
}

// find returns the entry of a part and the name to write it under.
func (p *pkg) find(part string) (*zip.File, string) {
	k := strings.ToLower(part)
	return p.parts[k], p.names[k]
}

// limited wraps the reader of a part so that its bytes count against the
// package's limit.
type limited struct {
	r    io.Reader
	p    *pkg
	name string
	n    int64
}

func (l *limited) Read(b []byte) (int, error) {
	n, err := l.r.Read(b)
	l.p.total += int64(n)
	l.n += int64(n)
	if l.p.total > l.p.limit {
		return n, fmt.Errorf("part %s: the workbook decompresses to more than the %s limit %s", l.name, byteSize(l.p.limit), errLimitSuffix)
	}
	if l.n&(4<<20-1) < int64(n) { // about every 4 MiB
		if err := l.p.ctx.Err(); err != nil {
			return n, err
		}
	}
	return n, err
}

// open opens a part for reading; its bytes count against the limits and
// its checksum and size are checked at its end (archive/zip).
func (p *pkg) open(f *zip.File) (io.ReadCloser, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("part %s: %w", f.Name, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{utf8Reader(&limited{r: rc, p: p, name: f.Name}), rc}, nil
}

// utf8Reader returns r as UTF-8: a part written in UTF-16 (with or
// without a byte order mark, as the reader accepts) is decoded and its
// XML declaration made to say UTF-8, so that the copy writes it in UTF-8.
func utf8Reader(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	head, _ := br.Peek(4)
	var enc encoding.Encoding
	switch {
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}), bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		enc = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
	case bytes.HasPrefix(head, []byte("<\x00?\x00")):
		enc = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	case bytes.HasPrefix(head, []byte("\x00<\x00?")):
		enc = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	default:
		return br
	}
	dr := bufio.NewReader(transform.NewReader(br, enc.NewDecoder()))
	decl, _ := dr.Peek(256)
	if !bytes.HasPrefix(decl, []byte("<?xml")) {
		return dr
	}
	end := bytes.Index(decl, []byte("?>"))
	if end < 0 {
		return dr
	}
	fixed := utf16Decl.ReplaceAll(decl[:end], []byte(`encoding="UTF-8"`))
	dr.Discard(end)
	return io.MultiReader(bytes.NewReader(fixed), dr)
}

var utf16Decl = regexp.MustCompile(`(?i)encoding\s*=\s*["']utf-16[a-z]*["']`)

// read reads a small part whole.
func (p *pkg) read(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > maxSmallPart {
		return nil, fmt.Errorf("part %s is larger than %s", f.Name, byteSize(maxSmallPart))
	}
	rc, err := p.open(f)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxSmallPart+1))
	if err != nil {
		return nil, fmt.Errorf("part %s: %w", f.Name, err)
	}
	if len(b) > maxSmallPart {
		return nil, fmt.Errorf("part %s is larger than %s", f.Name, byteSize(maxSmallPart))
	}
	if bytes.Contains(b, []byte("<!DOCTYPE")) {
		return nil, fmt.Errorf("part %s: %w", f.Name, errDoctype)
	}
	return b, nil
}

// verify inflates a part it copies unchanged, counting its bytes against
// the limits and checking its checksum and declared size, so that the
// copy's headers are true.
func (p *pkg) verify(f *zip.File) error {
	rc, err := p.open(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	if _, err := io.Copy(io.Discard, rc); err != nil {
		return fmt.Errorf("part %s: %w", f.Name, err)
	}
	return nil
}

// rel is one relationship of a part.
type rel struct {
	ID         string `xml:"Id,attr"`
	Type       string `xml:"Type,attr"`
	Target     string `xml:"Target,attr"`
	TargetMode string `xml:"TargetMode,attr,omitempty"`
}

func (r rel) external() bool { return strings.EqualFold(r.TargetMode, "External") }

type rels struct {
	XMLName xml.Name `xml:"Relationships"`
	Rel     []rel    `xml:"Relationship"`
}

// relsOf reads the relationships of a part; none when it has no
// relationships part.
func (p *pkg) relsOf(part string) ([]rel, error) {
	f, _ := p.find(relsName(part))
	if f == nil {
		return nil, nil
	}
	b, err := p.read(f)
	if err != nil {
		return nil, err
	}
	var rs rels
	if err := xml.Unmarshal(b, &rs); err != nil {
		return nil, fmt.Errorf("part %s: %w", f.Name, err)
	}
	return rs.Rel, nil
}

// relsName returns the name of the relationships part of a part.
func relsName(part string) string {
	dir, base := path.Split(part)
	return dir + "_rels/" + base + ".rels"
}

// resolve resolves a relationship target against its source part, as the
// reader does: never above the package root.
func resolve(source, target string) string {
	target = strings.ReplaceAll(target, "\\", "/")
	if i := strings.IndexAny(target, "#?"); i >= 0 {
		target = target[:i]
	}
	if !strings.HasPrefix(target, "/") {
		target = path.Dir(source) + "/" + target
	}
	return strings.TrimPrefix(path.Clean("/"+target), "/")
}

// relTarget is the target of a relationship from part from to part to,
// relative to from's folder.
func relTarget(from, to string) string {
	fd := strings.Split(path.Dir(from), "/")
	if path.Dir(from) == "." {
		fd = nil
	}
	td := strings.Split(to, "/")
	i := 0
	for i < len(fd) && i < len(td)-1 && fd[i] == td[i] {
		i++
	}
	return strings.Repeat("../", len(fd)-i) + strings.Join(td[i:], "/")
}

// reachable returns the parts the workbook needs: every part reached from
// the package relationships through internal relationships, and their
// relationships parts, in the archive's order.
func (p *pkg) reachable() (parts []string, relsOf map[string][]rel, err error) {
	relsOf = map[string][]rel{}
	seen := map[string]bool{}
	queue := []string{""} // "" is the package itself
	for len(queue) > 0 {
		src := queue[0]
		queue = queue[1:]
		var rs []rel
		if src == "" {
			f, _ := p.find(packageRels)
			if f == nil {
				return nil, nil, errors.New("the package has no relationships (_rels/.rels)")
			}
			b, err := p.read(f)
			if err != nil {
				return nil, nil, err
			}
			var x rels
			if err := xml.Unmarshal(b, &x); err != nil {
				return nil, nil, fmt.Errorf("part %s: %w", packageRels, err)
			}
			rs = x.Rel
		} else if rs, err = p.relsOf(src); err != nil {
			return nil, nil, err
		}
		relsOf[src] = rs
		for _, r := range rs {
			if r.external() {
				continue
			}
			t := resolve(src+"/x", r.Target)
			if src != "" {
				t = resolve(src, r.Target)
			}
			f, name := p.find(t)
			if f == nil || seen[strings.ToLower(name)] {
				continue
			}
			seen[strings.ToLower(name)] = true
			queue = append(queue, name)
		}
	}
	seen[strings.ToLower(packageRels)] = true
	for k := range seen {
		if k == strings.ToLower(packageRels) {
			continue
		}
		if f, name := p.find(relsName(p.names[k])); f != nil {
			seen[strings.ToLower(name)] = true
		}
	}
	for _, f := range p.zr.File {
		if name, ok := partName(f.Name); ok && seen[strings.ToLower(name)] && p.parts[strings.ToLower(name)] == f {
			parts = append(parts, name)
		}
	}
	return parts, relsOf, nil
}

// omitted lists the entries of the archive that are not in parts.
func (p *pkg) omitted(parts []string) []string {
	keep := map[*zip.File]bool{}
	for _, n := range parts {
		f, _ := p.find(n)
		keep[f] = true
	}
	if f, _ := p.find(contentTypes); f != nil {
		keep[f] = true
	}
	var out []string
	for _, f := range p.zr.File {
		if !keep[f] && !strings.HasSuffix(f.Name, "/") {
			out = append(out, f.Name)
		}
	}
	sort.Strings(out)
	return out
}

// types is [Content_Types].xml.
type types struct {
	XMLName  xml.Name `xml:"http://schemas.openxmlformats.org/package/2006/content-types Types"`
	Default  []ctDefault
	Override []ctOverride
}

type ctDefault struct {
	Extension   string `xml:",attr"`
	ContentType string `xml:",attr"`
}

type ctOverride struct {
	PartName    string `xml:",attr"`
	ContentType string `xml:",attr"`
}

func (p *pkg) contentTypes() (*types, error) {
	f, _ := p.find(contentTypes)
	if f == nil {
		return nil, errors.New("the package has no [Content_Types].xml")
	}
	b, err := p.read(f)
	if err != nil {
		return nil, err
	}
	var t types
	if err := xml.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("part %s: %w", contentTypes, err)
	}
	return &t, nil
}

// byteSize formats a byte count for messages: "1 GiB", "512 MiB".
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	s := strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/float64(div)), ".0")
	return s + " " + []string{"KiB", "MiB", "GiB", "TiB", "PiB"}[exp]
}
