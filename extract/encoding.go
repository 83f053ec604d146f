package extract

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/tradeetl/tradeetl/schemas"
)

// The encodings of delimited text. UTF-8 needs no decoder; the others are
// decoded with golang.org/x/text, whose decoders replace a byte sequence
// that is not of the encoding by U+FFFD.
const (
	EncodingUTF8    = "UTF-8"
	EncodingUTF16LE = "UTF-16LE"
	EncodingUTF16BE = "UTF-16BE"
	EncodingCP1252  = "windows-1252"
)

// How an encoding was chosen ([TextEncoding].How).
const (
	EncodingByBOM     = "byte order mark"
	EncodingDetected  = "detected" // a legacy encoding surely, or UTF-16 without BOM from its NUL bytes
	EncodingForced    = "--encoding"
	EncodingFallback  = "not sure: read as before" // low confidence: windows-1252, as tradeetl always did
	EncodingUnsure    = "detected, not sure"       // the best reading, clearly not windows-1252, but close to another
	EncodingValidUTF8 = "valid UTF-8"
)

// RuleTextEncoding is the rule of the warning findings about the encoding
// of delimited text: its detection was not sure, bytes that are not of the
// encoding were replaced, or --encoding contradicts a byte order mark.
const RuleTextEncoding = schemas.RuleTextEncoding

// TextEncoder is implemented by a Workbook of delimited text: how its
// bytes are decoded.
type TextEncoder interface {
	TextEncoding() TextEncoding
}

// TextEncoding says how a delimited text file was decoded: which encoding
// and how it was chosen. Note, when set, says what a user should check
// (the detection was not sure, and what else the file could be).
type TextEncoding struct {
	Name      string  // "UTF-8", "Shift_JIS", "windows-1251", ...
	How       string  // one of the Encoding* "how" constants
	Score     float64 // detection: the plausibility of the reading per byte that is not ASCII (about 0..1; above 1 with many common words)
	RunnerUp  string  // detection: the next best encoding, if its reading differs
	Note      string  // what to check, if anything
	Confident bool    // BOM, valid UTF-8, forced, or a clear detection
}

// String is what inspect prints and findings say: "Shift_JIS (detected)".
func (e TextEncoding) String() string {
	if e.Name == "" {
		return ""
	}
	return e.Name + " (" + e.How + ")"
}

// Legacy reports whether the encoding is neither UTF-8 nor UTF-16.
func (e TextEncoding) Legacy() bool {
	return e.Name != "" && e.Name != EncodingUTF8 && e.Name != EncodingUTF16LE && e.Name != EncodingUTF16BE
}

// legacyEncoding is one candidate of detection: a legacy encoding, the
// languages written in it and the names users give it.
type legacyEncoding struct {
	name    string
	enc     encoding.Encoding
	langs   []*language // single-byte encodings: the languages it serves
	aliases []string    // lower case; besides those of the WHATWG and IANA indexes
	cjk     bool        // a double-byte encoding of Chinese, Japanese or Korean
}

