// Command e2e is the end-to-end benchmark (make bench):
// it runs `tradeetl run` on the long tables of bench/data (make
// bench-data), clean and bad (the same table with 10% of its rows wrong,
// long-SIZE-bad.*: findings, error localization, the annotated workbook,
// report.html and the text summary all at work), and, in the same session,
// the baselines it is measured against:
//
//   - the floor: `unzip -p` of each workbook's sheet XML, decompression
//     alone;
//   - DuckDB's CSV → Parquet on the same CSV (interop/cmd/duckcsv, built
//     here with the interop module, which needs cgo);
//   - a folder of 1,000 newsletter-style report tables (copies of
//     fixtures/newsletter-2013.xlsx).
//
// Each command runs -runs times (3 by default), the jobs of a round one
// after the other so that a change in the machine's load hits them alike;
// the table shows the median wall time, the median CPU time (user +
// system), rows per second of wall time, the largest peak RSS of the runs
// (wait4's rusage) and the ratio of wall times to the floor (xlsx) or to
// DuckDB (CSV), or, for a bad delivery, to the clean one. The targets
// (docs/performance.md) are checked at the end.
//
//	go run ./bench/e2e                      # 100k rows (make bench-quick)
//	go run ./bench/e2e -sizes 100k,1m       # and 1M rows (make bench)
//	go run ./bench/e2e -profile DIR         # CPU profiles of tradeetl's runs into DIR
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"
)

type job struct {
	size  string // "100k"
	input string // "inline", "shared", "csv", "newsletters"; "bad-inline"... for bad deliveries
	tool  string // "unzip", "tradeetl", "duckdb"
	rows  int
	argv  []string
	out   string // output directory or file, removed before each run
	check func() error

	walls, cpus []float64
	rss         int64 // bytes
	err         error
}

func main() {
	data := flag.String("data", "bench/data", "directory of the inputs (make bench-data)")
	sizes := flag.String("sizes", "100k", "comma-separated sizes of long-SIZE.* inputs to run")
	runs := flag.Int("runs", 3, "runs of each command")
	bin := flag.String("tradeetl", "bin/tradeetl", "the tradeetl binary (make build)")
	news := flag.Int("newsletters", 1000, "copies of fixtures/newsletter-2013.xlsx in the folder benchmark (0: skip)")
	noDuck := flag.Bool("no-duckdb", false, "skip the DuckDB baseline (it needs cgo to build)")
	profDir := flag.String("profile", "", "write CPU profiles of tradeetl's runs into this directory")
	bad := flag.Bool("bad", true, "also run the bad deliveries (long-SIZE-bad.*: 10% of the rows wrong)")
	flag.Parse()
	log.SetFlags(0)

	tmp, err := os.MkdirTemp("", "tradeetl-bench-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	tradeetl, err := filepath.Abs(*bin)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := os.Stat(tradeetl); err != nil {
		log.Fatalf("%v: run make build", err)
	}
	unzip, err := exec.LookPath("unzip")
	if err != nil {
		log.Fatal("the floor needs unzip (apt-get install unzip)")
	}
	duck := ""
	if !*noDuck {
		duck = filepath.Join(tmp, "duckcsv")
		fmt.Fprintln(os.Stderr, "building interop/cmd/duckcsv (DuckDB, cgo)...")
		build := exec.Command("go", "build", "-o", duck, "./cmd/duckcsv")
		build.Dir = "interop"
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			log.Printf("DuckDB baseline skipped: building interop/cmd/duckcsv: %v", err)
			duck = ""
		}
	}

	var jobs []*job
	run := func(size, input, path string, rows int) *job {
		out := filepath.Join(tmp, "out-"+size+"-"+input)
		j := &job{size: size, input: input, tool: "tradeetl", rows: rows, out: out,
			argv: []string{tradeetl, "run", "--quiet", "--no-progress", "--full", "--out", out, path}}
		j.check = func() error { return checkReport(out, rows, strings.HasPrefix(input, "bad-")) }
		return j
	}
	for _, size := range strings.Split(*sizes, ",") {
		rows, err := parseSize(size)
		if err != nil {
			log.Fatal(err)
		}
		stem := filepath.Join(*data, "long-"+size)
		for _, ext := range []string{"-inline.xlsx", "-shared.xlsx", ".csv"} {
			if _, err := os.Stat(stem + ext); err != nil {
				log.Fatalf("%v: run make bench-data", err)
			}
		}
		for _, kind := range []string{"inline", "shared"} {
			path := stem + "-" + kind + ".xlsx"
			jobs = append(jobs,
				&job{size: size, input: kind, tool: "unzip", rows: rows, argv: []string{unzip, "-p", path, "xl/worksheets/sheet1.xml"}},
				run(size, kind, path, rows))
		}
		jobs = append(jobs, run(size, "csv", stem+".csv", rows))
		if *bad {
			for _, ext := range []string{"-inline.xlsx", "-shared.xlsx", ".csv"} {
				path := stem + "-bad" + ext
				if _, err := os.Stat(path); err != nil {
					log.Fatalf("%v: run make bench-data", err)
				}
				kind := strings.TrimSuffix(strings.TrimPrefix(ext, "-"), ".xlsx")
				if ext == ".csv" {
					kind = "csv"
				}
				jobs = append(jobs, run(size, "bad-"+kind, path, rows))
			}
		}
		if duck != "" {
			out := filepath.Join(tmp, "duck-"+size+".parquet")
			jobs = append(jobs, &job{size: size, input: "csv", tool: "duckdb", rows: rows, out: out, argv: []string{duck, stem + ".csv", out}})
		}
	}
	if *news > 0 {
		dir := filepath.Join(tmp, "newsletters")
		if err := copies(filepath.Join("fixtures", "newsletter-2013.xlsx"), dir, *news); err != nil {
			log.Fatal(err)
		}
		j := run("-", "newsletters", dir, 36**news)
		j.check = func() error { return checkReport(j.out, 36**news, false) }
		jobs = append(jobs, j)
	}
	if *profDir != "" {
		if err := os.MkdirAll(*profDir, 0o755); err != nil {
			log.Fatal(err)
		}
	}

	fmt.Println(conditions())
	for r := range *runs {
		for _, j := range jobs {
			if j.err != nil {
				continue
			}
			fmt.Fprintf(os.Stderr, "run %d/%d: %s %s %s\n", r+1, *runs, j.tool, j.size, j.input)
			var env []string
			if *profDir != "" && j.tool == "tradeetl" && r == 0 {
				env = append(env, "TRADEETL_CPUPROFILE="+filepath.Join(*profDir, fmt.Sprintf("%s-%s.prof", j.size, j.input)))
			}
			j.err = j.once(env)
		}
	}
	report(jobs)
	fmt.Println(conditions())
}

