package registry

import (
	"context"
	"crypto/sha256"
	"io"
	"sync"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
)

// ResolveFile is the file a container of img opening path p reads, as
// fstree.Resolve over the image's layers finds it. A layer whose listing
// the disk cache keeps by directory is read only in the directories the
// path needs (one file of a layer of millions costs the directories on
// its way); the others are read as Layer reads them. heads are the
// image's layers' fields, without their records where they were read in
// part: for what the caller says of them (a table of contents not
// believed), not to be merged.
func (c *Client) ResolveFile(ctx context.Context, img *Image, p string, o LayerOptions) (e fstree.Entry, heads []fstree.Layer, err error) {
	if o.Limits == (fstree.Limits{}) {
		o.Limits = c.opts.limits.layerLimits()
	}
	m := img.Manifest
	kept := make([]*dirListing, len(m.Layers))
	skip := make([]bool, len(m.Layers))
	for i, d := range m.Layers {
		x := c.keptDirListing(d, o.Limits)
		if x != nil && o.Verify && x.layer.TOCRejected != "" {
			x.close() // Layer fails --verify for it: read it so
			x = nil
		}
		if kept[i] = x; x != nil {
			skip[i] = true
			defer x.close()
		}
	}
	whole, err := c.imageLayers(ctx, img, o, skip)
	if err != nil {
		return fstree.Entry{}, nil, err
	}
	st := &partStack{kept: kept, whole: whole, blocks: make([][]uint32, len(m.Layers))}
	st.read = func(i int, why error) (fstree.Layer, error) {
		if why != nil {
			c.opts.logger.Debug("a listing by directory is not used", "digest", m.Layers[i].Digest, "error", why.Error())
			c.cache.disk.dropDerived(dirListingKind, m.Layers[i].Digest)
		}
		return c.Layer(ctx, img.Ref, m.Layers[i], i, o)
	}
	layers, err := st.build()
	if err != nil {
		return fstree.Entry{}, nil, err
	}
	e, err = fstree.ResolveLoading(layers, p, st.load)
	if st.err != nil {
		return fstree.Entry{}, nil, st.err // a layer could not be read
	}
	heads = make([]fstree.Layer, len(layers))
	for i, l := range layers {
		heads[i] = fstree.Layer{Index: l.Index, Digest: l.Digest, Uncompressed: l.Uncompressed, UncompressedEstimated: l.UncompressedEstimated,
			Source: l.Source, TOCVerified: l.TOCVerified, TOCRejected: l.TOCRejected}
		if kept[i] == nil {
			heads[i] = whole[i]
		}
	}
	if err == nil && kept[e.Layer] != nil {
		c.keepPartial(m.Layers[e.Layer], kept[e.Layer], st.built[e.Layer], st.blocks[e.Layer])
	}
	if st.partial > 0 {
		c.opts.logger.Debug("looked for "+model.Clean(p)+" in listings read in part", "layers", st.partial, "directories", st.dirs, "frames", st.frames)
	}
	return e, heads, err
}

// partStack is an image's layers as ResolveFile reads them: whole, or
// from listings kept by directory, read in part.
type partStack struct {
	kept   []*dirListing // nil where the layer is whole
	whole  []fstree.Layer
	blocks [][]uint32     // the partial layers' files' places
	built  []fstree.Layer // the layers last built
	// read reads layer i whole, as a listing in part would not do (why:
	// its fault, or nil when every record is asked for).
	read func(i int, why error) (fstree.Layer, error)
	// What was read in part: layers, directories and frames.
	partial, dirs, frames int
	err                   error // a layer's read's failure
}

// build is the layers as they stand.
func (s *partStack) build() ([]fstree.Layer, error) {
	out := make([]fstree.Layer, len(s.whole))
	s.partial = 0
	for i := range out {
		if s.kept[i] != nil {
			l, b, err := s.kept[i].partial(i)
			if err == nil {
				out[i], s.blocks[i] = l, b
				s.partial++
				continue
			}
			if err := s.readWhole(i, err); err != nil {
				return nil, err
			}
		}
		out[i] = s.whole[i]
	}
	s.built = out
	return out, nil
}

