package layertest

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// Mutate is the filesystem go-containerregistry's mutate.Extract (crane
// export) writes of the layers, as its archive has it: a hard link is a
// hardlink node naming its target.
func Mutate(tars [][]byte) (Tree, error) {
	img := empty.Image
	for _, b := range tars {
		l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil })
		if err != nil {
			return nil, fmt.Errorf("mutate.Extract: %w", err)
		}
		if img, err = mutate.AppendLayers(img, l); err != nil {
			return nil, fmt.Errorf("mutate.Extract: %w", err)
		}
	}
	rc := mutate.Extract(img)
	defer func() { _ = rc.Close() }()
	tr := tar.NewReader(rc)
	t := Tree{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return t, nil
		}
		if err != nil {
			return nil, fmt.Errorf("mutate.Extract: %w", err)
		}
		p := strings.TrimPrefix(Item{Name: h.Name}.Clean(), "/")
		n := Node{Mode: uint32(h.Mode & 0o7777), Links: 1}
		switch h.Typeflag {
		case tar.TypeDir:
			n.Type = "dir"
		case tar.TypeSymlink:
			n.Type, n.Link, n.Mode = "symlink", h.Linkname, 0o777
		case tar.TypeLink:
			n.Type, n.Link = "hardlink", Item{Name: h.Linkname}.Clean()
		case tar.TypeReg:
			b, err := io.ReadAll(tr)
			if err != nil {
				return nil, fmt.Errorf("mutate.Extract: %s: %w", p, err)
			}
			n.Type, n.Sum = "file", Sum(b)
		default:
			n.Type = fmt.Sprintf("other %c", h.Typeflag)
		}
		if _, dup := t[p]; dup {
			return nil, fmt.Errorf("%q twice in the export", p)
		}
		t[p] = n
	}
}
