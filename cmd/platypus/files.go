package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry"
)

type filesOptions struct {
	out    outputFlag
	layer  int
	verify bool
}

func newFilesCmd(o *rootOptions) *cobra.Command {
	var fo filesOptions
	cmd := &cobra.Command{
		Use:   "files REF",
		Short: "List the files of an image, straight from the registry",
		Long: `List what a container of REF sees: every layer of the image the target platform
pulls, streamed from the registry (or OCI layout) and applied in order, the OCI
way (later layers win, whiteouts remove, opaque directories hide what is below).
Nothing is pulled into an engine and no file is written.

With --layer N (0 is the base layer), list that layer's own entries instead,
each marked added, modified or removed against the layers below it.

The table is an indented tree with sizes; JSON lists every entry with its path
(relative, no leading ./ or /, no trailing /), type (file, dir, symlink,
hardlink, other), size, mode, link target, the layer it comes from and, for a
file or a hard link, the sha256 of the bytes it reads. A layer's record
written through a symbolic link the layer made before (bin/foo after bin ->
usr/bin) is listed where it lands, usr/bin/foo, with the path its tar wrote
as "tarPath". A directory no layer has
an entry for, there because paths under it are, is listed too, "implied", mode
755 as containerd makes it.

A layer with a table of contents (eStargz, zstd:chunked) is listed from the
table alone, with range requests, when the registry honours them: that is
what the layer's writer claims, marked as such (source "toc", sizes with ~),
not what was checked. --verify streams those layers too and fails if a table
disagrees with its layer's bytes.`,
		Example: `  platypus --demo files platypus/webapp:1.0 --platform linux/arm64
  platypus files docker.io/library/alpine:3 --layer 0 -o json
  platypus files ocidir://./layout:v1`,
		Args: exactArgs(1, "one reference, e.g. library/alpine:3"),
		RunE: func(cmd *cobra.Command, args []string) error {
			oneLayer := cmd.Flags().Changed("layer")
			if oneLayer && fo.layer < 0 {
				return usagef("--layer %d: layers count from 0, the base", fo.layer)
			}
			return o.runFiles(cmd.Context(), args[0], &fo, oneLayer)
		},
	}
	fo.out.register(cmd)
	cmd.Flags().IntVar(&fo.layer, "layer", 0, "list layer `N`'s own entries (0 is the base) instead of the whole filesystem")
	cmd.Flags().BoolVar(&fo.verify, "verify", false, "stream the layers listed from their tables of contents and check the tables against them")
	return cmd
}

func (o *rootOptions) runFiles(ctx context.Context, arg string, fo *filesOptions, oneLayer bool) error {
	if err := fo.out.validate(); err != nil {
		return err
	}
	layer := -1
	if oneLayer {
		layer = fo.layer
	}
	r, _, img, layers, err := o.imageLayers(ctx, arg, layer, fo.out.json(), fo.verify)
	if err != nil {
		return err
	}
	view := fstree.NewView(layers)
	waste := view.Waste
	rep := output.Files{Reference: r.Pullable().String(), Digest: img.Manifest.Digest, Platform: img.Platform().Display(),
		Layers: []output.FilesLayer{}, Files: []output.File{}, Wasted: waste.Wasted, Efficiency: waste.Efficiency}
	var history []string
	if img.Config != nil {
		for _, row := range (model.Image{Manifest: img.Manifest, Config: img.Config}).Rows() {
			if row.Layer != nil && row.History != nil {
				history = append(history, row.History.CreatedBy)
			}
		}
	}
	for i := range layers {
		createdBy := ""
		if i < len(history) {
			createdBy = history[i]
		}
		rep.Layers = append(rep.Layers, output.FilesLayerOf(i, img.Manifest.Layers[i], &layers[i], createdBy))
	}
	// The files are written one by one from the view, never held as
	// entries, JSON or rows: a layer can hold millions.
	if oneLayer {
		n := fo.layer
		rep.Layer = &n
	}
	if fo.out.json() {
		return output.WriteFiles(o.stdout, rep, func(yield func(fstree.Entry, string) bool) {
			if oneLayer {
				fstree.EachChange(layers, fo.layer, func(c fstree.Change) bool { return yield(c.Entry, c.Change) })
				return
			}
			view.Listing(func(e fstree.Entry) bool { return yield(e, "") })
		})
	}
	walk := view.Walk
	if oneLayer {
		walk = func(f func(fstree.Row)) { fstree.WalkChanges(layers, fo.layer, f) }
	}
	return printFiles(o.stdout, rep, walk)
}

