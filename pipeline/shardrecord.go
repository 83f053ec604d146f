package pipeline

import (
	"bufio"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

// shardVersion is the version of the shard records; a publication refuses
// others.
const shardVersion = 1

// shardRecord is what a shard staged: results.json. Its files are under
// files/, at their paths in OUT.
type shardRecord struct {
	Version int    `json:"version"`
	RunID   string `json:"run_id"`
	Shard   int    `json:"shard"`
	Shards  int    `json:"shards"`
	// Config is the fingerprint of the options that shape the output.
	Config string `json:"config"`
	// Base is the run whose state.json the shard planned against ("" when
	// none was published): the inputs it skipped are unchanged since then.
	Base string `json:"base_run_id"`
	// Inputs is the SHA-256 of the paths of every input of the run (every
	// shard's): the shards of one run found the same inputs.
	Inputs  string    `json:"inputs"`
	Started time.Time `json:"started"`
	// Files are the inputs of this shard; Unlisted the directories of the
	// run that could not be listed (every shard lists them all).
	Files    []safeString     `json:"files"`
	Unlisted []unlistedRecord `json:"unlisted"`
	Results  []inputRecord    `json:"results"`
}

type unlistedRecord struct {
	Path  safeString `json:"path"`
	Error string     `json:"error"`
}

// inputRecord is the result of one input of a shard: its line of the
// report, its findings, and what its entry of state.json needs.
type inputRecord struct {
	Input    schemas.InputReport `json:"input"`
	Size     int64               `json:"size"`
	ModTime  time.Time           `json:"mod_time"`
	SHA256   string              `json:"sha256"`
	HashedAt time.Time           `json:"hashed_at"`
	// The identity of the file read (see identity); zero when it was not
	// opened.
	Ctime    time.Time       `json:"ctime"`
	Dev      uint64          `json:"dev"`
	Ino      uint64          `json:"ino"`
	Findings []findingRecord `json:"findings"`
	Errors   int             `json:"errors"`
	Warnings int             `json:"warnings"`
	// Staged are the files staged for the input (under files/), paths
	// relative to OUT.
	Staged []load.FileInfo `json:"staged"`
	// Drawn is the file, relative to the shard's directory, of the
	// observations report.html draws of the input, in the order they
	// were read (gob); empty when it draws none.
	Drawn string `json:"drawn,omitempty"`
}

// shardMarker is complete.json, written last: the shard is complete. It
// repeats what a publication checks before reading results.json, and the
// SHA-256 of results.json.
type shardMarker struct {
	Version  int         `json:"version"`
	RunID    string      `json:"run_id"`
	Shard    int         `json:"shard"`
	Shards   int         `json:"shards"`
	Config   string      `json:"config"`
	Base     string      `json:"base_run_id"`
	Inputs   string      `json:"inputs"`
	Started  time.Time   `json:"started"`
	Finished time.Time   `json:"finished"`
	Results  string      `json:"results_sha256"`
	Counts   shardCounts `json:"counts"`
}

type shardCounts struct {
	Inputs       int `json:"inputs"`
	Loaded       int `json:"loaded"`
	Skipped      int `json:"skipped"`
	Failed       int `json:"failed"`
	Quarantined  int `json:"quarantined"`
	Observations int `json:"observations"`
	Findings     int `json:"findings"`
}

// failedMarker is failed.json: the shard stopped with an error.
type failedMarker struct {
	RunID    string    `json:"run_id"`
	Shard    int       `json:"shard"`
	Shards   int       `json:"shards"`
	Error    string    `json:"error"`
	Finished time.Time `json:"finished"`
}

// shardRecord records the results of the plans of shard sh, writing the
// observations report.html draws into dir.
func (r *runner) shardRecord(dir string, plans []*inputPlan, state *load.State, sh Shard, mine func(*inputPlan) bool) (*shardRecord, error) {
	rec := &shardRecord{
		Version: shardVersion, RunID: r.runID, Shard: sh.Index, Shards: sh.Count, Config: r.config,
		Base: state.RunID, Inputs: inputsDigest(plans), Started: r.started,
		Files: []safeString{}, Unlisted: []unlistedRecord{}, Results: []inputRecord{},
	}
	for _, p := range plans {
		switch {
		case p.unlisted != nil:
			rec.Unlisted = append(rec.Unlisted, unlistedRecord{Path: safeString(p.path), Error: p.unlisted.Error()})
		case p.notListed != "" || !mine(p):
		default:
			rec.Files = append(rec.Files, safeString(p.path))
			res := r.results[p.idx]
			in := inputRecord{
				Input: res.input, Size: res.fp.size, ModTime: res.fp.modTime, SHA256: res.fp.sha256, HashedAt: res.fp.hashedAt,
				Ctime: res.fp.id.ctime, Dev: res.fp.id.dev, Ino: res.fp.id.ino,
				Errors: res.errors, Warnings: res.warnings, Staged: res.staged,
			}
			for _, f := range res.findings {
				in.Findings = append(in.Findings, newFindingRecord(f))
			}
			if res.obs != nil {
				in.Drawn = path.Join("drawn", p.id+".gob")
				if err := writeDrawn(filepath.Join(dir, filepath.FromSlash(in.Drawn)), res.obs); err != nil {
					return nil, err
				}
			}
			rec.Results = append(rec.Results, in)
		}
	}
	return rec, nil
}

// writeDrawn writes the observations report.html draws of an input: gob
// keeps them exactly, and in their order (the Parquet file is sorted).
func writeDrawn(name string, obs []schemas.Observation) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return load.WriteFileAtomic(name, func(w io.Writer) error { return gob.NewEncoder(w).Encode(obs) })
}

