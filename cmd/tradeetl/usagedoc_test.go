package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

var updateDocs = flag.Bool("update", false, "rewrite the generated docs/usage.md (make docs)")

// usageDocPath is the command reference generated from the command tree.
var usageDocPath = filepath.Join("..", "..", "docs", "usage.md")

// TestUsageDoc checks that docs/usage.md is what the command tree
// generates: every command, every flag, its default and its help text.
// With -update (make docs) it rewrites the file.
func TestUsageDoc(t *testing.T) {
	var want bytes.Buffer
	if err := writeUsageDoc(&want, docRoot()); err != nil {
		t.Fatalf("generate usage doc: %v", err)
	}
	if *updateDocs {
		if err := os.WriteFile(usageDocPath, want.Bytes(), 0o644); err != nil {
			t.Fatalf("write %s: %v", usageDocPath, err)
		}
		return
	}
	got, err := os.ReadFile(usageDocPath)
	if err != nil {
		t.Fatalf("read %s: %v (make docs writes it)", usageDocPath, err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("docs/usage.md is out of date with the commands and flags of cmd/tradeetl; run make docs (go test ./cmd/tradeetl -run '^TestUsageDoc$' -update)\n%s", firstDiff(string(got), want.String()))
	}
}

// TestUsageDocCoversCommands checks docs/usage.md against the command tree
// directly, not through the generator: every command has its section, and
// every flag a user can see is in it. It catches a generator that leaves
// something out.
func TestUsageDocCoversCommands(t *testing.T) {
	b, err := os.ReadFile(usageDocPath)
	if err != nil {
		t.Fatalf("read %s: %v (make docs writes it)", usageDocPath, err)
	}
	doc := string(b)
	for _, cmd := range docCommands(docRoot()) {
		heading := "\n## " + cmd.CommandPath() + "\n"
		i := strings.Index(doc, heading)
		if i < 0 {
			t.Errorf("docs/usage.md has no section for command %q", cmd.CommandPath())
			continue
		}
		section := doc[i+len(heading):]
		if j := strings.Index(section, "\n## "); j >= 0 {
			section = section[:j]
		}
		visibleFlags(cmd).VisitAll(func(f *pflag.Flag) {
			if !strings.Contains(section, "`--"+f.Name) {
				t.Errorf("docs/usage.md: flag --%s of %q is not documented", f.Name, cmd.CommandPath())
			}
			if !strings.Contains(section, mdCell(f.Usage)) {
				t.Errorf("docs/usage.md: the help text of --%s of %q is not the one the command has", f.Name, cmd.CommandPath())
			}
		})
	}
}

// TestRunningFlagTable checks the hand-written flag table of
// docs/running.md: every flag it names exists on every command it lists,
// and every flag of run, serve, validate and inspect is in it.
func TestRunningFlagTable(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "running.md"))
	if err != nil {
		t.Fatal(err)
	}
	root := docRoot()
	byName := map[string]*cobra.Command{}
	for _, c := range docCommands(root) {
		byName[c.Name()] = c
	}
	row := regexp.MustCompile("(?m)^\\| `--([a-z-]+)[^|]*\\| ([a-z, ]+) \\|")
	listed := map[string]map[string]bool{}
	rows := row.FindAllStringSubmatch(string(b), -1)
	if len(rows) < 20 {
		t.Fatalf("docs/running.md: found %d rows in the flag table, want the whole table", len(rows))
	}
	for _, m := range rows {
		name := m[1]
		for _, c := range strings.Split(m[2], ",") {
			c = strings.TrimSpace(c)
			cmd := byName[c]
			if cmd == nil {
				t.Errorf("docs/running.md: flag --%s lists command %q, which does not exist", name, c)
				continue
			}
			if visibleFlags(cmd).Lookup(name) == nil {
				t.Errorf("docs/running.md: flag --%s is listed for %s, which has no such flag", name, c)
			}
			if listed[c] == nil {
				listed[c] = map[string]bool{}
			}
			listed[c][name] = true
		}
	}
	for _, c := range []string{"run", "serve", "validate", "inspect"} {
		visibleFlags(byName[c]).VisitAll(func(f *pflag.Flag) {
			if !listed[c][f.Name] {
				t.Errorf("docs/running.md: the flag table does not list --%s for %s", f.Name, c)
			}
		})
	}
}

// docRoot is the command tree as a user sees it, help and completion
// commands included.
func docRoot() *cobra.Command {
	root := newRoot(io.Discard, io.Discard)
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	return root
}

// docCommands lists the available commands of the tree, depth first, in
// the order cobra lists them.
func docCommands(root *cobra.Command) []*cobra.Command {
	cmds := []*cobra.Command{root}
	for _, c := range root.Commands() {
		if !c.IsAvailableCommand() && c.Name() != "help" {
			continue
		}
		cmds = append(cmds, docCommands(c)...)
	}
	return cmds
}

