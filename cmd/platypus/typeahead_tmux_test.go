package main

import (
	"testing"
)

// TestTmuxTypeAhead types j j enter the moment `platypus --demo` starts,
// as a person who knows the list would: the keys wait for the demo
// registry and its repositories, and open the third one (they were lost:
// typed while the demo started, before the explorer had the terminal).
func TestTmuxTypeAhead(t *testing.T) {
	p := startTmux(t, "80", "24", "mono", "--demo; sleep 30")
	p.run("send-keys", "j", "j", "Enter") // at once, before anything is drawn
	p.waitFor("› library/hello-world", "nanoserver")
	p.run("send-keys", "q")
}
