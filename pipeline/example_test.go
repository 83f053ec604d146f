package pipeline_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/tradeetl/tradeetl/pipeline"
)

// Run reads a directory of spreadsheets, checks their figures and writes
// the Parquet outputs, report.json and report.html under OutDir. Here it
// runs on a copy of the bundled fixtures: two deliveries of a newsletter
// (one with planted errors) and a product table.
func ExampleRun() {
	tmp, err := os.MkdirTemp("", "tradeetl-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	in := filepath.Join(tmp, "in")
	if err := os.CopyFS(in, os.DirFS("../fixtures")); err != nil {
		log.Fatal(err)
	}

	rep, err := pipeline.Run(context.Background(), pipeline.Config{
		Inputs:  []string{in},
		OutDir:  filepath.Join(tmp, "out"),
		Version: "example",
	})
	if err != nil {
		log.Fatal(err) // the run could not be made; a bad input is a result
	}
	t := rep.Tally()
	fmt.Printf("%d inputs: %d loaded, %d failed\n", t.Inputs, t.Loaded, t.Failed)
	fmt.Printf("%d observations\n", t.Observations)
	fmt.Printf("%d findings: %d errors, %d warnings, %d suspect cells\n", t.Findings, t.Errors, t.Warnings, t.Suspects)
	fmt.Println("exit code", pipeline.ExitCode(rep))
	// Output:
	// 3 inputs: 3 loaded, 0 failed
	// 100 observations
	// 16 findings: 14 errors, 2 warnings, 4 suspect cells
	// exit code 1
}
