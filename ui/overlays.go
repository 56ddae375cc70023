package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"platypus/model"
)

// gotoOverlay asks for any reference (`g`).
type gotoOverlay struct {
	c     *Common
	input textinput.Model
}

func newGotoOverlay(c *Common) overlay {
	ti := newTextInput()
	ti.Prompt = "go to: "
	ti.Placeholder = "host, repository, repo:tag, repo@sha256:…, ocidir://path"
	ti.CharLimit = 512
	ti.Focus()
	return &gotoOverlay{c: c, input: ti}
}

func (g *gotoOverlay) Update(msg tea.Msg) (overlay, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch k.String() {
		case "esc":
			return nil, nil
		case "enter":
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
	return g.c.Styles.Accent.Render(g.input.View()) + "\n" + g.c.Styles.Faint.Render("enter opens · esc cancels")
}

// picker chooses the target platform (`p`): the host, common platforms,
// or any platform typed in Docker's syntax.
type picker struct {
	c      *Common
	items  []pickItem
	cursor int
	input  textinput.Model
}

type pickItem struct {
	label  string
	target model.Target
}

func newPicker(c *Common) overlay {
	host := model.HostTarget()
	items := []pickItem{{"this host" + noteOf(host), host}}
	for _, t := range model.CommonTargets {
		items = append(items, pickItem{t.Label, model.FlagTarget(t.Platform, model.SourcePicker)})
	}
	ti := newTextInput()
	ti.Prompt = "or type: "
	ti.Placeholder = "linux/arm64/v8 or windows/amd64 10.0.17763"
	ti.CharLimit = 100
	p := &picker{c: c, items: items, input: ti}
	for i, it := range items {
		if it.target.Platform.Equal(c.Target.Platform) {
			p.cursor = i
		}
	}
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
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		var cmd tea.Cmd
		p.input, cmd = p.input.Update(msg)
		return p, cmd
	}
	if p.input.Focused() {
		switch k.String() {
		case "esc":
			p.input.Blur()
			return p, nil
		case "enter":
			t, err := parseTyped(p.input.Value())
			if err != nil {
				return p, status(err.Error(), true)
			}
			return nil, func() tea.Msg { return targetMsg{target: t} }
		}
		var cmd tea.Cmd
		p.input, cmd = p.input.Update(msg)
		return p, cmd
	}
	switch k.String() {
	case "esc", "q", "p":
		return nil, nil
	case "up", "k":
		p.cursor = max(p.cursor-1, 0)
	case "down", "j":
		p.cursor = min(p.cursor+1, len(p.items)-1)
	case "/", "tab", "t":
		return p, p.input.Focus()
	case "enter":
		t := p.items[p.cursor].target
		return nil, func() tea.Msg { return targetMsg{target: t} }
	}
	return p, nil
}

// parseTyped reads "linux/arm64/v8", "windows/amd64 10.0.17763" or
// "windows(10.0.17763)/amd64".
func parseTyped(s string) (model.Target, error) {
	plat, osv, _ := strings.Cut(strings.TrimSpace(s), " ")
	p, err := model.ParsePlatform(plat)
	if err != nil {
		return model.Target{}, err
	}
	if osv = strings.TrimSpace(osv); osv != "" {
		p.OSVersion = osv
	}
	return model.FlagTarget(p, model.SourcePicker), nil
}

func (p *picker) View(width int) string {
	st := p.c.Styles
	lines := []string{st.Title.Render("Target platform") + st.Faint.Render("  (enter picks · / types one · esc closes)")}
	for i, it := range p.items {
		line := "  " + it.label
		if it.label != "this host"+noteOf(it.target) {
			line += st.Faint.Render("  " + it.target.Platform.Display())
		}
		if i == p.cursor && !p.input.Focused() {
			line = st.Selected.Render("› " + strings.TrimPrefix(line, "  "))
		}
		lines = append(lines, fitLine(line, width))
	}
	lines = append(lines, "  "+p.input.View(), "")
	return strings.Join(lines, "\n")
}