// once runs the job's command once and records its times and peak RSS.
func (j *job) once(env []string) error {
	if j.out != "" {
		os.RemoveAll(j.out)
	}
	cmd := exec.Command(j.argv[0], j.argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = io.Discard
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && j.tool == "tradeetl" && exit.ExitCode() == 1:
		// exit 1: findings; checkReport says whether they were expected
	case err != nil:
		return fmt.Errorf("%s: %v\n%s", strings.Join(j.argv, " "), err, stderr.String())
	}
	if j.check != nil {
		if err := j.check(); err != nil {
			return err
		}
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	j.walls = append(j.walls, wall.Seconds())
	j.cpus = append(j.cpus, (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds())
	j.rss = max(j.rss, ru.Maxrss*1024) // KiB on Linux
	return nil
}

// checkReport checks that a run loaded every input, with all its rows and
// no finding (the benchmark data is consistent), or, for a bad delivery,
// with findings and (for a workbook) its annotated copy.
func checkReport(out string, rows int, bad bool) error {
	b, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		return err
	}
	var rep struct {
		Inputs []struct {
			Path, Status, Error string
			Observations        int
		}
		Findings []struct{ Rule, Message string }
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		return err
	}
	n := 0
	for _, in := range rep.Inputs {
		if in.Status != "loaded" {
			return fmt.Errorf("%s: %s %s", in.Path, in.Status, in.Error)
		}
		n += in.Observations
	}
	if n != rows {
		return fmt.Errorf("%s: %d observations, want %d", out, n, rows)
	}
	if bad {
		if len(rep.Findings) < rows/20 {
			return fmt.Errorf("%s: %d findings on a bad delivery of %d rows", out, len(rep.Findings), rows)
		}
		if in := rep.Inputs[0].Path; strings.HasSuffix(in, ".xlsx") {
			copies, _ := filepath.Glob(filepath.Join(out, "audit", "*.audit.xlsx"))
			if len(copies) != 1 {
				return fmt.Errorf("%s: %d annotated copies of %s", out, len(copies), in)
			}
		}
		return nil
	}
	if len(rep.Findings) > 0 {
		return fmt.Errorf("%s: %d findings on consistent data, the first: %s %s", out, len(rep.Findings), rep.Findings[0].Rule, rep.Findings[0].Message)
	}
	return nil
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[(len(s)-1)/2]
}

// report prints the table and checks the targets.
func report(jobs []*job) {
	find := func(size, input, tool string) *job {
		for _, j := range jobs {
			if j.size == size && j.input == input && j.tool == tool && j.err == nil && len(j.walls) > 0 {
				return j
			}
		}
		return nil
	}
	fmt.Printf("| %-5s | %-11s | %-8s | %7s | %7s | %10s | %8s | %-14s |\n", "rows", "input", "tool", "wall s", "cpu s", "rows/s", "peak RSS", "ratio")
	fmt.Printf("|%s|%s|%s|%s|%s|%s|%s|%s|\n", strings.Repeat("-", 7), strings.Repeat("-", 13), strings.Repeat("-", 10), strings.Repeat("-", 9), strings.Repeat("-", 9), strings.Repeat("-", 12), strings.Repeat("-", 10), strings.Repeat("-", 16))
	for _, j := range jobs {
		if j.err != nil {
			fmt.Printf("| %-5s | %-11s | %-8s | failed: %v\n", j.size, j.input, j.tool, j.err)
			continue
		}
		wall := median(j.walls)
		ratio := ""
		switch {
		case j.tool == "tradeetl" && strings.HasPrefix(j.input, "bad-"):
			if c := find(j.size, strings.TrimPrefix(j.input, "bad-"), "tradeetl"); c != nil {
				ratio = fmt.Sprintf("%.2f× clean", wall/median(c.walls))
			}
		case j.tool == "tradeetl" && j.input != "csv" && j.input != "newsletters":
			if f := find(j.size, j.input, "unzip"); f != nil {
				ratio = fmt.Sprintf("%.2f× floor", wall/median(f.walls))
			}
		case j.tool == "tradeetl" && j.input == "csv":
			if d := find(j.size, "csv", "duckdb"); d != nil {
				ratio = fmt.Sprintf("%.2f× DuckDB", wall/median(d.walls))
			}
		}
		fmt.Printf("| %-5s | %-11s | %-8s | %7.2f | %7.2f | %10.0f | %5.0f MB | %-14s |\n",
			j.size, j.input, j.tool, wall, median(j.cpus), float64(j.rows)/wall, float64(j.rss)/1e6, ratio)
	}
	fmt.Println()
	fmt.Println("targets:")
	target := func(ok bool, format string, args ...any) {
		mark := "MET    "
		if !ok {
			mark = "NOT MET"
		}
		fmt.Printf("  %s %s\n", mark, fmt.Sprintf(format, args...))
	}
	var rss100, rss1m int64
	for _, j := range jobs {
		if j.tool != "tradeetl" || j.err != nil || len(j.walls) == 0 {
			continue
		}
		wall := median(j.walls)
		if clean, ok := strings.CutPrefix(j.input, "bad-"); ok {
			if c := find(j.size, clean, "tradeetl"); c != nil {
				r := wall / median(c.walls)
				target(r <= 4, "%s %s bad delivery (10%% of rows wrong) within 4× the clean one: %.2f×", j.size, clean, r)
			}
			target(j.rss < 600e6, "%s %s bad delivery peak RSS under 600 MB: %.0f MB", j.size, clean, float64(j.rss)/1e6)
			continue
		}
		switch j.input {
		case "inline", "shared":
			if f := find(j.size, j.input, "unzip"); f != nil {
				r := wall / median(f.walls)
				target(r <= 3, "%s %s xlsx within 3× of the unzip floor: %.2f×", j.size, j.input, r)
			}
		case "csv":
			if d := find(j.size, "csv", "duckdb"); d != nil {
				r := wall / median(d.walls)
				target(r <= 2, "%s CSV within 2× of DuckDB's CSV → Parquet: %.2f×", j.size, r)
			}
		case "newsletters":
			target(wall < 10, "a folder of %d newsletter tables in under 10 s: %.1f s", j.rows/36, wall)
		}
		switch j.size {
		case "100k":
			rss100 = max(rss100, j.rss)
		case "1m":
			rss1m = max(rss1m, j.rss)
			target(j.rss < 250e6, "1m %s peak RSS under 250 MB: %.0f MB", j.input, float64(j.rss)/1e6)
		}
	}
	if rss100 > 0 && rss1m > 0 {
		r := float64(rss1m) / float64(rss100)
		target(r <= 1.5, "peak RSS flat in row count (largest at 1M / largest at 100k within 1.5×): %.2f×", r)
	}
}

func parseSize(s string) (int, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	mult := 1
	switch {
	case strings.HasSuffix(s, "k"):
		mult, s = 1000, strings.TrimSuffix(s, "k")
	case strings.HasSuffix(s, "m"):
		mult, s = 1_000_000, strings.TrimSuffix(s, "m")
	}
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil || n <= 0 {
		return 0, fmt.Errorf("bad size %q (want 100k, 1m...)", s)
	}
	return n * mult, nil
}

// copies writes n copies of a file into dir.
func copies(src, dir string, n int) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i := range n {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("newsletter-%04d.xlsx", i)), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// conditions describes the machine's state: the benchmark's numbers mean
// little without it on a shared machine.
func conditions() string {
	s := fmt.Sprintf("# %s, %d CPUs", time.Now().UTC().Format(time.RFC3339), runtime.NumCPU())
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		s += ", load average " + strings.Join(strings.Fields(string(b))[:3], " ")
	}
	if b, err := os.ReadFile("/proc/pressure/cpu"); err == nil {
		for _, f := range strings.Fields(string(b)) {
			if strings.HasPrefix(f, "avg60=") {
				s += ", CPU pressure avg60 " + strings.TrimPrefix(f, "avg60=") + "%"
				break
			}
		}
	}
	return s
}