// visibleFlags are the flags --help shows for cmd, inherited ones
// included, without the help flag itself.
func visibleFlags(cmd *cobra.Command) *pflag.FlagSet {
	fs := pflag.NewFlagSet(cmd.Name(), pflag.ContinueOnError)
	add := func(f *pflag.Flag) {
		if f.Hidden || f.Deprecated != "" || f.Name == "help" || fs.Lookup(f.Name) != nil {
			return
		}
		fs.AddFlag(f)
	}
	cmd.LocalFlags().VisitAll(add)
	cmd.InheritedFlags().VisitAll(add)
	return fs
}

// writeUsageDoc writes the command reference of root as Markdown: an
// index of the commands, then for each its synopsis, description,
// examples and a table of its flags.
func writeUsageDoc(w io.Writer, root *cobra.Command) error {
	var b strings.Builder
	b.WriteString("# Command reference\n\n")
	b.WriteString("<!-- Generated from the commands of cmd/tradeetl by `make docs`; do not edit. -->\n\n")
	b.WriteString("Every command and flag of `tradeetl`, as `tradeetl COMMAND --help` prints\n")
	b.WriteString("them. This page is generated from the program, and a test fails when it\n")
	b.WriteString("differs. [running.md](running.md) says more about the inputs, the flags\n")
	b.WriteString("and what a run prints; [operations.md](operations.md) about scheduling and\n")
	b.WriteString("exit codes.\n\n")
	cmds := docCommands(root)
	b.WriteString("| command | what it does |\n|---|---|\n")
	for _, c := range cmds {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s |\n", c.CommandPath(), anchor(c.CommandPath()), mdCell(c.Short))
	}
	for _, c := range cmds {
		fmt.Fprintf(&b, "\n## %s\n\n", c.CommandPath())
		if c.Short != "" {
			fmt.Fprintf(&b, "%s.\n\n", strings.TrimSuffix(c.Short, "."))
		}
		if c.Runnable() {
			fmt.Fprintf(&b, "```\n%s\n```\n\n", c.UseLine())
		}
		if long := strings.TrimSpace(c.Long); long != "" && long != strings.TrimSpace(c.Short) {
			fmt.Fprintf(&b, "```text\n%s\n```\n\n", long)
		}
		if ex := strings.TrimRight(c.Example, "\n "); ex != "" {
			fmt.Fprintf(&b, "Examples:\n\n```\n%s\n```\n\n", ex)
		}
		if aliases := c.Aliases; len(aliases) > 0 {
			fmt.Fprintf(&b, "Aliases: %s.\n\n", strings.Join(aliases, ", "))
		}
		fs := visibleFlags(c)
		if fs.HasFlags() {
			b.WriteString("| flag | type | default | meaning |\n|---|---|---|---|\n")
			fs.VisitAll(func(f *pflag.Flag) {
				fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", flagName(f), flagType(f), flagDefault(f), mdCell(f.Usage))
			})
		}
		var subs []string
		for _, s := range c.Commands() {
			if s.IsAvailableCommand() || s.Name() == "help" {
				subs = append(subs, fmt.Sprintf("[`%s`](#%s)", s.CommandPath(), anchor(s.CommandPath())))
			}
		}
		if len(subs) > 0 {
			fmt.Fprintf(&b, "\nCommands: %s.\n", strings.Join(subs, ", "))
		}
	}
	text := regexp.MustCompile(`\n{3,}`).ReplaceAllString(b.String(), "\n\n")
	_, err := io.WriteString(w, strings.TrimRight(text, "\n")+"\n")
	return err
}

// flagName is how the flag is written: `--out`, `-o`; a flag whose value
// is optional shows it in brackets.
func flagName(f *pflag.Flag) string {
	name := "`--" + f.Name
	if f.NoOptDefVal != "" && f.Value.Type() != "bool" {
		name += "[=" + strings.ToUpper(f.Value.Type()) + "]"
	}
	name += "`"
	if f.Shorthand != "" {
		name += ", `-" + f.Shorthand + "`"
	}
	return name
}

func flagType(f *pflag.Flag) string {
	switch t := f.Value.Type(); t {
	case "stringArray", "stringSlice":
		return "strings (repeatable)"
	default:
		return t
	}
}

func flagDefault(f *pflag.Flag) string {
	switch f.DefValue {
	case "", "[]", "0s":
		return ""
	case "false":
		if f.Value.Type() == "bool" {
			return ""
		}
	}
	return "`" + f.DefValue + "`"
}

// mdCell makes text fit in a table cell: one line, pipes escaped.
func mdCell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, "|", `\|`)
}

// anchor is the fragment GitHub gives a heading.
func anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// firstDiff shows where two texts part, for a failure message.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("first difference at line %d:\n file: %q\n want: %q", i+1, gl, wl)
		}
	}
	return ""
}
