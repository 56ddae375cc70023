package main

import (
	"context"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/state"
)

// What the commands' helpers ask of the registry client, one part per
// helper: a *registry.Client is each of them, and a test gives a helper
// what it reads from memory.
type (
	// draftReader: applyCompose adds the entries of the tags it is given.
	draftReader interface {
		DraftEntries(ctx context.Context, r model.Reference) ([]model.DraftEntry, error)
	}
	// imageReader: diffImages resolves both sides and reads their layers.
	imageReader interface {
		fileReader
		ResolveImage(ctx context.Context, r model.Reference, target model.Target) (*registry.Image, error)
		ImageLayers(ctx context.Context, img *registry.Image, o registry.LayerOptions) ([]fstree.Layer, error)
	}
	// fileReader: diffFiles reads the files it compares.
	fileReader interface {
		FileContent(ctx context.Context, img *registry.Image, e fstree.Entry, o registry.FileOptions) (*registry.Content, error)
		ResolveFile(ctx context.Context, img *registry.Image, p string, o registry.LayerOptions) (fstree.Entry, []fstree.Layer, error)
	}
	// referrerLister: referrerDrift lists both sides' referrers.
	referrerLister interface {
		Referrers(ctx context.Context, r model.Reference) ([]model.Descriptor, error)
	}
	// tagScanner: checkTags lists a repository's tags within the quota.
	tagScanner interface {
		AllTags(ctx context.Context, r model.Reference) ([]string, error)
		CheckScanBudget(ctx context.Context, repo model.Reference, tags []string, share float64, askOver int) error
	}
	// journalNamer: printHistory names tags as the journal does.
	journalNamer interface {
		JournalName(r model.Reference) string
	}
	// historyReader: printHistory reads the journal, and names it.
	historyReader interface {
		Read(reference string) (state.History, error)
		Path() string
	}
)
