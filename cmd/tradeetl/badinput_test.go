package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/json"
	"hash/crc32"
	"io"
	"io/fs"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tradeetl/tradeetl/schemas"
)

func readFileT(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rezip copies the zip in b, letting edit replace a part's content (return
// nil to keep it).
func rezip(t *testing.T, b []byte, edit func(name string, content []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		content, _ := io.ReadAll(rc)
		rc.Close()
		if c := edit(f.Name, content); c != nil {
			content = c
		}
		w, _ := zw.Create(f.Name)
		w.Write(content)
	}
	zw.Close()
	return buf.Bytes()
}

// lyingBomb replaces the first sheet of a workbook with a part that
// declares 2000 bytes and expands to 64 MiB.
func lyingBomb(t *testing.T, b []byte) []byte {
	t.Helper()
	var data bytes.Buffer
	fw, _ := flate.NewWriter(&data, flate.BestCompression)
	crc := crc32.NewIEEE()
	chunk := make([]byte, 1<<20)
	for range 64 {
		fw.Write(chunk)
		crc.Write(chunk)
	}
	fw.Close()
	zr, _ := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			zw.Copy(f)
			continue
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, CRC32: crc.Sum32(),
			CompressedSize64: uint64(data.Len()), UncompressedSize64: 2000})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data.Bytes())
	}
	zw.Close()
	return buf.Bytes()
}

// A run over good inputs mixed with every kind of bad one: each bad input
// fails with a message that says what is wrong, the good ones load, the
// exit code is 3, and nothing of a failed input reaches the outputs.
func TestBadInputs(t *testing.T) {
	root := t.TempDir()
	in := filepath.Join(root, "in")
	os.MkdirAll(in, 0o755)
	good := readFileT(t, filepath.Join("..", "..", "fixtures", "newsletter-2013.xlsx"))
	office := readFileT(t, filepath.Join("..", "..", "transform", "testdata", "office", "lo", "trade-china.xlsx"))
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(in, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("good-newsletter.xlsx", good)
	write("good-office.xlsx", office)

	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(rng.UintN(256))
	}
	var emptyZip bytes.Buffer
	zip.NewWriter(&emptyZip).Close()
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "secret")
	encrypted := filepath.Join(in, "password.xlsx")
	if err := f.SaveAs(encrypted, excelize.Options{Password: "secret"}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	escaping := rezip(t, good, func(name string, c []byte) []byte {
		if name == "xl/workbook.xml" {
			return bytes.Replace(c, []byte(`name="Trade with China"`), []byte(`name="../../escaped"`), 1)
		}
		return nil
	})

	bad := map[string]struct {
		content []byte
		message string
	}{
		"truncated.xlsx":   {good[:len(good)/2], "the zip archive is truncated or corrupt"},
		"random.xlsx":      {random, "not an xlsx workbook: it is not a zip archive"},
		"legacy.xlsx":      {[]byte("\x09\x04\x06\x00\x00\x00\x10\x00"), "this is an Excel 2.x–4.0 worksheet (BIFF2–4): an old binary Excel format"},
		"empty-zip.xlsx":   {emptyZip.Bytes(), "the zip archive is empty"},
		"empty-book.xlsx":  {readFileT(t, filepath.Join("..", "..", "transform", "testdata", "office", "lo", "empty.xlsx")), "the file is empty: none of its sheets holds a value"},
		"bomb-honest.xlsx": {rezip(t, good, func(name string, c []byte) []byte { return growSheet(name, c, 8<<20) }), "decompress to more than the 4 MiB limit"},
		"bomb-lying.xlsx":  {lyingBomb(t, good), "decompresses to more than the 2000 bytes its header declares"},
		"inconsistent.csv": {[]byte("reporter,flow,year,value\nFlanders,exports,2013,6,80\n"), "unquoted delimiter"},
		"password.xlsx":    {nil, "password-protected"},
		// CSV limits (set below) and quotes
		"unclosed-quote.csv": {[]byte("reporter,flow,year,value\nFlanders,exports,2013,\"6.80\nWallonia\nBrussels\n"), "line 2: the rows of the file are inconsistent: a quote is not closed: the quote opened on line 2"},
		"long-field.csv":     {[]byte("reporter,flow,year,value\nFlanders,exports,2013,6.80\n" + strings.Repeat("x", 100<<10) + ",exports,2013,1\n"), "line 3: file exceeds the configured size limit: a field longer than 64 KiB (--max-field-size)"},
		"long-line.csv":      {[]byte("reporter,flow,year,value\n" + strings.Repeat("x,", 1<<20) + "\n"), "line 2: file exceeds the configured size limit: a line longer than 1 MiB (--max-line-size)"},
		"large.csv":          {[]byte("reporter,flow,year,value\n" + strings.Repeat("Flanders,exports,2013,6.80\n", 200_000)), "more than the 3 MiB limit of delimited text (--max-text-size)"},
		// a sheet named to climb out of the output directory
		"sheet-escape.xlsx": {escaping, "a sheet name holds a character Excel forbids"},
	}
	for name, b := range bad {
		if b.content != nil {
			write(name, b.content)
		}
	}
	unreadable := filepath.Join(in, "unreadable.xlsx")
	write("unreadable.xlsx", good)
	os.Chmod(unreadable, 0)
	message := "permission denied"
	if f, err := os.Open(unreadable); err == nil {
		// root reads any file: make one tradeetl will not open, a
		// socket named like a workbook
		f.Close()
		os.Remove(unreadable)
		l, err := net.Listen("unix", unreadable)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		message = "not a regular file but a socket"
	}
	bad["unreadable.xlsx"] = struct {
		content []byte
		message string
	}{nil, message}

	out := filepath.Join(root, "out")
	var stdout, stderr bytes.Buffer
	code := execute(context.Background(), []string{"run", "--quiet", "--max-unzip-size", "4MiB",
		"--max-field-size", "64KiB", "--max-line-size", "1MiB", "--max-text-size", "3MiB", "--out", out, in}, &stdout, &stderr)
	if code != 3 {
		t.Fatalf("exit code %d, want 3\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	var rep schemas.Report
	if err := json.Unmarshal(readFileT(t, filepath.Join(out, "report.json")), &rep); err != nil {
		t.Fatal(err)
	}
	loadedObs := 0
	for _, input := range rep.Inputs {
		name := filepath.Base(input.Path)
		if want, isBad := bad[name]; isBad {
			if input.Status != schemas.StatusFailed || !strings.Contains(input.Error, want.message) || !strings.Contains(input.Error, name) {
				t.Errorf("%s: status %s, error %q; want failed saying %q and naming the file", name, input.Status, input.Error, want.message)
			}
			if input.Observations != 0 {
				t.Errorf("%s failed but reports %d observations", name, input.Observations)
			}
			if !strings.Contains(stdout.String(), "FAILED "+input.Path) {
				t.Errorf("%s: the summary does not name it as failed", name)
			}
			continue
		}
		if input.Status != schemas.StatusLoaded {
			t.Errorf("%s: status %s (%s), want loaded", name, input.Status, input.Error)
		}
		loadedObs += input.Observations
	}
	if len(rep.Inputs) != len(bad)+2 {
		t.Errorf("%d inputs in the report, want %d", len(rep.Inputs), len(bad)+2)
	}
	if loadedObs != 36+95 {
		t.Errorf("%d observations from the good inputs, want %d", loadedObs, 36+95)
	}
	for _, o := range rep.Outputs {
		if o.Path == "observations.parquet" && o.Rows != int64(loadedObs) {
			t.Errorf("observations.parquet has %d rows, want the %d of the loaded inputs", o.Rows, loadedObs)
		}
	}
	for _, f := range rep.Findings {
		if _, isBad := bad[filepath.Base(f.File)]; isBad {
			t.Errorf("a failed input left a finding: %+v", f)
		}
	}
	// Nothing but the outputs was written, and nothing outside out/.
	var files []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(p, in+string(filepath.Separator)) {
			rel, _ := filepath.Rel(root, p)
			files = append(files, rel)
		}
		return nil
	})
	sort.Strings(files)
	// What was written is exactly the outputs report.json lists and the
	// directory's bookkeeping, and none of them is named after a failed
	// input.
	want := []string{"out/report.json", "out/manifest.json", "out/state.json", "out/.lock"}
	for _, o := range rep.Outputs {
		want = append(want, filepath.Join("out", filepath.FromSlash(o.Path)))
		for name := range bad {
			if strings.Contains(o.Path, strings.TrimSuffix(name, filepath.Ext(name))) {
				t.Errorf("output %s is named after the failed input %s", o.Path, name)
			}
		}
	}
	sort.Strings(want)
	if strings.Join(files, " ") != strings.Join(want, " ") {
		t.Errorf("files written: %v, want %v", files, want)
	}
}

