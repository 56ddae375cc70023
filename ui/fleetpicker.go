package ui

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
)

// The picker's fleet half: space selects several platforms, enter judges
// them together; a saved fleet is applied whole.

// savedFleetItems are the picker's first lines, a saved fleet each.
func savedFleetItems(saved []SavedFleet) []pickItem {
	items := make([]pickItem, 0, len(saved))
	for _, f := range saved {
		if len(f.Fleet) == 0 {
			continue
		}
		names := make([]string, len(f.Fleet))
		for i, m := range f.Fleet {
			names[i] = m.Name
		}
		label := "fleet " + f.Name + ": " + strings.Join(names, ", ")
		items = append(items, pickItem{label: model.Clean(label), fleet: f.Fleet})
	}
	return items
}

// showFleet puts the cursor on the saved fleet being judged, or selects
// the platforms a fleet picked here holds.
func (p *picker) showFleet(fleet model.Fleet) {
	if len(fleet) == 0 {
		return
	}
	for i, it := range p.items {
		if it.fleet != nil && sameFleet(it.fleet, fleet) {
			p.cursor = i
			return
		}
	}
	for _, m := range fleet {
		for i, it := range p.items {
			if it.fleet == nil && pickName(it.target) == m.Name && it.target.Platform.Equal(m.Target.Platform) {
				p.chosen[i] = true
			}
		}
	}
}

func sameFleet(a, b model.Fleet) bool {
	return slices.EqualFunc(a, b, func(x, y model.FleetTarget) bool {
		return x.Name == y.Name && x.Store == y.Store && x.Target.Platform.Equal(y.Target.Platform)
	})
}

// choosing tells whether space has selected a platform.
func (p *picker) choosing() bool { return slices.Contains(p.chosen, true) }

// toggle selects or leaves the platform under the cursor, then moves on,
// as space marks tags.
func (p *picker) toggle() tea.Cmd {
	if p.items[p.cursor].fleet != nil {
		return status("a saved fleet is judged whole: "+keyHint(p.c.Keys.Enter)+" applies it", true)
	}
	p.chosen[p.cursor] = !p.chosen[p.cursor]
	p.cursor = min(p.cursor+1, len(p.items)-1)
	return nil
}

// apply judges for what was chosen (and typed), or for the saved fleet
// under the cursor; one platform chosen is one target, as enter on it.
func (p *picker) apply(typed ...pickItem) (overlay, tea.Cmd) {
	if saved := p.items[p.cursor].fleet; !p.choosing() && len(typed) == 0 {
		return nil, func() tea.Msg { return targetMsg{target: saved[0].Target, fleet: saved} }
	}
	var fleet model.Fleet
	for i, it := range p.items {
		if p.chosen[i] {
			fleet = appendPicked(fleet, it.target)
		}
	}
	for _, it := range typed {
		fleet = appendPicked(fleet, it.target)
	}
	if len(fleet) == 1 {
		t := fleet[0].Target
		return nil, func() tea.Msg { return targetMsg{target: t} }
	}
	if err := fleet.Check(); err != nil {
		return p, status(err.Error(), true)
	}
	return nil, func() tea.Msg { return targetMsg{target: fleet[0].Target, fleet: fleet} }
}

// appendPicked adds a platform picked here, judged by Docker's rules and
// named as --platform spells it; one already there is not added twice.
func appendPicked(f model.Fleet, t model.Target) model.Fleet {
	name := pickName(t)
	if slices.ContainsFunc(f, func(m model.FleetTarget) bool { return m.Name == name }) {
		return f
	}
	return append(f, model.FleetTarget{Name: name, Target: t, Store: model.FleetDocker})
}

// pickName names a picked platform: crane's os/arch[/variant][:osversion].
func pickName(t model.Target) string {
	if t.Source == model.SourceHost {
		return "host"
	}
	name := t.Platform.String()
	if t.Platform.OSVersion != "" {
		name += ":" + t.Platform.OSVersion
	}
	return name
}

// hint is the picker's title's keys.
func (p *picker) hint() string {
	km := p.c.Keys
	if p.choosing() {
		count := 0
		for _, c := range p.chosen {
			if c {
				count++
			}
		}
		return "  (" + itoa(count) + " selected: " + keyHint(km.Enter) + " judges them together · " + keyHint(km.Mark) + " (un)selects · " + keyHint(km.Cancel) + " closes)"
	}
	return "  (" + keyHint(km.Enter) + " picks · " + keyHint(km.Mark) + " selects several · " + keyHint(km.Filter) + " types one · " + keyHint(km.Cancel) + " closes)"
}

// box is an item's check box, shown once something is selected.
func (p *picker) box(i int) string {
	switch {
	case !p.choosing() || p.items[i].fleet != nil:
		return ""
	case p.chosen[i]:
		return "[x] "
	}
	return "[ ] "
}
