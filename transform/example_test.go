package transform_test

import (
	"context"
	"fmt"
	"log"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/transform"
)

// Workbook reads every table of an opened workbook into observations, one
// per figure, each with the cell it came from; emit receives them in
// batches with the findings of what could not be read or was assumed.
func ExampleWorkbook() {
	const path = "../fixtures/newsletter-2013.xlsx"
	wb, err := extract.Open(path, extract.Limits{})
	if err != nil {
		log.Fatal(err)
	}
	defer wb.Close()

	var obs []schemas.Observation
	var findings []schemas.Finding
	sheets, err := transform.Workbook(context.Background(), wb, transform.Options{File: path},
		func(o []schemas.Observation, f []schemas.Finding) error {
			obs = append(obs, o...)
			findings = append(findings, f...)
			return nil
		})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d sheets, %d observations, %d findings\n", len(sheets), len(obs), len(findings))
	o := obs[0]
	fmt.Printf("%s!%s: %s %s %s %s %s = %v %s × %g\n", o.Sheet, o.Cell, o.Reporter, o.Flow, o.Partner, o.Measure, o.Period, o.Value, o.Unit, o.Scale)
	// Output:
	// 1 sheets, 36 observations, 0 findings
	// Trade with China!B4: Belgium exports China level 2011 = 6.75 EUR × 1e+09
}
