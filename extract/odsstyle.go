package extract

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// odsStyles are the styles of an OpenDocument spreadsheet that tell a
// cell's number format: cell styles (style:style of family table-cell,
// automatic or named) name a data style (number:number-style,
// number:percentage-style, …) directly or through their parent. Each data
// style is turned into the Excel format code it corresponds to ("#,##0.0",
// "0.0%", "dd/mm/yyyy"), so that [Decimals], [IsPercentFormat] and
// [IsDateFormat] read it as they read a workbook's.
type odsStyles struct {
	cell  map[string]odsCellStyle
	data  map[string]odsDataStyle
	cache map[string]string // cell style name → format code
}

type odsCellStyle struct {
	parent, data string
}

type odsDataStyle struct {
	code     string
	positive string // the style a map applies to values >= 0 (LibreOffice writes the negative section as the main style)
}

// maxODSStyles bounds the styles kept (a file is not trusted to be
// reasonable); LibreOffice's own limit on cell formats is 64,000.
const maxODSStyles = 1 << 18

func newODSStyles() *odsStyles {
	return &odsStyles{cell: map[string]odsCellStyle{}, data: map[string]odsDataStyle{}, cache: map[string]string{}}
}

// readStyle reads a style element whose start was just read, if it is one
// the reader keeps (a table-cell style or a data style), and reports
// whether it was; the element is consumed either way when it was.
func (s *odsStyles) readStyle(d tokenSource, e xml.StartElement, part string) (bool, error) {
	switch {
	case e.Name.Space == nsStyle && e.Name.Local == "style":
		if attr(e, nsStyle, "family") == "table-cell" && len(s.cell) < maxODSStyles {
			s.cell[attr(e, nsStyle, "name")] = odsCellStyle{parent: attr(e, nsStyle, "parent-style-name"), data: attr(e, nsStyle, "data-style-name")}
		}
		return true, odsSkip(d, part)
	case e.Name.Space == nsNumber && strings.HasSuffix(e.Name.Local, "-style"):
		ds, err := readDataStyle(d, e, part)
		if err != nil {
			return true, err
		}
		if len(s.data) < maxODSStyles {
			s.data[attr(e, nsStyle, "name")] = ds
		}
		return true, nil
	}
	return false, nil
}

// readDataStyle turns a data style element into a format code.
func readDataStyle(d tokenSource, e xml.StartElement, part string) (odsDataStyle, error) {
	var (
		b       strings.Builder
		ds      odsDataStyle
		percent = e.Name.Local == "percentage-style"
		inText  string // the element whose text is being read
		text    strings.Builder
		depth   = 1
	)
	switch e.Name.Local {
	case "boolean-style":
		b.WriteString("BOOLEAN")
	case "text-style":
		b.WriteString("@")
	}
	var quote func(s string)
	quote = func(s string) {
		if s == "" {
			return
		}
		if percent && strings.Contains(s, "%") {
			before, after, _ := strings.Cut(s, "%")
			quote(before)
			b.WriteByte('%')
			quote(after)
			return
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(s, `"`, ""))
		b.WriteByte('"')
	}
	for depth > 0 {
		tok, err := odsToken(d, part)
		if err != nil {
			return ds, truncated(err, part)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth != 2 {
				continue
			}
			long := attr(t, nsNumber, "style") == "long"
			if t.Name.Space == nsStyle && t.Name.Local == "map" {
				switch strings.ReplaceAll(attr(t, nsStyle, "condition"), " ", "") {
				case "value()>=0", "value()>0":
					ds.positive = attr(t, nsStyle, "apply-style-name")
				}
				continue
			}
			if t.Name.Space != nsNumber {
				continue
			}
			switch t.Name.Local {
			case "number":
				b.WriteString(numberCode(t, attr(t, nsNumber, "grouping") == "true"))
			case "scientific-number":
				b.WriteString(numberCode(t, false) + "E+00")
			case "fraction":
				b.WriteString("# ?/?")
			case "text", "currency-symbol":
				inText = t.Name.Local
				text.Reset()
			case "day":
				b.WriteString(pick(long, "dd", "d"))
			case "month":
				switch {
				case attr(t, nsNumber, "textual") == "true":
					b.WriteString(pick(long, "mmmm", "mmm"))
				default:
					b.WriteString(pick(long, "mm", "m"))
				}
			case "year":
				b.WriteString(pick(long, "yyyy", "yy"))
			case "day-of-week":
				b.WriteString(pick(long, "dddd", "ddd"))
			case "hours":
				b.WriteString(pick(long, "hh", "h"))
			case "minutes":
				b.WriteString(pick(long, "mm", "m"))
			case "seconds":
				b.WriteString(pick(long, "ss", "s"))
			case "am-pm":
				b.WriteString("AM/PM")
			case "text-content":
				b.WriteByte('@')
			case "boolean":
				b.WriteString("BOOLEAN")
			}
		case xml.EndElement:
			depth--
			if depth == 1 && inText != "" {
				quote(text.String())
				inText = ""
			}
		case xml.CharData:
			if inText != "" && text.Len() < 256 {
				text.Write(t)
			}
		}
	}
	ds.code = b.String()
	if percent && !strings.Contains(ds.code, "%") {
		ds.code += "%"
	}
	return ds, nil
}

func pick(long bool, a, b string) string {
	if long {
		return a
	}
	return b
}

// numberCode is the format code of a number:number element: "0.0",
// "#,##0.00", "0.0#" (decimal places beyond the minimum are optional).
// Without decimal-places the number shows as many as it has: General.
func numberCode(e xml.StartElement, grouping bool) string {
	dp := attr(e, nsNumber, "decimal-places")
	if dp == "" {
		return "General"
	}
	n, _ := strconv.Atoi(dp)
	n = max(0, min(n, 30))
	minDP := n
	if s := attr(e, nsNumber, "min-decimal-places"); s != "" {
		if m, err := strconv.Atoi(s); err == nil {
			minDP = max(0, min(m, n))
		}
	}
	code := "0"
	if grouping {
		code = "#,##0"
	}
	if n > 0 {
		code += "." + strings.Repeat("0", minDP) + strings.Repeat("#", n-minDP)
	}
	return code
}

// format returns the format code of a cell style ("General" if it has no
// data style).
func (s *odsStyles) format(style string) string {
	if style == "" {
		return "General"
	}
	if f, ok := s.cache[style]; ok {
		return f
	}
	f := "General"
	name := style
	for range 16 { // parent chains are short; a cycle ends here
		cs, ok := s.cell[name]
		if !ok {
			break
		}
		if cs.data != "" {
			f = s.dataFormat(cs.data)
			break
		}
		if cs.parent == "" {
			break
		}
		name = cs.parent
	}
	if len(s.cache) < maxODSStyles {
		s.cache[style] = f
	}
	return f
}

// dataFormat returns the format code of a data style, its positive
// section first when a map gives it.
func (s *odsStyles) dataFormat(name string) string {
	ds, ok := s.data[name]
	if !ok {
		return "General"
	}
	if pos, ok := s.data[ds.positive]; ok && ds.positive != name {
		if ds.code == "" {
			return pos.code
		}
		return pos.code + ";" + ds.code
	}
	if ds.code == "" {
		return "General"
	}
	return ds.code
}
