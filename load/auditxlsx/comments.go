package auditxlsx

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Comments are written as Excel writes them: a comments part with the
// text, and a VML drawing with a hidden note shape per comment, which the
// worksheet names in its legacyDrawing element. A sheet that already has
// comments keeps them (a cell the copy annotates gets its old text first,
// then the audit's) in a new drawing that its legacyDrawing then names:
// other legacy shapes of the old drawing (form controls) are not shown.

// run is a piece of comment text.
type run struct {
	text string
	bold bool
}

// commentPlan is what the copy writes for the comments of one sheet.
type commentPlan struct {
	part     string // the comments part
	vml      string // the VML drawing part
	vmlID    string // the sheet's relationship to the drawing
	newRels  bool   // the sheet had no relationships part
	rels     []rel  // the sheet's relationships as written
	authors  []string
	author   int // our author's index
	kept     []keptComment
	comments []cellComment // sorted by position
	block    int           // first VML shape id block
}

// keptComment is a comment of the source, written back as it was.
type keptComment struct {
	ref    string
	pos    cellPos
	author int
	inner  []byte // the text element's content, when it can be kept as is
	text   string // its plain text otherwise
}

type cellComment struct {
	pos  cellPos
	runs []run
}

type xmlComments struct {
	Authors []string `xml:"authors>author"`
	List    []struct {
		Ref      string `xml:"ref,attr"`
		AuthorID int    `xml:"authorId,attr"`
		Text     struct {
			Inner []byte   `xml:",innerxml"`
			T     []string `xml:"t"`
			R     []struct {
				T string `xml:"t"`
			} `xml:"r"`
		} `xml:"text"`
	} `xml:"commentList>comment"`
}

// planSheetComments plans the comments of sheet sh: merged with the
// source's comments part when there is one.
func (b *build) planSheetComments(sh *sheet, block int) (*commentPlan, error) {
	cp := &commentPlan{rels: slices.Clone(b.relsOf[sh.part]), block: block}
	if f, _ := b.p.find(relsName(sh.part)); f == nil {
		cp.newRels = true
	}
	taken := map[string]bool{}
	for _, r := range cp.rels {
		if r.external() {
			continue
		}
		f, name := b.p.find(resolve(sh.part, r.Target))
		if f == nil {
			continue
		}
		switch {
		case strings.HasSuffix(r.Type, "/comments") && cp.part == "":
			data, err := b.p.read(f)
			if err != nil {
				return nil, err
			}
			if err := cp.readComments(data); err != nil {
				return nil, fmt.Errorf("part %s: %w", name, err)
			}
			cp.part = name
			b.replace[strings.ToLower(name)] = true
		}
	}
	if cp.part == "" {
		cp.part = b.unusedName(partDir(b.workbook), "comments", ".xml", taken)
		cp.rels = append(cp.rels, rel{ID: unusedID(cp.rels, "rIdTradeetlC"), Type: relComments, Target: relTarget(sh.part, cp.part)})
	}
	// A drawing of our own, with a shape for every comment, kept ones
	// included; the sheet's legacyDrawing names it (the source's drawing
	// stays in the package, unnamed: a header's drawing shares its type).
	cp.vml = b.unusedName(partDir(b.workbook)+"drawings/", "vmlDrawing", ".vml", taken)
	cp.vmlID = unusedID(cp.rels, "rIdTradeetlV")
	cp.rels = append(cp.rels, rel{ID: cp.vmlID, Type: relVML, Target: relTarget(sh.part, cp.vml)})
	cp.author = slices.Index(cp.authors, Author)
	if cp.author < 0 {
		cp.authors = append(cp.authors, Author)
		cp.author = len(cp.authors) - 1
	}
	kept := cp.kept[:0]
	for _, k := range cp.kept {
		n := sh.notes[k.pos]
		if n == nil {
			kept = append(kept, k)
			continue
		}
		// the cell's own comment comes first
		old := k.text
		if k.inner != nil {
			old = plainText(k.inner)
		}
		n.prefix = old
	}
	cp.kept = kept
	for pos, n := range sh.notes {
		runs := n.text()
		if n.prefix != "" {
			runs = append([]run{{text: n.prefix + "\n\n"}}, runs...)
		}
		cp.comments = append(cp.comments, cellComment{pos: pos, runs: runs})
	}
	slices.SortFunc(cp.comments, func(a, b cellComment) int { return cmp.Compare(a.pos, b.pos) })
	return cp, nil
}

// readComments reads the source's comments of a sheet.
func (cp *commentPlan) readComments(data []byte) error {
	var c xmlComments
	if err := xml.Unmarshal(data, &c); err != nil {
		return err
	}
	cp.authors = c.Authors
	prefixed := rootPrefixed(data)
	for _, x := range c.List {
		pos, ok := parseCell(x.Ref)
		if !ok {
			continue
		}
		k := keptComment{ref: x.Ref, pos: pos, author: x.AuthorID}
		if prefixed {
			k.text = strings.Join(x.Text.T, "")
			for _, r := range x.Text.R {
				k.text += r.T
			}
		} else {
			k.inner = x.Text.Inner
		}
		cp.kept = append(cp.kept, k)
	}
	return nil
}

// rootPrefixed reports whether the root element of a part has a namespace
// prefix: its inner markup then cannot be copied under our root.
func rootPrefixed(data []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.RawToken()
		if err != nil {
			return true
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Space != ""
		}
	}
}

