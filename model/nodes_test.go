package model

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The documents in testdata/nodes are written in the shape `kubectl get
// nodes -o json` prints (a v1 List of Node, keys sorted) with the labels
// and nodeInfo fields EKS, GKE, AKS and kind nodes carry: managed node
// groups and a Karpenter pool of amd64 and arm64 spot nodes, a Tau T2A
// pool, Windows Server 2019/2022/2025 nodes, and a kind worker without
// labels. They are inputs, not a tool's output, so they are hand-made.
func TestNodeFleetsOfRealClusterShapes(t *testing.T) {
	tests := []struct {
		file string
		want []string // name | platform | nodes
	}{
		{"eks.json", []string{
			"ng-amd64+spot | linux/amd64 | 3",
			"ng-graviton+spot | linux/arm64/v8 | 3",
			"ng-win2019 | windows/amd64 10.0.17763 | 1",
			"ng-win2022 | windows/amd64 10.0.20348 | 1",
		}},
		{"gke.json", []string{
			"default-pool | linux/amd64 | 3",
			"arm-pool | linux/arm64/v8 | 2",
			"win-pool | windows/amd64 10.0.20348 | 1",
		}},
		{"aks.json", []string{
			"nodepool1 | linux/amd64 | 2",
			"armpool | linux/arm64/v8 | 1",
			"win19 | windows/amd64 10.0.17763 | 1",
			"win22 | windows/amd64 10.0.20348 | 2", // two revisions, one build
			"win25 | windows/amd64 10.0.26100 | 1",
		}},
		{"eks-linux.json", []string{
			"ng-amd64+spot | linux/amd64 | 3",
			"ng-graviton+spot | linux/arm64/v8 | 3",
		}},
		{"kind.json", []string{"kind-control-plane +2 | linux/amd64 | 3"}}, // kind-worker2 has no labels
		{"aks-win25-node.json", []string{"win25 | windows/amd64 10.0.26100 | 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", "nodes", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			nodes, err := ParseNodes(f)
			if err != nil {
				t.Fatal(err)
			}
			fleet := NodeFleet(nodes)
			var got []string
			for _, ft := range fleet {
				got = append(got, ft.Name+" | "+ft.Target.Platform.Display()+" | "+itoa(len(ft.Nodes)))
				if ft.Store != FleetContainerd || ft.Target.Source != SourceNodes {
					t.Errorf("%s: store %s, source %s", ft.Name, ft.Store, ft.Target.Source)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("fleet:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if err := fleet.Check(); err != nil {
				t.Error(err)
			}
			for _, n := range nodes {
				if len(n.Notes) > 0 {
					t.Errorf("%s: notes %v", n.Name, n.Notes)
				}
				if !strings.HasPrefix(n.Runtime, "containerd://") {
					t.Errorf("%s: runtime %q", n.Name, n.Runtime)
				}
			}
		})
	}
}

// A Karpenter pool of amd64 and arm64 nodes is two targets; the name of
// each says its platform.
func TestNodeFleetMixedPool(t *testing.T) {
	nodes := []Node{
		{Name: "a", Platform: Platform{OS: "linux", Architecture: "amd64"}, Pool: "default"},
		{Name: "b", Platform: Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}, Pool: "default"},
		{Name: "c", Platform: Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}},
	}
	names := func(nodes []Node) string {
		var got []string
		for _, ft := range NodeFleet(nodes) {
			got = append(got, ft.Name)
		}
		return strings.Join(got, "|")
	}
	if got, want := names(nodes[:2]), "default (linux/amd64)|default (linux/arm64/v8)"; got != want {
		t.Errorf("names %q, want %q", got, want)
	}
	if got, want := names(nodes), "default|default+c"; got != want {
		t.Errorf("names %q, want %q", got, want)
	}
}

