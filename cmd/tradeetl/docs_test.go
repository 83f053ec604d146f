package main

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// readmeMaxBytes is the size the README stays under: a front door, with
// the reference in docs/.
const readmeMaxBytes = 12000

// pendingPages are pages of docs/ that the README and docs/index.md link
// before they are written; a link to one of them may dangle until it
// exists, and is checked like any other once it does.
var pendingPages = map[string]bool{}

// TestDocsLinks checks the README and every page of docs/: the README is
// short and links every page, and every relative link resolves, to a file
// or directory of the repository and, with a #fragment into a Markdown
// file, to one of its headings.
func TestDocsLinks(t *testing.T) {
	root := filepath.Join("..", "..")
	pages, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) == 0 {
		t.Fatal("no docs/*.md pages")
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("size", func(t *testing.T) {
		if len(readme) >= readmeMaxBytes {
			t.Errorf("README.md is %d bytes, want under %d: move reference material into docs/", len(readme), readmeMaxBytes)
		}
	})

	t.Run("every page linked from the README", func(t *testing.T) {
		linked := map[string]bool{}
		for _, l := range mdLinks(string(readme)) {
			linked[path.Clean(strings.SplitN(l.target, "#", 2)[0])] = true
		}
		for _, p := range pages {
			rel := "docs/" + filepath.Base(p)
			if !linked[rel] {
				t.Errorf("README.md does not link %s", rel)
			}
		}
		for p := range pendingPages {
			if !linked[p] {
				t.Errorf("README.md does not link %s", p)
			}
		}
	})

	files := append([]string{filepath.Join(root, "README.md")}, pages...)
	for _, file := range files {
		rel, err := filepath.Rel(root, file)
		if err != nil {
			t.Fatal(err)
		}
		rel = filepath.ToSlash(rel)
		t.Run("links of "+rel, func(t *testing.T) {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range mdLinks(string(b)) {
				if err := checkLink(root, rel, l.target); err != nil {
					t.Errorf("%s:%d: link %q: %v", rel, l.line, l.target, err)
				}
			}
		})
	}
}

type mdLink struct {
	target string
	line   int
}

var linkRE = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// mdLinks returns the link targets of a Markdown text, outside code
// blocks and code spans.
func mdLinks(text string) []mdLink {
	var links []mdLink
	fenced := false
	for i, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		if fenced {
			continue
		}
		for _, m := range linkRE.FindAllStringSubmatch(stripCodeSpans(line), -1) {
			links = append(links, mdLink{m[1], i + 1})
		}
	}
	return links
}

func stripCodeSpans(line string) string {
	parts := strings.Split(line, "`")
	var b strings.Builder
	for i, p := range parts {
		if i%2 == 0 {
			b.WriteString(p)
		}
	}
	return b.String()
}

// checkLink resolves target, a link in the file from (relative to root).
func checkLink(root, from, target string) error {
	if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
		return nil
	}
	file, frag, _ := strings.Cut(target, "#")
	rel := from
	if file != "" {
		rel = path.Clean(path.Join(path.Dir(from), file))
		if rel == ".." || strings.HasPrefix(rel, "../") {
			return fmt.Errorf("points outside the repository")
		}
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel))); err != nil {
			if pendingPages[rel] {
				return nil
			}
			return fmt.Errorf("no such file: %s", rel)
		}
	}
	if frag == "" || !strings.HasSuffix(rel, ".md") {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return err
	}
	anchors := headingAnchors(string(b))
	if !anchors[frag] {
		known := make([]string, 0, len(anchors))
		for a := range anchors {
			known = append(known, a)
		}
		sort.Strings(known)
		return fmt.Errorf("%s has no heading #%s (it has %s)", rel, frag, strings.Join(known, ", "))
	}
	return nil
}

// headingAnchors are the fragments GitHub gives the headings of a
// Markdown text: the text lower-cased, punctuation dropped, spaces as
// hyphens, and -1, -2… after repeats.
func headingAnchors(text string) map[string]bool {
	anchors := map[string]bool{}
	seen := map[string]int{}
	fenced := false
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		if fenced || !strings.HasPrefix(line, "#") {
			continue
		}
		h := strings.TrimSpace(strings.TrimLeft(line, "#"))
		h = strings.ReplaceAll(h, "`", "")
		a := anchor(h)
		if n := seen[a]; n > 0 {
			anchors[fmt.Sprintf("%s-%d", a, n)] = true
		} else {
			anchors[a] = true
		}
		seen[a]++
	}
	return anchors
}
