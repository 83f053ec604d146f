package vocab

import (
	"bufio"
	"bytes"
	_ "embed"
	"strconv"
	"strings"
	"sync"

	"github.com/tradeetl/tradeetl/schemas"
)

//go:embed calendar.tsv
var calendarTSV []byte

var (
	calOnce  sync.Once
	months   map[string]int // folded word -> 1..12
	quarters map[string]int // folded phrase -> 1..4
)

func loadCalendar() {
	months, quarters = map[string]int{}, map[string]int{}
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
	m, ok := months[strings.Join(schemas.Fold(word), " ")]
	return m, ok
}

// QuarterWord returns the quarter (1-4) a whole text names: CLDR's quarter
// names in the package's languages ("Q1", "1st quarter", "1. Quartal",
// "1er trimestre", "I kwartał", "I kw.", "1:a kvartalet", "K1", "T1").
func QuarterWord(text string) (quarter int, ok bool) {
	calOnce.Do(loadCalendar)
	q, ok := quarters[strings.Join(schemas.Fold(text), " ")]
	return q, ok
}
