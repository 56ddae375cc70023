package model

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Whatever document --nodes is given: no panic, and what is accepted
// makes a fleet that can be shown (names present, unique, printable).
func FuzzParseNodes(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", "nodes", "aks-win25-node.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b))
	f.Add(`{"kind":"List","items":[{"metadata":{"name":"a","labels":{"kubernetes.io/os":"linux","kubernetes.io/arch":"arm64","karpenter.sh/nodepool":"p"}}},{"metadata":{"name":"b"},"status":{"nodeInfo":{"operatingSystem":"windows","architecture":"amd64","kernelVersion":"10.0.20348.1"}}}]}`)
	f.Add(`{"items":[{"metadata":{"name":"x","labels":{"kubernetes.io/os":"linux","kubernetes.io/arch":"amd64"}}}],"kind":"NodeList"}`)
	f.Fuzz(func(t *testing.T, doc string) {
		nodes, err := ParseNodes(strings.NewReader(doc))
		if err != nil {
			return
		}
		for _, n := range nodes {
			if n.Name == "" || n.Platform.OS == "" || n.Platform.Architecture == "" {
				t.Fatalf("node %+v", n)
			}
			if n.Platform.OS == "windows" && CheckTargetOSVersion(n.Platform.OSVersion) != nil {
				t.Fatalf("windows node %+v without a readable build", n)
			}
		}
		fleet := NodeFleet(nodes)
		if err := fleet.Check(); err != nil && len(fleet) <= MaxFleet {
			t.Fatalf("%v: %+v", err, fleet)
		}
	})
}
