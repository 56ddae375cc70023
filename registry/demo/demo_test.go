package demo

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestSeedIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := Seed(a); err != nil {
		t.Fatal(err)
	}
	if err := Seed(b); err != nil {
		t.Fatal(err)
	}
	for _, repo := range Repositories {
		x, err1 := os.ReadFile(filepath.Join(a, repo, "index.json"))
		y, err2 := os.ReadFile(filepath.Join(b, repo, "index.json"))
		if err1 != nil || err2 != nil || !bytes.Equal(x, y) {
			t.Errorf("%s: two seeds differ (%v %v)", repo, err1, err2)
		}
	}
}

// BenchmarkSeed measures seeding the whole demo registry.
func BenchmarkSeed(b *testing.B) {
	for b.Loop() {
		if err := Seed(b.TempDir()); err != nil {
			b.Fatal(err)
		}
	}
}
