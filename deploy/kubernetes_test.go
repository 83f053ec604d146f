package deploy

import (
	"bufio"
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// manifestDir holds the Kubernetes manifests.
const manifestDir = "kubernetes"

// kustomization is the part of a kustomization.yaml the manifests use,
// decoded strictly so that a misspelt field fails.
type kustomization struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Namespace  string   `json:"namespace"`
	Resources  []string `json:"resources"`
	Images     []struct {
		Name    string `json:"name"`
		NewName string `json:"newName"`
		NewTag  string `json:"newTag"`
	} `json:"images"`
}

// object is one decoded manifest.
type object struct {
	file string
	kind string
	name string
	obj  any
}

// loadManifests decodes every document of every YAML file in dir into its
// Kubernetes API type, strictly: an unknown or misspelt field, or a value
// of the wrong type, is an error, as the API server's strict field
// validation makes it.
func loadManifests(t *testing.T, dir string) []object {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in %s: %v", dir, err)
	}
	var objs []object
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range splitDocuments(data) {
			o, err := decode(doc)
			if err != nil {
				t.Errorf("%s: document %d: %v", f, i+1, err)
				continue
			}
			o.file = filepath.Base(f)
			objs = append(objs, o)
		}
	}
	return objs
}

// splitDocuments splits a YAML stream at its "---" lines, dropping empty
// documents.
func splitDocuments(data []byte) [][]byte {
	var docs [][]byte
	for _, d := range regexp.MustCompile(`(?m)^---\s*$`).Split(string(data), -1) {
		if strings.TrimSpace(stripComments(d)) != "" {
			docs = append(docs, []byte(d))
		}
	}
	return docs
}

func stripComments(s string) string {
	var b strings.Builder
	for line := range strings.Lines(s) {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			b.WriteString(line)
		}
	}
	return b.String()
}

func decode(doc []byte) (object, error) {
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := yaml.Unmarshal(doc, &head); err != nil {
		return object{}, err
	}
	var target any
	switch head.APIVersion + " " + head.Kind {
	case "v1 Namespace":
		target = &corev1.Namespace{}
	case "v1 ServiceAccount":
		target = &corev1.ServiceAccount{}
	case "v1 ConfigMap":
		target = &corev1.ConfigMap{}
	case "v1 Secret":
		target = &corev1.Secret{}
	case "batch/v1 CronJob":
		target = &batchv1.CronJob{}
	case "batch/v1 Job":
		target = &batchv1.Job{}
	case "kustomize.config.k8s.io/v1beta1 Kustomization":
		target = &kustomization{}
	default:
		return object{}, fmt.Errorf("unexpected apiVersion %q kind %q", head.APIVersion, head.Kind)
	}
	// As the API server decodes with strict field validation: YAML to
	// JSON refusing duplicate keys, then case-sensitive JSON refusing
	// unknown fields (encoding/json alone matches names in any case).
	js, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		return object{}, fmt.Errorf("%s: %w", head.Kind, err)
	}
	strict, err := kjson.UnmarshalStrict(js, target, kjson.DisallowDuplicateFields, kjson.DisallowUnknownFields)
	if err != nil {
		return object{}, fmt.Errorf("%s: %w", head.Kind, err)
	}
	if len(strict) > 0 {
		return object{}, fmt.Errorf("%s: %w", head.Kind, errors.Join(strict...))
	}
	o := object{kind: head.Kind, obj: target}
	switch v := target.(type) {
	case *corev1.Namespace:
		o.name = v.Name
	case *corev1.ServiceAccount:
		o.name = v.Name
	case *corev1.ConfigMap:
		o.name = v.Name
	case *corev1.Secret:
		o.name = v.Name
	case *batchv1.CronJob:
		o.name = v.Name
	case *batchv1.Job:
		o.name = v.Name
		if o.name == "" {
			o.name = v.GenerateName
		}
	}
	return o, nil
}

func TestManifestsDecodeStrictly(t *testing.T) {
	objs := loadManifests(t, manifestDir)
	kinds := map[string]int{}
	for _, o := range objs {
		kinds[o.kind]++
		if o.kind == "Kustomization" {
			continue
		}
		name := strings.TrimSuffix(o.name, "-")
		for _, msg := range validation.IsDNS1123Subdomain(name) {
			t.Errorf("%s: %s name %q: %s", o.file, o.kind, o.name, msg)
		}
	}
	for _, k := range []string{"CronJob", "Job", "ConfigMap", "ServiceAccount", "Kustomization"} {
		if kinds[k] == 0 {
			t.Errorf("no %s among the manifests", k)
		}
	}
}

