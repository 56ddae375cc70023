package ui

import (
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/themes"
)

// openImage opens the demo webapp's linux/amd64 image.
func openImage(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t, "mono", demoLoc(t, "platypus/webapp:1.0"), "linux/amd64")
	h.keys("enter")
	if _, ok := h.top().(*imageScreen); !ok {
		t.Fatalf("enter did not open the image:\n%s", h.view())
	}
	return h
}

func wantIn(t *testing.T, v string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(v, w) {
			t.Errorf("view lacks %q:\n%s", w, v)
		}
	}
}

// wantLine finds the line that holds name and wants it to hold want too.
func wantLine(t *testing.T, v, name, want string) {
	t.Helper()
	for line := range strings.SplitSeq(v, "\n") {
		if strings.Contains(line, name) {
			if !strings.Contains(line, want) {
				t.Errorf("the line of %s is %q, want %q in it", name, line, want)
			}
			return
		}
	}
	t.Errorf("no line holds %s:\n%s", name, v)
}

func wantOut(t *testing.T, v string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(v, w) {
			t.Errorf("view shows %q:\n%s", w, v)
		}
	}
}

// f reads the layers and shows what a container sees; E opens every
// directory; ] steps to a layer's own changes, marked; [ steps back.
func TestFilesPaneShowsTheMergedTreeAndEachLayer(t *testing.T) {
	h := openImage(t)
	h.keys("f")
	v := h.view()
	wantIn(t, v, "[Files]", "all layers", "what a container sees: 7 files", "▸ bin/", "70.1kB unpacked", "efficiency 10.8%")
	wantOut(t, v, "busybox", "APKINDEX") // closed directories; the index was removed
	h.keys("E")
	wantIn(t, h.view(), "sh → /bin/busybox", "lrwxrwxrwx", "nginx")
	wantOut(t, h.view(), "APKINDEX")
	h.keys("]", "]")
	v = h.view()
	wantIn(t, v, "layer 1 · 2 of 3", "+2 ~7 -1", "created by RUN /bin/sh -c apk add nginx")
	wantLine(t, v, "APKINDEX.tar.gz", "-      20B -rw-r--r--")
	wantLine(t, v, "21B -rw-r--r--       nginx", "+")
	h.keys("]")
	wantIn(t, h.view(), "layer 2 · 3 of 3", "COPY html")
	h.keys("]") // past the top layer: stays
	wantIn(t, h.view(), "layer 2 · 3 of 3")
	h.keys("[", "[", "[")
	wantIn(t, h.view(), "all layers")
	// y copies the path under the cursor, not the image's reference.
	h.keys("down", "y")
	if got := (*h.copied)[len(*h.copied)-1]; got != "/bin/busybox" {
		t.Errorf("y copied %q", got)
	}
}

// The filter keeps the paths that match and their directories, open; esc
// clears it; s sorts by size, largest first.
func TestFilesPaneFiltersAndSorts(t *testing.T) {
	h := openImage(t)
	h.keys("f", "/")
	h.typeText("nginx")
	h.keys("tab") // keeps the filter (enter would open the file selected)
	v := h.view()
	wantIn(t, v, "filter: nginx  2/7", "▾ usr/", "nginx", "index.html")
	wantOut(t, v, " bin/", "etc/", "filler.bin")
	h.keys("esc")
	wantIn(t, h.view(), "▸ bin/", "▸ etc/")
	if _, ok := h.top().(*imageScreen); !ok {
		t.Fatal("esc with a filter set left the screen instead of clearing it")
	}
	s := h.top().(*imageScreen)
	if n, _ := s.files.current(); s.files.root.Name(n) != "usr" {
		t.Errorf("clearing the filter moved the cursor to %s, off usr", s.files.root.Name(n))
	}
	h.keys("home")
	h.keys("s")
	first := s.files.rows[0].Node
	if name := s.files.root.Name(first); name != "usr" {
		t.Errorf("sorted by size, the first row is %s (%d bytes)", name, s.files.root.Size(first))
	}
	h.keys("s")
	if name := s.files.root.Name(s.files.rows[0].Node); name != "bin" {
		t.Errorf("sorted by name, the first row is %s", name)
	}
	// → opens, ← closes, ← again goes to the parent.
	h.keys("right")
	wantIn(t, h.view(), "▾ bin/", "busybox")
	h.keys("down", "left")
	if n, _ := s.files.current(); s.files.root.Name(n) != "bin" {
		t.Errorf("← on a file went to %s, not its directory", s.files.root.Name(n))
	}
	h.keys("left")
	wantOut(t, h.view(), "busybox")
}

// enter on a layer of the Layers pane opens its changes.
func TestEnterOnALayerShowsItsChanges(t *testing.T) {
	h := openImage(t)
	h.keys("down", "down", "enter") // ADD, CMD (empty), RUN
	wantIn(t, h.view(), "[Files]", "layer 1 · 2 of 3", "APKINDEX.tar.gz")
}

