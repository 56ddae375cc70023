package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/spf13/cobra"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/themes"
	"github.com/platypus-tui/platypus/ui"
)

// fileConfig is the optional config file, config.yaml in the config
// directory (xdg.go).
// Flags override it.
type fileConfig struct {
	Theme         string              `yaml:"theme"`
	Platform      string              `yaml:"platform"`
	OSVersion     string              `yaml:"osVersion"`
	InsecureHosts []string            `yaml:"insecureHosts"`
	CAFiles       []string            `yaml:"caFiles"`
	Concurrency   *int                `yaml:"concurrency"`
	QuotaShare    *float64            `yaml:"quotaShare"`
	DiskCache     *bool               `yaml:"diskCache"`
	DiskCacheMB   *int                `yaml:"diskCacheMB"`
	Keys          map[string][]string `yaml:"keys"`
	Limits        *configLimits       `yaml:"limits"`
	// ScanAsk is how many tags a scan lists before it asks, when the
	// registry says nothing of a pull quota.
	ScanAsk *int `yaml:"scanAsk"`
	// Targets is the default fleet of inspect and scan.
	Targets []targetSpec `yaml:"targets"`
}

// configLimits are the registry limits as the file writes them.
type configLimits struct {
	Pages         *int    `yaml:"pages"`
	Names         *int    `yaml:"names"`
	PageMB        *int    `yaml:"pageMB"`
	HeaderTimeout *string `yaml:"headerTimeout"`
	IdleTimeout   *string `yaml:"idleTimeout"`
	LayerMB       *int64  `yaml:"layerMB"`
	LayerEntries  *int    `yaml:"layerEntries"`
	PathLength    *int    `yaml:"pathLength"`
	CachedEntries *int    `yaml:"cachedEntries"`
	Referrers     *int    `yaml:"referrers"`
	ReferrerDepth *int    `yaml:"referrerDepth"`
}

// maxConfig bounds the config file.
const maxConfig = 1 << 20

// configPath is where the config file is read from: --config, then
// $PLATYPUS_CONFIG, then the config directory.
func (o *rootOptions) configPath() string {
	if o.configFile != "" {
		return o.configFile
	}
	if p := os.Getenv("PLATYPUS_CONFIG"); p != "" {
		return p
	}
	if d := configDir(); d != "" {
		return filepath.Join(d, "config.yaml")
	}
	return ""
}

// loadConfig reads the config file, if there is one, into the options
// whose flags were not given.
func (o *rootOptions) loadConfig(cmd *cobra.Command) error {
	path := o.configPath()
	if path == "" {
		return nil
	}
	b, err := readConfig(path)
	named := o.configFile != "" || os.Getenv("PLATYPUS_CONFIG") != ""
	if errors.Is(err, os.ErrNotExist) && !named {
		return nil
	}
	if err != nil && o.configFile == "" && named {
		return usagef("config (PLATYPUS_CONFIG): %s", err.Error())
	}
	if err != nil {
		return usagef("config: %s", err.Error())
	}
	var fc fileConfig
	if err := yaml.UnmarshalWithOptions(b, &fc, yaml.Strict()); err != nil {
		// As the YAML library shows it: the line, and a caret under the fault.
		return usageError{multiLine{fmt.Errorf("config %s:\n%s", path, yamlError(b, err))}}
	}
	if problems := o.validateConfig(&fc); len(problems) > 0 {
		return usageError{multiLine{fmt.Errorf("config %s:\n  %s", path, strings.Join(problems, "\n  "))}}
	}
	flags := cmd.Flags()
	set := func(name string, apply func()) {
		if f := flags.Lookup(name); f == nil || !f.Changed {
			apply()
		}
	}
	o.configTheme = fc.Theme // below the flag and $PLATYPUS_THEME
	if fc.Platform != "" {
		set("platform", func() { o.platform, o.platformFromConfig = fc.Platform, true })
	}
	if fc.OSVersion != "" && o.platformFromConfig {
		// The build belongs to the config's platform, not to one --platform gives.
		set("os-version", func() { o.osVersion = fc.OSVersion })
	}
	if fc.Concurrency != nil {
		set("concurrency", func() { o.concurrency = *fc.Concurrency })
	}
	if fc.QuotaShare != nil {
		set("quota-share", func() { o.quotaShare = *fc.QuotaShare })
	}
	if fc.DiskCache != nil {
		set("disk-cache", func() { o.diskCache = *fc.DiskCache })
	}
	if fc.DiskCacheMB != nil {
		o.diskCacheMB = *fc.DiskCacheMB
	}
	if fc.ScanAsk != nil {
		o.scanAsk = *fc.ScanAsk
	}
	o.insecureHosts = append(o.insecureHosts, fc.InsecureHosts...)
	o.caFiles = append(o.caFiles, fc.CAFiles...)
	o.keys = fc.Keys
	o.configTargets = fc.Targets
	return nil
}

