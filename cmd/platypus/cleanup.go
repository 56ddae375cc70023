package main

import "sync"

// forced holds what must be undone even when a second signal stops
// platypus at once (os.Exit runs no deferred calls): temporary
// directories, say, that a long seed is still writing.
var forced struct {
	sync.Mutex
	next int
	fns  map[int]func()
}

// atForcedExit runs f if platypus is stopped by a second signal; the
// returned func forgets f (the normal path cleans up by itself).
func atForcedExit(f func()) (forget func()) {
	forced.Lock()
	defer forced.Unlock()
	if forced.fns == nil {
		forced.fns = map[int]func(){}
	}
	id := forced.next
	forced.next++
	forced.fns[id] = f
	return func() {
		forced.Lock()
		defer forced.Unlock()
		delete(forced.fns, id)
	}
}

func forcedExitCleanups() {
	forced.Lock()
	defer forced.Unlock()
	for _, f := range forced.fns {
		f()
	}
}
