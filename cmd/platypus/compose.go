package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/ui"
)

type composeOptions struct {
	out         outputFlag
	amend       bool
	adds        []string
	removes     []string
	annotations []string
	mediaType   string
	spec        string
	dryRun      bool
	yes         bool
	referrers   bool
}

func newComposeCmd(o *rootOptions) *cobra.Command {
	var co composeOptions
	cmd := &cobra.Command{
		Use:   "compose TARGET",
		Short: "Compose, validate and push a multi-platform index",
		Long: `Build the index TARGET should hold from other images and indexes, validate it,
show what changes, and push it safely: children living elsewhere are copied
into TARGET's repository first (mounted within a registry), every child is
verified present, the tag's previous digest is journaled (see 'platypus undo'),
and the index is written last, so a failure leaves the tag as it was.

Without arguments besides TARGET, the explorer's composer opens on it.`,
		Example: `  platypus --demo compose yorek/multiarch-hello-world:latest \
      --add yorek/multiarch-hello-world:linux --add yorek/multiarch-hello-world:windows --dry-run
  platypus compose registry.example.com/app:1.2 --amend --remove linux/386 --yes -o json
  platypus compose registry.example.com/app:1.2 --spec release.yaml --media-type docker`,
		Args: exactArgs(1, "the tag to compose, e.g. registry.example.com/app:1.2"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.runCompose(cmd.Context(), args[0], &co)
		},
	}
	co.out.register(cmd)
	f := cmd.Flags()
	f.BoolVar(&co.amend, "amend", false, "start from what TARGET holds now")
	f.StringArrayVar(&co.adds, "add", nil, "add `REF`: an image, or every entry of an index (repeatable)")
	f.StringArrayVar(&co.removes, "remove", nil, "remove entries by `PLATFORM` (linux/arm64) or DIGEST (repeatable)")
	f.StringArrayVar(&co.annotations, "annotation", nil, "set an index annotation `KEY=VALUE` (repeatable; KEY= removes)")
	f.StringVar(&co.mediaType, "media-type", "", "oci or docker (default: with --amend, what TARGET has; else docker when every child is a Docker v2 manifest, as docker manifest create does, oci otherwise)")
	f.StringVar(&co.spec, "spec", "", "read entries from a YAML `FILE` in the spirit of manifest-tool")
	f.BoolVar(&co.dryRun, "dry-run", false, "print the JSON and the diff; push nothing")
	f.BoolVar(&co.yes, "yes", false, "overwrite TARGET without asking")
	f.BoolVar(&co.referrers, "referrers", false, "also copy signatures, SBOMs and attestations of copied children")
	return cmd
}

