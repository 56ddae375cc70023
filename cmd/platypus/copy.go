package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry"
)

type copyOptions struct {
	out         outputFlag
	platforms   []string
	noReferrers bool
	dryRun, yes bool
}

func newCopyCmd(o *rootOptions) *cobra.Command {
	var co copyOptions
	cmd := &cobra.Command{
		Use:   "copy SRC DST",
		Short: "Copy an image or index to another tag, repository or registry, losing nothing",
		Long: `Copy SRC to DST as it is: DST gets SRC's manifest bytes unchanged (the same
digest), every child (nested indexes too), every blob (mounted within a
registry, streamed across registries) and, unless --no-referrers, the
signatures, SBOMs and attestations of the index and of every child.

With --platform (repeatable, Docker's syntax; an os.version as in
"windows/amd64 10.0.17763"), DST gets the index with only the entries those
platforms would pull, and the attestations tied to them; every other field is
kept. The digest then changes, and the output says so.

SRC and DST are any registry, repository or ocidir://PATH:TAG. DST without a
tag takes SRC's. Like compose, copy writes the tag last, after every child is
verified present, journals the change (see 'platypus undo'), and refuses to
overwrite a tag without --yes when there is no terminal to ask.

With --dry-run, copy writes nothing and lists what DST lacks and would be
sent: each manifest, config and layer (referrers' too), with sizes and a
total. Within one registry the blobs are mounted rather than sent.`,
		Example: `  platypus copy docker.io/library/mysql:8 registry.example.com/mirror/mysql:8
  platypus copy registry.example.com/app:1.2 ocidir://./release:1.2 --no-referrers
  platypus copy app:1.2 registry.example.com/app:1.2-arm --platform linux/arm64 --platform linux/arm/v7
  platypus --demo copy platypus/webapp:1.0 platypus/webapp:mirror --dry-run -o json`,
		Args: exactArgs(2, "SRC and DST, e.g. library/alpine:3 registry.example.com/alpine:3"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.runCopy(cmd.Context(), args[0], args[1], &co)
		},
	}
	co.out.register(cmd)
	f := cmd.Flags()
	f.StringArrayVar(&co.platforms, "platform", nil, "keep only the entry `PLATFORM` would pull (repeatable; os.version after a space)")
	f.BoolVar(&co.noReferrers, "no-referrers", false, "copy the images only, not their signatures, SBOMs and attestations")
	f.BoolVar(&co.dryRun, "dry-run", false, "list the manifests and blobs DST lacks; write nothing")
	f.BoolVar(&co.yes, "yes", false, "overwrite DST without asking")
	return cmd
}

