package xlsxscan

import (
	"bytes"
	"encoding/binary"
)

// The fast path for the cells nearly every file is made of:
//
//	<c r="B7" s="3" t="s"><v>12</v></c>
//	<c r="B7" t="inlineStr"><is><t>text</t></is></c>
//	<c r="B7" s="3"/>
//
// fastCell reads such a cell with inline byte loops instead of the general
// scanner. It gives up (ok false, nothing recorded) on anything else: a
// namespace prefix, an entity or carriage return in a value, white space
// between elements, a formula, another child; the general path then reads
// the cell. Both paths give the same result for the cells fastCell takes.

// fastCell reads the cell whose start tag begins at b[i] ("<c") into c.
// prevCol is the column of the previous cell of the row. It clears
// r.ascii when a value holds a byte beyond ASCII.
func (r *SheetReader) fastCell(b []byte, i, prevCol int, c *rawCell) (j int, ok bool) {
	n := len(b)
	j = i + 2
	hasRef := false
	// The attributes as Excel and the libraries write them: r="B7", then
	// s="3", then t="s", each after one space.
	if j+4 < n && b[j] == ' ' && b[j+1] == 'r' && b[j+2] == '=' && b[j+3] == '"' {
		k := j + 4
		col := 0
		for k < n && b[k]-'A' < 26 {
			col = col*26 + int(b[k]-'A') + 1
			k++
		}
		letters := k - j - 4
		d := k
		for k < n && b[k]-'0' < 10 {
			k++
		}
		// the row: 1 to 7 digits, no leading zero, at most 1048576
		if k >= n || b[k] != '"' || letters == 0 || letters > 3 || col > MaxColumns || k-d == 0 || k-d > 7 || b[d] == '0' ||
			k-d == 7 && string(b[d:k]) > "1048576" {
			return 0, false
		}
		c.col, hasRef = col, true
		j = k + 1
	}
	if j+4 < n && b[j] == ' ' && b[j+1] == 's' && b[j+2] == '=' && b[j+3] == '"' {
		k := j + 4
		st := 0
		for k < n && b[k]-'0' < 10 && k-j < 10 {
			st = st*10 + int(b[k]-'0')
			k++
		}
		if k >= n || b[k] != '"' || k == j+4 {
			return 0, false
		}
		c.style = min(st, MaxCellStyles)
		j = k + 1
	}
	if j+5 < n && b[j] == ' ' && b[j+1] == 't' && b[j+2] == '=' && b[j+3] == '"' {
		// the type values, without a scan for the closing quote
		switch v := b[j+4:]; {
		case v[1] == '"' && (v[0] == 's' || v[0] == 'n' || v[0] == 'b' || v[0] == 'e' || v[0] == 'd'):
			c.typ = cellType(v[:1])
			j += 6
		case len(v) > 9 && string(v[:10]) == `inlineStr"`:
			c.typ = tInline
			j += 14
		case len(v) > 3 && string(v[:4]) == `str"`:
			c.typ = tStr
			j += 8
		default:
			return 0, false
		}
	}
	// anything else: the general attribute loop
	for {
		for j < n && (b[j] == ' ' || b[j] == '\n' || b[j] == '\t') {
			j++
		}
		if j+1 >= n {
			return 0, false
		}
		if b[j] == '>' {
			j++
			break
		}
		if b[j] == '/' {
			if b[j+1] != '>' {
				return 0, false
			}
			if !hasRef {
				c.col = prevCol + 1
			}
			return j + 2, c.col <= MaxColumns
		}
		// name="value"
		a := j
		for j < n && nameByte[b[j]] {
			j++
		}
		if j+1 >= n || j == a || b[j] != '=' || b[j+1] != '"' {
			return 0, false
		}
		name := b[a:j]
		j += 2
		v := j
		for j < n && !stopAttr[b[j]] {
			j++
		}
		if j >= n || b[j] != '"' {
			return 0, false
		}
		val := b[v:j]
		j++
		if len(name) != 1 {
			continue
		}
		switch name[0] {
		case 'r':
			col, ok := parseRef(val)
			if !ok {
				return 0, false
			}
			c.col, hasRef = col, true
		case 's':
			st, ok := parseStyle(val)
			if !ok {
				return 0, false
			}
			c.style = st
		case 't':
			c.typ = cellType(val)
		}
	}
	if !hasRef {
		c.col = prevCol + 1
		if c.col > MaxColumns {
			return 0, false
		}
	}
	// content: <v>text</v> or <is><t>text</t></is>, then </c>
	if j+3 >= n || b[j] != '<' {
		return 0, false
	}
	switch {
	case b[j+1] == 'v' && b[j+2] == '>':
		k := j + 3
		for {
			for k < n && !stopText[b[k]] {
				k++
			}
			if k < n && b[k] >= 0x80 {
				r.ascii = false
				k++
				continue
			}
			break
		}
		if k+8 > n || string(b[k:k+8]) != "</v></c>" {
			return 0, false
		}
		off := len(r.text)
		r.text = append(r.text, b[j+3:k]...)
		c.hasV, c.v = true, span{int32(off), int32(len(r.text))}
		return k + 8, true
	case b[j+1] == 'i' && j+7 <= n && string(b[j:j+7]) == "<is><t>":
		k := j + 7
		for {
			k = scanString(b, k)
			if k < n && b[k] >= 0x80 {
				r.ascii = false
				k++
				continue
			}
			if k+1 < n && b[k] == '_' && b[k+1] != 'x' {
				k++
				continue
			}
			break
		}
		if k+13 > n || string(b[k:k+13]) != "</t></is></c>" {
			return 0, false
		}
		off := len(r.text)
		r.text = append(r.text, b[j+7:k]...)
		c.hasIS, c.is = true, span{int32(off), int32(len(r.text))}
		return k + 13, true
	case b[j+1] == '/' && b[j+2] == 'c' && b[j+3] == '>':
		return j + 4, true
	}
	return 0, false
}

