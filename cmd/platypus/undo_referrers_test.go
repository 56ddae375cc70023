package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/platypus-tui/platypus/registry/regtest"
)

// A copy that created a tag, with the chart's signature and SBOM copied
// along, is undone on distribution (which deletes no tags): the chart
// would go by digest and leave its two referrers pointing at nothing, so
// undo names them and exits 1; --force deletes it and lists them (issue
// 22: it deleted without looking).
func TestUndoNamesTheReferrersItWouldOrphan(t *testing.T) {
	srv := composeEnv(t)
	d := regtest.StartDistribution(t, regtest.DistributionOptions{})
	dst := d.Host + "/platypus/charts:0.1.0"
	if _, stderr, code := cli(t, "", "copy", srv.Host+"/platypus/charts:0.1.0", dst, "--yes"); code != 0 {
		t.Fatalf("copy: exit %d %s", code, stderr)
	}
	chart := digestOf(t, dst)
	_, stderr, code := cli(t, "", "undo", dst)
	if code != 1 || !strings.Contains(stderr, "2 referrers point at "+chart[7:19]) || !strings.Contains(stderr, "application/vnd.cncf.notary.signature") ||
		!strings.Contains(stderr, "application/spdx+json") || !strings.Contains(stderr, "undo --force") {
		t.Fatalf("undo: exit %d %s", code, stderr)
	}
	if digestOf(t, dst) != chart {
		t.Fatal("a refused undo deleted the chart")
	}
	out, stderr, code := cli(t, "", "undo", dst, "--force", "-o", "json")
	var res struct {
		Deleted           string   `json:"deleted"`
		OrphanedReferrers []string `json:"orphanedReferrers"`
	}
	if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil || res.Deleted != "digest" || len(res.OrphanedReferrers) != 2 {
		t.Fatalf("undo --force: exit %d %s %s", code, out, stderr)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := compileSchema(t, filepath.Join("..", "..", "docs", "json"), "undo").Validate(doc); err != nil {
		t.Errorf("undo --force -o json does not fit docs/json/undo.schema.json: %v", err)
	}
	if _, _, code := cli(t, "", "inspect", d.Host+"/platypus/charts@"+chart); code != 1 {
		t.Errorf("the chart is still there after undo --force (exit %d)", code)
	}
}
