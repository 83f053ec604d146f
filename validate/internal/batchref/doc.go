// Package batchref is the batch consistency-rule engine of package validate
// as it was before the streaming Evaluator replaced it (commit 6f8b4a5),
// kept unchanged (but for an unused helper dropped) as the reference of validate's differential tests
// (validate/stream_test.go): both engines must report the same findings,
// field for field and in the same order. It is not used by the tool.
//
// Do not fix or improve it. When validate's findings change on purpose,
// change this reference the same way in the same commit, or drop the
// comparison the change makes obsolete.
package batchref
