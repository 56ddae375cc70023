package output

import (
	"testing"

	"github.com/platypus-tui/platypus/internal/testenv"
)

// No test reads or writes the user's home, config, state or cache.
func TestMain(m *testing.M) { testenv.Main(m) }
