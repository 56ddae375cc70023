package themes

import (
	"strings"
	"testing"
)

func TestBuiltinsLoad(t *testing.T) {
	names := Names()
	if strings.Join(names, ",") != "dark,high-contrast,light,mono" {
		t.Fatalf("names = %v", names)
	}
	for _, n := range names {
		if _, err := Load(n); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
}

func TestParseReportsEveryError(t *testing.T) {
	_, err := Parse([]byte(`{"name":"x","accent":{"dark":"red","light":"#12"}}`))
	if err == nil {
		t.Fatal("accepted a bad theme")
	}
	for _, want := range []string{`accent: "red"`, `accent: "#12"`, "faint: no colour"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if _, err := Parse([]byte(`{"name":"x","bogus":1}`)); err == nil {
		t.Error("accepted an unknown field")
	}
}

func TestChooseHonoursNoColor(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	th, _ := Choose("dark", "", true)
	if th.Name != "mono" {
		t.Errorf("NO_COLOR chose %s", th.Name)
	}
	t.Setenv("NO_COLOR", "")
	t.Setenv("PLATYPUS_THEME", "light")
	if th, _ := Choose("", "", true); th.Name != "light" {
		t.Errorf("PLATYPUS_THEME chose %s", th.Name)
	}
	if th, _ := Choose("high-contrast", "", true); th.Name != "high-contrast" {
		t.Errorf("flag chose %s", th.Name)
	}
	if th, _ := Choose("dark", "", false); th.Name != "mono" {
		t.Errorf("no colour terminal chose %s", th.Name)
	}
}
