package main

import (
	"runtime/debug"
	"testing"

	"github.com/spf13/cobra"
)

func TestMemoryLimit(t *testing.T) {
	tests := []struct {
		value   string
		workers int
		env     string // GOMEMLIMIT
		set     bool   // --memory-limit given on the command line
		want    int64
		wantErr bool
	}{
		{value: "auto", workers: 1, want: 200 << 20},
		{value: "auto", workers: 2, want: 200 << 20},
		{value: "auto", workers: 8, want: 800 << 20},
		{value: "auto", workers: 2, env: "1GiB", want: 0},                    // the environment's limit stays
		{value: "auto", workers: 2, env: "1GiB", set: true, want: 200 << 20}, // unless the flag is given
		{value: "off", workers: 2, want: 0},
		{value: "512MiB", workers: 2, want: 512 << 20},
		{value: "1GB", workers: 2, env: "1GiB", set: true, want: 1e9},
		{value: "lots", wantErr: true},
		{value: "-5MiB", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.value+"/"+tt.env, func(t *testing.T) {
			t.Setenv("GOMEMLIMIT", tt.env)
			cmd := &cobra.Command{}
			var v string
			cmd.Flags().StringVar(&v, "memory-limit", "auto", "")
			if tt.set {
				if err := cmd.Flags().Set("memory-limit", tt.value); err != nil {
					t.Fatal(err)
				}
			}
			got, err := memoryLimit(cmd, tt.value, tt.workers)
			if (err != nil) != tt.wantErr {
				t.Fatalf("memoryLimit(%q) error %v, want error %v", tt.value, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("memoryLimit(%q, %d workers, GOMEMLIMIT=%q) = %d, want %d", tt.value, tt.workers, tt.env, got, tt.want)
			}
		})
	}
}

// A command's limit is lifted when it returns, so that commands run one
// after the other in one process (tests, serve) do not inherit it.
func TestSetMemoryLimitRestores(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	lift := setMemoryLimit(300 << 20)
	if got := debug.SetMemoryLimit(-1); got != 300<<20 {
		t.Errorf("limit while set = %d, want %d", got, 300<<20)
	}
	lift()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit after lift = %d, want %d", got, before)
	}
	setMemoryLimit(0)()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit 0 changed the limit to %d", got)
	}
}
