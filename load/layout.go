package load

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// The layout of an output directory OUT. Paths are relative to OUT, with
// forward slashes (as manifest.json and report.json give them).
//
//	observations/ID.parquet  one file per input (ID from [InputID])
//	observations/year=YYYY/ID.parquet
//	                         the same, partitioned by year (Options.PartitionBy)
//	current/observations.parquet
//	                         every figure once, from its latest delivery
//	revisions/revisions.parquet
//	                         the figures a later delivery changed
//	dim/areas.parquet        the area dimension (DimAreasPath)
//	dim/products.parquet     the product dimension (DimProductsPath)
//	findings/ID.parquet      the findings of that input
//	findings/run-scope.parquet
//	                         findings of rules with scope run
//	audit/ID.audit.xlsx      annotated copies of workbooks with findings (AuditPath)
//	runs/RUN_ID.parquet      one row per run, the run history
//	report.json              the last run
//	report.html              the audit for people
//	state.json               what each input produced (incremental runs)
//	manifest.json            every published file, written last
//	.lock                    held while a run works on OUT
//
// Query engines read a directory as one table: DuckDB
// read_parquet('OUT/observations/**/*.parquet', hive_partitioning = true),
// Spark spark.read.parquet("OUT/observations"). One changed input rewrites
// only its own files. No name starts with "_" or ".", which Spark and
// Hadoop skip as hidden.
const (
	ObservationsDir = "observations"
	FindingsDir     = "findings"
	RunsDir         = "runs"
	AuditDir        = "audit"
	ReportFile      = "report.json"
	HTMLReportFile  = "report.html"
	StateFile       = "state.json"
	ManifestFile    = "manifest.json"
	LockFile        = ".lock"
	// RunFindingsID names the findings file of run-scope rules, whose
	// figures come from several inputs. It cannot be an input's id: those
	// end in "-" and 8 hex digits.
	RunFindingsID = "run-scope"
)

// ListFiles returns the regular files under OUT/dir, at any depth (the
// partition directories), as paths relative to OUT, in lexical order. A
// missing directory holds no files.
func ListFiles(out, dir string) ([]string, error) {
	var rels []string
	root := filepath.Join(out, dir)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && errors.Is(err, fs.ErrNotExist) {
				return filepath.SkipAll
			}
			return err
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(out, p)
			if err != nil {
				return err
			}
			rels = append(rels, filepath.ToSlash(rel))
		}
		return nil
	})
	return rels, err
}

// ObservationsPath is the path of an input's observations in OUT.
func ObservationsPath(id string) string { return path.Join(ObservationsDir, id+".parquet") }

// FindingsPath is the path of an input's findings in OUT.
func FindingsPath(id string) string { return path.Join(FindingsDir, id+".parquet") }

// RunPath is the path of a run's history row in OUT.
func RunPath(runID string) string { return path.Join(RunsDir, runID+".parquet") }

// maxSlug caps the readable part of an input id; file systems allow 255
// bytes per name.
const maxSlug = 80

// InputID returns the name of an input's output files: a readable slug of
// its path and the first 8 hex digits of the SHA-256 of the cleaned path,
// so that paths that slug alike ("a/b-c.xlsx", "a-b/c.xlsx") stay apart.
// The slug keeps ASCII letters, digits, '-' and '_', turns every other run
// of characters (path separators, dots, spaces, accents) into one '-', and
// never starts with '.', '_' or '-' (names query engines treat as hidden),
// so an id is a plain file name that cannot leave its directory.
//
//	fixtures/newsletter-2013.xlsx  →  fixtures-newsletter-2013-xlsx-3f2a9c01
func InputID(p string) string {
	clean := filepath.ToSlash(filepath.Clean(p))
	sum := sha256.Sum256([]byte(clean))
	var b strings.Builder
	dash := false
	for i := 0; i < len(clean); i++ {
		c := clean[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteByte(c)
			continue
		}
		dash = true
	}
	slug := strings.TrimLeft(b.String(), "_-")
	if len(slug) > maxSlug {
		// Keep the end: the file name says more than the folders. Start
		// at a word.
		slug = slug[len(slug)-maxSlug:]
		if i := strings.IndexByte(slug, '-'); i >= 0 {
			slug = slug[i+1:]
		}
		slug = strings.TrimLeft(slug, "_-")
	}
	if slug == "" {
		slug = "input"
	}
	return slug + "-" + hex.EncodeToString(sum[:4])
}

