package registry

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/platypus-tui/platypus/model"
)

// diskCache keeps content addressed by digest in files under dir, so a
// second run of platypus does not fetch the same manifests again. Every read
// is verified against its name; the total is capped by removing the least
// recently written files.
type diskCache struct {
	dir string
	cap int64
	mu  sync.Mutex
}

func newDiskCache(dir string, capBytes int64) *diskCache {
	if capBytes <= 0 {
		capBytes = 512 << 20
	}
	return &diskCache{dir: dir, cap: capBytes}
}

func (d *diskCache) path(key string) (string, bool) {
	algo, hex, ok := strings.Cut(key, ":")
	if !ok || !model.ValidDigest(key) || strings.ContainsAny(key, `/\.`) {
		return "", false
	}
	return filepath.Join(d.dir, algo, hex), true
}

func (d *diskCache) get(key string) ([]byte, bool) {
	p, ok := d.path(key)
	if !ok {
		return nil, false
	}
	b, err := os.ReadFile(p)
	if err != nil || len(b) > model.MaxConfigSize || model.DigestOf(b) != key {
		return nil, false
	}
	return b, true
}

func (d *diskCache) put(key string, b []byte) {
	p, ok := d.path(key)
	if !ok || model.DigestOf(b) != key {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return
	}
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return
	}
	if err := os.Rename(tmp, p); err != nil {
		_ = os.Remove(tmp)
		return
	}
	d.trim()
}

// Data derived from a blob (a layer's listing) is kept under its own
// kind, by the blob's digest: it is not named by its own digest, so it
// carries one, and a file that does not match it is not read.

func (d *diskCache) derivedPath(kind, key string) (string, bool) {
	p, ok := d.path(key)
	if !ok {
		return "", false
	}
	rel, err := filepath.Rel(d.dir, p)
	if err != nil {
		return "", false
	}
	return filepath.Join(d.dir, kind, rel), true
}

// getDerived is what putDerived kept for kind and key, if it is whole.
func (d *diskCache) getDerived(kind, key string, most int64) ([]byte, bool) {
	p, ok := d.derivedPath(kind, key)
	if !ok {
		return nil, false
	}
	info, err := os.Stat(p)
	if err != nil || info.Size() > most+sha256.Size {
		return nil, false
	}
	b, err := os.ReadFile(p)
	if err != nil || len(b) < sha256.Size {
		return nil, false
	}
	sum := sha256.Sum256(b[sha256.Size:])
	if !bytes.Equal(sum[:], b[:sha256.Size]) {
		return nil, false
	}
	return b[sha256.Size:], true
}

// hasDerived tells whether something is kept for kind and key.
func (d *diskCache) hasDerived(kind, key string) bool {
	p, ok := d.derivedPath(kind, key)
	if !ok {
		return false
	}
	_, err := os.Stat(p)
	return err == nil
}

// openDerived opens what putDerived kept for kind and key to be read in
// part, past the sum of the whole, which is not checked: what is kept
// so carries a sum for each part.
func (d *diskCache) openDerived(kind, key string, most int64) (f *os.File, size int64, ok bool) {
	p, ok := d.derivedPath(kind, key)
	if !ok {
		return nil, 0, false
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, 0, false
	}
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() || info.Size() < sha256.Size || info.Size() > most+sha256.Size {
		_ = f.Close()
		return nil, 0, false
	}
	return f, info.Size() - sha256.Size, true
}

func (d *diskCache) putDerived(kind, key string, b []byte) {
	p, ok := d.derivedPath(kind, key)
	if !ok || int64(len(b)) > d.cap/4 {
		return
	}
	sum := sha256.Sum256(b)
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return
	}
	tmp := p + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	_, err1 := f.Write(sum[:])
	_, err2 := f.Write(b)
	if err := cmp.Or(err1, err2, f.Close()); err != nil {
		_ = os.Remove(tmp)
		return
	}
	if err := os.Rename(tmp, p); err != nil {
		_ = os.Remove(tmp)
		return
	}
	d.trim()
}

// dropDerived forgets what was kept for kind and key.
func (d *diskCache) dropDerived(kind, key string) {
	if p, ok := d.derivedPath(kind, key); ok {
		_ = os.Remove(p)
	}
}

// trim removes the oldest files until the cache is under its cap.
func (d *diskCache) trim() {
	type file struct {
		path string
		size int64
		mod  int64
	}
	var files []file
	var total int64
	_ = filepath.WalkDir(d.dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return nil //nolint:nilerr // a vanished file is not an error here
		}
		if info, err := e.Info(); err == nil {
			files = append(files, file{p, info.Size(), info.ModTime().UnixNano()})
			total += info.Size()
		}
		return nil
	})
	if total <= d.cap {
		return
	}
	slices.SortFunc(files, func(a, b file) int { return cmp.Compare(a.mod, b.mod) })
	for _, f := range files {
		if total <= d.cap {
			break
		}
		if os.Remove(f.path) == nil {
			total -= f.size
		}
	}
}
