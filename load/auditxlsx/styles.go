package auditxlsx

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The styles part is rewritten with a few additions: two fills (red,
// orange) and a grey one, two fonts (bold, link) and, in cellXfs, the
// styles of the Findings sheet and one clone per (style, fill) of the
// marked cells — the cell's own style with the fill replaced. Everything
// else is kept byte for byte.

// sectionOrder is the order of a stylesheet's children (ECMA-376 §18.8).
var sectionOrder = []string{"numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles", "colors", "extLst"}

// sectionDefaults are the contents of the sections the copy needs when the
// source lacks them, and how many children they have.
var sectionDefaults = map[string]struct {
	xml string
	n   int
}{
	"fonts":        {`<font><sz val="11"/><name val="Calibri"/></font>`, 1},
	"fills":        {`<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>`, 2},
	"borders":      {`<border><left/><right/><top/><bottom/><diagonal/></border>`, 1},
	"cellStyleXfs": {`<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>`, 1},
	"cellXfs":      {`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>`, 1},
}

const defaultStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"></styleSheet>`

type styles struct {
	src     []byte
	prefix  string          // of the root
	present map[string]bool // sections the source has
	count   map[string]int  // children of each section
	xfs     [][]byte        // the source's cellXfs, raw

	fonts, fills []string // added
	xfsAdded     [][]byte
	cache        map[[2]int]int // (source style, suspect) → style

	red, orange int // fills
	head, link  int // Findings sheet styles
	redCell     int
	wrap        int
}

// planStyles reads the styles part (or takes an empty one) and adds the
// fills, fonts and styles the copy needs.
func (b *build) planStyles() error {
	src := []byte(defaultStyles)
	for _, r := range b.relsOf[b.workbook] {
		if strings.HasSuffix(r.Type, "/styles") && !r.external() {
			if f, name := b.p.find(resolve(b.workbook, r.Target)); f != nil {
				data, err := b.p.read(f)
				if err != nil {
					return err
				}
				src, b.stylesAt = data, name
			}
		}
	}
	if b.stylesAt == "" {
		b.newStyle = true
		b.stylesAt = b.unusedName(partDir(b.workbook), "styles", ".xml", map[string]bool{})
	}
	st, err := readStyles(src)
	if err != nil {
		return fmt.Errorf("part %s: %w", b.stylesAt, err)
	}
	b.styles = st
	return nil
}

func readStyles(src []byte) (*styles, error) {
	st := &styles{src: src, present: map[string]bool{}, count: map[string]int{}, cache: map[[2]int]int{}}
	rw := newRewriter(bytes.NewReader(src), bufio.NewWriter(io.Discard))
	depth, section, xfStart := 0, "", -1
	err := rw.run(func(t *tag) error {
		switch t.kind {
		case tagOther:
			return nil
		case tagEnd:
			depth--
			if depth == 2 && section == "cellXfs" && xfStart >= 0 {
				st.xfs = append(st.xfs, src[xfStart:rw.offset()])
				xfStart = -1
			}
			if depth == 1 {
				section = ""
			}
			return nil
		}
		switch depth {
		case 0:
			st.prefix = t.prefix()
		case 1:
			section = string(t.local())
			st.present[section] = true
			if t.kind == tagEmpty {
				section = ""
			}
		case 2:
			st.count[section]++
			if section == "cellXfs" && t.is("xf") {
				if t.kind == tagEmpty {
					st.xfs = append(st.xfs, src[rw.tagOffset():rw.offset()])
				} else {
					xfStart = rw.tagOffset()
				}
			}
		}
		if t.kind == tagStart {
			depth++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for name, d := range sectionDefaults {
		if !st.present[name] {
			st.count[name] = d.n
		}
	}
	if !st.present["cellXfs"] {
		st.xfs = append(st.xfs, []byte(sectionDefaults["cellXfs"].xml))
	}
	p := st.prefix
	addFill := func(color string) int {
		st.fills = append(st.fills, `<`+p+`fill><`+p+`patternFill patternType="solid"><`+p+`fgColor rgb="FF`+color+`"/><`+p+`bgColor indexed="64"/></`+p+`patternFill></`+p+`fill>`)
		return st.count["fills"] + len(st.fills) - 1
	}
	addFont := func(inner string) int {
		st.fonts = append(st.fonts, `<`+p+`font>`+inner+`</`+p+`font>`)
		return st.count["fonts"] + len(st.fonts) - 1
	}
	addXf := func(x string) int {
		st.xfsAdded = append(st.xfsAdded, []byte(x))
		return len(st.xfs) + len(st.xfsAdded) - 1
	}
	st.red, st.orange = addFill(SuspectFill), addFill(OperandFill)
	grey := addFill("DDDDDD")
	bold := addFont(`<` + p + `b/><` + p + `sz val="11"/><` + p + `name val="Calibri"/>`)
	link := addFont(`<` + p + `u/><` + p + `sz val="11"/><` + p + `color rgb="FF0563C1"/><` + p + `name val="Calibri"/>`)
	xf := func(font, fill int, extra string) string {
		return fmt.Sprintf(`<%sxf numFmtId="0" fontId="%d" fillId="%d" borderId="0" xfId="0"%s`, p, font, fill, extra)
	}
	st.head = addXf(xf(bold, grey, ` applyFont="1" applyFill="1"/>`))
	st.link = addXf(xf(link, 0, ` applyFont="1"/>`))
	st.redCell = addXf(xf(0, st.red, ` applyFill="1"/>`))
	st.wrap = addXf(xf(0, 0, ` applyAlignment="1"><`+p+`alignment vertical="top" wrapText="1"/></`+p+`xf>`))
	return st, nil
}

// marked returns the style of a marked cell whose own style is style: the
// same with the red or orange fill.
func (st *styles) marked(style int, suspect bool) int {
	k := [2]int{style, 0}
	if suspect {
		k[1] = 1
	}
	if id, ok := st.cache[k]; ok {
		return id
	}
	if style >= len(st.xfs) {
		style = 0 // a style the source does not have: its cell shows the default
	}
	fill := st.orange
	if suspect {
		fill = st.red
	}
	base := []byte(sectionDefaults["cellXfs"].xml)
	if len(st.xfs) > 0 {
		base = st.xfs[style]
	}
	n, _, _ := markupLen(base)
	if n <= 0 {
		n = len(base)
	}
	start := withAttr(withAttr(base[:n], "fillId", strconv.Itoa(fill)), "applyFill", "1")
	clone := append(start, base[n:]...)
	st.xfsAdded = append(st.xfsAdded, clone)
	id := len(st.xfs) + len(st.xfsAdded) - 1
	st.cache[k] = id
	return id
}

// writeStyles writes the styles part with the additions.
func (b *build) writeStyles(w *bufio.Writer) error {
	st := b.styles
	added := map[string]string{
		"fonts":   strings.Join(st.fonts, ""),
		"fills":   strings.Join(st.fills, ""),
		"cellXfs": string(bytes.Join(st.xfsAdded, nil)),
	}
	counts := map[string]int{
		"fonts":   st.count["fonts"] + len(st.fonts),
		"fills":   st.count["fills"] + len(st.fills),
		"borders": st.count["borders"],
		"cellXfs": len(st.xfs) + len(st.xfsAdded),
	}
	counts["cellStyleXfs"] = st.count["cellStyleXfs"]
	order := map[string]int{}
	for i, s := range sectionOrder {
		order[s] = i
	}
	inserted := map[string]bool{}
	rw := newRewriter(bytes.NewReader(st.src), w)
	// insertMissing adds, before the tag, the sections the source lacks
	// that come before position at (every one at the end).
	insertMissing := func(at int) error {
		var sb strings.Builder
		for _, s := range sectionOrder {
			d, needed := sectionDefaults[s]
			if !needed || st.present[s] || inserted[s] || order[s] >= at {
				continue
			}
			inserted[s] = true
			p := st.prefix
			fmt.Fprintf(&sb, `<%s%s count="%d">%s%s</%s%s>`, p, s, counts[s], withPrefix(d.xml, p), added[s], p, s)
		}
		if sb.Len() == 0 {
			return nil
		}
		return rw.insert([]byte(sb.String()))
	}
	depth := 0
	return rw.run(func(t *tag) error {
		switch t.kind {
		case tagOther:
			return nil
		case tagEnd:
			depth--
			switch depth {
			case 0:
				return insertMissing(len(sectionOrder))
			case 1:
				if a := added[string(t.local())]; a != "" {
					return rw.insert([]byte(a))
				}
			}
			return nil
		}
		if depth == 1 {
			if i, ok := order[string(t.local())]; ok {
				if err := insertMissing(i); err != nil {
					return err
				}
			}
			if n, ok := counts[string(t.local())]; ok {
				raw := t.raw
				if _, has := t.attr("count"); has {
					raw = withAttr(raw, "count", strconv.Itoa(n))
				}
				if t.kind == tagEmpty {
					open := bytes.TrimSuffix(bytes.TrimRight(bytes.TrimSuffix(raw, []byte(">")), " \t\r\n/"), []byte("/"))
					return rw.replace([]byte(string(open) + ">" + added[string(t.local())] + "</" + string(t.name) + ">"))
				}
				if len(raw) != len(t.raw) || string(raw) != string(t.raw) {
					if err := rw.replace(raw); err != nil {
						return err
					}
				}
			}
		}
		if t.kind == tagStart {
			depth++
		}
		return nil
	})
}

// withPrefix puts prefix p on the elements of a default section.
func withPrefix(x, p string) string {
	if p == "" {
		return x
	}
	x = strings.ReplaceAll(x, "</", "\x00")
	x = strings.ReplaceAll(x, "<", "<"+p)
	return strings.ReplaceAll(x, "\x00", "</"+p)
}
