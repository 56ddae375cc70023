package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry"
)

type diffOptions struct {
	out       outputFlag
	platform  string
	platformB string
	files     bool
	file      []string
	referrers bool
	verify    bool
}

func newDiffCmd(o *rootOptions) *cobra.Command {
	var do diffOptions
	cmd := &cobra.Command{
		Use:   "diff A B",
		Short: "Compare two tags, images or indexes: platforms, config, layers and files",
		Long: `Compare A and B: two tags, the same tag in two registries (a mirror), two digests,
two platforms of one index.

For two indexes, each platform is same, changed, added (only in B) or removed
(only in A). With --platform (and --platform-b for another platform of B, such
as amd64 against arm64 of one index), or for two single images, the images are
compared: config (env, entrypoint, cmd, working dir, user, labels, ports,
volumes, platform), layers shared and only in one; with --files, the files,
read from the registry, as added, removed and modified (type, size, mode, link
target or content); with --file PATH, that file of each image line by line, as
diff -u shows it (each read from its layer, through its own links, and checked
before it is compared). --referrers also lists the signatures, SBOMs and
attestations one side has and the other does not (mirror drift).

Layers with a table of contents (eStargz, zstd:chunked) are listed from it,
with range requests: what the image's writer claims, marked as such; --verify
streams them and fails if a table disagrees with its layer's bytes.`,
		Example: `  platypus diff docker.io/library/alpine:3.19 docker.io/library/alpine:3.20
  platypus diff registry.example.com/app:1.2 mirror.example.com/app:1.2 --referrers
  platypus --demo diff platypus/webapp:1.0 platypus/webapp:1.0 --platform linux/amd64 --platform-b linux/arm64 --files
  platypus --demo diff library/mysql:5.7 library/mysql:8 --platform linux/amd64 --file /etc/passwd`,
		Args: exactArgs(2, "two references, A and B"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.runDiff(cmd.Context(), args[0], args[1], &do)
		},
	}
	do.out.register(cmd)
	f := cmd.Flags()
	f.StringVar(&do.platform, "platform", "", "compare the images `PLATFORM` pulls from A and B (Docker's syntax)")
	f.StringVar(&do.platformB, "platform-b", "", "the platform of B's image, when it differs from A's")
	f.BoolVar(&do.files, "files", false, "also compare the files (reads the layers)")
	f.StringArrayVar(&do.file, "file", nil, "also compare the file at `PATH` line by line, as diff -u does (repeatable; reads the layers)")
	f.BoolVar(&do.referrers, "referrers", false, "also compare signatures, SBOMs and attestations")
	f.BoolVar(&do.verify, "verify", false, "with --files or --file, check the layers' tables of contents against their bytes")
	return cmd
}

func (o *rootOptions) runDiff(ctx context.Context, argA, argB string, do *diffOptions) error {
	if err := do.out.validate(); err != nil {
		return err
	}
	ra, err := o.resolve(argA)
	if err != nil {
		return err
	}
	rb, err := o.resolve(argB)
	if err != nil {
		return err
	}
	c, err := o.registry(ra.Registry, rb.Registry)
	if err != nil {
		return err
	}
	ta, err := c.Expand(ctx, ra.Pullable(), registry.ExpandOptions{Children: true})
	if err != nil {
		return err
	}
	tb, err := c.Expand(ctx, rb.Pullable(), registry.ExpandOptions{Children: true})
	if err != nil {
		return err
	}
	rep := output.Diff{A: output.DiffSide{Reference: ra.Pullable().String(), Digest: ta.Root.Digest}, B: output.DiffSide{Reference: rb.Pullable().String(), Digest: tb.Root.Digest}, Platforms: []output.PlatformDiff{}}
	if ta.Root.IsIndex() && tb.Root.IsIndex() {
		rep.Platforms = output.PlatformDiffs(model.ComparePlatforms(ta.Root, tb.Root))
	}
	images := do.platform != "" || do.platformB != "" || (!ta.Root.IsIndex() && !tb.Root.IsIndex()) || do.files || len(do.file) > 0
	var files *fstree.Delta
	if images {
		if files, err = o.diffImages(ctx, c, ra, rb, do, &rep); err != nil {
			return err
		}
	}
	if do.referrers {
		drift, err := referrerDrift(ctx, c, ra, rb, ta, tb)
		if err != nil {
			return err
		}
		rep.Referrers = drift
	}
	if do.out.json() {
		if files != nil {
			rep.Files = output.DeltaOf(*files)
		}
		return output.Write(o.stdout, rep)
	}
	return printDiff(o.stdout, rep, files)
}

