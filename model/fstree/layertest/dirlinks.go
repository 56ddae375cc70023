package layertest

import (
	"archive/tar"
	"path"
	"slices"
	"strings"
)

// Symbolic links to directories, and records written through them: `bin
// -> usr/bin` then `bin/foo`, as merged-/usr images and the tools that add
// to them write. Within a layer every applier follows the link; through a
// lower layer's link Docker's applier follows it and overlayfs does not
// (the layer, unpacked alone, gets a directory of its own there).

// linkNames name links to directories and nothing else.
var linkNames = []string{"l", "m"}

// dirLink is a link to a directory: the directory it reaches (clean; ""
// when it never does: a loop), and the layer that made it.
type dirLink struct {
	to    string
	layer int
}

// makeDirLink puts a link to a directory at a link name: relative,
// absolute, climbing past the root (which the appliers stop at or
// refuse), to another link, rarely in a loop.
func (g *layerGen) makeDirLink() {
	p := join(g.dir(1), linkNames[g.r.IntN(len(linkNames))])
	if g.blocked(p) {
		return
	}
	if mine, below := g.underFile(p); mine || below {
		return
	}
	if dir, ok := g.kinds[p]; ok && dir {
		return
	}
	up := strings.Repeat("../", strings.Count(p, "/"))
	var to, target string
	switch k := g.r.IntN(20); {
	case k == 0: // a loop: nothing written through it lands anywhere
		d := path.Dir(p)
		if d == "." {
			d = ""
		}
		other := join(d, linkNames[0])
		if _, ok := g.kinds[other]; ok || other == p || g.blocked(other) {
			return
		}
		g.put(other, Item{Name: g.spelled(other, false), Type: tar.TypeSymlink, Link: path.Base(p), Mode: 0o777})
		g.links[other] = dirLink{layer: g.pos}
		target = path.Base(p)
	case k < 5 && len(g.links) > 0: // to another link
		names := sortedKeys(g.links)
		other := names[g.r.IntN(len(names))]
		if other == p {
			return
		}
		to, target = g.links[other].to, up+other
		if g.r.IntN(2) == 0 {
			target = "/" + other
		}
	default:
		to = g.targetDir()
		if to == "" {
			return
		}
		switch g.r.IntN(8) {
		case 0, 1:
			target = "/" + to
		case 2:
			target = up + "../../" + to // past the root (moby refuses to follow)
		default:
			target = up + to
		}
	}
	g.put(p, Item{Name: g.spelled(p, false), Type: tar.TypeSymlink, Link: target, Mode: 0o777})
	g.links[p] = dirLink{to: to, layer: g.pos}
	if to != "" && g.kinds[to] && !g.blocked(to) && g.r.IntN(2) == 0 {
		g.writeThrough(p, to, leafNames[g.r.IntN(len(leafNames))]) // often right away
	}
}

// targetDir is a directory of the stack so far, or one this layer makes.
func (g *layerGen) targetDir() string {
	var dirs []string
	for _, p := range sortedKeys(g.kinds) {
		if g.kinds[p] && !g.blocked(p) {
			dirs = append(dirs, p)
		}
	}
	if len(dirs) > 0 && g.r.IntN(3) > 0 {
		return dirs[g.r.IntN(len(dirs))]
	}
	d := join(g.dir(1), dirNames[g.r.IntN(len(dirNames))])
	if g.blocked(d) {
		return ""
	}
	if dir, ok := g.kinds[d]; ok && !dir {
		return ""
	}
	g.add(d, Item{Name: g.spelled(d, true), Type: tar.TypeDir, Mode: dirModes[g.r.IntN(len(dirModes))]})
	if !g.kinds[d] {
		return "" // add refused it
	}
	return d
}

// throughLink writes a file, a whiteout or an opaque marker through a
// link to a directory, of this layer or a lower one.
func (g *layerGen) throughLink() {
	names := sortedKeys(g.links)
	if len(names) == 0 {
		return
	}
	l := names[g.r.IntN(len(names))]
	link := g.links[l]
	name := leafNames[g.r.IntN(len(leafNames))]
	if link.layer < g.pos {
		// Unpacked alone, the layer makes l a directory (see above).
		if g.blocked(l) || g.mine[l] {
			return
		}
		g.kinds[l], g.mine[l] = true, true
		g.holdParents(l + "/x")
		delete(g.links, l)
		g.writeThrough(l, l, name)
		return
	}
	if link.to == "" || g.blocked(link.to) || !g.kinds[link.to] {
		g.writeThrough(l, "", name) // a loop: the appliers refuse it
		return
	}
	g.writeThrough(l, link.to, name)
}