func (o *rootOptions) runCompose(ctx context.Context, targetArg string, co *composeOptions) error {
	if err := co.out.validate(); err != nil {
		return err
	}
	var spec *composeSpec
	if co.spec != "" {
		var err error
		if spec, err = readSpec(co.spec); err != nil {
			return err
		}
	}
	target, err := o.resolve(targetArg)
	if err != nil {
		return err
	}
	if target.Tag == "" || target.Digest != "" {
		return usagef("compose needs a tag to push to, such as %s:latest", target.RepoOnly())
	}
	o.tui = co.interactive() && isTerminal(o.stdout)
	if co.interactive() && !o.tui {
		return usagef("compose %s: no edits were given, and the composer needs a terminal: pass --add REF or --amend (with --remove, --annotation, --spec, --dry-run as needed)", target)
	}
	c, err := o.registry(target.Registry)
	if err != nil {
		return err
	}
	if o.tui {
		t, err := o.target()
		if err != nil {
			return err
		}
		// The composer checks the draft with the policy of the current
		// directory, as `platypus check` without --policy does.
		policy, err := loadPolicy("", false)
		if err != nil {
			return err
		}
		st, err := openState()
		if err != nil {
			return err
		}
		return ui.Run(ctx, ui.Options{Client: c, Target: t, Theme: o.theme, ConfigTheme: o.configTheme, Compose: &target, State: st, QuotaShare: o.quotaShare, ScanAsk: o.scanAsk, Demo: o.demoHost(), Keys: o.keys, Policy: policy})
	}
	d, cur, err := c.StartDraft(ctx, target, co.amend)
	if err != nil {
		return err
	}
	why, err := o.applyCompose(ctx, c, d, co, spec)
	if err != nil {
		return err
	}
	if !co.out.json() {
		fmt.Fprintf(o.stderr, "media type: %s (%s)\n", model.MediaTypeName(d.MediaType), why)
	}
	issues := d.Validate()
	for _, is := range issues {
		where := "index"
		if is.Entry >= 0 {
			where = fmt.Sprintf("entry %d", is.Entry+1)
		}
		fmt.Fprintf(o.stderr, "%s: %s: %s\n", is.Severity, where, model.Clean(is.Message))
	}
	raw, err := d.JSON()
	if err != nil {
		return err
	}
	diff := d.Diff(cur)
	rep := output.Compose{Reference: target.String(), Digest: model.DigestOf(raw), MediaType: d.MediaType, MediaTypeReason: why, DryRun: co.dryRun,
		Issues: output.Issues(issues), Diff: output.DraftDiffOf(diff), Copied: []output.Copied{}, Entries: output.ComposeEntries(d.Entries)}
	if cur != nil {
		prev := cur.Digest
		rep.PreviousDigest = &prev
		// A fact about the content, dry run or not.
		rep.Unchanged = prev == rep.Digest
	}
	if model.Blocking(issues) {
		return fmt.Errorf("%s: the index has errors (see above); nothing was pushed", target)
	}
	if co.dryRun {
		return o.printDryRun(rep, diff, raw, co)
	}
	if rep.Unchanged {
		if co.out.json() {
			return output.Write(o.stdout, rep)
		}
		fmt.Fprintf(o.stdout, "unchanged: %s already holds %s; nothing pushed\n", target, rep.Digest)
		return nil
	}
	if cur != nil && !co.yes {
		if !isTerminal(o.stdin) {
			return fmt.Errorf("%s exists (%s); pass --yes to overwrite it (its digest is journaled; 'platypus undo %s' restores it)", target, model.ShortDigest(cur.Digest), target)
		}
		if !o.confirm(fmt.Sprintf("Overwrite %s (now %s)? [y/N] ", target, model.ShortDigest(cur.Digest))) {
			return errors.New("not pushed")
		}
	}
	st, err := openState()
	if err != nil {
		return fmt.Errorf("%w; nothing was pushed", err)
	}
	expect := d.Base
	res, err := c.Push(ctx, d, registry.PushOptions{
		Referrers: co.referrers, Journal: st.Journal(), ExpectPrevious: &expect,
		Progress: func(step string, done, total int) {
			if !co.out.json() {
				fmt.Fprintf(o.stderr, "[%d/%d] %s\n", done, total, model.Clean(step))
			}
		},
	})
	if err != nil {
		return err
	}
	rep.Copied, rep.PreviousDigest, rep.Digest, rep.Unchanged, rep.Referrers = copiedOf(res.Copied), res.PreviousDigest, res.Digest, res.Unchanged, res.Referrers
	if co.out.json() {
		return output.Write(o.stdout, rep)
	}
	fmt.Fprintf(o.stdout, "pushed %s@%s (%s, %d copied", target, res.Digest, model.Count(len(d.Entries), "entry"), len(res.Copied))
	if co.referrers {
		fmt.Fprintf(o.stdout, ", %s with them", model.Count(res.Referrers, "referrer"))
	}
	fmt.Fprintln(o.stdout, ")")
	if res.PreviousDigest != nil {
		fmt.Fprintf(o.stdout, "previous digest %s is journaled: platypus undo %s\n", *res.PreviousDigest, target)
	}
	return nil
}

// interactive tells whether no edit was asked on the command line, so the
// composer screen should open instead.
func (co *composeOptions) interactive() bool {
	return !co.amend && len(co.adds)+len(co.removes)+len(co.annotations) == 0 && co.spec == "" && co.mediaType == "" && !co.dryRun && !co.out.json()
}