// legacyEncodings are the candidates of detection, in the order a tie is
// settled: windows-1252 first (what tradeetl read before detection, and
// the most common legacy encoding of statistics downloads), a Windows code
// page before the ISO 8859 part of its script, KOI8-R before KOI8-U (they
// read Russian alike).
var legacyEncodings = []*legacyEncoding{
	{name: EncodingCP1252, enc: charmap.Windows1252, langs: []*language{langFR, langDE, langES, langPT, langIT, langNL, langSV, langDA, langFI, langIS, langCA}, aliases: []string{"cp1252", "1252", "latin1", "latin-1"}},
	{name: "windows-1250", enc: charmap.Windows1250, langs: []*language{langCS, langSK, langPL, langHU, langRO, langHR, langDE}, aliases: []string{"cp1250", "1250"}},
	{name: "ISO-8859-2", enc: charmap.ISO8859_2, langs: []*language{langCS, langSK, langPL, langHU, langRO, langHR, langDE}, aliases: []string{"latin2", "iso8859-2", "iso88592"}},
	{name: "windows-1251", enc: charmap.Windows1251, langs: []*language{langRU, langUK, langBG, langBE, langSR}, aliases: []string{"cp1251", "1251"}},
	{name: "windows-1253", enc: charmap.Windows1253, langs: []*language{langEL}, aliases: []string{"cp1253", "1253"}},
	{name: "ISO-8859-7", enc: charmap.ISO8859_7, langs: []*language{langEL}, aliases: []string{"greek", "iso8859-7", "iso88597"}},
	{name: "windows-1254", enc: charmap.Windows1254, langs: []*language{langTR}, aliases: []string{"cp1254", "1254"}},
	{name: "windows-1257", enc: charmap.Windows1257, langs: []*language{langLT, langLV, langET, langPL, langDE}, aliases: []string{"cp1257", "1257"}},
	{name: "windows-1258", enc: charmap.Windows1258, langs: []*language{langVI}, aliases: []string{"cp1258", "1258"}},
	{name: "KOI8-R", enc: charmap.KOI8R, langs: []*language{langRU, langBG}, aliases: []string{"koi8r"}},
	{name: "KOI8-U", enc: charmap.KOI8U, langs: []*language{langUK, langRU, langBE}, aliases: []string{"koi8u"}},
	{name: "windows-874", enc: charmap.Windows874, langs: []*language{langTH}, aliases: []string{"cp874", "874", "tis620", "tis-620"}},
	{name: "Shift_JIS", enc: japanese.ShiftJIS, cjk: true, aliases: []string{"cp932", "932", "sjis", "shiftjis", "shift-jis", "windows-31j", "ms932"}},
	{name: "EUC-JP", enc: japanese.EUCJP, cjk: true, aliases: []string{"eucjp", "cp51932"}},
	{name: "EUC-KR", enc: korean.EUCKR, cjk: true, aliases: []string{"cp949", "949", "euckr", "uhc", "ks_c_5601-1987"}},
	{name: "GB18030", enc: simplifiedchinese.GB18030, cjk: true, aliases: []string{"gbk", "cp936", "936", "gb2312", "euc-cn", "gb-18030"}},
	{name: "Big5", enc: traditionalchinese.Big5, cjk: true, aliases: []string{"cp950", "950", "big5-hkscs", "big-5"}},
}

// LookupEncoding finds the encoding a user names (--encoding): the names
// and aliases above ("cp932", "gbk", "cp1251", "tis-620", "koi8-r",
// "utf-8", "utf-16le"), then any label of the WHATWG Encoding Standard
// or name of the IANA registry that golang.org/x/text decodes
// ("iso-8859-2", "macintosh"). It returns the canonical name and the
// decoder (nil for UTF-8).
func LookupEncoding(name string) (string, encoding.Encoding, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	switch strings.NewReplacer("-", "", "_", "").Replace(n) {
	case "utf8":
		return EncodingUTF8, nil, nil
	case "utf16", "utf16le":
		return EncodingUTF16LE, xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM), nil
	case "utf16be":
		return EncodingUTF16BE, xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM), nil
	}
	for _, e := range legacyEncodings {
		if n == strings.ToLower(e.name) {
			return e.name, e.enc, nil
		}
		for _, a := range e.aliases {
			if n == a {
				return e.name, e.enc, nil
			}
		}
	}
	enc, err := htmlindex.Get(n)
	if err != nil || enc == nil {
		enc, err = ianaindex.IANA.Encoding(n)
	}
	if err != nil || enc == nil {
		return "", nil, fmt.Errorf("unknown encoding %q (want e.g. utf-8, cp932, euc-jp, cp949, gbk, big5, cp1250, cp1251, cp1253, cp1254, cp1257, cp1258, koi8-r, tis-620)", name)
	}
	canon, err := htmlindex.Name(enc)
	if err != nil {
		canon, _ = ianaindex.IANA.Name(enc)
	}
	if canon == "" {
		canon = n
	}
	for _, e := range legacyEncodings {
		if e.enc == enc {
			canon = e.name
		}
	}
	if canon == "utf-8" {
		return EncodingUTF8, nil, nil
	}
	return canon, enc, nil
}

