package extract

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// delimiters are the candidate field delimiters of a delimited text file,
// in the order a tie is settled.
var delimiters = [...]byte{',', ';', '\t', '|'}

// sniffRecords is how many records of the start of a file the sniffer
// parses per candidate.
const sniffRecords = 200

// SniffDelimiter picks the field delimiter of a delimited text file from
// its first lines (prefix: the start of the file as UTF-8; a last line
// without its line end is taken as cut off and not used). In the spirit of
// DuckDB's CSV sniffer and Pytheas, every candidate (comma, semicolon, tab,
// pipe) splits the lines, quote-aware, and is scored on what it gives:
//
//   - lines it explains: lines split into the field count most lines share
//     (more than one field), none of whose fields looks torn (an unquoted
//     field holding another candidate, other than a comma or semicolon
//     followed by a space as in prose: "januari 2023;162 661" is a torn
//     field, "Export, förändring" is not);
//   - less the lines another candidate explains in which it is part of a
//     number: the comma of "162 661,2" split on semicolons is a decimal
//     comma, evidence against the comma as delimiter;
//   - then the look of all its fields: numbers in a common spelling
//     (decimal comma or point; thousands grouped by a point, comma, space,
//     no-break space or apostrophe; signs, parentheses, a percent sign, an
//     Eurostat flag) count most, clean text next, torn fields against;
//   - then the field count, then the order above.
//
// A candidate that splits no line in two is not chosen; when none does
// (a single column), it gives a comma.
func SniffDelimiter(prefix []byte) rune {
	return sniffDelimiter(prefix, false)
}

// sniffScore is what one candidate delimiter gives on the sample.
type sniffScore struct {
	explained int // lines of the modal field count without a torn field
	against   int // lines another candidate explains in which this one is in a number
	fields    int // 2 per number, 1 per clean text, -2 per torn field
	width     int // the modal field count
	multi     int // lines split into more than one field
}

func (s sniffScore) better(t sniffScore) bool {
	if (s.multi > 0) != (t.multi > 0) {
		return s.multi > 0
	}
	if a, b := s.explained-s.against, t.explained-t.against; a != b {
		return a > b
	}
	if s.fields != t.fields {
		return s.fields > t.fields
	}
	return s.width > t.width
}

// sniffDelimiter is SniffDelimiter; atEOF says that prefix is the whole
// file, so that its last line counts even without a line end.
func sniffDelimiter(prefix []byte, atEOF bool) rune {
	if line, rest, ok := bytes.Cut(prefix, []byte("\n")); ok {
		if _, hinted := sepLine(line); hinted {
			prefix = rest
		}
	}
	var (
		scores [len(delimiters)]sniffScore
		// numbers[i][j]: lines that candidate i explains in which a
		// number holds candidate j.
		numbers [len(delimiters)][len(delimiters)]int
	)
	for i, d := range delimiters {
		recs := sniffSplit(prefix, d, atEOF)
		counts := map[int]int{}
		for _, rec := range recs {
			if len(rec) > 1 {
				counts[len(rec)]++
			}
		}
		sc := &scores[i]
		for n, k := range counts {
			sc.multi += k
			if k > counts[sc.width] || k == counts[sc.width] && n > sc.width {
				sc.width = n
			}
		}
		for _, rec := range recs {
			if len(rec) < 2 {
				continue
			}
			torn := false
			var inNumber [len(delimiters)]bool
			for _, f := range rec {
				switch c := classifyField(f, d); c {
				case fieldNumber:
					sc.fields += 2
					for j, e := range delimiters {
						if e != d && strings.IndexByte(f.text, e) >= 0 {
							inNumber[j] = true
						}
					}
				case fieldText:
					sc.fields++
				case fieldTorn:
					sc.fields -= 2
					torn = true
				}
			}
			if len(rec) == sc.width && !torn {
				sc.explained++
				for j, in := range inNumber {
					if in {
						numbers[i][j]++
					}
				}
			}
		}
	}
	for i := range delimiters {
		for j := range delimiters {
			if i != j {
				scores[j].against += numbers[i][j]
			}
		}
	}
	best := 0
	for i := 1; i < len(delimiters); i++ {
		if scores[i].better(scores[best]) {
			best = i
		}
	}
	if scores[best].multi == 0 {
		return ','
	}
	return rune(delimiters[best])
}

// sniffField is a field as the sniffer splits it.
type sniffField struct {
	text   string
	quoted bool // enclosed in quotes, the closing one followed by the delimiter or the line end
	lazy   bool // a quote out of place (in a field that began with one)
}

