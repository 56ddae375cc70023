package main

import (
	"context"
	"io"
	"testing"

	"github.com/platypus-tui/platypus/registry/demo"
)

// BenchmarkTagsCommand1M runs `platypus tags -o json` on a repository of a
// million tags, served at once by the in-process demo registry.
func BenchmarkTagsCommand1M(b *testing.B) {
	srv, err := demo.Start(demo.Options{Extra: demo.SeedManyTags(1_000_000)})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	ref := srv.Host + "/" + demo.ManyTagsRepository
	for b.Loop() {
		if code := run(context.Background(), []string{"tags", ref, "-o", "json"}, nil, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
