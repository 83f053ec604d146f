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
// 130/143 stopped by SIGINT/SIGTERM (nothing of the run published).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
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
// its cause: a run then stops cleanly and exits 128+signal. A second one
// exits at once; whatever the run left is cleaned up by the next.
func tradeetl(args []string) int {
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		sig := <-sigs
		cancel(&signalError{sig})
		sig = <-sigs
		fmt.Fprintf(os.Stderr, "tradeetl: %v again: exiting now; the next run removes what this one left\n", sig)
		os.Exit(signalExitCode(sig))
	}()
	return execute(ctx, args, os.Stdout, os.Stderr)
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
