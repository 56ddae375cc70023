package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/platypus-tui/platypus/model"
)

// policy runs the rules the policy turns on.
func (r *run) policy() {
	r.requiredPlatforms()
	r.requiredAnnotations()
	r.agreeingAnnotations()
	r.attestations()
	r.sameSource()
	r.signatures()
	r.bases()
	r.sizes()
}

// shipped is the platform an image is shipped as: what the index declares,
// else its config's.
func (r *run) shipped(n *node) (model.Platform, bool) {
	if p := n.declared(); p != nil && !p.IsZero() {
		return *p, true
	}
	if n.config != nil && !n.config.Platform.IsZero() {
		return n.config.Platform, true
	}
	return model.Platform{}, false
}

// satisfies tells whether an image's platform is the required one, as
// Docker normalises both; a required os.version is a prefix of the
// image's (10.0.17763 is met by 10.0.17763.6054).
func satisfies(p model.Platform, req Required) bool {
	n, q := model.Normalize(p), model.Normalize(req.Platform)
	if n.OS != q.OS || n.Architecture != q.Architecture || n.Variant != q.Variant {
		return false
	}
	v := req.Platform.OSVersion
	return v == "" || p.OSVersion == v || strings.HasPrefix(p.OSVersion, v+".")
}

func (r *run) requiredPlatforms() {
	imgs := r.images()
	for _, req := range r.p.RequirePlatforms {
		if slices.ContainsFunc(imgs, func(n *node) bool { p, ok := r.shipped(n); return ok && satisfies(p, req) }) {
			continue
		}
		msg := fmt.Sprintf("no image for %s", req.Text)
		if pick, _ := r.t.Pick(model.FlagTarget(req.Platform, model.SourceConfig)); pick != "" {
			if n := r.byDig[pick]; n != nil {
				msg += fmt.Sprintf(": a %s host would pull %s instead", req.Platform.Display(), r.about(n))
			}
		}
		r.record(RuleMissingPlatform, nil, req.Platform.Display(), msg)
	}
	if _, on := r.p.Severity(RuleUnexpectedPlatform); on {
		for _, n := range imgs {
			p, ok := r.shipped(n)
			if ok && slices.ContainsFunc(r.p.RequirePlatforms, func(req Required) bool { return satisfies(p, req) }) {
				continue
			}
			r.add(RuleUnexpectedPlatform, n, "%s is not one of the platforms the policy allows (platforms.only): %s", r.about(n), requiredList(r.p.RequirePlatforms))
		}
	}
}

func requiredList(reqs []Required) string {
	out := make([]string, len(reqs))
	for i, q := range reqs {
		out[i] = q.Text
	}
	return strings.Join(out, ", ")
}

// annotationKeys are the keys annotations.agree compares: those required,
// else the three every release should carry.
func (r *run) annotationKeys() []string {
	if len(r.p.RequireAnnots) > 0 {
		return r.p.RequireAnnots
	}
	return []string{"org.opencontainers.image.version", "org.opencontainers.image.revision", "org.opencontainers.image.source"}
}

// place is one spot that can carry an annotation or label.
type place struct {
	n     *node // nil: the index
	where string
	value string
}

// places lists where key has a value: the index, then per image its
// descriptor, its manifest and its config's labels.
func (r *run) places(key string) []place {
	var out []place
	root := r.t.Root
	if root.IsIndex() {
		if v, ok := root.Annotations[key]; ok {
			out = append(out, place{nil, "the index", v})
		}
	}
	for _, n := range r.images() {
		label := r.platformOf(n)
		if label == "" {
			label = n.name()
		}
		if v, ok := n.entry.Annotations[key]; ok && n.parent != nil {
			out = append(out, place{n, label + "'s index descriptor", v})
		}
		if n.child != nil {
			if v, ok := n.child.Annotations[key]; ok {
				out = append(out, place{n, label + "'s manifest", v})
			}
		}
		if n.config != nil {
			if v, ok := n.config.Labels[key]; ok {
				out = append(out, place{n, label + "'s config label", v})
			}
		}
	}
	return out
}

func (r *run) requiredAnnotations() {
	root := r.t.Root
	for _, key := range r.p.RequireAnnots {
		if !root.IsIndex() {
			if len(r.places(key)) == 0 {
				r.add(RuleMissingAnnotation, r.nodes[0], "%s is neither an annotation nor a label of the image", key)
			}
			continue
		}
		if _, ok := root.Annotations[key]; ok {
			continue
		}
		var where []string
		for _, pl := range r.places(key) {
			where = append(where, pl.where)
		}
		msg := fmt.Sprintf("%s is not an annotation of the index", key)
		if len(where) > 0 {
			msg += fmt.Sprintf(" (%s has it: put it on the index too, e.g. docker buildx build --annotation index:%s=…)", strings.Join(where, ", "), key)
		}
		r.add(RuleMissingAnnotation, nil, "%s", msg)
	}
}

