package registry

import (
	"encoding/json"
	"testing"
)

// FuzzReferrersCount: whatever chunks a referrers page arrives in, the
// descriptors counted as it arrives (what limits.referrers bounds) are the
// elements encoding/json decodes from its "manifests" (what regclient
// keeps), or the scan says it cannot tell.
func FuzzReferrersCount(f *testing.F) {
	f.Add([]byte(`{"schemaVersion":2,"manifests":[{"digest":"sha256:1","annotations":{"a":"}]"}},{"digest":"x"}]}`), uint8(3))
	f.Add([]byte(`{"manifests":[ null , {} ,[1,{}], "s" ],"annotations":{"manifests":"[{}]"}}`), uint8(1))
	f.Add([]byte(`{"Manifests":[]}`), uint8(2))
	f.Add([]byte(`{"subject":{"manifests":[{}]},"manifests":[{"x":[{},{}]}]}`), uint8(5))
	f.Fuzz(func(t *testing.T, body []byte, chunk uint8) {
		var want struct {
			Manifests []json.RawMessage `json:"manifests"`
		}
		if json.Unmarshal(body, &want) != nil {
			return
		}
		s := newNameScanner("manifests")
		s.objects = true
		step := int(chunk)%7 + 1
		for i := 0; i < len(body); i += step {
			s.write(body[i:min(i+step, len(body))])
			if len(s.take()) != 0 {
				t.Fatal("names picked out of a referrers page")
			}
		}
		if s.err != nil {
			return
		}
		if s.count != len(want.Manifests) {
			t.Fatalf("counted %d descriptors, decoded %d", s.count, len(want.Manifests))
		}
	})
}
