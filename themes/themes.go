// Package themes holds platypus's named colour themes as data: a palette of
// semantic roles, each with a value for dark and for light terminals,
// shipped as embedded JSON and checked on load. Only ui turns a palette
// into styles.
package themes

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
)

//go:embed *.json
var files embed.FS

// Color is one role's colour on dark and on light backgrounds: "#rrggbb",
// an ANSI number "0"–"255", or "" for the terminal's default.
type Color struct {
	Dark  string `json:"dark"`
	Light string `json:"light"`
}

// Theme is a palette of semantic roles.
type Theme struct {
	Name string `json:"name"`
	// Mono themes use no colour at all: marks and glyphs carry meaning.
	Mono      bool  `json:"mono"`
	Text      Color `json:"text"`
	Faint     Color `json:"faint"`
	Accent    Color `json:"accent"`
	Selection Color `json:"selection"`
	SelText   Color `json:"selectionText"`
	Success   Color `json:"success"`
	Warning   Color `json:"warning"`
	Error     Color `json:"error"`
	Border    Color `json:"border"`
	Header    Color `json:"header"`
}

// Default is the theme used when none is named.
const Default = "dark"

// Names lists the built-in themes.
func Names() []string {
	entries, _ := files.ReadDir(".")
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".json"))
	}
	slices.Sort(out)
	return out
}

// Load returns the named built-in theme.
func Load(name string) (Theme, error) {
	b, err := files.ReadFile(name + ".json")
	if err != nil {
		return Theme{}, fmt.Errorf("unknown theme %q (have %s)", name, strings.Join(Names(), ", "))
	}
	return Parse(b)
}

var colorRE = regexp.MustCompile(`^(#[0-9a-fA-F]{6}|[0-9]{1,3}|)$`)

// Parse decodes and validates a theme, reporting every problem at once.
func Parse(b []byte) (Theme, error) {
	var t Theme
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return Theme{}, fmt.Errorf("theme: %w", err)
	}
	var errs []error
	if t.Name == "" {
		errs = append(errs, errors.New("name is missing"))
	}
	for role, c := range t.roles() {
		for _, v := range []string{c.Dark, c.Light} {
			if !colorRE.MatchString(v) {
				errs = append(errs, fmt.Errorf("%s: %q is not #rrggbb, 0-255 or empty", role, v))
			}
		}
		if !t.Mono && c.Dark == "" && c.Light == "" && role != "text" {
			errs = append(errs, fmt.Errorf("%s: no colour in a coloured theme", role))
		}
	}
	if len(errs) > 0 {
		return Theme{}, fmt.Errorf("theme %q: %w", t.Name, errors.Join(errs...))
	}
	return t, nil
}

func (t Theme) roles() map[string]Color {
	return map[string]Color{
		"text": t.Text, "faint": t.Faint, "accent": t.Accent, "selection": t.Selection, "selectionText": t.SelText,
		"success": t.Success, "warning": t.Warning, "error": t.Error, "border": t.Border, "header": t.Header,
	}
}

// Choose picks the theme to use: the flag, then $PLATYPUS_THEME, then the
// configured one, then the default; "mono" whenever NO_COLOR is set or the
// output cannot show colour.
func Choose(flag, configured string, colorCapable bool) (Theme, error) {
	if os.Getenv("NO_COLOR") != "" || !colorCapable {
		return Load("mono")
	}
	for _, n := range []string{flag, os.Getenv("PLATYPUS_THEME"), configured} {
		if n != "" {
			return Load(n)
		}
	}
	return Load(Default)
}

// Adaptive tells whether the theme's colours differ between dark and light
// backgrounds: only then does the terminal's background matter.
func (t Theme) Adaptive() bool {
	for _, c := range t.roles() {
		if c.Dark != c.Light {
			return true
		}
	}
	return false
}