// Detection thresholds. A file's start must hold minEvidenceBytes bytes
// that are not ASCII, its best reading must be at least minScore
// plausible, and lead the next different reading by the margin
// [requiredMargin] asks for that much text, for the detection to be
// trusted; else the file is read as windows-1252, as tradeetl always did,
// and a warning says what else it could be.
const (
	minEvidenceBytes = 6
	minScore         = 0.55
	detectHeadSize   = 16 << 10 // enough text to tell, cheap enough to read 17 ways
)

// requiredMargin is the lead over the next different reading that makes a
// detection sure, for evidence bytes that are not ASCII: a lead of
// max(1.5, 0.3*sqrt(n)) points of plausibility (a plausible character
// scores up to 1, an implausible one down to -2), so that a few words
// must read far better (25 points in 100 for 6 bytes, 12.5 for 12) and a
// page of text only somewhat (2.5 points for 100 bytes, 1.4 for 444): two
// readings of one alphabet that differ in a few letters (KOI8-U and
// KOI8-R, ISO-8859-2 and windows-1250) are only as far apart as those
// letters make them.
//
// windows-1252, the most common legacy encoding of statistics downloads
// and what tradeetl read before it detected encodings, needs half the
// lead of a few words ("País" and "Variación" in a Spanish header).
func requiredMargin(evidence int, enc string) float64 {
	n := float64(evidence)
	least := 1.5
	if enc == EncodingCP1252 {
		least = 0.75
	}
	return max(least, 0.3*math.Sqrt(n)) / n
}

// candidateScore is one candidate's reading of a file's start.
type candidateScore struct {
	enc   *legacyEncoding
	text  string
	score float64
}

// DetectEncoding tells the encoding of delimited text from the start of
// the file (head; atEOF: head is the whole file). A byte order mark
// decides; text that is valid UTF-8 is UTF-8 (pure ASCII included); text
// that is UTF-16 without BOM is told by its NUL bytes (see utf16NoBOM).
// Else each legacy encoding ([legacyEncodings]) decodes the start, and the
// reading with the largest share of plausible text wins: every byte that
// is not ASCII counts for the character it is read as, scored by
//
//   - decoding errors, control and private-use characters: against;
//   - CJK: kana; Hangul syllables of KS X 1001 (the 2,350 of modern use);
//     Han characters among the most common (a short list), then those of
//     the first level of GB 2312, Big5 or JIS X 0208; CJK punctuation and
//     full-width forms; scored in that order down to rare ones;
//   - alphabetic scripts, by word: a word that mixes scripts ("Rцgion"),
//     a lower-case letter before an upper-case one ("пРИВЕТ", KOI8-R read
//     as windows-1251), a Greek final sigma inside a word or a combining
//     mark after no letter counts little; its letters count for how
//     common they are in the language of the encoding that reads the
//     most of them (an alphabet in order of frequency, per language);
//   - common punctuation of tables (€ ° – “ ” …): some.
//
// A reading that is no better than the next by requiredMargin, or too
// little text to tell (minEvidenceBytes), is not sure (Confident false,
// with a Note): windows-1252 is read, as tradeetl did before it detected
// encodings, unless the best reading is clearly better than that of
// windows-1252 (then it is read, EncodingUnsure: ISO-8859-2 or
// windows-1250, both far better than windows-1252).
func DetectEncoding(head []byte, atEOF bool) TextEncoding {
	if bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}) {
		return TextEncoding{Name: EncodingUTF8, How: EncodingByBOM, Confident: true}
	}
	if bigEndian, ok := utf16BOM(head); ok {
		if bigEndian {
			return TextEncoding{Name: EncodingUTF16BE, How: EncodingByBOM, Confident: true}
		}
		return TextEncoding{Name: EncodingUTF16LE, How: EncodingByBOM, Confident: true}
	}
	small := head[:min(len(head), textHeadSize)]
	if bytes.IndexByte(small, 0) >= 0 {
		if bigEndian, ok := utf16NoBOM(small); ok {
			if bigEndian {
				return TextEncoding{Name: EncodingUTF16BE, How: EncodingDetected, Confident: true}
			}
			return TextEncoding{Name: EncodingUTF16LE, How: EncodingDetected, Confident: true}
		}
	}
	if validUTF8Prefix(head) {
		return TextEncoding{Name: EncodingUTF8, How: EncodingValidUTF8, Confident: true}
	}
	return detectLegacy(head, atEOF)
}