// readConfig reads a config file: a regular file of at most maxConfig
// bytes (not /dev/zero, not a FIFO that never ends).
func readConfig(path string) ([]byte, error) {
	// Stat first: opening a FIFO blocks until someone writes to it.
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err //nolint:wrapcheck // the path is in the message
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err //nolint:wrapcheck // as above
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxConfig+1))
	if err != nil {
		return nil, err //nolint:wrapcheck // as above
	}
	if len(b) > maxConfig {
		return nil, fmt.Errorf("%s is over %d bytes: not a config file", path, maxConfig)
	}
	return b, nil
}

// validateConfig checks every value and returns every problem at once;
// the limits it reads go to o.
func (o *rootOptions) validateConfig(fc *fileConfig) []string {
	var out []string
	if fc.Theme != "" && !slices.Contains(themes.Names(), fc.Theme) {
		out = append(out, fmt.Sprintf("theme: %q is not one of %s", fc.Theme, strings.Join(themes.Names(), ", ")))
	}
	if fc.Platform != "" {
		if _, err := model.ParsePlatformLine(fc.Platform); err != nil {
			out = append(out, "platform: "+err.Error())
		}
	}
	if fc.OSVersion != "" && !strings.HasPrefix(fc.Platform, "windows") {
		out = append(out, "osVersion: only a windows platform has one")
	} else if fc.OSVersion != "" {
		if err := model.CheckTargetOSVersion(fc.OSVersion); err != nil {
			out = append(out, "osVersion: "+err.Error())
		}
	}
	if c := fc.Concurrency; c != nil && (*c < 1 || *c > 256) {
		out = append(out, fmt.Sprintf("concurrency: %d is not between 1 and 256", *c))
	}
	if q := fc.QuotaShare; q != nil && (*q <= 0 || *q > 1) {
		out = append(out, fmt.Sprintf("quotaShare: %g is not a share (more than 0, at most 1)", *q))
	}
	if m := fc.DiskCacheMB; m != nil && *m < 1 {
		out = append(out, fmt.Sprintf("diskCacheMB: %d is not a size", *m))
	}
	if a := fc.ScanAsk; a != nil && *a < 1 {
		out = append(out, fmt.Sprintf("scanAsk: %d is not a number of tags", *a))
	}
	for _, h := range fc.InsecureHosts {
		if p := checkHost(h); p != "" {
			out = append(out, "insecureHosts: "+p)
		}
	}
	if _, problems := buildTargets(fc.Targets, model.SourceConfig); len(problems) > 0 {
		out = append(out, problems...)
	}
	km := ui.DefaultKeyMap()
	if err := km.Override(fc.Keys); err != nil {
		out = append(out, err.Error())
	}
	for action, keys := range fc.Keys {
		for _, k := range keys {
			if p := checkKey(k); p != "" {
				out = append(out, "keys."+action+": "+p)
			}
		}
	}
	if l := fc.Limits; l != nil {
		lim := registry.DefaultLimits()
		set := func(dst *int, v *int) {
			if v != nil {
				*dst = *v
			}
		}
		set(&lim.Pages, l.Pages)
		set(&lim.Names, l.Names)
		set(&lim.PageMB, l.PageMB)
		set(&lim.LayerEntries, l.LayerEntries)
		set(&lim.PathLength, l.PathLength)
		set(&lim.CachedEntries, l.CachedEntries)
		set(&lim.Referrers, l.Referrers)
		set(&lim.ReferrerDepth, l.ReferrerDepth)
		if l.LayerMB != nil {
			lim.LayerMB = *l.LayerMB
		}
		for name, pair := range map[string]struct {
			v   *string
			dst *time.Duration
		}{"headerTimeout": {l.HeaderTimeout, &lim.HeaderTimeout}, "idleTimeout": {l.IdleTimeout, &lim.IdleTimeout}} {
			if pair.v == nil {
				continue
			}
			d, err := time.ParseDuration(*pair.v)
			if err != nil {
				out = append(out, fmt.Sprintf("limits.%s: %q is not a duration such as 30s", name, *pair.v))
				continue
			}
			*pair.dst = d
		}
		out = append(out, lim.Problems()...)
		o.limits = lim
	}
	slices.Sort(out)
	return out
}

