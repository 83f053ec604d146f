package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

func TestRemoveLimit(t *testing.T) {
	for _, tt := range []struct {
		spec string
		// Max of 0, 1, 2, 3, 4 and 10 published inputs
		max [6]int
	}{
		{"", [6]int{0, 0, 1, 1, 2, 5}}, // the zero value: the default
		{"50%", [6]int{0, 0, 1, 1, 2, 5}},
		{"10%", [6]int{0, 0, 0, 0, 0, 1}},
		{"99.9%", [6]int{0, 0, 1, 2, 3, 9}},
		{"0", [6]int{0, 0, 0, 0, 0, 0}},
		{"3", [6]int{0, 0, 1, 2, 3, 3}}, // a count never allows all
		{"100%", [6]int{0, 1, 2, 3, 4, 10}},
		{"all", [6]int{0, 1, 2, 3, 4, 10}},
	} {
		var l RemoveLimit
		if tt.spec != "" {
			var err error
			if l, err = ParseRemoveLimit(tt.spec); err != nil {
				t.Fatalf("%q: %v", tt.spec, err)
			}
		}
		for i, published := range []int{0, 1, 2, 3, 4, 10} {
			if got := l.Max(published); got != tt.max[i] {
				t.Errorf("--max-remove %q: Max(%d) = %d, want %d", tt.spec, published, got, tt.max[i])
			}
		}
	}
	for _, s := range []string{"50%", "10", "all", "0"} {
		if l, _ := ParseRemoveLimit(s); l.String() != s {
			t.Errorf("%q reads back as %q", s, l.String())
		}
	}
	if (RemoveLimit{}).String() != "50%" {
		t.Errorf("the default reads %q", RemoveLimit{}.String())
	}
	for _, s := range []string{"", "-1", "half", "101%", "-5%", "NaN%", "1.5"} {
		if _, err := ParseRemoveLimit(s); err == nil || !strings.Contains(err.Error(), "want a count (10), a share of the published inputs (50%) or all") {
			t.Errorf("ParseRemoveLimit(%q): %v", s, err)
		}
	}
}

func TestRemovalRefusedMessage(t *testing.T) {
	l, _ := ParseRemoveLimit("2")
	err := error(&RemovalRefusedError{Remove: []string{"a", "b", "c", "d", "e", "f", "g"}, Published: 10, Found: 3, Limit: l})
	want := "this run would remove the outputs of 7 of the 10 published inputs, more than --max-remove 2 allows (at most 2): a, b, c, d, e and 2 more; nothing was read, published or removed. " +
		"Check the input paths (a share not mounted? a folder emptied?); if these inputs are really gone, run again with --max-remove 7 (or all)"
	var re *RemovalRefusedError
	if !errors.As(err, &re) || err.Error() != want {
		t.Errorf("got  %s\nwant %s", err, want)
	}
}

// With state.json lost, the manifest still says which inputs are
// published: removing most of them is refused all the same.
func TestRemovalRefusedWithoutState(t *testing.T) {
	in := inputs(t)
	out := filepath.Join(t.TempDir(), "out")
	cfg := Config{Inputs: []string{in}, OutDir: out}
	run(t, cfg)
	if err := os.Remove(filepath.Join(out, load.StateFile)); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"newsletter-2013.xlsx", "products-2013.xlsx"} {
		if err := os.Remove(filepath.Join(in, name)); err != nil {
			t.Fatal(err)
		}
	}
	before := fileIDs(t, out)
	_, err := Run(context.Background(), cfg)
	var re *RemovalRefusedError
	if !errors.As(err, &re) || re.Published != 3 || len(re.Remove) != 2 || re.Found != 1 {
		t.Fatalf("Run: %v", err)
	}
	if after := fileIDs(t, out); !sameFiles(after, before) {
		t.Errorf("a refused run changed the output:\n%v\n%v", before, after)
	}
	cfg.MaxRemove, _ = ParseRemoveLimit("2")
	rep := run(t, cfg)
	if got := statuses(rep); len(got) != 1 || got["newsletter-2013-errors.xlsx"] != schemas.StatusLoaded {
		t.Errorf("with --max-remove 2: %v", got)
	}
	if rows := observationRows(t, out); len(rows) != 1 {
		t.Errorf("observations/ holds %v", rows)
	}
	checkManifest(t, out)
}