// Malformed documents are refused with the node and the field at fault.
func TestParseNodesNamesNodeAndField(t *testing.T) {
	load := func(file string) map[string]any {
		b, err := os.ReadFile(filepath.Join("testdata", "nodes", file))
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		return doc
	}
	item := func(doc map[string]any, i int) map[string]any { return doc["items"].([]any)[i].(map[string]any) }
	info := func(doc map[string]any, i int) map[string]any {
		return item(doc, i)["status"].(map[string]any)["nodeInfo"].(map[string]any)
	}
	labels := func(doc map[string]any, i int) map[string]any {
		return item(doc, i)["metadata"].(map[string]any)["labels"].(map[string]any)
	}
	tests := []struct {
		name   string
		file   string
		edit   func(doc map[string]any)
		raw    string
		expect []string
	}{
		{"no architecture anywhere", "kind.json", func(d map[string]any) {
			delete(info(d, 1), "architecture")
			delete(labels(d, 1), "kubernetes.io/arch")
		}, "", []string{`node "kind-worker" (items[1])`, "status.nodeInfo.architecture", "missing"}},
		{"architecture a number", "kind.json", func(d map[string]any) { info(d, 0)["architecture"] = 64 },
			"", []string{`"kind-control-plane" (items[0])`, "status.nodeInfo.architecture", "number"}},
		{"labels a list", "gke.json", func(d map[string]any) { item(d, 3)["metadata"].(map[string]any)["labels"] = []any{"a=b"} },
			"", []string{`"gke-prod-arm-pool-71e6b0c3-0v2k" (items[3])`, "metadata.labels"}},
		{"os a sentence", "eks.json", func(d map[string]any) { info(d, 2)["operatingSystem"] = "linux; rm -rf" },
			"", []string{`"ip-10-0-1-87.us-west-2.compute.internal" (items[2])`, "status.nodeInfo.operatingSystem", "not a platform word"}},
		{"windows node without a build", "aks.json", func(d map[string]any) {
			info(d, 3)["kernelVersion"] = ""
			delete(labels(d, 3), "node.kubernetes.io/windows-build")
		}, "", []string{`"akswin19000000" (items[3])`, "status.nodeInfo.kernelVersion", "missing"}},
		{"windows build label unreadable", "aks.json", func(d map[string]any) {
			info(d, 4)["kernelVersion"] = ""
			labels(d, 4)["node.kubernetes.io/windows-build"] = "ltsc2022"
		}, "", []string{`"akswin22000000" (items[4])`, "metadata.labels.node.kubernetes.io/windows-build", "MAJOR.MINOR.BUILD"}},
		{"a pool label that is not a label value", "eks.json", func(d map[string]any) { labels(d, 0)["eks.amazonaws.com/nodegroup"] = "ng\x1b[2Jamd64" },
			"", []string{`"ip-10-0-1-23.us-west-2.compute.internal" (items[0])`, "metadata.labels.eks.amazonaws.com/nodegroup", `ng\x1b[2Jamd64`}},
		{"an item that is not a node", "kind.json", func(d map[string]any) { item(d, 2)["kind"] = "Pod" },
			"", []string{`"kind-worker2" (items[2])`, "kind", "not Node"}},
		{"a node without a name", "kind.json", func(d map[string]any) { delete(item(d, 2)["metadata"].(map[string]any), "name") },
			"", []string{"node items[2]", "metadata.name", "missing"}},
		{"the same node twice", "kind.json", func(d map[string]any) {
			d["items"] = append(d["items"].([]any), d["items"].([]any)[0])
		}, "", []string{`"kind-control-plane" (items[3])`, "metadata.name"}},
		{"another apiVersion", "kind.json", func(d map[string]any) { d["apiVersion"] = "v2" }, "", []string{"apiVersion", "v2"}},
		{"a list of pods", "kind.json", func(d map[string]any) { d["kind"] = "PodList" }, "", []string{"kind", "PodList"}},
		{"items an object", "kind.json", func(d map[string]any) { d["items"] = map[string]any{} }, "", []string{"items"}},
		{"no nodes", "kind.json", func(d map[string]any) { d["items"] = []any{} }, "", []string{"no nodes"}},
		{"kubectl's table", "", nil, "NAME                 STATUS   ROLES           AGE   VERSION\nkind-control-plane   Ready    control-plane   5d    v1.31.0\n", []string{"not JSON"}},
		{"cut short", "", nil, `{"apiVersion": "v1", "items": [{"kind": "Node", "metadata": {"name": "a"`, []string{"ends early"}},
		{"two documents", "", nil, `{"kind": "List", "items": []} {}`, []string{"after the document"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := tt.raw
			if tt.file != "" {
				doc := load(tt.file)
				tt.edit(doc)
				b, _ := json.Marshal(doc)
				raw = string(b)
			}
			_, err := ParseNodes(strings.NewReader(raw))
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, ErrNodes) {
				t.Errorf("not ErrNodes: %v", err)
			}
			for _, w := range tt.expect {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// Where a node's labels and status disagree, the status (what kubelet
// read from the machine) wins, and a note says so.
func TestNodeStatusBeatsLabels(t *testing.T) {
	doc := `{"kind":"Node","apiVersion":"v1","metadata":{"name":"w","labels":{"kubernetes.io/os":"windows","kubernetes.io/arch":"arm64","node.kubernetes.io/windows-build":"10.0.17763"}},
	"status":{"nodeInfo":{"operatingSystem":"windows","architecture":"amd64","kernelVersion":"10.0.20348.2762"}}}`
	nodes, err := ParseNodes(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	n := nodes[0]
	if n.Platform.Display() != "windows/amd64 10.0.20348" || len(n.Notes) != 2 {
		t.Errorf("%+v", n)
	}
	// No status at all: the labels say it.
	nodes, err = ParseNodes(strings.NewReader(`{"kind":"List","items":[{"metadata":{"name":"x","labels":{"kubernetes.io/os":"linux","kubernetes.io/arch":"arm"}}}]}`))
	if err != nil || nodes[0].Platform.String() != "linux/arm/v7" {
		t.Errorf("%+v %v", nodes, err)
	}
}
