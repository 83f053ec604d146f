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

var update = flag.Bool("update", false, "rewrite the query results in ../README.md")

// The DuckDB queries of the README's "Use the output" run on the fixtures'
// output, and the results the README shows after a query are what DuckDB
// returns (`go test -run TestREADMEQueries -update` rewrites them).
func TestREADMEQueries(t *testing.T) {
	readme := filepath.Join("..", "README.md")
	b, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "\n## Use the output\n")
	if start < 0 {
		t.Fatal("README has no section \"Use the output\"")
	}
	end := strings.Index(text[start+1:], "\n## ")
	if end < 0 {
		end = len(text) - start - 1
	}
	section := text[start : start+1+end]
	// A sql block, and the plain block of its result right after it.
	block := regexp.MustCompile("(?s)```sql\n(.*?)```\n(?:\n```\n(.*?)```\n)?")
	db := duck(t)
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
				t.Errorf("README query returns nothing:\n%s", stmt)
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
				t.Errorf("README shows\n%s\nfor\n%s\nDuckDB returns\n%s(go test ./interop -run TestREADMEQueries -update rewrites it)", want, stmt, got)
			}
		}
	}
	if queries < 6 {
		t.Errorf("%d queries in the README's \"Use the output\", want at least 6", queries)
	}
	if *update && newSection != section {
		if err := os.WriteFile(readme, []byte(text[:start]+newSection+text[start+len(section):]), 0o644); err != nil {
			t.Fatal(err)
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

// render lays out a result as the README shows it: a header and rows,
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
