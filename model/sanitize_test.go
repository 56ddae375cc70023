package model

import (
	"encoding/json"
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

func TestCleanEscapesEveryControlVisibly(t *testing.T) {
	for _, in := range hostile {
		out := Clean(in)
		if ctx, bad := FirstControl(out); bad || strings.Contains(out, "\n") {
			t.Errorf("Clean(%q) = %q keeps a control near %q", in, out, ctx)
		}
		if in != "" && out == "" {
			t.Errorf("Clean(%q) hid everything", in)
		}
		if Clean(out) != out {
			t.Errorf("Clean is not idempotent on %q", in)
		}
	}
}

func TestCleanShowsWhatIsHidden(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":           "plain text",
		"héllo wörld ✓ 日本":     "héllo wörld ✓ 日本",
		"\x1b[31mred\x1b[0m":   `\x1b[31mred\x1b[0m`,
		"line1\nline2\ttab\r":  `line1\nline2\ttab\r`,
		"\u202eevil":           `\u202eevil`,
		"linux/arm64\u200b/v8": `linux/arm64\u200b/v8`,
		"\ufeffbom\u2060":      `\ufeffbom\u2060`,
		"\u009b31m":            `\u009b31m`,
		"a\x00b\x7f":           `a\x00b\x7f`,
		"\xff\xfe":             `\xff\xfe`,
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
	if Clean("source") == Clean("source\u202e") {
		t.Error("keys that differ in a hidden character look the same")
	}
}

func TestEscapeJSON(t *testing.T) {
	in := []byte(`{"a":"x\u001b` + "\u009b\u202e\u200b\x7f" + `日本"}`)
	out := EscapeJSON(in)
	if ctx, bad := FirstControl(string(out)); bad {
		t.Fatalf("control left near %q in %s", ctx, out)
	}
	var a, b map[string]string
	if json.Unmarshal(in, &a) != nil || json.Unmarshal(out, &b) != nil || a["a"] != b["a"] {
		t.Errorf("the values changed: %q → %q", a["a"], b["a"])
	}
}

func TestEscapeControls(t *testing.T) {
	for in, want := range map[string]string{
		"{\n\t\"a\": \"\x1b[31m\u202e\"\n}": "{\n\t\"a\": \"\\u001b[31m\\u202e\"\n}",
		"plain text 日本":                     "plain text 日本",
		"crlf\r\n":                          "crlf\\u000d\n",
		"a\x00b\x07c\x7f":                   `a\u0000b\u0007c\u007f`,
		"\u009b31m\u200b\ufeff":             `\u009b31m\u200b\ufeff`,
		"\xff\xfe":                          `\xff\xfe`,
	} {
		if got := EscapeControls(in); got != want {
			t.Errorf("EscapeControls(%q) = %q, want %q", in, got, want)
		}
	}
}

// Clean and EscapeControls are one escaper: they differ only in line
// breaks, tabs and the spelling of C0 controls (\x1b in a line, \u001b in
// a block, as JSON spells it).
func FuzzEscapeControls(f *testing.F) {
	for _, h := range hostile {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := EscapeControls(s)
		for _, r := range out {
			if r != '\n' && r != '\t' && (isControl(r) || isBidi(r) || isInvisible(r)) {
				t.Fatalf("EscapeControls(%q) = %q keeps %U", s, out, r)
			}
		}
		if strings.Count(out, "\n") != strings.Count(s, "\n") {
			t.Fatalf("EscapeControls(%q) = %q changed the lines", s, out)
		}
		if !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) && Clean(s) != out {
			t.Fatalf("Clean(%q) = %q but EscapeControls = %q", s, Clean(s), out)
		}
	})
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
