package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// heapFloor is the soft memory limit tuneGC never goes under: jobs whose
// heap stays below it are collected exactly as Go does by default.
const heapFloor = 256 << 20

// tuneGC keeps the heap near what the process holds. Go lets the heap
// grow to twice its live size between collections; for a layer of
// millions of entries that is hundreds of MB of garbage on top of what is
// kept. After each collection the soft memory limit is set a quarter
// above the live heap, never under heapFloor. A GOGC or GOMEMLIMIT the
// user set is left alone.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(heapFloor)
	armGCTuner()
}

// sentinel is an object whose finalizer runs once per collection; it
// holds a pointer so that it is never batched with other tiny objects.
type sentinel struct{ _ *int }

func armGCTuner() {
	runtime.SetFinalizer(&sentinel{}, func(*sentinel) {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 {
			live := sample[0].Value.Uint64()
			debug.SetMemoryLimit(max(heapFloor, int64(live+live/4))) // a heap is far below 2^63
		}
		armGCTuner()
	})
}
