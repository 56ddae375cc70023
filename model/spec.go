package model

import (
	"slices"

	specs "github.com/opencontainers/image-spec/specs-go/v1"
)

func toSpec(p Platform) specs.Platform {
	return specs.Platform{OS: p.OS, Architecture: p.Architecture, Variant: p.Variant, OSVersion: p.OSVersion, OSFeatures: slices.Clone(p.OSFeatures)}
}

func fromSpec(s specs.Platform) Platform {
	return Platform{OS: s.OS, Architecture: s.Architecture, Variant: s.Variant, OSVersion: s.OSVersion, OSFeatures: slices.Clone(s.OSFeatures)}
}
