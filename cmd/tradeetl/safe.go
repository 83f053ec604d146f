package main

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Text that comes from the inputs (labels, sheet and file names, messages
// quoting them) is escaped before it reaches a terminal: a label holding
// ESC [2J or ESC ] 0; would clear the screen or retitle the window, a
// newline would forge a line of the report. safe writes control
// characters as Go escapes (\x1b, \n, \u009b), bidirectional overrides
// (which reorder what a terminal shows) as \u202e, and invalid UTF-8 bytes
// as \xff; everything else, non-ASCII letters included, is kept.

// safe escapes the control characters of s.
func safe(s string) string { return escape(s, false) }

// safeLines escapes the control characters of s but its newlines, for
// messages of several lines that tradeetl itself writes (errors).
func safeLines(s string) string { return escape(s, true) }

func escape(s string, keepNewlines bool) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&sb, `\x%02x`, s[i])
		case r == '\n' && keepNewlines:
			sb.WriteByte('\n')
		case r == '\n':
			sb.WriteString(`\n`)
		case r == '\r':
			sb.WriteString(`\r`)
		case r == '\t':
			sb.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&sb, `\x%02x`, r)
		case r >= 0x80 && r <= 0x9f, bidi(r):
			fmt.Fprintf(&sb, `\u%04x`, r)
		default:
			sb.WriteString(s[i : i+size])
		}
		i += size
	}
	return sb.String()
}

// bidi reports whether r is a bidirectional formatting character: it
// reorders the text around it on screen (the "Trojan Source" trick).
func bidi(r rune) bool {
	return r == 0x061c || r == 0x200e || r == 0x200f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// safeAll escapes every string of a list.
func safeAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = safe(s)
	}
	return out
}
