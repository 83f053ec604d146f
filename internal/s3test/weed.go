package s3test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

// StartWeed starts `weed server -s3` on free loopback ports, with its
// data in dir and its output to log, and waits until its S3 gateway
// answers. It returns the S3 endpoint and a function that stops the
// server.
func StartWeed(weed, dir string, log io.Writer) (endpoint string, stop func(), err error) {
	ports, err := freePorts(8)
	if err != nil {
		return "", nil, err
	}
	p := func(i int) string { return strconv.Itoa(ports[i]) }
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, weed, "server",
		"-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-dir="+dir,
		"-master.port="+p(0), "-master.port.grpc="+p(1),
		"-volume.port="+p(2), "-volume.port.grpc="+p(3),
		"-filer.port="+p(4), "-filer.port.grpc="+p(5),
		"-s3", "-s3.port="+p(6), "-s3.port.grpc="+p(7),
		"-s3.port.iceberg=0", "-s3.port.lance=0",
		"-volume.max=0", "-master.volumeSizeLimitMB=64",
	)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		cancel()
		return "", nil, fmt.Errorf("start %s: %w", weed, err)
	}
	stop = func() {
		cancel()
		_ = cmd.Wait()
	}
	endpoint = "http://127.0.0.1:" + p(6)
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(endpoint + "/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 500 {
				return endpoint, stop, nil
			}
		}
		if time.Now().After(deadline) {
			stop()
			return "", nil, fmt.Errorf("weed server: S3 gateway did not answer on %s within 60s: %v", endpoint, err)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// freePorts returns n loopback ports that were free a moment ago.
func freePorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	var ports []int
	for len(ports) < n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("free port: %w", err)
		}
		ls = append(ls, l)
		port := l.Addr().(*net.TCPAddr).Port
		if port > 55000 { // weed adds 10000 for defaults it derives
			continue
		}
		ports = append(ports, port)
	}
	return ports, nil
}

// syncBuffer is a bytes.Buffer for a process's output.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprint(s.b.String())
}
