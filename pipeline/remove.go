package pipeline

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// RemoveLimit is the most published inputs a run may remove (--max-remove):
// a count, a share of the published inputs, or all. The zero value is the
// default, DefaultRemoveLimit. Only "all" (or 100%) lets a run remove
// every published input.
type RemoveLimit struct {
	set     bool
	all     bool
	count   int     // when percent < 0
	percent float64 // a share of the published inputs, 0 to 100
}

// DefaultRemoveLimit is at most half of the published inputs.
const DefaultRemoveLimit = "50%"

// ParseRemoveLimit reads a count ("10"), a share of the published inputs
// ("50%") or "all".
func ParseRemoveLimit(s string) (RemoveLimit, error) {
	bad := fmt.Errorf("--max-remove %q: want a count (10), a share of the published inputs (50%%) or all", s)
	t := strings.TrimSpace(s)
	switch {
	case t == "all":
		return RemoveLimit{set: true, all: true}, nil
	case strings.HasSuffix(t, "%"):
		p, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(t, "%")), 64)
		if err != nil || math.IsNaN(p) || p < 0 || p > 100 {
			return RemoveLimit{}, bad
		}
		if p == 100 {
			return RemoveLimit{set: true, all: true}, nil
		}
		return RemoveLimit{set: true, percent: p}, nil
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 0 {
		return RemoveLimit{}, bad
	}
	return RemoveLimit{set: true, count: n, percent: -1}, nil
}

func (l RemoveLimit) String() string {
	switch {
	case !l.set:
		return DefaultRemoveLimit
	case l.all:
		return "all"
	case l.percent < 0:
		return strconv.Itoa(l.count)
	}
	return strconv.FormatFloat(l.percent, 'f', -1, 64) + "%"
}

// Max returns how many of published inputs a run may remove: never all of
// them, unless the limit is all.
func (l RemoveLimit) Max(published int) int {
	switch {
	case l.all:
		return published
	case !l.set:
		return published / 2
	case l.percent < 0:
		return max(0, min(l.count, published-1))
	}
	// floor, and below 100% never all
	return min(int(math.Floor(float64(published)*l.percent/100)), max(0, published-1))
}

// RemovalRefusedError is returned by a run that would remove the outputs of
// more published inputs than its RemoveLimit allows. Nothing of the run
// is read, published or removed.
type RemovalRefusedError struct {
	Remove    []string // the inputs whose outputs would go, sorted
	Published int      // inputs with published outputs
	Found     int      // input files the run found
	Limit     RemoveLimit
}

// listed is how many inputs a refusal names before "and N more".
const listed = 5

func (e *RemovalRefusedError) Error() string {
	var b strings.Builder
	n := len(e.Remove)
	if e.Found == 0 {
		b.WriteString("found no input files, so ")
	}
	fmt.Fprintf(&b, "this run would remove the outputs of %d of the %d published inputs, more than --max-remove %s allows", n, e.Published, e.Limit)
	if m := e.Limit.Max(e.Published); m == 0 {
		b.WriteString(" (none)")
	} else {
		fmt.Fprintf(&b, " (at most %d)", m)
	}
	b.WriteString(": ")
	b.WriteString(strings.Join(e.Remove[:min(n, listed)], ", "))
	if n > listed {
		fmt.Fprintf(&b, " and %d more", n-listed)
	}
	b.WriteString("; nothing was read, published or removed. Check the input paths (a share not mounted? a folder emptied?); if these inputs are really gone, run again with ")
	if n == e.Published {
		b.WriteString("--max-remove all")
	} else {
		fmt.Fprintf(&b, "--max-remove %d (or all)", n)
	}
	return b.String()
}