// writeThrough writes l/name, which lands at dir/name ("" for nowhere).
func (g *layerGen) writeThrough(l, dir, name string) {
	landed := join(dir, name)
	if dir != "" {
		if _, ok := g.kinds[landed]; ok || g.blocked(landed) {
			return // written before: keep to new paths
		}
	}
	var it Item
	switch k := g.r.IntN(10); {
	case k == 0 && dir != "":
		it = Item{Name: g.spelled(l+"/.wh..wh..opq", false), Type: tar.TypeReg, Mode: 0o644}
		for _, p := range sortedKeys(g.kinds) {
			if strings.HasPrefix(p, dir+"/") && !g.mine[p] {
				delete(g.kinds, p)
			}
		}
		landed = ""
	case k < 3 && dir != "":
		it = Item{Name: g.spelled(l+"/.wh."+name, false), Type: tar.TypeReg, Mode: 0o644}
		g.whited[landed] = true
		landed = ""
	default:
		it = Item{Name: g.spelled(l+"/"+name, false), Type: tar.TypeReg, Body: g.body(), Mode: fileModes[g.r.IntN(len(fileModes))]}
	}
	it.Format = g.format(it.Name)
	g.l = append(g.l, it)
	if landed != "" {
		g.kinds[landed], g.mine[landed] = false, true
		g.holds[landed] = true
		g.holdParents(landed)
	}
}

// put appends a link item at p, as the layer's own non-directory.
func (g *layerGen) put(p string, it Item) {
	it.Format = g.format(it.Name, it.Link)
	g.l = append(g.l, it)
	g.holdParents(p)
	g.holds[p] = true
	g.kinds[p], g.mine[p] = false, true
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// ThroughLinks tells whether a record of s is written through a symbolic
// link: one of its own layer (every applier follows it; crane export
// does not), or one of a lower layer (Docker's applier follows it,
// overlayfs does not). Lower links are any a lower layer wrote, to err on
// the side of saying so.
func ThroughLinks(s Stack) (own, lower bool) {
	below := map[string]bool{}
	for _, l := range s {
		mine := map[string]string{}
		through := func(p string) {
			resolved, crossed := resolve(mine, p)
			own = own || crossed
			for d := resolved; d != "" && d != "."; d = path.Dir(d) {
				lower = lower || below[d]
			}
		}
		for _, it := range l {
			p := it.Clean()
			base := path.Base(p)
			dir := path.Dir(p)
			if dir == "." {
				dir = ""
			}
			if base == ".wh..wh..opq" {
				through(dir)
				continue
			}
			through(dir)
			if it.Type == tar.TypeLink {
				through(path.Dir(Item{Name: it.Link}.Clean()))
			}
			if resolved, _ := resolve(mine, dir); resolved != "" {
				p = resolved + "/" + base
			}
			if it.Type == tar.TypeSymlink {
				mine[p] = it.Link
			} else {
				delete(mine, p)
			}
		}
		for _, it := range l {
			if it.Type == tar.TypeSymlink {
				below[it.Clean()] = true
			}
		}
	}
	return own, lower
}

// opaqueAfterLinked tells whether an opaque marker of l comes after a
// record l wrote into its directory through a link of its own.
func opaqueAfterLinked(l Layer) bool {
	mine := map[string]string{}
	var landed []string
	for _, it := range l {
		p := it.Clean()
		dir := path.Dir(p)
		if dir == "." {
			dir = ""
		}
		resolved, crossed := resolve(mine, dir)
		if path.Base(p) == ".wh..wh..opq" {
			for _, q := range landed {
				if resolved == "" || strings.HasPrefix(q, resolved+"/") {
					return true
				}
			}
			continue
		}
		p = join(resolved, path.Base(p))
		if crossed {
			landed = append(landed, p)
		}
		if it.Type == tar.TypeSymlink {
			mine[p] = it.Link
		} else {
			delete(mine, p)
		}
	}
	return false
}

// resolve follows the links of links on the way through dir (clean,
// relative), as the appliers do: absolute targets from the root, ".."
// stopping there, 40 links at most; crossed says a link was followed.
func resolve(links map[string]string, dir string) (string, bool) {
	done, todo, hops := "", dir, 0
	for todo != "" && todo != "." {
		var c string
		c, todo, _ = strings.Cut(todo, "/")
		switch c {
		case "", ".":
			continue
		case "..":
			if done = path.Dir(done); done == "." {
				done = ""
			}
			continue
		}
		next := join(done, c)
		if t, ok := links[next]; ok {
			if hops++; hops > 40 {
				return dir, true
			}
			if strings.HasPrefix(t, "/") {
				done = ""
			}
			todo = strings.TrimSuffix(t+"/"+todo, "/")
			continue
		}
		done = next
	}
	return done, hops > 0
}

// Escapes tells whether a relative link of s climbs past the root from
// where its name puts it, as go-containerregistry judges it: crane export
// leaves such links out; containerd stops at the root, moby's unpacker
// refuses to follow them, and a container's kernel stops at its root.
func Escapes(s Stack) bool {
	for _, l := range s {
		for _, it := range l {
			if it.Type != tar.TypeSymlink && it.Type != tar.TypeLink {
				continue
			}
			clean := path.Clean(it.Link)
			if !path.IsAbs(clean) && strings.HasPrefix(path.Clean(path.Join(path.Dir(it.Clean()), clean)), "..") {
				return true
			}
		}
	}
	return false
}
