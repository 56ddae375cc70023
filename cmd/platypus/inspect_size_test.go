package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
)

// inspect's size column is the explorer's one size (issue 22): config and
// layers as stored, named CFG+LAYERS in the header, with and without --all
// and in the fleet matrix. It showed the manifest's own size under SIZE.
// Each entry's manifest, read over plain HTTP, is the oracle; the JSON's
// "size" stays the manifest's, "compressedSize" is the column's.
func TestInspectSizeIsConfigPlusLayers(t *testing.T) {
	isolateHome(t)
	srv := startDemoServer(t)
	ref := srv.Host + "/platypus/webapp:1.0"
	want := map[string]int64{} // short digest → config+layers
	rep := inspectJSON(t, ref, "--platform", "linux/arm64")
	for _, e := range rep.Entries {
		req, _ := http.NewRequest(http.MethodGet, "http://"+srv.Host+"/v2/platypus/webapp/manifests/"+e.Digest, nil)
		req.Header.Set("Accept", e.MediaType)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			Config struct{ Size int64 }
			Layers []struct{ Size int64 }
		}
		err = json.NewDecoder(resp.Body).Decode(&m)
		_ = resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		n := m.Config.Size
		for _, l := range m.Layers {
			n += l.Size
		}
		want[model.ShortDigest(e.Digest)] = n
		if e.CompressedSize == nil || *e.CompressedSize != n || e.Size == n {
			t.Errorf("%s: compressedSize %v, size %d; config+layers are %d", e.Digest, e.CompressedSize, e.Size, n)
		}
	}
	nodes := "../../model/testdata/nodes/aks.json"
	for _, args := range [][]string{{}, {"--all"}, {"--nodes", nodes}, {"--nodes", nodes, "--all"}} {
		out, stderr, code := cli(t, "", append([]string{"inspect", ref, "--platform", "linux/arm64"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		header, rows := tableUnder(out, "PLATFORM ")
		col := strings.Index(header, sizeHeader)
		if col < 0 || strings.Contains(header, " SIZE ") || strings.Contains(header, "COMPRESSED") {
			t.Fatalf("%v: header %q, want one size column named %s", args, header, sizeHeader)
		}
		dcol := strings.Index(header, "DIGEST")
		for _, row := range rows {
			short := strings.Fields(row[dcol:])[0]
			n, ok := want[short]
			if !ok {
				t.Errorf("%v: a row of no entry: %q", args, row)
				continue
			}
			if cell := strings.Fields(row[col:])[0]; cell != model.HumanSize(n) {
				t.Errorf("%v: %s shows %s under %s, config+layers are %s", args, short, cell, sizeHeader, model.HumanSize(n))
			}
		}
	}
}

// tableUnder returns the header line that starts with (after spaces and a
// selection mark) prefix, and the rows below it up to a blank line or the
// matrix's legend.
func tableUnder(out, prefix string) (string, []string) {
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimLeft(l, " >"), prefix) {
			var rows []string
			for _, r := range lines[i+1:] {
				if strings.TrimSpace(r) == "" || strings.HasPrefix(r, "✓ ") {
					break
				}
				rows = append(rows, r)
			}
			return l, rows
		}
	}
	return "", nil
}

// An index's total is its images' CFG+LAYERS, as the tags row and the
// index header say (README: "summed over an index's images"), not its
// attestations': the JSON's top-level compressedSize and the text's size
// row, against the image entries' own sizes.
func TestInspectIndexTotalIsTheImages(t *testing.T) {
	isolateHome(t)
	srv := startDemoServer(t)
	ref := srv.Host + "/platypus/webapp:1.0"
	rep := inspectJSON(t, ref)
	var images, all int64
	for _, e := range rep.Entries {
		if e.CompressedSize == nil {
			t.Fatalf("%s: no compressedSize", e.Digest)
		}
		all += *e.CompressedSize
		if e.Kind == string(model.KindImage) {
			images += *e.CompressedSize
		}
	}
	if images == all {
		t.Fatal("the fixture has no attestations: the test proves nothing")
	}
	if rep.CompressedSize == nil || *rep.CompressedSize != images {
		got := int64(-1)
		if rep.CompressedSize != nil {
			got = *rep.CompressedSize
		}
		t.Errorf("compressedSize %d, the images hold %d", got, images)
	}
	out, stderr, code := cli(t, "", "inspect", ref)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "size        " + model.HumanSize(images) + " config+layers in all, "; !strings.Contains(out, want) {
		t.Errorf("inspect lacks %q:\n%s", want, out)
	}
}
