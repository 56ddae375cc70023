package registry

import (
	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry/zindex"
)

// SetInMemory sets how much of a file is kept in memory, for a test; it
// returns the value to put back.
func SetInMemory(n int) int {
	old := inMemory
	inMemory = n
	return old
}

// SetIndexSpacing sets how far apart the checkpoints of a layer's index
// are; it returns the value to put back.
func SetIndexSpacing(s zindex.Spacing) zindex.Spacing {
	old := indexSpacing
	indexSpacing = s
	return old
}

// CorruptIndex changes the file index c keeps for a layer so that it
// leads to other bytes than the listing says, and keeps it (on disk too,
// with its sum made right, when c has a disk cache): files of the same
// size swap places, and each checkpoint's window is changed. It tells
// whether there was an index.
func CorruptIndex(c *Client, d model.Descriptor) bool {
	c.mu.Lock()
	call, ok := c.layers[d.Digest]
	c.mu.Unlock()
	if !ok || call.index == nil {
		return false
	}
	ix := call.index
	l := call.layer
	bySize := map[int64]int{}
	for i := range l.Len() {
		r := l.Record(i)
		if r.Type != fstree.File || i >= len(ix.blocks) {
			continue
		}
		if j, ok := bySize[r.Size]; ok && l.Record(j).Digest != r.Digest {
			ix.blocks[i], ix.blocks[j] = ix.blocks[j], ix.blocks[i]
			delete(bySize, r.Size)
			continue
		}
		bySize[r.Size] = i
	}
	for k, s := range ix.toc {
		s.inner += 512
		ix.toc[k] = s
	}
	if ix.points != nil {
		for i := range ix.points.Points {
			for j := range ix.points.Points[i].Window {
				ix.points.Points[i].Window[j] ^= 0x55
			}
		}
	}
	c.keepListing(d, l, ix)
	return true
}

// SetDeleteCheck sets how many tags are looked at before deleting by
// digest; it returns the value to put back.
func SetDeleteCheck(n int) int {
	old := maxDeleteCheck
	maxDeleteCheck = n
	return old
}
