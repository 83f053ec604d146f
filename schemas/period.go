package schemas

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Period types. A cumulative period is a run of months reported as one
// figure ("Jan–Jun 2024", "year to date September 2024").
const (
	PeriodYear       = "year"
	PeriodHalf       = "half"
	PeriodQuarter    = "quarter"
	PeriodMonth      = "month"
	PeriodCumulative = "cumulative"
)

// Period is a calendar year, half year, quarter, month, or a cumulative run
// of months. Sub is the half (1–2), quarter (1–4) or month (1–12), 0 for
// years, and the first month of a cumulative period, which ends with month
// EndMonth of EndYear (both 0 for the other types).
type Period struct {
	Type     string
	Year     int
	Sub      int
	EndYear  int
	EndMonth int
}

// Cumulative returns the cumulative period from month m1 of y1 to month m2
// of y2, both included.
func Cumulative(y1, m1, y2, m2 int) Period {
	return Period{Type: PeriodCumulative, Year: y1, Sub: m1, EndYear: y2, EndMonth: m2}
}

// String returns the canonical label: "2013", "2013S1", "2013Q1",
// "2013-01", or "2024-01/2024-06" for a cumulative period.
func (p Period) String() string {
	switch p.Type {
	case PeriodHalf:
		return fmt.Sprintf("%04dS%d", p.Year, p.Sub)
	case PeriodQuarter:
		return fmt.Sprintf("%04dQ%d", p.Year, p.Sub)
	case PeriodMonth:
		return fmt.Sprintf("%04d-%02d", p.Year, p.Sub)
	case PeriodCumulative:
		return fmt.Sprintf("%04d-%02d/%04d-%02d", p.Year, p.Sub, p.EndYear, p.EndMonth)
	}
	return fmt.Sprintf("%04d", p.Year)
}

// Months returns the first and last month of the period as months since
// year 0 (year*12 + month - 1).
func (p Period) Months() (first, last int) {
	base := p.Year * 12
	switch p.Type {
	case PeriodHalf:
		return base + 6*(p.Sub-1), base + 6*p.Sub - 1
	case PeriodQuarter:
		return base + 3*(p.Sub-1), base + 3*p.Sub - 1
	case PeriodMonth:
		return base + p.Sub - 1, base + p.Sub - 1
	case PeriodCumulative:
		return base + p.Sub - 1, p.EndYear*12 + p.EndMonth - 1
	}
	return base, base + 11
}

// Start returns the first day of the period (UTC).
func (p Period) Start() time.Time {
	first, _ := p.Months()
	return time.Date(first/12, time.Month(first%12+1), 1, 0, 0, 0, 0, time.UTC)
}

// Prev returns the period just before p of the same kind (2012 for 2013,
// 2012Q4 for 2013Q1, 2012S2 for 2013S1). The period before a cumulative
// period is the same months a year earlier: a series of "Jan–Jun" figures
// runs from year to year.
func (p Period) Prev() Period {
	switch p.Type {
	case PeriodHalf, PeriodQuarter, PeriodMonth:
		n := map[string]int{PeriodHalf: 2, PeriodQuarter: 4, PeriodMonth: 12}[p.Type]
		if p.Sub == 1 {
			return Period{Type: p.Type, Year: p.Year - 1, Sub: n}
		}
		return Period{Type: p.Type, Year: p.Year, Sub: p.Sub - 1}
	}
	return p.YearAgo()
}

// YearAgo returns the same period one year earlier (2023Q1 for 2024Q1).
func (p Period) YearAgo() Period {
	q := p
	q.Year--
	if q.Type == PeriodCumulative {
		q.EndYear--
	}
	return q
}

