//go:build !unix

package registry

import "os/exec"

// killGroup: elsewhere, cancelling kills the helper itself.
func killGroup(*exec.Cmd) {}
