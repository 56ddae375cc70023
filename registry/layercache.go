package registry

import (
	"slices"
	"sync"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
)

// layerCache keeps the layers a client read, by digest, with the index of
// their files: a layer is read once whoever asks (the first asker reads,
// the others wait for it), and kept until what is kept passes
// limits.cachedEntries, counted in entries; the oldest go first.
type layerCache struct {
	mu    sync.Mutex
	calls map[string]*layerCall
	// order lists the layers kept, oldest first; entries is what they
	// weigh, up to most.
	order   []string
	entries int
	most    int
}

// layerCall is one read of a layer, shared by everyone who asks for it.
type layerCall struct {
	done  chan struct{}
	layer fstree.Layer
	index *fileIndex // where its files are, when known
	err   error
	// weight is what the layer counts against limits.cachedEntries.
	weight int
}

func newLayerCache(most int) *layerCache {
	return &layerCache{calls: map[string]*layerCall{}, most: most}
}

// claim is the read of layer digest: one under way or done, or (mine) a
// new one that the caller does and then settles. A verified read does
// not take a finished read from a table of contents: that one is
// forgotten, to be read again.
func (lc *layerCache) claim(digest string, verify bool) (call *layerCall, mine bool) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	call, ok := lc.calls[digest]
	if ok && verify && call.fromTOC() {
		lc.forget(digest, call)
		ok = false
	}
	if !ok {
		call = &layerCall{done: make(chan struct{})}
		lc.calls[digest] = call
	}
	return call, !ok
}

// settle ends a read the caller claimed, and lets its waiters go: it is
// kept, or forgotten when it failed (asking again tries again).
func (lc *layerCache) settle(digest string, call *layerCall) {
	lc.mu.Lock()
	switch {
	case call.err == nil:
		lc.keep(digest, call)
	case lc.calls[digest] == call:
		delete(lc.calls, digest)
	}
	lc.mu.Unlock()
	close(call.done)
}

// fromTOC tells a finished read that listed the layer from its table of
// contents; lc.mu is held.
func (call *layerCall) fromTOC() bool {
	select {
	case <-call.done:
		return call.err == nil && call.layer.Source == fstree.SourceTOC
	default:
		return false
	}
}

// finished is the read of digest if it is over, nil if it is not (or
// there is none).
func (lc *layerCache) finished(digest string) *layerCall {
	lc.mu.Lock()
	call, ok := lc.calls[digest]
	lc.mu.Unlock()
	if !ok {
		return nil
	}
	select {
	case <-call.done:
		return call
	default:
		return nil
	}
}

// listing is the layer digest and the index of its files, when it was
// read; read is false when it was not (or not yet, or it failed). An
// index of nil was never made, or was dropped.
func (lc *layerCache) listing(digest string) (l fstree.Layer, ix *fileIndex, read bool) {
	call := lc.finished(digest)
	if call == nil || call.err != nil {
		return fstree.Layer{}, nil, false
	}
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return call.layer, call.index, true
}

// dropIndex forgets the index of layer digest's files (not the layer),
// after a read from it did not give the listed bytes.
func (lc *layerCache) dropIndex(digest string) {
	if call := lc.finished(digest); call != nil {
		lc.mu.Lock()
		call.index = nil
		lc.mu.Unlock()
	}
}

// forget drops a kept layer, to be read again; lc.mu is held.
func (lc *layerCache) forget(digest string, call *layerCall) {
	delete(lc.calls, digest)
	lc.entries -= call.weight
	lc.order = slices.DeleteFunc(lc.order, func(d string) bool { return d == digest })
}

// keep counts a layer just read among those kept, forgetting the oldest
// others past the bound; lc.mu is held.
func (lc *layerCache) keep(digest string, call *layerCall) {
	lc.order = append(lc.order, digest)
	// The index counts too: its checkpoints' windows can outweigh the
	// records of a layer of few, big files.
	call.weight = call.layer.Len() + call.index.windowBytes()/entryBytes
	lc.entries += call.weight
	for lc.entries > lc.most && len(lc.order) > 1 {
		old := lc.order[0]
		lc.order = lc.order[1:]
		if oc, ok := lc.calls[old]; ok && oc != call {
			lc.entries -= oc.weight
			delete(lc.calls, old)
		}
	}
}

// unpacked is the total size of the layers' tars when every one of them
// was read (else ok is false); estimated says a size was worked out from
// a table of contents.
func (lc *layerCache) unpacked(layers []model.Descriptor) (n int64, estimated, ok bool) {
	for _, d := range layers {
		call := lc.finished(d.Digest)
		if call == nil || call.err != nil {
			return 0, false, false
		}
		n += call.layer.Uncompressed
		estimated = estimated || call.layer.UncompressedEstimated
	}
	return n, estimated, true
}
