package host_test

import (
	"testing"

	"go.uber.org/goleak"
)

// Every test here must leave no goroutine behind: a request that waits on
// a limit, a hook or a model ends, however it ends, with its goroutines.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
