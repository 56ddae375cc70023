package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
)

// logEntry is one status message, kept for `!`.
type logEntry struct {
	at   time.Time
	text string
	err  bool
}

// maxLog is how many messages the log keeps, the newest.
const maxLog = 200

// messagesOverlay shows the status messages in full, newest first (`!`):
// the status line cuts a long one to the width.
type messagesOverlay struct {
	c      *common
	lines  []string // the messages, wrapped to the width it opened at
	height int      // lines the overlay may take
	scroll int      // first line shown
}

func newMessages(c *common, log []logEntry, width, height int) overlay {
	st := c.styles
	var lines []string
	if len(log) == 0 {
		lines = append(lines, st.Faint.Render("  no messages yet"))
	}
	for i := len(log) - 1; i >= 0; i-- {
		e := log[i]
		style, mark := st.Text, "•"
		if e.err {
			style, mark = st.Error, "✗"
		}
		text := wrapIndent(mark+" "+e.at.Format("15:04:05")+"  "+model.Clean(e.text), width-2, 12)
		for _, l := range strings.Split(text, "\n") {
			lines = append(lines, "  "+style.Render(l))
		}
	}
	return &messagesOverlay{c: c, lines: lines, height: height}
}

// room is how many messages' lines show under the title.
func (m *messagesOverlay) room() int { return max(m.height-2, 1) }

func (m *messagesOverlay) Update(msg tea.Msg) (overlay, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	km := m.c.Keys
	switch {
	case key.Matches(k, km.Cancel, km.Quit, km.Messages, km.Back):
		return nil, nil
	case key.Matches(k, km.Up):
		m.scroll--
	case key.Matches(k, km.Down):
		m.scroll++
	case key.Matches(k, km.PageUp):
		m.scroll -= m.room()
	case key.Matches(k, km.PageDown):
		m.scroll += m.room()
	case key.Matches(k, km.Home):
		m.scroll = 0
	case key.Matches(k, km.End):
		m.scroll = len(m.lines)
	}
	m.scroll = max(min(m.scroll, len(m.lines)-m.room()), 0)
	return m, nil
}

// View is the title and the messages scrolled; it fills the content area,
// so the screen under it does not show between its lines.
func (m *messagesOverlay) View(int) string {
	st := m.c.styles
	km := m.c.Keys
	head := st.Title.Render("Messages") + st.Faint.Render("  newest first · "+keyHint(km.Up)+keyHint(km.Down)+" scroll · "+keyHint(km.Cancel)+" closes")
	shown := m.lines[m.scroll:min(m.scroll+m.room(), len(m.lines))]
	return clipLines(head+"\n"+strings.Join(shown, "\n"), m.height)
}