func (o *rootOptions) runCopy(ctx context.Context, srcArg, dstArg string, co *copyOptions) error {
	if err := co.out.validate(); err != nil {
		return err
	}
	src, err := o.resolve(srcArg)
	if err != nil {
		return err
	}
	dst, err := o.resolve(dstArg)
	if err != nil {
		return err
	}
	src = src.Pullable()
	if dst.Digest != "" {
		return usagef("DST is where a tag is written: give it a tag, not a digest")
	}
	if dst.Tag == "" {
		if src.Tag == "" {
			return usagef("SRC has no tag to take: give DST one, such as %s:latest", dst.RepoOnly())
		}
		dst = dst.WithTag(src.Tag)
	}
	var targets []model.Target
	for _, p := range co.platforms {
		pl, err := model.ParsePlatformLine(p)
		if err != nil {
			return usageError{err}
		}
		targets = append(targets, model.FlagTarget(pl, model.SourceFlag))
	}
	c, err := o.registry(src.Registry, dst.Registry)
	if err != nil {
		return err
	}
	plan, err := c.PlanCopy(ctx, src, dst, targets)
	if err != nil {
		return err
	}
	rep := output.Copy{
		Source: src.String(), Reference: dst.String(), SourceDigest: plan.Root.Digest, Digest: plan.Digest(),
		Identical: plan.Identical(), Copied: []output.Copied{}, DryRun: co.dryRun, Platforms: picksOf(plan.Platforms),
		Unchanged: plan.Previous == plan.Digest(),
	}
	if plan.Previous != "" {
		prev := plan.Previous
		rep.PreviousDigest = &prev
	}
	if co.dryRun {
		needs, err := c.CopyNeeds(ctx, plan, !co.noReferrers)
		if err != nil {
			return err
		}
		rep.WouldCopy = wouldCopyOf(needs, src.RepoOnly().String())
		return o.printCopy(rep, co)
	}
	if plan.Previous != "" && !rep.Unchanged && !co.yes {
		if !isTerminal(o.stdin) {
			return fmt.Errorf("%s exists (%s); pass --yes to overwrite it (its digest is journaled; 'platypus undo %s' restores it)", dst, model.ShortDigest(plan.Previous), dst)
		}
		if !o.confirm(fmt.Sprintf("Overwrite %s (now %s) with %s? [y/N] ", dst, model.ShortDigest(plan.Previous), model.ShortDigest(plan.Digest()))) {
			return errors.New("not copied")
		}
	}
	st, err := openState()
	if err != nil {
		return fmt.Errorf("%w; nothing was copied", err)
	}
	res, err := c.RunCopy(ctx, plan, !co.noReferrers, st.Journal(), func(step string, done, total int) {
		if !co.out.json() {
			fmt.Fprintf(o.stderr, "[%d/%d] %s\n", done, total, model.Clean(step))
		}
	})
	if err != nil {
		return err
	}
	rep.Copied, rep.Referrers, rep.Unchanged = copiedOf(res.Copied), res.Referrers, res.Unchanged
	if res.Previous != "" {
		rep.PreviousDigest = &res.Previous
	}
	return o.printCopy(rep, co)
}

// picksOf is the entry each --platform kept (nil for a whole copy).
func picksOf(ps []registry.PlatformPick) []output.PlatformPick {
	var out []output.PlatformPick
	for _, p := range ps {
		out = append(out, output.PlatformPick{Platform: p.Platform, Digest: p.Digest, Entry: p.Entry})
	}
	return out
}

func (o *rootOptions) printCopy(rep output.Copy, co *copyOptions) error {
	if co.out.json() {
		return output.Write(o.stdout, rep)
	}
	w := o.stdout
	verb := "copied"
	if rep.DryRun {
		verb = "would copy"
	}
	fmt.Fprintf(w, "%s %s to %s\n", verb, rep.Source, rep.Reference)
	if rep.Identical {
		fmt.Fprintf(w, "digest %s, the same as the source\n", rep.Digest)
	} else {
		var kept []string
		for _, p := range rep.Platforms {
			kept = append(kept, p.Platform+" → "+p.Entry+" "+model.ShortDigest(p.Digest))
		}
		fmt.Fprintf(w, "digest %s, new: the source %s keeps only %s\n", rep.Digest, model.ShortDigest(rep.SourceDigest), model.Clean(strings.Join(kept, ", ")))
		fmt.Fprintln(w, "signatures made for the source index do not apply to it")
	}
	switch {
	case rep.Unchanged && !rep.DryRun:
		fmt.Fprintf(w, "unchanged: %s already held it\n", rep.Reference)
	case rep.Unchanged:
		fmt.Fprintf(w, "unchanged: %s already holds it\n", rep.Reference)
	case rep.PreviousDigest == nil:
		fmt.Fprintf(w, "%s is a new tag\n", rep.Reference)
	case rep.DryRun:
		fmt.Fprintf(w, "replaces %s\n", *rep.PreviousDigest)
	default:
		fmt.Fprintf(w, "previous digest %s is journaled: platypus undo %s\n", *rep.PreviousDigest, rep.Reference)
	}
	if !rep.DryRun {
		fmt.Fprintf(w, "%s written, %s copied\n", model.Count(len(rep.Copied), "manifest"), model.Count(rep.Referrers, "referrer"))
	} else {
		printWouldCopy(w, rep.WouldCopy, sameRegistry(rep.Source, rep.Reference), !rep.Unchanged)
		fmt.Fprintln(w, "dry run: nothing written")
	}
	return nil
}
