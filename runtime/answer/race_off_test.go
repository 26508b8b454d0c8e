//go:build !race

package answer

// raceEnabled says the race detector is on: it drops sync.Pool items (in
// encoding/json, among others), so allocation counts rise and are not
// asserted.
const raceEnabled = false
