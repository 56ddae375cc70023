package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// debianRecordFile is the Debian image as TestDebianImage recorded it
// (PLATYPUS_DEBIAN_RECORD=1): every layer's tar headers in order, and
// what umoci unpacked of each prefix of the layers.
const debianRecordFile = "testdata/debian-bookworm.json.gz"

type debianRecord struct {
	Note string `json:"note"`
	// Sums are the sha256 of the files' bytes, hex; records refer to them
	// by 1 + their index.
	Sums   []string      `json:"sums"`
	Images []imageRecord `json:"images"`
}

type imageRecord struct {
	Arch   string        `json:"arch"`
	Layers []layerRecord `json:"layers"`
	// Truth[k] is how umoci's unpack of layers 0..k differs from that of
	// layers 0..k-1.
	Truth []deltaRecord `json:"truth"`
	Cat   []catRecord   `json:"cat"`
}

type layerRecord struct {
	CreatedBy string `json:"createdBy"`
	// Format is the tar format of most headers (archive/tar's numbering).
	Format  tar.Format  `json:"format"`
	Headers []hdrRecord `json:"headers"`
}

// hdrRecord is a tar header as the layer has it: the name as written
// ("./usr/", "etc/.wh.motd"), typeflag, mode, size, content, link name.
type hdrRecord struct {
	Name     string     `json:"n"`
	Typeflag byte       `json:"t"`
	Mode     int64      `json:"m,omitempty"`
	Size     int64      `json:"s,omitempty"`
	Sum      int        `json:"h,omitempty"`
	Link     string     `json:"l,omitempty"`
	Major    int64      `json:"j,omitempty"`
	Minor    int64      `json:"k,omitempty"`
	Format   tar.Format `json:"f,omitempty"` // when not the layer's
}

type deltaRecord struct {
	Set     []nodeRecord `json:"set"`
	Removed []string     `json:"removed,omitempty"`
}

type nodeRecord struct {
	Path  string `json:"p"`
	Type  string `json:"t"`
	Mode  uint32 `json:"m,omitempty"`
	Size  int64  `json:"s,omitempty"`
	Sum   int    `json:"h,omitempty"`
	Link  string `json:"l,omitempty"`
	Inode string `json:"i,omitempty"`
}

type catRecord struct {
	Path string `json:"p"`
	Size int64  `json:"s,omitempty"`
	Sum  int    `json:"h,omitempty"`
	Err  string `json:"e,omitempty"`
}

func readDebianRecord(t *testing.T) debianRecord {
	t.Helper()
	f, err := os.Open(debianRecordFile)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var rec debianRecord
	if err := json.NewDecoder(zr).Decode(&rec); err != nil {
		t.Fatalf("%s: %v", debianRecordFile, err)
	}
	return rec
}

// TestDebianReplay checks platypus against the recorded Debian image,
// built again from its record: each layer's tar holds the real headers in
// the real order (names as written, types, modes, link names, devices,
// GNU or PAX long names), so what merging, whiteouts, opaque directories,
// type changes, links and diffs meet is the real image. The bytes are not
// in the repository (120 MB): each file holds its real sha256 in hex, so
// files alike stay alike and files that differ differ — all that listing,
// diffing and picking the entry cat reads depend on — and the sizes and
// sums expected are mapped the same way. TestDebianImage checks the real
// bytes, sizes and sums.
func TestDebianReplay(t *testing.T) {
	isolateHome(t)
	rec := readDebianRecord(t)
	s, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Close() }()
	repo := s.Host + "/platypus/debian"
	imgs := replayDebian(t, rec, s.Host, "platypus/debian")
	judge(t, debianCheck(t, repo, imgs, nil, catShared(t)))
}

// replayContent is what a recorded file holds in the replay.
func replayContent(rec debianRecord, sum int, size int64) []byte {
	if sum == 0 || size == 0 {
		return nil
	}
	return []byte(rec.Sums[sum-1] + "\n")
}

