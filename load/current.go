package load

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/tradeetl/tradeetl/schemas"
)

// The current dataset, OUT/current/observations.parquet (with
// Options.PartitionBy year, current/year=YYYY/observations.parquet): one
// row per figure, from the latest delivery that publishes it, so that a
// glob over current/ sums right where observations/ holds one copy of a
// figure per input that prints it.
//
// A figure is identified by its key ([FigureKey]): reporter, partner,
// flow, product, period, measure, base period and unit, by their codes
// where they have one. Deliveries (published inputs) are ranked by the
// modification time their input had when it was read, then by the run
// that published them, then by path; the last is the latest. Within one
// delivery that prints a figure twice, the first row (in the order of
// its observations file) is kept. The rows are copied from the
// observations files as they are, with the run_id of the run that
// published them.

// CurrentDir is the directory of the current dataset, CurrentName the
// name of its file (of each partition's, when partitioned).
const (
	CurrentDir  = "current"
	CurrentName = "observations.parquet"
)

// CurrentPath is the path in OUT of the current dataset's file.
func CurrentPath() string { return path.Join(CurrentDir, CurrentName) }

// Delivery is one published input, as the current dataset sees it.
type Delivery struct {
	Input   string    // input path
	SHA256  string    // of the input file
	ModTime time.Time // modification time of the input when it was read
	RunID   string    // run that published its observations
	Files   []string  // its observations files, paths on disk
}

// CurrentStats says what [WriteCurrent] found.
type CurrentStats struct {
	Deliveries int   // deliveries read
	Read       int64 // observations read from them
	Rows       int64 // figures written: one per key
	// Superseded counts the rows of earlier deliveries whose figure a
	// later delivery publishes; Duplicates the rows left out because
	// their own delivery prints the same figure earlier.
	Superseded int64
	Duplicates int64
	// Revisions are the superseded figures whose value the later delivery
	// changed beyond the rounding of both (6.80 and 6800 million are the
	// same; 11.9 and 12.4 are not), in the order found: each change
	// between one delivery and the next that publishes the figure.
	Revisions []schemas.Revision
}

// rankDeliveries sorts deliveries oldest first: by modification time,
// then run, then input path.
func rankDeliveries(ds []Delivery) {
	slices.SortStableFunc(ds, func(a, b Delivery) int {
		if c := a.ModTime.Compare(b.ModTime); c != 0 {
			return c
		}
		if c := cmp.Compare(a.RunID, b.RunID); c != 0 {
			return c
		}
		return cmp.Compare(a.Input, b.Input)
	})
}

// FigureKey returns the key that identifies a figure across deliveries,
// as text: reporter, partner (each its code, or its name when it has
// none), flow code, product (Total; else classification and code when
// there is a code, else the label), SDMX time period, measure, base period
// and unit, separated by "|".
func FigureKey(o *schemas.Observation) string {
	return string(appendFigureKey(nil, o))
}

func appendFigureKey(b []byte, o *schemas.Observation) []byte {
	area := func(b []byte, code, name string) []byte {
		if code != "" {
			return append(b, code...)
		}
		return append(append(b, "name:"...), name...)
	}
	b = area(b, o.ReporterCode, o.Reporter)
	b = append(b, '|')
	b = area(b, o.PartnerCode, o.Partner)
	b = append(b, '|')
	if code := schemas.FlowCode(o.Flow); code != "" {
		b = append(b, code...)
	} else {
		b = append(append(b, "flow:"...), o.Flow...)
	}
	b = append(b, '|')
	switch {
	case o.Product == schemas.ProductTotal:
		b = append(b, schemas.ProductTotal...)
	case o.ProductCode != "":
		b = append(append(append(b, o.ProductClass...), ':'), o.ProductCode...)
	default:
		b = append(append(b, "label:"...), o.Product...)
	}
	b = append(b, '|')
	b = append(b, schemas.TimePeriod(o.Period)...)
	b = append(b, '|')
	b = append(b, o.Measure...)
	b = append(b, '|')
	b = append(b, o.BasePeriod...)
	b = append(b, '|')
	return append(b, o.Unit...)
}

