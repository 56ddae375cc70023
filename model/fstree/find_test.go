package fstree

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// ReadAt's offsets are where each file's bytes are in the tar stream, for
// names in the header, in PAX records and in GNU long-name records; Files
// finds every file record of a path, as a scan of the records does.
func TestReadAtOffsetsAndFiles(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for range 300 {
		name := "d" + strconv.Itoa(r.IntN(5)) + "/f" + strconv.Itoa(r.IntN(40))
		if r.IntN(10) == 0 {
			name = strings.Repeat("long/", 30) + name // PAX or GNU long name
		}
		h := &tar.Header{Name: name, Mode: 0o644, Typeflag: tar.TypeReg, Format: []tar.Format{tar.FormatPAX, tar.FormatGNU, tar.FormatUnknown}[r.IntN(3)]}
		var body []byte
		switch r.IntN(6) {
		case 0:
			h.Typeflag, h.Name = tar.TypeDir, name+"-dir/"
		case 1:
			h.Typeflag, h.Linkname = tar.TypeSymlink, "target"
		default:
			body = make([]byte, r.IntN(3000))
			for k := range body {
				body[k] = byte(r.Uint32())
			}
			h.Size = int64(len(body))
			if r.IntN(8) == 0 {
				h.PAXRecords = map[string]string{"user.comment": strings.Repeat("x", r.IntN(2000))}
				h.Format = tar.FormatPAX
			}
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		_, _ = tw.Write(body)
	}
	_ = tw.Close()
	raw := buf.Bytes()
	offsets := map[int]int64{}
	l, err := ReadAt(bytes.NewReader(raw), 0, DefaultLimits(), func(rec int, off int64) { offsets[rec] = off })
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	for i := range l.Len() {
		rec := l.Record(i)
		off, ok := offsets[i]
		if rec.Type != File {
			if ok {
				t.Errorf("record %d (%s) is no file but has an offset", i, rec.Type)
			}
			continue
		}
		files++
		if !ok || off%512 != 0 || off+rec.Size > int64(len(raw)) || sha256.Sum256(raw[off:off+rec.Size]) != rec.Digest {
			t.Fatalf("%s: offset %d (%v) holds other bytes", rec.Path, off, ok)
		}
		var want []int
		for j := range l.Len() {
			if o := l.Record(j); o.Path == rec.Path && o.Type == File && !o.Whiteout {
				want = append(want, j)
			}
		}
		if got := l.Files(rec.Path); !slices.Equal(got, want) {
			t.Fatalf("Files(%s) = %v, want %v", rec.Path, got, want)
		}
	}
	if files < 100 || l.Files("no/such") != nil || l.Files("d1") != nil {
		t.Errorf("%d files; Files of a missing path or a directory found some", files)
	}
}

// A sparse file's bytes are not in one piece: no offset.
func TestReadAtSparseHasNoOffset(t *testing.T) {
	var got []int64
	if _, err := ReadAt(bytes.NewReader(sparseTar(4096)), 0, DefaultLimits(), func(_ int, off int64) { got = append(got, off) }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []int64{-1}) {
		t.Errorf("offsets %v", got)
	}
}
