// Package load writes tradeetl's outputs. In: observations, findings and the
// run report. Out: Parquet files (pqarrow; zstd; dictionary encoding;
// statistics; microsecond UTC timestamps; no unsigned types) and
// report.json, each written under a temporary name in the destination
// directory, fsynced, verified and renamed into place only when complete.
//
// The column layout of each Parquet file is defined once, as data, in
// [schemas.ObservationColumns] and [schemas.FindingColumns]; the writers
// build their Arrow schema and their per-column encodings from those lists.
//
// Temporary files are named ".NAME.RANDOM.tmp" so that readers globbing
// "*.parquet" in the output directory never see a half-written file, and a
// crash leaves at worst a hidden temporary file beside intact output.
package load
