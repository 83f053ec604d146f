package interop

import (
	"database/sql"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the query results in ../docs/bi.md and ../README.md (make docs)")

// The DuckDB queries of docs/bi.md and of the README's example run on the
// fixtures' output, and the results shown after a query are what DuckDB
// returns (`go test -run TestDocsQueries -update` rewrites them).
func TestDocsQueries(t *testing.T) {
	db := duck(t)
	for _, doc := range []struct {
		path    string
		section string // the heading of the section holding the queries; "" for the whole file
		min     int    // the least number of queries the section holds
	}{
		{filepath.Join("..", "docs", "bi.md"), "", 6},
		{filepath.Join("..", "README.md"), "## Example", 1},
	} {
		t.Run(filepath.Base(doc.path), func(t *testing.T) {
			checkQueries(t, db, doc.path, doc.section, doc.min)
		})
	}
}

// checkQueries runs every sql block of a section of a Markdown file, and
// compares the plain block that follows a single query with its result.
func checkQueries(t *testing.T, db *sql.DB, path, heading string, min int) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	text := string(b)
	start, end := 0, len(text)
	if heading != "" {
		start = strings.Index(text, "\n"+heading+"\n")
		if start < 0 {
			t.Fatalf("%s has no section %q", path, heading)
		}
		if i := strings.Index(text[start+1:], "\n## "); i >= 0 {
			end = start + 1 + i
		}
	}
	section := text[start:end]
	// A sql block, and the plain block of its result right after it.
	block := regexp.MustCompile("(?s)```sql\n(.*?)```\n(?:\n```\n(.*?)```\n)?")
	newSection := section
	queries := 0
	for _, m := range block.FindAllStringSubmatchIndex(section, -1) {
		sqlText := section[m[2]:m[3]]
		stmts := splitStatements(sqlText)
		for i, stmt := range stmts {
			out := fixtures
			if strings.Contains(stmt, "hive_partitioning = true") {
				out = byYear // the query of a partitioned output
			}
			q := strings.ReplaceAll(stmt, "'out/", "'"+filepath.ToSlash(out.dir)+"/")
			rows := query(t, db, "SELECT COLUMNS(*)::VARCHAR FROM ("+strings.TrimSuffix(q, ";")+")")
			cols := columns(t, db, q)
			if len(rows) == 0 {
				t.Errorf("%s: query returns nothing:\n%s", path, stmt)
			}
			queries++
			if m[4] < 0 || len(stmts) != 1 || i > 0 {
				continue
			}
			got := render(cols, rows)
			want := section[m[4]:m[5]]
			if got != want {
				if *update {
					newSection = strings.Replace(newSection, "```\n"+want+"```", "```\n"+got+"```", 1)
					continue
				}
				t.Errorf("%s shows\n%s\nfor\n%s\nDuckDB returns\n%s(make docs, or go test ./interop -run TestDocsQueries -update, rewrites it)", path, want, stmt, got)
			}
		}
	}
	if queries < min {
		t.Errorf("%d queries in %s, want at least %d", queries, path, min)
	}
	if *update && newSection != section {
		if err := os.WriteFile(path, []byte(text[:start]+newSection+text[end:]), 0o644); err != nil {
			t.Fatalf("write %s: %v", path, err)
		}
	}
}

// splitStatements splits SQL at the semicolons that end a line.
func splitStatements(sql string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.SplitAfter(sql, "\n") {
		cur.WriteString(line)
		if strings.HasSuffix(strings.TrimSpace(line), ";") {
			if s := strings.TrimSpace(cur.String()); s != "" {
				out = append(out, s)
			}
			cur.Reset()
		}
	}
	return out
}

// columns returns the column names of q's result.
func columns(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query("SELECT * FROM (" + strings.TrimSuffix(q, ";") + ") LIMIT 0")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	return cols
}

// render lays out a result as the docs show it: a header and rows,
// columns aligned.
func render(cols []string, rows []string) string {
	table := [][]string{cols}
	for _, r := range rows {
		table = append(table, strings.Split(r, "|"))
	}
	width := make([]int, len(cols))
	for _, r := range table {
		for i, v := range r {
			width[i] = max(width[i], utf8.RuneCountInString(v))
		}
	}
	var b strings.Builder
	for _, r := range table {
		var line strings.Builder
		for i, v := range r {
			if i > 0 {
				line.WriteString("  ")
			}
			line.WriteString(v)
			line.WriteString(strings.Repeat(" ", width[i]-utf8.RuneCountInString(v)))
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteString("\n")
	}
	return b.String()
}
