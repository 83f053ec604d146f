package xlsxscan

import (
	"errors"
	"path/filepath"
	"testing"
)

// TestCorpusBad reads the malformed and hostile workbooks of the shared
// corpus: none may panic or hang; each must fail with the right error, or,
// for the unusual but valid packages, read.
func TestCorpusBad(t *testing.T) {
	dir := filepath.Join(repoRoot(t), "..", "shared", "corpus", "xlsx-bad")
	files, _ := filepath.Glob(filepath.Join(dir, "*.xlsx"))
	if len(files) == 0 {
		t.Skipf("no shared corpus at %s", dir)
	}
	// What each file must give: an error kind, or the number of cells of
	// each sheet. Files not listed only need to fail or read without panic.
	type want struct {
		err   error
		cells []int
	}
	wants := map[string]want{
		"exceldatareader__EmptyZipFile.xlsx":                                  {err: ErrNotWorkbook},
		"exceldatareader__Test_git_issue_301_IgnoreCase.xlsx":                 {cells: []int{71}},
		"exceldatareader__Test_git_issue_629.xlsx":                            {cells: []int{54}},
		"exceldatareader__agile_AES256_SHA512_CBC_pwd_password.xlsx":          {err: ErrNotWorkbook},
		"excelize__encryptSHA1.xlsx":                                          {err: ErrNotWorkbook},
		"exceljs__invalid-xml.xlsx":                                           {err: ErrSyntax},
		"exceljs__missing-bits.xlsx":                                          {err: ErrNotWorkbook},
		"phpspreadsheet__2x6m.xlsx":                                           {err: ErrInvalid},
		"phpspreadsheet__Zip-Windows-Directory-Separator.xlsx":                {cells: []int{29}},
		"phpspreadsheet__ebcdic.xlsx":                                         {err: ErrSyntax},
		"phpspreadsheet__utf7white.xlsx":                                      {err: ErrInvalid},
		"poi__49609.xlsx":                                                     {cells: []int{3783, 3783}},
		"poi__clusterfuzz-testcase-minimized-POIFuzzer-5040805309710336.xlsx": {err: ErrNotWorkbook},
		"poi__duplicate-filename.xlsx":                                        {err: ErrNotWorkbook},
		"poi__poc-xmlbomb.xlsx":                                               {err: ErrSyntax},
		"poi__xlsx-corrupted.xlsx":                                            {err: ErrSyntax},
		"python-calamine__empty_file.xlsx":                                    {err: ErrNotWorkbook},
		"roo__type_excel.xlsx":                                                {err: ErrNotWorkbook},
		"sheetjs__wtf_path.xlsx":                                              {cells: []int{18, 16}},
		"tealeg-xlsx__badfile_noWorkbookRels.xlsx":                            {err: ErrNotWorkbook},
		"tealeg-xlsx__badfile_noWorksheets.xlsx":                              {err: ErrNotWorkbook},
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			b, err := scanRead(path)
			if err == nil {
				// a file may open and fail on its sheets
				for _, s := range b.sheets {
					if s.err != nil {
						err = s.err
						break
					}
				}
			}
			w, ok := wants[name]
			switch {
			case !ok:
				t.Logf("error: %v", err)
			case w.err != nil:
				if !errors.Is(err, w.err) {
					t.Errorf("error %v, want %v", err, w.err)
				}
			case err != nil:
				t.Errorf("error %v, want %v cells", err, w.cells)
			default:
				var cells []int
				for _, s := range b.sheets {
					cells = append(cells, countCells(s.rows))
				}
				if len(cells) != len(w.cells) {
					t.Fatalf("cells per sheet %v, want %v", cells, w.cells)
				}
				for i := range cells {
					if cells[i] != w.cells[i] {
						t.Errorf("cells per sheet %v, want %v", cells, w.cells)
					}
				}
			}
		})
	}
}