// Valid reports whether p is a period ParsePeriod could return.
func (p Period) Valid() bool {
	if p.Year < minYear || p.Year > maxYear {
		return false
	}
	switch p.Type {
	case PeriodYear:
		return p.Sub == 0
	case PeriodHalf:
		return p.Sub >= 1 && p.Sub <= 2
	case PeriodQuarter:
		return p.Sub >= 1 && p.Sub <= 4
	case PeriodMonth:
		return p.Sub >= 1 && p.Sub <= 12
	case PeriodCumulative:
		f, l := p.Months()
		return p.Sub >= 1 && p.Sub <= 12 && p.EndMonth >= 1 && p.EndMonth <= 12 && l >= f && l-f < 24
	}
	return false
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
	reYearHalf     = regexp.MustCompile(`^(\d{4})\s*[-/ ]?\s*(?:s|h)([12])$`)
	reHalfYear     = regexp.MustCompile(`^(?:s|h)([12])\s*[-/ ]?\s*(\d{4})$`)
	reYearMonth    = regexp.MustCompile(`^(\d{4})\s*(?:-|/|m)\s*(\d{1,2})$`)
	reMonthYearNum = regexp.MustCompile(`^(\d{1,2})\s*[-/]\s*(\d{4})$`)
	reMonthName    = regexp.MustCompile(`^([\p{L}]+)\.?\s*[-/ ]?\s*(\d{4})$`)
	reYearFloat    = regexp.MustCompile(`^(\d{4})\.0+$`)
	reRange        = regexp.MustCompile(`^(\d{4})-(\d{2})\s*(?:/|\.\.)\s*(\d{4})-(\d{2})$`)
)

// monthNames maps English, Dutch and French month names and their usual
// abbreviations to month numbers, for the canonical and layout-file forms
// ParsePeriod reads; the words of other languages are in the label
// dictionary ([Dictionary.Period]).
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

// ParsePeriod reads a period in its canonical or a common compact form:
// "2013", "2013Q1", "Q1 2013", "2013-Q1", "2013S1", "H1 2013", "2013-01",
// "2013M01", "01/2013", "Jan 2013", "janvier 2013", and cumulative
// "2024-01/2024-06". Footnote marks must already be removed. It reports
// false for anything else, including years outside 1900–2100. Periods as
// tables write them in many languages ("I kw. 2023", "Jänner bis Juni
// 2024") are read by [Dictionary.Period].
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
			return Period{Type: PeriodYear, Year: y}, true
		}
		return Period{}, false
	}
	if m := reYearFloat.FindStringSubmatch(s); m != nil {
		if y, ok := year(m[1]); ok {
			return Period{Type: PeriodYear, Year: y}, true
		}
		return Period{}, false
	}
	if m := reYearQuarter.FindStringSubmatch(s); m != nil {
		if y, ok := year(m[1]); ok {
			return Period{Type: PeriodQuarter, Year: y, Sub: int(m[2][0] - '0')}, true
		}
	}
	if m := reQuarterYear.FindStringSubmatch(s); m != nil {
		if y, ok := year(m[2]); ok {
			return Period{Type: PeriodQuarter, Year: y, Sub: int(m[1][0] - '0')}, true
		}
	}
	if m := reYearHalf.FindStringSubmatch(s); m != nil {
		if y, ok := year(m[1]); ok {
			return Period{Type: PeriodHalf, Year: y, Sub: int(m[2][0] - '0')}, true
		}
	}
	if m := reHalfYear.FindStringSubmatch(s); m != nil {
		if y, ok := year(m[2]); ok {
			return Period{Type: PeriodHalf, Year: y, Sub: int(m[1][0] - '0')}, true
		}
	}
	if m := reYearMonth.FindStringSubmatch(s); m != nil {
		mo, _ := strconv.Atoi(m[2])
		if y, ok := year(m[1]); ok && mo >= 1 && mo <= 12 {
			return Period{Type: PeriodMonth, Year: y, Sub: mo}, true
		}
	}
	if m := reMonthYearNum.FindStringSubmatch(s); m != nil {
		mo, _ := strconv.Atoi(m[1])
		if y, ok := year(m[2]); ok && mo >= 1 && mo <= 12 {
			return Period{Type: PeriodMonth, Year: y, Sub: mo}, true
		}
	}
	if m := reMonthName.FindStringSubmatch(s); m != nil {
		if mo, ok := monthNames[m[1]]; ok {
			if y, ok := year(m[2]); ok {
				return Period{Type: PeriodMonth, Year: y, Sub: mo}, true
			}
		}
	}
	if m := reRange.FindStringSubmatch(s); m != nil {
		y1, ok1 := year(m[1])
		y2, ok2 := year(m[3])
		m1, _ := strconv.Atoi(m[2])
		m2, _ := strconv.Atoi(m[4])
		if p := Cumulative(y1, m1, y2, m2); ok1 && ok2 && p.Valid() {
			return p, true
		}
	}
	return Period{}, false
}
