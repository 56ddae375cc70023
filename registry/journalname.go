package registry

import (
	"fmt"
	"strings"

	"github.com/platypus-tui/platypus/model"
)

// DemoJournalPrefix names the built-in demo registry in the journal. Its
// address is a loopback port that changes every run while its content is
// rebuilt the same each time, so the journal records its tags by this
// stable name ("demo://library/centos:7"), which no registry reference can
// be mistaken for, and maps it back to this run's address.
const DemoJournalPrefix = "demo://"

// WithDemo tells the client which host is this run's demo registry.
func WithDemo(host string) Option { return func(o *options) { o.demo = host } }

// JournalName is how the journal names the tag r.
func (c *Client) JournalName(r model.Reference) string {
	if c.opts.demo != "" && r.Registry == c.opts.demo && !r.IsOCIDir() {
		return DemoJournalPrefix + strings.TrimPrefix(r.String(), c.opts.demo+"/")
	}
	return r.String()
}

// journalKey is JournalName of a reference given as text ("" stays "").
func (c *Client) journalKey(reference string) string {
	if reference == "" {
		return ""
	}
	r, err := model.ParseReference(reference)
	if err != nil {
		return reference
	}
	return c.JournalName(r)
}

// FromJournal is the tag a journal name stands for in this run.
func (c *Client) FromJournal(name string) (model.Reference, error) {
	if rest, ok := strings.CutPrefix(name, DemoJournalPrefix); ok {
		if c.opts.demo == "" {
			return model.Reference{}, fmt.Errorf("%w (%s): run it with --demo", ErrDemoJournal, name)
		}
		name = c.opts.demo + "/" + rest
	}
	r, err := model.ParseReference(name)
	if err != nil {
		return model.Reference{}, fmt.Errorf("journal: %w", err)
	}
	return r, nil
}

// IsDemo tells whether r is in this run's demo registry.
func (c *Client) IsDemo(r model.Reference) bool {
	return c.opts.demo != "" && r.Registry == c.opts.demo && !r.IsOCIDir()
}
