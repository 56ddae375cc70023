package ui

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/themes"
)

// rebound binds every action to a key of its own that no default binding
// has (alt+letters, ctrl+letters, function keys): the config map, and each
// action's key.
func rebound(t *testing.T) (map[string][]string, map[string]string) {
	t.Helper()
	old := oldKeys()
	var pool []string
	for c := 'a'; c <= 'z'; c++ {
		pool = append(pool, "alt+"+string(c))
	}
	for c := 'a'; c <= 'z'; c++ {
		pool = append(pool, "ctrl+"+string(c))
	}
	for i := 1; i <= 11; i++ { // f12 stays unbound: a key no screen answers
		pool = append(pool, fmt.Sprintf("f%d", i))
	}
	pool = slices.DeleteFunc(pool, func(k string) bool {
		// ctrl+c always quits; ctrl+j is enter as a terminal sends it.
		return k == "ctrl+c" || k == "ctrl+j" || slices.Contains(old, k)
	})
	conf, keys := map[string][]string{}, map[string]string{}
	for i, a := range Actions() {
		if i >= len(pool) {
			t.Fatalf("more actions than keys to rebind them to")
		}
		k := pool[i]
		if got := KeyMsg(k).String(); got != k { // else the test sends what nothing binds
			t.Fatalf("the driver sends %q as %q", k, got)
		}
		conf[a], keys[a] = []string{k}, k
	}
	return conf, keys
}

