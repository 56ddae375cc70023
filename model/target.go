package model

import (
	"runtime"

	"github.com/containerd/platforms"
	"golang.org/x/sys/cpu"
)

// TargetSource says where the target platform came from, shown beside it.
type TargetSource string

// Where a target can come from.
const (
	SourceHost   TargetSource = "host"
	SourceFlag   TargetSource = "flag"
	SourcePicker TargetSource = "picker"
	SourceConfig TargetSource = "config"
)

// Target is the platform a pull is computed for.
type Target struct {
	Platform Platform
	Source   TargetSource
	// Note explains a host target that is not the host's own OS, such as
	// Docker Desktop's Linux VM on macOS.
	Note string
}

// String returns the platform and where it came from.
func (t Target) String() string {
	return t.Platform.Display() + " (" + string(t.Source) + ")"
}

// FlagTarget builds a target from `--platform` and `--os-version` the way
// Docker's daemon parses them (containerd's platforms.Parse): "linux/arm64"
// stays without a variant, "linux/arm64/v8" keeps v8, "x86_64" becomes amd64.
func FlagTarget(p Platform, src TargetSource) Target {
	return Target{Platform: dockerParse(p), Source: src}
}

func dockerParse(p Platform) Platform {
	osVersion := p.OSVersion
	spec, err := platforms.Parse(platforms.FormatAll(toSpec(p)))
	if err != nil {
		return p
	}
	out := fromSpec(spec)
	if out.OSVersion == "" {
		out.OSVersion = osVersion
	}
	return out
}

// HostTarget is what `docker pull` without --platform targets from this
// machine: the daemon's OS (Linux under Docker Desktop on macOS and on
// Windows desktops), the architecture, the arm variant from the CPU, the
// amd64 level from CPUID, and on Windows servers the build.
func HostTarget() Target {
	spec := platforms.DefaultSpec()
	p := fromSpec(spec)
	t := Target{Source: SourceHost}
	switch p.Architecture {
	case "arm64":
		p.Variant = "v8"
	case "amd64":
		p.Variant = amd64Level()
	}
	switch runtime.GOOS {
	case "linux":
	case "windows":
		if ver, server := windowsHost(); server {
			p.OSVersion = ver
			t.Note = "Windows Server: Docker runs Windows containers"
		} else {
			p.OS = "linux"
			t.Note = "Docker Desktop on Windows runs Linux containers by default; pick windows/amd64 " + ver + " for Windows containers"
		}
	default:
		t.Note = "Docker Desktop on " + runtime.GOOS + " runs a Linux VM"
		p.OS = "linux"
	}
	t.Platform = p
	return t
}

// amd64Level is moby's maximumSpec: the x86-64 micro-architecture level.
func amd64Level() string {
	x := cpu.X86
	v2 := x.HasSSE3 && x.HasSSSE3 && x.HasSSE41 && x.HasSSE42 && x.HasPOPCNT && x.HasCX16
	v3 := v2 && x.HasAVX && x.HasAVX2 && x.HasBMI1 && x.HasBMI2 && x.HasF16C && x.HasFMA && x.HasLZCNT && x.HasMOVBE && x.HasOSXSAVE
	v4 := v3 && x.HasAVX512F && x.HasAVX512BW && x.HasAVX512CD && x.HasAVX512DQ && x.HasAVX512VL
	switch {
	case v4:
		return "v4"
	case v3:
		return "v3"
	case v2:
		return "v2"
	}
	return ""
}

// CommonTargets are the platforms people pull from, for the picker.
var CommonTargets = []struct {
	Label    string
	Platform Platform
}{
	{"Linux amd64 (PC, cloud VM)", Platform{OS: "linux", Architecture: "amd64"}},
	{"Apple-silicon Mac (Docker Desktop Linux VM)", Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}},
	{"Linux arm64 (Graviton, Ampere)", Platform{OS: "linux", Architecture: "arm64"}},
	{"Raspberry Pi 2/3 32-bit", Platform{OS: "linux", Architecture: "arm", Variant: "v7"}},
	{"Raspberry Pi Zero/1", Platform{OS: "linux", Architecture: "arm", Variant: "v6"}},
	{"Windows Server 2016 (1607)", Platform{OS: "windows", Architecture: "amd64", OSVersion: "10.0.14393"}},
	{"Windows Server 1709", Platform{OS: "windows", Architecture: "amd64", OSVersion: "10.0.16299"}},
	{"Windows Server 1803", Platform{OS: "windows", Architecture: "amd64", OSVersion: "10.0.17134"}},
	{"Windows Server 2019 (1809)", Platform{OS: "windows", Architecture: "amd64", OSVersion: "10.0.17763"}},
	{"Windows Server 2022", Platform{OS: "windows", Architecture: "amd64", OSVersion: "10.0.20348"}},
	{"Linux 386", Platform{OS: "linux", Architecture: "386"}},
	{"Linux ppc64le", Platform{OS: "linux", Architecture: "ppc64le"}},
	{"Linux s390x", Platform{OS: "linux", Architecture: "s390x"}},
	{"Linux riscv64", Platform{OS: "linux", Architecture: "riscv64"}},
}
