package model

import "strings"

// Media types platypus tells apart.
const (
	MediaOCIIndex        = "application/vnd.oci.image.index.v1+json"
	MediaDockerList      = "application/vnd.docker.distribution.manifest.list.v2+json"
	MediaOCIManifest     = "application/vnd.oci.image.manifest.v1+json"
	MediaDockerManifest  = "application/vnd.docker.distribution.manifest.v2+json"
	MediaDockerV1        = "application/vnd.docker.distribution.manifest.v1+json"
	MediaDockerV1Signed  = "application/vnd.docker.distribution.manifest.v1+prettyjws"
	MediaOCIArtifact     = "application/vnd.oci.artifact.manifest.v1+json"
	MediaOCIConfig       = "application/vnd.oci.image.config.v1+json"
	MediaDockerConfig    = "application/vnd.docker.container.image.v1+json"
	MediaOCIEmpty        = "application/vnd.oci.empty.v1+json"
	MediaOCILayerGzip    = "application/vnd.oci.image.layer.v1.tar+gzip"
	MediaOCILayerZstd    = "application/vnd.oci.image.layer.v1.tar+zstd"
	MediaOCILayer        = "application/vnd.oci.image.layer.v1.tar"
	MediaDockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip"
	MediaDockerForeign   = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
	MediaInToto          = "application/vnd.in-toto+json"
)

// Annotations with a meaning to platypus.
const (
	AnnotationReferenceType   = "vnd.docker.reference.type"
	AnnotationReferenceDigest = "vnd.docker.reference.digest"
	AttestationManifest       = "attestation-manifest"
	AnnotationRefName         = "org.opencontainers.image.ref.name"
	AnnotationCreated         = "org.opencontainers.image.created"
)

// IsIndexMedia tells whether a media type is an OCI index or a Docker list.
func IsIndexMedia(mt string) bool { return mt == MediaOCIIndex || mt == MediaDockerList }

// IsImageMedia tells whether a media type is a single-image manifest.
func IsImageMedia(mt string) bool {
	return mt == MediaOCIManifest || mt == MediaDockerManifest || mt == MediaDockerV1 || mt == MediaDockerV1Signed
}

// IsImageConfigMedia tells whether a config media type is a runnable
// image's: containerd's images.IsConfigType. (Docker's classic store also
// takes application/octet-stream, application/json, text/html and "" from
// registries that mangled the type, moby distribution/config.go
// ImageTypes; containerd, Docker's default store, does not unpack those.)
func IsImageConfigMedia(mt string) bool { return mt == MediaOCIConfig || mt == MediaDockerConfig }

// IsLayerMedia tells whether a layer media type is a filesystem layer:
// containerd's images.IsLayerType (core/images/mediatypes.go, v2.2; later
// versions add EROFS types Docker does not unpack), which the unpacker uses
// to split layers from other blobs. index_oracle_test.go checks it.
func IsLayerMedia(mt string) bool {
	if strings.HasPrefix(mt, "application/vnd.oci.image.layer.") {
		return true
	}
	base, _, _ := strings.Cut(mt, "+")
	switch base {
	case "application/vnd.docker.image.rootfs.diff.tar", MediaDockerLayerGzip,
		"application/vnd.docker.image.rootfs.foreign.diff.tar", MediaDockerForeign,
		"application/vnd.docker.image.rootfs.diff.tar.zstd":
		return true
	}
	return false
}

// MediaTypeName is an index media type as people say it.
func MediaTypeName(mt string) string {
	switch mt {
	case MediaOCIIndex:
		return "OCI image index"
	case MediaDockerList:
		return "Docker manifest list"
	}
	return mt
}

// ShortMediaType returns a compact label for a media type, for tables.
func ShortMediaType(mt string) string {
	switch mt {
	case MediaOCIIndex:
		return "oci index"
	case MediaDockerList:
		return "docker list"
	case MediaOCIManifest:
		return "oci manifest"
	case MediaDockerManifest:
		return "docker v2"
	case MediaDockerV1, MediaDockerV1Signed:
		return "docker v1"
	case MediaOCILayerGzip, MediaDockerLayerGzip:
		return "tar+gzip"
	case MediaOCILayerZstd:
		return "tar+zstd"
	case MediaOCILayer:
		return "tar"
	case MediaDockerForeign:
		return "foreign tar+gzip"
	case MediaOCIConfig, MediaDockerConfig:
		return "image config"
	case MediaOCIEmpty:
		return "empty"
	}
	if i := strings.LastIndexByte(mt, '/'); i >= 0 && len(mt) > i+1 {
		return mt[i+1:]
	}
	return mt
}
