package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/registry/regtest"
)

// Files written through symbolic links to directories (issue 21). Within
// a layer the link is followed: the file is listed where it lands, with
// the path its tar wrote, and cat finds it in the layer's stream by that
// path. Through a lower layer's link (merged /usr below, bin/foo above),
// the layer's own bin/ hides the link, as a container sees it under
// overlay2 or containerd: /bin holds foo alone.
func TestFilesThroughLinks(t *testing.T) {
	srv := startDemoServer(t)
	h := srv.Host
	type entry struct {
		Path, Type, TarPath, Change string
		Implied                     bool
	}
	list := func(args ...string) []entry {
		t.Helper()
		out, stderr, code := cli(t, "", append([]string{"files", "-o", "json"}, args...)...)
		if code != 0 {
			t.Fatalf("files %v: exit %d: %s", args, code, stderr)
		}
		var rep struct{ Files []entry }
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		return rep.Files
	}
	line := func(es []entry) string {
		var out []string
		for _, e := range es {
			s := e.Path + ":" + e.Type
			if e.TarPath != "" {
				s += "<-" + e.TarPath
			}
			if e.Implied {
				s += ":implied"
			}
			if e.Change != "" {
				s += ":" + e.Change
			}
			out = append(out, s)
		}
		return strings.Join(out, " ")
	}
	cat := func(ref, path, want string) {
		t.Helper()
		out, stderr, code := cli(t, "", "cat", ref, path)
		if want == "" {
			if code != exitFailure || !strings.Contains(stderr, "no such file") {
				t.Errorf("cat %s: exit %d %q %s, want no such file", path, code, out, stderr)
			}
			return
		}
		if code != 0 || out != want {
			t.Errorf("cat %s: exit %d %q %s, want %q", path, code, out, stderr, want)
		}
	}

	own := pushTars(t, h, "test/links", "own",
		[]regtest.TarItem{{Name: "usr/"}, {Name: "usr/bin/"}, {Name: "bin -> /usr/bin"}, {Name: "bin/foo", Body: "foo"}})
	if got := line(list(own)); got != "bin:symlink usr:dir usr/bin:dir usr/bin/foo:file<-bin/foo" {
		t.Errorf("files: %s", got)
	}
	for _, p := range []string{"usr/bin/foo", "/bin/foo", "bin/../bin/foo"} {
		cat(own, p, "foo")
	}
	if out, _, _ := cli(t, "", "files", own); !strings.Contains(out, "foo  (written as bin/foo)") {
		t.Errorf("the table does not say where foo was written:\n%s", out)
	}

	merged := pushTars(t, h, "test/links", "merged",
		[]regtest.TarItem{{Name: "usr/"}, {Name: "usr/bin/"}, {Name: "usr/bin/ls", Body: "ls"}, {Name: "bin -> usr/bin"}},
		[]regtest.TarItem{{Name: "bin/foo", Body: "foo"}})
	if got := line(list(merged)); got != "bin:dir:implied bin/foo:file usr:dir usr/bin:dir usr/bin/ls:file" {
		t.Errorf("files: %s", got)
	}
	if got := line(list(merged, "--layer", "1")); got != "bin:dir:implied:modified bin/foo:file:added" {
		t.Errorf("files --layer 1: %s", got)
	}
	cat(merged, "/bin/foo", "foo")
	cat(merged, "/usr/bin/ls", "ls")
	cat(merged, "/bin/ls", "")
	cat(merged, "/usr/bin/foo", "")
}

// The files table lists what files -o json lists, with the same marks:
// directories only implied by the paths under them, and directories a
// whiteout alone makes, in the merged view and in a layer's changes
// (issue 21). A tree of changes also shows, unmarked, the directories on
// the way to them.
func TestFilesTableListsWhatJSONLists(t *testing.T) {
	srv := startDemoServer(t)
	ref := pushTars(t, srv.Host, "test/views", "v",
		[]regtest.TarItem{{Name: "a.txt", Body: "a"}, {Name: "keep/"}, {Name: "keep/old", Body: "o"}},
		[]regtest.TarItem{{Name: "gone/.wh.x"}, {Name: "opt/implicit/file", Body: "f"}, {Name: "keep/new", Body: "n"}})
	jsonLines := func(args ...string) []string {
		t.Helper()
		out, stderr, code := cli(t, "", append([]string{"files", "-o", "json"}, args...)...)
		if code != 0 {
			t.Fatalf("files %v: exit %d %s", args, code, stderr)
		}
		var rep struct {
			Files []struct{ Path, Type, Change string }
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, f := range rep.Files {
			l := f.Path
			if f.Type == "dir" {
				l += "/"
			}
			lines = append(lines, signOf(f.Change)+l)
		}
		return lines
	}
	tableLines := func(args ...string) []string {
		t.Helper()
		out, stderr, code := cli(t, "", append([]string{"files"}, args...)...)
		if code != 0 {
			t.Fatalf("files %v: exit %d %s", args, code, stderr)
		}
		_, tree, _ := strings.Cut(out, "\n\n")
		var lines, stack []string
		for _, l := range strings.Split(strings.TrimSuffix(tree, "\n"), "\n") {
			// "+   1.00B  name": the mark, the size, two spaces a level.
			mark, rest := strings.TrimSpace(l[:1]), l[11:]
			name := strings.TrimLeft(rest, " ")
			depth := (len(rest) - len(name)) / 2
			stack = append(stack[:depth], strings.TrimSuffix(name, "/"))
			p := strings.Join(stack, "/")
			if strings.HasSuffix(name, "/") {
				p += "/"
			}
			lines = append(lines, mark+p)
		}
		slices.SortFunc(lines, func(a, b string) int {
			return strings.Compare(strings.TrimSuffix(strings.TrimLeft(a, "+~-"), "/"), strings.TrimSuffix(strings.TrimLeft(b, "+~-"), "/"))
		})
		return lines
	}
	want := "a.txt gone/ keep/ keep/new keep/old opt/ opt/implicit/ opt/implicit/file"
	if got := strings.Join(jsonLines(ref), " "); got != want {
		t.Errorf("JSON: %s", got)
	}
	if got := strings.Join(tableLines(ref), " "); got != want {
		t.Errorf("table: %s", got)
	}
	want = "+gone/ +keep/new +opt/ +opt/implicit/ +opt/implicit/file"
	if got := strings.Join(jsonLines(ref, "--layer", "1"), " "); got != want {
		t.Errorf("JSON --layer 1: %s", got)
	}
	if got := strings.Join(tableLines(ref, "--layer", "1"), " "); got != "+gone/ keep/ "+want[len("+gone/ "):] {
		t.Errorf("table --layer 1: %s", got)
	}
}

func signOf(change string) string {
	switch change {
	case "added":
		return "+"
	case "modified":
		return "~"
	case "removed":
		return "-"
	}
	return ""
}
