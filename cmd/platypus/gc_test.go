package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// After a collection the soft memory limit is set again from the live
// heap (here: back to the floor), and a GOGC of the user's is left alone.
func TestGCTunerFollowsTheLiveHeap(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	t.Setenv("GOGC", "100")
	debug.SetMemoryLimit(1 << 40)
	tuneGC()
	if got := debug.SetMemoryLimit(-1); got != 1<<40 {
		t.Fatalf("GOGC set, yet the limit became %d", got)
	}
	_ = os.Unsetenv("GOGC")
	tuneGC()
	debug.SetMemoryLimit(1 << 40) // what a collection must undo
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		runtime.GC()
		if debug.SetMemoryLimit(-1) == heapFloor {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("the limit stayed at %d after collections", debug.SetMemoryLimit(-1))
}
