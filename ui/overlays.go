package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
)

// gotoOverlay asks for any reference (`g`).
type gotoOverlay struct {
	c     *common
	input textinput.Model
}

func newGotoOverlay(c *common) overlay {
	ti := newTextInput()
	ti.Prompt = "go to: "
	ti.Placeholder = "host, repository, repo:tag, repo@sha256:…, ocidir://path"
	ti.CharLimit = 512
	ti.Focus()
	return &gotoOverlay{c: c, input: ti}
}

func (g *gotoOverlay) Update(msg tea.Msg) (overlay, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		in := g.c.Keys.inputKeys()
		switch {
		case key.Matches(k, in.Cancel):
			return nil, nil
		case key.Matches(k, in.Accept):
			v := strings.TrimSpace(g.input.Value())
			if v == "" {
				return nil, nil
			}
			return nil, goTo(g.c, v)
		}
	}
	var cmd tea.Cmd
	g.input, cmd = g.input.Update(msg)
	return g, cmd
}

func (g *gotoOverlay) View(width int) string {
	in := g.c.Keys.inputKeys()
	return g.c.styles.Accent.Render(inputView(g.input)) + "\n" + g.c.styles.Faint.Render(keyHint(in.Accept)+" opens · "+keyHint(in.Cancel)+" cancels")
}

// picker chooses the target platform (`p`): the host, common platforms,
// or any platform typed in Docker's syntax; or several of them (space),
// or a saved fleet, judged together.
type picker struct {
	c      *common
	items  []pickItem
	cursor int
	input  textinput.Model
	// chosen are the items space selected, parallel to items.
	chosen []bool
}

type pickItem struct {
	label  string
	target model.Target
	// fleet is set for a saved fleet, which enter applies whole.
	fleet model.Fleet
}

func newPicker(c *common, current model.Target, fleet model.Fleet) overlay {
	items := savedFleetItems(c.Fleets)
	host := model.HostTarget()
	items = append(items, pickItem{label: "this host" + noteOf(host), target: host})
	for _, t := range model.CommonTargets {
		items = append(items, pickItem{label: t.Label, target: model.FlagTarget(t.Platform, model.SourcePicker)})
	}
	ti := newTextInput()
	ti.Prompt = "or type: "
	ti.Placeholder = "linux/arm64/v8 or windows/amd64 10.0.17763"
	ti.CharLimit = 100
	p := &picker{c: c, items: items, input: ti, chosen: make([]bool, len(items))}
	for i, it := range items {
		if it.fleet == nil && it.target.Platform.Equal(current.Platform) {
			p.cursor = i
		}
	}
	p.showFleet(fleet)
	return p
}

func noteOf(t model.Target) string {
	s := " (" + t.Platform.Display() + ")"
	if t.Note != "" {
		s += " — " + t.Note
	}
	return s
}

func (p *picker) Update(msg tea.Msg) (overlay, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		var cmd tea.Cmd
		p.input, cmd = p.input.Update(msg)
		return p, cmd
	}
	km := p.c.Keys
	if p.input.Focused() {
		in := km.inputKeys()
		switch {
		case key.Matches(k, in.Cancel):
			p.input.Blur()
			return p, nil
		case key.Matches(k, in.Accept):
			t, err := parseTyped(p.input.Value())
			if err != nil {
				return p, status(err.Error(), true)
			}
			if p.choosing() {
				return p.apply(pickItem{target: t})
			}
			return nil, func() tea.Msg { return targetMsg{target: t} }
		}
		var cmd tea.Cmd
		p.input, cmd = p.input.Update(msg)
		return p, cmd
	}
	switch {
	case key.Matches(k, km.Cancel, km.Quit, km.Platform):
		return nil, nil
	case key.Matches(k, km.Up):
		p.cursor = max(p.cursor-1, 0)
	case key.Matches(k, km.Down):
		p.cursor = min(p.cursor+1, len(p.items)-1)
	case key.Matches(k, km.Filter, km.NextPane):
		return p, p.input.Focus()
	case key.Matches(k, km.Mark):
		return p, p.toggle()
	case key.Matches(k, km.Enter) && (p.choosing() || p.items[p.cursor].fleet != nil):
		return p.apply()
	case key.Matches(k, km.Enter):
		t := p.items[p.cursor].target
		return nil, func() tea.Msg { return targetMsg{target: t} }
	}
	return p, nil
}

// parseTyped reads a target as typed: "linux/arm64/v8",
// "windows/amd64 10.0.17763" or "windows(10.0.17763)/amd64".
func parseTyped(s string) (model.Target, error) {
	p, err := model.ParsePlatformLine(s)
	if err != nil {
		return model.Target{}, err
	}
	return model.FlagTarget(p, model.SourcePicker), nil
}

func (p *picker) View(width int) string {
	st := p.c.styles
	lines := []string{fitStyled(st.Title.Render("Target platform")+st.Faint.Render(p.hint()), width)}
	for i, it := range p.items {
		line := "  " + p.box(i) + it.label
		switch {
		case it.fleet != nil:
			line += st.Faint.Render("  " + plural(len(it.fleet), "target"))
		case it.label != "this host"+noteOf(it.target):
			line += st.Faint.Render("  " + it.target.Platform.Display())
		}
		if i == p.cursor && !p.input.Focused() {
			line = st.Selected.Render("› " + strings.TrimPrefix(line, "  "))
		}
		lines = append(lines, fitStyled(line, width))
	}
	lines = append(lines, "  "+inputView(p.input), "")
	return strings.Join(lines, "\n")
}
