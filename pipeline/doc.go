// Package pipeline runs tradeetl's stages over a set of inputs.
//
// In: paths (files or directories) and a Config. Out: a schemas.Report
// describing every input, the outputs written and the findings; with an
// output directory, the Parquet files and report.json written by package
// load.
//
// Files are read in parallel (extract → transform → record rules), each
// file's failure is recorded in its InputReport and never stops the others,
// and the output of a failed file is dropped whole: nothing of it reaches
// the Parquet files. Consistency rules then run over the observations of
// every loaded file, and load publishes the results.
package pipeline
