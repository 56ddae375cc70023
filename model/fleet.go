package model

import (
	"errors"
	"fmt"
	"strings"
)

// Where a fleet target can come from, besides the single-target sources.
const (
	SourceTargets TargetSource = "targets" // a --targets file
	SourceNodes   TargetSource = "nodes"   // kubectl get nodes -o json
)

// FleetStore names whose rules a fleet target pulls by.
type FleetStore string

// The rules a fleet target can pull by.
const (
	// FleetDocker is Docker Engine's: containerd's platforms.Only for
	// Linux targets, Docker on Windows's default store for Windows ones
	// (with its containerd store's verdict beside it when they differ).
	FleetDocker FleetStore = "docker"
	// FleetContainerd is containerd's as kubelet's CRI plugin pulls on a
	// node of the target's platform (AnalyzeContainerd).
	FleetContainerd FleetStore = "containerd"
)

// ParseFleetStore reads a store name; "" is docker.
func ParseFleetStore(s string) (FleetStore, error) {
	switch FleetStore(s) {
	case "", FleetDocker:
		return FleetDocker, nil
	case FleetContainerd:
		return FleetContainerd, nil
	}
	return "", fmt.Errorf("store %q: expected docker (Docker Engine's rules) or containerd (containerd's and Kubernetes')", s)
}

// FleetTarget is one named member of a fleet.
type FleetTarget struct {
	Name   string
	Target Target
	Store  FleetStore
	// Nodes are the Kubernetes nodes the target stands for, sorted; nil
	// for a target that is not a group of nodes.
	Nodes []string
}

// Fleet is the targets a pull is judged for at once, in the order shown.
type Fleet []FleetTarget

// MaxFleet bounds a fleet: a column each is already too many to read.
const MaxFleet = 256

// maxTargetName bounds a target's name (a node's name is up to 253).
const maxTargetName = 256

// ErrFleet is returned for a fleet that cannot be shown.
var ErrFleet = errors.New("invalid fleet")

// Check refuses a fleet its verdicts could not be told apart in: no
// target, too many, an empty, hidden-character or repeated name.
func (f Fleet) Check() error {
	if len(f) == 0 {
		return fmt.Errorf("%w: no target", ErrFleet)
	}
	if len(f) > MaxFleet {
		return fmt.Errorf("%w: %d targets, at most %d", ErrFleet, len(f), MaxFleet)
	}
	seen := map[string]bool{}
	for _, t := range f {
		if err := CheckTargetName(t.Name); err != nil {
			return err
		}
		if seen[t.Name] {
			return fmt.Errorf("%w: two targets are named %q", ErrFleet, t.Name)
		}
		seen[t.Name] = true
	}
	return nil
}

// CheckTargetName refuses names that are empty, too long, or hold what a
// terminal would act on or hide (names head columns and key JSON).
func CheckTargetName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("%w: a target needs a name", ErrFleet)
	case len(name) > maxTargetName:
		return fmt.Errorf("%w: target name %q… is over %d bytes", ErrFleet, Clean(name[:32]), maxTargetName)
	case Clean(name) != name:
		return fmt.Errorf("%w: target name %q holds control or invisible characters", ErrFleet, Clean(name))
	}
	return nil
}

// FleetVerdict is one fleet target's verdict on a manifest.
type FleetVerdict struct {
	Member   FleetTarget
	Analysis Analysis
}

// AnalyzeFor is the verdict for one fleet target alone: Analyze for
// Docker's rules, AnalyzeContainerd for containerd's.
func AnalyzeFor(m *Manifest, t FleetTarget, children map[string]*Manifest, configs map[string]*Config) Analysis {
	if t.Store == FleetContainerd {
		return AnalyzeContainerd(m, t.Target, children, configs)
	}
	return Analyze(m, t.Target, children, configs)
}

// JudgeFleet gives every target of fleet its verdict on m, each exactly
// the one AnalyzeFor gives that target alone, from the same loaded
// manifests and configs: judging a fleet costs no request more than
// judging one target.
func JudgeFleet(m *Manifest, fleet Fleet, children map[string]*Manifest, configs map[string]*Config) []FleetVerdict {
	out := make([]FleetVerdict, len(fleet))
	for i, t := range fleet {
		out[i] = FleetVerdict{Member: t, Analysis: AnalyzeFor(m, t, children, configs)}
	}
	return out
}

// FitsAll tells whether every target pulls an image.
func FitsAll(vs []FleetVerdict) bool {
	for _, v := range vs {
		if v.Analysis.Pulls() == "" {
			return false
		}
	}
	return len(vs) > 0
}

// Pulls returns the digest of the image the target ends up pulling
// (nested indexes followed), "" when it pulls nothing it can run.
func (a Analysis) Pulls() string {
	switch {
	case a.Single != nil:
		if a.Single.Verdict == Selected {
			return a.Single.Digest
		}
	case a.Primary != nil:
		return a.Primary.Image
	}
	return ""
}

// Entry returns the verdict on the root's entry i: an index's entry, or
// the single image as entry 0.
func (a Analysis) Entry(i int) (EntryMatch, bool) {
	switch {
	case a.Single != nil && i == 0:
		return *a.Single, true
	case a.Primary != nil && i >= 0 && i < len(a.Primary.Entries):
		return a.Primary.Entries[i], true
	}
	return EntryMatch{}, false
}

// NoMatch is the puller's error line when an index offers the target
// nothing, "" otherwise.
func (a Analysis) NoMatch() string {
	if a.Primary == nil || a.Primary.Found() {
		return ""
	}
	return a.Primary.DockerError
}
