package registry

import (
	"cmp"
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