// load is fstree.ResolveLoading's: the directories dirs read too, or
// every layer whole for dirs nil.
func (s *partStack) load(dirs []string) ([]fstree.Layer, error) {
	for i, x := range s.kept {
		if x == nil {
			continue
		}
		var why error
		if dirs != nil {
			why = x.load(dirs)
		}
		if dirs == nil || why != nil {
			if err := s.readWhole(i, why); err != nil {
				return nil, err
			}
		}
	}
	s.dirs, s.frames = 0, 0
	for _, x := range s.kept {
		if x != nil {
			s.dirs, s.frames = s.dirs+len(x.loaded), s.frames+x.framesRead
		}
	}
	return s.build()
}

func (s *partStack) readWhole(i int, why error) error {
	l, err := s.read(i, why)
	if err != nil {
		s.err = err
		return err
	}
	s.kept[i], s.whole[i] = nil, l
	return nil
}

// keptDirListing is the listing by directory the disk cache keeps for
// layer d, its header read; nil if there is none, or it is not whole.
func (c *Client) keptDirListing(d model.Descriptor, lim fstree.Limits) *dirListing {
	if c.cache.disk == nil {
		return nil
	}
	if _, _, read := c.layers.listing(d.Digest); read {
		return nil // in memory, whole
	}
	f, size, ok := c.cache.disk.openDerived(dirListingKind, d.Digest, maxListing)
	if !ok {
		return nil
	}
	x, err := readDirListing(io.NewSectionReader(f, sha256.Size, size), size, d, lim)
	if err != nil {
		_ = f.Close()
		// Dropped, it is kept again when the whole listing is read.
		c.opts.logger.Debug("a listing by directory is not used", "digest", d.Digest, "error", err.Error())
		c.cache.disk.dropDerived(dirListingKind, d.Digest)
		return nil
	}
	x.closer = f
	return x
}

// keepPartial keeps l, the partial layer of layer d read from x, with
// its files' places and checkpoints, for reading a file of it (fileAt).
func (c *Client) keepPartial(d model.Descriptor, x *dirListing, l fstree.Layer, blocks []uint32) {
	if !x.indexed {
		return // the file is streamed
	}
	ix := &fileIndex{blocks: blocks}
	var err error
	if ix.points, err = x.checkpoints(d); err != nil {
		c.opts.logger.Debug("a listing's checkpoints are not used", "digest", d.Digest, "error", err.Error())
		// Dropped, it is kept again from the whole listing (cachedListing)
		// rather than failing so on every run.
		c.cache.disk.dropDerived(dirListingKind, d.Digest)
		return
	}
	c.partials.put(d.Digest, l, ix)
}

// partialLayers are layers read in part, by digest: the last few.
type partialLayers struct {
	mu     sync.Mutex
	layers map[string]partialLayer
}

type partialLayer struct {
	layer fstree.Layer
	ix    *fileIndex
}

// maxPartials bounds the partial layers kept.
const maxPartials = 8

func (p *partialLayers) put(digest string, l fstree.Layer, ix *fileIndex) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.layers == nil || len(p.layers) >= maxPartials {
		p.layers = map[string]partialLayer{}
	}
	p.layers[digest] = partialLayer{l, ix}
}

// get is the partial layer kept for digest if it holds every record of
// path p's directory.
func (p *partialLayers) get(digest, path string) (fstree.Layer, *fileIndex, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pl, ok := p.layers[digest]
	dir, _ := splitRecordPath(path)
	if !ok || !pl.layer.Loaded(dir) {
		return fstree.Layer{}, nil, false
	}
	return pl.layer, pl.ix, true
}

func (p *partialLayers) drop(digest string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.layers, digest)
}
