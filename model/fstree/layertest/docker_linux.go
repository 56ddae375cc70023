package layertest

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/moby/go-archive"
	"github.com/moby/go-archive/chrootarchive"
	"golang.org/x/sys/unix"
)

// Docker applies the layers in order to one directory as Docker's layer
// applier does (moby/go-archive's UnpackLayer: docker load, the vfs and
// naive-diff drivers; containerd's native applier, archive.Apply, has the
// same logic), and reads the tree after each layer. A layer it refuses
// (a record under a file, a hard link to nothing) is an error. As root it
// runs chrooted in the directory, as the daemon runs it (chrootarchive):
// a symbolic link that climbs out of the root stops at it; elsewhere
// os.Root refuses such a link instead.
func Docker(dir string, tars [][]byte) ([]Tree, error) {
	defer syscall.Umask(syscall.Umask(0o022))
	apply := archive.UnpackLayer
	if os.Geteuid() == 0 {
		apply = chrootarchive.ApplyUncompressedLayer
	}
	var out []Tree
	for i, b := range tars {
		if _, err := apply(dir, bytes.NewReader(b), &archive.TarOptions{NoLchown: true}); err != nil {
			return out, fmt.Errorf("layer %d: %w", i, err)
		}
		t, err := Snapshot(dir)
		if err != nil {
			return out, err
		}
		out = append(out, t)
	}
	return out, nil
}

// Overlay unpacks each layer alone into a directory of its own as Docker's
// overlay2 driver does (a whiteout becomes a 0/0 character device, an
// opaque marker the trusted.overlay.opaque attribute of its directory),
// mounts them with the kernel's overlayfs and reads the mount: what a
// container sees under Docker or containerd with their default storage.
// It needs root and the right to mount (ErrUnsupported otherwise); a
// layer overlay2 cannot unpack alone (a hard link to a lower layer's
// file) is an error.
func Overlay(dir string, tars [][]byte) (Tree, error) {
	return overlay(dir, tars, func(_ int, b []byte, d string, _ []string) error {
		// What overlay2's ApplyDiff calls: the layer alone, chrooted.
		return chrootarchive.UntarUncompressed(bytes.NewReader(b), d, &archive.TarOptions{NoLchown: true, WhiteoutFormat: archive.OverlayWhiteoutFormat}) // named by overlay
	})
}

// overlay unpacks each layer into a directory of its own with unpack
// (given the directories below, the top first) and reads what the
// kernel's overlayfs shows of them.
func overlay(dir string, tars [][]byte, unpack func(i int, b []byte, d string, lower []string) error) (Tree, error) {
	if os.Geteuid() != 0 {
		return nil, ErrUnsupported
	}
	defer syscall.Umask(syscall.Umask(0o022))
	var lower []string // the top first
	for i, b := range tars {
		d := filepath.Join(dir, fmt.Sprint(i))
		if err := os.Mkdir(d, 0o755); err != nil {
			return nil, fmt.Errorf("overlayfs: %w", err)
		}
		if err := unpack(i, b, d, lower); err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		lower = append([]string{d}, lower...)
	}
	// The empty base: overlayfs wants two lower directories at least.
	base := filepath.Join(dir, "base")
	if err := os.Mkdir(base, 0o755); err != nil {
		return nil, fmt.Errorf("overlayfs: %w", err)
	}
	lower = append(lower, base)
	mnt := filepath.Join(dir, "merged")
	if err := os.Mkdir(mnt, 0o755); err != nil {
		return nil, fmt.Errorf("overlayfs: %w", err)
	}
	if err := unix.Mount("overlay", mnt, "overlay", unix.MS_RDONLY, "lowerdir="+strings.Join(lower, ":")); err != nil {
		if errors.Is(err, unix.EPERM) || errors.Is(err, unix.ENODEV) || errors.Is(err, unix.EACCES) {
			return nil, ErrUnsupported
		}
		return nil, fmt.Errorf("mounting overlayfs: %w", err)
	}
	defer func() { _ = unix.Unmount(mnt, unix.MNT_DETACH) }()
	return Snapshot(mnt)
}

func links(fi fs.FileInfo) int {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && !fi.IsDir() {
		return int(st.Nlink)
	}
	return 1
}
