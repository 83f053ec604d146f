package auditxlsx

import (
	"bufio"
	"bytes"
	"sort"
	"strconv"
)

// afterLegacy are the children of a worksheet that come after
// legacyDrawing in the schema's order: the legacyDrawing the comments
// need goes before the first of them (or at the end).
var afterLegacy = map[string]bool{
	"legacyDrawingHF": true, "drawingHF": true, "picture": true, "oleObjects": true,
	"controls": true, "webPublishItems": true, "tableParts": true, "extLst": true,
}

// writeSheet streams a marked worksheet: each marked cell gets the style
// of its fill, and the sheet a legacyDrawing for the comments; every other
// byte is copied.
func (b *build) writeSheet(w *bufio.Writer, sh *sheet) error {
	f, _ := b.p.find(sh.part)
	rc, err := b.p.open(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	ra := newReadAhead(rc) // inflates on a goroutine of its own
	defer ra.Close()
	rw := newRewriter(ra, w)
	var (
		depth    int
		prefix   string
		inData   bool
		row, col int
		k        int // next mark
		last     cellPos
	)
	legacy := sh.comment != nil
	legacyEl := func(end string) []byte {
		return []byte("<" + prefix + `legacyDrawing xmlns:r="` + nsRel + `" r:id="` + sh.comment.vmlID + `"` + end)
	}
	insertLegacy := func() error {
		legacy = false
		return rw.insert(legacyEl("/>"))
	}
	// Inside sheetData only row and cell start tags matter: the rest
	// (values, strings, formulas) is copied without a look.
	rw.skip = func(b []byte) bool {
		if !inData || prefix != "" || len(b) < 5 {
			return false
		}
		switch b[1] {
		case 'c':
			return !delim(b[2])
		case 'r':
			return !(b[2] == 'o' && b[3] == 'w' && delim(b[4]))
		case '/':
			return !bytes.HasPrefix(b, []byte("</sheetData"))
		}
		return true
	}
	return rw.run(func(t *tag) error {
		if inData {
			// rows and cells are told by their names; depth is not
			// counted inside sheetData
			switch {
			case t.kind == tagEnd && t.is("sheetData"):
				inData = false
				depth = 1
			case t.kind == tagEnd || t.kind == tagOther:
			case t.is("row"):
				row++
				if v, ok := t.attr("r"); ok {
					if n, ok := parseUint(v); ok {
						row = n
					}
				}
				col = 0
			case t.is("c"):
				pos := posOf(row, col+1)
				if v, ok := t.attr("r"); ok {
					if p, ok := parseCell(v); ok {
						pos = p
					}
				}
				col = pos.col()
				if pos < last {
					// out of order: look the cell up afresh
					k = sort.Search(len(sh.marks), func(i int) bool { return sh.marks[i].pos >= pos })
				}
				last = pos
				for k < len(sh.marks) && sh.marks[k].pos < pos {
					k++
				}
				if k < len(sh.marks) && sh.marks[k].pos == pos {
					style := 0
					if v, ok := t.attr("s"); ok {
						style, _ = parseUint(v)
					}
					id := b.styles.marked(style, sh.marks[k].suspect)
					return rw.replace(withAttr(t.raw, "s", strconv.Itoa(id)))
				}
			}
			return nil
		}
		switch t.kind {
		case tagOther:
			return nil
		case tagEnd:
			depth--
			if depth == 0 && legacy {
				return insertLegacy()
			}
			return nil
		}
		switch depth {
		case 0:
			prefix = t.prefix()
		case 1:
			switch {
			case legacy && t.is("legacyDrawing"):
				// the source's comments: ours hold them too
				legacy = false
				end := ">"
				if t.kind == tagEmpty {
					end = "/>"
				}
				if err := rw.replace(legacyEl(end)); err != nil {
					return err
				}
			case legacy && afterLegacy[string(t.local())]:
				if err := insertLegacy(); err != nil {
					return err
				}
			}
			if t.kind == tagStart && t.is("sheetData") {
				inData = true
			}
		}
		if t.kind == tagStart {
			depth++
		}
		return nil
	})
}

// delim reports whether c ends an element name.
func delim(c byte) bool {
	return c == ' ' || c == '>' || c == '/' || c == '\t' || c == '\n' || c == '\r'
}

// parseUint reads a decimal number of at most 9 digits.
func parseUint(v []byte) (int, bool) {
	if len(v) == 0 || len(v) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
