package vocab

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tradeetl/tradeetl/schemas"
)

// token is one word of a text, as schemas.Fold gives it, with what the
// source looked like.
type token struct {
	word   string // folded ("us" for "U.S.", merged)
	orig   string // as written ("U.S.", "Österreichs")
	caps   bool   // every letter upper-case, or a dotted abbreviation
	upper1 bool   // starts with an upper-case letter
	letter bool   // holds a letter
	fs, fe int    // span in schemas.Fold(text) words
	bs, be int    // byte span in the text
	rw     string // the inflection rewrite of word, if it was used ("" if none)
}

// rawWord is a word of the source with its byte span.
type rawWord struct {
	text       string
	start, end int
}

// tokenize splits text as schemas.Fold does and keeps, for every word, its
// original form. Single capitals joined by dots ("U.S.", "B.C.") become one
// word ("us", "bc"). If the source cannot be lined up with Fold's words
// (unusual Unicode), the words are returned without case information.
func tokenize(text string) []token {
	words := schemas.Fold(text)
	raws := rawWords(text)
	toks := make([]token, 0, len(words))
	if len(raws) != len(words) {
		for i, w := range words {
			toks = append(toks, token{word: w, orig: w, fs: i, fe: i + 1, letter: hasLetter(w)})
		}
		return toks
	}
	for i, r := range raws {
		if !sameFolded(r.text, words[i]) {
			return tokenize2(words)
		}
		t := token{word: words[i], orig: r.text, fs: i, fe: i + 1, bs: r.start, be: r.end}
		t.caps, t.upper1, t.letter = caseOf(r.text)
		toks = append(toks, t)
	}
	// merge dotted or spaced capitals: U.S. -> us, "U S A" -> usa (as
	// India's data bank writes names)
	out := toks[:0]
	for i := 0; i < len(toks); {
		j := i
		for j+1 < len(toks) && isCapLetter(toks[j].orig) && isCapLetter(toks[j+1].orig) &&
			(text[raws[j].end:raws[j+1].start] == "." || text[raws[j].end:raws[j+1].start] == " ") {
			j++
		}
		if j > i {
			var w, o strings.Builder
			for k := i; k <= j; k++ {
				w.WriteString(toks[k].word)
				o.WriteString(toks[k].orig)
				o.WriteByte('.')
			}
			out = append(out, token{word: w.String(), orig: o.String(), caps: true, upper1: true, letter: true,
				fs: toks[i].fs, fe: toks[j].fe, bs: toks[i].bs, be: toks[j].be + 1})
			i = j + 1
			continue
		}
		out = append(out, toks[i])
		i++
	}
	return out
}

// sameFolded reports whether raw folds to word, cheaply for ASCII.
func sameFolded(raw, word string) bool {
	if len(raw) == len(word) {
		ascii := true
		for i := 0; i < len(raw); i++ {
			c := raw[i]
			if c >= 0x80 {
				ascii = false
				break
			}
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != word[i] {
				return false
			}
		}
		if ascii {
			return true
		}
	}
	// non-ASCII: folding would cost as much as the whole call; the word
	// counts already agree, which is what the spans need
	return !isASCIIString(raw)
}

func tokenize2(words []string) []token {
	toks := make([]token, 0, len(words))
	for i, w := range words {
		toks = append(toks, token{word: w, orig: w, fs: i, fe: i + 1, letter: hasLetter(w)})
	}
	return toks
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func isCapLetter(s string) bool {
	r, n := utf8.DecodeRuneInString(s)
	return n == len(s) && unicode.IsUpper(r)
}

// caseOf reports whether s has letters all upper-case (and at least one),
// whether it starts with an upper-case letter, and whether it has a letter.
func caseOf(s string) (caps, upper1, letter bool) {
	caps = true
	first := true
	for _, r := range s {
		if !unicode.IsLetter(r) {
			first = false
			continue
		}
		letter = true
		if first {
			upper1 = unicode.IsUpper(r) || unicode.IsTitle(r)
			first = false
		}
		if !unicode.IsUpper(r) {
			caps = false
		}
	}
	return caps && letter, upper1, letter
}

// rawWords splits text into words the way schemas.Fold does, without
// folding them: letters and digits (with their combining marks) form
// words, "%" and "€" are words of their own, an apostrophe after a single
// letter or "qu" splits (French elision), another apostrophe stays inside
// the word. A character of a script written without spaces (Han, Kana,
// Hangul, Thai: schemas.SplitRune) is a word of its own with its marks.
func rawWords(text string) []rawWord {
	var out []rawWord
	start := -1
	split := false // the current word is one character of such a script
	flush := func(end int) {
		if start >= 0 {
			out = append(out, rawWord{text: text[start:end], start: start, end: end})
			start = -1
		}
		split = false
	}
	for i, r := range text {
		switch {
		case r == '%' || r == '€' || r == '％':
			flush(i)
			out = append(out, rawWord{text: text[i : i+utf8.RuneLen(r)], start: i, end: i + utf8.RuneLen(r)})
		case r == '\'' || r == '’':
			if start < 0 {
				continue
			}
			if split {
				flush(i)
				continue
			}
			f := strings.Join(schemas.Fold(text[start:i]), "")
			if len(f) == 1 || f == "qu" {
				flush(i)
				continue
			}
			// the apostrophe stays inside the word; Fold keeps it as "'"
		case isMark(r):
			// a mark with no letter before it is dropped
		case schemas.SplitRune(r):
			flush(i)
			start, split = i, true
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if split {
				flush(i)
			}
			if start < 0 {
				start = i
			}
		default:
			flush(i)
		}
	}
	flush(len(text))
	return out
}

// isMark reports whether r is a combining mark, or a halfwidth Kana
// voicing mark (which folds to a combining one).
func isMark(r rune) bool {
	return unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) || r == 0xFF9E || r == 0xFF9F
}

// key joins the words of toks[i:j] (their rewrites where used) into buf.
func key(buf []byte, toks []token, useRW bool) []byte {
	buf = buf[:0]
	for k, t := range toks {
		if k > 0 {
			buf = append(buf, ' ')
		}
		if useRW && t.rw != "" {
			buf = append(buf, t.rw...)
		} else {
			buf = append(buf, t.word...)
		}
	}
	return buf
}

// foldKey is the index key of a name: its tokens' words joined by spaces.
func foldKey(name string) string {
	if !strings.Contains(name, ".") {
		// no dotted abbreviation to merge: Fold's words are the tokens
		return strings.Join(schemas.Fold(name), " ")
	}
	toks := tokenize(name)
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.word)
	}
	return b.String()
}
