package transform

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tradeetl/tradeetl/schemas"
)

// word is a word of a label as schemas.Fold returns it, with the byte span
// of the text it came from, so that a run of words the vocabulary does not
// explain can be given back as written ("South Moravian Region").
type word struct {
	fold       string
	start, end int
}

// splitWords splits a text into the words of schemas.Fold(text), each with
// its span in text. Fold decides the words: each run of letters, digits and
// apostrophes is folded on its own, and its words share its span when Fold
// splits it further. A character of a script written without spaces
// (schemas.SplitRune: "対中国輸出") is a run of its own, with its marks.
func splitWords(text string) []word {
	var out []word
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		j := i + size
		split := schemas.SplitRune(r)
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if !isWordRune(r) || schemas.SplitRune(r) || split && !isMarkRune(r) {
				break
			}
			j += size
		}
		for _, w := range schemas.Fold(text[i:j]) {
			out = append(out, word{fold: w, start: i, end: j})
		}
		i = j
	}
	return out
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || isMarkRune(r) || r == '\'' || r == '’' || r == '%' || r == '€' || r == '％'
}

func isMarkRune(r rune) bool { return unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) }

// foldsOf returns the folded words.
func foldsOf(ws []word) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.fold
	}
	return out
}

// spanText returns the text of words [from, to) as written.
func spanText(text string, ws []word, from, to int) string {
	if from >= to || from < 0 || to > len(ws) {
		return ""
	}
	return strings.TrimSpace(text[ws[from].start:ws[to-1].end])
}
