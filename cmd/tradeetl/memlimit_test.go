package main

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

func TestMemoryLimit(t *testing.T) {
	tests := []struct {
		value    string
		workers  int
		env      string // GOMEMLIMIT
		set      bool   // --memory-limit given on the command line
		want     int64
		adaptive bool
		wantErr  bool
	}{
		{value: "auto", workers: 1, want: 200 << 20, adaptive: true},
		{value: "auto", workers: 2, want: 200 << 20, adaptive: true},
		{value: "auto", workers: 8, want: 800 << 20, adaptive: true},
		{value: "auto", workers: 2, env: "1GiB", want: 0},                                    // the environment's limit stays
		{value: "auto", workers: 2, env: "1GiB", set: true, want: 200 << 20, adaptive: true}, // unless the flag is given
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
			got, adaptive, err := memoryLimit(cmd, tt.value, tt.workers)
			if (err != nil) != tt.wantErr {
				t.Fatalf("memoryLimit(%q) error %v, want error %v", tt.value, err, tt.wantErr)
			}
			if got != tt.want || adaptive != tt.adaptive {
				t.Errorf("memoryLimit(%q, %d workers, GOMEMLIMIT=%q) = %d, adaptive %v; want %d, %v", tt.value, tt.workers, tt.env, got, adaptive, tt.want, tt.adaptive)
			}
		})
	}
}

func TestAdaptiveLimit(t *testing.T) {
	for _, tt := range []struct{ floor, live, want int64 }{
		{200 << 20, 0, 200 << 20},
		{200 << 20, 100 << 20, 200 << 20},
		{200 << 20, 150 << 20, 200 << 20},
		{200 << 20, 153 << 20, 204 << 20}, // past three quarters of the floor: raised
		{200 << 20, 600 << 20, 800 << 20},
	} {
		if got := adaptiveLimit(tt.floor, tt.live); got != tt.want {
			t.Errorf("adaptiveLimit(%d MiB, live %d MiB) = %d MiB, want %d MiB", tt.floor>>20, tt.live>>20, got>>20, tt.want>>20)
		}
	}
}

// A command's limit is lifted when it returns, so that commands run one
// after the other in one process (tests, serve) do not inherit it.
func TestSetMemoryLimitRestores(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	for _, adaptive := range []bool{false, true} {
		lift := setMemoryLimit(300<<20, adaptive)
		if got := debug.SetMemoryLimit(-1); got != 300<<20 {
			t.Errorf("adaptive %v: limit while set = %d, want %d", adaptive, got, 300<<20)
		}
		lift()
		if got := debug.SetMemoryLimit(-1); got != before {
			t.Errorf("adaptive %v: limit after lift = %d, want %d", adaptive, got, before)
		}
	}
	setMemoryLimit(0, true)()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit 0 changed the limit to %d", got)
	}
}

// An adaptive limit below the live heap is raised above it, so that the
// collector does not run without pause.
func TestAdaptiveLimitFollowsLiveHeap(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)
	const floor = 4 << 20
	live := make([]byte, 64<<20) // far above the floor
	for i := range live {
		live[i] = byte(i)
	}
	lift := setMemoryLimit(floor, true)
	defer lift()
	deadline := time.Now().Add(5 * time.Second)
	for {
		runtime.GC() // the live heap is measured by a collection
		if got := debug.SetMemoryLimit(-1); got >= 64<<20 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("limit %d MiB with a live heap of over 64 MiB", debug.SetMemoryLimit(-1)>>20)
		}
		time.Sleep(watchEvery)
	}
	runtime.KeepAlive(live)
}