// imageLayers resolves arg to the image the target platform pulls and
// reads its layers (progress on stderr unless quiet), verifying their
// tables of contents if asked; layer, when not -1, must be one of them.
func (o *rootOptions) imageLayers(ctx context.Context, arg string, layer int, quiet, verify bool) (model.Reference, *registry.Client, *registry.Image, []fstree.Layer, error) {
	r, c, img, err := o.image(ctx, arg, layer)
	if err != nil {
		return r, nil, nil, nil, err
	}
	layers, err := c.ImageLayers(ctx, img, registry.LayerOptions{Progress: o.progress(quiet, "reading layers"), Verify: verify})
	o.warnRejectedTOCs(layers)
	return r, c, img, layers, err
}

// image is arg's image for the target platform; layer, if not -1, must
// be one of its layers.
func (o *rootOptions) image(ctx context.Context, arg string, layer int) (model.Reference, *registry.Client, *registry.Image, error) {
	r, target, c, err := o.setup(arg)
	if err != nil {
		return r, nil, nil, err
	}
	img, err := c.ResolveImage(ctx, r, target)
	if err != nil {
		return r, nil, nil, err
	}
	if layer != -1 && (layer < 0 || layer >= len(img.Manifest.Layers)) {
		return r, nil, nil, usagef("--layer %d: the image has layers 0 to %d", layer, len(img.Manifest.Layers)-1)
	}
	return r, c, img, nil
}

// printFiles writes the header and the tree walk walks.
func printFiles(w io.Writer, rep output.Files, walk func(func(fstree.Row))) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var comp, uncomp int64
	estimated := false
	for _, l := range rep.Layers {
		comp += l.Size
		uncomp += l.UncompressedSize
		estimated = estimated || l.UncompressedSizeEstimated
	}
	fmt.Fprintf(bw, "%s  %s  %s\n", model.Clean(rep.Reference), model.Clean(rep.Platform), rep.Digest)
	fmt.Fprintf(bw, "%s, %s compressed, %s uncompressed; efficiency %.1f%% (%s wasted by files later layers replace or remove)\n",
		model.Count(len(rep.Layers), "layer"), model.HumanSize(comp), model.ApproxSize(uncomp, estimated), rep.Efficiency*100, model.HumanSize(rep.Wasted))
	if rep.Layer != nil {
		l := rep.Layers[*rep.Layer]
		fmt.Fprintf(bw, "layer %d: %s, %s compressed, %s uncompressed", l.Index, model.ShortDigest(l.Digest), model.HumanSize(l.Size), model.ApproxSize(l.UncompressedSize, l.UncompressedSizeEstimated))
		if l.CreatedBy != "" {
			fmt.Fprintf(bw, ", made by %s", model.Clean(truncateText(l.CreatedBy, 100)))
		}
		fmt.Fprintln(bw)
	}
	if line := tocLine(rep.Layers, rep.Layer); line != "" {
		fmt.Fprintln(bw, line)
	}
	fmt.Fprintln(bw)
	walk(func(row fstree.Row) {
		_, _ = bw.WriteString(treeLine(row))
		_ = bw.WriteByte('\n')
	})
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing: %w", err)
	}
	return nil
}

// treeLine is one line of the tree: a change mark, the size, the name
// indented by depth, and where a link points.
func treeLine(row fstree.Row) string {
	n := row.Node
	mark := fstree.Sign(n.Mark)
	if mark == "" {
		mark = " "
	}
	name := model.Clean(n.Name)
	if n.Dir() {
		name += "/"
	}
	if n.Entry != nil && n.Entry.LinkTarget != "" {
		arrow := " -> "
		if n.Entry.Type == fstree.Hardlink {
			arrow = " => "
		}
		name += arrow + model.Clean(n.Entry.LinkTarget)
	}
	if n.Entry != nil && n.Entry.TarPath != "" {
		name += "  (written as " + model.Clean(n.Entry.TarPath) + ")"
	}
	size := model.HumanSize(n.Size)
	var b strings.Builder
	b.Grow(len(mark) + 11 + 2*row.Depth + len(name))
	b.WriteString(mark)
	b.WriteString(" ")
	for range 8 - len(size) {
		b.WriteByte(' ')
	}
	b.WriteString(size)
	b.WriteString("  ")
	for range row.Depth {
		b.WriteString("  ")
	}
	b.WriteString(name)
	return b.String()
}

func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
