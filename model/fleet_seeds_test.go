package model_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/containerd/containerd/v2/core/content"
	"github.com/containerd/containerd/v2/core/images"
	"github.com/containerd/containerd/v2/plugins/content/local"
	"github.com/containerd/platforms"
	digest "github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry/demo"
)

// windowsNodes is a cluster of Windows nodes, one per build the demo's
// Windows images were made for, plus a later 2022 revision and a 2025
// node, as kubectl prints them.
const windowsNodes = `{"apiVersion": "v1", "kind": "List", "items": [
 {"kind": "Node", "metadata": {"name": "w2016", "labels": {"kubernetes.io/os": "windows", "node.kubernetes.io/windows-build": "10.0.14393"}}, "status": {"nodeInfo": {"operatingSystem": "windows", "architecture": "amd64", "kernelVersion": "10.0.14393.2068"}}},
 {"kind": "Node", "metadata": {"name": "w1709", "labels": {"agentpool": "sac"}}, "status": {"nodeInfo": {"operatingSystem": "windows", "architecture": "amd64", "kernelVersion": "10.0.16299.248"}}},
 {"kind": "Node", "metadata": {"name": "w1803"}, "status": {"nodeInfo": {"operatingSystem": "windows", "architecture": "amd64", "kernelVersion": "10.0.17134.885"}}},
 {"kind": "Node", "metadata": {"name": "w2019", "labels": {"kubernetes.azure.com/agentpool": "win19", "node.kubernetes.io/windows-build": "10.0.17763"}}, "status": {"nodeInfo": {"operatingSystem": "windows", "architecture": "amd64", "kernelVersion": "10.0.17763.6414"}}},
 {"kind": "Node", "metadata": {"name": "w2022"}, "status": {"nodeInfo": {"operatingSystem": "windows", "architecture": "amd64", "kernelVersion": "10.0.20348.2582"}}},
 {"kind": "Node", "metadata": {"name": "w2022b", "labels": {"eks.amazonaws.com/nodegroup": "ng-win2022"}}, "status": {"nodeInfo": {"operatingSystem": "windows", "architecture": "amd64", "kernelVersion": "10.0.20348.3091"}}},
 {"kind": "Node", "metadata": {"name": "w2025"}, "status": {"nodeInfo": {"operatingSystem": "windows", "architecture": "amd64", "kernelVersion": "10.0.26100.2894"}}}
]}`

// The Windows node verdicts on every index of the demo seeds (their
// Windows images are 10.0.14393, 10.0.16299, 10.0.17134, 10.0.17763 and
// 10.0.20348 builds) are what containerd pulls: the pull walk and
// images.Manifest over the seeds' OCI layouts read by containerd's own
// content store, with the node's matcher, platforms.NewMatcher ordered as
// containerd's windowsMatchComparer (criWindows in match_cri.go; it builds
// only into Windows binaries, so the oracle takes it from there, and
// TestCRIWindowsOrderAsContainerdTests pins it to containerd's cases).
func TestWindowsNodesOnTheSeedsMatchContainerd(t *testing.T) {
	dir := t.TempDir()
	if err := demo.Seed(dir); err != nil {
		t.Fatal(err)
	}
	nodes, err := model.ParseNodes(strings.NewReader(windowsNodes))
	if err != nil {
		t.Fatal(err)
	}
	fleet := model.NodeFleet(nodes)
	if len(fleet) != 6 { // the two 2022 nodes are one target
		t.Fatalf("%d targets", len(fleet))
	}
	got := map[string]string{} // "repo:tag node" → platform pulled
	for _, repo := range demo.Repositories {
		cs, err := local.NewStore(filepath.Join(dir, repo))
		if err != nil {
			t.Fatal(err)
		}
		for tag, desc := range layoutTags(t, filepath.Join(dir, repo)) {
			// sha256-… tags hold referrers (artifacts without a
			// platform, which images.Manifest judges by their config);
			// scan leaves them out too.
			if !images.IsIndexType(desc.MediaType) || strings.HasPrefix(tag, "sha256-") {
				continue
			}
			tree := loadTree(t, cs, desc)
			verdicts := model.JudgeFleet(tree.Root, fleet, tree.Children, tree.Configs)
			for _, v := range verdicts {
				spec := ocispec.Platform{OS: "windows", Architecture: "amd64", OSVersion: v.Member.Target.Platform.OSVersion}
				m := criWindowsOracle{platforms.NewMatcher(spec)}
				want, werr := pull(cs, desc, m)
				pulled := v.Analysis.Pulls()
				switch {
				case werr != nil && pulled != "":
					t.Errorf("%s:%s on %s: platypus pulls %s, containerd nothing (%v)", repo, tag, v.Member.Name, model.ShortDigest(pulled), werr)
				case werr == nil && pulled != want.String():
					t.Errorf("%s:%s on %s: platypus pulls %q, containerd %s", repo, tag, v.Member.Name, pulled, want)
				case werr == nil:
					if _, err := images.Manifest(context.Background(), cs, desc, m); err != nil {
						t.Errorf("%s:%s on %s: images.Manifest: %v", repo, tag, v.Member.Name, err)
					}
				}
				got[repo+":"+tag+" "+v.Member.Name] = platformOf(tree, pulled)
			}
		}
	}
	// The stories the seeds tell, as kubelet on each node sees them.
	for key, want := range map[string]string{
		"library/hello-world:nanoserver win19":                     "windows 10.0.17763.615",  // 1803 and 1809 offered: same build only
		"library/hello-world:nanoserver w2016":                     "",                        // below 20348 only the same build runs
		"library/hello-world:nanoserver-sac2016 w2016":             "windows 10.0.14393.2551", // the revision does not count
		"library/hello-world:nanoserver-ltsc2022 w2025":            "windows 10.0.20348.2582", // stable ABI
		"library/hello-world:nanoserver-ltsc2022 ng-win2022+w2022": "windows 10.0.20348.2582",
		"library/hello-world:latest win19":                         "windows 10.0.17763.615",
		"library/hello-world:latest w1803":                         "",
		"artiomchi/helloworld:latest w1709":                        "windows 10.0.16299.248",
		"artiomchi/helloworld:latest w1803":                        "",
		"platypus/nested:1.0 w2025":                                "windows 10.0.20348.2582",
	} {
		g, ok := got[key]
		if !ok {
			t.Errorf("%s: not judged", key)
		} else if g != want {
			t.Errorf("%s: pulls %q, want %q", key, g, want)
		}
	}
}

