// Package layertest builds random stacks of image layers and asks the
// reference implementations what a container sees of them: Docker's layer
// applier (github.com/moby/go-archive, the logic containerd's native
// applier shares), the Linux kernel's overlayfs over layers unpacked as
// Docker's overlay2 driver unpacks them, and go-containerregistry's
// mutate.Extract (crane export). Tests hold platypus's merge to them.
// It does not import fstree: fstree's own tests use it.
package layertest

import (
	"archive/tar"
	"bytes"
	"fmt"
	"math/rand/v2"
	"path"
	"strings"
)

// Item is one record of a layer's tar, as a tool wrote it.
type Item struct {
	Name   string // as the header has it: "./a", "/a", "a/", ".wh.b"…
	Type   byte   // tar.TypeReg, TypeDir, TypeSymlink or TypeLink
	Body   string
	Link   string
	Mode   int64
	Format tar.Format
}

// Clean is the item's path, relative, without "./", "/" or a trailing
// "/" ("" for the root).
func (it Item) Clean() string {
	return strings.TrimPrefix(path.Clean("/"+it.Name), "/")
}

// Layer is a layer's records, in order.
type Layer []Item

// Stack is an image's layers, base first.
type Stack []Layer

// Tar is the layer's tar stream.
func (l Layer) Tar() ([]byte, error) {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, it := range l {
		h := &tar.Header{Name: it.Name, Typeflag: it.Type, Linkname: it.Link, Mode: it.Mode, Format: it.Format}
		if it.Type == tar.TypeReg {
			h.Size = int64(len(it.Body))
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, fmt.Errorf("%q: %w", it.Name, err)
		}
		if _, err := tw.Write([]byte(it.Body)); err != nil {
			return nil, fmt.Errorf("%q: %w", it.Name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("closing the tar: %w", err)
	}
	return b.Bytes(), nil
}

// Tars are every layer's tar stream.
func (s Stack) Tars() ([][]byte, error) {
	out := make([][]byte, len(s))
	for i, l := range s {
		var err error
		if out[i], err = l.Tar(); err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
	}
	return out, nil
}

func (s Stack) String() string {
	var b strings.Builder
	for i, l := range s {
		fmt.Fprintf(&b, "layer %d:", i)
		for _, it := range l {
			switch it.Type {
			case tar.TypeDir:
				fmt.Fprintf(&b, " %q(dir %o)", it.Name, it.Mode)
			case tar.TypeSymlink:
				fmt.Fprintf(&b, " %q->%q", it.Name, it.Link)
			case tar.TypeLink:
				fmt.Fprintf(&b, " %q=>%q(%o)", it.Name, it.Link, it.Mode)
			default:
				body := it.Body
				if len(body) > 12 {
					body = fmt.Sprintf("%s…(%d bytes)", body[:12], len(body))
				}
				fmt.Fprintf(&b, " %q=%q(%o)", it.Name, body, it.Mode)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// Names: directories (and files, to change type) are named from dirNames;
// leafNames are never directories, so nothing is put under a symbolic
// link (which extraction would follow: see Random). long makes names past
// tar's 100 bytes, written as PAX or GNU long names.
var (
	long      = strings.Repeat("long", 26) + "-name"
	dirNames  = []string{"a", "b", "a-b", "é", long}
	leafNames = []string{"x", "y", "h"}
)

// Random builds 1 to 4 layers of a few records each: files, directories,
// symbolic and hard links (within a layer and to the layers below),
// whiteouts and opaque markers anywhere, the root too, parents written or
// left implied, a path written twice in a layer (maybe as another type),
// files becoming directories and back across layers, names with "./" or
// "/", PAX, GNU and USTAR headers. It leaves out what the references make
// fail or answer by the order of records rather than by the rules: a
// layer whiting out what it holds itself, anything put under a symbolic
// link (extraction follows it: only the top layer's last record turns a
// directory into a link), a directory record replaced later in its own
// layer (Docker's and containerd's appliers set directory times last and
// fail the layer then).
func Random(r *rand.Rand) Stack {
	var s Stack
	n := 1 + r.IntN(4)
	kinds := map[string]bool{}
	links := map[string]dirLink{}
	for pos := range n {
		s = append(s, randomLayer(r, s, kinds, links, pos, pos == n-1))
	}
	return s
}

var (
	fileModes = []int64{0o644, 0o755, 0o600, 0o4755, 0o444}
	dirModes  = []int64{0o755, 0o700, 0o775, 0o1777}
)

type layerGen struct {
	r      *rand.Rand
	l      Layer
	holds  map[string]bool // paths the layer holds, and their parents
	whited map[string]bool // paths the layer whites out
	files  []Item          // the layer's files so far
	// kinds is, roughly, whether each path of the stack so far is a
	// directory: enough to write a directory where a file was before
	// putting something under it (mine: what this layer wrote).
	kinds, mine map[string]bool
	// links are the stack's links to directories so far (see
	// makeDirLink); pos is the layer's place.
	links map[string]dirLink
	pos   int
}

func randomLayer(r *rand.Rand, below Stack, kinds map[string]bool, links map[string]dirLink, pos int, top bool) Layer {
	g := &layerGen{r: r, holds: map[string]bool{}, whited: map[string]bool{}, kinds: kinds, mine: map[string]bool{}, links: links, pos: pos}
	for range 2 + r.IntN(10) {
		switch k := r.IntN(100); {
		case k < 6:
			g.makeDirLink()
		case k < 12:
			g.throughLink()
		case k < 22:
			g.whiteout()
		case k < 29:
			g.opaque()
		case k < 38:
			g.hardlink(below)
		case k < 44:
			g.symlink(false)
		case k < 51:
			g.again()
		default:
			g.fileOrDir()
		}
	}
	if top && r.IntN(3) == 0 {
		g.symlink(true) // last: nothing is put under it
	}
	return g.l
}

// dir is a random directory path, "" for the root.
func (g *layerGen) dir(most int) string {
	parts := make([]string, g.r.IntN(most+1))
	for i := range parts {
		parts[i] = dirNames[g.r.IntN(len(dirNames))]
	}
	return strings.Join(parts, "/")
}

func isLeaf(p string) bool {
	for _, n := range leafNames {
		if path.Base(p) == n {
			return true
		}
	}
	return false
}

func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// spelled is p as some tool writes it.
func (g *layerGen) spelled(p string, dir bool) string {
	switch g.r.IntN(6) {
	case 0:
		p = "./" + p
	case 1:
		p = "/" + p
	}
	if dir && g.r.IntN(2) == 0 {
		p += "/"
	}
	return p
}

func (g *layerGen) format(name string, link ...string) tar.Format {
	ascii, short := true, len(name) <= 100
	for _, s := range append(link, name) {
		for _, c := range s {
			ascii = ascii && c < 0x80
		}
		short = short && len(s) <= 100
	}
	if !short || !ascii {
		return []tar.Format{tar.FormatPAX, tar.FormatGNU}[g.r.IntN(2)]
	}
	return []tar.Format{tar.FormatUnknown, tar.FormatPAX, tar.FormatGNU, tar.FormatUSTAR}[g.r.IntN(4)]
}

// blocked tells whether the layer whites out p or a directory above it.
func (g *layerGen) blocked(p string) bool {
	for d := p; ; d = path.Dir(d) {
		if g.whited[d] {
			return true
		}
		if !strings.Contains(d, "/") {
			return false
		}
	}
}

// underFile tells whether a directory above p is not one: the layer
// wrote it so (an error to put anything under), or a layer below did
// (then a directory must replace it first).
func (g *layerGen) underFile(p string) (mine, below bool) {
	for d := path.Dir(p); d != "."; d = path.Dir(d) {
		if dir, ok := g.kinds[d]; ok && !dir {
			if g.mine[d] {
				return true, false
			}
			below = true
		}
	}
	return false, below
}

// holdParents notes the directories above p as the layer's.
func (g *layerGen) holdParents(p string) {
	for d := path.Dir(strings.TrimPrefix(path.Clean("/"+p), "/")); d != "."; d = path.Dir(d) {
		g.holds[d] = true
	}
}

// replacesDir tells whether a non-directory at p would replace a
// directory this layer wrote, or what it put under one.
func (g *layerGen) replacesDir(p string) bool {
	if g.mine[p] && g.kinds[p] {
		return true
	}
	for h := range g.holds {
		if strings.HasPrefix(h, p+"/") {
			return true
		}
	}
	return false
}

// add appends an item at clean path p, with its parents (written, or
// left implied).
func (g *layerGen) add(p string, it Item) {
	mine, below := g.underFile(p)
	if mine || (it.Type != tar.TypeDir && g.replacesDir(p)) {
		return
	}
	parents := below || g.r.IntN(10) < 7
	parts := strings.Split(p, "/")
	for i := 1; i < len(parts); i++ {
		d := strings.Join(parts[:i], "/")
		if !g.holds[d] && parents {
			mode := dirModes[g.r.IntN(len(dirModes))]
			name := g.spelled(d, true)
			g.l = append(g.l, Item{Name: name, Type: tar.TypeDir, Mode: mode, Format: g.format(name)})
			g.kinds[d], g.mine[d] = true, true
		}
		g.holds[d] = true
	}
	g.holds[p] = true
	g.kinds[p], g.mine[p] = it.Type == tar.TypeDir, true
	it.Format = g.format(it.Name, it.Link)
	g.l = append(g.l, it)
	if it.Type == tar.TypeReg {
		g.files = append(g.files, it)
	}
}

func (g *layerGen) fileOrDir() {
	p := join(g.dir(2), dirNames[g.r.IntN(len(dirNames))])
	if g.r.IntN(3) == 0 {
		p = join(g.dir(2), leafNames[g.r.IntN(len(leafNames))])
	}
	if g.blocked(p) {
		return
	}
	if !isLeaf(p) && g.r.IntN(3) == 0 {
		g.add(p, Item{Name: g.spelled(p, true), Type: tar.TypeDir, Mode: dirModes[g.r.IntN(len(dirModes))]})
		return
	}
	g.add(p, Item{Name: g.spelled(p, false), Type: tar.TypeReg, Body: g.body(), Mode: fileModes[g.r.IntN(len(fileModes))]})
}

func (g *layerGen) body() string {
	switch g.r.IntN(10) {
	case 0:
		return ""
	case 1:
		return strings.Repeat(fmt.Sprint(g.r.IntN(10)), 3000+g.r.IntN(3000))
	}
	return fmt.Sprintf("%d\n", g.r.IntN(1000))
}

func (g *layerGen) whiteout() {
	p := join(g.dir(2), append(dirNames, leafNames...)[g.r.IntN(len(dirNames)+len(leafNames))])
	for h := range g.holds {
		if h == p || strings.HasPrefix(h, p+"/") {
			return
		}
	}
	if mine, below := g.underFile(p); mine || below {
		return
	}
	g.whited[p] = true
	for k := range g.kinds {
		if k == p || strings.HasPrefix(k, p+"/") {
			delete(g.kinds, k)
		}
	}
	for k := range g.links {
		if k == p || strings.HasPrefix(k, p+"/") {
			delete(g.links, k)
		}
	}
	g.holdParents(p) // unpacking the whiteout makes them
	dir, base := path.Split(p)
	name := g.spelled(dir+".wh."+base, false)
	g.l = append(g.l, Item{Name: name, Type: tar.TypeReg, Mode: 0o644, Format: g.format(name)})
	switch k := g.r.IntN(12); {
	case k == 0 && !isLeaf(p): // made again, a directory (see OrderMatters)
		g.add(p, Item{Name: g.spelled(p, true), Type: tar.TypeDir, Mode: dirModes[g.r.IntN(len(dirModes))]})
		if g.kinds[p] {
			q := join(p, leafNames[g.r.IntN(len(leafNames))])
			g.add(q, Item{Name: g.spelled(q, false), Type: tar.TypeReg, Body: g.body(), Mode: fileModes[g.r.IntN(len(fileModes))]})
		}
	case k == 1: // made again, a file
		g.add(p, Item{Name: g.spelled(p, false), Type: tar.TypeReg, Body: g.body(), Mode: fileModes[g.r.IntN(len(fileModes))]})
	}
}

func (g *layerGen) opaque() {
	d := g.dir(2)
	if d == "" && g.r.IntN(2) == 0 {
		d = dirNames[g.r.IntN(len(dirNames))] // the root a sixth of the time
	}
	if d != "" && g.blocked(d) {
		return
	}
	if dir, ok := g.kinds[d]; d != "" && ok && !dir {
		return
	}
	if mine, below := g.underFile(join(d, "x")); mine || below {
		return
	}
	name := join(d, ".wh..wh..opq")
	if d == "" && g.r.IntN(2) == 0 {
		name = "./.wh..wh..opq"
	} else if d != "" {
		name = g.spelled(name, false)
		g.holdParents(name) // unpacking the marker makes them
	}
	it := Item{Name: name, Type: tar.TypeReg, Mode: 0o644, Format: g.format(name)}
	// Often first, as layers write them (the OCI spec asks whiteouts
	// before their siblings), else where it falls.
	if g.r.IntN(2) == 0 {
		g.l = append(Layer{it}, g.l...)
	} else {
		g.l = append(g.l, it)
	}
}

// hardlink links to a file of the layer so far or of the layer below,
// with the mode its last record there has (as a tool writing both from
// one inode writes them) or another: extraction sets a hard link's mode
// on the inode it shares.
func (g *layerGen) hardlink(below Stack) {
	from, fromBelow := g.l, false
	if len(g.files) == 0 || (len(below) > 0 && g.r.IntN(3) == 0) {
		if len(below) == 0 {
			return
		}
		from, fromBelow = below[len(below)-1], true
	}
	var pool []Item
	for _, it := range from {
		if it.Type == tar.TypeReg && !strings.HasPrefix(path.Base(it.Clean()), ".wh.") {
			pool = append(pool, it)
		}
	}
	if len(pool) == 0 {
		return
	}
	tp := pool[g.r.IntN(len(pool))].Clean()
	var target Item
	for _, it := range from {
		if it.Clean() == tp {
			target = it
		}
	}
	if dir, ok := g.kinds[tp]; !ok || dir || target.Type != tar.TypeReg || (fromBelow && g.mine[tp]) {
		return // gone, not a file any more, or rewritten since
	}
	p := join(g.dir(2), leafNames[g.r.IntN(len(leafNames))])
	if p == tp || g.blocked(p) || g.blocked(tp) {
		return
	}
	link := tp
	if g.r.IntN(4) == 0 {
		link = "./" + tp
	}
	mode := target.Mode
	if g.r.IntN(3) == 0 {
		mode = fileModes[g.r.IntN(len(fileModes))]
	}
	g.add(p, Item{Name: g.spelled(p, false), Type: tar.TypeLink, Link: link, Mode: mode})
}

// symlink puts a link at a leaf name, or, as the top layer's last record,
// where a directory may be.
func (g *layerGen) symlink(last bool) {
	name := leafNames[g.r.IntN(len(leafNames))]
	if last {
		name = dirNames[g.r.IntN(len(dirNames))]
	}
	p := join(g.dir(2), name)
	if g.blocked(p) {
		return
	}
	target := join(g.dir(1), append(dirNames, leafNames...)[g.r.IntN(len(dirNames)+len(leafNames))])
	if g.r.IntN(2) == 0 {
		target = "/" + target
	}
	g.add(p, Item{Name: g.spelled(p, false), Type: tar.TypeSymlink, Link: target, Mode: 0o777})
}

// again writes a path the layer holds a second time: a file with other
// bytes or mode, a directory as a file, a file as a directory.
func (g *layerGen) again() {
	var pool []Item
	for _, it := range g.l {
		if it.Type != tar.TypeLink && !strings.HasPrefix(path.Base(it.Clean()), ".wh.") && it.Clean() != "" {
			pool = append(pool, it)
		}
	}
	if len(pool) == 0 {
		return
	}
	old := pool[g.r.IntN(len(pool))]
	p := old.Clean()
	delete(g.links, p)
	if old.Type == tar.TypeDir || (!isLeaf(p) && g.r.IntN(3) == 0) {
		g.add(p, Item{Name: g.spelled(p, true), Type: tar.TypeDir, Mode: dirModes[g.r.IntN(len(dirModes))]})
		return
	}
	g.add(p, Item{Name: g.spelled(p, false), Type: tar.TypeReg, Body: g.body(), Mode: fileModes[g.r.IntN(len(fileModes))]})
}

// OrderMatters tells a stack where Docker's applier, applying records in
// order to the merged tree, differs from overlayfs: a
// non-directory then a directory of one path in a layer (a whiteout
// too), an opaque marker after a directory its layer made only as a
// parent under it, or after a record its layer wrote through a link of
// its own (the applier keeps what it wrote by the path as written).
func OrderMatters(s Stack) bool {
	for _, l := range s {
		if opaqueAfterLinked(l) {
			return true
		}
		nondir := map[string]bool{}
		written := map[string]bool{} // directories the layer wrote
		var implied []string         // directories it made as parents
		imply := func(p string) {
			for d := path.Dir(p); d != "."; d = path.Dir(d) {
				if !written[d] {
					implied = append(implied, d)
				}
			}
		}
		for _, it := range l {
			p := it.Clean()
			base := path.Base(p)
			switch {
			case base == ".wh..wh..opq":
				d := strings.TrimSuffix(strings.TrimSuffix(p, base), "/")
				for _, q := range implied {
					if d == "" || strings.HasPrefix(q, d+"/") {
						return true
					}
				}
				imply(p)
			case strings.HasPrefix(base, ".wh."):
				imply(p)
				nondir[path.Join(path.Dir(p), strings.TrimPrefix(base, ".wh."))] = true
			default:
				if it.Type == tar.TypeDir && nondir[p] {
					return true
				}
				nondir[p] = it.Type != tar.TypeDir
				written[p] = it.Type == tar.TypeDir
				imply(p)
			}
		}
	}
	return false
}
