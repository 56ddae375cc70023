package model

// Image is one platform's manifest with its config, as the image screen and
// `inspect --all` show it.
type Image struct {
	Manifest *Manifest `json:"-"`
	Config   *Config   `json:"-"`
}

// LayerRow is one line of an image's build: a history entry and the layer it
// created, or a history entry that created no layer, or a layer with no
// history left to explain it.
type LayerRow struct {
	Layer   *Descriptor // nil for an empty-layer history line
	DiffID  string      // uncompressed digest, when the config lists it
	History *History    // nil when the history ran out before the layers
	Index   int         // position among the layers, -1 for none
}

// Rows aligns layers with the history lines that created them, the way
// `docker history` does: each history entry without empty_layer consumes the
// next layer.
func (img Image) Rows() []LayerRow {
	if img.Manifest == nil {
		return nil
	}
	var hist []History
	var diffIDs []string
	if img.Config != nil {
		hist, diffIDs = img.Config.History, img.Config.DiffIDs
	}
	return AlignLayers(img.Manifest.Layers, diffIDs, hist)
}

// AlignLayers pairs layers and history lines; see Image.Rows.
func AlignLayers(layers []Descriptor, diffIDs []string, hist []History) []LayerRow {
	rows := make([]LayerRow, 0, max(len(hist), len(layers)))
	li := 0
	for i := range hist {
		h := &hist[i]
		if h.EmptyLayer || li >= len(layers) {
			rows = append(rows, LayerRow{History: h, Index: -1})
			continue
		}
		rows = append(rows, layerRow(layers, diffIDs, li, h))
		li++
	}
	for ; li < len(layers); li++ {
		rows = append(rows, layerRow(layers, diffIDs, li, nil))
	}
	return rows
}

func layerRow(layers []Descriptor, diffIDs []string, i int, h *History) LayerRow {
	r := LayerRow{Layer: &layers[i], History: h, Index: i}
	if i < len(diffIDs) {
		r.DiffID = diffIDs[i]
	}
	return r
}

// CompressedSize is what pulling the image downloads: config plus layers.
func (img Image) CompressedSize() int64 {
	if img.Manifest == nil {
		return 0
	}
	n := img.Manifest.LayersSize()
	if img.Manifest.Config != nil {
		n += img.Manifest.Config.Size
	}
	return n
}