func platformOf(tree *model.Tree, d string) string {
	if d == "" {
		return ""
	}
	for _, m := range append([]*model.Manifest{tree.Root}, values(tree.Children)...) {
		for _, e := range m.Entries {
			if e.Digest == d && e.Platform != nil {
				return e.Platform.OS + " " + e.Platform.OSVersion
			}
		}
	}
	return "?"
}

func values(m map[string]*model.Manifest) []*model.Manifest {
	var out []*model.Manifest
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// criWindowsOracle is containerd's windowsMatchComparer around
// NewMatcher(node), as platforms.Default() is on a Windows node.
type criWindowsOracle struct{ platforms.Matcher }

func (c criWindowsOracle) Less(a, b ocispec.Platform) bool {
	ma, mb := c.Match(a), c.Match(b)
	if ma && mb {
		return a.OSVersion > b.OSVersion
	}
	return ma && !mb
}

// pull is the manifest containerd's pull walk keeps with limit 1.
func pull(p content.Provider, root ocispec.Descriptor, m platforms.MatchComparer) (digest.Digest, error) {
	var pulled []digest.Digest
	children := images.HandlerFunc(func(ctx context.Context, desc ocispec.Descriptor) ([]ocispec.Descriptor, error) {
		if images.IsManifestType(desc.MediaType) {
			pulled = append(pulled, desc.Digest)
			return nil, nil
		}
		return images.Children(ctx, p, desc)
	})
	if err := images.Walk(context.Background(), images.LimitManifests(images.FilterPlatforms(children, m), m, 1), root); err != nil {
		return "", err
	}
	if len(pulled) != 1 {
		return "", fmt.Errorf("the walk kept %d manifests", len(pulled))
	}
	return pulled[0], nil
}

// layoutTags reads an OCI layout's index.json: tag → descriptor.
func layoutTags(t *testing.T, dir string) map[string]ocispec.Descriptor {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx ocispec.Index
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	out := map[string]ocispec.Descriptor{}
	for _, d := range idx.Manifests {
		if tag := d.Annotations[ocispec.AnnotationRefName]; tag != "" {
			d.Annotations = nil
			out[tag] = d
		}
	}
	return out
}

// loadTree decodes an index and every manifest below it, as Expand would.
func loadTree(t *testing.T, cs content.Provider, desc ocispec.Descriptor) *model.Tree {
	t.Helper()
	read := func(d ocispec.Descriptor) *model.Manifest {
		b, err := content.ReadBlob(context.Background(), cs, d)
		if err != nil {
			t.Fatal(err)
		}
		m, err := model.DecodeManifest(b, d.MediaType)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	tree := model.NewTree(read(desc))
	queue := []*model.Manifest{tree.Root}
	for len(queue) > 0 {
		m := queue[0]
		queue = queue[1:]
		for _, e := range m.Entries {
			if e.Kind == model.KindIndex && tree.Children[e.Digest] == nil {
				c := read(ocispec.Descriptor{MediaType: e.MediaType, Digest: digest.Digest(e.Digest), Size: e.Size})
				tree.Children[e.Digest] = c
				queue = append(queue, c)
			}
		}
	}
	return tree
}
