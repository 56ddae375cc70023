package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/themes"
)

// rootOptions are the flags every command shares and what they build.
type rootOptions struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	insecureHosts []string
	strictTLS     bool
	username      string
	passwordStdin bool
	demo          bool
	debug         bool
	concurrency   int
	platform      string   // the first --platform, or the config's
	platforms     []string // every --platform given (inspect, scan and the explorer take several)
	osVersion     string
	theme         string
	caFiles       []string
	quotaShare    float64
	configFile    string
	configTheme   string
	// platformFromConfig is set when --platform came from the config file.
	platformFromConfig bool
	configTargets      []targetSpec // the config's default fleet
	explorerFleet      fleetFlags   // the explorer's --targets and --nodes
	diskCache          bool
	diskCacheMB        int
	keys               map[string][]string
	limits             registry.Limits
	scanAsk            int
	tui                bool // the explorer owns the terminal
	// policy is the explorer's release check policy (--policy;
	// policyGiven when the flag was given).
	policy      string
	policyGiven bool

	demoServer *demo.Server
	client     *registry.Client
	password   string
}

func newRootCmd(stdin io.Reader, stdout, stderr io.Writer) (*cobra.Command, *rootOptions) {
	o := &rootOptions{stdin: stdin, stdout: stdout, stderr: stderr, limits: registry.DefaultLimits(), scanAsk: defaultScanAsk}
	cmd := &cobra.Command{
		Use:   "platypus [REF]",
		Short: "Explore and build multi-platform container image indexes",
		Long: `platypus explores container registries and the multi-platform indexes
(OCI image indexes and Docker manifest lists) they hold: which platforms a tag
offers, what each image contains, which entry 'docker pull' would select on a
given platform and why the others would not, and it composes and pushes new
indexes safely.

With a REF, the explorer opens there: a registry host lists repositories, a
repository lists tags, a tag or digest shows the index or image. ocidir://PATH
opens an OCI layout directory.`,
		Example: `  platypus --demo                          # explore the built-in demo registry
  platypus --demo library/centos:7         # open an index of the demo registry
  platypus registry.example.com            # list a registry's repositories
  platypus docker.io/library/mysql         # the tags of a repository
  platypus mysql:5.7 --platform linux/arm64/v8`,
		Args:          rootArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       versionString(),
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if len(o.platforms) > 0 {
				o.platform = o.platforms[0]
			}
			if err := o.loadConfig(cmd); err != nil {
				return err
			}
			return o.checkGlobalFlags()
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.policyGiven = cmd.Flags().Changed("policy")
			return o.runExplorer(cmd.Context(), args)
		},
	}
	cmd.SetIn(stdin)
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	cmd.SetVersionTemplate("platypus {{.Version}}\n")
	o.policyFlag(cmd)
	pf := cmd.PersistentFlags()
	pf.StringArrayVar(&o.insecureHosts, "insecure-host", nil, "allow plain HTTP or unverified TLS for `HOST` (repeatable); loopback hosts are allowed by default")
	pf.StringArrayVar(&o.caFiles, "ca-file", nil, "trust the PEM certificate(s) in `FILE` for TLS (repeatable)")
	pf.BoolVar(&o.strictTLS, "strict-tls", false, "require verified TLS even for loopback hosts")
	pf.StringVar(&o.username, "username", "", "registry username (use with --password-stdin); default: the Docker config's login")
	pf.BoolVar(&o.passwordStdin, "password-stdin", false, "read the registry password from standard input")
	pf.BoolVar(&o.demo, "demo", false, "use the built-in demo registry: references without a registry host point into it")
	pf.BoolVar(&o.debug, "debug", false, "log requests to standard error (credentials are never logged)")
	pf.IntVar(&o.concurrency, "concurrency", registry.DefaultConcurrency, "requests in flight per registry host")
	pf.StringVar(&o.configFile, "config", "", "read settings from `FILE` (default: $PLATYPUS_CONFIG, else config.yaml in the config directory: see platypus config)")
	pf.BoolVar(&o.diskCache, "disk-cache", false, "keep manifests and configs fetched by digest, and layer listings, in the cache directory ($XDG_CACHE_HOME/platypus on Linux)")
	pf.Float64Var(&o.quotaShare, "quota-share", 0.5, "largest share of a registry's remaining pull quota a tag scan may spend without asking")
	pf.StringArrayVar(&o.platforms, "platform", nil, "target `PLATFORM`, as Docker spells it: linux/arm64/v8, windows/amd64:10.0.17763 (default: this host); inspect, scan and the explorer take several")
	pf.StringVar(&o.osVersion, "os-version", "", "target Windows os.version, e.g. 10.0.14393.2068")
	pf.StringVar(&o.theme, "theme", "", "UI theme: dark, light, high-contrast, mono (default: $PLATYPUS_THEME, else the config file's, else dark or light by the terminal's background; mono under NO_COLOR)")
	o.explorerFleet.register(cmd)
	cmd.AddCommand(
		newDemoCmd(o),
		newReposCmd(o),
		newTagsCmd(o),
		newInspectCmd(o),
		newScanCmd(o),
		newComposeCmd(o),
		newCopyCmd(o),
		newFilesCmd(o),
		newCatCmd(o),
		newDiffCmd(o),
		newUndoCmd(o),
		newConfigCmd(o),
		newCheckCmd(o),
	)
	o.registerCompletions(cmd)
	return cmd, o
}

