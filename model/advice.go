package model

import (
	"slices"
	"strings"
)

// Advice is one way out of a "no matching manifest": what it means and,
// when there is one, the command to run.
type Advice struct {
	Title   string
	Detail  string
	Command string
}

// emulationOrder is which architecture to suggest running under
// emulation first: the most common builds.
var emulationOrder = []string{"amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64"}

// Advise says what a user can do when the target cannot pull ref. It looks
// at the entries that exist: runnable under emulation, another Windows
// build, Hyper-V isolation, or the other container OS.
func Advise(m *Manifest, a Analysis, ref Reference) []Advice {
	if m == nil || !m.IsIndex() {
		return nil
	}
	t := a.Target.Platform
	var out []Advice
	var sameOS, otherOS []Entry
	for _, e := range m.Entries {
		if e.Kind != KindImage || e.Platform == nil {
			continue
		}
		if Normalize(*e.Platform).OS == Normalize(t).OS {
			sameOS = append(sameOS, e)
		} else {
			otherOS = append(otherOS, e)
		}
	}
	if a.Primary.Found() && t.OS != "windows" {
		return nil // the target pulls natively: nothing to work around
	}
	name := ref.Familiar()
	if t.OS == "windows" {
		out = append(out, windowsAdvice(sameOS, t, name)...)
	} else if len(sameOS) > 0 {
		slices.SortStableFunc(sameOS, func(x, y Entry) int {
			return rankOf(emulationOrder, Normalize(*x.Platform).Architecture) - rankOf(emulationOrder, Normalize(*y.Platform).Architecture)
		})
		p := *sameOS[0].Platform
		out = append(out, Advice{
			Title:   "Run the " + p.String() + " image under emulation",
			Detail:  emulationDetail(Normalize(t).Architecture, Normalize(p).Architecture),
			Command: "docker run --platform " + p.String() + " " + name,
		})
	}
	if len(otherOS) > 0 {
		p := *otherOS[0].Platform
		switch p.OS {
		case "windows":
			out = append(out, Advice{
				Title:  "This tag has Windows images (" + p.Display() + ")",
				Detail: "Run it on a Windows host with Windows containers (Docker Desktop: Switch to Windows containers).",
			})
		case "linux":
			out = append(out, Advice{
				Title:   "This tag has Linux images (" + p.String() + ")",
				Detail:  "On Windows, Docker Desktop in Linux-containers mode runs them.",
				Command: "docker pull --platform " + p.String() + " " + name,
			})
		}
	}
	return out
}

// emulationDetail says what runs an image of arch on a host of host: Rosetta
// only for amd64 on arm64 (Apple silicon under Docker Desktop), QEMU
// through binfmt_misc otherwise.
func emulationDetail(host, arch string) string {
	if host == "arm64" && arch == "amd64" {
		return "QEMU/binfmt, or Rosetta on Apple silicon with Docker Desktop, runs it, slower; code tuned for one CPU may crash."
	}
	return "QEMU through binfmt_misc (docker run --privileged --rm tonistiigi/binfmt --install " + arch + ") runs it, slower; code tuned for one CPU may crash."
}

func windowsAdvice(entries []Entry, t Platform, name string) []Advice {
	hb, ok := windowsBuild(t.OSVersion)
	if !ok {
		return nil
	}
	var older, newer []Entry
	for _, e := range entries {
		if b, ok := windowsBuild(e.Platform.OSVersion); ok {
			if b < hb {
				older = append(older, e)
			} else if b > hb {
				newer = append(newer, e)
			}
		}
	}
	var out []Advice
	if len(older) > 0 {
		v := older[0].Platform.OSVersion
		out = append(out, Advice{
			Title:   "Run the " + WindowsRelease(v) + " image with Hyper-V isolation",
			Detail:  "Process isolation needs the host's own build; Hyper-V isolation runs older builds (Docker's default Windows store pulls them).",
			Command: "docker run --isolation=hyperv " + name,
		})
	}
	if len(newer) > 0 {
		var builds []string
		for _, e := range newer {
			builds = append(builds, WindowsRelease(e.Platform.OSVersion))
		}
		out = append(out, Advice{
			Title:  "Use a newer Windows host",
			Detail: "Images exist for " + strings.Join(builds, ", ") + "; a host cannot run builds newer than its own, with any isolation.",
		})
	}
	return out
}

func rankOf(order []string, s string) int {
	if i := slices.Index(order, s); i >= 0 {
		return i
	}
	return len(order)
}
