package schemas

import (
	"io"
	"unicode/utf8"
)

// ValidUTF8Writer passes what is written on to W with each byte that is
// not part of valid UTF-8 replaced by U+FFFD (see ValidUTF8). A rune cut
// between two writes is kept back until the next; Flush writes what is
// kept back at the end.
type ValidUTF8Writer struct {
	W       io.Writer
	pending []byte // the start of a rune the next write may complete
}

// Write writes p, or what of it is valid UTF-8 so far.
func (v *ValidUTF8Writer) Write(p []byte) (int, error) {
	b := p
	if len(v.pending) > 0 {
		b = append(v.pending, p...)
		v.pending = nil
	}
	// keep back an incomplete rune at the end
	cut := len(b)
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				cut = i
			}
			break
		}
	}
	v.pending = append(v.pending, b[cut:]...)
	b = b[:cut]
	var err error
	if utf8.Valid(b) {
		_, err = v.W.Write(b)
	} else {
		_, err = io.WriteString(v.W, ValidUTF8(string(b)))
	}
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes the bytes kept back, each replaced by U+FFFD: the input
// ended inside a rune.
func (v *ValidUTF8Writer) Flush() error {
	if len(v.pending) == 0 {
		return nil
	}
	_, err := io.WriteString(v.W, ValidUTF8(string(v.pending)))
	v.pending = nil
	return err
}
