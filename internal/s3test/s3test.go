// Package s3test starts an S3 server for tests. In: a test. Out: the URL
// of an empty bucket on an S3 server that tradeetl reaches through
// gocloud.dev/blob's s3 driver, as it would a real one: by default an
// in-process github.com/johannesboyne/gofakes3 server over HTTP on
// loopback; with TRADEETL_TEST_WEED set to a SeaweedFS weed binary (make
// test-s3), a `weed server -s3` started for the test on free loopback
// ports; with TRADEETL_TEST_S3_ENDPOINT set, the S3 server there. Each
// test gets a new bucket. Credentials are
// static test ones, set in the environment as a user would.
package s3test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// EndpointEnv selects a running S3 server for the tests; WeedEnv a
// SeaweedFS binary to start one.
const (
	EndpointEnv = "TRADEETL_TEST_S3_ENDPOINT"
	WeedEnv     = "TRADEETL_TEST_WEED"
)

const (
	region    = "us-east-1"
	accessKey = "tradeetl-test"
	secretKey = "tradeetl-test-secret"
)

// Server is an S3 server with one bucket for a test.
type Server struct {
	Endpoint string
	Bucket   string
	Client   *s3.Client
	// Stats counts the requests the in-process server answered (zero
	// for an external server).
	Stats *Stats
}

// Stats counts requests and body bytes.
type Stats struct {
	Requests, BytesIn, BytesOut atomic.Int64
}

// count wraps a handler with Stats.
func (st *Stats) count(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st.Requests.Add(1)
		if r.ContentLength > 0 {
			st.BytesIn.Add(r.ContentLength)
		}
		h.ServeHTTP(&countWriter{ResponseWriter: w, n: &st.BytesOut}, r)
	})
}

type countWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.ResponseWriter.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// Start starts (or, with TRADEETL_TEST_S3_ENDPOINT, reaches) an S3
// server, creates a bucket and sets the test's AWS environment. It sets
// environment variables, so the test must not be parallel.
func Start(t testing.TB) *Server {
	t.Helper()
	for _, kv := range credentialEnv {
		t.Setenv(kv[0], kv[1])
	}
	endpoint := os.Getenv(EndpointEnv)
	if weed := os.Getenv(WeedEnv); weed != "" && endpoint == "" {
		var out syncBuffer
		ep, stop, err := StartWeed(weed, t.TempDir(), &out)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			stop()
			if t.Failed() {
				t.Logf("weed server output:\n%s", out.String())
			}
		})
		endpoint = ep
	}
	stats := &Stats{}
	if endpoint == "" {
		ts := httptest.NewServer(stats.count(gofakes3.New(s3mem.New()).Server()))
		t.Cleanup(ts.Close)
		endpoint = ts.URL
	}
	srv, err := newServer(endpoint, stats)
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// Serve starts an S3 server outside a test (a benchmark): `weed server
// -s3` when weed names a SeaweedFS binary (its data and log under dir),
// else gofakes3 in this process. The environment the server's
// credentials need is [Env]; stop shuts the server down.
func Serve(weed, dir string) (srv *Server, stop func(), err error) {
	var endpoint string
	if weed != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, nil, err
		}
		log, err := os.Create(filepath.Join(dir, "weed.log"))
		if err != nil {
			return nil, nil, err
		}
		ep, stopWeed, err := StartWeed(weed, dir, log)
		if err != nil {
			log.Close()
			return nil, nil, err
		}
		endpoint, stop = ep, func() { stopWeed(); log.Close() }
	} else {
		ts := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
		endpoint, stop = ts.URL, ts.Close
	}
	srv, err = newServer(endpoint, &Stats{})
	if err != nil {
		stop()
		return nil, nil, err
	}
	return srv, stop, nil
}

// credentialEnv is the environment that gives the SDK the servers' static
// credentials and nothing else (no profile, no instance metadata).
var credentialEnv = [][2]string{
	{"AWS_ACCESS_KEY_ID", accessKey},
	{"AWS_SECRET_ACCESS_KEY", secretKey},
	{"AWS_REGION", region},
	{"AWS_SESSION_TOKEN", ""},
	{"AWS_PROFILE", ""},
	{"AWS_CONFIG_FILE", os.DevNull},
	{"AWS_SHARED_CREDENTIALS_FILE", os.DevNull},
	{"AWS_EC2_METADATA_DISABLED", "true"},
}

// Env is the environment (KEY=VALUE) a process needs to reach the servers
// of this package with their credentials.
func Env() []string {
	env := make([]string, len(credentialEnv))
	for i, kv := range credentialEnv {
		env[i] = kv[0] + "=" + kv[1]
	}
	return env
}

// newServer makes a client of the S3 server at endpoint and a new bucket
// on it.
func newServer(endpoint string, stats *Stats) (*Server, error) {
	client := s3.New(s3.Options{
		Region:       region,
		BaseEndpoint: aws.String(endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(accessKey, secretKey, ""),
	})
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	bucket := "tradeetl-" + hex.EncodeToString(b)
	if _, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		return nil, fmt.Errorf("create bucket on %s: %w", endpoint, err)
	}
	stats.Requests.Store(0)
	stats.BytesIn.Store(0)
	stats.BytesOut.Store(0)
	return &Server{Endpoint: endpoint, Bucket: bucket, Client: client, Stats: stats}, nil
}

// URL is the s3:// URL of key (a prefix or an object) in the bucket.
func (s *Server) URL(key string) string {
	q := url.Values{"endpoint": {s.Endpoint}, "use_path_style": {"true"}, "region": {region}}
	u := "s3://" + s.Bucket
	if key != "" {
		u += "/" + key
	}
	return u + "?" + q.Encode()
}