// plainText is the text of a rich text element's content.
func plainText(inner []byte) string {
	d := xml.NewDecoder(bytes.NewReader(inner))
	var sb strings.Builder
	depthRPh := 0
	inT := false
	for {
		tok, err := d.Token()
		if err != nil {
			return sb.String()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "rPh":
				depthRPh++
			case "t":
				inT = depthRPh == 0
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "rPh":
				depthRPh--
			case "t":
				inT = false
			}
		case xml.CharData:
			if inT {
				sb.Write(t)
			}
		}
	}
}

// writeComments writes the comments part.
func (cp *commentPlan) writeComments(w *bufio.Writer) error {
	w.WriteString(xml.Header)
	w.WriteString(`<comments xmlns="` + nsMain + `"><authors>`)
	for _, a := range cp.authors {
		w.WriteString(`<author>`)
		writeText(w, a)
		w.WriteString(`</author>`)
	}
	w.WriteString(`</authors><commentList>`)
	for _, k := range cp.kept {
		fmt.Fprintf(w, `<comment ref="%s" authorId="%d"><text>`, attrEscape(k.ref), k.author)
		if k.inner != nil {
			w.Write(k.inner)
		} else {
			w.WriteString(`<t xml:space="preserve">`)
			writeText(w, k.text)
			w.WriteString(`</t>`)
		}
		w.WriteString(`</text></comment>`)
	}
	for _, c := range cp.comments {
		fmt.Fprintf(w, `<comment ref="%s" authorId="%d"><text>`, c.pos, cp.author)
		left := maxCellText
		for _, r := range c.runs {
			text := truncate(r.text, left)
			left -= len(text)
			w.WriteString(`<r><rPr>`)
			if r.bold {
				w.WriteString(`<b/>`)
			}
			w.WriteString(`<sz val="9"/><rFont val="Tahoma"/></rPr><t xml:space="preserve">`)
			writeText(w, text)
			w.WriteString(`</t></r>`)
		}
		w.WriteString(`</text></comment>`)
	}
	_, err := w.WriteString(`</commentList></comments>`)
	return err
}

// writeVML writes the drawing with a hidden note shape per comment.
func (cp *commentPlan) writeVML(w *bufio.Writer) error {
	n := len(cp.kept) + len(cp.comments)
	var blocks []string
	for i := 0; i <= n/1000; i++ {
		blocks = append(blocks, strconv.Itoa(cp.block+i))
	}
	w.WriteString(`<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">`)
	fmt.Fprintf(w, `<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="%s"/></o:shapelayout>`, strings.Join(blocks, ","))
	w.WriteString(`<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>`)
	i := 0
	shape := func(pos cellPos, textLen int) {
		id := (cp.block+i/1000)*1024 + 1 + i%1000
		i++
		r0, c0 := pos.row()-1, pos.col()-1
		rows := min(20, 4+textLen/120)
		top := max(r0-1, 0)
		fmt.Fprintf(w, `<v:shape id="_x0000_s%d" type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:240pt;height:%dpt;z-index:%d;visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">`, id, rows*15, i)
		w.WriteString(`<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>`)
		fmt.Fprintf(w, `<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>%d, 15, %d, 2, %d, 15, %d, 16</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>%d</x:Row><x:Column>%d</x:Column></x:ClientData></v:shape>`,
			c0+1, top, c0+5, top+rows, r0, c0)
	}
	for _, k := range cp.kept {
		shape(k.pos, len(k.inner)+len(k.text))
	}
	for _, c := range cp.comments {
		l := 0
		for _, r := range c.runs {
			l += len(r.text)
		}
		shape(c.pos, l)
	}
	_, err := w.WriteString(`</xml>`)
	return err
}

// maxCellText is Excel's limit on the text of a cell (and of a comment).
const maxCellText = 32_767

// truncate cuts s to at most n bytes at a character boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	for n > 0 && n < len(s) && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n]
}

// writeText writes s as XML character data, with the characters XML 1.0
// does not allow (control characters, invalid UTF-8) replaced by U+FFFD.
func writeText(bw io.StringWriter, s string) {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x80 && c != '&' && c != '<' && c != '>' && c != '"' {
			i++
			continue
		}
		r, size := rune(c), 1
		if c >= 0x80 {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		var esc string
		switch {
		case r == '&':
			esc = "&amp;"
		case r == '<':
			esc = "&lt;"
		case r == '>':
			esc = "&gt;"
		case r == '"':
			esc = "&quot;"
		case r == '\n' || r == '\t':
			i += size
			continue
		case r == '\r':
			esc = "&#13;"
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF || r == utf8.RuneError && size == 1:
			esc = "\uFFFD"
		default:
			i += size
			continue
		}
		bw.WriteString(s[start:i])
		bw.WriteString(esc)
		i += size
		start = i
	}
	bw.WriteString(s[start:])
}

// attrEscape escapes s for an attribute value.
func attrEscape(s string) string {
	var sb strings.Builder
	writeText(&sb, s)
	return attrWhitespace.Replace(sb.String())
}

// attrWhitespace keeps newlines and tabs of attribute values (a parser
// would read them as spaces).
var attrWhitespace = strings.NewReplacer("\n", "&#10;", "\t", "&#9;")