func (r *run) agreeingAnnotations() {
	if _, on := r.p.Severity(RuleAnnotationDisagrees); !on {
		return
	}
	for _, key := range r.annotationKeys() {
		pls := r.places(key)
		if len(pls) < 2 {
			continue
		}
		ref := pls[0]
		if ref.n != nil {
			// No index value: the most common one is the reference.
			counts := map[string]int{}
			for _, pl := range pls {
				counts[pl.value]++
			}
			for _, pl := range pls {
				if counts[pl.value] > counts[ref.value] {
					ref = pl
				}
			}
		}
		for _, pl := range pls {
			if pl.value != ref.value {
				// Raw values: JSON keeps them, the table escapes them.
				r.add(RuleAnnotationDisagrees, pl.n, "%s is \"%s\" in %s but \"%s\" in %s", key, pl.value, pl.where, ref.value, ref.where)
			}
		}
	}
}

// attestationsOf are the predicate types attesting an image: buildx-style
// entries of its index and referrers of the image or of the index.
func (r *run) attestationsOf(n *node) (preds []string, sbomArtifacts bool) {
	for _, o := range r.attestationsFor(n) {
		preds = append(preds, LayerPredicates(o.child)...)
	}
	// What refers to the index is taken to cover every image in it.
	for _, d := range []string{n.entry.Digest, r.t.Root.Digest} {
		for _, ref := range r.f.Referrers[d] {
			preds = append(preds, ref.Predicates...)
			sbomArtifacts = sbomArtifacts || sbomArtifact(ref.ArtifactType)
		}
		if d == r.t.Root.Digest {
			break
		}
	}
	return preds, sbomArtifacts
}

func (r *run) attestations() {
	for _, n := range r.images() {
		preds, sbomArt := r.attestationsOf(n)
		has := func(f func(string) bool) bool { return slices.ContainsFunc(preds, f) }
		what := "no attestation"
		if len(preds) > 0 {
			names := make([]string, 0, len(preds))
			for _, p := range preds {
				names = append(names, model.PredicateName(p))
			}
			slices.Sort(names)
			what = "attestations of " + strings.Join(slices.Compact(names), ", ") + " only"
		}
		if !has(IsProvenance) {
			r.add(RuleMissingProvenance, n, "%s has no provenance attestation (%s; neither a buildx attestation entry nor a referrer): docker buildx build --provenance=mode=max adds one", r.about(n), what)
		}
		if !has(IsSBOM) && !sbomArt {
			r.add(RuleMissingSBOM, n, "%s has no SBOM (%s; neither a buildx attestation entry nor a referrer): docker buildx build --sbom=true adds one", r.about(n), what)
		}
	}
}

// sameSource: every platform built from one repository at one commit.
func (r *run) sameSource() {
	if r.f.Provenance == nil {
		return
	}
	type built struct {
		n   *node
		key string
		p   Provenance
	}
	var all []built
	counts := map[string]int{}
	for _, n := range r.images() {
		p, ok := r.f.Provenance[n.entry.Digest]
		if !ok {
			continue
		}
		if p.Source == "" || p.Revision == "" {
			r.add(RuleProvenanceSource, n, "the provenance of %s names no source repository and commit (%s)", r.about(n), p.From)
			continue
		}
		b := built{n, normalizeSource(p.Source) + "@" + p.Revision, p}
		all = append(all, b)
		counts[b.key]++
	}
	if len(counts) < 2 {
		return
	}
	ref := all[0]
	for _, b := range all {
		if counts[b.key] > counts[ref.key] {
			ref = b
		}
	}
	for _, b := range all {
		if b.key != ref.key {
			r.add(RuleProvenanceSource, b.n, "%s was built from %s at %s, but %s from %s at %s", r.about(b.n), b.p.Source, b.p.Revision,
				r.platformOf(ref.n), ref.p.Source, ref.p.Revision)
		}
	}
}

// normalizeSource compares repository URLs as git does: no scheme case,
// no trailing .git or slash, no fragment.
func normalizeSource(s string) string {
	s, _, _ = strings.Cut(s, "#")
	s = strings.TrimSuffix(strings.TrimSuffix(s, "/"), ".git")
	s = strings.TrimPrefix(s, "git+")
	return strings.ToLower(s)
}

