package model

import (
	"fmt"
	"strconv"
	"strings"
)

// windowsReleases names Windows builds the way people know them.
var windowsReleases = map[int]string{
	14393: "Windows Server 2016 / 1607",
	16299: "1709",
	17134: "1803",
	17763: "Windows Server 2019 / 1809",
	18362: "1903",
	18363: "1909",
	19041: "2004",
	19042: "20H2",
	20348: "Windows Server 2022",
	26100: "Windows Server 2025",
}

// WindowsRelease returns "10.0.14393 (Windows Server 2016 / 1607)" for an
// os.version, or the version alone.
func WindowsRelease(osVersion string) string {
	b, ok := windowsBuild(osVersion)
	if !ok {
		return osVersion
	}
	if name, ok := windowsReleases[b]; ok {
		return fmt.Sprintf("%d (%s)", b, name)
	}
	return strconv.Itoa(b)
}

// windowsBuild returns the build (third part) of a Windows os.version.
func windowsBuild(v string) (int, bool) {
	parts := strings.Split(v, ".")
	if len(parts) < 3 {
		return 0, false
	}
	b, err := strconv.Atoi(parts[2])
	return b, err == nil
}

// mismatchReasons says, in plain words, every way p differs from what target
// runs under containerd's rules.
func mismatchReasons(p Platform, target Platform) []string {
	n, t := Normalize(p), Normalize(target)
	var out []string
	if n.OS != t.OS {
		out = append(out, fmt.Sprintf("OS is %s; the target runs %s", n.OS, t.OS))
	}
	forms := accepted(target)
	archOK := false
	for _, f := range forms {
		if f.Architecture == n.Architecture {
			archOK = true
		}
	}
	switch {
	case !archOK:
		out = append(out, fmt.Sprintf("architecture is %s; a %s target runs %s", n.Architecture, target.String(), formsString(forms)))
	default:
		variantOK := false
		var same []Platform
		for _, f := range forms {
			if f.Architecture == n.Architecture {
				same = append(same, f)
				if f.Variant == n.Variant {
					variantOK = true
				}
			}
		}
		if !variantOK {
			out = append(out, variantReason(n, t, target, same))
		}
	}
	if t.OS == "windows" && n.OS == "windows" {
		if r := windowsBuildReason(p.OSVersion, target.OSVersion); r != "" {
			out = append(out, r)
		}
	}
	if missing := missingFeatures(n.OSFeatures, t.OSFeatures, t.OS == "windows"); len(missing) > 0 {
		out = append(out, "needs OS features "+strings.Join(missing, ", ")+" that the target does not list")
	}
	if len(out) == 0 {
		out = append(out, "does not match "+target.Display())
	}
	return out
}

func variantReason(n, t, target Platform, same []Platform) string {
	have := n.Variant
	if have == "" {
		have = "(none)"
	}
	nv, okN := variantNumber(n.Variant)
	tv, okT := variantNumber(t.Variant)
	if n.Architecture == "arm64" && t.Architecture == "arm64" && okN && !okT {
		tv, okT = 8, true
	}
	if okN && okT && nv > tv {
		return fmt.Sprintf("variant %s is too new for this CPU: a %s target runs %s", n.Variant, target.String(), formsString(same))
	}
	return fmt.Sprintf("variant %s is not one a %s target runs (%s)", have, target.String(), formsString(same))
}

func variantNumber(v string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimPrefix(v, "v"), 64)
	return f, err == nil
}

// windowsBuildReason explains a Windows os.version mismatch under
// containerd's rule: below 20348 the build must be equal; from 20348 on
// the stable ABI lets a host run builds from the previous LTSC up to its own.
func windowsBuildReason(entry, target string) string {
	if target == "" || entry == "" {
		return ""
	}
	eb, okE := windowsBuild(entry)
	tb, okT := windowsBuild(target)
	if !okE {
		return fmt.Sprintf("os.version %q is malformed (Docker needs major.minor.build): never matches", entry)
	}
	if !okT || eb == tb {
		return ""
	}
	isolation := "process isolation needs the same build; Hyper-V isolation (--isolation=hyperv) can run older builds"
	if eb > tb {
		return fmt.Sprintf("Windows build %s is newer than the target's %s: it cannot run there at all", WindowsRelease(entry), WindowsRelease(target))
	}
	if tb >= 20348 {
		return fmt.Sprintf("Windows build %s is older than the stable-ABI range of a %s host (20348 and up); %s", WindowsRelease(entry), WindowsRelease(target), isolation)
	}
	return fmt.Sprintf("Windows build %s differs from the target's %s: %s", WindowsRelease(entry), WindowsRelease(target), isolation)
}

func missingFeatures(entry, target []string, windows bool) []string {
	var out []string
	for _, f := range entry {
		if windows && f == "win32k" {
			continue
		}
		found := false
		for _, g := range target {
			if f == g {
				found = true
			}
		}
		if !found {
			out = append(out, f)
		}
	}
	return out
}