// oldKeys is every key of the default bindings but ctrl+c, which quits
// whatever the key map says.
func oldKeys() []string {
	km := DefaultKeyMap()
	var out []string
	for _, b := range km.bindings() {
		for _, k := range b.Keys() {
			if k != "ctrl+c" && !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return out
}

// rebindCase is a walk through the explorer in actions: each step is an
// action's name, or "=text" typed into what has focus.
type rebindCase struct {
	name, loc, target string
	steps             []string
	// fresh gives each run a demo registry and state directory of its
	// own: the walk pushes.
	fresh bool
	// want is in the last frame: the walk got where it meant to.
	want string
	// width, when set, is the terminal's instead of a wide one, for a
	// pane that scrolls sideways; the footer, cut where the key names
	// are longer, is then not compared.
	width int
}

var rebindCases = []rebindCase{
	{name: "start", loc: "-", steps: []string{"=library/centos:7", "enter"}},
	{name: "start recent", loc: "-", steps: []string{"=library/mysql:8", "enter", "goto", "=library/centos:7", "enter", "back", "back", "back", "down", "down", "up", "up", "down", "down"},
		want: "› library/mysql:8"},
	{name: "back to start", loc: "library/centos:7", steps: []string{"back"}},
	{name: "quit", loc: "library/centos:7", steps: []string{"quit"}},
	{name: "repositories", steps: []string{"down", "down", "pageDown", "pageUp", "end", "home", "down", "enter"}},
	{name: "repositories filter", steps: []string{"filter", "=l", "down", "up", "pageDown", "pageUp", "nextPane", "down", "filter", "=sql", "enter", "back", "back"}},
	{name: "filter cancel", steps: []string{"filter", "=my", "cancel", "filter", "=centos", "enter", "back"}},
	{name: "no catalog", loc: "docker.io/", steps: []string{"=library/mysql", "cancel"}},
	{name: "tags", loc: "library/mysql", steps: []string{"sort", "down", "mark", "mark", "refresh", "diffMark", "down", "diff"}},
	{name: "tags compose", loc: "library/mysql", steps: []string{"mark", "down", "mark", "compose"}},
	{name: "tags open", loc: "library/mysql", steps: []string{"filter", "=8", "enter"}},
	{name: "index", loc: "library/centos:7", steps: []string{"down", "down", "copy", "enter", "back", "raw", "end", "back", "referrers"}},
	{name: "index filter", loc: "library/mysql:8", steps: []string{"filter", "=arm", "down", "nextPane", "enter"}},
	{name: "image panes", loc: "library/mysql:8", steps: []string{"enter", "nextPane", "nextPane", "nextPane", "down", "nextPane", "rawConfig"}},
	{name: "image files", loc: "platypus/webapp:1.0", steps: []string{"enter", "files", "expandAll", "down", "down", "collapse", "expand", "sort", "sort", "expandAll", "end", "home"}},
	{name: "image files filter", loc: "platypus/webapp:1.0", steps: []string{"enter", "files", "filter", "=e", "down", "nextPane", "filter", "cancel", "filter", "=etc", "enter"}},
	{name: "layer changes", loc: "platypus/webapp:1.0", steps: []string{"enter", "files", "nextLayer", "nextLayer", "prevLayer"}},
	{name: "layers pane", loc: "platypus/webapp:1.0", steps: []string{"enter", "down", "enter"}},
	{name: "file", loc: "library/mysql:8", steps: []string{"enter", "files", "expandAll", "down", "down", "show", "pageDown", "pageUp", "end", "home", "refresh", "back"}},
	{name: "diff indexes", loc: "library/mysql:8", steps: []string{"back", "diffMark", "up", "diff", "refresh"}},
	{name: "diff images", loc: "library/mysql", steps: []string{"diffMark", "down", "down", "down", "diffMark", "diff", "enter", "down", "nextPane", "nextPane"}},
	{name: "diff files", loc: "platypus/webapp:1.0", steps: []string{"diffMark", "down", "diff", "files", "down", "show", "pageDown"}},
	{name: "attestation", loc: "platypus/webapp:1.0", target: "linux/arm64", steps: []string{"down", "down", "down", "down", "enter", "nextPane", "raw"}},
	{name: "raw", loc: "artiomchi/helloworld:latest", width: 60, steps: []string{"raw", "expand", "expand", "collapse", "pageDown", "end", "home", "down", "up"},
		want: `…gest": "sha256:68df`},
	{name: "referrers", loc: "platypus/charts:0.1.0", steps: []string{"referrers", "down", "up", "enter"}},
	{name: "diagnosis", loc: "library/mysql:5.7", target: "linux/arm64/v8", steps: []string{"diagnose", "down", "scan", "copy", "down", "enter"}},
	{name: "picker", loc: "library/centos:7", steps: []string{"platform", "down", "down", "up", "enter"}},
	{name: "picker fleet", loc: "library/centos:7", steps: []string{"platform", "mark", "mark", "mark", "up", "enter"}, want: "every target pulls"},
	{name: "picker typed", loc: "library/centos:7", steps: []string{"platform", "filter", "=linux/arm64", "enter"}},
	{name: "picker cancel", loc: "library/centos:7", steps: []string{"platform", "nextPane", "=x", "cancel", "cancel", "platform", "platform"}},
	{name: "goto", loc: "library/centos:7", steps: []string{"goto", "=nothing", "cancel", "goto", "=library/mysql", "enter"}},
	{name: "messages", loc: "library/centos:7", steps: []string{"refresh", "copy", "messages", "down", "up", "pageDown", "pageUp", "end", "home", "cancel", "messages", "messages"}},
	{name: "check findings", loc: "library/hello-world:latest", steps: []string{"check", "down", "up", "enter"}, want: "windows/amd64"},
	{name: "composer check", loc: "library/hello-world:latest", steps: []string{"compose", "check", "down", "enter"}},
	{name: "not found", loc: "platypus/nested:latest", steps: []string{"refresh"}, want: "to go back"},
	{name: "help", loc: "library/centos:7", steps: []string{"help", "back", "help", "help"}},
	{name: "composer", loc: "library/centos:7", fresh: true, steps: []string{
		"compose", "draftMoveDown", "draftMoveUp", "draftMediaType", "draftReferrers", "draftMediaType", "draftReferrers",
		"draftPlatform", "cancel", "draftAnnotate", "=a=b", "enter", "draftIndexAnnotate", "=c=d", "enter",
		"draftPreview", "back", "draftTarget", "=7", "enter", "draftRemove", "draftPush", "yes",
		"draftUndo", "down", "up", "draftUndo", "yes", "refresh"}},
	{name: "history restore", loc: "library/centos:7", fresh: true, steps: []string{
		"compose", "draftRemove", "draftPush", "yes", "draftUndo", "enter", "yes"}},
	{name: "composer add", loc: "library/centos:7", fresh: true, steps: []string{"compose", "draftAdd", "=library/mysql:8", "enter", "refresh"}},
	{name: "composer browse", loc: "library/centos:7", fresh: true, steps: []string{"compose", "draftBrowse", "down", "enter", "addToDraft", "enter", "addToDraft", "down", "enter", "addToDraft"}},
	{name: "copy to", loc: "library/centos:7", fresh: true, steps: []string{"copyTo", "=x", "cancel", "copyTo", "=library/mysql:8", "enter", "yes"}},
	{name: "copy image to", loc: "library/centos:7", fresh: true, steps: []string{"enter", "copyTo", "=library/mysql:5.7", "enter", "yes"}},
}

// TestEveryActionRebound walks every screen twice, with the default keys
// and with every action bound to another key (as a config file does): each
// step must show the same frame but for the key names, which must be the
// user's. At the end of each walk no default key may do anything: a
// screen that answers one has a key outside the KeyMap.
func TestEveryActionRebound(t *testing.T) {
	conf, newKeys := rebound(t)
	def := DefaultKeyMap()
	defKey := func(a string) string { return def.bindings()[a].Keys()[0] }
	for _, c := range rebindCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // the walks wait on the registry and the journal more than they compute
			a := walk(t, c, nil, defKey, false)
			b := walk(t, c, conf, func(a string) string { return newKeys[a] }, true)
			if last := a.frames[len(a.frames)-1]; !strings.Contains(last, c.want) {
				t.Fatalf("the walk ends elsewhere, without %q:\n%s", c.want, last)
			}
			for i := range c.steps {
				sameBut(t, fmt.Sprintf("after %v", c.steps[:i+1]), a.frames[i], b.frames[i], newKeys, c.width > 0)
			}
			if a.h.d.Quit() != b.h.d.Quit() || !slices.Equal(*a.h.copied, *b.h.copied) {
				t.Errorf("quit %v, copied %q with the default keys; quit %v, copied %q rebound",
					a.h.d.Quit(), *a.h.copied, b.h.d.Quit(), *b.h.copied)
			}
		})
	}
}

