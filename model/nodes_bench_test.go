package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkParseNodes reads a 5,000-node EKS document, each node listing
// the 50 images kubelet reports: about 130 MB, read an item at a time.
func BenchmarkParseNodes(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("testdata", "nodes", "eks.json"))
	if err != nil {
		b.Fatal(err)
	}
	var doc struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		b.Fatal(err)
	}
	var images []any
	for i := range 50 {
		images = append(images, map[string]any{"names": []string{fmt.Sprintf("602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/image-%d@sha256:%064x", i, i)}, "sizeBytes": 1000000 + i})
	}
	var items []any
	for i := range 5000 {
		n := map[string]any{}
		for k, v := range doc.Items[i%len(doc.Items)] {
			n[k] = v
		}
		meta := map[string]any{}
		for k, v := range n["metadata"].(map[string]any) {
			meta[k] = v
		}
		meta["name"] = fmt.Sprintf("node-%05d", i)
		n["metadata"] = meta
		st := map[string]any{}
		for k, v := range n["status"].(map[string]any) {
			st[k] = v
		}
		st["images"] = images
		n["status"] = st
		items = append(items, n)
	}
	big, err := json.MarshalIndent(map[string]any{"apiVersion": "v1", "kind": "List", "items": items}, "", "    ")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(big)))
	b.ResetTimer()
	for b.Loop() {
		nodes, err := ParseNodes(bytes.NewReader(big))
		if err != nil || len(nodes) != 5000 {
			b.Fatal(len(nodes), err)
		}
	}
}