// esc while the layers are read cancels the read, not the screen; the
// reply that comes later is dropped.
func TestReadingLayersCanBeCancelled(t *testing.T) {
	h := openMemImage(t)
	h.holdJob(jobLayers)
	h.keys("f")
	wantIn(t, h.view(), "reading layers", "esc cancels")
	h.keys("esc")
	s, ok := h.top().(*imageScreen)
	if !ok {
		t.Fatal("esc left the image screen")
	}
	wantIn(t, h.view(), "reading layers cancelled")
	h.d.Hold(nil)
	for i := range h.d.Held() {
		h.deliver(i)
	}
	if s.reading().fs != nil || strings.Contains(h.view(), "what a container sees") {
		t.Errorf("the cancelled read still arrived:\n%s", h.view())
	}
	// Asking again reads again.
	h.keys("tab", "f")
	wantIn(t, h.view(), "what a container sees")
}

// Once an image's layers were read, its index shows its unpacked size.
func TestIndexShowsUnpackedSizesOnceKnown(t *testing.T) {
	h := newMemHarness(t, memFixture(), memLoc(t, "library/centos:7"), "linux/amd64")
	wantOut(t, h.view(), "UNPACKED")
	h.keys("down", "f")
	wantIn(t, h.view(), "linux/arm64", "what a container sees")
	h.keys("esc")
	wantLine(t, h.view(), "linux/arm64", "30.0kB") // two layers of 10 and 20 kB
}

// M marks a side, = compares: two tags of mysql give the platform table,
// enter compares one platform's images, the Files pane their files.
func TestDiffTwoTags(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/mysql"), "linux/amd64")
	h.keys("=")
	wantIn(t, h.view(), "mark two tags, index entries or images with M")
	pick := func(tag string) {
		s := h.top().(*tagsScreen)
		for r := range s.list.view {
			if s.list.names[s.list.row(r)] == tag {
				s.list.table.SetCursor(r)
			}
		}
	}
	pick("8")
	h.keys("M")
	wantIn(t, h.view(), "diff mysql:8")
	pick("5.7")
	h.keys("=")
	d, ok := h.top().(*diffScreen)
	if !ok {
		t.Fatalf("= did not open a diff:\n%s", h.view())
	}
	v := h.view()
	wantIn(t, v, "A 127.0.0.1:PORT0/library/mysql:8", "B 127.0.0.1:PORT0/library/mysql:5.7", "linux/amd64", "changed")
	wantOut(t, v, "diff mysql:8 ") // the marks were used
	if len(d.rows) == 0 {
		t.Fatal("no platform rows")
	}
	h.keys("enter")
	id, ok := h.top().(*imageDiffScreen)
	if !ok {
		t.Fatalf("enter did not compare the images:\n%s", h.view())
	}
	wantIn(t, h.view(), "[Config]", "env.MYSQL_VERSION")
	h.keys("tab")
	wantIn(t, h.view(), "[Layers]", "only in A")
	h.keys("tab", "E")
	if id.delta == nil {
		t.Fatalf("no file diff:\n%s", h.view())
	}
	wantIn(t, h.view(), "files: ")
}

// One mark and = on something else compares the two; an index entry and
// the image of another tag work alike.
func TestDiffOneMarkAgainstTheCursor(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "platypus/webapp:1.0"), "linux/amd64")
	h.keys("M", "down", "=")
	s, ok := h.top().(*imageDiffScreen)
	if !ok {
		t.Fatalf("= did not open the image diff:\n%s", h.view())
	}
	wantIn(t, h.view(), "webapp:1.0 linux/amd64", "webapp:1.0 linux/arm64", "architecture", "amd64", "arm64")
	h.keys("f")
	if s.delta == nil || len(s.delta.Modified) == 0 {
		t.Fatalf("amd64 and arm64 hold different binaries:\n%s", h.view())
	}
	wantIn(t, h.view(), "~", "busybox")
	// M twice unmarks.
	h.keys("esc")
	h.keys("M", "M")
	if len(h.app.marks) != 0 {
		t.Errorf("marks after M M: %v", h.app.marks)
	}
}

func testTree() *fstree.Tree {
	return fstree.EntriesTree([]fstree.Entry{
		{Path: "a", Type: fstree.Dir}, {Path: "a/big", Type: fstree.File, Size: 100}, {Path: "a/x", Type: fstree.Dir},
		{Path: "a/x/small", Type: fstree.File, Size: 1}, {Path: "b", Type: fstree.File, Size: 50},
	})
}

