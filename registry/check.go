package registry

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/check"
	"github.com/platypus-tui/platypus/model/fstree"
)

// maxStatement bounds a provenance statement read for provenance.sameSource.
const maxStatement = 16 << 20

// Checker gathers the facts `platypus check`'s rules need beyond an
// index's manifests and configs. What it learns of blobs and base images
// is kept for the next reference of the same run (a repository's tags
// share most of them).
type Checker struct {
	c *Client
	// Resolve turns a base image's name into a reference; nil parses it
	// as docker pull does.
	Resolve func(name string) (model.Reference, error)

	mu    sync.Mutex
	heads map[string]blobAnswer
	bases map[string]check.Base
}

// maxHeadsKept bounds the blob answers a Checker keeps (about 150 bytes
// each).
const maxHeadsKept = 200_000

// blobAnswer is what a HEAD of a blob said.
type blobAnswer struct {
	found  bool
	size   int64  // -1 when the registry did not say
	digest string // Docker-Content-Digest, when sent
}

// NewChecker returns a Checker using c.
func (c *Client) NewChecker() *Checker {
	return &Checker{c: c, heads: map[string]blobAnswer{}, bases: map[string]check.Base{}}
}

// CheckOptions say what Facts gathers.
type CheckOptions struct {
	Needs check.Needs
	// Tree is the index already expanded (children and configs), if the
	// caller has it; else Facts expands r.
	Tree *model.Tree
	// Sources say, by manifest digest, which repository holds a manifest
	// and its blobs when it is not r's: a composer's draft, whose entries
	// are copied into r's repository only when it is pushed.
	Sources map[string]model.Reference
	// Progress, if set, hears how many fetches of how many are done, one
	// call at a time.
	Progress func(done, total int)
}

// Facts gathers what the rules need about r: its expansion (the same
// requests as `inspect --all`), then, as o.Needs says, HEADs of every
// layer (in parallel, within the client's concurrency), the referrers of
// the index and each image, provenance statements, base images and the
// layers themselves. What the registry does not have, or serves otherwise
// than described, is a fact (Facts.Missing); any other failure, such as
// an unreachable registry or a refused login, is the error.
func (k *Checker) Facts(ctx context.Context, r model.Reference, o CheckOptions) (*check.Facts, error) {
	tree := o.Tree
	if tree == nil {
		var err error
		if tree, err = k.c.Expand(ctx, r, ExpandOptions{Children: true, Configs: true}); err != nil {
			return nil, err
		}
	}
	repo := r.RepoOnly()
	where := func(manifest string) model.Reference {
		if src, ok := o.Sources[manifest]; ok {
			return src.RepoOnly()
		}
		return repo
	}
	f := &check.Facts{Tree: tree, Missing: map[string]string{}}
	for d, err := range tree.Errors {
		why, ok := missingWhy(err)
		if !ok {
			return nil, err
		}
		f.Missing[d] = why
	}
	for img, err := range tree.ConfigErrors {
		why, ok := missingWhy(err)
		if !ok {
			return nil, err
		}
		if m := tree.Image(img).Manifest; m != nil && m.Config != nil {
			f.Missing[m.Config.Digest] = why
		}
	}
	imgs := check.Images(tree)
	var layerImgs []check.Image
	if o.Needs.Layers {
		for _, img := range imgs {
			if !slices.ContainsFunc(img.Manifest.Layers, func(l model.Descriptor) bool { _, gone := f.Missing[l.Digest]; return gone }) {
				layerImgs = append(layerImgs, img)
			}
		}
	}
	var blobs []blobAt
	if o.Needs.Blobs {
		// Layers read for their files need no HEAD: the read says as much.
		headImgs := slices.DeleteFunc(slices.Clone(imgs), func(img check.Image) bool {
			return slices.ContainsFunc(layerImgs, func(l check.Image) bool { return l.Manifest == img.Manifest })
		})
		blobs = blobsToHead(tree, headImgs, check.AttestationManifests(tree), f.Missing, where)
	}
	var subjects []string
	if o.Needs.Referrers {
		subjects = append(subjects, tree.Root.Digest)
		for _, img := range imgs {
			if img.Manifest.Digest != tree.Root.Digest {
				subjects = append(subjects, img.Manifest.Digest)
			}
		}
	}
	var baseNames []string
	if o.Needs.Base {
		for _, img := range imgs {
			if img.BaseName != "" && !slices.Contains(baseNames, img.BaseName) {
				baseNames = append(baseNames, img.BaseName)
			}
		}
	}
	prov := 0
	if o.Needs.Provenance {
		prov = len(imgs)
	}
	p := &progress{fn: o.Progress, total: len(blobs) + len(subjects) + len(baseNames) + len(layerImgs) + prov}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	fail := func(err error) {
		if err != nil {
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
		}
	}
	goDo := func(fn func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fail(fn())
		}()
	}
	missing, readMissing := map[string]string{}, map[string]string{}
	goDo(func() error { return k.headBlobs(ctx, blobs, missing, p) })
	goDo(func() error {
		if err := k.referrers(ctx, where, subjects, f, o.Needs.Signatures, p); err != nil {
			return err
		}
		if o.Needs.Provenance {
			return k.provenance(ctx, where, imgs, f, p)
		}
		return nil
	})
	if o.Needs.Base {
		f.Bases = map[string]check.Base{}
		goDo(func() error { return k.readBases(ctx, baseNames, f.Bases, &mu, p) })
	}
	if o.Needs.Layers {
		f.Layers = map[string]check.Layers{}
		goDo(func() error { return k.readLayers(ctx, where, layerImgs, readMissing, f.Layers, &mu, p) })
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, k.c.wrap("check", r, "", err)
	}
	if len(errs) > 0 {
		return nil, errs[0]
	}
	for _, m := range []map[string]string{readMissing, missing} { // a HEAD's answer says it plainest
		for d, why := range m {
			f.Missing[d] = why
		}
	}
	return f, nil
}