// The strict decoding above must fail on a misspelt field: the check is
// only worth something if it can fail.
func TestStrictDecodingCatchesTypos(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(manifestDir, "cronjob.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ from, to string }{
		{"completionMode: Indexed", "completionmode: Indexed"},
		{"concurrencyPolicy: Forbid", "concurencyPolicy: Forbid"},
		{"parallelism: 4", "parallelism: four"},
		{"memory: 1Gi", "memory: 1 gigabyte"},
	} {
		bad := strings.Replace(string(data), c.from, c.to, 1)
		if bad == string(data) {
			t.Fatalf("cronjob.yaml has no %q", c.from)
		}
		if _, err := decode([]byte(bad)); err == nil {
			t.Errorf("%q: decoded without error", c.to)
		}
	}
}

func TestKustomization(t *testing.T) {
	var k *kustomization
	var names []string
	for _, o := range loadManifests(t, manifestDir) {
		if v, ok := o.obj.(*kustomization); ok {
			k = v
		}
	}
	if k == nil {
		t.Fatal("no kustomization.yaml")
	}
	for _, r := range k.Resources {
		if _, err := os.Stat(filepath.Join(manifestDir, r)); err != nil {
			t.Errorf("kustomization resource %s: %v", r, err)
		}
		names = append(names, r)
	}
	if slices.Contains(names, "publish-job.yaml") {
		t.Error("publish-job.yaml is run on demand and uses generateName: it cannot be in kustomization resources")
	}
	for _, msg := range validation.IsDNS1123Label(k.Namespace) {
		t.Errorf("namespace %q: %s", k.Namespace, msg)
	}
	if len(k.Images) == 0 {
		t.Error("kustomization sets no image")
	}
}

// TestCronJob checks what the API server would refuse or what would make
// the nightly run silently wrong: the schedule, the Indexed Job and its
// shard count, retries per index, the failure policy's exit codes, the
// environment the arguments refer to, resources and security.
func TestCronJob(t *testing.T) {
	cj := only[*batchv1.CronJob](t, loadManifests(t, manifestDir))
	if _, err := cron.ParseStandard(cj.Spec.Schedule); err != nil {
		t.Errorf("schedule %q: %v", cj.Spec.Schedule, err)
	}
	if tz := cj.Spec.TimeZone; tz != nil {
		if _, err := time.LoadLocation(*tz); err != nil {
			t.Errorf("timeZone %q: %v", *tz, err)
		}
	}
	if cj.Spec.ConcurrencyPolicy != batchv1.ForbidConcurrent {
		t.Errorf("concurrencyPolicy %q: two nightly runs must not overlap (the second would wait on the lock)", cj.Spec.ConcurrencyPolicy)
	}
	job := cj.Spec.JobTemplate.Spec
	if job.CompletionMode == nil || *job.CompletionMode != batchv1.IndexedCompletion {
		t.Fatal("the Job is not Indexed: pods would not get JOB_COMPLETION_INDEX")
	}
	if job.Completions == nil || job.Parallelism == nil {
		t.Fatal("completions and parallelism must be set")
	}
	n := int(*job.Completions)
	if int(*job.Parallelism) != n {
		t.Errorf("parallelism %d != completions %d: shards would wait for one another", *job.Parallelism, n)
	}
	if job.BackoffLimitPerIndex == nil {
		t.Error("backoffLimitPerIndex unset: one failing shard would use up the retries of all")
	}
	pod := job.Template.Spec
	checkPod(t, "cronjob.yaml", pod)
	if job.PodFailurePolicy != nil && pod.RestartPolicy != corev1.RestartPolicyNever {
		t.Error("podFailurePolicy requires restartPolicy Never")
	}
	c := container(t, pod, "tradeetl")
	args := c.Args
	if len(args) == 0 || args[0] != "run" {
		t.Fatalf("args %q: want the run command", args)
	}
	shard := flagValue(args, "--shard")
	if want := "$(JOB_COMPLETION_INDEX)/" + strconv.Itoa(n); shard != want {
		t.Errorf("--shard %q, want %q (the Job has %d completions)", shard, want, n)
	}
	if flagValue(args, "--run-id") == "" {
		t.Error("no --run-id: the shards of one Job would not find one another")
	}
	if job.PodFailurePolicy != nil {
		for _, r := range job.PodFailurePolicy.Rules {
			if r.Action == batchv1.PodFailurePolicyActionFailIndex && job.BackoffLimitPerIndex == nil {
				t.Error("FailIndex needs backoffLimitPerIndex")
			}
			if e := r.OnExitCodes; e != nil {
				if e.ContainerName != nil && *e.ContainerName != c.Name {
					t.Errorf("podFailurePolicy names container %q, the pod has %q", *e.ContainerName, c.Name)
				}
				for _, v := range e.Values {
					if v == 0 {
						t.Error("podFailurePolicy on exit code 0")
					}
				}
			}
		}
	}
}

