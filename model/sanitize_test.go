package model

import (
	"strings"
	"testing"
)

// hostile carries every kind of sequence a registry could use to attack a terminal.
var hostile = []string{
	"\x1b[31mred\x1b[0m",                                   // CSI colour
	"\x1b]52;c;cHduZWQ=\x07",                               // OSC 52 clipboard write, BEL-terminated
	"\x1b]52;c;cHduZWQ=\x1b\\",                             // OSC 52, ST-terminated
	"\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\", // OSC 8 hyperlink
	"\x1b]0;pwned title\x07",                               // title change
	"\x1bP1$r0m\x1b\\",                                     // DCS
	"\x9b31m",                                              // C1 CSI
	"\x9d0;title\x9c",                                      // C1 OSC
	"a\x00b\x07c\x08d\x7fe",                                // bare C0 and DEL
	"\u202eevil\u202c",                                     // bidi override
	"\u2066isolate\u2069",                                  // bidi isolate
	"line1\nline2\rline3\ttab",                             // breaks and tabs
	"\xff\xfe invalid utf8",                                // invalid bytes
	"\x1b[",                                                // truncated CSI
	"\x1b]52;c;unterminated",                               // truncated OSC
}

func TestCleanRemovesEveryControl(t *testing.T) {
	for _, in := range hostile {
		out := Clean(in)
		for _, r := range out {
			if r < 0x20 || (r >= 0x7f && r <= 0x9f) || isBidi(r) {
				t.Errorf("Clean(%q) = %q keeps control %U", in, out, r)
			}
		}
		if strings.Contains(out, "52;") || strings.Contains(out, "evil.example") || strings.Contains(out, "pwned") {
			t.Errorf("Clean(%q) = %q keeps the payload of a sequence", in, out)
		}
	}
}

func TestCleanKeepsText(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":         "plain text",
		"\x1b[31mred\x1b[0m": "red",
		"\x1b]8;;https://x\x1b\\link\x1b]8;;\x1b\\": "link",
		"line1\nline2":     "line1 line2",
		"héllo wörld ✓ 日本": "héllo wörld ✓ 日本",
		"\u202eevil":       "evil",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEscapeControls(t *testing.T) {
	got := EscapeControls("{\n\t\"a\": \"\x1b[31m\u202e\"\n}")
	want := "{\n\t\"a\": \"\\u001b[31m\\u202e\"\n}"
	if got != want {
		t.Errorf("EscapeControls = %q, want %q", got, want)
	}
}

func FuzzClean(f *testing.F) {
	for _, h := range hostile {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Clean(s)
		for _, r := range out {
			if r < 0x20 || (r >= 0x7f && r <= 0x9f) || isBidi(r) {
				t.Fatalf("Clean(%q) = %q keeps %U", s, out, r)
			}
		}
		if Clean(out) != out {
			t.Fatalf("Clean is not idempotent on %q", s)
		}
	})
}
