package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry"
)

// diffHead is how much of each file --file compares.
const diffHead = 8 << 20

// fileSides finds a path in each of the images of A and B: in their
// merged views, or by Client.ResolveFile (see resolvedSides).
type fileSides interface {
	resolve(ctx context.Context, side int, p string) (fstree.Entry, error)
	// layers are side's layers, with their records or their fields alone.
	layers(side int) []fstree.Layer
}

// viewSides are the merged views of layers listed whole.
type viewSides struct {
	all   [2][]fstree.Layer
	views [2]fstree.View
}

func newViewSides(a, b []fstree.Layer) *viewSides {
	return &viewSides{all: [2][]fstree.Layer{a, b}, views: [2]fstree.View{fstree.NewView(a), fstree.NewView(b)}}
}

func (v *viewSides) resolve(_ context.Context, side int, p string) (fstree.Entry, error) {
	return v.views[side].Resolve(p)
}

func (v *viewSides) layers(side int) []fstree.Layer { return v.all[side] }

// resolvedSides asks the client for each path (ResolveFile): a layer's
// listing kept by directory is read only where the path needs.
type resolvedSides struct {
	c     fileReader
	imgs  [2]*registry.Image
	o     registry.LayerOptions
	heads [2][]fstree.Layer
}

func (r *resolvedSides) resolve(ctx context.Context, side int, p string) (fstree.Entry, error) {
	e, heads, err := r.c.ResolveFile(ctx, r.imgs[side], p, r.o)
	if heads == nil {
		return e, &layersError{err} // the layers could not be read
	}
	r.heads[side] = heads
	return e, err
}

func (r *resolvedSides) layers(side int) []fstree.Layer { return r.heads[side] }

// layersError is a failure to read a side's layers, not to find a path.
type layersError struct{ err error }

func (e *layersError) Error() string { return e.err.Error() }
func (e *layersError) Unwrap() error { return e.err }

// diffFiles compares each path of the images of A and B.
func diffFiles(ctx context.Context, c fileReader, imgs [2]*registry.Image, sides fileSides, paths []string, progress func(done, total int64)) ([]output.FileDiff, error) {
	var out []output.FileDiff
	for _, p := range paths {
		clean, _ := fstree.CleanPath(p)
		fd := output.FileDiff{Path: clean, Hunks: []output.Hunk{}, Minimal: true}
		var entries [2]*fstree.Entry
		for i := range imgs {
			e, err := sides.resolve(ctx, i, p)
			var lerr *layersError
			if errors.As(err, &lerr) {
				return nil, lerr.err
			}
			if errors.Is(err, fstree.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("%s in %s: %w", model.Clean(p), [2]string{"A", "B"}[i], err)
			}
			entries[i] = &e
			side := &output.FileSide{Path: e.Path, Layer: int(e.Layer), Size: e.Size, Mode: int64(e.Mode), Digest: e.Digest.String()}
			if i == 0 {
				fd.A = side
			} else {
				fd.B = side
			}
		}
		if fd.A == nil && fd.B == nil {
			return nil, fmt.Errorf("%s: in neither image: %w", model.Clean(p), fstree.ErrNotFound)
		}
		if fd.A != nil && fd.B != nil && fd.A.Digest != "" && fd.A.Digest == fd.B.Digest &&
			sides.layers(0)[entries[0].Layer].Source == fstree.SourceStream && sides.layers(1)[entries[1].Layer].Source == fstree.SourceStream {
			// The sums the listing took from the layers' bytes say the
			// bytes are the same: no layer is read again. A sum a table of
			// contents gives is a claim: the file is read.
			fd.Same = true
			out = append(out, fd)
			continue
		}
		var heads [2][]byte
		for i, e := range entries {
			if e == nil {
				continue
			}
			content, err := c.FileContent(ctx, imgs[i], *e, registry.FileOptions{Head: diffHead, LayerOptions: registry.LayerOptions{Progress: progress}})
			if err != nil {
				return nil, err // FileContent names the layer and the file
			}
			heads[i] = content.Head
			read := output.FileRead{How: content.Read.How, From: content.Read.From, Requests: content.Read.Requests, Bytes: content.Read.Bytes}
			if i == 0 {
				fd.A.Read = &read
			} else {
				fd.B.Read = &read
			}
			fd.Truncated = fd.Truncated || !content.Whole()
			_ = content.Close()
		}
		fd.Same = fd.A != nil && fd.B != nil && !fd.Truncated && bytes.Equal(heads[0], heads[1])
		fd.Binary = model.IsBinary(heads[0]) || model.IsBinary(heads[1])
		if !fd.Binary && !fd.Same {
			a, _ := model.SplitLines(heads[0])
			b, _ := model.SplitLines(heads[1])
			ops, minimal := model.CompareLines(a, b)
			fd.Minimal = minimal
			for _, h := range model.Hunks(ops, 3) {
				hj := output.Hunk{Header: h.Header}
				for _, l := range h.Lines {
					hj.Lines = append(hj.Lines, string(l.Kind)+l.Text)
				}
				fd.Hunks = append(fd.Hunks, hj)
			}
		}
		out = append(out, fd)
	}
	return out, nil
}

// printFileDiff writes one file's comparison as diff -u does, escaped.
func printFileDiff(w io.Writer, fd output.FileDiff) {
	side := func(mark, name string, s *output.FileSide) {
		if s == nil {
			fmt.Fprintf(w, "%s %s /%s (no such file)\n", mark, name, model.Clean(fd.Path))
			return
		}
		fmt.Fprintf(w, "%s %s /%s (layer %d, %s)\n", mark, name, model.Clean(s.Path), s.Layer, model.HumanSize(s.Size))
	}
	fmt.Fprintln(w)
	side("---", "A", fd.A)
	side("+++", "B", fd.B)
	switch {
	case fd.Same && fd.A.Mode != fd.B.Mode:
		fmt.Fprintf(w, "the same bytes; mode %o in A, %o in B\n", fd.A.Mode, fd.B.Mode)
	case fd.Same:
		fmt.Fprintln(w, "the same bytes")
	case fd.Binary:
		fmt.Fprintln(w, "binary files that differ")
	case !fd.Minimal:
		fmt.Fprintln(w, "(too different to find the fewest changes: the part that differs is shown removed, then added)")
	}
	if fd.Truncated {
		fmt.Fprintf(w, "(the first %s of each compared)\n", model.HumanSize(diffHead))
	}
	for _, h := range fd.Hunks {
		fmt.Fprintln(w, h.Header)
		for _, l := range h.Lines {
			fmt.Fprintln(w, model.EscapeControls(l))
		}
	}
}
