package extract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// ErrDamaged is wrapped by errors for workbooks whose zip container or XML
// parts are broken: truncated, corrupt, or not well-formed.
var ErrDamaged = errors.New("the workbook is damaged")

// ErrHostile is wrapped by errors for workbooks built to attack their
// reader: XML entity declarations (entity bombs, external entities).
var ErrHostile = errors.New("the workbook looks hostile")

// readPart reports whether a part is one whose XML a workbook reader
// reads besides the worksheets: it must be well-formed and free of DOCTYPE
// declarations.
func readPart(name string) bool {
	switch name {
	case "xl/workbook.xml", "xl/styles.xml", "xl/sharedstrings.xml",
		"xl/_rels/workbook.xml.rels", "[content_types].xml", "_rels/.rels":
		return true
	}
	return false
}

// isWorksheet reports whether a part (normalised name) is a worksheet.
func isWorksheet(name string) bool {
	return strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml")
}

// checkPackage inspects the zip container of a workbook before its parts
// are read, so that a broken or hostile file is refused with a clear
// reason and never read into memory:
//
//   - the file and the sum of its parts' declared decompressed sizes must
//     stay within lim.MaxUnzipSize (a zip bomb is refused from its
//     directory alone);
//   - every part but the worksheets is decompressed once into a counter,
//     never into memory: a part that expands past its declared size (a zip
//     bomb with lying headers) or fails its checksum (a truncated or
//     corrupt file) is refused after at most its declared size; the small
//     XML parts read with the worksheets must start and end like XML and
//     declare no DOCTYPE (entity bombs, external entities);
//   - an empty zip, an OpenDocument or Word file renamed .xlsx, and a zip
//     without a workbook are named as such.
//
// Worksheets, by far the largest parts, are not decompressed here: the
// sheet reader (package xlsxscan) checks the same while it streams them —
// bytes counted against the limits as they are inflated, the declared size
// and the checksum at the end of the part, the XML parsed whole — so that
// a large sheet is inflated once, not twice.
func checkPackage(filePath string, lim Limits) error {
	st, err := os.Stat(filePath)
	if err != nil {
		return err
	}
	if st.Size() > lim.MaxUnzipSize {
		return fmt.Errorf("%w: the file is %s, more than the %s limit (--max-unzip-size)", ErrTooLarge, byteSize(uint64(st.Size())), byteSize(uint64(lim.MaxUnzipSize)))
	}
	zr, err := zip.OpenReader(filePath)
	if err != nil {
		return fmt.Errorf("%w: the zip archive is truncated or corrupt (%v)", ErrDamaged, err)
	}
	defer zr.Close()
	if len(zr.File) == 0 {
		return fmt.Errorf("%w: the zip archive is empty", ErrNotWorkbook)
	}
	files := map[string]*zip.File{}
	var total uint64
	limit := uint64(lim.MaxUnzipSize)
	for _, f := range zr.File {
		name := normPart(f.Name)
		if _, dup := files[name]; dup && !strings.HasSuffix(name, "/") {
			return fmt.Errorf("%w: the zip archive holds the part %s twice", ErrDamaged, f.Name)
		}
		files[name] = f
		if f.UncompressedSize64 > limit || total+f.UncompressedSize64 > limit {
			return fmt.Errorf("%w: its parts decompress to more than the %s limit (--max-unzip-size); a zip bomb or a very large workbook", ErrTooLarge, byteSize(limit))
		}
		total += f.UncompressedSize64
	}
	if err := identify(files); err != nil {
		return err
	}
	for _, f := range zr.File {
		name := normPart(f.Name)
		if strings.HasSuffix(name, "/") || isWorksheet(name) {
			continue
		}
		if err := verifyPart(f, name); err != nil {
			return err
		}
	}
	return nil
}