// growSheet pads a worksheet with an XML comment of n bytes: a sheet that
// expands past the limit with honest headers.
func growSheet(name string, c []byte, n int) []byte {
	if name != "xl/worksheets/sheet1.xml" {
		return nil
	}
	i := bytes.LastIndex(c, []byte("</worksheet>"))
	pad := append([]byte("<!--"), bytes.Repeat([]byte(" "), n)...)
	pad = append(pad, "-->"...)
	return append(append(append([]byte{}, c[:i]...), pad...), c[i:]...)
}

// TestLimitFlags: a limit flag that is not a size, or over what the
// reader allows, is a usage error (exit 2) naming the flag; nothing is
// read.
func TestLimitFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--max-text-size", "lots"}, `--max-text-size: invalid size "lots"`},
		{[]string{"--max-field-size", "0"}, `--max-field-size: invalid size "0"`},
		{[]string{"--max-line-size", "2GiB"}, "--max-line-size: 2GiB is more than the most allowed, 1GiB"},
		{[]string{"--max-unzip-size", "1e30TiB"}, "--max-unzip-size: invalid size"},
	} {
		t.Run(tt.args[0], func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"validate"}, tt.args...)
			code := execute(context.Background(), append(args, filepath.Join("..", "..", "fixtures")), &stdout, &stderr)
			if code != 2 || !strings.Contains(stderr.String(), tt.want) {
				t.Fatalf("exit %d, stderr %q; want 2 saying %q", code, stderr.String(), tt.want)
			}
		})
	}
}
