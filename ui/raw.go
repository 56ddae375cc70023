package ui

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

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
}

// newRawScreen returns a raw view of content fetched for ref.
func newRawScreen(ref model.Reference, what, mediaType string, raw []byte) screenMaker {
	return func(b base) screen {
		c := b.c
		s := &rawScreen{base: b, ref: ref, what: what, mediaType: mediaType}
		s.lines = highlightJSON(c.styles, prettyJSON(raw))
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
	return []key.Binding{km.Up, km.Down, km.PageDown}
}

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
	head := st.Faint.Render(fitLine(s.ref.Digest+" · "+s.mediaType+" · "+itoa(len(s.lines))+" lines", s.w))
	return head + "\n\n" + s.vp.View()
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