// identify names what a zip without a workbook is.
func identify(files map[string]*zip.File) error {
	if files["xl/workbook.xml"] != nil {
		return nil
	}
	if f, ok := files["mimetype"]; ok {
		if b, err := readSmall(f, 200); err == nil {
			switch {
			case bytes.Contains(b, []byte("opendocument.spreadsheet")):
				return fmt.Errorf("%w: this is an OpenDocument spreadsheet (.ods) named .xlsx; save it as .xlsx", ErrNotWorkbook)
			case bytes.Contains(b, []byte("opendocument")):
				return fmt.Errorf("%w: this is an OpenDocument file (%s), not a spreadsheet", ErrNotWorkbook, strings.TrimSpace(string(b)))
			}
		}
	}
	switch {
	case files["word/document.xml"] != nil:
		return fmt.Errorf("%w: this is a Word document (.docx), not a workbook", ErrNotWorkbook)
	case files["ppt/presentation.xml"] != nil:
		return fmt.Errorf("%w: this is a PowerPoint presentation (.pptx), not a workbook", ErrNotWorkbook)
	}
	if target := officeDocument(files); target != "" && files[normPart(target)] != nil {
		// a workbook part elsewhere than xl/workbook.xml: unusual, and
		// the reader follows the relationship to it
		return nil
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	names = names[:min(len(names), 3)]
	return fmt.Errorf("%w: the zip archive holds no workbook (no xl/workbook.xml; it holds %s…)", ErrNotWorkbook, strings.Join(names, ", "))
}

// officeDocument returns the target of the package's officeDocument
// relationship, if _rels/.rels names one.
func officeDocument(files map[string]*zip.File) string {
	f := files["_rels/.rels"]
	if f == nil {
		return ""
	}
	b, err := readSmall(f, 1<<20)
	if err != nil {
		return ""
	}
	var rels relationships
	if xml.Unmarshal(b, &rels) != nil {
		return ""
	}
	for _, r := range rels.Rel {
		if strings.HasSuffix(r.Type, "/officeDocument") {
			return strings.TrimPrefix(r.Target, "/")
		}
	}
	return ""
}

// normPart normalises a zip entry name: forward slashes, lower case (part
// names are case-insensitive in OPC).
func normPart(name string) string {
	return strings.ToLower(strings.ReplaceAll(name, "\\", "/"))
}

// verifyPart decompresses one part into a counter and checks its size, its
// checksum and, for the small XML parts read with the worksheets, its first
// and last bytes.
func verifyPart(f *zip.File, name string) error {
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("%w: part %s cannot be opened (%v)", ErrDamaged, f.Name, err)
	}
	defer rc.Close()
	s := &partSink{keep: readPart(name)}
	n, err := io.Copy(s, rc)
	return verified(f, s, n, err)
}

func verified(f *zip.File, s *partSink, n int64, err error) error {
	switch {
	case errors.Is(err, zip.ErrFormat):
		// archive/zip stops a part at its declared size with ErrFormat
		return fmt.Errorf("%w: part %s decompresses to more than the %d bytes its header declares (a zip bomb or a corrupt file); refused", ErrDamaged, f.Name, f.UncompressedSize64)
	case errors.Is(err, zip.ErrChecksum):
		return fmt.Errorf("%w: part %s fails its checksum (the file is corrupt or was cut short)", ErrDamaged, f.Name)
	case err != nil:
		return fmt.Errorf("%w: part %s cannot be decompressed (%v)", ErrDamaged, f.Name, err)
	case uint64(n) != f.UncompressedSize64:
		return fmt.Errorf("%w: part %s holds %d bytes, not the %d its header declares", ErrDamaged, f.Name, n, f.UncompressedSize64)
	}
	if s.keep {
		return checkXML(f.Name, s.head, s.tail)
	}
	return nil
}

// partSink counts bytes and keeps the first and last ones.
type partSink struct {
	keep bool
	head []byte
	tail []byte
}

const sinkHead, sinkTail = 4096, 256

