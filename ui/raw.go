package ui

import (
	"bytes"
	"encoding/json"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
)

// rawScreen shows a manifest, index or config as pretty, highlighted JSON,
// with control characters escaped.
type rawScreen struct {
	base
	ref       model.Reference
	what      string
	mediaType string
	text      textPane
}

// newRawScreen returns a raw view of content fetched for ref.
func newRawScreen(ref model.Reference, what, mediaType string, raw []byte) screenMaker {
	return func(b base) screen {
		return &rawScreen{base: b, ref: ref, what: what, mediaType: mediaType, text: newTextPane(highlightJSON(b.c.styles, prettyJSON(raw)))}
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

func (s *rawScreen) Bindings() []key.Binding { return s.text.bindings(s.c.Keys.paneKeys()) }

func (s *rawScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.text.setSize(w, h-2)
}

func (s *rawScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	return s, s.text.update(msg, s.c.Keys.paneKeys())
}

func (s *rawScreen) View() string {
	st := s.c.styles
	info := s.ref.Digest + " · " + s.mediaType + " · " + plural(len(s.text.lines), "line")
	if s.text.sideways() {
		info = "← → scroll sideways · " + info
	}
	head := st.Faint.Render(fitLine(info, s.w))
	return head + "\n\n" + s.text.view()
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
		var lines []string
		for _, l := range strings.Split(strings.TrimRight(model.EscapeControls(comments), "\n"), "\n") {
			lines = append(lines, c.styles.Faint.Render(l))
		}
		lines = append(lines, highlightJSON(c.styles, prettyJSON(raw))...)
		return &rawScreen{base: b, ref: target.WithDigest(model.DigestOf(raw)), what: "preview", mediaType: "what P pushes", text: newTextPane(lines)}
	}
}