// detectLegacy scores the legacy encodings on head.
func detectLegacy(head []byte, atEOF bool) TextEncoding {
	// a first look at the first lines, which most often tell
	if len(head) > 2*firstLookSize {
		if res := detectIn(head[:firstLookSize], false); res.Confident {
			return res
		}
	}
	return detectIn(head, atEOF)
}

// firstLookSize is how much of the start detection reads first.
const firstLookSize = 4 << 10

// detectIn is detectLegacy on at most detectHeadSize bytes of head.
func detectIn(head []byte, atEOF bool) TextEncoding {
	if len(head) > detectHeadSize {
		head, atEOF = head[:detectHeadSize], false
	}
	if !atEOF {
		// a character cut at the end of the buffer is no evidence
		if i := bytes.LastIndexByte(head, '\n'); i > 0 {
			head = head[:i+1]
		}
	}
	evidence := 0
	for _, b := range head {
		if b >= 0x80 {
			evidence++
		}
	}
	scores := make([]candidateScore, 0, len(legacyEncodings))
	for _, e := range legacyEncodings {
		text, err := e.enc.NewDecoder().Bytes(head)
		if err != nil {
			continue // (x/text decoders replace, they do not fail)
		}
		scores = append(scores, candidateScore{enc: e, text: string(text), score: scoreReading(e, string(text), evidence)})
	}
	// best first; a tie keeps the order of legacyEncodings
	sort.SliceStable(scores, func(i, j int) bool { return scores[i].score > scores[j].score })
	best := scores[0]
	res := TextEncoding{Name: best.enc.name, How: EncodingDetected, Score: best.score}
	var second *candidateScore
	for i := 1; i < len(scores); i++ {
		if scores[i].text != best.text {
			second = &scores[i]
			break
		}
	}
	margin := best.score
	if second != nil {
		res.RunnerUp = second.enc.name
		margin = best.score - second.score
	}
	// (windows-1252 is what was read before: any plausible text will do)
	enough := (evidence >= minEvidenceBytes || best.enc.name == EncodingCP1252) && best.score >= minScore
	res.Confident = enough && margin >= requiredMargin(evidence, best.enc.name)
	if res.Confident {
		return res
	}
	var cp1252 *candidateScore
	for i := range scores {
		if scores[i].enc.name == EncodingCP1252 {
			cp1252 = &scores[i]
		}
	}
	why := fmt.Sprintf("%.0f%% plausible text in %d bytes that are not ASCII", 100*best.score, evidence)
	if second != nil {
		why += fmt.Sprintf(", %s next at %.0f%%", second.enc.name, 100*second.score)
	}
	switch {
	case best.enc.name == EncodingCP1252:
		res.How = EncodingFallback
		res.Note = "it reads best as windows-1252, but not clearly enough to be sure (" + why + ")"
	case enough && best.text != cp1252.text && best.score-cp1252.score >= requiredMargin(evidence, ""):
		// not sure which, but surely not windows-1252: the best reading
		res.How = EncodingUnsure
		res.Note = fmt.Sprintf("it reads best as %s, but not clearly enough to be sure (%s)", best.enc.name, why)
	default:
		res.Name, res.How = EncodingCP1252, EncodingFallback
		res.Note = fmt.Sprintf("it reads best as %s, but not clearly enough to be sure (%s); it was read as windows-1252, as tradeetl did before it detected encodings", best.enc.name, why)
	}
	return res
}

