package model

import (
	"math/rand/v2"
	"slices"
	"testing"
	"unicode"
)

func TestCompareVersions(t *testing.T) {
	tags := []string{"latest", "8.0.36", "8", "5.7", "8.0", "1.10", "1.9", "v2", "v10", "1.09", "8.0.36-debian", "9-rc1"}
	slices.SortStableFunc(tags, CompareVersions)
	want := []string{"latest", "v2", "v10", "1.9", "1.09", "1.10", "5.7", "8", "8.0", "8.0.36", "8.0.36-debian", "9-rc1"}
	if !slices.Equal(tags, want) {
		t.Errorf("got %q\nwant %q", tags, want)
	}
	for _, c := range [][2]string{{"1.9", "1.10"}, {"a", "b"}, {"1", "1.0"}, {"v", "1"}} {
		if CompareVersions(c[0], c[1]) != -1 || CompareVersions(c[1], c[0]) != 1 {
			t.Errorf("%q should come before %q", c[0], c[1])
		}
	}
	if CompareVersions("", "") != 0 || CompareVersions("1.0", "1.0") != 0 {
		t.Error("equal versions")
	}
}

func TestCompareNearness(t *testing.T) {
	tags := []string{"latest", "nanoserver-1809", "linux", "nanoserver-sac2016", "nanoserver-ltsc2022", "nano"}
	slices.SortStableFunc(tags, func(a, b string) int { return CompareNearness("nanoserver", a, b) })
	want := []string{"nanoserver-1809", "nanoserver-sac2016", "nanoserver-ltsc2022", "nano", "latest", "linux"}
	if !slices.Equal(tags, want) {
		t.Errorf("got %q\nwant %q", tags, want)
	}
	long := string(make([]byte, 200))
	if EditDistance(long, "a") != 200 {
		t.Error("EditDistance bounds long names")
	}
}

// The byte test of digits orders exactly as unicode.IsDigit of a byte
// taken as a rune did, non-ASCII and invalid UTF-8 included.
func TestCompareVersionsByteDigits(t *testing.T) {
	oracle := func(a, b string) int {
		digit := func(c byte) bool { return unicode.IsDigit(rune(c)) }
		chunk := func(s string) (string, string) {
			i := 1
			for i < len(s) && digit(s[i]) == digit(s[0]) {
				i++
			}
			return s[:i], s[i:]
		}
		for a != "" && b != "" {
			ca, ra := chunk(a)
			cb, rb := chunk(b)
			if c := compareChunk(ca, cb); c != 0 {
				return c
			}
			a, b = ra, rb
		}
		switch {
		case a == "" && b == "":
			return 0
		case a == "":
			return -1
		}
		return 1
	}
	for c := range 256 {
		if isDigit(byte(c)) != unicode.IsDigit(rune(c)) {
			t.Errorf("byte %#x: isDigit %v, unicode.IsDigit %v", c, isDigit(byte(c)), unicode.IsDigit(rune(c)))
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"0", "1", "9", "00", "10", ".", "-", "v", "rc", "é", "\xb2", "\xff", "٣"}
	tag := func() string {
		var s string
		for range r.IntN(6) {
			s += pieces[r.IntN(len(pieces))]
		}
		return s
	}
	for range 20_000 {
		a, b := tag(), tag()
		got, want := CompareVersions(a, b), oracle(a, b)
		if (got < 0) != (want < 0) || (got > 0) != (want > 0) {
			t.Fatalf("CompareVersions(%q, %q) = %d, want %d", a, b, got, want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"tags", "tags", 0},
		{"tgas", "tags", 1}, // a swap is one edit
		{"dgiest", "digest", 1},
		{"tag", "tags", 1},
		{"kitten", "sitting", 3},
		{"ca", "abc", 3}, // OSA, not Damerau: no edit inside a swap
	} {
		if got := EditDistance(c.a, c.b); got != c.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
