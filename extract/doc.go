// Package extract reads input files into sheets of cells.
//
// In: a path to an .xlsx/.xlsm workbook or a CSV file. Out: a [Workbook]
// whose sheets are read row by row, streaming; every [Cell] keeps its
// position, its text as stored, its typed value and its number format, so
// that a figure can be traced back to the exact cell it came from and the
// number of decimals it was published with is known.
//
// Workbooks are read with github.com/xuri/excelize/v2. Limits on
// decompressed size and cell count protect against hostile files; a file
// that cannot be read yields an error naming the file and, where it applies,
// the sheet and cell.
package extract