// commonWordWeight is the weight of each letter of a word of
// [commonWords]: more than any letter of a word that is not one.
const commonWordWeight = 1.5

// Word-level factors: how much the letters of an implausible word count.
const (
	mixedScriptFactor = 0.15 // "Rцgion": Latin and Cyrillic in one word
	caseFactor        = 0.35 // "пРИВЕТ": lower case before upper case
	sigmaFactor       = 0.4  // "σ" at the end of a Greek word, "ς" inside one
	strayMarkFactor   = 0.2  // a combining mark after no letter
	foreignLetter     = 0.25 // a letter of the script but not of the language
	otherLangFactor   = 0.8  // a word of another language of the encoding than the text's
)

// scoreReading scores one reading of a file's start: the share of its
// non-ASCII bytes read as plausible characters (0..1; above 1 with common
// words of trade tables, negative with many decoding errors). evidence is
// the number of bytes that are not ASCII.
func scoreReading(e *legacyEncoding, text string, evidence int) float64 {
	if evidence == 0 {
		return 0
	}
	lang := e.pickLanguage(text)
	src := newSrcBytes(e)
	var sum float64
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r < utf8.RuneSelf {
			i++
			continue
		}
		if !isWordRune(r) || isCJK(r) {
			wt := runeWeight(r)
			if wt > 0 && e.cjk && isCJK(r) {
				if before, after := asciiLetterAround(text, i, size); before && after {
					wt = strayInWord // "W丐chy": Polish read as Big5, "o" a trail byte
				}
			}
			if wt > 0 && !e.cjk && !strings.ContainsRune(wordJoiners, r) {
				switch before, after := letterAround(text, i, size); {
				case before && after:
					wt = strayInWord // "W³ochy": windows-1250's ł read as windows-1252
				case after && !strings.ContainsRune(wordOpeners, r):
					wt = 0 // "®elezo": ISO-8859-2's Ž read as windows-1250
				}
			}
			sum += wt * float64(src.of(r))
			i += size
			continue
		}
		// a word: letters and marks (and ASCII letters in it)
		start := i
		for i > 0 {
			p, n := utf8.DecodeLastRuneInString(text[:i])
			if p >= utf8.RuneSelf || !isWordRune(p) {
				break
			}
			i -= n
		}
		start = i
		end := start
		for end < len(text) {
			q, n := utf8.DecodeRuneInString(text[end:])
			if !isWordRune(q) || isCJK(q) {
				break
			}
			end += n
		}
		sum += scoreWord(e, lang, text[start:end], src)
		i = end
	}
	return sum / float64(evidence)
}

// strayInWord is the weight of a symbol between two letters of a word
// ("W³ochy", "Ko¾ice"): a letter of another code page, mostly.
const strayInWord = -0.5

// wordJoiners are the symbols that may stand between two letters: dashes
// ("styczeń–grudzień"), apostrophes, the middle dot of Catalan.
const wordJoiners = "–—‐‑’‘'·"

// wordOpeners are the symbols that may stand just before a word.
const wordOpeners = "«‹„“‘‚¿¡•·№§"

// letterAround reports whether a letter stands just before, and just
// after, the character at text[i:i+size].
func letterAround(text string, i, size int) (before, after bool) {
	p, _ := utf8.DecodeLastRuneInString(text[:i])
	q, _ := utf8.DecodeRuneInString(text[i+size:])
	return infoOf(p).props&propLetter != 0, infoOf(q).props&propLetter != 0
}