// maxArgs is cobra.MaximumNArgs with a usage error.
func maxArgs(n int) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) > n {
			return usagef("expected at most %d argument(s), got %d", n, len(args))
		}
		return nil
	}
}

// exactArgs is cobra.ExactArgs with a usage error naming what is missing.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("expected %s", what)
		}
		return nil
	}
}

func (o *rootOptions) close() {
	if o.demoServer != nil {
		_ = o.demoServer.Close()
	}
}

// startDemo starts the in-process demo registry once.
func (o *rootOptions) startDemo() (*demo.Server, error) {
	if o.demoServer == nil {
		// The explorer warms the demo's repositories while a person
		// reads the first screen; a command builds only those it asks for.
		s, err := demo.Start(demo.Options{Warm: o.tui})
		if err != nil {
			return nil, err
		}
		o.demoServer = s
	}
	return o.demoServer, nil
}

// registry builds the client once, reading the password if asked.
func (o *rootOptions) registry(hostsForCreds ...string) (*registry.Client, error) {
	if o.client != nil {
		return o.client, nil
	}
	if o.concurrency < 1 || o.concurrency > 256 {
		return nil, usagef("--concurrency must be between 1 and 256, not %d", o.concurrency)
	}
	if o.quotaShare <= 0 || o.quotaShare > 1 {
		return nil, usagef("--quota-share must be more than 0 and at most 1, not %g", o.quotaShare)
	}
	if o.passwordStdin && o.username == "" {
		return nil, usagef("--password-stdin needs --username")
	}
	if o.username != "" && !o.passwordStdin {
		return nil, usagef("--username needs --password-stdin (passwords are never taken as arguments)")
	}
	if o.passwordStdin {
		line, err := bufio.NewReader(o.stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("reading the password from standard input: %w", err)
		}
		o.password = strings.TrimRight(line, "\r\n")
	}
	if err := registry.CheckCAFiles(o.caFiles); err != nil {
		return nil, usageError{err}
	}
	opts := []registry.Option{
		registry.WithInsecureHost(o.insecureHosts...),
		registry.WithStrictTLS(o.strictTLS),
		registry.WithCAFile(o.caFiles...),
		registry.WithDockerCredentials(true),
		registry.WithConcurrency(o.concurrency),
		registry.WithLimits(o.limits),
		registry.WithUserAgent("platypus/" + shortVersion()),
	}
	if o.debug {
		opts = append(opts, registry.WithLogger(slog.New(registry.NewRedactingHandler(slog.NewTextHandler(o.debugOutput(), &slog.HandlerOptions{Level: slog.LevelDebug}), o.password))))
	}
	if o.username != "" {
		for _, h := range hostsForCreds {
			opts = append(opts, registry.WithCredentials(h, o.username, o.password))
		}
	}
	if o.demoServer != nil {
		opts = append(opts, registry.WithPlainHTTP(o.demoServer.Host), registry.WithDemo(o.demoServer.Host))
	}
	if dir, capBytes := o.diskCacheOption(); dir != "" {
		opts = append(opts, registry.WithDiskCache(dir, capBytes))
	}
	o.client = registry.New(opts...)
	return o.client, nil
}

// resolve parses a reference; with --demo, one without an explicit
// registry host points into the demo registry.
func (o *rootOptions) resolve(s string) (model.Reference, error) {
	demoHost := ""
	if o.demo {
		srv, err := o.startDemo()
		if err != nil {
			return model.Reference{}, err
		}
		demoHost = srv.Host
	}
	if _, err := model.ParseReference(s); err != nil {
		return model.Reference{}, usageError{err}
	}
	loc, err := model.ParseLocation(s, demoHost)
	if err != nil || loc.Kind == model.LocHost {
		return model.Reference{}, usagef("%q is a registry host, not a repository or reference", s)
	}
	return loc.Ref, nil
}

