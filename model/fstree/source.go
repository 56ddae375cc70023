package fstree

// Source is where a layer's records were read from.
type Source uint8

const (
	// SourceStream is the layer's bytes, streamed, its digest checked:
	// what a container's runtime unpacks.
	SourceStream Source = iota
	// SourceTOC is the layer's table of contents (eStargz, zstd:chunked):
	// what the layer's writer claims it holds, not checked against its
	// bytes.
	SourceTOC
)

func (s Source) String() string {
	if s == SourceTOC {
		return "toc"
	}
	return "stream"
}

// FromTOC counts the layers read from their tables of contents.
func FromTOC(layers []Layer) int {
	n := 0
	for _, l := range layers {
		if l.Source == SourceTOC {
			n++
		}
	}
	return n
}

// UncompressedEstimated tells whether any layer's Uncompressed is an
// estimate, so a sum of them is one too.
func UncompressedEstimated(layers []Layer) bool {
	for _, l := range layers {
		if l.UncompressedEstimated {
			return true
		}
	}
	return false
}