// asciiLetterAround reports whether an ASCII letter stands just before,
// and just after, the character at text[i:i+size].
func asciiLetterAround(text string, i, size int) (before, after bool) {
	isLetter := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
	return i > 0 && isLetter(text[i-1]), i+size < len(text) && isLetter(text[i+size])
}

// isWordRune reports whether r is part of a word of an alphabetic script.
func isWordRune(r rune) bool {
	return infoOf(r).props&(propLetter|propMark) != 0
}

// runeInfo is what the scorer asks of a character: its properties and
// script (see computeScript).
type runeInfo struct {
	props  runeProps
	script int8
	lower  rune // unicode.ToLower
}

type runeProps uint8

const (
	propLetter runeProps = 1 << iota
	propMark             // a nonspacing mark (Mn)
	propUpper
	propLower
)

// smallRunes caches runeInfo below U+3000, where every single-byte
// encoding's characters are: the scorer asks about each character of 15
// readings, and the unicode package's tables are slow to ask.
var (
	smallOnce  sync.Once
	smallRunes []runeInfo
)

func infoOf(r rune) runeInfo {
	if r >= 0 && r < 0x3000 {
		smallOnce.Do(func() {
			smallRunes = make([]runeInfo, 0x3000)
			for c := range rune(0x3000) {
				smallRunes[c] = computeInfo(c)
			}
		})
		return smallRunes[r]
	}
	return computeInfo(r)
}

func computeInfo(r rune) runeInfo {
	var p runeProps
	if unicode.IsLetter(r) {
		p |= propLetter
	}
	if unicode.Is(unicode.Mn, r) {
		p |= propMark
	}
	if unicode.IsUpper(r) {
		p |= propUpper
	}
	if unicode.IsLower(r) {
		p |= propLower
	}
	return runeInfo{props: p, script: int8(computeScript(r)), lower: unicode.ToLower(r)}
}

// srcBytes counts how many bytes that are not ASCII a character of a
// reading was read from: one for a single-byte encoding; for a CJK
// encoding those of the character encoded again (two for most; one for
// Big5's, Shift_JIS's and GBK's with an ASCII trail byte, which are how
// Latin text with accents reads in them; two for GB18030's four-byte
// forms), so that a reading scores per byte of evidence.
type srcBytes struct {
	e     *legacyEncoding
	enc   *encoding.Encoder
	cache map[rune]int
}

func newSrcBytes(e *legacyEncoding) *srcBytes {
	c := &srcBytes{e: e}
	if e.cjk {
		c.enc, c.cache = e.enc.NewEncoder(), map[rune]int{}
	}
	return c
}

func (c *srcBytes) of(r rune) int {
	if !c.e.cjk || r < utf8.RuneSelf || r == utf8.RuneError {
		return 1 // (a bad byte, or a bad pair: count one)
	}
	if n, ok := c.cache[r]; ok {
		return n
	}
	b, err := c.enc.Bytes(utf8.AppendRune(nil, r))
	n := 0
	for _, x := range b {
		if x >= utf8.RuneSelf {
			n++
		}
	}
	if err != nil || n == 0 {
		n = 1
	}
	c.cache[r] = n
	return n
}

