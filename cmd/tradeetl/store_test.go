package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tradeetl/tradeetl/internal/s3test"
	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/objstore"
	"github.com/tradeetl/tradeetl/pipeline"
)

// TestRunStoreCLI runs `tradeetl run --out s3://...` and `tradeetl
// validate s3://...` on an S3 server on loopback: the run commits a
// manifest that names every file, a rerun skips every input, inputs are
// read from the store by URL, and no output shows the credentials or
// the URL's parameters.
func TestRunStoreCLI(t *testing.T) {
	srv := s3test.Start(t)
	ctx := context.Background()
	work := t.TempDir()
	out := srv.URL("trade")
	fixtures := filepath.Join("..", "..", "fixtures")
	data, err := os.ReadFile(filepath.Join(fixtures, "products-2013.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(srv.Bucket), Key: aws.String("incoming/products-2013.xlsx"), Body: bytes.NewReader(data)}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
	}{
		{"run", []string{"run", "--out", out, "--work-dir", work, "--no-progress", fixtures}, pipeline.ExitFindings,
			[]string{"committed s3://" + srv.Bucket + "/trade/manifest.json", "3 inputs"}},
		{"rerun", []string{"run", "--out", out, "--work-dir", work, "--no-progress", fixtures}, pipeline.ExitFindings,
			[]string{"committed s3://" + srv.Bucket + "/trade/manifest.json", "skipped"}},
		{"validate objects", []string{"validate", "--work-dir", work, srv.URL("incoming/products-2013.xlsx")}, pipeline.ExitOK, nil},
		{"missing object", []string{"validate", "--work-dir", work, srv.URL("incoming/nothing/")}, pipeline.ExitUsage, nil},
		{"bad URL", []string{"run", "--out", "s3://key:secret@" + srv.Bucket + "/x", fixtures}, pipeline.ExitOutput,
			nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := execute(ctx, tc.args, &stdout, &stderr)
			all := stdout.String() + stderr.String()
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", code, tc.code, all)
			}
			for _, want := range tc.stdout {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
				}
			}
			for _, secret := range []string{os.Getenv("AWS_SECRET_ACCESS_KEY"), "endpoint=", ":secret@"} {
				if strings.Contains(all, secret) {
					t.Errorf("output shows %q:\n%s", secret, all)
				}
			}
		})
	}
	o, err := objstore.OpenOutput(ctx, out, t.TempDir(), objstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	m, err := o.ReadManifest(ctx)
	if err != nil || len(m.Files) == 0 {
		t.Fatalf("manifest %+v, %v", m, err)
	}
	names := map[string]bool{}
	for _, f := range m.Files {
		names[f.Name] = true
		if _, err := o.Bucket().Attributes(ctx, f.Path); err != nil {
			t.Errorf("%s: %v", f.Path, err)
		}
	}
	for _, want := range []string{load.ReportFile, "report.html", "current/observations.parquet"} {
		if !names[want] {
			t.Errorf("manifest lacks %s", want)
		}
	}
}
