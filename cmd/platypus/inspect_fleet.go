package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/output"
)

// pullNothing names the targets that pull nothing.
func pullNothing(rep output.Inspect) []string {
	var out []string
	for _, t := range rep.Targets {
		if t.Selected == nil {
			out = append(out, t.Name)
		}
	}
	return out
}

// fleetEntryErrors fails as a pull would when an entry a target (other
// than the first, checked already) selects cannot be verified.
func fleetEntryErrors(r model.Reference, rep output.Inspect) error {
	for _, t := range rep.Targets[min(1, len(rep.Targets)):] {
		for _, e := range rep.Entries {
			if e.Error != "" && e.Targets[t.Name].Match == string(model.Selected) {
				return fmt.Errorf("%s: the entry %s selects (%s) cannot be verified: %s", r, t.Name, model.ShortDigest(e.Digest), e.Error)
			}
		}
	}
	return nil
}

// printInspectFleet writes the matrix: a line per target, then the
// entries down and the targets across.
func printInspectFleet(w ioWriter, rep output.Inspect, all bool) error {
	fmt.Fprintln(w, model.Clean(rep.Reference))
	hdr := newTable(w)
	hdr.row("digest", rep.Digest)
	hdr.row("media type", rep.MediaType+" ("+rep.Kind+")")
	if rep.ArtifactType != "" {
		hdr.row("artifact type", rep.ArtifactType)
	}
	for _, k := range sortedKeys(rep.Annotations) {
		hdr.row("annotation", k+"="+rep.Annotations[k])
	}
	if err := hdr.flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tt := newTable(w, "TARGET", "PLATFORM", "STORE", "NODES", "PULLS", "WHY")
	for _, t := range rep.Targets {
		plat := t.Platform
		if t.OSVersion != "" {
			plat += " " + t.OSVersion
		}
		nodes := ""
		if len(t.Nodes) > 0 {
			nodes = strconv.Itoa(len(t.Nodes))
		}
		pulls, why := "nothing", offers(rep)
		if i := selectedEntry(rep, t.Name); i >= 0 {
			e := rep.Entries[i]
			pulls = entryPlatform(e) + " " + model.ShortDigest(e.Digest)
			if t.Selected != nil && *t.Selected != e.Digest {
				pulls += " → " + model.ShortDigest(*t.Selected)
			}
			if r := e.Targets[t.Name].Reasons; len(r) > 0 {
				why = r[0]
			}
			if t.Selected == nil {
				pulls = "nothing it can run (" + pulls + ")"
			}
		}
		tt.row(t.Name, plat, t.Store, nodes, pulls, why)
	}
	if err := tt.flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	cols := []string{"PLATFORM", "OS.VERSION", "KIND", sizeHeader, "DIGEST"}
	if all {
		cols = []string{"PLATFORM", "OS.VERSION", "KIND", "LAYERS", sizeHeader, "CREATED", "DIGEST"}
	}
	for _, t := range rep.Targets {
		cols = append(cols, t.Name)
	}
	m := newTable(w, cols...)
	var broken []output.Entry
	for _, e := range rep.Entries {
		osv := ""
		if e.Platform != nil {
			osv = e.Platform.OSVersion
		}
		cells := []string{entryPlatform(e), osv, e.Kind}
		if all {
			layers := ""
			if e.Layers != nil {
				layers = strconv.Itoa(len(e.Layers))
			}
			cells = append(cells, layers, sizeCell(e), e.Created)
		} else {
			cells = append(cells, sizeCell(e))
		}
		cells = append(cells, model.ShortDigest(e.Digest))
		for _, t := range rep.Targets {
			cells = append(cells, matchGlyph(e, e.Targets[t.Name]))
		}
		m.row(cells...)
		if e.Error != "" {
			broken = append(broken, e)
		}
	}
	if err := m.flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "✓ selected   ~N compatible, rank N   ✗ incompatible   ! selected but cannot be verified")
	for _, e := range broken {
		fmt.Fprintf(w, "! %s: %s\n", model.ShortDigest(e.Digest), model.Clean(e.Error))
	}
	for _, t := range rep.Targets {
		switch {
		case t.Selected == nil && t.DockerError != "":
			fmt.Fprintf(w, "\n%s pulls nothing:\n  %s\n", model.Clean(t.Name), model.Clean(pullError(rep.Reference, t)))
		case t.Selected == nil:
			fmt.Fprintf(w, "\n%s pulls nothing it can run.\n", model.Clean(t.Name))
		}
		if o := t.OtherStore; o != nil {
			sel := "nothing"
			if o.Selected != nil {
				sel = model.ShortDigest(*o.Selected)
			}
			fmt.Fprintf(w, "\n%s: Docker's %s store would select %s instead.\n", model.Clean(t.Name), o.Store, sel)
		}
	}
	return nil
}

// pullError is the line the target's puller prints: Docker's, or kubelet's
// event around containerd's error.
func pullError(ref string, t output.Target) string {
	if t.Store == string(model.FleetContainerd) {
		return fmt.Sprintf("kubelet: failed to pull and unpack image %q: %s", ref, t.DockerError)
	}
	return "docker: " + t.DockerError
}

// selectedEntry is the position of the root entry target name selects.
func selectedEntry(rep output.Inspect, name string) int {
	for i, e := range rep.Entries {
		if e.Targets[name].Match == string(model.Selected) {
			return i
		}
	}
	return -1
}

func entryPlatform(e output.Entry) string {
	switch {
	case e.Kind == string(model.KindAttestation):
		return "(attestation)"
	case e.Platform == nil:
		return "-"
	}
	return model.Platform{OS: e.Platform.OS, Architecture: e.Platform.Architecture, Variant: e.Platform.Variant}.String()
}

func matchGlyph(e output.Entry, v output.EntryTarget) string {
	switch model.Verdict(v.Match) {
	case model.Selected:
		if e.Error != "" {
			return "!"
		}
		return "✓"
	case model.Compatible:
		if v.Rank != nil {
			return "~" + strconv.Itoa(*v.Rank)
		}
		return "~"
	case model.Incompatible:
	}
	return "✗"
}

// offers says what an index offers, for a target it offers nothing to.
func offers(rep output.Inspect) string {
	var plats []string
	for _, e := range rep.Entries {
		p := entryPlatform(e)
		if e.Platform != nil && e.Platform.OS == "windows" && e.Platform.OSVersion != "" {
			p += " " + windowsBuildOf(e.Platform.OSVersion)
		}
		if model.Kind(e.Kind).Runnable() && !slices.Contains(plats, p) {
			plats = append(plats, p)
		}
	}
	switch {
	case len(plats) == 0:
		return "no runnable entry"
	case len(plats) > 4:
		return "offers " + strings.Join(plats[:4], ", ") + fmt.Sprintf(" and %d more", len(plats)-4)
	}
	return "offers " + strings.Join(plats, ", ")
}

// windowsBuildOf is an os.version's major.minor.build.
func windowsBuildOf(v string) string {
	if parts := strings.SplitN(v, ".", 4); len(parts) == 4 {
		return strings.Join(parts[:3], ".")
	}
	return v
}
