//go:build unix

package registry

import (
	"os/exec"
	"syscall"
)

// killGroup makes cmd the leader of a process group and, on cancel, kills
// the whole group: a helper's own children go too.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
