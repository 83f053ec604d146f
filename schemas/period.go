package schemas

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Period types.
const (
	PeriodYear    = "year"
	PeriodQuarter = "quarter"
	PeriodMonth   = "month"
)

// Period is a calendar year, quarter or month. Sub is the quarter (1–4) or
// month (1–12); it is 0 for years.
type Period struct {
	Type string
	Year int
	Sub  int
}

// String returns the canonical label: "2013", "2013Q1" or "2013-01".
func (p Period) String() string {
	switch p.Type {
	case PeriodQuarter:
		return fmt.Sprintf("%04dQ%d", p.Year, p.Sub)
	case PeriodMonth:
		return fmt.Sprintf("%04d-%02d", p.Year, p.Sub)
	}
	return fmt.Sprintf("%04d", p.Year)
}

// Start returns the first day of the period (UTC).
func (p Period) Start() time.Time {
	month := 1
	switch p.Type {
	case PeriodQuarter:
		month = 3*(p.Sub-1) + 1
	case PeriodMonth:
		month = p.Sub
	}
	return time.Date(p.Year, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
}

// Prev returns the period just before p (2012 for 2013, 2012Q4 for 2013Q1).
func (p Period) Prev() Period {
	switch p.Type {
	case PeriodQuarter:
		if p.Sub == 1 {
			return Period{PeriodQuarter, p.Year - 1, 4}
		}
		return Period{PeriodQuarter, p.Year, p.Sub - 1}
	case PeriodMonth:
		if p.Sub == 1 {
			return Period{PeriodMonth, p.Year - 1, 12}
		}
		return Period{PeriodMonth, p.Year, p.Sub - 1}
	}
	return Period{PeriodYear, p.Year - 1, 0}
}

// Years outside this range are not read as periods, so that figures such as
// 6.80 or 12345 in a header row are not mistaken for years.
const (
	minYear = 1900
	maxYear = 2100
)

var (
	reYear         = regexp.MustCompile(`^(\d{4})$`)
	reYearQuarter  = regexp.MustCompile(`^(\d{4})\s*[-/ ]?\s*(?:q|k|t)([1-4])$`)
	reQuarterYear  = regexp.MustCompile(`^(?:q|k|t)([1-4])\s*[-/ ]?\s*(\d{4})$`)
	reYearMonth    = regexp.MustCompile(`^(\d{4})\s*(?:-|/|m)\s*(\d{1,2})$`)
	reMonthYearNum = regexp.MustCompile(`^(\d{1,2})\s*[-/]\s*(\d{4})$`)
	reMonthName    = regexp.MustCompile(`^([\p{L}]+)\.?\s*[-/ ]?\s*(\d{4})$`)
	reYearFloat    = regexp.MustCompile(`^(\d{4})\.0+$`)
)

// monthNames maps English, Dutch and French month names and their usual
// abbreviations to month numbers.
var monthNames = map[string]int{
	"jan": 1, "january": 1, "januari": 1, "janvier": 1, "janv": 1,
	"feb": 2, "february": 2, "februari": 2, "février": 2, "fevrier": 2, "févr": 2, "fev": 2, "fév": 2,
	"mar": 3, "march": 3, "maart": 3, "mrt": 3, "mars": 3,
	"apr": 4, "april": 4, "avril": 4, "avr": 4,
	"may": 5, "mei": 5, "mai": 5,
	"jun": 6, "june": 6, "juni": 6, "juin": 6,
	"jul": 7, "july": 7, "juli": 7, "juillet": 7, "juil": 7,
	"aug": 8, "august": 8, "augustus": 8, "août": 8, "aout": 8,
	"sep": 9, "sept": 9, "september": 9, "septembre": 9,
	"oct": 10, "october": 10, "okt": 10, "oktober": 10, "octobre": 10,
	"nov": 11, "november": 11, "novembre": 11,
	"dec": 12, "december": 12, "décembre": 12, "decembre": 12, "déc": 12,
}

// ParsePeriod reads a period label as people write it in headers and period
// columns: "2013", "2013Q1", "Q1 2013", "2013-01", "2013M01", "01/2013",
// "Jan 2013", "janvier 2013". Footnote marks must already be removed. It
// reports false for anything else, including years outside 1900–2100.
func ParsePeriod(s string) (Period, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return Period{}, false
	}
	year := func(t string) (int, bool) {
		y, err := strconv.Atoi(t)
		return y, err == nil && y >= minYear && y <= maxYear
	}
	if m := reYear.FindStringSubmatch(s); m != nil {
		if y, ok := year(m[1]); ok {
			return Period{PeriodYear, y, 0}, true
		}
		return Period{}, false
	}
	if m := reYearFloat.FindStringSubmatch(s); m != nil {
		if y, ok := year(m[1]); ok {
			return Period{PeriodYear, y, 0}, true
		}
		return Period{}, false
	}
	if m := reYearQuarter.FindStringSubmatch(s); m != nil {
		if y, ok := year(m[1]); ok {
			return Period{PeriodQuarter, y, int(m[2][0] - '0')}, true
		}
	}
	if m := reQuarterYear.FindStringSubmatch(s); m != nil {
		if y, ok := year(m[2]); ok {
			return Period{PeriodQuarter, y, int(m[1][0] - '0')}, true
		}
	}
	if m := reYearMonth.FindStringSubmatch(s); m != nil {
		mo, _ := strconv.Atoi(m[2])
		if y, ok := year(m[1]); ok && mo >= 1 && mo <= 12 {
			return Period{PeriodMonth, y, mo}, true
		}
	}
	if m := reMonthYearNum.FindStringSubmatch(s); m != nil {
		mo, _ := strconv.Atoi(m[1])
		if y, ok := year(m[2]); ok && mo >= 1 && mo <= 12 {
			return Period{PeriodMonth, y, mo}, true
		}
	}
	if m := reMonthName.FindStringSubmatch(s); m != nil {
		if mo, ok := monthNames[m[1]]; ok {
			if y, ok := year(m[2]); ok {
				return Period{PeriodMonth, y, mo}, true
			}
		}
	}
	return Period{}, false
}
