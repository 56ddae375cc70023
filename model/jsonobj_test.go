package model

import (
	"errors"
	"strings"
	"testing"
)

func TestFilterIndex(t *testing.T) {
	e := func(n int, extra string) string {
		return `{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"` + dig(n) + `","size":5` + extra + `}`
	}
	raw := `{"schemaVersion":2,"x-first":{"z":1,"a":[true]},"mediaType":"application/vnd.oci.image.index.v1+json",` +
		`"manifests":[` + e(1, `,"platform":{"architecture":"amd64","os":"linux"}`) + `,` + e(2, `,"x-entry":"<b>&"`) + `,` + e(3, "") + `],` +
		`"annotations":{"note":"a<b"}}`
	m, err := DecodeManifest([]byte(raw), "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := FilterIndex(m, func(i int, e Entry) bool { return e.Digest != dig(1) })
	if err != nil {
		t.Fatal(err)
	}
	// Every other member is kept where it was, with its own member order
	// ("architecture" before "os"), and nothing is HTML-escaped.
	want := `{"schemaVersion":2,"x-first":{"z":1,"a":[true]},"mediaType":"application/vnd.oci.image.index.v1+json",` +
		`"manifests":[` + e(2, `,"x-entry":"<b>&"`) + `,` + e(3, "") + `],"annotations":{"note":"a<b"}}`
	if flat := strings.Join(strings.Fields(string(got)), ""); flat != want {
		t.Errorf("FilterIndex =\n%s\nwant (spaces aside)\n%s", got, want)
	}
	if !strings.HasPrefix(string(got), "{\n  \"schemaVersion\": 2,\n") {
		t.Errorf("FilterIndex is not indented by two spaces:\n%s", got)
	}
	// The filter sees positions and entries; keeping none leaves an empty list.
	var seen []int
	none, err := FilterIndex(m, func(i int, e Entry) bool { seen = append(seen, i); return false })
	if err != nil || !strings.Contains(string(none), `"manifests": []`) || len(seen) != 3 || seen[2] != 2 {
		t.Errorf("keeping none: %s, %v (saw %v)", none, err, seen)
	}
	// An index whose raw bytes are not an object cannot be filtered.
	bad := *m
	bad.Raw = []byte(`[1]`)
	if _, err := FilterIndex(&bad, func(int, Entry) bool { return true }); !errors.Is(err, errNotObject) {
		t.Errorf("FilterIndex of a JSON array: %v, want errNotObject", err)
	}
}

func TestParseObject(t *testing.T) {
	o, err := parseObject([]byte(` {"b": 1, "a": {"y":2,"x":1}, "b2": "s"} `))
	if err != nil {
		t.Fatal(err)
	}
	o.set("a", marshalRaw("<new>"))
	o.set("c", marshalRaw(map[string]string{"k": "v"}))
	o.del("b")
	o.del("missing")
	if got, want := string(o.compact()), `{"a":"<new>","b2":"s","c":{"k":"v"}}`; got != want {
		t.Errorf("after set and del: %s, want %s", got, want)
	}
	for _, in := range []string{``, `[1]`, `"s"`, `{"a":`, `{"a" 1}`, `{"a":1,}`, `{"a":1`, `{"a":1} {}`, `{"a":1}]`} {
		if o, err := parseObject([]byte(in)); !errors.Is(err, errNotObject) {
			t.Errorf("parseObject(%q) = %v, %v; want errNotObject", in, o, err)
		}
	}
}
