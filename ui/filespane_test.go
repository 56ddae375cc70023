package ui

import (
	"net/http"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// A layer the registry fails to serve: the Files pane says whose layers
// could not be read, on the diff (B's) and on the image screen.
func TestFilesPaneNamesTheLayersItCouldNotRead(t *testing.T) {
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	p := regtest.NewFaultProxy(t, srv.Host)
	proxied := *srv
	proxied.Host = p.Host
	loc, _ := model.ParseLocation("platypus/webapp:1.0", p.Host)
	h := newHarnessOn(t, &proxied, "mono", &loc, "linux/amd64")
	ix := h.top().(*indexScreen)
	layers := map[string][]string{}
	for _, e := range ix.tree.Root.Entries {
		for _, l := range ix.tree.Children[e.Digest].Layers {
			layers[e.PlatformString()] = append(layers[e.PlatformString()], l.Digest)
		}
	}
	var onlyARM string
	for _, d := range layers["linux/arm64"] {
		if !strings.Contains(strings.Join(layers["linux/amd64"], " "), d) {
			onlyARM = d
		}
	}
	if onlyARM == "" {
		t.Fatalf("no layer only linux/arm64 has: %v", layers)
	}
	p.Set(regtest.Status500, func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/blobs/"+onlyARM) }, -1, "", 0)

	h.keys("M", "down", "=", "f") // amd64 ⟷ arm64
	if _, ok := h.top().(*imageDiffScreen); !ok {
		t.Fatalf("no image diff:\n%s", h.view())
	}
	wantIn(t, h.app.status, "reading B's layers: ")
	wantIn(t, h.view(), "500")

	h.keys("esc", "home", "down", "enter", "f") // arm64's own screen
	if _, ok := h.top().(*imageScreen); !ok {
		t.Fatalf("no image screen:\n%s", h.view())
	}
	wantIn(t, h.app.status, "reading layers: ")
	wantIn(t, h.view(), "500")
}
