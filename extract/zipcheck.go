package extract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// ErrDamaged is wrapped by errors for workbooks whose zip container or XML
// parts are broken: truncated, corrupt, or not well-formed.
var ErrDamaged = errors.New("the workbook is damaged")

// ErrHostile is wrapped by errors for workbooks built to attack their
// reader: XML entity declarations (entity bombs, external entities).
var ErrHostile = errors.New("the workbook looks hostile")

// checkPackage inspects the zip container of a workbook before its parts
// are read, from its directory alone, so that a broken or hostile file is
// refused with a clear reason before anything is decompressed:
//
//   - the file and the sum of its parts' declared decompressed sizes must
//     stay within lim.MaxUnzipSize (a zip bomb with honest headers);
//   - a truncated file (no central directory) and a part given twice are
//     damaged;
//   - an empty zip, an OpenDocument, Word or PowerPoint file renamed
//     .xlsx, and a zip without a workbook are named as such.
//
// The parts themselves are checked by the reader (package xlsxscan) as it
// inflates them, once: bytes counted against the limits as they come
// (headers are not trusted, so a bomb with lying headers stops at the
// limit or at its declared size), the checksum and the declared size at
// the end of each part, the XML parsed whole with DOCTYPE refused.
// Parts the reader never reads (themes, document properties, images) are
// never decompressed.
func checkPackage(r io.ReaderAt, size int64, lim Limits) error {
	if size > lim.MaxUnzipSize {
		return fmt.Errorf("%w: the file is %s, more than the %s limit (--max-unzip-size)", ErrTooLarge, byteSize(uint64(size)), byteSize(uint64(lim.MaxUnzipSize)))
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return fmt.Errorf("%w: the zip archive is truncated or corrupt (%v)", ErrDamaged, err)
	}
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
	return identify(files)
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
