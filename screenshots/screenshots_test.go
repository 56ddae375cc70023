package screenshots

import (
	"context"
	"flag"
	"os"
	"regexp"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/themes"
	"github.com/platypus-tui/platypus/ui"
)

var update = flag.Bool("update", false, "rewrite the pictures")

const width, height = 110, 30

// shot is one picture: where the explorer opens, the target, the keys.
type shot struct {
	name, title string
	open        string
	platform    string
	osVersion   string
	keys        []string
}

var shots = []shot{
	{name: "repositories", title: "platypus --demo", open: "", platform: "linux/arm64/v8"},
	{name: "tags", title: "platypus --demo library/mysql", open: "library/mysql", platform: "linux/arm64/v8", keys: []string{"s"}},
	{name: "index", title: "platypus --demo centos:7 --platform linux/arm64/v8", open: "library/centos:7", platform: "linux/arm64/v8", keys: []string{"j", "j"}},
	{name: "image", title: "mysql:8 › linux/arm64/v8", open: "library/mysql:8", platform: "linux/arm64/v8", keys: []string{"j", "enter"}},
	{name: "check", title: "webapp:1.1-rc1 › check (F): the release gate's findings", open: "platypus/webapp:1.1-rc1", platform: "linux/amd64", keys: []string{"F"}},
	{name: "diagnosis", title: "mysql:5.7 on an Apple-silicon Mac", open: "library/mysql:5.7", platform: "linux/arm64/v8", keys: []string{"d"}},
	{name: "diagnosis-windows", title: "hello-world:nanoserver on Windows Server 2016", open: "library/hello-world:nanoserver", platform: "windows/amd64", osVersion: "10.0.14393.2068", keys: []string{"d"}},
	{name: "files", title: "webapp:1.0 › linux/arm64 › Files, layer 1", open: "platypus/webapp:1.0", platform: "linux/arm64", keys: []string{"j", "enter", "f", "]", "]"}},
	{name: "file", title: "mysql:8 › linux/amd64 › Files › /etc/passwd (enter)", open: "library/mysql:8", platform: "linux/amd64", keys: []string{"enter", "f", "E", "j", "j", "enter"}},
	{name: "diff", title: "webapp:1.0, linux/amd64 against linux/arm64 (M, =)", open: "platypus/webapp:1.0", platform: "linux/amd64", keys: []string{"M", "down", "=", "f"}},
	{name: "composer", title: "platypus --demo compose yorek/multiarch-hello-world:latest", open: "yorek/multiarch-hello-world", platform: "linux/amd64", keys: []string{"space", "space", "c"}},
}

var portRE = regexp.MustCompile(`127\.0\.0\.1:\d{5}`)

// TestScreenshots renders every main screen from the demo registry and
// compares it with the picture in this folder.
func TestScreenshots(t *testing.T) {
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	th, err := themes.Load("dark")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range shots {
		t.Run(s.name, func(t *testing.T) {
			p, _ := model.ParsePlatform(s.platform)
			p.OSVersion = s.osVersion
			o := ui.Options{
				Client: registry.New(registry.WithPlainHTTP(srv.Host)), Target: model.FlagTarget(p, model.SourceFlag),
				Demo: srv.Host,
			}
			loc := model.Location{Kind: model.LocHost, Host: srv.Host}
			if s.open != "" {
				if loc, err = model.ParseLocation(s.open, srv.Host); err != nil {
					t.Fatal(err)
				}
			}
			o.Location = &loc
			d, err := ui.NewDriver(context.Background(), o, th, width, height)
			if err != nil {
				t.Fatal(err)
			}
			if err := d.Keys(s.keys...); err != nil {
				t.Fatal(err)
			}
			// Same width as the ephemeral port, so alignment is kept.
			frame := portRE.ReplaceAllString(d.View(), "demo.local:5000")
			got := SVG(frame, width, height, s.title)
			path := s.name + ".svg"
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./screenshots -update)", err)
			}
			if string(want) != got {
				t.Errorf("%s is stale: run go test ./screenshots -update and look at the pictures", path)
			}
		})
	}
}

func TestParseLine(t *testing.T) {
	runs := parseLine("a\x1b[1;38;2;255;0;0mred\x1b[0m b")
	if len(runs) != 3 || runs[1].text != "red" || runs[1].st.fg != "#ff0000" || !runs[1].st.bold || runs[2].col != 4 {
		t.Errorf("runs = %+v", runs)
	}
}
