// Command tradeetl ingests spreadsheets of trade statistics, checks that
// their figures are consistent, and writes Parquet for BI tools.
//
//	tradeetl run [--out DIR] [--rules FILE] INPUT...
//	tradeetl validate [--rules FILE] INPUT...
//	tradeetl version
//
// Exit codes: 0 every input read and no error-severity finding; 1 error
// findings; 2 usage or configuration error; 3 an input could not be read.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(tradeetl(os.Args[1:]))
}

// tradeetl runs the command line and returns the exit code.
func tradeetl(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return execute(ctx, args, os.Stdout, os.Stderr)
}