// exampleConfig is the documented example (README and `platypus config`).
const exampleConfig = `# platypus config: config.yaml in $XDG_CONFIG_HOME/platypus, else ~/.config/platypus (Linux),
# ~/Library/Application Support/platypus (macOS), %AppData%\platypus (Windows)
# Every setting is optional; command-line flags override it.
theme: dark                # dark, light, high-contrast, mono (NO_COLOR forces mono)
platform: linux/arm64/v8   # default target instead of this host
# osVersion: 10.0.17763    # with a windows platform
insecureHosts:             # plain HTTP or unverified TLS allowed (loopback may always use plain HTTP; its TLS is verified)
  - registry.lab.example:5000
caFiles: []                # extra CA certificates (PEM)
concurrency: 16            # requests in flight per registry
quotaShare: 0.5            # a tag scan asks before spending more of a pull quota
diskCache: true            # keep manifests and configs by digest in the cache directory
diskCacheMB: 256
keys:                      # key binding overrides, by action
  quit: [q, ctrl+c]
  diagnose: [d, D]
scanAsk: 1000              # a tag scan asks before judging more tags than this (without quota headers)
targets:                   # the fleet inspect and scan judge for when no --platform, --targets or --nodes is given
  - {name: laptop, platform: linux/arm64/v8}
  - {name: win2019, platform: windows/amd64, osVersion: 10.0.17763, store: containerd}
limits:                    # what a registry can make platypus do
  pages: 10000             # pages of one tag list or catalog
  names: 2000000           # names in one list
  pageMB: 64               # size of one page
  headerTimeout: 30s       # wait for a response to start
  idleTimeout: 30s         # a response bringing less than 1 KiB this long is stopped
  layerMB: 8192            # uncompressed size of one layer read for its files
  layerEntries: 2000000    # entries of one layer (at most 100,000,000)
  pathLength: 4096         # one file name in a layer (256 to 1 MiB)
  cachedEntries: 4000000   # entries of the layers kept in memory to show again
  referrers: 1000          # referrers of one manifest (copied: with theirs)
  referrerDepth: 4         # referrers of referrers followed (at most 16)
`

func newConfigCmd(o *rootOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "config",
		Short: "Show where the config file is and an example of it",
		Example: `  platypus config > ~/.config/platypus/config.yaml   # start from the example
  PLATYPUS_CONFIG=./ci.yaml platypus inspect app:1.2`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			p := o.configPath()
			state := "not present"
			if _, err := os.Stat(p); err == nil {
				state = "present"
			}
			fmt.Fprintf(o.stdout, "# %s (%s)\n%s", p, state, exampleConfig)
			return nil
		},
	}
}

func (o *rootOptions) diskCacheOption() (string, int64) {
	if !o.diskCache {
		return "", 0
	}
	d := cacheDir()
	if d == "" {
		return "", 0
	}
	mb := o.diskCacheMB
	if mb <= 0 {
		mb = 256
	}
	return filepath.Join(d, "blobs"), int64(mb) << 20
}
