// Package demo is platypus's built-in demo registry: small but real images
// (real configs with history, real gzip layers) modelled on the seed
// stories, written as OCI layouts and served by an in-process registry
// (handler.go).
package demo

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/platypus-tui/platypus/model"
)

// descriptor is the JSON form of an OCI descriptor, fields in spec order.
type descriptor struct {
	MediaType    string            `json:"mediaType"`
	ArtifactType string            `json:"artifactType,omitempty"`
	Digest       string            `json:"digest"`
	Size         int64             `json:"size"`
	URLs         []string          `json:"urls,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	Platform     *model.Platform   `json:"platform,omitempty"`
}

type manifestJSON struct {
	SchemaVersion int               `json:"schemaVersion"`
	MediaType     string            `json:"mediaType,omitempty"`
	ArtifactType  string            `json:"artifactType,omitempty"`
	Config        *descriptor       `json:"config,omitempty"`
	Layers        []descriptor      `json:"layers,omitempty"`
	Manifests     []descriptor      `json:"manifests,omitempty"`
	Subject       *descriptor       `json:"subject,omitempty"`
	Annotations   map[string]string `json:"annotations,omitempty"`
}

// layout is one repository being written as an OCI layout directory, or
// as the files of one in memory.
type layout struct {
	dir string
	// mem, when not nil, takes the layout's files instead of dir, by
	// their path in it (index.json, blobs/sha256/HEX).
	mem map[string][]byte
	top []descriptor
	err error
}

func newLayout(root, repo string) *layout {
	return &layout{dir: filepath.Join(root, filepath.FromSlash(repo))}
}

// newMemLayout is a layout written to memory (newLayout's files, unwritten
// to disk): the demo's own repositories are built so when first asked for.
func newMemLayout(repo string) *layout {
	return &layout{dir: repo, mem: map[string][]byte{}}
}

// blobFile is where a blob is in a layout, a slash-separated path.
func blobFile(digest string) string {
	return "blobs/sha256/" + digest[len("sha256:"):]
}

// blob stores b and returns its descriptor; errors stick to the layout.
func (l *layout) blob(mediaType string, b []byte) descriptor {
	d := descriptor{MediaType: mediaType, Digest: model.DigestOf(b), Size: int64(len(b))}
	if l.err != nil {
		return d
	}
	if l.mem != nil {
		l.mem[blobFile(d.Digest)] = b
		return d
	}
	p := filepath.Join(l.dir, "blobs", "sha256", d.Digest[len("sha256:"):])
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		l.err = err
		return d
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		l.err = err
	}
	return d
}

func (l *layout) json(mediaType string, v any) descriptor {
	b, err := json.MarshalIndent(v, "", "   ")
	if err != nil {
		l.err = err
	}
	return l.blob(mediaType, b)
}

// tag points name at d in the layout's index.json.
func (l *layout) tag(name string, d descriptor) {
	d.Platform, d.URLs = nil, nil
	d.Annotations = map[string]string{model.AnnotationRefName: name}
	l.top = append(l.top, d)
}

// keep lists an untagged manifest in index.json so it is part of the repo.
func (l *layout) keep(d descriptor) {
	d.Platform, d.Annotations = nil, nil
	l.top = append(l.top, d)
}

const ociLayout = `{"imageLayoutVersion":"1.0.0"}`

func (l *layout) write() error {
	if l.err != nil {
		return fmt.Errorf("demo layout %s: %w", l.dir, l.err)
	}
	idx := manifestJSON{SchemaVersion: 2, MediaType: model.MediaOCIIndex, Manifests: l.top}
	b, err := json.Marshal(idx)
	if err != nil {
		return fmt.Errorf("demo layout %s: %w", l.dir, err)
	}
	if l.mem != nil {
		l.mem["index.json"], l.mem["oci-layout"] = b, []byte(ociLayout)
		return nil
	}
	if err := os.WriteFile(filepath.Join(l.dir, "index.json"), b, 0o644); err != nil {
		return fmt.Errorf("demo layout %s: %w", l.dir, err)
	}
	err = os.WriteFile(filepath.Join(l.dir, "oci-layout"), []byte(ociLayout), 0o644)
	if err != nil {
		return fmt.Errorf("demo layout %s: %w", l.dir, err)
	}
	return nil
}

// streamBlob stores what write writes, gzip-compressed, without holding it:
// for layers too big to build in memory. It returns the blob's descriptor
// and the digest of the uncompressed bytes (the layer's diff ID).
func (l *layout) streamBlob(mediaType string, write func(io.Writer) error) (descriptor, string, error) {
	d, diffID, err := l.writeStream(mediaType, write)
	if err != nil {
		return d, "", fmt.Errorf("demo layout %s: %w", l.dir, err)
	}
	return d, diffID, nil
}

func (l *layout) writeStream(mediaType string, write func(io.Writer) error) (descriptor, string, error) {
	if l.mem != nil {
		return descriptor{}, "", errors.New("streamed blobs are written to disk only")
	}
	dir := filepath.Join(l.dir, "blobs", "sha256")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return descriptor{}, "", err //nolint:wrapcheck // wrapped by streamBlob
	}
	f, err := os.CreateTemp(dir, "upload-")
	if err != nil {
		return descriptor{}, "", err //nolint:wrapcheck // wrapped by streamBlob
	}
	defer func() { _ = os.Remove(f.Name()) }()
	defer func() { _ = f.Close() }()
	blobSum, tarSum := sha256.New(), sha256.New()
	counted := &countWriter{w: io.MultiWriter(f, blobSum)}
	zw, _ := gzip.NewWriterLevel(counted, gzip.BestSpeed)
	if err := write(io.MultiWriter(zw, tarSum)); err != nil {
		return descriptor{}, "", err
	}
	if err := zw.Close(); err != nil {
		return descriptor{}, "", err //nolint:wrapcheck // wrapped by streamBlob
	}
	if err := f.Close(); err != nil {
		return descriptor{}, "", err //nolint:wrapcheck // wrapped by streamBlob
	}
	d := descriptor{MediaType: mediaType, Digest: "sha256:" + hex.EncodeToString(blobSum.Sum(nil)), Size: counted.n}
	if err := os.Rename(f.Name(), filepath.Join(dir, d.Digest[len("sha256:"):])); err != nil {
		return descriptor{}, "", err //nolint:wrapcheck // wrapped by streamBlob
	}
	return d, "sha256:" + hex.EncodeToString(tarSum.Sum(nil)), nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err //nolint:wrapcheck // a writer passes its writer's errors
}