// The tree opens and closes directories, keeps the cursor on its path, and
// E opens everything then closes everything.
func TestFileTreeUpdate(t *testing.T) {
	ft, names := testFileTree(t, true)
	if got := names(); got != "a b" {
		t.Fatalf("closed tree rows: %s", got)
	}
	ft.Update(keyMsg("enter"))
	if got := names(); got != "a a/x a/big b" {
		t.Fatalf("after opening a: %s", got)
	}
	ft.Update(keyMsg("E"))
	if got := names(); got != "a a/x a/x/small a/big b" {
		t.Fatalf("after E: %s", got)
	}
	ft.Update(keyMsg("E"))
	if got := names(); got != "a b" {
		t.Fatalf("after E again: %s", got)
	}
	ft.Update(keyMsg("down"))
	ft.Update(keyMsg("s")) // b (50) stays after the directory a
	if n, _ := ft.current(); ft.root.Path(n) != "b" {
		t.Errorf("sorting moved the cursor to %s", ft.root.Path(n))
	}
	if a := ft.root.Kids(fstree.Root)[0]; ft.root.Size(fstree.Root) != 151 || ft.root.Size(a) != 101 {
		t.Errorf("directory totals: root %d, a %d", ft.root.Size(fstree.Root), ft.root.Size(a))
	}
	// A growing filter narrows the rows shown; a shrinking one widens them.
	ft.Update(keyMsg("s"))
	ft.Update(keyMsg("/"))
	for _, step := range []struct{ key, want string }{
		{"a", "a a/x a/x/small a/big"},
		{"/", "a a/x a/x/small a/big"},
		{"x", "a a/x a/x/small"},
		{"backspace", "a a/x a/x/small a/big"},
	} {
		ft.Update(keyMsg(step.key))
		if got := names(); got != step.want {
			t.Errorf("filter %q: %s, want %s", ft.filter.query(), got, step.want)
		}
	}
}

// enter on an attestation shows what it attests: the provenance's source
// and commit, then (tab) the SBOM's packages.
func TestAttestationScreen(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "platypus/webapp:1.0"), "linux/arm64")
	wantIn(t, h.view(), "→ linux/arm/v7", "SLSA provenance v0.2, SPDX SBOM")
	h.keys("down", "down", "down", "down") // the arm64 image's attestation
	wantIn(t, h.view(), "attestation for linux/arm64", "enter shows them")
	h.keys("enter")
	if _, ok := h.top().(*attestationScreen); !ok {
		t.Fatalf("enter did not open the attestation:\n%s", h.view())
	}
	wantIn(t, h.view(), "attestation for linux/arm64", "[SLSA provenance v0.2]", "SPDX SBOM (6 packages)",
		"https://github.com/example/webapp.git#refs/tags/v1.0", "3f8a61c0d2e94b7a5c1e08f6b2d9a4c7e5f10b23")
	h.keys("tab")
	wantIn(t, h.view(), "[SPDX SBOM (6 packages)]", "busybox", "1.36.1-r29", "nginx", "operating-system")
	h.keys("v")
	wantIn(t, h.view(), "spdxVersion")
}

// Stepping through the layers keeps each layer's changes for the way back,
// unless they would pass bigFilesystem entries: then only the layer shown.
func TestBigLayerViewsAreNotAllKept(t *testing.T) {
	h := openImage(t)
	h.keys("f", "]", "]", "]")
	s := h.top().(*imageScreen)
	if len(s.views) != 3 {
		t.Fatalf("small layers: %d views kept, want 3", len(s.views))
	}
	old := bigFilesystem
	bigFilesystem = 4
	t.Cleanup(func() { bigFilesystem = old })
	h.keys("[")
	clear(s.views)
	h.keys("[", "]", "]")
	if _, ok := s.views[2]; len(s.views) != 1 || !ok {
		t.Errorf("past bigFilesystem: views of layers %v kept, want only layer 2", keysOf(s.views))
	}
	wantIn(t, h.view(), "layer 2 · 3 of 3", "COPY html")
	h.keys("[")
	wantIn(t, h.view(), "layer 1 · 2 of 3", "+2 ~7 -1")
}

func keysOf[V any](m map[int]V) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	return out
}