// The staging of a sharded run, inside OUT. Each shard of run RUN_ID
// writes only under its own directory; nothing there is published until
// the run is (see pipeline.Publish), and query engines never see it (the
// name starts with a dot).
//
//	.shards/RUN_ID/                 ShardRunDir
//	.shards/RUN_ID/I/               ShardDir: shard I (0-based), replaced by a retry
//	.shards/RUN_ID/I/files/...      ShardFilesDir: the staged files of the shard's
//	                                inputs, under their paths in OUT
//	                                (files/observations/ID.parquet, files/findings/...)
//	.shards/RUN_ID/I/results.json   ShardResultsFile: what each input gave
//	.shards/RUN_ID/I/complete.json  ShardCompleteFile: written last, the shard is done
//	.shards/RUN_ID/I/failed.json    ShardFailedFile: the shard stopped with an error
//	.shards/RUN_ID/I.lock           ShardLockPath: held while an attempt runs
//	.shards/RUN_ID/published.json   ShardPublishedFile: the run is published
//
// Every path is a plain file or directory, so the subtree can be copied
// to and from an object store as it is: upload ShardDir after a shard ran,
// download ShardRunDir before publishing.
const (
	ShardsDir          = ".shards"
	ShardResultsFile   = "results.json"
	ShardCompleteFile  = "complete.json"
	ShardFailedFile    = "failed.json"
	ShardPublishedFile = "published.json"
)

// ShardRunDir is the directory, relative to OUT, of the shards of a run.
func ShardRunDir(runID string) string { return path.Join(ShardsDir, runID) }

// ShardDir is the directory, relative to OUT, of shard i of a run.
func ShardDir(runID string, i int) string { return path.Join(ShardsDir, runID, strconv.Itoa(i)) }

// ShardFilesDir is the directory, relative to OUT, under which shard i of
// a run stages the files of its inputs, at their paths in OUT.
func ShardFilesDir(runID string, i int) string { return path.Join(ShardDir(runID, i), "files") }

// ShardLockPath is the lock file, relative to OUT, of shard i of a run.
func ShardLockPath(runID string, i int) string {
	return path.Join(ShardsDir, runID, strconv.Itoa(i)+".lock")
}

// IsObservationsPath reports whether rel (relative to OUT) is a file of
// the observations dataset: observations/ID.parquet, or one of its
// partitions.
func IsObservationsPath(rel string) bool { return strings.HasPrefix(rel, ObservationsDir+"/") }

// AuditPath is the path in OUT of the annotated copy of an input:
// audit/ID.audit.xlsx, or audit/ID.audit.xlsm for a macro workbook (its
// content type requires the extension).
func AuditPath(id, input string) string {
	ext := "xlsx"
	if strings.EqualFold(filepath.Ext(input), ".xlsm") {
		ext = "xlsm"
	}
	return path.Join(AuditDir, id+".audit."+ext)
}

// ObservationFiles returns the paths, relative to OUT, of the observation
// files among an input's files: one, or one per partition.
func ObservationFiles(files []FileInfo) []string {
	var rels []string
	for _, f := range files {
		if IsObservationsPath(f.Path) {
			rels = append(rels, f.Path)
		}
	}
	return rels
}

// Unlisted returns the output files of OUT that a run publishing the
// files keep does not list, which it removes: the Parquet files of the
// datasets at any depth (the year=YYYY/ directories of a partitioned
// dataset, also those of a run with other options), and every file of
// the audit directory.
func Unlisted(out string, keep map[string]bool) ([]string, error) {
	var gone []string
	for _, dir := range []string{ObservationsDir, CurrentDir, RevisionsDir, DimDir, FindingsDir, AuditDir} {
		rels, err := ListFiles(out, dir)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", dir, err)
		}
		for _, rel := range rels {
			if (strings.HasSuffix(rel, ".parquet") || dir == AuditDir) && !keep[rel] {
				gone = append(gone, rel)
			}
		}
	}
	return gone, nil
}
