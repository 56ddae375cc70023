package model

// What an index entry or a manifest is, decided as containerd decides what
// it unpacks. containerd selects from an index by platform alone
// (core/images/handlers.go FilterPlatforms + LimitManifests; artifactType
// plays no part), then unpacks the chosen manifest when its config is an
// image config and its layers are layers (core/unpack/unpacker.go:
// images.IsConfigType, images.IsLayerType). So a manifest is a runnable
// image by its config and layers, whatever artifactType says: `crane index
// append` writes artifactType application/vnd.oci.image.config.v1+json on
// every entry of a plain multi-platform image.

// manifestKind is what a decoded single manifest is.
func manifestKind(m *Manifest) Kind {
	switch {
	case !IsImageMedia(m.MediaType):
		return KindArtifact
	case m.Annotations[AnnotationReferenceType] == AttestationManifest:
		return KindAttestation
	case m.Config == nil || !IsImageConfigMedia(m.Config.MediaType):
		return KindArtifact
	}
	for _, l := range m.Layers {
		if !IsLayerMedia(l.MediaType) {
			// containerd fetches such a manifest but unpacks nothing
			// (buildx's in-toto attestations, cosign signatures); Docker's
			// classic store refuses the media type.
			return KindArtifact
		}
	}
	return KindImage
}

// descriptorKind is what an index entry is before its manifest is loaded.
// artifactType is the only hint: by the image spec it is the manifest's
// artifactType or else its config's media type, so an image config there
// (crane's) still means an image.
func descriptorKind(d Descriptor) Kind {
	switch {
	case d.Annotations[AnnotationReferenceType] == AttestationManifest:
		return KindAttestation
	case IsIndexMedia(d.MediaType):
		return KindIndex
	case IsImageMedia(d.MediaType) && (d.ArtifactType == "" || IsImageConfigMedia(d.ArtifactType)):
		return KindImage
	}
	return KindArtifact
}

// SettleKinds lets every loaded manifest decide the kind of the entries
// that point to it, in the root and in nested indexes: a descriptor's
// artifactType may claim an artifact for an image (or the reverse), the
// manifest's config and layers cannot. buildx's attestation annotation
// keeps its meaning, and a descriptor whose media type disagrees with the
// manifest (one says index, the other not) keeps its own kind: containerd
// refuses such a pair (images.validateMediaType) rather than following it.
func (t *Tree) SettleKinds() {
	if t.Root == nil {
		return
	}
	settle := func(m *Manifest) {
		for i := range m.Entries {
			e := &m.Entries[i]
			child := t.Children[e.Digest]
			if child == nil || e.Kind == KindAttestation || e.Kind == KindIndex || child.IsIndex() {
				continue
			}
			e.Kind = child.Kind
		}
	}
	if t.Root.IsIndex() {
		settle(t.Root)
	}
	for _, m := range t.Children {
		if m.IsIndex() {
			settle(m)
		}
	}
}