// copiedOf is what a push or a copy brought into the target repository.
func copiedOf(cs []registry.Copied) []output.Copied {
	out := make([]output.Copied, len(cs))
	for i, c := range cs {
		out[i] = output.Copied{Digest: c.Digest, From: c.From}
	}
	return out
}

// applyCompose makes the command line's edits; it returns why the index
// has its media type.
func (o *rootOptions) applyCompose(ctx context.Context, c *registry.Client, d *model.Draft, co *composeOptions, spec *composeSpec) (string, error) {
	mt := co.mediaType
	if spec != nil {
		if mt == "" {
			mt = spec.MediaType
		}
		for k, v := range spec.Annotations {
			d.SetAnnotation(-1, k, v)
		}
		for _, m := range spec.Manifests {
			r, err := o.resolve(m.Image)
			if err != nil {
				return "", err
			}
			entries, err := c.DraftEntries(ctx, r)
			if err != nil {
				return "", err
			}
			for _, e := range entries {
				if m.Platform != nil {
					e.Platform = &model.Platform{OS: m.Platform.OS, Architecture: m.Platform.Architecture, Variant: m.Platform.Variant, OSVersion: m.Platform.OSVersion, OSFeatures: m.Platform.OSFeatures}
				}
				for k, v := range m.Annotations {
					if e.Annotations == nil {
						e.Annotations = map[string]string{}
					}
					e.Annotations[k] = v
				}
				d.Entries = append(d.Entries, e)
			}
		}
	}
	for _, a := range co.adds {
		r, err := o.resolve(a)
		if err != nil {
			return "", err
		}
		entries, err := c.DraftEntries(ctx, r)
		if err != nil {
			return "", err
		}
		d.Entries = append(d.Entries, entries...)
	}
	for _, rm := range co.removes {
		if d.Remove(rm) == 0 {
			return "", usagef("--remove %s matches no entry", rm)
		}
	}
	for _, kv := range co.annotations {
		k, v, err := model.ParseAnnotation(kv)
		if err != nil {
			return "", usagef("--annotation: %s", err.Error())
		}
		d.SetAnnotation(-1, k, v)
	}
	switch mt {
	case "":
		if d.Raw != nil {
			return "kept from the amended index", nil
		}
		d.MediaType = model.InferMediaType(d.Entries)
		return model.MediaTypeReason(d.Entries), nil
	case "oci":
		d.MediaType = model.MediaOCIIndex
	case "docker":
		d.MediaType = model.MediaDockerList
	default:
		return "", usagef("--media-type must be oci or docker, got %q", mt)
	}
	return "asked for with --media-type", nil
}

func (o *rootOptions) printDryRun(rep output.Compose, diff model.DraftDiff, raw []byte, co *composeOptions) error {
	if co.out.json() {
		rep.Manifest = raw
		return output.Write(o.stdout, rep)
	}
	fmt.Fprintf(o.stdout, "%s\n", model.EscapeJSON(raw))
	fmt.Fprintf(o.stdout, "\ndigest %s\n", rep.Digest)
	switch {
	case rep.PreviousDigest == nil:
		fmt.Fprintf(o.stdout, "%s does not exist yet\n", rep.Reference)
	case rep.Unchanged:
		fmt.Fprintf(o.stdout, "unchanged: %s already holds it\n", rep.Reference)
	default:
		fmt.Fprintf(o.stdout, "replaces %s\n", *rep.PreviousDigest)
	}
	for _, l := range diff.Lines() {
		fmt.Fprintln(o.stdout, model.Clean(l))
	}
	fmt.Fprintln(o.stdout, "dry run: nothing pushed")
	return nil
}

func (o *rootOptions) confirm(prompt string) bool {
	fmt.Fprint(o.stderr, prompt)
	line, _ := bufio.NewReader(o.stdin).ReadString('\n')
	return strings.EqualFold(strings.TrimSpace(line), "y") || strings.EqualFold(strings.TrimSpace(line), "yes")
}
