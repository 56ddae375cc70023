package ui

import (
	"context"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
)

// prepareScreen is the first screen while the explorer gets what it needs
// first (the demo registry starting, a second or two on a slow machine):
// it says what it is doing, and keys typed meanwhile wait (loader).
type prepareScreen struct {
	base
	what string
	job  func(context.Context) (Prepared, error)
	spin spinner.Model
	done bool
}

// preparedMsg hands the App what the prepare job gave.
type preparedMsg struct {
	p   Prepared
	err error
}

func newPrepareScreen(what string, job func(context.Context) (Prepared, error)) screenMaker {
	return func(b base) screen {
		if what == "" {
			what = "getting ready"
		}
		return &prepareScreen{base: b, what: what, job: job, spin: newSpinner()}
	}
}

func (s *prepareScreen) Init() tea.Cmd {
	ctx, q := s.start(jobPrepare, "")
	return tea.Batch(s.spin.Tick, run(ctx, q, s.job))
}

func (s *prepareScreen) Crumb() string           { return "starting" }
func (s *prepareScreen) Loading() bool           { return true } // until the first screens replace it
func (s *prepareScreen) Bindings() []key.Binding { return nil }
func (s *prepareScreen) SetSize(w, h int)        { s.w, s.h = w, h }

func (s *prepareScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case reply[Prepared]:
		s.done = true
		p, err := msg.val, msg.err
		return s, func() tea.Msg { return preparedMsg{p: p, err: err} }
	case spinner.TickMsg:
		return s, tick(&s.spin, !s.done, msg)
	}
	return s, nil
}

func (s *prepareScreen) View() string {
	st := s.c.styles
	return s.spin.View() + " " + st.Text.Render(wrap(s.what+"…", s.w-2)) + "\n\n" +
		st.Faint.Render(wrap("keys typed now are kept until it is ready", s.w))
}

// prepared takes what the prepare job gave: the registry client and where
// to open, then the first screens; or it ends the explorer with the error.
func (a *explorer) prepared(m preparedMsg) tea.Cmd {
	if m.err != nil {
		a.fatal = m.err
		return tea.Quit
	}
	if m.p.Client != nil {
		a.c.Client = m.p.Client
	}
	a.c.Demo = m.p.Demo
	o := Options{Location: m.p.Location, Remember: m.p.Remember}
	return a.reset(firstScreens(o))
}
