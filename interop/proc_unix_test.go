//go:build unix

package interop_test

import (
	"os"
	"os/exec"
	"syscall"
)

// ownProcessGroup puts cmd in a process group of its own and makes context
// cancellation signal the whole group, so that a server a Node client spawned
// over stdio dies with the client instead of outliving the test.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		if cmd.Process == nil {
			return nil
		}
		// SIGTERM to the group first; exec.Cmd.WaitDelay escalates to SIGKILL
		// of the leader if it does not go in time, and killGroup sweeps the rest.
		if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM); err != nil {
			return cmd.Process.Signal(os.Interrupt)
		}
		return nil
	}
}

// killGroup kills whatever is left of cmd's process group.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
