package extract

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
)

// What a workbook file is, told from its bytes, not its name.
type workbookKind int

const (
	kindUnknown  workbookKind = iota
	kindZip                   // a zip archive: xlsx, or ods (see isODSPackage)
	kindOLE                   // an OLE compound file: .xls (BIFF8), or an encrypted xlsx
	kindFODS                  // flat OpenDocument XML
	kindBIFFBare              // a BIFF2–4 worksheet stream without a container
)

// sniffWorkbook tells a workbook's kind from the first bytes of its file;
// for what is not a workbook, what says what it is ("an HTML page").
func sniffWorkbook(head []byte) (kind workbookKind, what string) {
	switch {
	case bytes.HasPrefix(head, zipMagic), bytes.HasPrefix(head, emptyZipMagic):
		return kindZip, ""
	case bytes.HasPrefix(head, oleMagic):
		return kindOLE, ""
	case len(head) >= 4 && head[0] == 0x09 && (head[1] == 0x00 || head[1] == 0x02 || head[1] == 0x04) && head[3] == 0x00:
		return kindBIFFBare, "an Excel 2.x–4.0 worksheet (BIFF2–4)"
	}
	text := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	lower := bytes.ToLower(text)
	switch {
	case bytes.HasPrefix(lower, []byte("<?xml")) || bytes.HasPrefix(lower, []byte("<office:document")):
		switch {
		case bytes.Contains(head, []byte("urn:oasis:names:tc:opendocument:xmlns:office:1.0")) && bytes.Contains(head, []byte("office:document")):
			return kindFODS, ""
		case bytes.Contains(lower, []byte("urn:schemas-microsoft-com:office:spreadsheet")), bytes.Contains(lower, []byte("progid=\"excel.sheet\"")):
			return kindUnknown, "an Excel 2003 XML Spreadsheet (SpreadsheetML)"
		case bytes.Contains(lower, []byte("<html")):
			return kindUnknown, "an HTML page (a web page, or a portal's \"Excel\" export)"
		}
		return kindUnknown, "an XML document that is not a spreadsheet"
	case bytes.HasPrefix(lower, []byte("<!doctype html")), bytes.HasPrefix(lower, []byte("<html")),
		bytes.HasPrefix(lower, []byte("<table")), bytes.HasPrefix(lower, []byte("<head")),
		bytes.HasPrefix(lower, []byte("<meta")), bytes.HasPrefix(lower, []byte("<!--")) && bytes.Contains(lower, []byte("<html")):
		return kindUnknown, "an HTML page (a web page, or a portal's \"Excel\" export)"
	case bytes.HasPrefix(lower, []byte("mime-version:")):
		return kindUnknown, "a web archive (MHTML, \"single file web page\")"
	case bytes.HasPrefix(head, []byte("%PDF")):
		return kindUnknown, "a PDF document"
	case bytes.HasPrefix(head, []byte("{\\rtf")):
		return kindUnknown, "an RTF document"
	case bytes.HasPrefix(head, []byte("\x1f\x8b")):
		return kindUnknown, "gzip-compressed data"
	}
	return kindUnknown, ""
}

// isODSPackage reports whether a zip archive is an OpenDocument package:
// it has a mimetype part naming OpenDocument, or a content.xml and no
// xl/workbook.xml. A zip that cannot be read is not (the xlsx reader says
// why).
func isODSPackage(r io.ReaderAt, size int64) bool {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return false
	}
	var content, workbook bool
	for _, f := range zr.File {
		switch normPart(f.Name) {
		case "mimetype":
			if b, err := readSmall(f, 200); err == nil && bytes.HasPrefix(bytes.TrimSpace(b), []byte("application/vnd.oasis.opendocument.")) {
				return true
			}
		case "content.xml":
			content = true
		case "xl/workbook.xml", "[content_types].xml":
			workbook = true
		}
	}
	return content && !workbook
}

// workbookExt reports whether an extension is one of a workbook format
// tradeetl reads.
func workbookExt(ext string) bool {
	switch ext {
	case ".xlsx", ".xlsm", ".xls", ".ods", ".fods":
		return true
	}
	return false
}

// notAWorkbook is the error for a file named as a workbook whose bytes
// are something else.
func notAWorkbook(name string, head []byte, what string) error {
	switch {
	case len(head) == 0:
		return fmt.Errorf("open %s: %w: the file is empty", name, ErrNotWorkbook)
	case what != "":
		return fmt.Errorf("open %s: %w: this is %s, not a workbook; open it in a spreadsheet program and save it as .xlsx", name, ErrNotWorkbook, what)
	}
	return fmt.Errorf("open %s: %w: it is not a zip archive, OLE compound file or OpenDocument XML (starts with %q)", name, ErrNotWorkbook, head[:min(len(head), 8)])
}
