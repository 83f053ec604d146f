package load

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/tradeetl/tradeetl/schemas"
)

// StateVersion is the version of the state.json format.
const StateVersion = 1

// State is OUT/state.json: what each input produced, so that the next run
// skips unchanged inputs, rewrites only the outputs of changed ones and
// removes the outputs of inputs that disappeared. Only inputs with
// published output are listed.
type State struct {
	Version int    `json:"version"`
	RunID   string `json:"run_id"` // the run that wrote this state
	// Config fingerprints what shapes the outputs besides the inputs
	// (tradeetl version, rules, options); when it changes every input is
	// processed again.
	Config string                 `json:"config"`
	Inputs map[string]*InputState `json:"inputs"` // by input path
}

// InputState is the published output of one input and the fingerprint of
// the file it came from.
type InputState struct {
	ID string `json:"id"`
	// Fingerprint of the input file when it was read.
	Size    int64     `json:"size"`
	ModTime time.Time `json:"mtime"`
	SHA256  string    `json:"sha256"`
	// HashedAt is when SHA256 was computed. A file whose size and mtime
	// are unchanged is trusted without hashing only if its mtime is
	// safely older than HashedAt (a write in the same clock tick as the
	// hash would otherwise go unnoticed).
	HashedAt time.Time `json:"hashed_at"`
	// RunID is the run that wrote Files.
	RunID        string     `json:"run_id"`
	Observations int64      `json:"observations"`
	Errors       int        `json:"findings_error"`
	Warnings     int        `json:"findings_warning"`
	Files        []FileInfo `json:"files"`
	// Config is the fingerprint of the options Files were written with
	// (State.Config of that run). An input whose last good output was
	// kept through a run with other options (it failed or was
	// quarantined) still has the old ones, and is read again even when
	// unchanged. Empty in states written before it was recorded: the
	// state's Config then.
	Config string `json:"config,omitempty"`
	// PathHex holds the bytes of the input path in hex when they are not
	// valid UTF-8: JSON cannot hold them, so the key of the entry is the
	// path with U+FFFD for each such byte, and reading the state keys
	// the entry by these bytes again (the next run finds the input
	// unchanged, whatever its name). Set only in state.json.
	PathHex string `json:"path_hex,omitempty"`
}

// MarshalJSON writes the state with the entries of input paths that are
// not valid UTF-8 keyed by the path with U+FFFD for each such byte (made
// unique by the hex of the path when two paths read the same) and their
// bytes in path_hex.
func (s State) MarshalJSON() ([]byte, error) {
	type plain State
	out := plain(s)
	out.Inputs = make(map[string]*InputState, len(s.Inputs))
	var odd []string
	for p, st := range s.Inputs {
		if utf8.ValidString(p) {
			out.Inputs[p] = st
		} else {
			odd = append(odd, p)
		}
	}
	slices.Sort(odd)
	for _, p := range odd {
		st := *s.Inputs[p]
		st.PathHex = hex.EncodeToString([]byte(p))
		key := schemas.ValidUTF8(p)
		for {
			if _, taken := out.Inputs[key]; !taken {
				break
			}
			key += " (" + st.PathHex + ")"
		}
		out.Inputs[key] = &st
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads a state, keying the entries with a path_hex by the
// bytes it holds.
func (s *State) UnmarshalJSON(b []byte) error {
	type plain State
	var in plain
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	for key, st := range in.Inputs {
		if st == nil || st.PathHex == "" {
			continue
		}
		p, err := hex.DecodeString(st.PathHex)
		if err != nil {
			return fmt.Errorf("input %q: path_hex: %w", key, err)
		}
		delete(in.Inputs, key)
		st.PathHex = ""
		in.Inputs[string(p)] = st
	}
	*s = State(in)
	return nil
}

// FileInfo is one published file.
type FileInfo struct {
	Path   string `json:"path"` // relative to OUT, forward slashes
	Rows   int64  `json:"rows"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
	// Input is the input path the file holds data of; empty for files of
	// the whole run (run-scope findings, run history, report).
	Input string `json:"input,omitempty"`
	// InputHex holds the bytes of Input in hex when they are not valid
	// UTF-8 (Input then has U+FFFD for each such byte); reading the JSON
	// back restores Input from it. Set only in JSON.
	InputHex string `json:"input_hex,omitempty"`
}

// MarshalJSON writes an Input that is not valid UTF-8 as input_hex, and
// the input with U+FFFD for its invalid bytes.
func (f FileInfo) MarshalJSON() ([]byte, error) {
	type plain FileInfo
	if !utf8.ValidString(f.Input) {
		f.InputHex = hex.EncodeToString([]byte(f.Input))
		f.Input = schemas.ValidUTF8(f.Input)
	}
	return json.Marshal(plain(f))
}

// UnmarshalJSON restores Input from input_hex.
func (f *FileInfo) UnmarshalJSON(b []byte) error {
	type plain FileInfo
	var in plain
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	if in.InputHex != "" {
		p, err := hex.DecodeString(in.InputHex)
		if err != nil {
			return fmt.Errorf("file %q: input_hex: %w", in.Path, err)
		}
		in.Input, in.InputHex = string(p), ""
	}
	*f = FileInfo(in)
	return nil
}

// NewState returns an empty state.
func NewState() *State { return &State{Version: StateVersion, Inputs: map[string]*InputState{}} }

// ReadState reads OUT/state.json. A missing file is an empty state (a first
// run, or an output directory written by a version without state).
func ReadState(out string) (*State, error) {
	s := NewState()
	b, err := os.ReadFile(filepath.Join(out, StateFile))
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", StateFile, err)
	}
	if err := json.Unmarshal(b, s); err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Join(out, StateFile), err)
	}
	if s.Version != StateVersion {
		return nil, fmt.Errorf("read %s: state version %d, this tradeetl reads %d", filepath.Join(out, StateFile), s.Version, StateVersion)
	}
	if s.Inputs == nil {
		s.Inputs = map[string]*InputState{}
	}
	return s, nil
}

// Manifest is OUT/manifest.json, written last by every run: the run that
// published the directory and every file it holds, with rows and SHA-256.
// A reader that wants one consistent set reads the manifest and the files
// it lists; each file's SHA-256 proves it is the one listed.
type Manifest struct {
	RunID   string     `json:"run_id"`
	Version string     `json:"version"`
	Created string     `json:"created"`
	Files   []FileInfo `json:"files"`
}

// ReadManifest reads OUT/manifest.json; a missing file is an empty manifest.
func ReadManifest(out string) (*Manifest, error) {
	m := &Manifest{}
	b, err := os.ReadFile(filepath.Join(out, ManifestFile))
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", ManifestFile, err)
	}
	if err := json.Unmarshal(b, m); err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Join(out, ManifestFile), err)
	}
	return m, nil
}
