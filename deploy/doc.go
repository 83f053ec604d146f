// Package deploy holds the tests of tradeetl's deployment files: the
// Kubernetes manifests in kubernetes/ and the Dockerfile at the root of the
// repository. It is a module of its own so that the Kubernetes API types it
// checks the manifests against are not dependencies of tradeetl.
//
// In: deploy/kubernetes/*.yaml, ../Dockerfile, the tradeetl command built
// from the parent module. Out: test results only.
package deploy
