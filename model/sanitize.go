package model

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Clean makes text a registry sent safe to put on a terminal as one line.
// It removes escape sequences whole (CSI, OSC such as OSC 52 clipboard
// writes and OSC 8 links, DCS, SOS, PM, APC, in their 7-bit and C1 forms),
// every other C0 and C1 control, DEL and the bidi overrides that can make a
// string read differently from what it is; tabs and line breaks become one
// space each and invalid UTF-8 becomes U+FFFD. Decoding applies it to every
// string that enters the model, so no view can forget it.
func Clean(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
			i++
		case r == 0x1b:
			i = skipEscape(s, i+1)
		case r == 0x9b: // C1 CSI
			i = skipCSI(s, i+size)
		case r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f: // OSC, DCS, SOS, PM, APC
			i = skipString(s, i+size)
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
			i += size
		case isControl(r) || isBidi(r):
			i += size
		default:
			b.WriteString(s[i : i+size])
			i += size
		}
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

// skipEscape skips the sequence that follows an ESC at s[i-1].
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', 'X', '^', '_':
		return skipString(s, i+1)
	}
	// nF sequences: intermediates 0x20-0x2f then one final byte.
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipCSI skips parameter and intermediate bytes up to the final byte.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 0x20 && c <= 0x3f:
			i++
		case c >= 0x40 && c <= 0x7e:
			return i + 1
		default: // malformed: stop here and let the caller look at c
			return i
		}
	}
	return i
}

// skipString skips an OSC/DCS-style string up to BEL, ESC \ or C1 ST.
func skipString(s string, i int) int {
	for i < len(s) {
		if s[i] == 0x07 {
			return i + 1
		}
		if s[i] == 0x1b {
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i + 1
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == 0x9c {
			return i + size
		}
		i += size
	}
	return i
}

// CleanAll applies Clean to every string of a slice, in place, and returns it.
func CleanAll(ss []string) []string {
	for i, s := range ss {
		ss[i] = Clean(s)
	}
	return ss
}

// CleanMap returns a copy of m with keys and values cleaned, or nil for an
// empty map.
func CleanMap(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[Clean(k)] = Clean(v)
	}
	return out
}

// EscapeControls keeps text whole but makes every control character, bidi
// override and invalid byte visible: ESC becomes `\u001b`. Line breaks and
// tabs stay, for the pretty-printed raw JSON view.
func EscapeControls(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case isControl(r) || isBidi(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// FirstControl finds the first character a terminal would act on (a C0
// control other than newline, DEL, a C1 control or a bidi override) and
// returns the text around it; tests use it on whole screens and outputs.
func FirstControl(s string) (string, bool) {
	for i, r := range s {
		if r != '\n' && (isControl(r) || isBidi(r)) {
			return s[max(i-20, 0):min(i+20, len(s))], true
		}
	}
	return "", false
}