func readDrawn(name string) ([]schemas.Observation, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var obs []schemas.Observation
	if err := gob.NewDecoder(bufio.NewReader(f)).Decode(&obs); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return obs, nil
}

// inputsDigest is the SHA-256 of the paths of the inputs the run found:
// its input files and the directories it could not list.
func inputsDigest(plans []*inputPlan) string {
	h := sha256.New()
	for _, p := range plans {
		if p.notListed == "" {
			fmt.Fprintf(h, "%d:%s\n", len(p.path), p.path)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// result turns an input's record back into its result. Its observations
// for the run-scope rules are read back from its staged files when
// needed; those report.html draws from the shard's directory dir.
func (in *inputRecord) result(dir string) (*fileResult, error) {
	res := &fileResult{
		input: in.Input,
		fp: fingerprint{size: in.Size, modTime: in.ModTime, sha256: in.SHA256, hashedAt: in.HashedAt,
			id: identity{size: in.Size, modTime: in.ModTime, ctime: in.Ctime, dev: in.Dev, ino: in.Ino}},
		errors: in.Errors, warnings: in.Warnings, staged: in.Staged, restored: true,
	}
	for _, f := range in.Findings {
		res.findings = append(res.findings, f.finding())
	}
	if in.Drawn != "" {
		if checkRel(in.Drawn) != nil {
			return nil, fmt.Errorf("result of %s: drawn observations at %q, outside the shard", in.Input.Path, in.Drawn)
		}
		obs, err := readDrawn(filepath.Join(dir, filepath.FromSlash(in.Drawn)))
		if err != nil {
			return nil, err
		}
		res.obs = obs
	}
	return res, nil
}

// checkRel rejects paths that are not plain relative paths.
func checkRel(rel string) error {
	if rel == "" || path.IsAbs(rel) || strings.Contains(rel, `\`) || path.Clean(rel) != rel || rel == ".." || strings.HasPrefix(rel, "../") {
		return fmt.Errorf("%q is not a relative path", rel)
	}
	return nil
}

// writeShard writes results.json, then complete.json: a shard is complete
// once its marker is there, and the marker is written last.
func writeShard(dir string, rec *shardRecord, finished time.Time) error {
	b, err := json.MarshalIndent(rec, "", " ")
	if err != nil {
		return fmt.Errorf("write shard results: %w", err)
	}
	b = append(b, '\n')
	if err := writeJSONFile(filepath.Join(dir, load.ShardResultsFile), b); err != nil {
		return err
	}
	sum := sha256.Sum256(b)
	m := shardMarker{
		Version: rec.Version, RunID: rec.RunID, Shard: rec.Shard, Shards: rec.Shards, Config: rec.Config,
		Base: rec.Base, Inputs: rec.Inputs, Started: rec.Started, Finished: finished, Results: hex.EncodeToString(sum[:]),
	}
	for _, in := range rec.Results {
		m.Counts.Inputs++
		m.Counts.Observations += in.Input.Observations
		m.Counts.Findings += len(in.Findings)
		switch in.Input.Status {
		case schemas.StatusLoaded:
			m.Counts.Loaded++
		case schemas.StatusSkipped:
			m.Counts.Skipped++
		case schemas.StatusFailed:
			m.Counts.Failed++
		case schemas.StatusQuarantined:
			m.Counts.Quarantined++
		}
	}
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("write shard marker: %w", err)
	}
	return writeJSONFile(filepath.Join(dir, load.ShardCompleteFile), append(mb, '\n'))
}

func writeJSONFile(name string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return load.WriteFileAtomic(name, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

func readJSONFile(name string, v any) error {
	b, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// safeString is a string in JSON that keeps bytes that are not UTF-8: as
// a JSON string when it is valid UTF-8, else as {"hex": "..."}.
type safeString string

func (s safeString) MarshalJSON() ([]byte, error) {
	if utf8.ValidString(string(s)) {
		return json.Marshal(string(s))
	}
	return json.Marshal(map[string]string{"hex": hex.EncodeToString([]byte(s))})
}

func (s *safeString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '{' {
		var h struct {
			Hex string `json:"hex"`
		}
		if err := json.Unmarshal(b, &h); err != nil {
			return err
		}
		raw, err := hex.DecodeString(h.Hex)
		if err != nil {
			return err
		}
		*s = safeString(raw)
		return nil
	}
	var str string
	if err := json.Unmarshal(b, &str); err != nil {
		return err
	}
	*s = safeString(str)
	return nil
}

// findingRecord is a finding in a shard's record: the finding as JSON
// gives it, and in hex each of its strings that is not UTF-8 (JSON would
// change it), keyed by field ("file", "cells/2").
type findingRecord struct {
	schemas.Finding
	Hex map[string]string `json:"hex,omitempty"`
}

func newFindingRecord(f schemas.Finding) findingRecord {
	rec := findingRecord{Finding: f}
	for key, s := range findingStrings(&f) {
		if !utf8.ValidString(*s) {
			if rec.Hex == nil {
				rec.Hex = map[string]string{}
			}
			rec.Hex[key] = hex.EncodeToString([]byte(*s))
		}
	}
	return rec
}

func (rec findingRecord) finding() schemas.Finding {
	f := rec.Finding
	if len(rec.Hex) > 0 {
		f.Cells, f.Candidates = slices.Clone(f.Cells), slices.Clone(f.Candidates)
		fields := findingStrings(&f)
		for key, h := range rec.Hex {
			if raw, err := hex.DecodeString(h); err == nil && fields[key] != nil {
				*fields[key] = string(raw)
			}
		}
	}
	return f
}

// findingStrings returns the free-text strings of a finding by field (a
// severity is one of a few words and needs no repair).
func findingStrings(f *schemas.Finding) map[string]*string {
	m := map[string]*string{"rule": &f.Rule, "file": &f.File, "sheet": &f.Sheet,
		"message": &f.Message, "suspect_cell": &f.SuspectCell, "slip": &f.Slip}
	for i := range f.Cells {
		m["cells/"+strconv.Itoa(i)] = &f.Cells[i]
	}
	for i := range f.Candidates {
		m["candidates/"+strconv.Itoa(i)] = &f.Candidates[i]
	}
	return m
}
