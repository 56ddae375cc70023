package ui

import (
	"context"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry"
)

// What the explorer asks of registries, in the parts its screens use. A
// *registry.Client is all of them; a test gives a screen what it shows
// from memory instead (memregistry_test.go).
type (
	// manifestReader reads manifests, configs and small blobs: the index,
	// image, diff, referrers and attestation screens, and tag rows.
	manifestReader interface {
		Expand(ctx context.Context, r model.Reference, o registry.ExpandOptions) (*model.Tree, error)
		Summarize(ctx context.Context, r model.Reference) (registry.Summary, error)
		Referrers(ctx context.Context, r model.Reference) ([]model.Descriptor, error)
		Blob(ctx context.Context, r model.Reference, d model.Descriptor, limit int64) ([]byte, error)
	}
	// lister lists repositories and tags.
	lister interface {
		Repositories(ctx context.Context, host, last string, n int) (registry.Page, error)
		TagsStream(ctx context.Context, r model.Reference, last string, n int, emit registry.Emit) (registry.Page, error)
		AllTags(ctx context.Context, r model.Reference) ([]string, error)
	}
	// fileReader reads an image's layers and the files in them.
	fileReader interface {
		ImageLayers(ctx context.Context, img *registry.Image, o registry.LayerOptions) ([]fstree.Layer, error)
		FileContent(ctx context.Context, img *registry.Image, e fstree.Entry, o registry.FileOptions) (*registry.Content, error)
		// Unpacked is the layers' unpacked size, if they were all read.
		Unpacked(layers []model.Descriptor) (n int64, estimated, ok bool)
	}
	// tagWriter writes tags: the composer's drafts and pushes, copies.
	tagWriter interface {
		StartDraft(ctx context.Context, target model.Reference, amend bool) (*model.Draft, *model.Manifest, error)
		DraftEntries(ctx context.Context, r model.Reference) ([]model.DraftEntry, error)
		Current(ctx context.Context, r model.Reference) (*model.Manifest, error)
		Push(ctx context.Context, d *model.Draft, o registry.PushOptions) (registry.PushResult, error)
		PlanCopy(ctx context.Context, src, dst model.Reference, platforms []model.Target) (*registry.CopyPlan, error)
		RunCopy(ctx context.Context, p *registry.CopyPlan, referrers bool, j registry.Journal, progress func(step string, done, total int)) (registry.CopyOutcome, error)
	}
	// undoer takes changes back, and names tags as the journal does.
	undoer interface {
		PreviewUndo(ctx context.Context, j registry.UndoJournal, reference string, o registry.UndoOptions) (registry.UndoPreview, error)
		Undo(ctx context.Context, j registry.UndoJournal, reference string, o registry.UndoOptions) (registry.UndoResult, error)
		JournalName(r model.Reference) string
		FromJournal(name string) (model.Reference, error)
	}
	// checker gathers what the release check needs (check.go): the facts,
	// by a registry.Checker, and the tree a draft would push.
	checker interface {
		NewChecker() *registry.Checker
		DraftTree(ctx context.Context, d *model.Draft) (*model.Tree, map[string]model.Reference, error)
	}
	// scanner judges every tag of a repository, within the pull quota.
	scanner interface {
		Quota(host string) registry.Quota
		CheckScanBudget(ctx context.Context, repo model.Reference, tags []string, share float64, askOver int) error
		Scan(ctx context.Context, repo model.Reference, tags []string, target model.Target, fn func(registry.ScanResult))
		ScanFleet(ctx context.Context, repo model.Reference, tags []string, fleet model.Fleet, fn func(registry.ScanResult))
	}
)

// Registry is everything the explorer asks of registries;
// *registry.Client is the real one.
type Registry interface {
	manifestReader
	lister
	fileReader
	tagWriter
	undoer
	checker
	scanner
}

var _ Registry = (*registry.Client)(nil)
