// Command tradeetl ingests spreadsheets of trade statistics, checks that
// their figures are consistent, and writes Parquet for BI tools.
//
//	tradeetl run [--out DIR] [--rules FILE] INPUT...
//	tradeetl serve --schedule "0 6 * * *" [--listen :9090] [run flags] INPUT...
//	tradeetl validate [--rules FILE] INPUT...
//	tradeetl inspect [--layout FILE] [--labels FILE] FILE...
//	tradeetl labels [--labels FILE] [--country CODE] NAME...
//	tradeetl rules [--rules FILE] [--yaml]
//	tradeetl version
//
// Exit codes: 0 every input read and no error-severity finding; 1 error
// findings or a quarantined delivery; 2 usage or configuration error, an
// input path that does not exist or cannot be listed, or more removals
// than --max-remove allows (nothing changed); 3 an input could not be read; 4 another run holds the output directory;
// 5 the output directory or the environment failed (nothing of the run
// published); 130/143 stopped by SIGINT/SIGTERM (nothing of the run
// published; a signal that comes once publication has begun lets it
// finish, and the run exits with its own code).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	stop := profile()
	code := tradeetl(os.Args[1:])
	stop()
	os.Exit(code)
}

// tradeetl runs the command line and returns the exit code. The first
// SIGINT or SIGTERM cancels the command's context with a *signalError as
// its cause: a run then stops cleanly, publishes nothing and exits
// 128+signal, unless it has begun to publish (its journal written), which
// it then finishes. A run that has not stopped stopGrace after the signal
// (some step that does not heed it) is ended there, as is any command at
// a second signal; whatever the run left is cleaned up by the next.
func tradeetl(args []string) int {
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	stop := &stopState{}
	ctx = context.WithValue(ctx, stopKey{}, stop)
	go func() {
		sig := <-sigs
		cancel(&signalError{sig})
		grace := time.NewTimer(stopGrace)
		for {
			select {
			case sig = <-sigs:
				fmt.Fprintf(os.Stderr, "tradeetl: %v again: exiting now; the next run removes what this one left\n", signalName(sig))
				os.Exit(signalExitCode(sig))
			case <-grace.C:
				if stop.watched.Load() && !stop.publishing.Load() {
					fmt.Fprintf(os.Stderr, "tradeetl: interrupted by %v: the run did not stop within %v; exiting now: nothing of it was published, and the next run removes what it left\n", signalName(sig), stopGrace)
					os.Exit(signalExitCode(sig))
				}
			}
		}
	}()
	return execute(ctx, args, os.Stdout, os.Stderr)
}

// stopGrace is how long a run may take to stop after a signal. Every stage
// heeds cancellation well within it; it bounds the steps that cannot be
// interrupted.
const stopGrace = 1500 * time.Millisecond

// stopState is what the signal handler needs to know of a run in progress.
type stopState struct {
	watched    atomic.Bool // a run or validate command that stopGrace applies to
	publishing atomic.Bool // the run's journal is being written: let it finish
}

type stopKey struct{}

// watchStop marks the command of ctx as one that a signal must end within
// stopGrace, and returns the hook that tells when its run has begun to
// publish (pipeline.Config.Publishing).
func watchStop(ctx context.Context) func(runID string) {
	st, _ := ctx.Value(stopKey{}).(*stopState)
	if st == nil {
		return nil
	}
	st.watched.Store(true)
	return func(string) { st.publishing.Store(true) }
}

// signalError is the cancellation cause of a signal.
type signalError struct{ sig os.Signal }

func (e *signalError) Error() string { return "interrupted by " + signalName(e.sig) }

func signalName(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return sig.String()
}

// signalExitCode is the shell's code for a process ended by sig: 128+n
// (130 for SIGINT, 143 for SIGTERM).
func signalExitCode(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 130
}