// progress counts finished fetches for a callback.
type progress struct {
	mu          sync.Mutex
	fn          func(done, total int)
	done, total int
}

func (p *progress) step() {
	if p.fn == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock() // one call at a time, done rising
	p.done++
	p.fn(p.done, p.total)
}

// missingWhy says why a manifest or config that failed to load is missing,
// or false when the failure says nothing of the content (the registry is
// unreachable, the login refused …).
func missingWhy(err error) (string, bool) {
	switch {
	case errors.Is(err, ErrNotFound), errors.Is(err, fs.ErrNotExist): // the latter: an OCI layout's missing file
		return "the registry does not have it", true
	case errors.Is(err, ErrInvalid):
		msg := ShortError(err)
		// "invalid content from HOST: invalid content: the cause": the cause.
		if rest, ok := strings.CutPrefix(msg, "invalid content from "); ok {
			if _, cause, ok := strings.Cut(rest, ": "); ok {
				msg = cause
			}
		}
		return "not what its descriptor says: " + strings.TrimPrefix(msg, ErrInvalid.Error()+": "), true
	}
	return "", false
}

// blobAt is a blob and the repository that should have it.
type blobAt struct {
	d    model.Descriptor
	repo model.Reference
}

// blobsToHead are the layers of every image and the blobs of every
// attestation, each once, leaving out foreign layers (Docker fetches
// those from their URLs, never from the registry), configs the expansion
// fetched, and what is known gone.
func blobsToHead(tree *model.Tree, imgs []check.Image, attestations []*model.Manifest, gone map[string]string, where func(string) model.Reference) []blobAt {
	seen := map[string]bool{}
	var out []blobAt
	add := func(m *model.Manifest, d model.Descriptor) {
		if seen[d.Digest] || foreignLayer(d.MediaType) || len(d.URLs) > 0 {
			return
		}
		if _, g := gone[d.Digest]; g {
			return
		}
		seen[d.Digest] = true
		out = append(out, blobAt{d, where(m.Digest)})
	}
	for _, img := range imgs {
		for _, l := range img.Manifest.Layers {
			add(img.Manifest, l)
		}
	}
	for _, m := range attestations {
		if m.Config != nil && tree.Configs[m.Digest] == nil {
			add(m, *m.Config)
		}
		for _, l := range m.Layers {
			add(m, l)
		}
	}
	return out
}

// headBlobs asks, in parallel, whether each blob's repository has it as
// described.
func (k *Checker) headBlobs(ctx context.Context, blobs []blobAt, missing map[string]string, p *progress) error {
	answers := make([]blobAnswer, len(blobs))
	errs := make([]error, len(blobs))
	k.c.parallel(ctx, len(blobs), func(i int) {
		answers[i], errs[i] = k.head(ctx, blobs[i].repo, blobs[i].d)
		p.step()
	})
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("head blobs: %w", err)
	}
	for i, b := range blobs {
		if errs[i] != nil {
			return errs[i]
		}
		d, a := b.d, answers[i]
		switch {
		case !a.found:
			missing[d.Digest] = "the registry does not have it"
		case a.size >= 0 && a.size != d.Size:
			missing[d.Digest] = fmt.Sprintf("the registry serves %d bytes, its descriptor says %d", a.size, d.Size)
		case a.digest != "" && a.digest != d.Digest:
			missing[d.Digest] = "the registry serves it as " + model.ShortDigest(a.digest)
		}
	}
	return nil
}

