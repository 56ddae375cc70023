package ui

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"platypus/model"
	"platypus/registry"
)

// Replies from the registry. Each carries the id of the screen that asked
// and, where a screen can ask twice, a sequence number so stale replies are
// dropped.
type (
	treeMsg struct {
		id, seq int
		tree    *model.Tree
		err     error
	}
	pageMsg struct {
		id, seq int
		last    string // the "last" the page was asked after
		page    registry.Page
		err     error
	}
	summaryMsg struct {
		id      int
		tag     string
		summary registry.Summary
		err     error
	}
	configMsg struct {
		id  int
		cfg *model.Config
		err error
	}
	referrersMsg struct {
		id, seq int
		refs    []model.Descriptor
		err     error
	}
)

func (m treeMsg) screenID() int      { return m.id }
func (m pageMsg) screenID() int      { return m.id }
func (m summaryMsg) screenID() int   { return m.id }
func (m configMsg) screenID() int    { return m.id }
func (m referrersMsg) screenID() int { return m.id }

func loadTree(ctx context.Context, c *registry.Client, id, seq int, r model.Reference, configs bool) tea.Cmd {
	return func() tea.Msg {
		t, err := c.Expand(ctx, r, registry.ExpandOptions{Children: true, Configs: configs})
		return treeMsg{id: id, seq: seq, tree: t, err: err}
	}
}

func loadTags(ctx context.Context, c *registry.Client, id, seq int, r model.Reference, last string) tea.Cmd {
	return func() tea.Msg {
		p, err := c.Tags(ctx, r, last, registry.DefaultPageSize)
		return pageMsg{id: id, seq: seq, last: last, page: p, err: err}
	}
}

func loadRepos(ctx context.Context, c *registry.Client, id, seq int, host, last string, n int) tea.Cmd {
	return func() tea.Msg {
		p, err := c.Repositories(ctx, host, last, n)
		return pageMsg{id: id, seq: seq, last: last, page: p, err: err}
	}
}

func loadSummary(ctx context.Context, c *registry.Client, id int, r model.Reference) tea.Cmd {
	return func() tea.Msg {
		s, err := c.Summarize(ctx, r)
		return summaryMsg{id: id, tag: r.Tag, summary: s, err: err}
	}
}

func loadConfig(ctx context.Context, c *registry.Client, id int, r model.Reference, d model.Descriptor) tea.Cmd {
	return func() tea.Msg {
		cfg, err := c.Config(ctx, r, d)
		return configMsg{id: id, cfg: cfg, err: err}
	}
}

func loadReferrers(ctx context.Context, c *registry.Client, id, seq int, r model.Reference) tea.Cmd {
	return func() tea.Msg {
		refs, err := c.Referrers(ctx, r)
		return referrersMsg{id: id, seq: seq, refs: refs, err: err}
	}
}
