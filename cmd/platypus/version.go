package main

import (
	"runtime/debug"
	"strings"
)

// version is set at release build time: -ldflags "-X main.version=v1.2.3".
var version = ""

// versionString returns the release version, else the module version `go
// install` recorded, else the VCS revision, else "dev" and why.
func versionString() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev (built without version control information; build with -ldflags \"-X main.version=…\" or from a git clone)"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return "dev-" + rev
}

// shortVersion is versionString without the explanation: one word, for
// the Docker CLI's plugin list and the User-Agent.
func shortVersion() string {
	v, _, _ := strings.Cut(versionString(), " ")
	return v
}