// head asks once per run whether repo has blob d.
func (k *Checker) head(ctx context.Context, repo model.Reference, d model.Descriptor) (blobAnswer, error) {
	key := repo.Repo() + "@" + d.Digest
	k.mu.Lock()
	a, ok := k.heads[key]
	k.mu.Unlock()
	if ok {
		return a, nil
	}
	a, err := k.c.blobHead(ctx, repo, d)
	if err != nil {
		return a, err
	}
	k.mu.Lock()
	if len(k.heads) >= maxHeadsKept {
		clear(k.heads) // a run over a huge repository: start again rather than grow
	}
	k.heads[key] = a
	k.mu.Unlock()
	return a, nil
}

// blobHead asks, without downloading it, whether repo has blob d and at
// what size: a HEAD request, or a stat in an OCI layout.
func (c *Client) blobHead(ctx context.Context, repo model.Reference, d model.Descriptor) (blobAnswer, error) {
	a, err := c.storeOf(repo).headBlob(ctx, repo, d)
	if err != nil {
		return blobAnswer{}, c.wrap("head blob", repo.RepoOnly().WithDigest(d.Digest), "", err)
	}
	return a, nil
}

// referrers lists what refers to each subject, learning the predicate
// types of in-toto referrers that do not say them from their manifests,
// and, when no signature referrer is on the index, looks for cosign's
// signature tag.
func (k *Checker) referrers(ctx context.Context, where func(string) model.Reference, subjects []string, f *check.Facts, sigTag bool, p *progress) error {
	if len(subjects) == 0 {
		return nil
	}
	lists := make([][]check.Referrer, len(subjects))
	errs := make([]error, len(subjects))
	k.c.parallel(ctx, len(subjects), func(i int) {
		defer p.step()
		repo := where(subjects[i])
		ds, err := k.c.Referrers(ctx, repo.WithDigest(subjects[i]))
		if err != nil {
			errs[i] = err
			return
		}
		for _, d := range ds {
			ref := check.Referrer{Descriptor: d, Predicates: check.ReferrerPredicates(d)}
			if ref.NeedsPredicates() {
				if ref.Predicates, err = k.statementPredicates(ctx, repo, d); err != nil {
					errs[i] = err
					return
				}
			}
			lists[i] = append(lists[i], ref)
		}
	})
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("list referrers: %w", err)
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	f.Referrers = map[string][]check.Referrer{}
	for i, s := range subjects {
		f.Referrers[s] = lists[i]
	}
	root := subjects[0]
	if !sigTag || slices.ContainsFunc(f.Referrers[root], check.Referrer.IsSignature) {
		return nil
	}
	f.SignatureTags = map[string]bool{}
	_, err := k.c.Head(ctx, where(root).WithTag(check.SignatureTag(root)))
	switch {
	case err == nil:
		f.SignatureTags[root] = true
	case errors.Is(err, ErrNotFound):
	default:
		return err
	}
	return nil
}

// maxStatementLayers bounds the layers of one referrer read to learn
// what it attests.
const maxStatementLayers = 4

// statementPredicates learns what an in-toto referrer attests from its
// manifest: its layers' annotations, else the statements themselves.
// What the registry lacks is missing-blob's to say: no predicates then.
func (k *Checker) statementPredicates(ctx context.Context, repo model.Reference, d model.Descriptor) ([]string, error) {
	m, err := k.c.Manifest(ctx, repo.WithDigest(d.Digest))
	if err != nil {
		if _, gone := missingWhy(err); gone {
			return nil, nil
		}
		return nil, err
	}
	if preds := check.LayerPredicates(m); len(preds) > 0 {
		return preds, nil
	}
	var out []string
	for _, l := range m.Layers[:min(len(m.Layers), maxStatementLayers)] {
		raw, err := k.c.Blob(ctx, repo, l, maxStatement)
		if err != nil {
			if _, gone := missingWhy(err); gone {
				continue
			}
			return nil, err
		}
		if p, err := check.StatementPredicate(raw); err == nil {
			out = append(out, p)
		}
	}
	return out, nil
}