// replayDebian pushes the recorded images to host/repo (tags ARCH-K and
// debian) and returns what their containers see, mapped to the replay's
// contents.
func replayDebian(t *testing.T, rec debianRecord, host, repo string) []debianImage {
	t.Helper()
	var imgs []debianImage
	var entries []any
	for _, ir := range rec.Images {
		var layers []regtest.Blob
		var diffIDs []string
		var history []map[string]string
		for _, lr := range ir.Layers {
			raw := replayTar(t, rec, lr)
			sum := sha256.Sum256(raw)
			diffIDs = append(diffIDs, "sha256:"+hex.EncodeToString(sum[:]))
			history = append(history, map[string]string{"created_by": lr.CreatedBy})
			layers = append(layers, regtest.PushBlob(t, host, repo, "application/vnd.oci.image.layer.v1.tar+gzip", regtest.Gzip(t, raw)))
			k := len(layers)
			cfg, _ := json.Marshal(map[string]any{"architecture": ir.Arch, "os": "linux",
				"rootfs": map[string]any{"type": "layers", "diff_ids": diffIDs}, "history": history})
			config := regtest.PushBlob(t, host, repo, "application/vnd.oci.image.config.v1+json", cfg)
			m := regtest.PushImage(t, host, repo, fmt.Sprintf("%s-%d", ir.Arch, k), config, layers...)
			if k == len(ir.Layers) {
				entries = append(entries, map[string]any{"mediaType": m.MediaType, "digest": m.Digest, "size": m.Size,
					"platform": map[string]string{"os": "linux", "architecture": ir.Arch}})
			}
		}
		img := debianImage{Arch: ir.Arch, Truth: []tree{{}}, Cat: map[string]catResult{}}
		for _, d := range ir.Truth {
			next := tree{}
			for p, n := range img.Truth[len(img.Truth)-1] {
				next[p] = n
			}
			for _, p := range d.Removed {
				delete(next, p)
			}
			for _, n := range d.Set {
				next[n.Path] = replayNode(rec, n)
			}
			img.Truth = append(img.Truth, next)
		}
		for _, c := range ir.Cat {
			r := catResult{Err: c.Err}
			if c.Err == "" {
				b := replayContent(rec, c.Sum, c.Size)
				r.Sum, r.Size = sha256Hex(b), int64(len(b))
			}
			img.Cat[c.Path] = r
		}
		imgs = append(imgs, img)
	}
	regtest.PushManifest(t, host, repo, "debian", "application/vnd.oci.image.index.v1+json", map[string]any{
		"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": entries})
	return imgs
}

func replayNode(rec debianRecord, n nodeRecord) node {
	out := node{Type: n.Type, Mode: n.Mode, Link: n.Link, Inode: n.Inode}
	if n.Type == "file" {
		b := replayContent(rec, n.Sum, n.Size)
		out.Sum, out.Size = sha256Hex(b), int64(len(b))
	}
	return out
}

// replayTar writes a layer's recorded headers, each file holding
// replayContent.
func replayTar(t *testing.T, rec debianRecord, lr layerRecord) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, h := range lr.Headers {
		format := lr.Format
		if h.Format != 0 {
			format = h.Format
		}
		hdr := &tar.Header{Name: h.Name, Typeflag: h.Typeflag, Mode: h.Mode, Linkname: h.Link,
			Devmajor: h.Major, Devminor: h.Minor, Format: format}
		var body []byte
		if h.Typeflag == tar.TypeReg {
			body = replayContent(rec, h.Sum, h.Size)
			hdr.Size = int64(len(body))
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatalf("%q: %v", h.Name, err)
		}
		_, _ = tw.Write(body)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// isolateHome points HOME and the XDG directories at the test's own.
func isolateHome(t *testing.T) {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"} {
		t.Setenv(v, filepath.Join(home, v))
	}
}