// resolveHost parses a registry host; with --demo an empty one is the demo.
func (o *rootOptions) resolveHost(s string) (string, error) {
	if s == "" && o.demo {
		srv, err := o.startDemo()
		if err != nil {
			return "", err
		}
		return srv.Host, nil
	}
	h, err := model.ParseHost(s)
	if err != nil {
		return "", usageError{err}
	}
	return h, nil
}

// target returns the platform the user named, or "" for the host's.
func (o *rootOptions) targetPlatform() (model.Platform, bool, error) {
	if len(o.platforms) > 1 {
		return model.Platform{}, false, usagef("--platform is given %d times: this command judges one target (inspect, scan and the explorer take several)", len(o.platforms))
	}
	if o.platform == "" {
		if o.osVersion != "" {
			return model.Platform{}, false, usagef("--os-version needs --platform (e.g. --platform windows/amd64)")
		}
		return model.Platform{}, false, nil
	}
	p, err := o.parseTargetPlatform(o.platform, o.osVersion)
	return p, err == nil, err
}

// parseTargetPlatform reads one --platform, with --os-version when given:
// Docker's syntax, or crane's windows/amd64:10.0.17763.
func (o *rootOptions) parseTargetPlatform(text, osVersion string) (model.Platform, error) {
	p, err := model.ParsePlatformLine(strings.TrimSpace(text + " " + osVersion))
	if err != nil {
		return model.Platform{}, usageError{err}
	}
	where := "--os-version " + p.OSVersion
	if osVersion == "" {
		where = "--platform " + text
	}
	if p.OSVersion != "" && p.OS != "windows" {
		return model.Platform{}, usagef("%s: only Windows images have an os.version, and %s is not windows", where, p.Display())
	}
	if p.OSVersion != "" {
		if err := model.CheckTargetOSVersion(p.OSVersion); err != nil {
			return model.Platform{}, usagef("%s: %s", where, err.Error())
		}
	}
	if p.OS == "windows" && p.OSVersion == "" {
		fmt.Fprintf(o.stderr, "note: no --os-version for %s: Windows builds are not compared. Docker on Windows always uses the host's build; give it, e.g. --os-version 10.0.17763 (Windows Server 2019) or --platform %s:10.0.20348 (2022)\n", model.Clean(text), model.Clean(text))
	}
	return p, nil
}

// checkGlobalFlags refuses, for every command, settings that can never be
// right, whether or not the command uses them: a theme that does not exist
// (flag or $PLATYPUS_THEME) and an os.version Docker cannot read.
func (o *rootOptions) checkGlobalFlags() error {
	for _, th := range []struct{ name, where string }{{o.theme, "--theme"}, {os.Getenv("PLATYPUS_THEME"), "PLATYPUS_THEME"}} {
		if th.name != "" && !slices.Contains(themes.Names(), th.name) {
			return usagef("%s %q: not a theme; have %s", th.where, th.name, strings.Join(themes.Names(), ", "))
		}
	}
	if o.osVersion != "" {
		if err := model.CheckTargetOSVersion(o.osVersion); err != nil {
			return usagef("%s: %s", o.osVersionSource(), err.Error())
		}
	}
	for _, h := range o.insecureHosts {
		if p := checkHost(h); p != "" {
			return usagef("--insecure-host %s", p)
		}
	}
	return nil
}

// osVersionSource names where the target's os.version came from.
func (o *rootOptions) osVersionSource() string {
	if o.osVersion == "" {
		return "--platform"
	}
	return "--os-version"
}

// demoHost is the demo registry's host when --demo started it, else "".
func (o *rootOptions) demoHost() string {
	if o.demoServer == nil {
		return ""
	}
	return o.demoServer.Host
}

// debugOutput is where --debug logs: standard error for commands, a file
// under the state directory for the explorer, which owns the screen.
func (o *rootOptions) debugOutput() io.Writer {
	if !o.tui {
		return o.stderr
	}
	dir := stateDir()
	if dir == "" || os.MkdirAll(dir, 0o700) != nil {
		return io.Discard
	}
	f, err := os.OpenFile(filepath.Join(dir, "debug.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return io.Discard
	}
	fmt.Fprintf(o.stderr, "debug log: %s\n", f.Name())
	return f
}
