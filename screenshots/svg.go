// Package screenshots renders the explorer's frames, ANSI colours included,
// to SVG pictures for the README. Its test regenerates every picture from
// the demo registry and fails when one is stale (go test ./screenshots
// -update rewrites them).
package screenshots

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Geometry of the rendered terminal.
const (
	cellW    = 8.4
	cellH    = 18.0
	fontSize = 14
	padding  = 16.0
	titleBar = 30.0
)

// palette is the 16 ANSI colours of the picture's terminal (GitHub dark).
var palette = [16]string{
	"#0d1117", "#ff7b72", "#3fb950", "#d29922", "#58a6ff", "#bc8cff", "#39c5cf", "#b1bac4",
	"#6e7681", "#ffa198", "#56d364", "#e3b341", "#79c0ff", "#d2a8ff", "#56d4dd", "#f0f6fc",
}

const (
	defaultFG = "#e6edf3"
	defaultBG = "#0d1117"
)

type style struct {
	fg, bg        string
	bold, reverse bool
	faint, under  bool
}

type run struct {
	col  int
	text string
	st   style
}

// SVG renders an ANSI frame of width×height cells as an SVG picture with
// a window frame, deterministically.
func SVG(frame string, width, height int, title string) string {
	lines := strings.Split(strings.TrimRight(frame, "\n"), "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	w := padding*2 + float64(width)*cellW
	h := titleBar + padding*2 + float64(height)*cellH
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f">`+"\n", w, h, w, h)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" rx="8" fill="%s"/>`+"\n", defaultBG)
	for i, c := range []string{"#ff5f57", "#febc2e", "#28c840"} {
		fmt.Fprintf(&b, `<circle cx="%d" cy="16" r="6" fill="%s"/>`+"\n", 20+i*20, c)
	}
	fmt.Fprintf(&b, `<text x="%.0f" y="20" fill="#8b949e" font-family="monospace" font-size="12" text-anchor="middle">%s</text>`+"\n", w/2, escape(title))
	fmt.Fprintf(&b, `<g font-family="ui-monospace,SFMono-Regular,Menlo,Consolas,monospace" font-size="%d" xml:space="preserve">`+"\n", fontSize)
	for y, line := range lines {
		top := titleBar + padding + float64(y)*cellH
		for _, r := range parseLine(line) {
			fg, bg := r.st.fg, r.st.bg
			if fg == "" {
				fg = defaultFG
			}
			if r.st.reverse {
				fg, bg = bgOr(bg), fg
			}
			x := padding + float64(r.col)*cellW
			n := ansi.StringWidth(r.text)
			if bg != "" {
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.0f" fill="%s"/>`+"\n", x, top, float64(n)*cellW, cellH, bg)
			}
			if strings.TrimSpace(r.text) == "" {
				continue
			}
			attrs := ""
			if r.st.bold {
				attrs += ` font-weight="bold"`
			}
			if r.st.faint {
				attrs += ` opacity="0.6"`
			}
			if r.st.under {
				attrs += ` text-decoration="underline"`
			}
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="%s" textLength="%.1f" lengthAdjust="spacingAndGlyphs"%s>%s</text>`+"\n",
				x, top+cellH-5, fg, float64(n)*cellW, attrs, escape(r.text))
		}
	}
	b.WriteString("</g>\n</svg>\n")
	return b.String()
}

func bgOr(bg string) string {
	if bg == "" {
		return defaultBG
	}
	return bg
}

// parseLine splits one line into runs of text with one style each.
func parseLine(line string) []run {
	var out []run
	var cur style
	var text strings.Builder
	col, start := 0, 0
	flush := func() {
		if text.Len() > 0 {
			out = append(out, run{col: start, text: text.String(), st: cur})
			text.Reset()
		}
		start = col
	}
	for i := 0; i < len(line); {
		if line[i] == 0x1b && i+1 < len(line) && line[i+1] == '[' {
			j := i + 2
			for j < len(line) && (line[j] < 0x40 || line[j] > 0x7e) {
				j++
			}
			if j < len(line) && line[j] == 'm' {
				flush()
				cur = apply(cur, line[i+2:j])
			}
			i = j + 1
			continue
		}
		r := []rune(line[i:])[0]
		s := string(r)
		text.WriteString(s)
		col += ansi.StringWidth(s)
		i += len(s)
	}
	flush()
	return out
}

// apply updates st with the parameters of one SGR sequence.
func apply(st style, params string) style {
	if params == "" {
		return style{}
	}
	p := strings.Split(params, ";")
	for i := 0; i < len(p); i++ {
		n, _ := strconv.Atoi(p[i])
		switch {
		case n == 0:
			st = style{}
		case n == 1:
			st.bold = true
		case n == 2:
			st.faint = true
		case n == 4:
			st.under = true
		case n == 7:
			st.reverse = true
		case n == 22:
			st.bold, st.faint = false, false
		case n == 24:
			st.under = false
		case n == 27:
			st.reverse = false
		case n >= 30 && n <= 37:
			st.fg = palette[n-30]
		case n >= 90 && n <= 97:
			st.fg = palette[n-90+8]
		case n >= 40 && n <= 47:
			st.bg = palette[n-40]
		case n >= 100 && n <= 107:
			st.bg = palette[n-100+8]
		case n == 39:
			st.fg = ""
		case n == 49:
			st.bg = ""
		case (n == 38 || n == 48) && i+1 < len(p):
			var c string
			switch p[i+1] {
			case "2":
				if i+4 < len(p) {
					r, _ := strconv.Atoi(p[i+2])
					g, _ := strconv.Atoi(p[i+3])
					bl, _ := strconv.Atoi(p[i+4])
					c = fmt.Sprintf("#%02x%02x%02x", r, g, bl)
					i += 4
				}
			case "5":
				if i+2 < len(p) {
					idx, _ := strconv.Atoi(p[i+2])
					c = xterm256(idx)
					i += 2
				}
			}
			if n == 38 {
				st.fg = c
			} else {
				st.bg = c
			}
		}
	}
	return st
}

func xterm256(i int) string {
	switch {
	case i < 16:
		return palette[i]
	case i < 232:
		i -= 16
		steps := []int{0, 95, 135, 175, 215, 255}
		return fmt.Sprintf("#%02x%02x%02x", steps[i/36], steps[(i/6)%6], steps[i%6])
	case i < 256:
		v := 8 + (i-232)*10
		return fmt.Sprintf("#%02x%02x%02x", v, v, v)
	}
	return defaultFG
}

func escape(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	return r.Replace(s)
}
