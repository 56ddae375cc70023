package regtest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
)

// Blob is a descriptor of pushed content.
type Blob struct {
	MediaType   string            `json:"mediaType"`
	Digest      string            `json:"digest"`
	Size        int64             `json:"size"`
	Annotations map[string]string `json:"annotations,omitempty"`
	URLs        []string          `json:"urls,omitempty"`
}

// PushBlob uploads data to repo of the plain-HTTP registry at host, as
// any client does (POST, then PUT with the digest).
func PushBlob(t testing.TB, host, repo, mediaType string, data []byte) Blob {
	t.Helper()
	sum := sha256.Sum256(data)
	d := "sha256:" + hex.EncodeToString(sum[:])
	resp, err := http.Post("http://"+host+"/v2/"+repo+"/blobs/uploads/", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("upload to %s: %s", repo, resp.Status)
	}
	loc, err := resp.Request.URL.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	q := loc.Query()
	q.Set("digest", d)
	loc.RawQuery = q.Encode()
	req, _ := http.NewRequest(http.MethodPut, loc.String(), bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload of %s to %s: %s", d, repo, resp.Status)
	}
	return Blob{MediaType: mediaType, Digest: d, Size: int64(len(data))}
}

// PushImage pushes an OCI image of config and layers (already pushed) as
// repo:tag and returns its manifest's descriptor.
func PushImage(t testing.TB, host, repo, tag string, config Blob, layers ...Blob) Blob {
	t.Helper()
	m := map[string]any{
		"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
		"config": config, "layers": layers,
	}
	return PushManifest(t, host, repo, tag, "application/vnd.oci.image.manifest.v1+json", m)
}

// PushManifest puts v (JSON-encoded) as repo:ref.
func PushManifest(t testing.TB, host, repo, ref, mediaType string, v any) Blob {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return PushRawManifest(t, host, repo, ref, mediaType, b)
}

// PushRawManifest puts b, byte for byte, as repo:ref, as another tool
// would.
func PushRawManifest(t testing.TB, host, repo, ref, mediaType string, b []byte) Blob {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, "http://"+host+"/v2/"+repo+"/manifests/"+url.PathEscape(ref), bytes.NewReader(b))
	req.Header.Set("Content-Type", mediaType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("manifest %s:%s: %s", repo, ref, resp.Status)
	}
	sum := sha256.Sum256(b)
	return Blob{MediaType: mediaType, Digest: "sha256:" + hex.EncodeToString(sum[:]), Size: int64(len(b))}
}
