// Package extract reads input files into sheets of cells.
//
// In: a path to an .xlsx/.xlsm, .ods/.fods or .xls workbook or a CSV file. Out: a [Workbook]
// whose sheets are read row by row, streaming; every [Cell] keeps its
// position, its text as stored, its typed value and its number format, so
// that a figure can be traced back to the exact cell it came from and the
// number of decimals it was published with is known. A sheet reader may
// also know the sheet's merged ranges ([MergeReader]).
//
// Workbooks are read with package xlsxscan, a streaming reader that byte
// scans the worksheet XML while a second goroutine inflates it, so that a
// sheet of a million rows is read near the speed of decompression, with
// every cell's type, number format and formula, in bounded memory; merged
// ranges are known after the last row. Before that, the zip container is
// checked without expanding it into memory: declared part sizes against
// [Limits] (zip bombs), the sizes, checksums and XML of the small parts
// (truncated or corrupt files, DOCTYPE), and what the file really is (an
// empty zip, an .ods, .docx or old .xls renamed, an encrypted workbook).
// The worksheets get the same checks from xlsxscan as they stream: bytes
// counted against the limits as they inflate (headers are not trusted),
// checksum and declared size at the end of the part, the XML parsed whole,
// DOCTYPE refused.
//
// OpenDocument spreadsheets (.ods, and the flat .fods) are streamed too:
// the styles and the document head with encoding/xml, the sheets' rows
// with a byte-scanning tokenizer (checked against encoding/xml by a
// differential test and FuzzODS), under the same limits; repeated rows
// and columns cost nothing until they hold a value, cells keep their
// value type and a format code made from their data style, and are
// addressed as LibreOffice shows them. Excel 97–2003 (.xls, BIFF8) and
// Excel 5.0/95 (BIFF5) workbooks are read from their OLE container's
// Workbook stream, record by record (shared strings, labels, numbers,
// formulas' cached results, merged ranges, formats, the 1904 date
// system). The reader is chosen by the file's bytes, not its name.
//
// Delimited text (.csv, .tsv, .tab, .txt) is streamed through a record
// reader that splits as encoding/csv does with LazyQuotes (checked against
// it by a differential fuzz test) but bounds what it holds — a field
// longer than [Limits].MaxFieldSize, a record longer than MaxLineSize, a
// file larger than MaxTextSize is an error naming the line, before more is
// read — and fails a file whose end closes a quoted field, naming the line
// the quote opened on (encoding/csv silently ends the field there). It
// reads after its encoding (UTF-8 with or without BOM, UTF-16 with or without
// BOM, or a legacy encoding: [Limits].Encoding, or else the one whose
// reading of the start is the most plausible text, see [DetectEncoding])
// and its delimiter are known, the text decoded before it is split: a tab for .tsv and .tab
// files, always; else the delimiter of Excel's "sep=" first line, or the
// one [SniffDelimiter] scores best on the first lines. Before that, the
// first bytes are checked: compressed data (gzip, bzip2, xz, zstd, 7-Zip),
// a zip archive, a PDF, or binary data with NUL bytes named as text is
// refused with [ErrNotText], saying what it is. A field's cell holds the
// field as written (spaces and flags included; a quoted line break reads
// as "\n") and is addressed by the field's letter and the physical line
// its record starts on, every line counted, blank, title and "sep=" lines
// included: the address a spreadsheet shows, up to the first record that
// runs over several lines (a spreadsheet counts it as one row, the lines
// go on counting lines).
//
// Every text returned is valid UTF-8: a sheet name or a CSV field that is
// not has each offending byte replaced by U+FFFD, and the workbook says
// so through [TextRepairer].
//
// A file that cannot be read yields an error naming the file and, where it
// applies, the sheet, row (or line) and cell; test its class with
// errors.Is against [ErrDamaged], [ErrNotWorkbook], [ErrNotText],
// [ErrEncrypted], [ErrLegacyXLS], [ErrHostile], [ErrTooLarge],
// [ErrTooManyCells] and [ErrInconsistent].
package extract
