package vocab

import (
	"bufio"
	"bytes"
	_ "embed"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/tradeetl/tradeetl/schemas"
)

//go:embed calendar.tsv
var calendarTSV []byte

var (
	calOnce  sync.Once
	months   map[string]int // folded word -> 1..12
	quarters map[string]int // folded phrase -> 1..4
	// stems of the month words of Cyrillic and Greek script, whose case
	// forms CLDR does not list ("январю", "июне", "Ιουνίου"): the word
	// without its last one or two letters -> 1..12, or 0 when two months
	// share it
	monthStems map[string]int
)

func loadCalendar() {
	months, quarters, monthStems = map[string]int{}, map[string]int{}, map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(calendarTSV))
	for sc.Scan() {
		s := sc.Text()
		if s == "" || s[0] == '#' {
			continue
		}
		f := strings.Split(s, "\t")
		if len(f) != 4 {
			continue // the test of the generated file reports it
		}
		n, err := strconv.Atoi(f[1])
		if err != nil {
			continue
		}
		k := strings.Join(schemas.Fold(f[3]), " ")
		switch f[0] {
		case "M":
			months[k] = n
			addMonthStems(k, n)
		case "Q":
			quarters[k] = n
		}
	}
}

// MonthWord returns the month (1-12) a word names in any of the package's
// languages and regional forms: wide and abbreviated, format and
// stand-alone ("Jänner", "janv.", "stycznia", "mrt", "Sept", "giu").
// Case, accents and a trailing dot are ignored. Words that name different
// months in two languages are not in the data (the generator drops and logs
// them; CLDR 41 has none for these languages). Day names are not in the
// data, so "mar" is March (en, es, it, pl), not Spanish "martes"; other
// abbreviations that are also words ("mai", "set", "out" for Portuguese
// outubro) are months too: call MonthWord only where a month is expected.
func MonthWord(word string) (month int, ok bool) {
	calOnce.Do(loadCalendar)
	k := strings.Join(schemas.Fold(word), " ")
	if m, ok := months[k]; ok {
		return m, ok
	}
	// a case form in Cyrillic or Greek script: its stem
	if r := []rune(k); len(r) >= 4 && inflectedScript(r[0]) {
		for cut := 1; cut <= 2 && len(r)-cut >= 3; cut++ {
			if m := monthStems[string(r[:len(r)-cut])]; m > 0 {
				return m, true
			}
		}
	}
	return 0, false
}

// addMonthStems records the stems of a month word of Cyrillic or Greek
// script.
func addMonthStems(word string, month int) {
	r := []rune(word)
	if len(r) < 4 || !inflectedScript(r[0]) {
		return
	}
	for cut := 0; cut <= 2 && len(r)-cut >= 3; cut++ {
		st := string(r[:len(r)-cut])
		if m, seen := monthStems[st]; seen && m != month {
			monthStems[st] = 0
			continue
		}
		monthStems[st] = month
	}
}

// inflectedScript reports whether r is a letter of a script whose
// month names take case endings CLDR does not list.
func inflectedScript(r rune) bool {
	return unicode.Is(unicode.Cyrillic, r) || unicode.Is(unicode.Greek, r)
}

// QuarterWord returns the quarter (1-4) a whole text names: CLDR's quarter
// names in the package's languages ("Q1", "1st quarter", "1. Quartal",
// "1er trimestre", "I kwartał", "I kw.", "1:a kvartalet", "K1", "T1").
func QuarterWord(text string) (quarter int, ok bool) {
	calOnce.Do(loadCalendar)
	q, ok := quarters[strings.Join(schemas.Fold(text), " ")]
	return q, ok
}
