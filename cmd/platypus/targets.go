package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/spf13/cobra"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
)

// targetSpec is one named target as a --targets file and the config's
// targets: write it.
type targetSpec struct {
	Name      string `yaml:"name"`
	Platform  string `yaml:"platform"`
	OSVersion string `yaml:"osVersion"`
	Store     string `yaml:"store"`
}

// fleetFlags are how inspect and scan are given several targets, besides
// a repeated --platform.
type fleetFlags struct {
	targetsFile string
	nodesFile   string
}

func (f *fleetFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.targetsFile, "targets", "", "also judge for the named targets in `FILE` (YAML: - {name: graviton, platform: linux/arm64, osVersion: …, store: docker|containerd})")
	cmd.Flags().StringVar(&f.nodesFile, "nodes", "", "also judge for every node of a Kubernetes cluster, by containerd's rules: `FILE` (- for standard input) holds kubectl get nodes -o json")
}

// setupFleet resolves a reference argument, the fleet and the client.
func (o *rootOptions) setupFleet(arg string, f *fleetFlags) (model.Reference, model.Fleet, *registry.Client, error) {
	r, err := o.resolve(arg)
	if err != nil {
		return model.Reference{}, nil, nil, err
	}
	fleet, err := o.fleet(f)
	if err != nil {
		return model.Reference{}, nil, nil, err
	}
	c, err := o.registry(r.Registry)
	return r, fleet, c, err
}

// fleet is what inspect and scan judge for: every --platform, the
// --targets file's targets and the --nodes groups, in that order; without
// any of them, the config's targets, else the config's platform or this
// host, as the other commands.
func (o *rootOptions) fleet(f *fleetFlags) (model.Fleet, error) {
	var fleet model.Fleet
	if o.osVersion != "" && len(o.platforms) == 0 && !o.platformFromConfig {
		return nil, usagef("--os-version needs a --platform (a --targets file gives each target its osVersion)")
	}
	if len(o.platforms) > 1 && o.osVersion != "" {
		return nil, usagef("--os-version goes with one --platform; with several, give each its own: --platform windows/amd64:%s", o.osVersion)
	}
	if !o.platformFromConfig {
		for _, text := range o.platforms {
			p, err := o.parseTargetPlatform(text, o.osVersion)
			if err != nil {
				return nil, err
			}
			name := strings.TrimSpace(text)
			if o.osVersion != "" {
				name += ":" + o.osVersion
			}
			fleet = append(fleet, model.FleetTarget{Name: name, Target: model.FlagTarget(p, model.SourceFlag), Store: model.FleetDocker})
		}
	}
	if f.targetsFile != "" {
		ts, err := readTargetsFile(f.targetsFile)
		if err != nil {
			return nil, err
		}
		fleet = append(fleet, ts...)
	}
	if f.nodesFile != "" {
		ns, err := o.readNodes(f.nodesFile)
		if err != nil {
			return nil, err
		}
		fleet = append(fleet, ns...)
	}
	if len(fleet) == 0 && len(o.configTargets) > 0 {
		ts, problems := buildTargets(o.configTargets, model.SourceConfig)
		if len(problems) > 0 { // validateConfig has refused these already
			return nil, usagef("config targets: %s", problems[0])
		}
		fleet = ts
	}
	if len(fleet) == 0 {
		t, err := o.target()
		if err != nil {
			return nil, err
		}
		name := "host"
		if t.Source != model.SourceHost {
			name = strings.TrimSpace(o.platform)
			if o.osVersion != "" {
				name += ":" + o.osVersion
			}
		}
		fleet = model.Fleet{{Name: name, Target: t, Store: model.FleetDocker}}
	}
	if err := fleet.Check(); err != nil {
		return nil, usagef("%s (name the targets apart in a --targets file)", err.Error())
	}
	return fleet, nil
}

// readTargetsFile reads a --targets file: a YAML list of targetSpec,
// every key known.
func readTargetsFile(path string) (model.Fleet, error) {
	f, err := openInput("--targets", path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxConfig+1))
	if err != nil {
		return nil, usagef("--targets %s: %s", path, err.Error())
	}
	if len(b) > maxConfig {
		return nil, usagef("--targets %s: over %d bytes: not a list of targets", path, maxConfig)
	}
	var specs []targetSpec
	if err := yaml.UnmarshalWithOptions(b, &specs, yaml.Strict()); err != nil {
		return nil, usageError{multiLine{fmt.Errorf("--targets %s: expected a list of {name, platform, osVersion, store}:\n%s", path, yaml.FormatError(err, false, true))}}
	}
	fleet, problems := buildTargets(specs, model.SourceTargets)
	if len(problems) > 0 {
		return nil, usageError{multiLine{fmt.Errorf("--targets %s:\n  %s", path, strings.Join(problems, "\n  "))}}
	}
	if len(fleet) == 0 {
		return nil, usagef("--targets %s: no targets", path)
	}
	return fleet, nil
}

// buildTargets checks every spec and returns every problem at once, each
// naming its target.
func buildTargets(specs []targetSpec, src model.TargetSource) (model.Fleet, []string) {
	var fleet model.Fleet
	var problems []string
	seen := map[string]int{}
	for i, s := range specs {
		where := fmt.Sprintf("targets[%d]", i)
		if s.Name != "" {
			where += " (" + model.Clean(s.Name) + ")"
		}
		bad := func(field, format string, a ...any) {
			problems = append(problems, where+": "+field+": "+fmt.Sprintf(format, a...))
		}
		if err := model.CheckTargetName(s.Name); err != nil {
			bad("name", "%s", strings.TrimPrefix(err.Error(), model.ErrFleet.Error()+": "))
		} else if j, dup := seen[s.Name]; dup {
			bad("name", "targets[%d] has it too", j)
		}
		seen[s.Name] = i
		store, err := model.ParseFleetStore(s.Store)
		if err != nil {
			bad("store", "%s", err.Error())
		}
		if s.Platform == "" {
			bad("platform", "missing (e.g. linux/arm64, windows/amd64)")
			continue
		}
		p, err := model.ParsePlatformLine(s.Platform)
		if err != nil {
			bad("platform", "%s", err.Error())
			continue
		}
		if s.OSVersion != "" {
			if p.OSVersion != "" {
				bad("osVersion", "the platform has one already (%s)", p.OSVersion)
			}
			p.OSVersion = s.OSVersion
		}
		if p.OSVersion != "" && p.OS != "windows" {
			bad("osVersion", "only Windows images have an os.version, and %s is not windows", p.String())
		} else if p.OSVersion != "" {
			if err := model.CheckTargetOSVersion(p.OSVersion); err != nil {
				bad("osVersion", "%s", err.Error())
			}
		}
		if p.OS == "windows" && p.OSVersion == "" {
			bad("osVersion", "a Windows target needs its build, e.g. 10.0.17763 (Windows Server 2019) or 10.0.20348 (2022)")
		}
		fleet = append(fleet, model.FleetTarget{Name: s.Name, Target: model.FlagTarget(p, src), Store: store})
	}
	if len(fleet) > model.MaxFleet {
		problems = append(problems, fmt.Sprintf("%d targets: at most %d", len(fleet), model.MaxFleet))
	}
	return fleet, problems
}
