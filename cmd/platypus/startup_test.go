package main

import (
	"cmp"
	"os"
	"os/exec"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/mod/semver"
)

// TestNoBcryptAtStartup guards start-up (bench/README.md): every
// package initialiser runs before main, --version included. olareg v0.2.2,
// once linked in for the demo registry, bcrypt-hashed a password while its
// config package initialised: 60 ms of an 86 ms start-up. Nothing platypus
// links may use bcrypt, and what the initialisers allocate stays small.
func TestNoBcryptAtStartup(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	linked := map[string]bool{}
	for _, pkg := range strings.Fields(string(out)) {
		linked[pkg] = true
		if pkg == "golang.org/x/crypto/bcrypt" || strings.HasPrefix(pkg, "github.com/olareg/olareg") {
			t.Errorf("platypus links %s", pkg)
		}
	}

	// The test binary's initialisers are platypus's and its tests': only
	// those of the packages platypus links count (a JSON Schema validator
	// the tests use allocates 1.7 MB as it initialises).
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	trace, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, trace)
	}
	type init struct {
		pkg   string
		bytes int
	}
	var inits []init
	total := 0
	for _, m := range regexp.MustCompile(`init (\S+) @\S+ ms, \S+ ms clock, (\d+) bytes`).FindAllSubmatch(trace, -1) {
		n, _ := strconv.Atoi(string(m[2]))
		if !linked[string(m[1])] {
			continue
		}
		inits = append(inits, init{string(m[1]), n})
		total += n
	}
	if len(inits) == 0 {
		t.Fatalf("no init trace:\n%s", trace)
	}
	// 1.6 MB today, 0.85 MB of it regclient's reference and media type
	// tables.
	const budget = 2 << 20
	if total > budget {
		slices.SortFunc(inits, func(a, b init) int { return cmp.Compare(b.bytes, a.bytes) })
		t.Errorf("package initialisers allocate %d bytes, over %d; the most: %v", total, budget, inits[:min(5, len(inits))])
	}
}

// go-runewidth v0.0.26 to v0.0.28 build their width tables while they
// initialise: 52–189 ms before main (GODEBUG=inittrace=1, 2-core machine),
// against 0.1–0.4 ms for v0.0.24 and v0.0.25; v0.0.29 and later build them
// on first use (0.03–0.1 ms at init; the first width of a non-ASCII rune
// then takes ~1.5 ms). Charm v2 (x/ansi v0.11.9) requires v0.0.27 or later.
func TestRunewidthBuildsNoTablesAtStartup(t *testing.T) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		t.Skip("no build information")
	}
	for _, m := range info.Deps {
		if m.Path == "github.com/mattn/go-runewidth" && semver.Compare(m.Version, "v0.0.26") >= 0 && semver.Compare(m.Version, "v0.0.29") < 0 {
			t.Errorf("go-runewidth %s builds tables at start-up; use v0.0.25 or v0.0.29 and later", m.Version)
		}
	}
}
