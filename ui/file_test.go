package ui

import (
	"slices"
	"testing"
)

// hexDump writes what hexdump -C writes; tabs expand to columns of eight.
func TestHexDumpAndTabs(t *testing.T) {
	got := hexDump([]byte("\x7fELF\x02\x01\x01\x00hello, world!\n\x1b[31m"))
	want := []string{
		"00000000  7f 45 4c 46 02 01 01 00  68 65 6c 6c 6f 2c 20 77  |.ELF....hello, w|",
		"00000010  6f 72 6c 64 21 0a 1b 5b  33 31 6d                 |orld!..[31m|",
	}
	if !slices.Equal(got, want) {
		t.Errorf("hexDump:\n%q\nwant\n%q", got, want)
	}
	for in, want := range map[string]string{"a\tb": "a       b", "\tx": "        x", "abcdefgh\ti": "abcdefgh        i", "plain": "plain"} {
		if got := expandTabs(in); got != want {
			t.Errorf("expandTabs(%q) = %q, want %q", in, got, want)
		}
	}
}