// Bytes that end the fast scan of an attribute value, of a <v> and of a
// <t>: the end, or something the fast path leaves to the general one.
// Bytes beyond ASCII stop the scans of values, to note that the row needs
// a UTF-8 check.
var stopAttr, stopText, stopString = func() (a, t, s [256]bool) {
	a['"'], a['&'], a['<'], a['\r'] = true, true, true, true
	t['<'], t['&'], t['\r'] = true, true, true
	s['<'], s['&'], s['\r'], s['_'] = true, true, true, true
	for c := 0x80; c < 0x100; c++ {
		t[c], s[c] = true, true
	}
	return
}()

// pow10 holds the powers of ten a float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseFloat parses the plain decimals spreadsheets store ("-123.45") with
// at most 15 digits, exactly as strconv.ParseFloat does (an integer below
// 2^53 divided by an exact power of ten is correctly rounded); it reports
// false for anything else, which strconv.ParseFloat then parses.
func parseFloat(s string) (float64, bool) {
	i, neg := 0, false
	if len(s) > 0 && s[0] == '-' {
		neg, i = true, 1
	}
	var m uint64
	digits, frac, dot := 0, 0, false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			m = m*10 + uint64(c-'0')
			digits++
			if dot {
				frac++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return 0, false
		}
	}
	if digits == 0 || digits > 15 || m == 0 && neg {
		return 0, false
	}
	f := float64(m) / pow10[frac]
	if neg {
		f = -f
	}
	return f, true
}

// scanString returns the position of the first byte from b[k] on that
// ends the fast scan of a string ('<', '&', '\r', '_' or a byte beyond
// ASCII), or len(b). It tests eight bytes at a time.
func scanString(b []byte, k int) int {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	for k+8 <= len(b) {
		x := binary.LittleEndian.Uint64(b[k:])
		// a byte of x is zero where x holds one of the stop bytes
		if hasZero(x^(ones*'<'))|hasZero(x^(ones*'&'))|hasZero(x^(ones*'\r'))|hasZero(x^(ones*'_'))|(x&highs) != 0 {
			break
		}
		k += 8
	}
	for k < len(b) && !stopString[b[k]] {
		k++
	}
	return k
}

// hasZero is non-zero when a byte of x is zero.
func hasZero(x uint64) uint64 {
	return (x - 0x0101010101010101) &^ x & 0x8080808080808080
}

var (
	siOpen     = []byte("<si><t>")
	siOpenPres = []byte(`<si><t xml:space="preserve">`)
	siClose    = []byte("</t></si>")
)

// fastSI reads a plain shared-strings item, <si><t>text</t></si> (the
// <t> possibly with xml:space="preserve"), after white space at b[i]. It
// returns the text (aliasing b), the position after the item and whether
// the text is ASCII; ok is false for anything else, which the general
// scanner then reads.
func fastSI(b []byte, i int) (text []byte, j int, ascii, ok bool) {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	var k int
	switch {
	case bytes.HasPrefix(b[i:], siOpen):
		k = i + len(siOpen)
	case bytes.HasPrefix(b[i:], siOpenPres):
		k = i + len(siOpenPres)
	default:
		return nil, 0, false, false
	}
	start := k
	ascii = true
	for {
		k = scanString(b, k)
		if k < len(b) && b[k] >= 0x80 {
			ascii = false
			k++
			continue
		}
		if k+1 < len(b) && b[k] == '_' && b[k+1] != 'x' {
			k++
			continue
		}
		break
	}
	if !bytes.HasPrefix(b[k:], siClose) {
		return nil, 0, false, false
	}
	return b[start:k], k + len(siClose), ascii, true
}