// provenance reads each image's provenance statement: from its buildx
// attestation, else from a provenance referrer.
func (k *Checker) provenance(ctx context.Context, where func(string) model.Reference, imgs []check.Image, f *check.Facts, p *progress) error {
	f.Provenance = map[string]check.Provenance{}
	var mu sync.Mutex
	errs := make([]error, len(imgs))
	k.c.parallel(ctx, len(imgs), func(i int) {
		defer p.step()
		pv, ok, err := k.provenanceOf(ctx, where(imgs[i].Manifest.Digest), imgs[i], f.Referrers)
		errs[i] = err
		if ok {
			mu.Lock()
			f.Provenance[imgs[i].Manifest.Digest] = pv
			mu.Unlock()
		}
	})
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("read provenance: %w", err)
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func (k *Checker) provenanceOf(ctx context.Context, repo model.Reference, img check.Image, refs map[string][]check.Referrer) (check.Provenance, bool, error) {
	read := func(d model.Descriptor, from string) (check.Provenance, bool, error) {
		raw, err := k.c.Blob(ctx, repo, d, maxStatement)
		if err != nil {
			if _, gone := missingWhy(err); gone {
				return check.Provenance{}, false, nil // missing-blob says so
			}
			return check.Provenance{}, false, err
		}
		pv, err := check.ParseProvenance(raw)
		if err != nil {
			return check.Provenance{From: from}, true, nil //nolint:nilerr // a provenance naming nothing is a finding
		}
		pv.From = from
		return pv, true, nil
	}
	for _, a := range img.Attestations {
		for _, l := range check.ProvenanceLayers(a) {
			return read(l, "attestation "+model.ShortDigest(a.Digest))
		}
	}
	for _, ref := range refs[img.Manifest.Digest] {
		if !slices.ContainsFunc(ref.Predicates, check.IsProvenance) {
			continue
		}
		m, err := k.c.Manifest(ctx, repo.WithDigest(ref.Digest))
		if err != nil {
			if _, gone := missingWhy(err); gone {
				continue
			}
			return check.Provenance{}, false, err
		}
		for _, l := range m.Layers {
			return read(l, "referrer "+model.ShortDigest(ref.Digest))
		}
	}
	return check.Provenance{}, false, nil
}

// readBases expands each base image once per run.
func (k *Checker) readBases(ctx context.Context, names []string, out map[string]check.Base, mu *sync.Mutex, p *progress) error {
	for _, name := range names {
		b, err := k.base(ctx, name)
		p.step()
		if err != nil {
			return err
		}
		mu.Lock()
		out[name] = b
		mu.Unlock()
	}
	return nil
}

func (k *Checker) base(ctx context.Context, name string) (check.Base, error) {
	k.mu.Lock()
	b, ok := k.bases[name]
	k.mu.Unlock()
	if ok {
		return b, nil
	}
	resolve := k.Resolve
	if resolve == nil {
		resolve = model.ParseReference
	}
	r, err := resolve(name)
	if err != nil {
		b = check.Base{Missing: "not a reference: " + model.Clean(err.Error())}
	} else {
		b.Ref = r.Pullable().String()
		tree, err := k.c.Expand(ctx, r.Pullable(), ExpandOptions{Children: true})
		if err == nil && !tree.Root.IsIndex() && tree.Root.Config != nil {
			var cfg *model.Config
			if cfg, err = k.c.Config(ctx, r, *tree.Root.Config); err == nil {
				tree.Configs[tree.Root.Digest] = cfg
			}
		}
		switch why, gone := missingWhy(err); {
		case err == nil:
			b.Tree = tree
		case gone:
			b.Missing = why
		default:
			return check.Base{}, err
		}
	}
	k.mu.Lock()
	k.bases[name] = b
	k.mu.Unlock()
	return b, nil
}

// readLayers reads every layer of each image for dive's measures, a few
// streams at a time (a layer shared by images is read once). A layer the
// registry lacks, or serves with another digest or size, is a fact for
// missing-blob (a HEAD cannot tell a wrong digest), and that image gets no
// measure.
func (k *Checker) readLayers(ctx context.Context, where func(string) model.Reference, imgs []check.Image, missing map[string]string, layersOut map[string]check.Layers, mu *sync.Mutex, p *progress) error {
	for _, img := range imgs {
		repo := where(img.Manifest.Digest).WithDigest(img.Manifest.Digest)
		ls := img.Manifest.Layers
		layers := make([]fstree.Layer, len(ls))
		errs := make([]error, len(ls))
		parallelN(ctx, len(ls), min(maxLayerStreams, k.c.opts.concurrency), func(i int) {
			layers[i], errs[i] = k.c.Layer(ctx, repo, ls[i], i, LayerOptions{})
		})
		p.step()
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("read layers: %w", err)
		}
		complete := true
		for i, err := range errs {
			if err == nil {
				continue
			}
			why, gone := missingWhy(err)
			if !gone {
				return fmt.Errorf("layer %d: %w", i, err)
			}
			mu.Lock()
			missing[ls[i].Digest] = why
			mu.Unlock()
			complete = false
		}
		if !complete {
			continue
		}
		waste := fstree.Efficiency(layers)
		var unpacked int64
		for _, l := range layers {
			unpacked += l.Uncompressed
		}
		mu.Lock()
		layersOut[img.Manifest.Digest] = check.Layers{Uncompressed: unpacked, Wasted: waste.Wasted, Efficiency: waste.Efficiency}
		mu.Unlock()
	}
	return nil
}