// figureHash is a 128-bit hash of a figure key: the pass that picks each
// key's winner holds one per key, not the key's text.
type figureHash [16]byte

type keyHasher struct {
	buf []byte
	sum []byte
}

func (h *keyHasher) hash(o *schemas.Observation) figureHash {
	h.buf = appendFigureKey(h.buf[:0], o)
	f := fnv.New128a()
	_, _ = f.Write(h.buf)
	h.sum = f.Sum(h.sum[:0])
	return figureHash(h.sum)
}

// winner is the row that holds a key in the current dataset: row ord (in
// file order, over all its files) of delivery d (its rank), with its value
// in the unit (× scale) and the half-width of its rounding there.
type winner struct {
	d         int32
	ord       int64
	has       bool
	val, half float64
}

// rowRef is a row of a delivery.
type rowRef struct {
	d   int32
	ord int64
}

// winnerOf returns the winner entry of row ord of delivery d.
func winnerOf(o *schemas.Observation, d int, ord int64) winner {
	w := winner{d: int32(d), ord: ord, has: o.HasValue}
	if o.HasValue {
		w.val, w.half = o.Value*o.Scale, o.HalfUnit()*o.Scale
	}
	return w
}

// revised reports whether b changes the figure a published: a value
// where there was none or none where there was one, or a value that the
// other does not round to. The coarser of the two decides: 6.8 billion
// (6.75 to 6.85) and 6,812 million are one figure published at two
// precisions; 5.79 and 5.78 are two figures.
func revised(a, b winner) bool {
	if a.has != b.has {
		return true
	}
	if !a.has {
		return false
	}
	return math.Abs(a.val-b.val) > max(a.half, b.half)+1e-9*max(math.Abs(a.val), math.Abs(b.val))
}

// WriteCurrent writes the current dataset into path (see [CurrentDir])
// from the observations files of deliveries, with an [ObservationWriter]:
// sorted, verified, renamed into place only when complete. It reads each
// delivery twice: once to find each key's latest row, then to copy those
// rows. The first pass sorts a record of each row by key (in memory up to
// Options.SortRows records, in spilled runs past them), so memory stays
// bounded whatever the number of figures: one bit per row read remains. It returns the files written
// (relative to the directory of path, as [ObservationWriter.Files]).
func WriteCurrent(path string, deliveries []Delivery, meta Metadata, opts Options) ([]FileInfo, CurrentStats, error) {
	ds := slices.Clone(deliveries)
	rankDeliveries(ds)
	stats := CurrentStats{Deliveries: len(ds)}
	var h keyHasher
	sorter := newKeySorter(path, cmp.Or(opts.SortRows, DefaultSortRows))
	defer sorter.close()
	fileRows := map[string]int64{}
	read := make([]int64, len(ds)) // rows read of each delivery
	for d, dl := range ds {
		var ord int64
		for _, name := range dl.Files {
			err := readFigures(name, func(obs []schemas.Observation) error {
				fileRows[name] += int64(len(obs))
				for i := range obs {
					if err := sorter.add(keyRec{h: h.hash(&obs[i]), w: winnerOf(&obs[i], d, ord)}); err != nil {
						return fmt.Errorf("sort keys: %w", err)
					}
					ord++
				}
				stats.Read += int64(len(obs))
				return nil
			})
			if err != nil {
				return nil, stats, fmt.Errorf("current dataset: delivery %s: %w", dl.Input, err)
			}
		}
		read[d] = ord
	}
	pass, err := findWinners(sorter, read, &stats)
	if err != nil {
		return nil, stats, fmt.Errorf("current dataset: %w", err)
	}
	sorter.close()
	revs := pass.revs
	if len(ds) == 1 && stats.Duplicates == 0 {
		// One delivery that prints each figure once is the current
		// dataset as it is: its files get a second name.
		files, ok, err := linkDelivery(path, ds[0], fileRows, opts)
		if err != nil {
			return nil, stats, fmt.Errorf("current dataset: %w", err)
		}
		if ok {
			stats.Rows = pass.keys
			return files, stats, nil
		}
	}
	if meta.Sources == nil {
		meta.Sources = map[string]string{}
		for _, dl := range ds {
			meta.Sources[dl.Input] = dl.SHA256
		}
	}
	ow, err := NewObservationWriter(path, meta, opts)
	if err != nil {
		return nil, stats, fmt.Errorf("current dataset: %w", err)
	}
	defer ow.Abort()
	// the rows of the revisions, to pick up in the second pass
	need := map[rowRef][]int{} // row -> 2*revision (old) or 2*revision+1 (new)
	for i, r := range revs {
		need[r[0]] = append(need[r[0]], 2*i)
		need[r[1]] = append(need[r[1]], 2*i+1)
	}
	stats.Revisions = make([]schemas.Revision, len(revs))
	var keep []schemas.Observation
	var kept int64
	for d, dl := range ds {
		var ord int64
		for _, name := range dl.Files {
			err := ReadObservations(name, func(obs []schemas.Observation) error {
				keep = keep[:0]
				for i := range obs {
					if pass.winners.has(int32(d), ord) {
						keep = append(keep, obs[i])
					}
					for _, j := range need[rowRef{int32(d), ord}] {
						r := &stats.Revisions[j/2]
						if j%2 == 0 {
							r.Old = obs[i]
						} else {
							r.New = obs[i]
							r.Key = FigureKey(&obs[i])
						}
					}
					ord++
				}
				kept += int64(len(keep))
				return ow.Write(keep)
			})
			if err != nil {
				return nil, stats, fmt.Errorf("current dataset: delivery %s: %w", dl.Input, err)
			}
		}
	}
	if kept != pass.keys {
		// a delivery's files changed between the two passes
		return nil, stats, fmt.Errorf("current dataset: found %d rows for %d figures", kept, pass.keys)
	}
	rows, err := ow.Commit()
	if err != nil {
		return nil, stats, fmt.Errorf("current dataset: %w", err)
	}
	stats.Rows = rows
	return ow.Files(), stats, nil
}

