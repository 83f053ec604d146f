// Package extract reads input files into sheets of cells.
//
// In: a path to an .xlsx/.xlsm workbook or a CSV file. Out: a [Workbook]
// whose sheets are read row by row, streaming; every [Cell] keeps its
// position, its text as stored, its typed value and its number format, so
// that a figure can be traced back to the exact cell it came from and the
// number of decimals it was published with is known. A sheet reader may
// also know the sheet's merged ranges ([MergeReader]).
//
// Workbooks are read with github.com/xuri/excelize/v2, after their zip
// container has been checked without expanding it into memory: declared
// and actual part sizes against [Limits] (zip bombs, with honest or lying
// headers), checksums (truncated or corrupt files), the XML parts excelize
// reads (cut short, not well-formed, UTF-16, DOCTYPE), and what the file
// really is (an empty zip, an .ods, .docx or old .xls renamed, an
// encrypted workbook). Sheets whose XML is too large for excelize's cell
// API are read from their stored values alone ([LightReader]). CSV files
// are read with encoding/csv after their encoding (UTF-8 with or without
// BOM, UTF-16, Windows-1252) and delimiter are detected. A file that
// cannot be read yields an error naming the file and, where it applies,
// the sheet and cell; test its class with errors.Is against [ErrDamaged],
// [ErrNotWorkbook], [ErrEncrypted], [ErrLegacyXLS], [ErrHostile],
// [ErrTooLarge], [ErrTooManyCells] and [ErrInconsistent].
package extract