// sniffSplit splits text into records of fields on delimiter d as
// encoding/csv does with LazyQuotes (a quoted field may hold delimiters and
// line breaks, "" is a quote, a quote out of place is kept as a
// character), up to sniffRecords records. Blank lines give no record. A
// last record without its line end is dropped unless atEOF or it is the
// only one.
func sniffSplit(text []byte, d byte, atEOF bool) [][]sniffField {
	var (
		recs [][]sniffField
		rec  []sniffField
		buf  []byte
	)
	i := 0
	ended := true // the last record ended with a line end
	for i < len(text) && len(recs) < sniffRecords {
		// a field starts at i
		f := sniffField{}
		buf = buf[:0]
		end := false // the field ends its record
		if text[i] == '"' {
			f.quoted = true
			i++
			for {
				j := bytes.IndexByte(text[i:], '"')
				if j < 0 {
					buf = append(buf, text[i:]...)
					i = len(text)
					end = true
					f.quoted = false
					f.lazy = true
					break
				}
				buf = append(buf, text[i:i+j]...)
				i += j + 1
				if i < len(text) && text[i] == '"' {
					buf = append(buf, '"')
					i++
					continue
				}
				if i >= len(text) {
					end = true
					break
				}
				if text[i] == d {
					i++
					break
				}
				if text[i] == '\n' || text[i] == '\r' && i+1 < len(text) && text[i+1] == '\n' {
					if text[i] == '\r' {
						i++
					}
					i++
					end = true
					break
				}
				// a quote out of place: a character of the field
				buf = append(buf, '"')
				f.lazy = true
			}
		} else {
			j := i
			for j < len(text) && text[j] != d && text[j] != '\n' {
				j++
			}
			buf = append(buf, text[i:j]...)
			if j == len(text) || text[j] == '\n' {
				end = true
				buf = bytes.TrimSuffix(buf, []byte("\r"))
			}
			i = j + 1
		}
		f.text = string(buf)
		rec = append(rec, f)
		if end {
			ended = i <= len(text) && i > 0 && text[i-1] == '\n'
			if len(rec) > 1 || rec[0].text != "" || rec[0].quoted {
				recs = append(recs, rec)
			}
			rec = nil
		}
	}
	if len(rec) > 0 { // the text ends after a delimiter
		recs = append(recs, rec)
		ended = false
	}
	if !ended && !atEOF && len(recs) > 1 && len(recs) < sniffRecords {
		recs = recs[:len(recs)-1]
	}
	return recs
}

type fieldClass int

const (
	fieldEmpty fieldClass = iota
	fieldText
	fieldNumber
	fieldTorn
)

// classifyField tells how a field split on d looks: a number, clean text,
// or torn (text holding another candidate delimiter, as a field split on
// the wrong delimiter does).
func classifyField(f sniffField, d byte) fieldClass {
	if strings.TrimSpace(f.text) == "" {
		return fieldEmpty
	}
	if looksNumeric(f.text) {
		return fieldNumber
	}
	if f.lazy {
		return fieldTorn
	}
	if f.quoted {
		return fieldText
	}
	s := f.text
	for _, e := range delimiters {
		if e == d {
			continue
		}
		for k := strings.IndexByte(s, e); k >= 0; {
			if e == '\t' || e == '|' || k+1 == len(s) || s[k+1] != ' ' && !strings.HasPrefix(s[k+1:], "\u00a0") {
				return fieldTorn
			}
			next := strings.IndexByte(s[k+1:], e)
			if next < 0 {
				break
			}
			k += 1 + next
		}
	}
	return fieldText
}

// looksNumeric reports whether s is a number in a spelling statistics
// offices publish: "1234", "-0,7", "162 661,2" (a space, no-break space or
// narrow no-break space between thousands), "1.234,5", "6,950.0",
// "4'812.6", "(12.7)", "−2 745,6" (U+2212), "91.2%", "1.5E+06", and
// Eurostat's value and flag "4512.3 p" or "2019 ".
func looksNumeric(s string) bool {
	s = trimBlank(s)
	// a flag after the number: "4512.3 p", "4512.3 bep"
	if k := strings.LastIndexByte(s, ' '); k > 0 && len(s)-k-1 <= 3 && allLower(s[k+1:]) {
		s = trimBlank(s[:k])
	}
	if len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')' {
		s = trimBlank(s[1 : len(s)-1])
	}
	for _, sign := range []string{"-", "+", "\u2212"} {
		if strings.HasPrefix(s, sign) {
			s = trimBlank(s[len(sign):])
			break
		}
	}
	s = strings.TrimSuffix(s, "%")
	s = trimBlank(s)
	// exponent
	if k := strings.IndexAny(s, "eE"); k > 0 {
		exp := s[k+1:]
		if len(exp) > 0 && (exp[0] == '+' || exp[0] == '-') {
			exp = exp[1:]
		}
		if exp == "" || !allDigits(exp) {
			return false
		}
		s = s[:k]
	}
	if s == "" {
		return false
	}
	for _, dec := range []byte{0, '.', ','} {
		whole, frac := s, ""
		if dec != 0 {
			k := strings.LastIndexByte(s, dec)
			if k < 0 {
				continue
			}
			whole, frac = s[:k], s[k+1:]
			if frac == "" || !allDigits(frac) {
				continue
			}
			if whole == "" {
				return true // ".5"
			}
		}
		if groupedDigits(whole, dec) {
			return true
		}
	}
	return false
}

// groupedDigits reports whether s is digits, or digits in groups of three
// after a first group of one to three, separated by one thousands
// separator other than dec.
func groupedDigits(s string, dec byte) bool {
	if allDigits(s) {
		return true
	}
	k := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if k < 1 || k > 3 {
		return false
	}
	sep, size := utf8.DecodeRuneInString(s[k:])
	switch sep {
	case '.', ',', ' ', '\'', '\u00a0', '\u202f', '\u2019':
	default:
		return false
	}
	if sep == rune(dec) {
		return false
	}
	for rest := s[k+size:]; ; {
		group, after, more := strings.Cut(rest, s[k:k+size])
		if len(group) != 3 || !allDigits(group) {
			return false
		}
		if !more {
			return true
		}
		rest = after
	}
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func allLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return s != ""
}

// trimBlank trims spaces and no-break spaces.
func trimBlank(s string) string {
	return strings.Trim(s, " \u00a0\u202f")
}
