package model

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Clean makes text a registry sent safe to show on a terminal, on one line,
// without hiding anything: every character a terminal acts on or that
// hides itself becomes a visible escape. Escape sequences, C0 and C1
// controls and DEL read \x1b, \u009b…; line breaks and tabs \n, \r, \t;
// bidi controls and zero-width characters \u202e, \u200b…; invalid UTF-8
// bytes \xff. So the result carries nothing a terminal would act on, and
// two strings that differ only in hidden characters look different.
//
// Cleaning is for display only. The model keeps what the registry sent:
// matching, comparing, diffs, pushes and JSON use the raw values.
func Clean(s string) string {
	if isPlain(s) {
		return s
	}
	return escape(s, false)
}

// escape is Clean and EscapeControls. A block (raw JSON, a file's lines)
// keeps its line breaks and tabs and spells C0 controls as JSON does
// (\u001b), so escapes read alike inside JSON; one line spells them \x1b
// and names \n, \r and \t.
func escape(s string, block bool) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case block && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case !block && r == '\n':
			b.WriteString(`\n`)
		case !block && r == '\r':
			b.WriteString(`\r`)
		case !block && r == '\t':
			b.WriteString(`\t`)
		case !block && (r < 0x20 || r == 0x7f):
			fmt.Fprintf(&b, `\x%02x`, r)
		case isControl(r) || isBidi(r) || isInvisible(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isPlain is the fast path: printable ASCII needs no work.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

func isControl(r rune) bool { return r < 0x20 || (r >= 0x7f && r <= 0x9f) }

func isBidi(r rune) bool {
	return r == 0x061c || r == 0x200e || r == 0x200f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// isInvisible is a character that takes no room, or looks like none:
// zero-width spaces and joiners, word joiners and invisible operators, the
// byte-order mark, soft hyphen, Mongolian vowel separator, combining
// grapheme joiner, Hangul fillers and the line and paragraph separators.
func isInvisible(r rune) bool {
	switch {
	case r >= 0x200b && r <= 0x200d, r >= 0x2060 && r <= 0x2064, r == 0xfeff, r == 0x00ad, r == 0x180e,
		r == 0x034f, r == 0x115f, r == 0x1160, r == 0x3164, r == 0xffa0, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// EscapeControls keeps text whole but makes every control character, bidi
// override and invalid byte visible: ESC becomes `\u001b`. Line breaks and
// tabs stay, for the pretty-printed raw JSON view.
func EscapeControls(s string) string { return escape(s, true) }

// FirstControl finds the first character a terminal would act on, or that
// hides itself (a C0 control other than newline, DEL, a C1 control, a bidi
// control, a zero-width character), and returns the text around it; tests
// use it on whole screens and outputs.
func FirstControl(s string) (string, bool) {
	for i, r := range s {
		if r != '\n' && (isControl(r) || isBidi(r) || isInvisible(r)) {
			return s[max(i-20, 0):min(i+20, len(s))], true
		}
	}
	return "", false
}

// EscapeJSON makes encoded JSON safe to print: the characters JSON leaves
// as they are but a terminal acts on or hides (DEL, C1 controls, bidi and
// zero-width characters) become \uXXXX escapes. They can only stand inside
// strings, so the document decodes to the same raw values.
func EscapeJSON(b []byte) []byte {
	clean := true
	for _, c := range b {
		if c == 0x7f || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == 0x7f || (r >= 0x80 && r <= 0x9f) || isBidi(r) || isInvisible(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}
