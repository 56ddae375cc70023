package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/model/output"
)

// The Debian image test: platypus's files, cat and diff --files against
// what a container sees of a real image built from Debian's packages by
// scripts/debian-image.sh (amd64 and arm64, three layers each: mmdebstrap,
// a real apt-get install and purge diffed by umoci, an edge-case layer
// archived by GNU tar). The oracle is umoci unpack of every prefix of the
// layers, and the kernel resolving paths in the unpacked tree
// (openat2 RESOLVE_IN_ROOT), not platypus's own code.
//
// TestDebianImage (debian_linux_test.go) runs it on the real image when
// PLATYPUS_DEBIAN_IMAGE names its layout (.ci/run builds it);
// TestDebianReplay runs it in go test ./... on the image recorded in
// testdata/debian-bookworm.json.gz.

// node is one path as the container sees it (umoci unpack).
type node struct {
	Type string // file, dir, symlink, other (as files -o json)
	Mode uint32 // permission, setuid/setgid and sticky bits
	Size int64  // a file's
	Sum  string // a file's sha256, hex
	Link string // a symlink's target
	// Inode names a regular file's hard link group: the least of the
	// paths sharing its inode ("" when it has one name).
	Inode string
}

// same tells whether a and b look alike to a container (a hard link's
// group aside: which paths share bytes is not what a file is). A size
// below 0 is not known and not compared: a hard link's entry has none, its
// digest fixes the bytes.
func (a node) same(b node) bool {
	return a.Type == b.Type && a.Mode == b.Mode && (a.Size == b.Size || a.Size < 0 || b.Size < 0) && a.Sum == b.Sum && a.Link == b.Link
}

func (a node) String() string {
	switch a.Type {
	case "file":
		if a.Size < 0 {
			return fmt.Sprintf("file %o sha256:%.12s", a.Mode, a.Sum)
		}
		return fmt.Sprintf("file %o %d bytes sha256:%.12s", a.Mode, a.Size, a.Sum)
	case "symlink":
		return "symlink -> " + strconv.Quote(a.Link)
	}
	return fmt.Sprintf("%s %o", a.Type, a.Mode)
}

// tree is a filesystem by path (relative, as files -o json names them).
type tree map[string]node

// catResult is what reading a path gives: a file's bytes, or an error of
// a kind both sides name alike.
type catResult struct {
	Sum  string
	Size int64
	Err  string // "", "not found", "is a directory", "loop", "not a directory", "not a file"
}

func (c catResult) String() string {
	if c.Err != "" {
		return c.Err
	}
	return fmt.Sprintf("%d bytes sha256:%.12s", c.Size, c.Sum)
}

// debianImage is one platform's image and what its containers see.
type debianImage struct {
	Arch string
	// Truth[k] is the filesystem of layers 0..k-1 (Truth[0] is empty).
	Truth []tree
	// Cat is what reading each sampled path of the whole image gives.
	Cat map[string]catResult
}

// mismatch is one place platypus says something else than the container.
type mismatch struct {
	Check string // listing, changes, cat, diff, size
	Arch  string // amd64, arm64 (for diff: "amd64/arm64", or the layers compared)
	Layer int    // the layers listed (listing: 0 to Layer-1), the layer (changes, size); -1 if none
	Path  string
	What  string
}

func (m mismatch) String() string {
	where := m.Check + " " + m.Arch
	switch {
	case m.Check == "listing":
		where += fmt.Sprintf(", layers 0-%d", m.Layer-1)
	case m.Layer >= 0:
		where += fmt.Sprintf(", layer %d", m.Layer)
	}
	return fmt.Sprintf("%s: %q: %s", where, m.Path, m.What)
}

// known is a mismatch that is a defect already filed: the test lets it
// be, as long as it is seen, and says when it is no more (its fix landed:
// delete the line).
type known struct {
	item  string
	what  string
	match func(mismatch) bool
}

// knownMismatches are issue 21's defects that other branches fix, and
// ones found here that have no item yet. Each is what this image shows of
// it. None is open now: a line goes here, with its item, when this image
// shows a defect a branch is still fixing.
var knownMismatches = []known{}