func TestPublishJob(t *testing.T) {
	var job *batchv1.Job
	for _, o := range loadManifests(t, manifestDir) {
		if j, ok := o.obj.(*batchv1.Job); ok && o.file == "publish-job.yaml" {
			job = j
		}
	}
	if job == nil {
		t.Fatal("no Job in publish-job.yaml")
	}
	checkPod(t, "publish-job.yaml", job.Spec.Template.Spec)
	c := container(t, job.Spec.Template.Spec, "tradeetl")
	if len(c.Args) == 0 || c.Args[0] != "publish" || flagValue(c.Args, "--run") == "" {
		t.Errorf("args %q: want publish --run RUN_ID", c.Args)
	}
}

// checkPod checks a pod template: restart policy, security (the image
// runs as the Dockerfile's user, read-only, with its writable paths on a
// volume), resources within their limits, and every $(VAR) in the
// arguments defined (Kubernetes leaves an undefined reference as it is).
func checkPod(t *testing.T, file string, pod corev1.PodSpec) {
	t.Helper()
	if pod.RestartPolicy != corev1.RestartPolicyNever && pod.RestartPolicy != corev1.RestartPolicyOnFailure {
		t.Errorf("%s: restartPolicy %q is not allowed in a Job", file, pod.RestartPolicy)
	}
	uid := dockerfileUser(t)
	if sc := pod.SecurityContext; sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser != uid {
		t.Errorf("%s: the pod must run as non-root user %d, the Dockerfile's USER", file, uid)
	}
	mounts := map[string]bool{}
	for _, c := range pod.Containers {
		for _, m := range c.VolumeMounts {
			mounts[m.MountPath] = true
		}
	}
	for _, c := range pod.Containers {
		env := map[string]string{"JOB_COMPLETION_INDEX": "0"}
		for _, e := range c.Env {
			env[e.Name] = e.Value
		}
		for _, a := range c.Args {
			for _, m := range regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`).FindAllStringSubmatch(a, -1) {
				if _, ok := env[m[1]]; !ok {
					t.Errorf("%s: container %s: argument %q refers to $(%s), which is not in its env", file, c.Name, a, m[1])
				}
			}
		}
		if sc := c.SecurityContext; sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
			sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
			t.Errorf("%s: container %s: want readOnlyRootFilesystem and no privilege escalation", file, c.Name)
		}
		// A read-only root: every place tradeetl writes (its work and
		// temporary directories, HOME) must be on a mounted volume.
		writable := []string{env["TMPDIR"], env["HOME"], flagValue(c.Args, "--work-dir")}
		for _, w := range writable {
			if w == "" {
				t.Errorf("%s: container %s: TMPDIR, HOME and --work-dir must be set on a read-only root", file, c.Name)
				continue
			}
			if !underMount(w, mounts) {
				t.Errorf("%s: container %s: %s is not on a mounted volume", file, c.Name, w)
			}
		}
		for name, req := range c.Resources.Requests {
			if lim, ok := c.Resources.Limits[name]; ok && req.Cmp(lim) > 0 {
				t.Errorf("%s: container %s: request %s %s above its limit %s", file, c.Name, name, req.String(), lim.String())
			}
		}
		mem := c.Resources.Requests[corev1.ResourceMemory]
		if mem.Cmp(resource.MustParse("256Mi")) < 0 {
			t.Errorf("%s: container %s: memory request %s is below what one run needs", file, c.Name, mem.String())
		}
	}
}

func underMount(p string, mounts map[string]bool) bool {
	for m := range mounts {
		if p == m || strings.HasPrefix(p, strings.TrimSuffix(m, "/")+"/") {
			return true
		}
	}
	return false
}

func only[T any](t *testing.T, objs []object) T {
	t.Helper()
	var found []T
	for _, o := range objs {
		if v, ok := o.obj.(T); ok {
			found = append(found, v)
		}
	}
	if len(found) != 1 {
		var zero T
		t.Fatalf("want exactly one %T, found %d", zero, len(found))
	}
	return found[0]
}

func container(t *testing.T, pod corev1.PodSpec, name string) corev1.Container {
	t.Helper()
	for _, c := range pod.Containers {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no container %q", name)
	return corev1.Container{}
}

// flagValue is the value given to flag in args ("--flag V" or
// "--flag=V"), or "".
func flagValue(args []string, flag string) string {
	for i, a := range args {
		if a == flag && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, flag+"="); ok {
			return v
		}
	}
	return ""
}

// TestArgumentsParse gives the container arguments of every manifest to
// the real tradeetl command, with their $(VAR) references filled in and
// --help added: the command parses every flag (an unknown flag or a value
// of the wrong type fails) and prints its help instead of running.
func TestArgumentsParse(t *testing.T) {
	bin := buildTradeetl(t)
	for _, o := range loadManifests(t, manifestDir) {
		var pod corev1.PodSpec
		switch v := o.obj.(type) {
		case *batchv1.CronJob:
			pod = v.Spec.JobTemplate.Spec.Template.Spec
		case *batchv1.Job:
			pod = v.Spec.Template.Spec
		default:
			continue
		}
		for _, c := range pod.Containers {
			var args []string
			for _, a := range c.Args {
				args = append(args, regexp.MustCompile(`\$\([A-Za-z_][A-Za-z0-9_]*\)`).ReplaceAllStringFunc(a, func(ref string) string {
					switch ref {
					case "$(JOB_COMPLETION_INDEX)":
						return "0"
					case "$(IN)", "$(OUT)":
						return "s3://bucket/prefix"
					}
					return "value"
				}))
			}
			cmd := exec.Command(bin, append(args, "--help")...)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("%s: tradeetl %s: %v\n%s", o.file, strings.Join(args, " "), err, out)
			}
		}
	}
}

// buildTradeetl builds the command of the parent module the way the
// Dockerfile does, and checks that the result is static: no program
// interpreter and no dynamic section, so it runs on a distroless base.
func buildTradeetl(t *testing.T) string {
	t.Helper()
	build := dockerfileBuild(t)
	bin := filepath.Join(t.TempDir(), "tradeetl")
	// The Dockerfile's command, with its output path and build argument
	// replaced: CGO_ENABLED=0 go build ... -o /out/tradeetl ./cmd/tradeetl
	fields := strings.Fields(build)
	var env []string
	for len(fields) > 0 && strings.Contains(fields[0], "=") {
		env = append(env, fields[0])
		fields = fields[1:]
	}
	if len(fields) < 2 || fields[0] != "go" || fields[1] != "build" {
		t.Fatalf("Dockerfile build command %q: want [VAR=...] go build ...", build)
	}
	if !slices.Contains(env, "CGO_ENABLED=0") {
		t.Fatalf("Dockerfile build %q does not set CGO_ENABLED=0: the binary would not be static", build)
	}
	args := []string{"build", "-trimpath", "-o", bin, "./cmd/tradeetl"}
	cmd := exec.Command("go", args...)
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Fatalf("%s is not static: it has a %v program header", bin, p.Type)
		}
	}
	return bin
}

// dockerfileBuild is the command of the Dockerfile's RUN line that builds
// the binary.
func dockerfileBuild(t *testing.T) string {
	t.Helper()
	for _, line := range dockerfileLines(t) {
		if rest, ok := strings.CutPrefix(line, "RUN "); ok && strings.Contains(rest, "go build") {
			return rest
		}
	}
	t.Fatal("the Dockerfile has no RUN ... go build line")
	return ""
}

// dockerfileUser is the numeric user the image's last stage runs as.
func dockerfileUser(t *testing.T) int64 {
	t.Helper()
	user := ""
	for _, line := range dockerfileLines(t) {
		if rest, ok := strings.CutPrefix(line, "USER "); ok {
			user = strings.TrimSpace(rest)
		}
	}
	uid, _, _ := strings.Cut(user, ":")
	n, err := strconv.ParseInt(uid, 10, 64)
	if err != nil || n == 0 {
		t.Fatalf("the Dockerfile's USER %q is not a numeric non-root user", user)
	}
	return n
}

func dockerfileLines(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			lines = append(lines, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(errors.Join(errors.New("reading the Dockerfile"), err))
	}
	return lines
}

// The base image must be static-only (no libc): the binary is built
// without cgo for it.
func TestDockerfileBase(t *testing.T) {
	var from []string
	for _, line := range dockerfileLines(t) {
		if rest, ok := strings.CutPrefix(line, "FROM "); ok {
			from = append(from, strings.Fields(rest)[0])
		}
	}
	if len(from) < 2 {
		t.Fatalf("want a build stage and a runtime stage, got FROM %q", from)
	}
	last := from[len(from)-1]
	if !strings.Contains(last, "distroless/static") && last != "scratch" {
		t.Errorf("runtime base %q: want distroless/static or scratch", last)
	}
	goMod, err := os.ReadFile(filepath.Join("..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(goMod)
	if m == nil || !strings.HasPrefix(from[0], "golang:"+string(m[1])) {
		t.Errorf("build stage %q does not match go.mod's go %s", from[0], m[1])
	}
}
