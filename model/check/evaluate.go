package check

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/platypus-tui/platypus/model"
)

// node is one entry of the index or of an index nested in it, with the
// manifest it points to when that was loaded; a single-image root is one
// node without a parent.
type node struct {
	parent *model.Manifest
	pos    int    // place in parent
	path   string // "2", or "1.3" inside a nested index
	order  int    // place in the walk, for sorting findings
	entry  model.Entry
	child  *model.Manifest
	config *model.Config
}

// kind is what the entry turned out to be: the loaded manifest's kind
// when there is one (crane puts an artifactType on image descriptors),
// else what the descriptor says.
func (n *node) kind() model.Kind {
	if n.entry.Kind == model.KindAttestation {
		return model.KindAttestation
	}
	if n.child != nil {
		return n.child.Kind
	}
	return n.entry.Kind
}

// declared is the platform the index declares for the entry (nil: none).
func (n *node) declared() *model.Platform {
	if n.parent == nil {
		if n.config != nil {
			return &n.config.Platform
		}
		return nil
	}
	return n.entry.Platform
}

// name is how a message names the entry: "entry 2", "the image".
func (n *node) name() string {
	if n.parent == nil {
		return "the image"
	}
	return "entry " + n.path
}

// run is one Evaluate: its inputs and the findings so far.
type run struct {
	f     *Facts
	p     *Policy
	t     *model.Tree
	nodes []*node
	byDig map[string]*node
	out   []Finding
	keys  []int
	// attests are, by index and subject digest, its attestation entries;
	// subjectSets are, by index, the digests of its entries that are not
	// attestations.
	attests     map[*model.Manifest]map[string][]*node
	subjectSets map[*model.Manifest]map[string]bool
}

// subjects are the digests an attestation of idx may describe: its
// entries that are not attestations.
func (r *run) subjects(idx *model.Manifest) map[string]bool {
	if r.subjectSets == nil {
		r.subjectSets = map[*model.Manifest]map[string]bool{}
	}
	if s, ok := r.subjectSets[idx]; ok {
		return s
	}
	s := map[string]bool{}
	for _, e := range idx.Entries {
		if e.Kind != model.KindAttestation {
			s[e.Digest] = true
		}
	}
	r.subjectSets[idx] = s
	return s
}

// attestationsFor are the attestation entries beside n that describe it.
func (r *run) attestationsFor(n *node) []*node {
	if n.parent == nil {
		return nil
	}
	return r.attests[n.parent][n.entry.Digest]
}

// Evaluate runs the policy's rules on what f holds. It does no I/O.
func Evaluate(f *Facts, p *Policy) Result {
	if p == nil {
		p = DefaultPolicy()
	}
	r := &run{f: f, p: p, t: f.Tree, byDig: map[string]*node{}}
	if r.t == nil || r.t.Root == nil {
		return Result{Findings: []Finding{}, Platforms: []PlatformSummary{}}
	}
	r.walk()
	r.builtIn()
	r.policy()
	// Stable: index-level findings first, then by entry, each in rule order.
	idx := make([]int, len(r.out))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return r.keys[a] - r.keys[b] })
	res := Result{Findings: make([]Finding, 0, len(r.out)), Platforms: r.platforms()}
	for _, i := range idx {
		res.Findings = append(res.Findings, r.out[i])
	}
	return res
}

// walk lists the entries of the root and of the indexes nested in it.
func (r *run) walk() {
	root := r.t.Root
	if !root.IsIndex() {
		n := &node{child: root, config: r.t.Configs[root.Digest], entry: model.Entry{Descriptor: root.Descriptor(), Kind: root.Kind}}
		r.nodes = append(r.nodes, n)
		r.byDig[root.Digest] = n
		return
	}
	r.attests = map[*model.Manifest]map[string][]*node{}
	seen := map[string]bool{root.Digest: true}
	var visit func(m *model.Manifest, prefix string, depth int)
	visit = func(m *model.Manifest, prefix string, depth int) {
		for i, e := range m.Entries {
			n := &node{parent: m, pos: i, path: prefix + strconv.Itoa(i+1), order: len(r.nodes), entry: e,
				child: r.t.Children[e.Digest], config: r.t.Configs[e.Digest]}
			r.nodes = append(r.nodes, n)
			if n.kind() == model.KindAttestation {
				if r.attests[m] == nil {
					r.attests[m] = map[string][]*node{}
				}
				r.attests[m][e.Subject] = append(r.attests[m][e.Subject], n)
			}
			if _, dup := r.byDig[e.Digest]; !dup {
				r.byDig[e.Digest] = n
			}
			if n.child != nil && n.child.IsIndex() && !seen[e.Digest] && depth < model.MaxDepth {
				seen[e.Digest] = true
				visit(n.child, n.path+".", depth+1)
			}
		}
	}
	visit(root, "", 0)
}

// images are the runnable single-platform images the index ships.
func (r *run) images() []*node {
	var out []*node
	for _, n := range r.nodes {
		if n.kind() == model.KindImage {
			out = append(out, n)
		}
	}
	return out
}

// platformOf labels a node by the platform the index declares for it, or
// its config's, or for an attestation its subject's.
func (r *run) platformOf(n *node) string {
	if n == nil {
		return ""
	}
	if n.kind() == model.KindAttestation {
		if s := r.byDig[n.entry.Subject]; s != nil && s.kind() != model.KindAttestation {
			return r.platformOf(s)
		}
		return ""
	}
	if p := n.declared(); p != nil && !p.IsZero() {
		return p.Display()
	}
	if n.config != nil && !n.config.Platform.IsZero() {
		return n.config.Platform.Display()
	}
	return ""
}

// add records a finding about n (nil: the index itself) when the rule runs.
func (r *run) add(rule string, n *node, format string, a ...any) {
	r.record(rule, n, "", fmt.Sprintf(format, a...))
}

// record adds a finding; platform, when given, is the platform it
// concerns (one the index lacks), else n's.
func (r *run) record(rule string, n *node, platform, msg string) {
	sev, on := r.p.Severity(rule)
	if !on {
		return
	}
	f := Finding{Rule: rule, Severity: sev, Platform: platform, Message: msg}
	key := -1
	if n != nil {
		if f.Platform == "" {
			f.Platform = r.platformOf(n)
		}
		if n.parent != nil {
			f.Entry = n.entry.Digest
		}
		key = n.order
	}
	r.out = append(r.out, f)
	r.keys = append(r.keys, key)
}

// about names an entry with its platform and short digest for a message:
// "entry 2 (linux/arm64, 1a2b3c4d5e6f)".
func (r *run) about(n *node) string {
	if n.parent == nil {
		return "the image"
	}
	p := r.platformOf(n)
	if p == "" {
		if n.kind() == model.KindAttestation {
			p = "attestation"
		} else {
			p = "no platform"
		}
	}
	return fmt.Sprintf("entry %s (%s, %s)", n.path, p, model.ShortDigest(n.entry.Digest))
}

// platforms summarises every image whose manifest arrived.
func (r *run) platforms() []PlatformSummary {
	out := []PlatformSummary{}
	for _, n := range r.images() {
		if n.child == nil {
			continue
		}
		ps := PlatformSummary{Platform: r.platformOf(n), Digest: n.child.Digest,
			CompressedSize: model.Image{Manifest: n.child}.CompressedSize()}
		if l, ok := r.f.Layers[n.child.Digest]; ok {
			u, e := l.Uncompressed, l.Efficiency
			ps.UncompressedSize, ps.Efficiency = &u, &e
		}
		out = append(out, ps)
	}
	return out
}