type walked struct {
	h      *harness
	frames []string
}

// walk runs c with the config's keys; keyOf names an action's key. With
// check, every default key is tried after each step (see deaf).
func walk(t *testing.T, c rebindCase, conf map[string][]string, keyOf func(string) string, check bool) walked {
	t.Helper()
	srv := demoServer(t)
	if c.fresh {
		var err error
		if srv, err = demo.Start(demo.Options{}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = srv.Close() })
	}
	var loc *model.Location
	if c.loc != "-" {
		l, err := model.ParseLocation(c.loc, srv.Host)
		if c.loc == "" {
			l, err = model.ParseLocation(srv.Host, srv.Host)
		}
		if err != nil {
			t.Fatal(err)
		}
		loc = &l
	}
	target := c.target
	if target == "" {
		target = "linux/amd64"
	}
	th, _ := themes.Load("mono")
	p, _ := model.ParsePlatform(target)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	// Wide enough that no hint or help line is cut: the key names differ
	// in width.
	width := 400
	if c.width > 0 {
		width = c.width
	}
	d, err := NewDriver(ctx, Options{Client: registry.New(registry.WithPlainHTTP(srv.Host)), Target: model.FlagTarget(p, model.SourceFlag),
		Demo: srv.Host, Location: loc, Keys: conf}, th, width, harnessHeight)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, d: d, app: d.app, c: d.common, copied: &d.Copied}
	h.c.State = openState(t, t.TempDir())
	w := walked{h: h}
	for _, s := range c.steps {
		if text, ok := strings.CutPrefix(s, "="); ok {
			h.typeText(text)
		} else {
			h.keys(keyOf(s))
		}
		w.frames = append(w.frames, h.view())
		if check && !h.d.Quit() && !asking(h) {
			deaf(t, h, s)
		}
	}
	return w
}

var (
	spaces = regexp.MustCompile(` +`)
	clock  = regexp.MustCompile(`\d\d:\d\d:\d\d`) // the journal's times: two runs, two seconds
)

