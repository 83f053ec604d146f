package objstore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"

	"gocloud.dev/blob"
	// The drivers of the URL schemes tradeetl accepts.
	_ "gocloud.dev/blob/azureblob"
	_ "gocloud.dev/blob/gcsblob"
	_ "gocloud.dev/blob/s3blob"
)

// Schemes are the URL schemes of object stores; file:// URLs are local
// paths (see LocalPath).
var Schemes = []string{"s3", "gs", "azblob"}

// IsURL reports whether s names an object store location (s3://, gs://,
// azblob://) rather than a local path.
func IsURL(s string) bool {
	scheme, _, ok := strings.Cut(s, "://")
	if !ok {
		return false
	}
	for _, sc := range Schemes {
		if strings.EqualFold(scheme, sc) {
			return true
		}
	}
	return false
}

// LocalPath turns a file:// URL into the local path it names; other
// strings are returned as they are. A file:// output keeps the local
// protocol (atomic renames, an operating-system lock), which is stronger
// than the object-store one.
func LocalPath(s string) (string, error) {
	if !strings.HasPrefix(strings.ToLower(s), "file://") {
		return s, nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%s: %w", Redact(s), err)
	}
	if u.Host != "" && u.Host != "localhost" {
		return "", fmt.Errorf("%s: a file:// URL names a local path (file:///dir), not host %q", Redact(s), u.Host)
	}
	if u.Path == "" {
		return "", fmt.Errorf("%s: no path", Redact(s))
	}
	return u.Path, nil
}

// Location is an object-store URL taken apart: the bucket (with the
// driver's query parameters) and a key prefix inside it.
type Location struct {
	Scheme string
	Bucket string // bucket or container name
	Key    string // key or prefix inside the bucket, no leading "/"
	query  string // the driver's parameters (endpoint=, region=, ...)
}

// secretParams are query parameters that would carry credentials:
// tradeetl takes those from the environment only.
var secretParams = []string{"secret", "password", "passwd", "token", "sig", "signature", "credential", "access_key", "accesskey", "sas", "key_id", "private"}

// ParseURL takes an object-store URL apart. It refuses URLs with
// credentials in them (user:password@, or a secret-looking query
// parameter): credentials come from the environment and the SDKs' chains.
func ParseURL(s string) (Location, error) {
	u, err := url.Parse(s)
	if err != nil {
		return Location{}, fmt.Errorf("%s: %w", Redact(s), err)
	}
	if !IsURL(s) {
		return Location{}, fmt.Errorf("%s: not an object store URL (want one of %s://)", Redact(s), strings.Join(Schemes, "://, "))
	}
	if u.Host == "" {
		return Location{}, fmt.Errorf("%s: no bucket", Redact(s))
	}
	if err := checkNoSecret(u); err != nil {
		return Location{}, fmt.Errorf("%s: %w", Redact(s), err)
	}
	key := strings.TrimPrefix(u.Path, "/")
	for _, part := range strings.Split(strings.TrimSuffix(key, "/"), "/") {
		if key != "" && (part == "" || part == "." || part == "..") {
			return Location{}, fmt.Errorf("%s: the path %q has an empty, . or .. element", Redact(s), key)
		}
	}
	return Location{Scheme: strings.ToLower(u.Scheme), Bucket: u.Host, Key: key, query: u.RawQuery}, nil
}

// secretParam reports whether a query parameter looks like it carries a
// secret; a parameter naming a file (web_identity_token_file) does not.
func secretParam(k string) bool {
	lk := strings.ToLower(k)
	if strings.HasSuffix(lk, "_file") {
		return false
	}
	for _, s := range secretParams {
		if strings.Contains(lk, s) {
			return true
		}
	}
	return false
}

func checkNoSecret(u *url.URL) error {
	const where = "credentials are never read from a URL; set them in the environment (AWS_ACCESS_KEY_ID, AWS_PROFILE, GOOGLE_APPLICATION_CREDENTIALS, AZURE_STORAGE_KEY, ...)"
	if u.User != nil {
		return errors.New(where)
	}
	for k, vs := range u.Query() {
		if secretParam(k) {
			return fmt.Errorf("query parameter %s: %s", k, where)
		}
		for _, v := range vs {
			if e, err := url.Parse(v); err == nil && e.User != nil {
				return fmt.Errorf("query parameter %s: %s", k, where)
			}
		}
	}
	return nil
}

// String is the URL without its query: the name of the location in
// reports and in the inputs' names, the same whatever endpoint a run
// reaches the store through.
func (l Location) String() string {
	s := l.Scheme + "://" + l.Bucket
	if l.Key != "" {
		s += "/" + l.Key
	}
	return s
}

// Child is the location of key rel under l.
func (l Location) Child(rel string) Location {
	c := l
	c.Key = path.Join(l.Key, rel)
	return c
}

// bucketURL is the URL gocloud opens: the bucket and the driver's
// parameters.
func (l Location) bucketURL() string {
	s := l.Scheme + "://" + l.Bucket
	q := l.query
	if l.Scheme == "s3" && q != "" {
		// An S3-compatible server (endpoint=) seldom knows the SDK's
		// newer integrity checksums: ask for them only where the API
		// requires them, unless the URL says otherwise.
		v, err := url.ParseQuery(q)
		if err == nil && v.Get("endpoint") != "" {
			for _, k := range []string{"request_checksum_calculation", "response_checksum_validation"} {
				if !v.Has(k) {
					v.Set(k, "when_required")
				}
			}
			q = v.Encode()
		}
	}
	if q != "" {
		s += "?" + q
	}
	return s
}

// Open opens the bucket of l; with prefix, keys are relative to l.Key
// taken as a directory.
func (l Location) Open(ctx context.Context, prefix bool) (*blob.Bucket, error) {
	b, err := blob.OpenBucket(ctx, l.bucketURL())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", Redact(l.bucketURL()), err)
	}
	if prefix && l.Key != "" {
		return blob.PrefixedBucket(b, strings.TrimSuffix(l.Key, "/")+"/"), nil
	}
	return b, nil
}

// Redact returns s fit for logs and reports: without user information,
// and with the values of secret-looking query parameters replaced by
// REDACTED (ParseURL refuses such URLs, but they must not leak in its
// error either).
func Redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		// Unparseable: keep the scheme and the host at most.
		if scheme, rest, ok := strings.Cut(s, "://"); ok {
			host, _, _ := strings.Cut(rest, "/")
			if i := strings.LastIndexByte(host, '@'); i >= 0 {
				host = host[i+1:]
			}
			return scheme + "://" + host + "/REDACTED"
		}
		return "REDACTED"
	}
	if u.User != nil {
		u.User = nil
	}
	q := u.Query()
	changed := false
	for k, vs := range q {
		secret := secretParam(k)
		for i, v := range vs {
			if e, err := url.Parse(v); err == nil && e.User != nil {
				e.User = nil
				vs[i], changed = e.String(), true
			}
			if secret {
				vs[i], changed = "REDACTED", true
			}
		}
	}
	if changed {
		u.RawQuery = q.Encode()
	}
	return u.String()
}