// scoreWord scores the non-ASCII letters of one word of an alphabetic
// script.
func scoreWord(e *legacyEncoding, lang *language, w string, src *srcBytes) float64 {
	factor := 1.0
	var script, n int
	prevLower, prevLetter := false, false
	for i, r := range w {
		info := infoOf(r)
		s := int(info.script)
		if s != scriptNone {
			if script != scriptNone && s != script && !(e.cjk && (s == scriptLatin || script == scriptLatin)) {
				factor = min(factor, mixedScriptFactor)
			}
			if script == scriptNone || s != scriptLatin {
				script = s
			}
		}
		switch {
		case info.props&propMark != 0:
			if !prevLetter {
				factor = min(factor, strayMarkFactor)
			}
		case info.props&propUpper != 0:
			if prevLower {
				factor = min(factor, caseFactor)
			}
			prevLower = false
		case info.props&propLower != 0:
			prevLower = true
			if r == 'ς' && i+utf8.RuneLen(r) < len(w) {
				factor = min(factor, sigmaFactor)
			}
			if r == 'σ' && i+utf8.RuneLen(r) == len(w) && i > 0 {
				factor = min(factor, sigmaFactor)
			}
		}
		prevLetter = info.props&propLetter != 0 || (prevLetter && info.props&propMark != 0)
		if r >= utf8.RuneSelf {
			n++
		}
	}
	if commonWord(w) {
		// a word of trade tables: sure evidence (above 1)
		var sum float64
		for _, r := range w {
			if r >= utf8.RuneSelf {
				sum += commonWordWeight * float64(src.of(r))
			}
		}
		return sum
	}
	// a word whose letters are all of one language of the encoding, if
	// not the text's ("Curaçao" and "Åland" in one windows-1252 table)
	wordLang := lang
	if lang != nil && !lang.hasAll(w) {
		wordLang = nil
		for _, l := range e.langs {
			if l.hasAll(w) {
				wordLang = l
				break
			}
		}
	}
	var sum float64
	var prev rune
	for i, r := range w {
		p := prev
		prev = r
		if r < utf8.RuneSelf {
			continue
		}
		var wt float64
		switch {
		case r == utf8.RuneError:
			wt = -2
		case lang == langTH && !thaiInPlace(p, r, w[i+utf8.RuneLen(r):]):
			wt = -1
		case isCJK(r) || r >= 0xFF61 && r <= 0xFF9F:
			wt = runeWeight(r)
		case wordLang != nil:
			wt = wordLang.weight(r)
			if wordLang != lang {
				wt *= otherLangFactor
			}
		case lang != nil:
			wt = lang.weight(r)
		default:
			wt = foreignLetter
		}
		if wt > 0 {
			wt *= factor
		}
		sum += wt * float64(src.of(r))
	}
	return sum
}

// Scripts of letters, for the word test.
const (
	scriptNone = iota
	scriptLatin
	scriptGreek
	scriptCyrillic
	scriptThai
	scriptCJK
	scriptOther
)

// computeScript is the script of r (one of the script constants), for
// infoOf.
func computeScript(r rune) int {
	switch {
	case r < 0x80:
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return scriptLatin
		}
		return scriptNone
	case unicode.Is(unicode.Mn, r):
		if r >= 0x0E00 && r <= 0x0E7F {
			return scriptThai
		}
		return scriptNone // combining marks join any script
	case unicode.Is(unicode.Latin, r):
		return scriptLatin
	case unicode.Is(unicode.Greek, r):
		return scriptGreek
	case unicode.Is(unicode.Cyrillic, r):
		return scriptCyrillic
	case unicode.Is(unicode.Thai, r):
		return scriptThai
	case isCJK(r):
		return scriptCJK
	case unicode.IsLetter(r):
		return scriptOther
	}
	return scriptNone
}

// isCJK reports whether r is a Han, kana or Hangul character, or CJK
// punctuation or a full-width form.
func isCJK(r rune) bool {
	return r >= 0x3000 && r <= 0x9FFF || r >= 0xAC00 && r <= 0xD7A3 || r >= 0xF900 && r <= 0xFAFF ||
		r >= 0xFF00 && r <= 0xFFEF || r >= 0x20000 && r <= 0x2FFFF || r >= 0x1100 && r <= 0x11FF
}

