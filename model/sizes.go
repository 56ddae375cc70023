package model

// SizeReport totals what the platforms of an index cost and share.
type SizeReport struct {
	// Compressed is each image's config plus layers, by manifest digest.
	Compressed map[string]int64
	// Shared counts, by manifest digest, the layers it shares with another
	// image of the index.
	Shared map[string]int
	// Users counts, by layer digest, how many images use the layer.
	Users map[string]int
	// Total is the sum over the runnable images (KindImage), as every
	// screen's CFG+LAYERS sums an index: an attestation's or artifact's
	// blobs are not part of a pull. Unique counts each of their blobs
	// once, which is what the registry stores for them.
	Total, Unique int64
}

// AnalyzeSizes computes per-platform sizes and shared layers for the images
// of an index. Images are keyed by manifest digest; nil manifests are skipped.
func AnalyzeSizes(images map[string]*Manifest) SizeReport {
	r := SizeReport{Compressed: map[string]int64{}, Shared: map[string]int{}, Users: map[string]int{}}
	seen := map[string]bool{}
	for _, m := range images {
		if m == nil {
			continue
		}
		blobs := m.Layers
		if m.Config != nil {
			blobs = append([]Descriptor{*m.Config}, m.Layers...)
		}
		for i, b := range blobs {
			r.Compressed[m.Digest] += b.Size
			if m.Config == nil || i > 0 {
				r.Users[b.Digest]++
			}
			if !seen[b.Digest] && m.Kind == KindImage {
				seen[b.Digest] = true
				r.Unique += b.Size
			}
		}
		if m.Kind == KindImage {
			r.Total += r.Compressed[m.Digest]
		}
	}
	for d, m := range images {
		if m == nil {
			continue
		}
		for _, l := range m.Layers {
			if r.Users[l.Digest] > 1 {
				r.Shared[d]++
			}
		}
	}
	return r
}
