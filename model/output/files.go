package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
)

// Files is `files -o json`.
type Files struct {
	Reference string       `json:"reference"`
	Digest    string       `json:"digest"`
	Platform  string       `json:"platform"`
	Layers    []FilesLayer `json:"layers"`
	Files     []File       `json:"files"`
	// Layer is the layer --layer shows, when it is given.
	Layer *int `json:"layer,omitempty"`
	// Wasted and Efficiency measure what later layers overwrite (dive's).
	Wasted     int64   `json:"wasted"`
	Efficiency float64 `json:"efficiency"`
}

// FilesLayer is one layer of the image.
type FilesLayer struct {
	Index            int    `json:"index"`
	Digest           string `json:"digest"`
	MediaType        string `json:"mediaType"`
	Size             int64  `json:"size"`
	UncompressedSize int64  `json:"uncompressedSize"`
	Entries          int    `json:"entries"`
	CreatedBy        string `json:"createdBy,omitempty"`
	// Source is where the entries were read from: "stream" (the layer's
	// bytes, digest checked) or "toc" (its table of contents: what its
	// writer claims, unchecked; the uncompressed size is then estimated).
	Source                    string `json:"source"`
	UncompressedSizeEstimated bool   `json:"uncompressedSizeEstimated,omitempty"`
	// TOCVerified says the layer's table of contents was checked against
	// its bytes (--verify) and agreed; TOCRejected, why it was not
	// believed (the layer was streamed instead).
	TOCVerified bool   `json:"tocVerified,omitempty"`
	TOCRejected string `json:"tocRejected,omitempty"`
}

// File is one entry of the merged filesystem, or of one layer's changes.
type File struct {
	Path       string `json:"path"`
	Type       string `json:"type"`
	Size       int64  `json:"size"`
	Mode       int64  `json:"mode"`
	LinkTarget string `json:"linkTarget"`
	// TarPath is the path the layer's tar wrote, when a symbolic link the
	// layer made before put the entry elsewhere (bin/foo under bin ->
	// usr/bin is usr/bin/foo).
	TarPath string `json:"tarPath,omitempty"`
	Layer   int    `json:"layer"`
	// Digest is a file's sha256, or a hard link's target's.
	Digest string `json:"digest,omitempty"`
	// Change is, with --layer, what the entry does to the layers below.
	Change string `json:"change,omitempty"`
	// Implied marks a directory no layer has an entry for, there because
	// paths under it are.
	Implied bool `json:"implied,omitempty"`
}

// FilesLayerOf is layer i of an image: its descriptor d, what reading it
// found, and the history line that made it ("" for none).
func FilesLayerOf(i int, d model.Descriptor, l *fstree.Layer, createdBy string) FilesLayer {
	return FilesLayer{Index: i, Digest: d.Digest, MediaType: d.MediaType, Size: d.Size, UncompressedSize: l.Uncompressed, Entries: l.Len(),
		CreatedBy: createdBy, Source: l.Source.String(), UncompressedSizeEstimated: l.UncompressedEstimated, TOCVerified: l.TOCVerified, TOCRejected: l.TOCRejected}
}

// FileOf is e as the document lists it, with what it changes ("" for the
// merged filesystem).
func FileOf(e fstree.Entry, change string) File {
	return File{Path: e.Path, Type: e.Type.String(), Size: e.Size, Mode: int64(e.Mode), LinkTarget: e.LinkTarget, TarPath: e.TarPath, Layer: int(e.Layer), Digest: e.Digest.String(), Change: change, Implied: e.Implied}
}

// WriteFiles writes rep with files as its "files", byte for byte what
// Write writes, one file at a time: a layer can hold millions, never held
// as entries or JSON.
func WriteFiles(w io.Writer, rep Files, files iter.Seq2[fstree.Entry, string]) error {
	rep.Files = []File{}
	head, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	const slot = "\n  \"files\": []"
	at := bytes.Index(head, []byte(slot))
	if at < 0 {
		return errors.New("writing JSON: no files field")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	_, _ = bw.Write(model.EscapeJSON(head[:at+len(slot)-1]))
	n := 0
	var b []byte
	for e, change := range files {
		if n > 0 {
			_ = bw.WriteByte(',')
		}
		n++
		b = appendFile(append(b[:0], "\n    "...), FileOf(e, change))
		_, _ = bw.Write(b)
	}
	if n > 0 {
		_, _ = bw.WriteString("\n  ")
	}
	_, _ = bw.Write(model.EscapeJSON(head[at+len(slot)-1:]))
	_ = bw.WriteByte('\n')
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}

// appendFile appends f as json.MarshalIndent(f, "    ", "  ") writes it,
// escaped by model.EscapeJSON, byte for byte: by hand, because a layer
// can hold millions and the reflection and indentation were a third of
// listing them.
func appendFile(b []byte, f File) []byte {
	field := func(b []byte, name string) []byte {
		if b[len(b)-1] != '{' {
			b = append(b, ',')
		}
		return append(append(append(b, "\n      \""...), name...), "\": "...)
	}
	b = append(b, '{')
	b = AppendString(field(b, "path"), f.Path)
	b = AppendString(field(b, "type"), f.Type)
	b = strconv.AppendInt(field(b, "size"), f.Size, 10)
	b = strconv.AppendInt(field(b, "mode"), f.Mode, 10)
	b = AppendString(field(b, "linkTarget"), f.LinkTarget)
	if f.TarPath != "" {
		b = AppendString(field(b, "tarPath"), f.TarPath)
	}
	b = strconv.AppendInt(field(b, "layer"), int64(f.Layer), 10)
	if f.Digest != "" {
		b = AppendString(field(b, "digest"), f.Digest)
	}
	if f.Change != "" {
		b = AppendString(field(b, "change"), f.Change)
	}
	if f.Implied {
		b = append(field(b, "implied"), "true"...)
	}
	return append(b, "\n    }"...)
}
