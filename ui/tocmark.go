package ui

import (
	"github.com/platypus-tui/platypus/model/fstree"
)

// tocMark marks a Files header (every layer, or one) for the layers
// listed from their tables of contents: what the image's writer claims,
// not checked against the layers' bytes. A table that was verified, or
// not believed (the layer was streamed), is said too.
func tocMark(st styles, layers []fstree.Layer) string {
	toc, rejected := fstree.FromTOC(layers), 0
	for _, l := range layers {
		if l.TOCRejected != "" {
			rejected++
		}
	}
	switch {
	case toc > 0 && len(layers) == 1:
		return st.Warning.Render(" · from its table of contents, unchecked")
	case toc > 0 && toc == len(layers):
		return st.Warning.Render(" · from tables of contents, unchecked")
	case toc > 0:
		return st.Warning.Render(" · " + itoa(toc) + " of " + itoa(len(layers)) + " layers from tables of contents, unchecked")
	case rejected > 0 && len(layers) == 1:
		return st.Warning.Render(" · its table of contents not believed: streamed")
	case rejected > 0:
		return st.Warning.Render(" · " + plural(rejected, "table") + " of contents not believed: streamed")
	case len(layers) == 1 && layers[0].TOCVerified:
		return st.Faint.Render(" · table of contents verified")
	}
	return ""
}
