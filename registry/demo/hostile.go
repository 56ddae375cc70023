package demo

import (
	"maps"
	"strconv"
	"strings"

	"github.com/platypus-tui/platypus/model"
)

// Hostile strings carry every kind of terminal attack a registry could
// try: CSI colours and screen clears, OSC 52 clipboard writes, OSC 8 links,
// title changes, DCS, C1 controls, bare C0 controls and bidi overrides.
var Hostile = []string{
	"\x1b[31mred\x1b[0m\x1b[2J",
	"\x1b]52;c;cHduZWQ=\x07clip",
	"\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
	"\x1b]0;pwned\x07title",
	"\x1bP1$r0m\x1b\\dcs",
	"\u009b31mc1csi",
	"\u009d0;t\u009cc1osc",
	"bell\x07back\x08space\x00nul\x7fdel",
	"\u202eevil\u202c\u2066iso\u2069",
	"multi\nline\rtext",
	"zero\u200bwidth\u200djoin\ufeffbom\u2060",
}

// CollidingKeys are two annotation and label keys that look the same
// unless hidden characters are shown.
var CollidingKeys = [2]string{"org.opencontainers.image.source", "org.opencontainers.image.source\u202e"}

// HostileRepository is where SeedHostile puts its image.
const HostileRepository = "evil/escape"

// SeedHostile writes an index and image whose every string field carries
// Hostile sequences, for the tests that prove none reaches a terminal.
func SeedHostile(root string) error {
	l := newLayout(root, HostileRepository)
	h := func(i int) string { return Hostile[i%len(Hostile)] }
	labels := map[string]string{}
	for i := range Hostile {
		labels["label"+h(i)] = h(i + 1)
	}
	// File names and link targets carry them too (a tar name cannot hold
	// a NUL).
	files, links := map[string]string{"etc/x": "x"}, map[string]string{}
	for i, v := range Hostile {
		name := strings.ReplaceAll(v, "\x00", "_")
		files["etc/"+name] = h(i + 1)
		links["etc/link-"+itoa(i)] = "/" + name
	}
	labels[CollidingKeys[0]] = "https://github.com/real/source"
	labels[CollidingKeys[1]] = "https://github.com/evil/source"
	spec := imageSpec{
		platform: model.Platform{OS: "linux", Architecture: "amd64", OSVersion: h(3), OSFeatures: []string{h(4)}},
		created:  "2024-01-01T00:00:00Z",
		author:   h(0),
		steps: []step{
			{createdBy: h(1) + " RUN", files: files, links: links},
			{createdBy: h(2) + " CMD", empty: true},
			{createdBy: h(7), files: map[string]string{"etc/y": "y"}},
		},
		config: runConfig{
			User: h(5), WorkingDir: h(6), Env: []string{"A=" + h(0), h(1) + "=b"}, Entrypoint: []string{h(2)}, Cmd: []string{h(3), h(8)},
			ExposedPorts: map[string]struct{}{h(9): {}}, Volumes: map[string]struct{}{h(4): {}}, Labels: labels, StopSignal: h(2),
		},
		annotations: maps.Clone(labels),
	}
	img := l.image(spec)
	img.Annotations = map[string]string{"note" + h(0): h(1)}
	idx := l.index(false, []descriptor{img}, maps.Clone(labels))
	art := l.artifact(&idx, "application/vnd.evil"+h(2), "application/x"+h(3), []byte(h(4)), map[string]string{model.AnnotationCreated: h(5), "org.opencontainers.image.description": h(6)})
	l.tag("1.0", idx)
	l.tag("image", img)
	l.referrers(idx, art)
	l.keep(art)
	return l.write()
}

func itoa(n int) string { return strconv.Itoa(n) }
