package samplegentest_test

import (
	"testing"

	"go.uber.org/goleak"
)

// No test here may leave a goroutine behind: Serve's sessions end with
// their test.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
