package model

import (
	"slices"
	"testing"
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
	if editDistance(long, "a") != 200 {
		t.Error("editDistance bounds long names")
	}
}
