// Command shards measures sharded runs against an S3 server on loopback:
// files/s and rows/s of `tradeetl run` with 1, 2 and 4 (-shards) local
// shard processes, each with --workers 1 and its own --work-dir, reading
// -files small CSV trade tables from s3://BUCKET/in/ and publishing to a
// fresh s3://BUCKET/out-N-.../ prefix per N.
//
// The S3 server is `weed server -s3` (SeaweedFS, -weed, started on free
// loopback ports with its data in a temporary directory, as
// internal/s3test starts it for make test-s3), or without -weed an
// in-process github.com/johannesboyne/gofakes3 server over HTTP on
// loopback. N=1 is a plain `tradeetl run` (no --shard); N>1 runs N
// `tradeetl run --shard I/N --run-id ID` at once, the last of which
// publishes. After each N it checks that the output's manifest.json has
// the run id, and counts rows as the sum of the `rows` of the
// observations/ files that manifest names. It prints a Markdown table with
// the speed-up of each N against N=1 measured in the same invocation.
//
//	go run ./bench/shards -bin bin/tradeetl -weed .cache/weed-VERSION
package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tradeetl/tradeetl/internal/s3test"
)

func main() {
	bin := flag.String("bin", "bin/tradeetl", "the tradeetl binary measured")
	weed := flag.String("weed", "", "a SeaweedFS weed binary to serve S3 (default: in-process gofakes3)")
	files := flag.Int("files", 400, "input files (CSV, 52 rows each)")
	shardList := flag.String("shards", "1 2 4", "numbers of shard processes, the first being the baseline")
	workers := flag.Int("workers", 1, "--workers of each process")
	flag.Parse()
	if err := run(*bin, *weed, *files, strings.Fields(*shardList), *workers); err != nil {
		fmt.Fprintln(os.Stderr, "shards:", err)
		os.Exit(1)
	}
}

func run(bin, weed string, files int, shardList []string, workers int) error {
	bin, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("no binary %s: run make build", bin)
	}
	tmp, err := os.MkdirTemp("", "bench-shards-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	server := "gofakes3 (in-process)"
	if weed != "" {
		server = "SeaweedFS " + filepath.Base(weed)
	}
	srv, stop, err := s3test.Serve(weed, filepath.Join(tmp, "weed"))
	if err != nil {
		return err
	}
	defer stop()
	ctx := context.Background()
	client := srv.Client
	inRows := 0
	for i := 0; i < files; i++ {
		body, n := table(i)
		inRows += n
		key := fmt.Sprintf("in/trade-%04d.csv", i)
		if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(srv.Bucket), Key: aws.String(key), Body: bytes.NewReader(body)}); err != nil {
			return fmt.Errorf("upload %s: %v", key, err)
		}
	}
	u := srv.URL
	env := append(os.Environ(), s3test.Env()...)

	fmt.Printf("# %d CPUs, load average %s before; %s; %d input files, %d data rows; --workers %d per process\n",
		runtime.NumCPU(), loadavg(), server, files, inRows, workers)
	fmt.Println("| processes | wall s | files/s | rows/s | speed-up vs 1 | process s (first–last) | rows published | findings | shards failed to publish | tradeetl publish after |")
	fmt.Println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	var notes []string
	var base float64
	stamp := time.Now().UTC().Format("20060102T150405Z")
	for _, s := range shardList {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return fmt.Errorf("bad number of shards %q", s)
		}
		runID := fmt.Sprintf("bench-%s-n%d", stamp, n)
		out := fmt.Sprintf("out-%s-n%d/", stamp, n)
		start := time.Now()
		errs := make([]error, n)
		took := make([]float64, n)
		losers := make([]bool, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			args := []string{"run", "--quiet", "--no-progress", "--workers", strconv.Itoa(workers),
				"--run-id", runID, "--out", u(out), "--work-dir", filepath.Join(tmp, fmt.Sprintf("work-n%d-%d", n, i))}
			if n > 1 {
				args = append(args, "--shard", fmt.Sprintf("%d/%d", i, n))
			}
			args = append(args, u("in/"))
			cmd := exec.Command(bin, args...)
			cmd.Env = env
			var log bytes.Buffer
			cmd.Stdout, cmd.Stderr = &log, &log
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				t0 := time.Now()
				err := cmd.Run()
				took[i] = time.Since(t0).Seconds()
				if err != nil {
					// exit 1: findings; the run is still published
					if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
						errs[i] = fmt.Errorf("run of %d shards, shard %d: %v: %s", n, i, err, strings.TrimSpace(log.String()))
						if ok && n > 1 && (ee.ExitCode() == 4 || ee.ExitCode() == 6) {
							losers[i] = true
						}
					}
				}
			}(i)
		}
		wg.Wait()
		rows, findings, perr := published(ctx, srv, out+"manifest.json", runID)
		retried := "no"
		if perr != nil && n > 1 && allLosers(errs, losers) {
			// Every shard failed to publish (see below): the retry the
			// shards' message names, from a fresh work dir, timed as part
			// of the run.
			retried = "yes"
			cmd := exec.Command(bin, "publish", "--quiet", "--run", runID, "--out", u(out),
				"--work-dir", filepath.Join(tmp, fmt.Sprintf("publish-n%d", n)))
			cmd.Env = env
			if b, err := cmd.CombinedOutput(); err != nil {
				if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
					errs = append(errs, fmt.Errorf("run of %d shards, tradeetl publish: %v: %s", n, err, strings.TrimSpace(string(b))))
					losers = append(losers, false)
				}
			}
			rows, findings, perr = published(ctx, srv, out+"manifest.json", runID)
		}
		wall := time.Since(start).Seconds()
		// Two shards completing at once both try to publish. In object
		// storage the one that does not get the lock fails with exit 4
		// (the lock names "run (starting)", not its run) or, after the
		// winner removed the shards' staging, exit 6 (the shards'
		// results unreadable), although the winner publishes the run.
		// Such a shard is no failure of the run when the manifest has
		// the run id; it is reported below the table.
		var failed []string
		for i, err := range errs {
			switch {
			case err == nil:
			case losers[i] && perr == nil:
				notes = append(notes, err.Error())
				failed = append(failed, strconv.Itoa(i))
			default:
				var all []string
				for _, err := range errs {
					if err != nil {
						all = append(all, err.Error())
					}
				}
				if perr != nil {
					all = append(all, perr.Error())
				}
				return errors.New(strings.Join(all, "\n"))
			}
		}
		if perr != nil {
			return fmt.Errorf("run of %d shards: %v", n, perr)
		}
		if len(failed) == 0 {
			failed = []string{"–"}
		}
		if base == 0 {
			base = wall
		}
		lo, hi := took[0], took[0]
		for _, t := range took {
			lo, hi = min(lo, t), max(hi, t)
		}
		fmt.Printf("| %d | %.1f | %.1f | %.0f | %.2f | %.1f–%.1f | %d | %d | %s | %s |\n",
			n, wall, float64(files)/wall, float64(rows)/wall, base/wall, lo, hi, rows, findings, strings.Join(failed, " "), retried)
	}
	fmt.Printf("# load average %s after\n", loadavg())
	for _, n := range notes {
		fmt.Println("# " + strings.ReplaceAll(n, "\n", "\n#   "))
	}
	return nil
}

