package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/spf13/cobra"
)

// fileConfig is the optional config file, $XDG_CONFIG_HOME/platypus/config.yaml.
// Flags override it.
type fileConfig struct {
	Theme         string              `yaml:"theme"`
	Platform      string              `yaml:"platform"`
	OSVersion     string              `yaml:"osVersion"`
	InsecureHosts []string            `yaml:"insecureHosts"`
	CAFiles       []string            `yaml:"caFiles"`
	Concurrency   int                 `yaml:"concurrency"`
	QuotaShare    float64             `yaml:"quotaShare"`
	DiskCache     *bool               `yaml:"diskCache"`
	DiskCacheMB   int                 `yaml:"diskCacheMB"`
	Keys          map[string][]string `yaml:"keys"`
}

// configPath is where the config file is read from: --config, then
// $PLATYPUS_CONFIG, then the XDG config directory.
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
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && o.configFile == "" {
		return nil
	}
	if err != nil {
		return usagef("config: %s", err.Error())
	}
	var fc fileConfig
	if err := yaml.UnmarshalWithOptions(b, &fc, yaml.Strict()); err != nil {
		return usagef("config %s: %s", path, strings.ReplaceAll(err.Error(), "\n", " "))
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
	if fc.OSVersion != "" {
		set("os-version", func() { o.osVersion = fc.OSVersion })
	}
	if fc.Concurrency > 0 {
		set("concurrency", func() { o.concurrency = fc.Concurrency })
	}
	if fc.QuotaShare > 0 {
		set("quota-share", func() { o.quotaShare = fc.QuotaShare })
	}
	if fc.DiskCache != nil {
		set("disk-cache", func() { o.diskCache = *fc.DiskCache })
	}
	if fc.DiskCacheMB > 0 {
		o.diskCacheMB = fc.DiskCacheMB
	}
	o.insecureHosts = append(o.insecureHosts, fc.InsecureHosts...)
	o.caFiles = append(o.caFiles, fc.CAFiles...)
	o.keys = fc.Keys
	return nil
}

// exampleConfig is the documented example (README and `platypus config`).
const exampleConfig = `# platypus config: $XDG_CONFIG_HOME/platypus/config.yaml (~/.config/platypus/config.yaml)
# Every setting is optional; command-line flags override it.
theme: dark                # dark, light, high-contrast, mono (NO_COLOR forces mono)
platform: linux/arm64/v8   # default target instead of this host
# osVersion: 10.0.17763    # with a windows platform
insecureHosts:             # plain HTTP or unverified TLS allowed (loopback always is)
  - registry.lab.example:5000
caFiles: []                # extra CA certificates (PEM)
concurrency: 16            # requests in flight per registry
quotaShare: 0.5            # a tag scan asks before spending more of a pull quota
diskCache: true            # keep manifests and configs by digest under $XDG_CACHE_HOME/platypus
diskCacheMB: 256
keys:                      # key binding overrides, by action
  quit: [q, ctrl+c]
  diagnose: [d, "!"]
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
