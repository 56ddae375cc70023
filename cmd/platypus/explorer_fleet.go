package main

import (
	"strconv"
	"strings"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/ui"
)

// explorerMany tells whether the explorer judges a fleet: several
// --platform, a --targets or --nodes file, or, without a --platform, the
// config's targets (as inspect and scan do).
func (o *rootOptions) explorerMany() bool {
	f := o.explorerFleet
	return len(o.platforms) > 1 || f.targetsFile != "" || f.nodesFile != "" || (len(o.platforms) == 0 && len(o.configTargets) > 0)
}

// explorerTargets is what the explorer judges for: one target as it
// always has, or a fleet (its first target standing for it where one is
// needed); and the fleets its picker offers whole: the one it started
// with and the config's targets.
func (o *rootOptions) explorerTargets() (model.Target, model.Fleet, []ui.SavedFleet, error) {
	var saved []ui.SavedFleet
	var config model.Fleet
	if len(o.configTargets) > 0 {
		if ts, problems := buildTargets(o.configTargets, model.SourceConfig); len(problems) == 0 {
			config = ts
		}
	}
	if !o.explorerMany() {
		t, err := o.target()
		if len(config) > 0 {
			saved = append(saved, ui.SavedFleet{Name: "config targets", Fleet: config})
		}
		return t, nil, saved, err
	}
	fleet, err := o.fleet(&o.explorerFleet)
	if err != nil {
		return model.Target{}, nil, nil, err
	}
	var from []string
	if len(o.platforms) > 0 {
		from = append(from, "--platform ×"+strconv.Itoa(len(o.platforms)))
	}
	if f := o.explorerFleet.targetsFile; f != "" {
		from = append(from, "--targets "+f)
	}
	if f := o.explorerFleet.nodesFile; f != "" {
		from = append(from, "--nodes "+f)
	}
	if len(from) == 0 {
		from = append(from, "config targets")
	}
	saved = append(saved, ui.SavedFleet{Name: strings.Join(from, " + "), Fleet: fleet})
	if len(config) > 0 && from[0] != "config targets" {
		saved = append(saved, ui.SavedFleet{Name: "config targets", Fleet: config})
	}
	return fleet[0].Target, fleet, saved, nil
}
