package layertest

import (
	"bytes"
	"context"

	"github.com/containerd/containerd/v2/pkg/archive"
)

// Containerd unpacks the layers as containerd's overlayfs snapshotter
// (its default on Linux, and Docker's with the containerd image store)
// does: the base into an empty directory, each layer after it into a
// directory of its own with containerd's archive.Apply (whiteouts as
// 0/0 character devices, the directories below given as parents for the
// attributes of the directories it makes), and reads what the kernel's
// overlayfs shows of them. Unlike moby's unpacker, archive.Apply resolves
// paths with fs.RootPath: a link that climbs out of the root stops at it,
// and the directories a link points to are made if missing. It needs root
// and the right to mount (ErrUnsupported otherwise).
func Containerd(dir string, tars [][]byte) (Tree, error) {
	return overlay(dir, tars, func(i int, b []byte, d string, lower []string) error {
		opts := []archive.ApplyOpt{archive.WithNoSameOwner()}
		if i > 0 {
			opts = append(opts, archive.WithConvertWhiteout(archive.OverlayConvertWhiteout), archive.WithParents(lower))
		}
		_, err := archive.Apply(context.Background(), d, bytes.NewReader(b), opts...)
		return err //nolint:wrapcheck // named by overlay
	})
}
