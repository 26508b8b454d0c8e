//go:build !unix

package interop_test

import "os/exec"

// ownProcessGroup is a no-op where process groups are not available: context
// cancellation kills the direct child only (exec.CommandContext's default).
func ownProcessGroup(*exec.Cmd) {}

func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}