func (s *partSink) Write(p []byte) (int, error) {
	if !s.keep {
		return len(p), nil
	}
	if len(s.head) < sinkHead {
		s.head = append(s.head, p[:min(len(p), sinkHead-len(s.head))]...)
	}
	if len(p) >= sinkTail {
		s.tail = append(s.tail[:0], p[len(p)-sinkTail:]...)
	} else {
		s.tail = append(s.tail, p...)
		if len(s.tail) > sinkTail {
			s.tail = append(s.tail[:0], s.tail[len(s.tail)-sinkTail:]...)
		}
	}
	return len(p), nil
}

// checkXML checks the first and last bytes of an XML part.
func checkXML(name string, head, tail []byte) error {
	if len(head) == 0 {
		return fmt.Errorf("%w: part %s is empty", ErrDamaged, name)
	}
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) ||
		len(head) > 1 && (head[0] == 0 || head[1] == 0) {
		return nil // UTF-16: the reader converts it, then parses it whole
	}
	if bytes.Contains(bytes.ToUpper(head), []byte("<!DOCTYPE")) || bytes.Contains(bytes.ToUpper(head), []byte("<!ENTITY")) {
		return fmt.Errorf("%w: part %s declares a DOCTYPE (entity expansion or external entities); refused", ErrHostile, name)
	}
	h := bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF})
	h = bytes.TrimLeft(h, " \t\r\n")
	if bytes.HasPrefix(h, []byte("<?xml")) {
		decl := bytes.Index(h, []byte("?>"))
		if decl < 0 {
			return fmt.Errorf("%w: part %s is not well-formed XML (unterminated declaration)", ErrDamaged, name)
		}
		switch enc := declEncoding(h[:decl]); enc {
		case "", "utf-8", "utf8", "us-ascii", "ascii", "utf-16", "utf-16le", "utf-16be", "unicode":
		default:
			return fmt.Errorf("%w: part %s declares the encoding %q; tradeetl reads UTF-8 and UTF-16 parts only; re-save the file from Excel or LibreOffice", ErrNotWorkbook, name, enc)
		}
		h = bytes.TrimLeft(h[decl+2:], " \t\r\n")
	}
	if len(h) > 0 && h[0] != '<' {
		return fmt.Errorf("%w: part %s is not well-formed XML (text %q before its root element)", ErrDamaged, name, clip(h, 20))
	}
	t := bytes.TrimRight(tail, " \t\r\n\x00")
	if len(t) == 0 || t[len(t)-1] != '>' {
		return fmt.Errorf("%w: part %s is cut short (it ends in %q, not a closing tag)", ErrDamaged, name, clip(t[max(0, len(t)-20):], 20))
	}
	return nil
}

func declEncoding(decl []byte) string {
	i := bytes.Index(decl, []byte("encoding="))
	if i < 0 || i+10 > len(decl) {
		return ""
	}
	q := decl[i+9]
	rest := decl[i+10:]
	j := bytes.IndexByte(rest, q)
	if j < 0 {
		return ""
	}
	return strings.ToLower(string(rest[:j]))
}

func clip(b []byte, n int) string {
	if len(b) > n {
		b = b[:n]
	}
	return string(b)
}

// readSmall reads a part of at most max bytes.
func readSmall(f *zip.File, max int64) ([]byte, error) {
	if f.UncompressedSize64 > uint64(max) {
		return nil, fmt.Errorf("part %s is larger than %d bytes", f.Name, max)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, max))
}

type relationships struct {
	Rel []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

// byteSize formats a byte count for messages: "1 GiB", "512 MiB", "3.2 KiB".
func byteSize(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	v := float64(n) / float64(div)
	s := fmt.Sprintf("%.1f", v)
	s = strings.TrimSuffix(s, ".0")
	return s + " " + []string{"KiB", "MiB", "GiB", "TiB", "PiB"}[exp]
}
