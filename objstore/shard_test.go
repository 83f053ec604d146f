package objstore_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tradeetl/tradeetl/internal/s3test"
	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/objstore"
	"github.com/tradeetl/tradeetl/pipeline"
)

// TestShardsInStore: four shard processes' worth of objstore.RunShard,
// each with its own work directory (as pods have), over input objects in
// the store, publish what one run publishes: the same manifest entries
// (names, rows, SHA-256). The last shard to complete publishes; one that
// runs after it finds the run published; until the last shard completes,
// nothing is published.
func TestShardsInStore(t *testing.T) {
	srv := s3test.Start(t)
	ctx := context.Background()
	for _, f := range fixtures {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		put(t, srv, "in/"+filepath.Base(f), data)
	}
	for i := range 12 {
		var b strings.Builder
		b.WriteString("Reporter,Partner,Flow,Year,Value (EUR million)\n")
		for j := range 6 {
			fmt.Fprintf(&b, "Belgium,%s,Exports,%d,%d.%d\n", []string{"China", "India", "Japan"}[j%3], 2020+j/3, 100+i*7+j, j)
		}
		put(t, srv, fmt.Sprintf("in/gen/table-%02d.csv", i), []byte(b.String()))
	}
	clock := func() time.Time { return time.Date(2026, 12, 6, 2, 30, 0, 0, time.UTC) }
	cfgFor := func(out string) pipeline.Config {
		cfg := config([]string{srv.URL("in/")}, out)
		cfg.RunID, cfg.Now = "tradeetl-29000000", clock
		return cfg
	}
	if _, _, err := objstore.Run(ctx, cfgFor(srv.URL("single")), objstore.RunOptions{WorkDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}

	const n = 4
	sharded := srv.URL("sharded")
	work := make([]string, n)
	for i := range work {
		work[i] = t.TempDir()
	}
	// Shards 1..3 first, concurrently: none publishes.
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := 1; i < n; i++ {
		wg.Go(func() {
			res, _, err := objstore.RunShard(ctx, cfgFor(sharded), pipeline.Shard{Index: i, Count: n}, objstore.RunOptions{WorkDir: work[i]})
			if err == nil && (res.Report != nil || res.Published) {
				err = fmt.Errorf("shard %d published with shard 0 missing", i)
			}
			errs[i] = err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if m, err := openOut(t, sharded).ReadManifest(ctx); err == nil && m.RunID != "" {
		t.Fatalf("a manifest (run %q) was written before every shard completed", m.RunID)
	}
	// A publish now refuses, naming the missing shard.
	if _, err := objstore.Publish(ctx, cfgFor(sharded), objstore.RunOptions{WorkDir: t.TempDir()}, nil); !errors.Is(err, pipeline.ErrShards) {
		t.Fatalf("publish with shard 0 missing: %v, want an error matching ErrShards", err)
	}
	// The last shard publishes.
	res, _, err := objstore.RunShard(ctx, cfgFor(sharded), pipeline.Shard{Index: 0, Count: n}, objstore.RunOptions{WorkDir: work[0]})
	if err != nil {
		t.Fatal(err)
	}
	if res.Report == nil || len(res.Waiting) != 0 {
		t.Fatalf("the last shard did not publish: waiting %v", res.Waiting)
	}
	// A shard retried after the publication does nothing.
	res, _, err = objstore.RunShard(ctx, cfgFor(sharded), pipeline.Shard{Index: 2, Count: n}, objstore.RunOptions{WorkDir: work[2]})
	if err != nil || !res.Published {
		t.Fatalf("shard retried after publication: %+v, %v; want published", res, err)
	}
	if _, err := objstore.Publish(ctx, cfgFor(sharded), objstore.RunOptions{WorkDir: t.TempDir()}, nil); !errors.Is(err, pipeline.ErrPublished) {
		t.Fatalf("publish again: %v, want ErrPublished", err)
	}

	one, err := openOut(t, srv.URL("single")).ReadManifest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	many, err := openOut(t, sharded).ReadManifest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if one.RunID != many.RunID {
		t.Fatalf("run %q, sharded %q", one.RunID, many.RunID)
	}
	type entry struct {
		rows int64
		sum  string
	}
	files := func(m *objstore.Manifest) map[string]entry {
		out := map[string]entry{}
		for _, f := range m.Files {
			out[f.Name] = entry{f.Rows, f.SHA256}
		}
		return out
	}
	a, b := files(one), files(many)
	var names []string
	for name := range a {
		names = append(names, name)
	}
	slices.Sort(names)
	if len(a) != len(b) {
		t.Errorf("%d files, sharded %d", len(a), len(b))
	}
	obs := 0
	for _, name := range names {
		if name == "report.html" {
			// The publishing pod has the copies of its own shard's
			// input objects only: the page draws the others' tables
			// from no source grid, and says so. Every Parquet file,
			// report.json and state.json are the same.
			continue
		}
		if b[name] != a[name] {
			t.Errorf("%s: %+v, sharded %+v", name, a[name], b[name])
		}
		if strings.HasPrefix(name, load.ObservationsDir+"/") {
			obs++
		}
	}
	if obs < 15 {
		t.Errorf("%d observation files, want one for each of the 15 inputs", obs)
	}
	// The staging of the published run is gone from the store.
	it := openOut(t, sharded).Bucket().List(nil)
	for {
		obj, err := it.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(obj.Key, load.ShardsDir+"/") {
			t.Errorf("staging object %s left after publication", obj.Key)
		}
	}
}

// TestShardsTogetherInStore: four shards that run and complete at the same
// time publish the run once: those that find every shard complete contend
// for the output's lock, one publishes, the others wait and find it
// published; none fails.
func TestShardsTogetherInStore(t *testing.T) {
	srv := s3test.Start(t)
	ctx := context.Background()
	for i := range 16 {
		var b strings.Builder
		b.WriteString("Reporter,Partner,Flow,Year,Value (EUR million)\n")
		for j := range 4 {
			fmt.Fprintf(&b, "Belgium,%s,Imports,%d,%d\n", []string{"China", "India"}[j%2], 2020+j/2, 10+i+j)
		}
		put(t, srv, fmt.Sprintf("in/t%02d.csv", i), []byte(b.String()))
	}
	const n = 4
	out := srv.URL("out")
	results := make([]*pipeline.ShardResult, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			cfg := config([]string{srv.URL("in/")}, out)
			cfg.RunID = "together"
			results[i], _, errs[i] = objstore.RunShard(ctx, cfg, pipeline.Shard{Index: i, Count: n}, objstore.RunOptions{WorkDir: t.TempDir()})
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	published := 0
	for _, r := range results {
		if r.Report != nil {
			published++
		}
	}
	if published != 1 {
		t.Errorf("%d shards published the run, want 1", published)
	}
	m, err := openOut(t, out).ReadManifest(ctx)
	if err != nil || m.RunID != "together" {
		t.Fatalf("manifest %+v, %v", m, err)
	}
}

// TestOneShardInStore: a run of one shard stages and publishes itself, as
// the last shard of any run does.
func TestOneShardInStore(t *testing.T) {
	srv := s3test.Start(t)
	ctx := context.Background()
	put(t, srv, "in/t.csv", []byte("Reporter,Partner,Flow,Year,Value (EUR million)\nBelgium,China,Imports,2020,10\nBelgium,India,Imports,2020,11\n"))
	cfg := config([]string{srv.URL("in/")}, srv.URL("out"))
	cfg.RunID = "alone"
	res, _, err := objstore.RunShard(ctx, cfg, pipeline.Shard{Index: 0, Count: 1}, objstore.RunOptions{WorkDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Report == nil || len(res.Waiting) != 0 {
		t.Fatalf("shard 0/1 did not publish: %+v", res)
	}
	if m, err := openOut(t, srv.URL("out")).ReadManifest(ctx); err != nil || m.RunID != "alone" {
		t.Fatalf("manifest %+v, %v", m, err)
	}
}
