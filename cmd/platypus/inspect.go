package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry"
)

type inspectOptions struct {
	out           outputFlag
	all           bool
	failOnNoMatch bool
	fleet         fleetFlags
}

func newInspectCmd(o *rootOptions) *cobra.Command {
	var io inspectOptions
	cmd := &cobra.Command{
		Use:   "inspect REF",
		Short: "Show an index or image, and which entry docker pull would select",
		Long: `Show a manifest: for an index, every entry with its platform, kind, size
(CFG+LAYERS: its config and layers as stored, what a pull downloads besides
manifests) and digest; for a single image, that image. Each entry gets
Docker's verdict for the target platform (this host unless --platform is
given): selected, compatible (with its rank) or incompatible, with the reasons.

With several targets (--platform repeated, --targets FILE, --nodes FILE, or the
config's targets), the table is a matrix, entries down and targets across:
✓ selected, ~N compatible with rank N, ✗ incompatible; a line follows for
every target that pulls nothing. Nodes are judged by containerd's rules, as
kubelet pulls; other targets by Docker Engine's unless their store says so.

With --all, every entry's config is fetched too, adding its layers and
creation time.`,
		Example: `  platypus inspect docker.io/library/centos:7 -o json
  platypus --demo inspect mysql:5.7 --platform linux/arm64/v8
  platypus --demo inspect hello-world:nanoserver --platform windows/amd64 --os-version 10.0.14393.2068
  platypus inspect ocidir://./layout:v1 --all
  platypus inspect registry.example.com/app:1.2 --platform linux/arm64 --fail-on-no-match   # exit 3 if arm64 can't pull it
  platypus --demo inspect hello-world --platform linux/arm64 --platform windows/amd64:10.0.17763
  kubectl get nodes -o json | platypus inspect registry.example.com/app:1.2 --nodes - --fail-on-no-match`,
		Args: exactArgs(1, "one reference, e.g. library/alpine:3 or host/repo@sha256:…"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.runInspect(cmd.Context(), args[0], &io)
		},
	}
	io.out.register(cmd)
	cmd.Flags().BoolVar(&io.all, "all", false, "also fetch every entry's config (layers, created)")
	cmd.Flags().BoolVar(&io.failOnNoMatch, "fail-on-no-match", false, "exit with code 3 when the target platform (any target) cannot pull REF")
	io.fleet.register(cmd)
	return cmd
}

func (o *rootOptions) runInspect(ctx context.Context, arg string, io *inspectOptions) error {
	if err := io.out.validate(); err != nil {
		return err
	}
	r, fleet, c, err := o.setupFleet(arg, &io.fleet)
	if err != nil {
		return err
	}
	// Nested indexes always load: the selection follows them.
	tree, err := c.Expand(ctx, r.Pullable(), registry.ExpandOptions{Children: true, Configs: io.all})
	if err != nil {
		return err
	}
	if !tree.Root.IsIndex() && tree.Root.Config != nil && tree.Configs[tree.Root.Digest] == nil && tree.Root.Kind == model.KindImage {
		cfg, err := c.Config(ctx, r, *tree.Root.Config)
		if err != nil {
			return err
		}
		tree.Configs[tree.Root.Digest] = cfg
	}
	verdicts := model.JudgeFleet(tree.Root, fleet, tree.Children, tree.Configs)
	rep := output.BuildInspect(r.Pullable(), tree, verdicts[0].Analysis, io.all)
	rep.AddFleet(tree, verdicts)
	switch {
	case io.out.json():
		err = output.Write(o.stdout, rep)
	case len(fleet) > 1:
		err = printInspectFleet(o.stdout, rep, io.all)
	default:
		err = printInspect(o.stdout, rep, io.all)
	}
	if err != nil {
		return err
	}
	if io.failOnNoMatch && len(fleet) > 1 {
		if none := pullNothing(rep); len(none) > 0 {
			return noMatchError{msg: fmt.Sprintf("%s: %d of %d targets pull nothing: %s", r.Pullable(), len(none), len(fleet), strings.Join(none, ", "))}
		}
	}
	if io.failOnNoMatch && rep.Selected == nil {
		return noMatchError{msg: fmt.Sprintf("%s: no entry for %s", r.Pullable(), rep.Platform)}
	}
	// docker pull would fail on the entry it selects: so does inspect.
	for _, e := range rep.Entries {
		if e.Error != "" && e.Match == string(model.Selected) {
			return fmt.Errorf("%s: the entry docker pull selects for %s (%s) cannot be verified: %s", r.Pullable(), rep.Platform, model.ShortDigest(e.Digest), e.Error)
		}
	}
	return fleetEntryErrors(r.Pullable(), rep)
}

// setup resolves a reference argument, the target platform and the client:
// what every command that judges a reference needs.
func (o *rootOptions) setup(arg string) (model.Reference, model.Target, *registry.Client, error) {
	r, err := o.resolve(arg)
	if err != nil {
		return model.Reference{}, model.Target{}, nil, err
	}
	target, err := o.target()
	if err != nil {
		return model.Reference{}, model.Target{}, nil, err
	}
	c, err := o.registry(r.Registry)
	return r, target, c, err
}