// diffImages compares the images A and B hold for their platforms; with
// --files it returns how their files differ.
func (o *rootOptions) diffImages(ctx context.Context, c imageReader, ra, rb model.Reference, do *diffOptions, rep *output.Diff) (*fstree.Delta, error) {
	targetA, err := o.diffTarget(do.platform)
	if err != nil {
		return nil, err
	}
	targetB := targetA
	if do.platformB != "" {
		if targetB, err = o.diffTarget(do.platformB); err != nil {
			return nil, err
		}
	}
	ia, err := c.ResolveImage(ctx, ra, targetA)
	if err != nil {
		return nil, err
	}
	ib, err := c.ResolveImage(ctx, rb, targetB)
	if err != nil {
		return nil, err
	}
	img := output.BuildImageDiff(ia.Manifest.Digest, ib.Manifest.Digest, model.CompareConfigs(ia.Manifest, ia.Config, ib.Manifest, ib.Config), model.CompareLayers(ia.Manifest, ib.Manifest))
	rep.Image = img
	if !do.files && len(do.file) == 0 {
		return nil, nil
	}
	progress := o.progress(do.out.json(), "reading layers")
	imgs := [2]*registry.Image{ia, ib}
	var files *fstree.Delta
	var sides fileSides
	if do.files {
		la, err := c.ImageLayers(ctx, ia, registry.LayerOptions{Progress: progress, Verify: do.verify})
		if err != nil {
			return nil, err
		}
		lb, err := c.ImageLayers(ctx, ib, registry.LayerOptions{Progress: progress, Verify: do.verify})
		if err != nil {
			return nil, err
		}
		vs := newViewSides(la, lb)
		d := fstree.DiffViews(vs.views[0], vs.views[1])
		files, sides = &d, vs
	} else {
		// --file alone: each path is asked of the layers, and of a
		// listing kept by directory only what the path needs.
		sides = &resolvedSides{c: c, imgs: imgs, o: registry.LayerOptions{Progress: progress, Verify: do.verify}}
	}
	if len(do.file) > 0 {
		rep.FileDiffs, err = diffFiles(ctx, c, imgs, sides, do.file, o.progress(do.out.json(), "reading files"))
		if err != nil {
			return nil, err
		}
	}
	la, lb := sides.layers(0), sides.layers(1)
	o.warnRejectedTOCs(la)
	o.warnRejectedTOCs(lb)
	img.Sizes = &output.Sizes{A: uncompressed(la), B: uncompressed(lb), AEstimated: fstree.UncompressedEstimated(la), BEstimated: fstree.UncompressedEstimated(lb),
		Sources: &output.LayerSources{A: sources(la), B: sources(lb)}}
	return files, nil
}

func sources(ls []fstree.Layer) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Source.String()
	}
	return out
}

func uncompressed(ls []fstree.Layer) int64 {
	var n int64
	for _, l := range ls {
		n += l.Uncompressed
	}
	return n
}

// diffTarget is --platform's target, or the command's own.
func (o *rootOptions) diffTarget(p string) (model.Target, error) {
	if p == "" {
		return o.target()
	}
	pl, err := model.ParsePlatformLine(p)
	if err != nil {
		return model.Target{}, usageError{err}
	}
	return model.FlagTarget(pl, model.SourceFlag), nil
}

