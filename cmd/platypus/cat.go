package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry"
)

func newCatCmd(o *rootOptions) *cobra.Command {
	var layer int
	var verify bool
	cmd := &cobra.Command{
		Use:   "cat REF PATH",
		Short: "Write one file of an image, straight from the registry",
		Long: `Write the file PATH of REF's image for the target platform to standard
output, as a container of it would read it: symbolic links are followed (from
the image's root), hard links read their target. The layers are listed first
(streamed, their digests checked; with --disk-cache a listing is kept for the
next run, whole and by directory: the next cat reads of it only the
directories on PATH's way), and the file is then read with one range request
from the nearest checkpoint the listing noted in its layer; nothing is
written before its bytes have the sum the listing gives. A registry that
ignores range requests sends the layer from its start. Nothing is pulled into
an engine and nothing is written to disk but, for a file over 32 MiB, a
temporary copy until it is written.

With --layer N (0 is the base layer), write PATH as layer N holds it, whatever
the layers above do to it; links are not followed.

Layers with a table of contents (eStargz, zstd:chunked) are listed from it to
find PATH, and the file is read from the chunks it names. --verify streams
those layers and checks their tables first, so that links and whiteouts are
followed as the layers' bytes, not their tables, say.

To a terminal, a text file's control characters are shown escaped and a
binary file is refused: redirect or pipe it to get its bytes.`,
		Example: `  platypus --demo cat platypus/webapp:1.0 /etc/alpine-release --platform linux/arm64
  platypus cat docker.io/library/alpine:3 /etc/os-release
  platypus cat ocidir://./layout:v1 /usr/bin/app > app`,
		Args: exactArgs(2, "a reference and a path, e.g. library/alpine:3 /etc/os-release"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("layer") {
				layer = -1
			} else if layer < 0 {
				return usagef("--layer %d: layers count from 0, the base", layer)
			}
			return o.runCat(cmd.Context(), args[0], args[1], layer, verify)
		},
	}
	cmd.Flags().IntVar(&layer, "layer", 0, "write the file as layer `N` holds it (0 is the base)")
	cmd.Flags().BoolVar(&verify, "verify", false, "check the layers' tables of contents against their bytes before finding the file")
	return cmd
}

func (o *rootOptions) runCat(ctx context.Context, arg, path string, layer int, verify bool) error {
	r, c, img, e, err := o.findFile(ctx, arg, path, layer, verify)
	if err != nil && img == nil {
		return err
	}
	where := "image of " + r.Pullable().String()
	if p := img.Platform().Display(); p != "" { // a config may name none
		where = p + " " + where
	}
	if err != nil {
		return fmt.Errorf("%s in the %s: %w", model.Clean(path), model.Clean(where), explainMissing(err, arg))
	}
	content, err := c.FileContent(ctx, img, e, registry.FileOptions{LayerOptions: registry.LayerOptions{Progress: o.progress(false, "reading "+model.Clean(e.Path))}})
	if err != nil {
		return err
	}
	defer func() { _ = content.Close() }()
	return writeContent(o.stdout, isTerminal(o.stdout), content)
}

// writeContent writes a file's bytes as they are, or, to a terminal, which
// acts on what a file holds, its text with control characters escaped;
// a binary file is refused there.
func writeContent(w io.Writer, terminal bool, c *registry.Content) error {
	if !terminal {
		_, err := c.WriteTo(w)
		return err // WriteTo names the file
	}
	if model.IsBinary(c.Head) {
		return fmt.Errorf("%s is a binary file of %s: redirect it (> FILE) or pipe it to get its bytes", model.Clean(c.Entry.Path), model.HumanSize(c.Entry.Size))
	}
	r, err := c.Reader()
	if err != nil {
		return err // Reader names the file
	}
	return escapeTo(w, r)
}

// escapeTo copies r to w with model.EscapeControls, a block at a time: a
// file of any size in bounded memory, no character cut between blocks.
func escapeTo(w io.Writer, r io.Reader) error {
	bw := bufio.NewWriter(w)
	buf := make([]byte, 64<<10)
	var pending []byte // read, not written yet
	for {
		n, err := r.Read(buf)
		pending = append(pending, buf[:n]...)
		cut := len(pending)
		if err == nil {
			cut = runeEnd(pending)
		}
		_, _ = bw.WriteString(model.EscapeControls(string(pending[:cut])))
		pending = append(pending[:0], pending[cut:]...)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("reading the file: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing: %w", err)
	}
	return nil
}

// runeEnd is where the last whole character of b ends: a UTF-8 sequence
// cut at the end of a block waits for the next.
func runeEnd(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if utf8.FullRune(b[i:]) {
				return len(b)
			}
			return i
		}
	}
	return len(b)
}

// findFile is the file of arg's image to write: path resolved in the
// merged view (asked of the layers, not merged, and of the listings the
// disk cache keeps, only the directories on its way: a layer may hold
// millions), or as layer n holds it (n ≥ 0). img is nil when the image
// or its layers could not be read.
func (o *rootOptions) findFile(ctx context.Context, arg, path string, n int, verify bool) (model.Reference, *registry.Client, *registry.Image, fstree.Entry, error) {
	if n >= 0 {
		r, c, img, layers, err := o.imageLayers(ctx, arg, n, false, verify)
		if err != nil {
			return r, nil, nil, fstree.Entry{}, err
		}
		e, err := layerFile(layers, path, n)
		return r, c, img, e, err
	}
	r, c, img, err := o.image(ctx, arg, n)
	if err != nil {
		return r, nil, nil, fstree.Entry{}, err
	}
	e, heads, err := c.ResolveFile(ctx, img, path, registry.LayerOptions{Progress: o.progress(false, "reading layers"), Verify: verify})
	o.warnRejectedTOCs(heads)
	if heads == nil {
		return r, nil, nil, fstree.Entry{}, err // the layers were not read
	}
	return r, c, img, e, err
}

// layerFile is path as layer n holds it.
func layerFile(layers []fstree.Layer, path string, n int) (fstree.Entry, error) {
	p, ok := fstree.CleanPath(path)
	rec, found := layers[n].Find(p)
	switch {
	case !ok || !found:
		return fstree.Entry{}, fmt.Errorf("layer %d: %w", n, fstree.ErrNotFound)
	case rec.Type == fstree.Dir:
		return rec.Entry, fmt.Errorf("layer %d: %w", n, fstree.ErrIsDir)
	case rec.Type != fstree.File:
		return rec.Entry, fmt.Errorf("layer %d holds a %s (links are not followed with --layer): %w", n, rec.Type, fstree.ErrNotFile)
	}
	return rec.Entry, nil
}

// explainMissing adds what to do next to a path that is not a file.
func explainMissing(err error, ref string) error {
	if errors.Is(err, fstree.ErrIsDir) {
		return fmt.Errorf("%w: platypus files %s lists what it holds", err, ref)
	}
	return err
}
