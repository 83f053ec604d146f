package schemas

import "unicode/utf8"

// ValidUTF8 returns s with each byte that is not part of valid UTF-8
// replaced by U+FFFD, one replacement character per byte, as encoding/json
// writes such a string (so that a name reads the same in report.json and
// in Parquet). Valid text is returned as is, without allocating.
func ValidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	b := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, "\uFFFD"...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}