// judge reports each mismatch no known defect explains, and each known
// defect no mismatch shows any more.
func judge(t *testing.T, ms []mismatch) {
	t.Helper()
	seen := make([]int, len(knownMismatches))
	unknown := 0
	for _, m := range ms {
		explained := false
		for i, k := range knownMismatches {
			if k.match(m) {
				seen[i]++
				t.Logf("known defect %s: %s", k.item, m)
				explained = true
				break
			}
		}
		if !explained {
			if unknown++; unknown <= 60 {
				t.Errorf("platypus differs from the container: %s", m)
			}
		}
	}
	if unknown > 60 {
		t.Errorf("… and %d more mismatches", unknown-60)
	}
	for i, k := range knownMismatches {
		if seen[i] == 0 {
			t.Errorf("known defect %s (%s) no longer shows: if it was fixed, delete its line in knownMismatches", k.item, k.what)
		} else {
			t.Logf("known defect %s: %d mismatches: %s", k.item, seen[i], k.what)
		}
	}
}

// catFunc reads path of ref as platypus cat does: stdout, stderr and
// the exit code.
type catFunc func(ref, path string) (string, string, int)

// catShared runs cat's own code, one set of options for every path: the
// client keeps the layers it listed, so they are read once, not once a
// path as a cat process does.
func catShared(t *testing.T) catFunc {
	var out, errb bytes.Buffer
	_, o := newRootCmd(strings.NewReader(""), &out, &errb)
	t.Cleanup(o.close)
	return func(ref, p string) (string, string, int) {
		out.Reset()
		errb.Reset()
		code := report(o.runCat(context.Background(), ref, p, -1, false), &errb)
		return out.String(), errb.String(), code
	}
}

// debianCheck runs platypus on repo (tags ARCH-K for each prefix of K
// layers, "debian" for the index) and lists where it differs from imgs.
// sizes, when not nil, are each layer's uncompressed bytes by arch.
func debianCheck(t *testing.T, repo string, imgs []debianImage, sizes map[string][]int64, cat catFunc) []mismatch {
	t.Helper()
	var ms []mismatch
	full := map[string]map[string]output.File{}
	for _, img := range imgs {
		n := len(img.Truth) - 1
		listings := make([]map[string]output.File, n+1)
		for k := 1; k <= n; k++ {
			rep := debianFilesOf(t, fmt.Sprintf("%s:%s-%d", repo, img.Arch, k))
			listings[k] = byPath(rep.Files)
			ms = append(ms, compareListing(img.Arch, k, listings[k], img.Truth[k])...)
			if k == n && sizes != nil {
				for i, l := range rep.Layers {
					if l.UncompressedSize != sizes[img.Arch][i] {
						ms = append(ms, mismatch{"size", img.Arch, i, "", fmt.Sprintf("uncompressedSize %d, the tar is %d bytes", l.UncompressedSize, sizes[img.Arch][i])})
					}
				}
			}
		}
		full[img.Arch] = listings[n]
		for layer := range n {
			rep := debianFilesOf(t, fmt.Sprintf("%s:%s-%d", repo, img.Arch, n), "--layer", strconv.Itoa(layer))
			ms = append(ms, compareChanges(img.Arch, layer, rep.Files, img.Truth[layer], img.Truth[layer+1], full[img.Arch])...)
		}
		// Each image against the one a layer more: what diff --files
		// says the layer did.
		for k := 1; k < n; k++ {
			d := filesDelta(t, fmt.Sprintf("%s:%s-%d", repo, img.Arch, k), fmt.Sprintf("%s:%s-%d", repo, img.Arch, k+1))
			ms = append(ms, compareDiff(fmt.Sprintf("%s, layers 0-%d/0-%d", img.Arch, k-1, k), d, img.Truth[k], img.Truth[k+1], listings[k], listings[k+1])...)
		}
		ms = append(ms, compareCat(t, cat, fmt.Sprintf("%s:%s-%d", repo, img.Arch, n), img, full[img.Arch])...)
	}
	if len(imgs) == 2 {
		a, b := imgs[0], imgs[1]
		d := filesDelta(t, repo+":debian", repo+":debian", "--platform", "linux/"+a.Arch, "--platform-b", "linux/"+b.Arch)
		ms = append(ms, compareDiff(a.Arch+"/"+b.Arch, d, a.Truth[len(a.Truth)-1], b.Truth[len(b.Truth)-1], full[a.Arch], full[b.Arch])...)
	}
	return ms
}