// allLosers reports whether every process failed, each a shard that lost
// the race to publish.
func allLosers(errs []error, losers []bool) bool {
	for i, err := range errs {
		if err == nil || !losers[i] {
			return false
		}
	}
	return true
}

// published reads the manifest at key, checks its run id and returns the
// sums of the rows of the observations/ and findings/ files it names.
func published(ctx context.Context, srv *s3test.Server, key, runID string) (rows, findings int64, err error) {
	obj, err := srv.Client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(srv.Bucket), Key: aws.String(key)})
	if err != nil {
		return 0, 0, fmt.Errorf("no manifest %s: %v", key, err)
	}
	defer obj.Body.Close()
	b, err := io.ReadAll(obj.Body)
	if err != nil {
		return 0, 0, err
	}
	var m struct {
		RunID string `json:"run_id"`
		Files []struct {
			Name string `json:"name"`
			Path string `json:"path"`
			Rows int64  `json:"rows"`
		} `json:"files"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return 0, 0, fmt.Errorf("%s: %v", key, err)
	}
	if m.RunID != runID {
		return 0, 0, fmt.Errorf("%s has run id %q, not %q", key, m.RunID, runID)
	}
	for _, f := range m.Files {
		name := f.Name
		if name == "" {
			name = f.Path
		}
		switch {
		case strings.HasPrefix(name, "observations/"):
			rows += f.Rows
		case strings.HasPrefix(name, "findings/"):
			findings += f.Rows
		}
	}
	return rows, findings, nil
}

var countries = []string{"Austria", "Belgium", "Bulgaria", "Croatia", "Cyprus", "Czechia", "Denmark",
	"Estonia", "Finland", "France", "Germany", "Greece", "Hungary", "Ireland", "Italy", "Latvia",
	"Lithuania", "Luxembourg", "Malta", "Netherlands", "Poland", "Portugal", "Romania", "Slovakia",
	"Slovenia", "Spain", "Sweden"}

// table is input file i: one reporter (of 20) and year (1990 on, one per
// 20 files), its exports to and imports from the 26 other EU countries,
// so that no two files share a figure.
func table(i int) ([]byte, int) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"Reporter", "Partner", "Flow", "Year", "Value (EUR million)"})
	reporter := countries[i%20]
	year := strconv.Itoa(1990 + i/20)
	n := 0
	for j, partner := range countries {
		if partner == reporter {
			continue
		}
		for k, flow := range []string{"Exports", "Imports"} {
			v := float64((i*131+j*17+k*7)%9000+100) / 10
			_ = w.Write([]string{reporter, partner, flow, year, strconv.FormatFloat(v, 'f', 1, 64)})
			n++
		}
	}
	w.Flush()
	return b.Bytes(), n
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
