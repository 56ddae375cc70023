package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
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
	// Other tests of this package may leave a live heap above the floor,
	// so the limit is checked against the live heap, not the floor alone.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		runtime.GC()
		if got := debug.SetMemoryLimit(-1); got >= heapFloor && got <= max(heapFloor, 2*liveHeap()) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("the limit stayed at %d after collections (live heap %d)", debug.SetMemoryLimit(-1), liveHeap())
}

func liveHeap() int64 {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	return int64(sample[0].Value.Uint64()) // a heap is far below 2^63
}