// A layer of tens of thousands of changes opens down to its first fork,
// not every directory: rows of directories, not of every file.
func TestBigLayerChangesOpenToTheFirstFork(t *testing.T) {
	srv, err := demo.Start(demo.Options{Extra: demo.SeedManyFiles(25_000)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	loc, _ := model.ParseLocation(srv.Host+"/"+demo.ManyFilesRepository+":latest", "")
	h := newHarnessOn(t, srv, "mono", &loc, "linux/amd64")
	h.keys("f", "]")
	s, ok := h.top().(*imageScreen)
	if !ok {
		t.Fatalf("not an image: %T", h.top())
	}
	v := h.view()
	// 25,000 entries and the three directories they imply (usr, share,
	// bench), added like them, as files -o json lists them.
	wantIn(t, v, "layer 0 · 1 of 1", "+25,003", "▾ usr/", "▾ share/", "▾ bench/", "▸ dir0/", "▸ dir1/")
	wantOut(t, v, "file-with-a-longish-name-1")
	if n := len(s.files.rows); n != 3+25 {
		t.Errorf("%d rows, want usr, share, bench and 25 directories", n)
	}
}

// filesCursorTo puts the Files pane's cursor on the row named name.
func filesCursorTo(t *testing.T, h *harness, name string) {
	t.Helper()
	s := h.top().(*imageScreen)
	for i, r := range s.files.rows {
		if s.files.root.Name(r.Node) == name {
			s.files.table.SetCursor(i)
			return
		}
	}
	t.Fatalf("no row %s", name)
}

// enter on a file shows it, read from its layer: text as it is (through
// links in the merged view), a binary file as hex; esc goes back.
func TestFilesPaneShowsAFile(t *testing.T) {
	h := openImage(t)
	h.keys("f", "E")
	filesCursorTo(t, h, "sh")
	h.keys("enter")
	f, ok := h.top().(*fileScreen)
	if !ok {
		t.Fatalf("enter on a link opened %T", h.top())
	}
	v := h.view()
	wantIn(t, v, "bin/sh → /bin/busybox", "layer 0", "busybox for linux/amd64")
	h.keys("y")
	if got := (*h.copied)[len(*h.copied)-1]; got != "/bin/busybox" {
		t.Errorf("y copied %q", got)
	}
	h.keys("esc")
	filesCursorTo(t, h, "filler.bin")
	h.keys("enter")
	wantIn(t, h.view(), "/usr/share/platypus-demo/filler.bin", "layer 2", "binary, in hex", "00000000  ")
	if f == h.top() {
		t.Fatal("the same screen twice")
	}
	h.keys("esc")
	// A layer's own version: layer 0's filler.bin is the one it wrote.
	h.keys("]")
	filesCursorTo(t, h, "filler.bin")
	h.keys("enter")
	wantIn(t, h.view(), "layer 0", "30.0kB", "binary")
	h.keys("esc", "]")
	filesCursorTo(t, h, "APKINDEX.tar.gz")
	h.keys("enter")
	if _, ok := h.top().(*imageScreen); !ok {
		t.Error("a removed file opened a screen")
	}
	wantIn(t, h.view(), "layer 1 removes /var/cache/apk/APKINDEX.tar.gz")
}

// A big tree is filtered off the UI goroutine: the old rows stay, marked
// "filtering…", until the rows of the latest query arrive; a reply for a
// query typed over is dropped.
func TestBigTreeFiltersOffTheUIGoroutine(t *testing.T) {
	old := asyncFilter
	asyncFilter = 1
	t.Cleanup(func() { asyncFilter = old })
	h := openImage(t)
	h.keys("f")
	s := h.top().(*imageScreen)
	before := len(s.files.rows)
	h.holdJob(jobFilter)
	h.keys("/")
	h.typeText("n")
	wantIn(t, h.view(), "filtering…")
	if len(s.files.rows) != before {
		t.Errorf("the rows changed before the filter's answer: %d, were %d", len(s.files.rows), before)
	}
	h.typeText("gi")
	if held := len(h.d.Held()); held != 3 {
		t.Fatalf("%d filter jobs held, want 3 (n, ng, ngi)", held)
	}
	for range 2 {
		alter(h, 0, func(r filterRows) filterRows { r.query = "ngi"; return r }) // only the request check keeps it out
		h.deliver(0)
		if s.files.filtering == "" {
			t.Fatal("a superseded filter's rows were taken")
		}
	}
	h.deliver(0)
	h.keys("tab")
	v := h.view()
	wantIn(t, v, "filter: ngi", "nginx")
	wantOut(t, v, "filtering…", "busybox")
	// The same rows as filtering on the UI goroutine.
	async := s.files.rows
	asyncFilter = old
	h.keys("/")
	h.typeText("x")
	h.keys("backspace", "tab")
	if len(s.files.rows) != len(async) {
		t.Errorf("%d rows filtered off the UI goroutine, %d on it", len(async), len(s.files.rows))
	}
}

// testFileTree is a file tree of testTree at 80x20, its directories open
// or not, and the paths of its rows as they stand.
func testFileTree(t *testing.T, open bool) (*fileTree, func() string) {
	t.Helper()
	th, err := themes.Load("mono")
	if err != nil {
		t.Fatal(err)
	}
	st := newStyles(th, true)
	ft := newFileTree(&st, DefaultKeyMap().treeKeys())
	ft.SetSize(80, 20)
	ft.setRoot(testTree(), open, false)
	return ft, func() string {
		var out []string
		for _, r := range ft.rows {
			out = append(out, ft.root.Path(r.Node))
		}
		return strings.Join(out, " ")
	}
}
