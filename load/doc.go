// Package load writes tradeetl's output directory. In: observations,
// findings and the run report. Out: Parquet files (pqarrow; zstd;
// dictionary encoding; statistics; microsecond UTC timestamps; no unsigned
// types), report.json, state.json and manifest.json, laid out as
// [ObservationsDir], [FindingsDir], [RunsDir] describe.
//
// Every file is written under a temporary name in its destination
// directory, fsynced, verified and renamed into place only when complete.
// A run's files are published together by a [Publication]: staged complete
// in OUT/.staging/RUN_ID/, then renamed into place following a journal
// written first, so that [Recover] can finish a publication a killed run
// started, and manifest.json, written last, always lists a complete set.
// [AcquireLock] keeps two runs out of one directory; [State] is what the
// next run needs to skip unchanged inputs.
//
// The column layout of each Parquet file is defined once, as data, in
// [schemas.ObservationColumns], [schemas.FindingColumns] and
// [schemas.RunColumns]; the writers build their Arrow schema and their
// per-column encodings from those lists, and [ReadObservations] and
// [ReadFindings] read them back.
//
// Temporary files are named ".NAME.RANDOM.tmp" so that readers globbing
// "*.parquet" never see a half-written file, and a crash leaves at worst a
// hidden temporary file beside intact output, which Recover removes.
package load