// IsCurrentPath reports whether rel (in OUT) is a file of the current
// dataset.
func IsCurrentPath(rel string) bool {
	return strings.HasPrefix(rel, CurrentDir+"/") && strings.HasSuffix(rel, ".parquet")
}

// linkDelivery gives the observations files of dl a second name as the
// current dataset's files (path, or path's directory/year=YYYY/name when
// partitioned): a hard link, or a copy where the file system has none.
// It returns false, having done nothing, when the delivery's files are
// not in the layout of opts (a kept output of other options).
func linkDelivery(path string, dl Delivery, rows map[string]int64, opts Options) ([]FileInfo, bool, error) {
	dir, base := filepath.Split(path)
	rels := make([]string, len(dl.Files))
	for i, name := range dl.Files {
		part := filepath.Base(filepath.Dir(name))
		switch yearPart := strings.HasPrefix(part, "year="); {
		case opts.PartitionBy == PartitionYear && yearPart:
			rels[i] = part + "/" + base
		case opts.PartitionBy == "" && !yearPart && len(dl.Files) == 1:
			rels[i] = base
		default:
			return nil, false, nil
		}
	}
	var files []FileInfo
	for i, name := range dl.Files {
		dest := filepath.Join(dir, filepath.FromSlash(rels[i]))
		if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
			return nil, false, err
		}
		if err := linkOrCopy(name, dest); err != nil {
			return nil, false, err
		}
		n, sum, err := digestFile(dest)
		if err != nil {
			return nil, false, err
		}
		files = append(files, FileInfo{Path: rels[i], Rows: rows[name], Bytes: n, SHA256: sum})
	}
	slices.SortFunc(files, func(a, b FileInfo) int { return cmp.Compare(a.Path, b.Path) })
	return files, true, nil
}

// linkOrCopy makes dest a hard link to src, or a fsynced copy of it.
func linkOrCopy(src, dest string) error {
	_ = os.Remove(dest)
	if os.Link(src, dest) == nil {
		return nil
	}
	return WriteFileAtomic(dest, func(w io.Writer) error {
		f, err := os.Open(src)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(w, f)
		return err
	})
}

// digestFile returns the size and hex SHA-256 of a file.
func digestFile(name string) (int64, string, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}
