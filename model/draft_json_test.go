package model

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The index a push writes, byte for byte: new entries are encoded as OCI
// descriptors (artifactType only in an OCI index), and an edited entry of
// an amended index keeps its other fields and gets the new platform.
func TestDraftJSONDescriptors(t *testing.T) {
	win := &Platform{OS: "windows", Architecture: "amd64", OSVersion: "10.0.20348.2340", OSFeatures: []string{"win32k"}}
	full := dentry(1, win, MediaOCIManifest)
	full.ArtifactType = "application/vnd.example"
	full.Annotations = map[string]string{"b": "2", "a": "1"}
	bare := dentry(2, nil, MediaOCIManifest)
	d := draftOf(full, bare)
	for _, c := range []struct {
		name, indexType string
		want            string
	}{
		{"oci", MediaOCIIndex, `{
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.index.v1+json",
  "manifests": [
    {
      "mediaType": "application/vnd.oci.image.manifest.v1+json",
      "digest": "` + dig(1) + `",
      "size": 500,
      "artifactType": "application/vnd.example",
      "platform": {
        "os": "windows",
        "architecture": "amd64",
        "os.version": "10.0.20348.2340",
        "os.features": [
          "win32k"
        ]
      },
      "annotations": {
        "a": "1",
        "b": "2"
      }
    },
    {
      "mediaType": "application/vnd.oci.image.manifest.v1+json",
      "digest": "` + dig(2) + `",
      "size": 500
    }
  ]
}`},
		{"docker", MediaDockerList, `{
  "schemaVersion": 2,
  "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
  "manifests": [
    {
      "mediaType": "application/vnd.oci.image.manifest.v1+json",
      "digest": "` + dig(1) + `",
      "size": 500,
      "platform": {
        "os": "windows",
        "architecture": "amd64",
        "os.version": "10.0.20348.2340",
        "os.features": [
          "win32k"
        ]
      },
      "annotations": {
        "a": "1",
        "b": "2"
      }
    },
    {
      "mediaType": "application/vnd.oci.image.manifest.v1+json",
      "digest": "` + dig(2) + `",
      "size": 500
    }
  ]
}`},
	} {
		d.MediaType = c.indexType
		got, err := d.JSON()
		if err != nil || string(got) != c.want {
			t.Errorf("%s: JSON() = %s, %v; want\n%s", c.name, got, err, c.want)
		}
	}

	// Amending: the entry's unknown field and order stay, its platform is
	// replaced, its annotations dropped.
	raw := `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[` +
		`{"x-unknown":true,"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"` + dig(3) + `","size":7,` +
		`"platform":{"architecture":"arm64","os":"linux"},"annotations":{"k":"v"}}]}`
	m, err := DecodeManifest([]byte(raw), "")
	if err != nil {
		t.Fatal(err)
	}
	am := &Draft{Target: repoRef("r.example/app:1"), MediaType: MediaOCIIndex, Raw: []byte(raw)}
	am.Entries = []DraftEntry{EntryFromIndex(repoRef("r.example/app"), m.Entries[0])}
	am.Entries[0].Platform = &Platform{OS: "linux", Architecture: "arm", Variant: "v7"}
	am.Entries[0].Annotations = nil
	got, err := am.JSON()
	want := `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[` +
		`{"x-unknown":true,"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"` + dig(3) + `","size":7,` +
		`"platform":{"os":"linux","architecture":"arm","variant":"v7"}}]}`
	if err != nil || strings.Join(strings.Fields(string(got)), "") != want {
		t.Errorf("amended JSON() = %s, %v; want (spaces aside)\n%s", got, err, want)
	}
}

// savedDraft is a draft file as the composer saved it before DraftEntry
// embedded Descriptor (recorded from that version): it still loads, and a
// draft saves to the same keys and values, in whatever order.
const savedDraft = `{
  "target": "r.example/app:1",
  "mediaType": "application/vnd.oci.image.index.v1+json",
  "entries": [
    {
      "source": "r.example/app@sha256:0000000000000000000000000000000000000000000000000000000000000001",
      "mediaType": "application/vnd.oci.image.manifest.v1+json",
      "digest": "sha256:0000000000000000000000000000000000000000000000000000000000000001",
      "size": 500,
      "kind": "image",
      "artifactType": "application/vnd.example",
      "platform": {
        "os": "windows",
        "architecture": "amd64",
        "os.version": "10.0.20348.2340"
      },
      "annotations": {
        "a": "1"
      },
      "subject": "sha256:0000000000000000000000000000000000000000000000000000000000000002"
    }
  ],
  "updated": "2026-01-02T03:04:05Z"
}`

func TestDraftFileFormat(t *testing.T) {
	e := dentry(1, &Platform{OS: "windows", Architecture: "amd64", OSVersion: "10.0.20348.2340"}, MediaOCIManifest)
	e.ArtifactType, e.Annotations, e.Subject = "application/vnd.example", map[string]string{"a": "1"}, dig(2)
	want := draftOf(e)
	want.Updated = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

	var got Draft
	if err := json.Unmarshal([]byte(savedDraft), &got); err != nil || !reflect.DeepEqual(&got, want) {
		t.Errorf("the saved draft loads as %+v, %v; want %+v", got, err, want)
	}
	b, err := json.MarshalIndent(want, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	var saved, now any
	_ = json.Unmarshal([]byte(savedDraft), &saved)
	if err := json.Unmarshal(b, &now); err != nil || !reflect.DeepEqual(now, saved) {
		t.Errorf("a draft now saves as\n%s\nwant the keys and values of\n%s", b, savedDraft)
	}
}
