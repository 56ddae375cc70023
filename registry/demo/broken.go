package demo

import "github.com/platypus-tui/platypus/model"

// BrokenRepository is where SeedBroken puts its malformed indexes.
const BrokenRepository = "broken/shapes"

// SeedBroken writes indexes a careless or hostile registry could serve:
// "bad-size" lists a child with the wrong size, "missing" lists a child
// that is not in the repository next to one that is, and "deep" nests
// indexes deeper than platypus follows.
func SeedBroken(root string) error {
	l := newLayout(root, BrokenRepository)
	amd := l.image(tinyImage(linux("amd64", ""), created2024, "ADD rootfs / # buildkit", "echo ok", false))
	arm := l.image(tinyImage(linux("arm64", ""), created2024, "ADD rootfs-arm / # buildkit", "echo arm", false))
	bad := arm
	bad.Size += 7
	l.tag("bad-size", l.index(false, []descriptor{amd, bad}, nil))
	ghost := descriptor{MediaType: model.MediaOCIManifest, Digest: model.DigestOf([]byte("not here")), Size: 321, Platform: &model.Platform{OS: "linux", Architecture: "s390x"}}
	l.tag("missing", l.index(false, []descriptor{amd, ghost}, nil))
	d := amd
	for range model.MaxDepth + 2 {
		d = l.index(false, []descriptor{d}, nil)
	}
	l.tag("deep", d)
	return l.write()
}
