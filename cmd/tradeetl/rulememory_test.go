package main

import "testing"

// --rule-memory takes a size or off; anything else is a usage error.
func TestRuleMemoryFlag(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		bad  bool
	}{
		{in: "64MiB", want: 64 << 20},
		{in: "1GiB", want: 1 << 30},
		{in: "1048576", want: 1 << 20},
		{in: "off", want: -1},
		{in: " OFF ", want: -1},
		{in: "none", want: -1},
		{in: "0", bad: true},
		{in: "-5MiB", bad: true},
		{in: "lots", bad: true},
		{in: "", bad: true},
	}
	for _, tt := range tests {
		got, err := ruleMemory(tt.in)
		switch {
		case tt.bad && err == nil:
			t.Errorf("ruleMemory(%q) = %d, want an error", tt.in, got)
		case !tt.bad && (err != nil || got != tt.want):
			t.Errorf("ruleMemory(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}
