// Package transform turns sheets of cells into tidy observations.
//
// In: the rows of a sheet from package extract. Out: [schemas.Observation]
// values, one per published figure, each with the cell it came from, plus
// findings for cells that cannot be read and a [SheetInfo] describing what
// was detected (for `tradeetl inspect`).
//
// Two layouts are recognised:
//
//   - Report tables: a header row of periods ("2011 | 2012 | Growth rate |
//     2013 | Growth rate"), possibly with group headings above it ("Value"
//     | "Growth (%)") or a row of periods below a growth heading, a label
//     column ("Belgium exports", "% Flanders", "Flanders deficit"), maybe
//     split over two columns ("Belgium" | "exports"), a unit note ("(in
//     billion euro)") or unit column, and a title naming the partner
//     ("Trade with China"). A growth column describes the period before it,
//     compared with the period before that, or, under a growth heading, its
//     own period. A share row ("% Flanders") is the region's share of the
//     flow of the block above. Merged header and label cells count in
//     every cell they cover.
//   - Long tables: a header row naming columns (reporter, partner, flow,
//     product, year or period, value, unit), one observation per row. They
//     are streamed in batches, so a sheet of a million rows never sits in
//     memory.
//
// A layout file ([Layouts]) overrides detection for the sheets it matches:
// range, header row, label column, column and label meanings, reporter,
// partner, flow and unit.
//
// Labels are read with the label dictionary of package schemas, in English,
// Dutch and French. A file without any value is an error ([ErrEmptyFile]),
// and so is a file from which no figure is read ([ErrNoFigures]), which
// says what was seen instead. The findings a table can raise are listed
// by [schemas.FindingKinds] (stage transform).
package transform
