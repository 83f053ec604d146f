package extract

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tradeCorpus is the shared trade-table corpus beside the repository
// (../shared/corpus/trade from its root), with its answer key.
var tradeCorpus = filepath.Join("..", "..", "shared", "corpus", "trade")

type corpusKey struct {
	Cases []struct {
		Case         string   `json:"case"`
		Files        []string `json:"files"`
		ExpectedExit int      `json:"expected_exit"`
		Figures      []struct {
			File, Sheet, Cell, Text string
		} `json:"figures"`
		Missing []struct {
			File, Sheet, Cell, Text string
		} `json:"missing"`
	} `json:"cases"`
}

func isDelimitedName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".tsv", ".tab", ".txt":
		return true
	}
	return false
}

// TestCorpusDelimitedCells reads every CSV and TSV file of the trade corpus
// and checks each figure of the key, and each cell it lists as missing, at
// its address (field letter and physical line): the field there must be
// the key's text, character for character. That holds only if the file
// was split on the right delimiter and its lines are counted as the key
// counts them. A file the key expects to be refused (exit 3) must fail to
// open or read, with an error naming it.
func TestCorpusDelimitedCells(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(tradeCorpus, "answers.json"))
	if err != nil {
		t.Skipf("no trade corpus at %s: %v", tradeCorpus, err)
	}
	var key corpusKey
	if err := json.Unmarshal(b, &key); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range key.Cases {
		for _, file := range c.Files {
			if !isDelimitedName(file) {
				continue
			}
			n++
			path := filepath.Join(tradeCorpus, file)
			t.Run(filepath.Base(file), func(t *testing.T) {
				rows, err := readAll(t, path)
				if c.ExpectedExit == 3 {
					if err == nil {
						t.Fatalf("read %d rows, want an error", len(rows))
					}
					if !strings.Contains(err.Error(), path) {
						t.Errorf("error %q does not name the file", err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				cells := map[string]string{}
				for _, r := range rows {
					for _, cell := range r.Cells {
						cells[cell.Ref()] = cell.Text
					}
				}
				base := filepath.Base(file)
				checked := 0
				check := func(sheet, ref, text string) {
					checked++
					if sheet != "" {
						t.Errorf("%s: sheet %q in the key of a text file", ref, sheet)
					}
					if got, ok := cells[ref]; !ok || got != text {
						t.Errorf("%s = %q, want %q", ref, got, text)
					}
				}
				for _, f := range c.Figures {
					if f.File == base {
						check(f.Sheet, f.Cell, f.Text)
					}
				}
				for _, m := range c.Missing {
					if m.File == base {
						check(m.Sheet, m.Cell, m.Text)
					}
				}
				if checked == 0 {
					t.Errorf("the key has no cell of %s", base)
				}
			})
		}
	}
	if n == 0 {
		t.Fatal("no CSV or TSV file in the corpus key")
	}
}

// TestCorpusRefusedBinary: every delimited-text file of the corpus that the
// key expects refused and that is not text (compressed data, here) is
// refused on open with ErrNotText, saying what it is and what to do.
func TestCorpusRefusedBinary(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(tradeCorpus, "cases", "*"))
	if len(paths) == 0 {
		t.Skipf("no trade corpus at %s", tradeCorpus)
	}
	for _, path := range paths {
		if !isDelimitedName(path) {
			continue
		}
		head, err := readHeadPath(path, textHeadSize)
		if err != nil {
			t.Fatal(err)
		}
		if checkText(head) == nil {
			continue
		}
		_, err = Open(path, Limits{})
		if !errors.Is(err, ErrNotText) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "not text: ") {
			t.Errorf("Open(%s) = %v, want ErrNotText naming the file and what to do", path, err)
		}
		t.Logf("%v", err)
	}
}

// delimiterOf opens a delimited file's sheet and returns the delimiter its
// reader uses.
func delimiterOf(t *testing.T, path string) rune {
	t.Helper()
	wb, err := Open(path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	sr, err := wb.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer sr.Close()
	cs, ok := sr.(*csvSheet)
	if !ok {
		t.Fatalf("%s is not read as delimited text", path)
	}
	return cs.r.comma
}

// TestWrittenDelimiters: the delimited files transform's tests read are
// split as they were written.
func TestWrittenDelimiters(t *testing.T) {
	dir := filepath.Join("..", "transform", "testdata", "written")
	want := map[string]rune{
		"inconsistent.csv":       ',', // decimal commas in a comma-separated file: transform reports the shifted fields
		"long-bom-semicolon.csv": ';',
		"report-cp1252.csv":      ',',
		"report-utf16.tsv":       '\t',
		"sep-line.csv":           ';',
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "*"))
	seen := 0
	for _, path := range paths {
		if !isDelimitedName(path) {
			continue
		}
		seen++
		w, ok := want[filepath.Base(path)]
		if !ok {
			t.Errorf("%s: add it to this test", path)
			continue
		}
		if got := delimiterOf(t, path); got != w {
			t.Errorf("%s: delimiter %q, want %q", path, got, w)
		}
	}
	if seen != len(want) {
		t.Errorf("%d delimited files in %s, want %d", seen, dir, len(want))
	}
}

// TestTSVSplitOnTabs: a file named .tsv or .tab is split on tabs whatever
// its lines look like; the same bytes named .csv are sniffed.
func TestTSVSplitOnTabs(t *testing.T) {
	content := "a;b;c\n1;2;3\n4;5;6\n"
	dir := t.TempDir()
	for name, want := range map[string]rune{"x.tsv": '\t', "x.TAB": '\t', "x.csv": ';', "x.txt": ';'} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := delimiterOf(t, path); got != want {
			t.Errorf("%s: delimiter %q, want %q", name, got, want)
		}
	}
	// A "sep=" line in a .tsv is no row; the tab still wins.
	path := filepath.Join(dir, "sep.tsv")
	if err := os.WriteFile(path, []byte("sep=;\na\tb;c\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rows, err := readAll(t, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Num != 2 || len(rows[0].Cells) != 2 || rows[0].Cells[1].Text != "b;c" {
		t.Errorf("rows %+v", rows)
	}
}

// readHeadPath reads the first n bytes of the file at path.
func readHeadPath(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return readHead(f, fi.Size(), n)
}
