package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// A 200 KB annotation value is cut in inspect's table, saying how long it
// is and where to read it whole; JSON keeps every byte.
func TestInspectCutsLongAnnotationsInTables(t *testing.T) {
	srv := startDemoServer(t)
	config := regtest.PushBlob(t, srv.Host, "test/annotated", "application/vnd.oci.image.config.v1+json",
		[]byte(`{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}`))
	long := strings.Repeat("é", 100_000) // 200,000 bytes
	regtest.PushManifest(t, srv.Host, "test/annotated", "1", "application/vnd.oci.image.manifest.v1+json", map[string]any{
		"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": config, "layers": []any{},
		"annotations": map[string]string{"org.example.long": long, "org.example.short": "kept"},
	})
	ref := srv.Host + "/test/annotated:1"
	out, stderr, code := cli(t, "", "inspect", ref, "--platform", "linux/amd64")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if len(out) > 4000 || !strings.Contains(out, "org.example.long="+strings.Repeat("é", 200)+"… (200000 bytes; -o json shows it whole)") || !strings.Contains(out, "org.example.short=kept") {
		t.Errorf("%d bytes of table:\n%.1000s", len(out), out)
	}
	out, _, _ = cli(t, "", "inspect", ref, "--platform", "linux/amd64", "-o", "json")
	var rep output.Inspect
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Annotations["org.example.long"] != long {
		t.Errorf("JSON lost the value whole (%d bytes): %v", len(rep.Annotations["org.example.long"]), err)
	}
}