func (r *run) signatures() {
	if r.f.Referrers == nil && r.f.SignatureTags == nil {
		return
	}
	root := r.t.Root.Digest
	if slices.ContainsFunc(r.f.Referrers[root], Referrer.IsSignature) || r.f.SignatureTags[root] {
		return
	}
	var n *node
	if !r.t.Root.IsIndex() {
		n = r.nodes[0]
	}
	r.add(RuleMissingSignature, n, "no signature of %s: neither a cosign nor a notation referrer, nor cosign's %s tag (cosign sign or notation sign the digest, not the tag)",
		model.ShortDigest(root), SignatureTag(root))
}

// baseOf is the base image an image names, from its manifest's
// annotations, its index descriptor's, or its config's labels.
func baseOf(n *node) (name, digest string) {
	for _, m := range []map[string]string{childAnnotations(n), n.entry.Annotations, configLabels(n)} {
		if m[AnnotationBaseName] != "" {
			return m[AnnotationBaseName], m[AnnotationBaseDigest]
		}
	}
	return "", ""
}

func childAnnotations(n *node) map[string]string {
	if n.child == nil {
		return nil
	}
	return n.child.Annotations
}

func configLabels(n *node) map[string]string {
	if n.config == nil {
		return nil
	}
	return n.config.Labels
}

func (r *run) bases() {
	_, covered := r.p.Severity(RuleBaseNotCovered)
	_, fresh := r.p.Severity(RuleBaseMoved)
	if !covered && !fresh || r.f.Bases == nil {
		return
	}
	for _, n := range r.images() {
		name, digest := baseOf(n)
		if name == "" {
			for _, rule := range []string{RuleBaseNotCovered, RuleBaseMoved} {
				r.add(rule, n, "%s names no base image (%s): it cannot be checked", r.about(n), AnnotationBaseName)
			}
			continue
		}
		b, ok := r.f.Bases[name]
		if !ok {
			continue
		}
		if b.Tree == nil {
			for _, rule := range []string{RuleBaseNotCovered, RuleBaseMoved} {
				r.add(rule, n, "the base %s of %s: %s", name, r.about(n), b.Missing)
			}
			continue
		}
		if p, ok := r.shipped(n); ok {
			if pick, _ := b.Tree.Pick(model.FlagTarget(p, model.SourceConfig)); pick == "" {
				r.add(RuleBaseNotCovered, n, "the base %s has no image for %s (it has %s)", name, p.Display(), basePlatforms(b.Tree))
			}
		}
		switch {
		case digest == "":
			r.add(RuleBaseMoved, n, "%s names its base %s without a digest (%s): whether it moved cannot be told", r.about(n), name, AnnotationBaseDigest)
		case digest == b.Tree.Root.Digest:
		case b.Tree.Root.IsIndex() && slices.ContainsFunc(b.Tree.Root.Entries, func(e model.Entry) bool { return e.Digest == digest }):
		default:
			r.add(RuleBaseMoved, n, "the base %s has moved since %s was built: it was %s, it is %s now; rebuild to pick up its fixes",
				name, r.about(n), model.ShortDigest(digest), model.ShortDigest(b.Tree.Root.Digest))
		}
	}
}

func basePlatforms(t *model.Tree) string {
	if !t.Root.IsIndex() {
		if c := t.Configs[t.Root.Digest]; c != nil {
			return c.Platform.Display() + " only"
		}
		return "one image"
	}
	var out []string
	for _, e := range t.Root.Entries {
		if e.Kind == model.KindImage && e.Platform != nil {
			out = append(out, e.Platform.Display())
		}
	}
	if len(out) == 0 {
		return "no platform"
	}
	return strings.Join(out, ", ")
}

func (r *run) sizes() {
	for _, n := range r.images() {
		if n.child == nil {
			continue
		}
		if max := r.p.MaxCompressed; max > 0 {
			if size := (model.Image{Manifest: n.child}).CompressedSize(); size > max {
				r.add(RuleTooLarge, n, "%s is %s compressed, over size.maxCompressed %s", r.about(n), model.HumanSize(size), model.HumanSize(max))
			}
		}
		l, ok := r.f.Layers[n.child.Digest]
		if !ok {
			continue
		}
		if low := r.p.LowestEfficiency; low > 0 && l.Efficiency < low {
			r.add(RuleLowEfficiency, n, "%s has an efficiency of %.1f%% (dive's), below efficiency.lowest %.1f%%: %s of files are overwritten or removed by later layers",
				r.about(n), l.Efficiency*100, low*100, model.HumanSize(l.Wasted))
		}
		if high := r.p.HighestWasted; high >= 0 && l.Wasted > high {
			r.add(RuleWastedBytes, n, "%s wastes %s on files later layers overwrite or remove, over efficiency.highestWasted %s",
				r.about(n), model.HumanSize(l.Wasted), model.HumanSize(high))
		}
	}
}