// referrerDrift lists the referrers of the root and of every child one
// side has and the other does not.
func referrerDrift(ctx context.Context, c referrerLister, ra, rb model.Reference, ta, tb *model.Tree) (*output.ReferrersDrift, error) {
	subjects := func(t *model.Tree) []string {
		out := []string{t.Root.Digest}
		for _, e := range t.Root.Entries {
			out = append(out, e.Digest)
		}
		return out
	}
	list := func(r model.Reference, digests []string) (map[string]output.Referrer, error) {
		m := map[string]output.Referrer{}
		for _, d := range digests {
			refs, err := c.Referrers(ctx, r.RepoOnly().WithDigest(d))
			if err != nil {
				return nil, err
			}
			for _, x := range refs {
				m[d+" "+x.Digest] = output.Referrer{Subject: d, Digest: x.Digest, ArtifactType: x.ArtifactType}
			}
		}
		return m, nil
	}
	ma, err := list(ra, subjects(ta))
	if err != nil {
		return nil, err
	}
	mb, err := list(rb, subjects(tb))
	if err != nil {
		return nil, err
	}
	out := &output.ReferrersDrift{OnlyA: []output.Referrer{}, OnlyB: []output.Referrer{}}
	for _, k := range sortedKeys(ma) {
		if _, ok := mb[k]; !ok {
			out.OnlyA = append(out.OnlyA, ma[k])
		}
	}
	for _, k := range sortedKeys(mb) {
		if _, ok := ma[k]; !ok {
			out.OnlyB = append(out.OnlyB, mb[k])
		}
	}
	return out, nil
}

func printDiff(w io.Writer, rep output.Diff, files *fstree.Delta) error {
	fmt.Fprintf(w, "A %s  %s\nB %s  %s\n", model.Clean(rep.A.Reference), rep.A.Digest, model.Clean(rep.B.Reference), rep.B.Digest)
	if rep.A.Digest == rep.B.Digest {
		fmt.Fprintln(w, "identical: the same digest")
	}
	if len(rep.Platforms) > 0 {
		fmt.Fprintln(w)
		t := newTable(w, "PLATFORM", "A", "B", "STATUS")
		for _, p := range rep.Platforms {
			t.row(p.Platform, shortPtr(p.A), shortPtr(p.B), p.Status)
		}
		if err := t.flush(); err != nil {
			return err
		}
	}
	if img := rep.Image; img != nil {
		fmt.Fprintf(w, "\nimages %s and %s\n", model.ShortDigest(img.A), model.ShortDigest(img.B))
		if len(img.Config) == 0 {
			fmt.Fprintln(w, "config: the same")
		} else {
			t := newTable(w, "CONFIG", "A", "B")
			for _, c := range img.Config {
				t.row(c.Field, c.A, c.B)
			}
			if err := t.flush(); err != nil {
				return err
			}
		}
		fmt.Fprintf(w, "layers: %d shared, %d only in A, %d only in B\n", len(img.Layers.Shared), len(img.Layers.OnlyA), len(img.Layers.OnlyB))
		if s := img.Sizes; s != nil {
			fmt.Fprintf(w, "uncompressed: A %s, B %s\n", model.ApproxSize(s.A, s.AEstimated), model.ApproxSize(s.B, s.BEstimated))
			if line := sourcesLine(s.Sources); line != "" {
				fmt.Fprintln(w, line)
			}
		}
	}
	if f := files; f != nil {
		fmt.Fprintf(w, "\nfiles: %d added, %d removed, %d modified\n", len(f.Added), len(f.Removed), len(f.Modified))
		fstree.DeltaTree(*f).Walk(func(row fstree.Row) { fmt.Fprintln(w, treeLine(row)) })
	}
	for _, fd := range rep.FileDiffs {
		printFileDiff(w, fd)
	}
	if r := rep.Referrers; r != nil {
		fmt.Fprintf(w, "\nreferrers: %d only in A, %d only in B\n", len(r.OnlyA), len(r.OnlyB))
		for _, x := range r.OnlyA {
			fmt.Fprintf(w, "  A only: %s of %s (%s)\n", model.ShortDigest(x.Digest), model.ShortDigest(x.Subject), model.Clean(x.ArtifactType))
		}
		for _, x := range r.OnlyB {
			fmt.Fprintf(w, "  B only: %s of %s (%s)\n", model.ShortDigest(x.Digest), model.ShortDigest(x.Subject), model.Clean(x.ArtifactType))
		}
	}
	return nil
}

func shortPtr(d *string) string {
	if d == nil {
		return "-"
	}
	return model.ShortDigest(*d)
}