// target is the platform the user named, or this host's.
func (o *rootOptions) target() (model.Target, error) {
	p, named, err := o.targetPlatform()
	if err != nil {
		return model.Target{}, err
	}
	if !named {
		return model.HostTarget(), nil
	}
	src := model.SourceFlag
	if o.platformFromConfig {
		src = model.SourceConfig
	}
	return model.FlagTarget(p, src), nil
}

func printInspect(w ioWriter, rep output.Inspect, all bool) error {
	fmt.Fprintln(w, rep.Reference)
	hdr := newTable(w)
	hdr.row("digest", rep.Digest)
	hdr.row("media type", rep.MediaType+" ("+rep.Kind+")")
	if rep.ArtifactType != "" {
		hdr.row("artifact type", rep.ArtifactType)
	}
	hdr.row("target", rep.Platform+" ("+rep.PlatformSource+"), "+rep.Store+" rules")
	if rep.CompressedSize != nil {
		hdr.row("size", model.HumanSize(*rep.CompressedSize)+" config+layers in all, "+model.HumanSize(*rep.UniqueSize)+" unique")
	}
	for _, k := range sortedKeys(rep.Annotations) {
		hdr.row("annotation", cutCell(k)+"="+cutCell(rep.Annotations[k]))
	}
	if err := hdr.flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	cols := []string{" ", "PLATFORM", "OS.VERSION", "KIND", sizeHeader, "DIGEST", "MATCH"}
	if all {
		cols = []string{" ", "PLATFORM", "OS.VERSION", "KIND", "LAYERS", sizeHeader, "CREATED", "DIGEST", "MATCH"}
	}
	t := newTable(w, cols...)
	for _, e := range rep.Entries {
		mark := " "
		if e.Match == string(model.Selected) {
			mark = ">"
		}
		plat, osv := "-", ""
		if e.Platform != nil {
			plat = model.Platform{OS: e.Platform.OS, Architecture: e.Platform.Architecture, Variant: e.Platform.Variant}.String()
			osv = e.Platform.OSVersion
		}
		if e.Kind == string(model.KindAttestation) {
			plat = "(attestation)"
		}
		match := e.Match
		if e.Rank != nil && e.Match == string(model.Compatible) {
			match += " #" + strconv.Itoa(*e.Rank)
		}
		if len(e.Reasons) > 0 && e.Match != string(model.Selected) {
			match += ": " + e.Reasons[0]
		}
		if e.Error != "" {
			// Never "selected" for what could not be verified.
			mark, match = "!", "error: "+e.Error
		}
		if all {
			layers := ""
			if e.Layers != nil {
				layers = strconv.Itoa(len(e.Layers))
			}
			t.row(mark, plat, osv, e.Kind, layers, sizeCell(e), e.Created, model.ShortDigest(e.Digest), match)
		} else {
			t.row(mark, plat, osv, e.Kind, sizeCell(e), model.ShortDigest(e.Digest), match)
		}
	}
	if err := t.flush(); err != nil {
		return err
	}
	if rep.Selected == nil && rep.DockerError != "" {
		fmt.Fprintf(w, "\ndocker pull would fail:\n  %s\n", model.Clean(rep.DockerError))
		if rep.DockerErrorLegacy != "" {
			fmt.Fprintf(w, "  (older Docker versions: %s)\n", model.Clean(rep.DockerErrorLegacy))
		}
	}
	if rep.OtherStore != nil {
		sel := "nothing"
		if rep.OtherStore.Selected != nil {
			sel = model.ShortDigest(*rep.OtherStore.Selected)
		}
		fmt.Fprintf(w, "\nDocker's %s store would select %s instead.\n", rep.OtherStore.Store, sel)
	}
	return nil
}

// sizeHeader names the one size the tables show, as the explorer does:
// what a pull downloads besides manifests, the config and the layers (an
// artifact's blobs) compressed as stored. The JSON's "size" stays the
// manifest's own (a descriptor's size); "compressedSize" is this one.
const sizeHeader = "CFG+LAYERS"

// sizeCell is an entry's config+layers, "-" for an index (as on the
// explorer's index screen) or a manifest that did not load.
func sizeCell(e output.Entry) string {
	if e.CompressedSize == nil {
		return "-"
	}
	return model.HumanSize(*e.CompressedSize)
}

// maxCell is how much of an annotation's key or value a table shows, in
// characters: a registry can send 200 KB of one. JSON keeps it whole.
const maxCell = 200

// cutCell cuts s to maxCell characters, saying how long it was.
func cutCell(s string) string {
	if utf8.RuneCountInString(s) <= maxCell {
		return s
	}
	n, cut := 0, s
	for i := range s {
		if n == maxCell {
			cut = s[:i]
			break
		}
		n++
	}
	return cut + fmt.Sprintf("… (%d bytes; -o json shows it whole)", len(s))
}
