// Package xlsxscan is a streaming reader for the cells of xlsx/xlsm
// worksheets, built for speed on large sheets.
//
// In: an xlsx package (a path, or an io.ReaderAt and its size). Out: a
// [Workbook] listing its worksheets (name, visibility, part) and its date
// system, whose sheets are read row by row through a [SheetReader] as
// [Cell]s carrying the same information as extract.Cell: position, kind
// (number, string, bool, error, ISO date, formula without cached value),
// the value as stored, its number, the number format code of its style and
// its formula.
//
// The worksheet XML is read with byte scanning — no reflection, no
// allocation per token — while a second goroutine inflates the next chunks
// of the part, so that parsing and decompression share the two cores. The
// shared-strings table and the styles are read once per workbook.
//
// Hostile files: the bytes inflated per part and per workbook are counted
// as they are decompressed (zip headers are not trusted), strings, rows and
// cell positions are bounded, a DOCTYPE is refused (so no entity is ever
// defined, expanded or fetched), and malformed input gives an error naming
// the part and byte offset, never a panic.
//
// Semantics follow excelize's reading (extract's reference reader), which a
// differential test checks on every workbook of the repository and of the
// shared corpus; the few places where excelize is wrong are listed there.
package xlsxscan