// runeWeight is the plausibility of one non-ASCII character outside an
// alphabetic word: a CJK character, a symbol, punctuation or a control.
func runeWeight(r rune) float64 {
	switch {
	case r == utf8.RuneError:
		return -2
	case r < 0xA0, r >= 0xE000 && r <= 0xF8FF, unicode.Is(unicode.Co, r), !unicode.IsPrint(r) && r != 0xA0 && r != 0x3000:
		return -1 // C1 controls, private use, unassigned
	case r >= 0x3041 && r <= 0x309F, r >= 0x30A0 && r <= 0x30FF:
		return 1 // kana
	case r >= 0xAC00 && r <= 0xD7A3:
		return hangulWeight(r)
	case r >= 0x4E00 && r <= 0x9FFF, r >= 0x3400 && r <= 0x4DBF, r >= 0xF900 && r <= 0xFAFF, r >= 0x20000:
		return hanWeight(r)
	case r >= 0xFF61 && r <= 0xFF9F:
		return 0.3 // half-width katakana: legacy, or Latin-1 letters read as Shift_JIS
	case r >= 0x3131 && r <= 0x318E:
		return 0.1 // Hangul compatibility jamo: a letter alone
	case strings.ContainsRune(cjkPunct, r), r >= 0xFF01 && r <= 0xFF5E:
		return 0.8
	case strings.ContainsRune(tablePunct, r):
		return 0.7
	case r >= 0x3000 && r <= 0x33FF, r >= 0xFE30 && r <= 0xFE4F:
		return 0.3 // other CJK symbols
	case unicode.IsLetter(r):
		return foreignLetter
	}
	return 0.1 // other symbols: box drawing, math, dingbats
}

// cjkPunct is the punctuation of Chinese, Japanese and Korean tables.
const cjkPunct = "\u3000、。「」『』【】〈〉《》〔〕・ー〜～※○●◎△▲▽▼□■◇◆★☆→←↑↓…‥―‐“”‘’℃°±×÷"

// tablePunct is the non-ASCII punctuation of tables in alphabetic
// scripts.
const tablePunct = "\u00a0\u202f\u2009€£¥°±×–—‘’‚“”„…·•«»‰§№²³¹½¼¾µ©®™†‡¢"

// hangulWeight: a syllable of KS X 1001 (modern use) is plausible, and
// one of the most common syllables more so; the 8,822 others of CP949
// are what other double-byte text reads as.
func hangulWeight(r rune) float64 {
	cjkTables()
	if strings.ContainsRune(commonHangul, r) {
		return 1
	}
	if ksHangul[r-0xAC00] {
		return 0.6
	}
	return 0.05
}

// hanWeight: one of the most common Han characters of Chinese or
// Japanese is plausible; one of the first level of GB 2312, Big5 or JIS X
// 0208 less so; others are rare in tables, common in misreadings.
func hanWeight(r rune) float64 {
	cjkTables()
	if commonHanSet[r] {
		return 1
	}
	if level1Han[r] {
		return 0.4
	}
	return 0.05
}

// thaiInPlace reports whether the Thai character r may follow p and
// precede rest, as Thai is written: a vowel or tone mark above or below
// (and sara a, aa, am) follows a consonant or another mark, a vowel
// written before its consonant (เ แ โ ใ ไ) precedes one. Double-byte text
// read as windows-874 breaks these rules at every other character.
func thaiInPlace(p, r rune, rest string) bool {
	consonant := func(c rune) bool { return c >= 0x0E01 && c <= 0x0E2E }
	mark := func(c rune) bool { return c == 0x0E31 || c >= 0x0E34 && c <= 0x0E3A || c >= 0x0E47 && c <= 0x0E4E }
	switch {
	case mark(r), r == 0x0E30, r == 0x0E32, r == 0x0E33, r == 0x0E45:
		return consonant(p) || mark(p) || r == 0x0E30 && p == 0x0E32 // (เกาะ)
	case r >= 0x0E40 && r <= 0x0E44:
		next, _ := utf8.DecodeRuneInString(rest)
		return consonant(next)
	case r == 0x0E4F || r == 0x0E5A || r == 0x0E5B:
		return false // archaic signs: ๏ ๚ ๛
	}
	return true
}