// filesDelta is diff --files -o json's files.
func filesDelta(t *testing.T, a, b string, args ...string) *output.Delta {
	t.Helper()
	out, stderr, code := cli(t, "", append([]string{"diff", a, b, "--files", "-o", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("diff %s %s --files %v: exit %d: %s", a, b, args, code, stderr)
	}
	var rep output.Diff
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Files == nil {
		t.Fatalf("diff --files: %v\n%.2000s", err, out)
	}
	return rep.Files
}

func debianFilesOf(t *testing.T, ref string, args ...string) output.Files {
	t.Helper()
	out, stderr, code := cli(t, "", append([]string{"files", ref, "-o", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("files %s %v: exit %d: %s", ref, args, code, stderr)
	}
	var rep output.Files
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("files %s: %v", ref, err)
	}
	return rep
}

func byPath(files []output.File) map[string]output.File {
	m := make(map[string]output.File, len(files))
	for _, f := range files {
		m[f.Path] = f
	}
	return m
}

// seen is what platypus says a container sees at f's path. A hard link is
// a file with the bytes its digest names: those its target had when the
// link was made (tar -x, umoci and overlayfs link the inode there then;
// what a later record or layer does to the target's path leaves the link
// alone), so it is judged by its own digest, not its target's today. Its
// mode is its own header's; why says it is a link.
func seen(f output.File) (n node, why string) {
	n = node{Type: f.Type, Mode: uint32(f.Mode), Size: f.Size, Sum: strings.TrimPrefix(f.Digest, "sha256:")}
	switch f.Type {
	case "symlink":
		n.Link, n.Size = f.LinkTarget, 0
	case "hardlink":
		why = " (a hard link to " + strconv.Quote(f.LinkTarget) + ")"
		if f.Digest == "" {
			return node{Type: "hard link to " + strconv.Quote(f.LinkTarget) + " reading no file"}, why
		}
		n.Type, n.Size = "file", -1
	}
	return n, why
}

// compareListing compares files -o json of the image of layers 0..k-1
// with umoci's unpack of them.
func compareListing(arch string, k int, listed map[string]output.File, truth tree) []mismatch {
	var ms []mismatch
	add := func(p, what string) { ms = append(ms, mismatch{"listing", arch, k, p, what}) }
	for _, p := range sortedKeys(truth) {
		want := truth[p]
		f, ok := listed[p]
		if !ok {
			add(p, missing(p, want, listed))
			continue
		}
		got, why := seen(f)
		if replaced(p, listed, truth) {
			why += ", its target replaced above: the container reads the bytes the link was made with"
		}
		if !got.same(want) {
			add(p, fmt.Sprintf("platypus %s%s, the container %s", got, why, want))
		}
	}
	for _, p := range sortedKeys(listed) {
		if _, ok := truth[p]; !ok {
			add(p, "listed, but not in the container ("+listed[p].Type+")")
		}
	}
	return ms
}

// missing says what a path platypus lacks is, telling a directory only
// implied by paths under it (its own entry absent from the tar).
func missing(p string, want node, listed map[string]output.File) string {
	if want.Type == "dir" {
		for q := range listed {
			if strings.HasPrefix(q, p+"/") {
				return "missing: a parent only (" + want.String() + ")"
			}
		}
	}
	return "missing (" + want.String() + ")"
}

// replaced tells whether p, a hard link in listed, no longer shares its
// bytes with its target in the container: a layer above replaced it.
func replaced(p string, listed map[string]output.File, truth tree) bool {
	f, ok := listed[p]
	if !ok || f.Type != "hardlink" {
		return false
	}
	return truth[p].Inode == "" || truth[p].Inode != truth[f.LinkTarget].Inode
}

// compareChanges compares files --layer N -o json with the difference
// between umoci's unpacks of layers 0..N-1 and 0..N: what the layer adds
// and removes are those paths exactly; what it modifies includes every
// path whose type, mode, size, content or link changed (an entry written
// again as it was is a modification the container does not see).
func compareChanges(arch string, layer int, changes []output.File, below, after tree, full map[string]output.File) []mismatch {
	var ms []mismatch
	add := func(p, what string) { ms = append(ms, mismatch{"changes", arch, layer, p, what}) }
	kind := map[string]string{}
	for _, c := range changes {
		if prev, dup := kind[c.Path]; dup {
			add(c.Path, "listed twice ("+prev+", "+c.Change+")")
		}
		kind[c.Path] = c.Change
	}
	listedAfter := map[string]output.File{}
	for _, c := range changes {
		if c.Change != fstree.Removed {
			listedAfter[c.Path] = c
		}
	}
	for _, p := range sortedKeys(after) {
		b, wasBelow := below[p]
		a := after[p]
		got := kind[p]
		switch {
		case !wasBelow && got != fstree.Added:
			what := "added by the layer, platypus says " + strconv.Quote(got)
			if got == "" {
				what = missing(p, a, listedAfter)
			}
			add(p, what)
		case wasBelow && !b.same(a) && got != fstree.Modified:
			add(p, fmt.Sprintf("modified by the layer (%s, was %s), platypus says %q", a, b, got))
		case wasBelow && got == fstree.Added:
			add(p, "was below, platypus says added")
		}
	}
	for _, p := range sortedKeys(below) {
		if _, ok := after[p]; !ok && kind[p] != fstree.Removed {
			add(p, "removed by the layer, platypus says "+strconv.Quote(kind[p]))
		}
	}
	for _, p := range sortedKeys(kind) {
		_, inBelow := below[p]
		_, inAfter := after[p]
		switch {
		case kind[p] == fstree.Removed && inAfter:
			add(p, "platypus says removed, the container still has it")
		case kind[p] != fstree.Removed && !inAfter:
			add(p, "platypus says "+kind[p]+", the container has no such path")
		case kind[p] == fstree.Modified && !inBelow:
			add(p, "platypus says modified, nothing was there below")
		}
	}
	// An entry the layer leaves visible is as the merged listing has it,
	// which compareListing checked against the container.
	for _, c := range changes {
		if c.Change == fstree.Removed {
			continue
		}
		if f, ok := full[c.Path]; ok && f.Layer == layer {
			g, _ := seen(c)
			h, _ := seen(f)
			if !g.same(h) {
				add(c.Path, fmt.Sprintf("the layer's entry %s is not the merged listing's %s", g, h))
			}
		}
	}
	return ms
}

// compareCat reads each sampled path with platypus cat.
func compareCat(t *testing.T, cat catFunc, ref string, img debianImage, listed map[string]output.File) []mismatch {
	t.Helper()
	var ms []mismatch
	for _, p := range sortedKeys(img.Cat) {
		want := img.Cat[p]
		out, stderr, code := cat(ref, "/"+p)
		var got catResult
		switch code {
		case 0:
			got = catResult{Sum: sha256Hex([]byte(out)), Size: int64(len(out))}
		case 1:
			got = catResult{Err: catErrorKind(stderr)}
		default:
			t.Fatalf("cat %s %q: exit %d: %s", ref, p, code, stderr)
		}
		if got != want {
			what := fmt.Sprintf("platypus reads %s, the container %s", got, want)
			if replaced(p, listed, img.Truth[len(img.Truth)-1]) {
				what += " (a hard link, its target replaced above)"
			}
			ms = append(ms, mismatch{"cat", img.Arch, -1, p, what})
		}
	}
	return ms
}

// catErrorKind names platypus cat's error as the kernel's errno would.
func catErrorKind(stderr string) string {
	switch {
	case strings.Contains(stderr, fstree.ErrLoop.Error()):
		return "loop"
	case strings.Contains(stderr, "so nothing is under it"):
		return "not a directory"
	case strings.Contains(stderr, fstree.ErrNotFound.Error()):
		return "not found"
	case strings.Contains(stderr, fstree.ErrIsDir.Error()):
		return "is a directory"
	case strings.Contains(stderr, fstree.ErrNotFile.Error()):
		return "not a file"
	}
	return "error: " + strings.TrimSpace(stderr)
}

// compareDiff compares diff --files of the two platforms with the
// difference between what their containers see.
func compareDiff(arch string, d *output.Delta, a, b tree, la, lb map[string]output.File) []mismatch {
	var ms []mismatch
	add := func(p, what string) { ms = append(ms, mismatch{"diff", arch, -1, p, what}) }
	got := map[string]string{}
	for _, e := range d.Added {
		got[e.Path] = "added"
	}
	for _, e := range d.Removed {
		got[e.Path] = "removed"
	}
	for _, e := range d.Modified {
		got[e.Path] = "modified"
	}
	want := map[string]string{}
	for p, na := range a {
		nb, ok := b[p]
		switch {
		case !ok:
			want[p] = "removed"
		case !na.same(nb):
			want[p] = "modified"
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			want[p] = "added"
		}
	}
	paths := map[string]bool{}
	for p := range got {
		paths[p] = true
	}
	for p := range want {
		paths[p] = true
	}
	for _, p := range sortedKeys(paths) {
		if got[p] == want[p] {
			continue
		}
		what := fmt.Sprintf("platypus says %q, the containers differ by %q", got[p], want[p])
		if want[p] == "modified" {
			what += fmt.Sprintf(" (%s against %s)", a[p], b[p])
		}
		if la[p].Type == "hardlink" || lb[p].Type == "hardlink" {
			what += " (a hard link)"
			if replaced(p, la, a) || replaced(p, lb, b) {
				what += ", its target replaced above"
			}
		}
		if _, listed := la[p]; !listed && want[p] == "removed" && a[p].Type == "dir" {
			what += ", " + missing(p, a[p], la)
		}
		if _, listed := lb[p]; !listed && want[p] == "added" && b[p].Type == "dir" {
			what += ", " + missing(p, b[p], lb)
		}
		add(p, what)
	}
	return ms
}
