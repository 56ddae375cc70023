package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/model/output"
)

// tocLine is the files table's mark for layers listed from their tables
// of contents, or whose tables were checked or not believed (all layers,
// or layer *only); "" when there are none.
func tocLine(layers []output.FilesLayer, only *int) string {
	var toc, verified []string
	for _, l := range layers {
		if only != nil && l.Index != *only {
			continue
		}
		switch {
		case l.Source == fstree.SourceTOC.String():
			toc = append(toc, strconv.Itoa(l.Index))
		case l.TOCVerified:
			verified = append(verified, strconv.Itoa(l.Index))
		}
	}
	var parts []string
	switch len(toc) {
	case 0:
	case 1:
		parts = append(parts, "layer "+toc[0]+" listed from its table of contents: what the image's writer claims, not checked against the layer's bytes (--verify checks)")
	default:
		parts = append(parts, "layers "+strings.Join(toc, ", ")+" listed from their tables of contents: what the image's writer claims, not checked against the layers' bytes (--verify checks)")
	}
	switch len(verified) {
	case 0:
	case 1:
		parts = append(parts, "layer "+verified[0]+": its table of contents agrees with the layer's bytes (verified)")
	default:
		parts = append(parts, "layers "+strings.Join(verified, ", ")+": their tables of contents agree with the layers' bytes (verified)")
	}
	return strings.Join(parts, "\n")
}

// warnRejectedTOCs says, on stderr, which layers' tables of contents were
// not believed: those layers were streamed instead.
func (o *rootOptions) warnRejectedTOCs(layers []fstree.Layer) {
	for i, l := range layers {
		if l.TOCRejected != "" {
			fmt.Fprintf(o.stderr, "warning: layer %d (%s): its table of contents is not believed (%s); the layer was streamed\n",
				i, model.ShortDigest(l.Digest), model.Clean(l.TOCRejected))
		}
	}
}

// sourcesLine says, under a diff, which sides' layers were listed from
// their tables of contents; "" when none were.
func sourcesLine(s *output.LayerSources) string {
	if s == nil {
		return ""
	}
	var sides []string
	for _, side := range []struct {
		name string
		src  []string
	}{{"A", s.A}, {"B", s.B}} {
		var toc []string
		for i, src := range side.src {
			if src == fstree.SourceTOC.String() {
				toc = append(toc, strconv.Itoa(i))
			}
		}
		if len(toc) > 0 {
			sides = append(sides, side.name+"'s "+layersNamed(toc))
		}
	}
	if len(sides) == 0 {
		return ""
	}
	return "listed from tables of contents, not checked against the layers' bytes (--verify checks): " + strings.Join(sides, ", ")
}

func layersNamed(ns []string) string {
	if len(ns) == 1 {
		return "layer " + ns[0]
	}
	return "layers " + strings.Join(ns, ", ")
}