// sameBut fails unless frame b, with every action rebound, is frame a
// with the user's key names in place of the default ones: each line of b
// equals a's with the new names spelled as a hint or as the help spells
// the defaults.
func sameBut(t *testing.T, when, a, b string, newKeys map[string]string, noFooter bool) {
	t.Helper()
	def := DefaultKeyMap()
	var asHint, asHelp []string
	for action, k := range newKeys {
		d := *def.bindings()[action]
		asHint = append(asHint, k, keyHint(d))
		asHelp = append(asHelp, k, d.Help().Key)
	}
	hint, help := strings.NewReplacer(asHint...), strings.NewReplacer(asHelp...)
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	if len(al) != len(bl) {
		t.Fatalf("%s: %d lines with the default keys, %d rebound:\n%s\n---\n%s", when, len(al), len(bl), a, b)
	}
	if noFooter {
		al, bl = al[:len(al)-1], bl[:len(bl)-1]
	}
	for i := range al {
		want := clock.ReplaceAllString(spaces.ReplaceAllString(al[i], " "), "hh:mm:ss")
		got := clock.ReplaceAllString(spaces.ReplaceAllString(bl[i], " "), "hh:mm:ss")
		if got == want || hint.Replace(got) == want || help.Replace(got) == want {
			continue
		}
		t.Fatalf("%s, line %d differs:\n%q default\n%q rebound\n%s", when, i, al[i], bl[i], b)
	}
	if m := hardHint.FindString(b); m != "" {
		t.Fatalf("%s: %q names a default key, not the user's:\n%s", when, m, b)
	}
}

// hardHint finds a hint that names a key no longer bound: "esc cancels",
// "press r".
var hardHint = regexp.MustCompile(`(^|[\s(·:;])(esc|enter|tab|↑↓|↑|↓|[a-zA-Z!=?/+\[\]]) (cancels|clears|closes|opens|keeps|select|scroll|stops|restores|picks|overwrites|creates|undoes|reloads|takes back|types|shows|deletes|puts)\b|press (esc|enter|tab|\S)([\s,:;.)]|$)`)

// deaf sends every default key to what is on screen, which must not
// change: nothing answers a key the user bound elsewhere. In a text input
// only the keys that type nothing are sent (the others are text).
func deaf(t *testing.T, h *harness, after string) {
	t.Helper()
	status, isErr := h.app.status, h.app.isErr
	h.keys("f12") // bound to nothing: clears the status line
	keys := oldKeys()
	if inText(h) {
		keys = []string{"esc", "enter", "tab", "up", "down", "pgup", "pgdown", "shift+up", "shift+down"}
	}
	before := h.app.View().Content
	for _, k := range keys {
		h.keys(k)
		if h.d.Quit() {
			t.Fatalf("after %s, %q quit", after, k)
		}
		if now := h.app.View().Content; now != before {
			t.Fatalf("after %s, %q still answers:\n%s\n---\n%s", after, k, before, now)
		}
	}
	h.app.status, h.app.isErr = status, isErr // the walk's frames show what the step said
}

// asking tells whether a question is put, which any key but yes answers
// no.
func asking(h *harness) bool {
	switch s := h.top().(type) {
	case *composerScreen:
		return s.mode == modeConfirm || s.mode == modeRestore
	case *historyScreen:
		return s.confirm != nil
	case *indexScreen:
		return s.copying.stage == copyConfirming
	case *imageScreen:
		return s.copying.stage == copyConfirming
	}
	return false
}

// inText tells whether a text input has the keys.
func inText(h *harness) bool {
	switch o := h.app.overlay.(type) {
	case *gotoOverlay:
		return true
	case *picker:
		return o.input.Focused()
	case nil:
		return h.top().Capturing()
	}
	return false
}

// The help names the user's keys: a rebound action shows its new key,
// a screen's own description of it kept.
func TestHelpNamesReboundKeys(t *testing.T) {
	h, _ := keyedHarness(t, "library/centos:7", map[string][]string{"back": {"ctrl+z"}, "diagnose": {"ctrl+d"}, "filter": {"ctrl+s"}, "up": {"up", "ctrl+p"}, "enter": {"o", "ctrl+o"}})
	h.keys("?")
	// In a filter, o types: ctrl+o opens.
	v := spaces.ReplaceAllString(h.view(), " ")
	wantIn(t, v, "ctrl+d diagnose", "ctrl+s filter", "up/ctrl+p up", "↑↓ ctrl+o in a filter")
	// The diagnosis's back stops a scan: the user's back, its own words.
	// (The driver's scans end before a frame shows it.)
	h.keys("?", "ctrl+d")
	s, ok := h.top().(*diagnosisScreen)
	if !ok {
		t.Fatalf("ctrl+d opened %T", h.top())
	}
	if b := s.keys.Back; !slices.Equal(b.Keys(), h.c.Keys.Back.Keys()) || b.Help().Desc != "stop scan" {
		t.Errorf("the diagnosis's back is %v %q, not the user's %v", b.Keys(), b.Help().Desc, h.c.Keys.Back.Keys())
	}
}
