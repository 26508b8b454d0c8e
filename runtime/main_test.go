package runtime_test

import (
	"testing"

	"go.uber.org/goleak"
)

// Every test here must leave no goroutine behind: a sampling call that
// ends, however it ends, takes its goroutines with it.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
