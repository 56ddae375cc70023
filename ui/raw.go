package ui

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"platypus/model"
)

// rawScreen shows a manifest, index or config as pretty, highlighted JSON,
// with control characters escaped.
type rawScreen struct {
	base
	ref       model.Reference
	what      string
	mediaType string
	lines     []string
	vp        viewport.Model
	// xoff is how far the view is scrolled sideways (← →); widest is the
	// longest line.
	xoff, widest int
}

// newRawScreen returns a raw view of content fetched for ref.
func newRawScreen(ref model.Reference, what, mediaType string, raw []byte) screenMaker {
	return func(b base) screen {
		c := b.c
		s := &rawScreen{base: b, ref: ref, what: what, mediaType: mediaType}
		s.lines = highlightJSON(c.styles, prettyJSON(raw))
		for _, l := range s.lines {
			s.widest = max(s.widest, ansi.StringWidth(l))
		}
		s.vp = viewport.New(0, 0)
		s.vp.SetContent(strings.Join(s.lines, "\n"))
		return s
	}
}

// prettyJSON indents raw JSON; what is not JSON is shown as it came. Every
// control character becomes visible (`\u001b`), in both cases.
func prettyJSON(raw []byte) string {
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return model.EscapeControls(string(raw))
	}
	return model.EscapeControls(buf.String())
}

func (s *rawScreen) Init() tea.Cmd                { return nil }
func (s *rawScreen) Crumb() string                { return s.what + ".json" }
func (s *rawScreen) Ref() (model.Reference, bool) { return s.ref, s.ref.Digest != "" }

func (s *rawScreen) Bindings() []key.Binding {
	km := s.c.Keys
	out := []key.Binding{km.PageUp, km.PageDown}
	if s.widest > s.w {
		left, right := km.Collapse, km.Expand
		left.SetHelp(left.Help().Key, "scroll left")
		right.SetHelp(right.Help().Key, "scroll right")
		out = append(out, left, right)
	}
	return out
}

// sideStep is how far ← and → scroll.
const sideStep = 8

func (s *rawScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.vp.Width, s.vp.Height = w, max(h-2, 1)
}

func (s *rawScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	km := s.c.Keys
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, km.Up):
			s.vp.ScrollUp(1)
		case key.Matches(msg, km.Down):
			s.vp.ScrollDown(1)
		case key.Matches(msg, km.PageUp):
			s.vp.PageUp()
		case key.Matches(msg, km.PageDown):
			s.vp.PageDown()
		case key.Matches(msg, km.Home):
			s.vp.GotoTop()
		case key.Matches(msg, km.End):
			s.vp.GotoBottom()
		case key.Matches(msg, km.Collapse):
			s.xoff = max(s.xoff-sideStep, 0)
		case key.Matches(msg, km.Expand):
			s.xoff = min(s.xoff+sideStep, max(s.widest-s.w+1, 0))
		}
	case tea.MouseMsg:
		var cmd tea.Cmd
		s.vp, cmd = s.vp.Update(msg)
		return s, cmd
	}
	return s, nil
}

func (s *rawScreen) View() string {
	st := s.c.styles
	info := s.ref.Digest + " · " + s.mediaType + " · " + plural(len(s.lines), "line")
	if s.widest > s.w {
		info = "← → scroll sideways · " + info
	}
	head := st.Faint.Render(fitLine(info, s.w))
	return head + "\n\n" + s.body()
}

// body is the lines on screen, cut to the width at the sideways offset:
// a "…" marks where a line goes on beyond either edge.
func (s *rawScreen) body() string {
	start := min(s.vp.YOffset, len(s.lines))
	end := min(start+s.vp.Height, len(s.lines))
	out := make([]string, 0, s.vp.Height)
	for _, l := range s.lines[start:end] {
		w := ansi.StringWidth(l)
		seg := ansi.Cut(l, s.xoff, s.xoff+s.w)
		if s.xoff > 0 && w > s.xoff {
			seg = "…" + ansi.Cut(l, s.xoff+1, s.xoff+s.w)
		}
		if w > s.xoff+s.w {
			seg = ansi.Cut(seg, 0, s.w-1) + "…"
		}
		out = append(out, seg)
	}
	for len(out) < s.vp.Height {
		out = append(out, "")
	}
	return strings.Join(out, "\n")
}

// highlightJSON colours indented JSON line by line: keys, strings, numbers
// and literals. It only adds styles; the text stays as given.
func highlightJSON(st styles, text string) []string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = highlightLine(st, l)
	}
	return lines
}

func highlightLine(st styles, l string) string {
	var b strings.Builder
	for i := 0; i < len(l); {
		c := l[i]
		switch {
		case c == '"':
			j := i + 1
			for j < len(l) && l[j] != '"' {
				if l[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(l))
			tok := l[i:j]
			rest := strings.TrimLeft(l[j:], " ")
			if strings.HasPrefix(rest, ":") {
				b.WriteString(st.JSONKey.Render(tok))
			} else {
				b.WriteString(st.JSONString.Render(tok))
			}
			i = j
		case c == '-' || (c >= '0' && c <= '9'):
			j := i
			for j < len(l) && strings.ContainsRune("-+.eE0123456789", rune(l[j])) {
				j++
			}
			b.WriteString(st.JSONNumber.Render(l[i:j]))
			i = j
		case strings.HasPrefix(l[i:], "true") || strings.HasPrefix(l[i:], "null"):
			b.WriteString(st.JSONLiteral.Render(l[i : i+4]))
			i += 4
		case strings.HasPrefix(l[i:], "false"):
			b.WriteString(st.JSONLiteral.Render(l[i : i+5]))
			i += 5
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// newPreviewScreen shows the exact JSON a push will write, after comment
// lines (the diff).
func newPreviewScreen(target model.Reference, comments string, raw []byte) screenMaker {
	return func(b base) screen {
		c := b.c
		s := &rawScreen{base: b, ref: target.WithDigest(model.DigestOf(raw)), what: "preview", mediaType: "what P pushes"}
		for _, l := range strings.Split(strings.TrimRight(model.EscapeControls(comments), "\n"), "\n") {
			s.lines = append(s.lines, c.styles.Faint.Render(l))
		}
		s.lines = append(s.lines, highlightJSON(c.styles, prettyJSON(raw))...)
		s.vp = viewport.New(0, 0)
		s.vp.SetContent(strings.Join(s.lines, "\n"))
		return s
	}
}
