package main

import (
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
)

// The Docker CLI finds plugins as ~/.docker/cli-plugins/docker-NAME: it
// asks each for its metadata, then runs `docker-NAME [docker's global
// flags] NAME ARGS…` for `docker [global flags] NAME ARGS…`, with
// DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND set (docker/cli
// cli-plugins/manager).
const (
	pluginMetadataArg = "docker-cli-plugin-metadata"
	pluginEnv         = "DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND"
)

type pluginMetadata struct {
	SchemaVersion    string `json:"SchemaVersion"`
	Vendor           string `json:"Vendor"`
	Version          string `json:"Version"`
	ShortDescription string `json:"ShortDescription"`
}

// dockerValueFlags and dockerBoolFlags are the Docker CLI's global flags
// (docker/cli cli/flags/options.go, 20.10 to 28).
var (
	dockerValueFlags = map[string]bool{
		"--config": true, "-c": true, "--context": true, "-H": true, "--host": true,
		"-l": true, "--log-level": true, "--tlscacert": true, "--tlscert": true, "--tlskey": true,
	}
	dockerBoolFlags = map[string]bool{"-D": true, "--debug": true, "--tls": true, "--tlsverify": true}
)

// pluginCall is a command line as platypus runs it.
type pluginCall struct {
	args []string
	// plugin is set when Docker ran platypus as `docker platypus`.
	plugin bool
	// dockerConfig is docker's --config: the Docker configuration
	// directory (credentials), as $DOCKER_CONFIG would say.
	dockerConfig string
}

// pluginArgs turns a Docker CLI plugin call into platypus's own command
// line; handled is true when the call was the metadata question, already
// answered on stdout. Docker's global flags before the plugin's name are
// taken out: --config names the Docker configuration directory, -D and
// --debug become --debug, the rest (daemon, context, TLS to the daemon)
// mean nothing to platypus.
func pluginArgs(argv0 string, args []string, getenv func(string) string, stdout io.Writer) (call pluginCall, handled bool) {
	if len(args) > 0 && args[0] == pluginMetadataArg {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(pluginMetadata{
			SchemaVersion: "0.1.0", Vendor: "platypus", Version: shortVersion(),
			ShortDescription: "Explore, diagnose and build multi-platform image indexes",
		})
		return pluginCall{}, true
	}
	name, isPlugin := strings.CutPrefix(strings.TrimSuffix(filepath.Base(argv0), ".exe"), "docker-")
	if !isPlugin && getenv(pluginEnv) == "" {
		return pluginCall{args: args}, false
	}
	if !isPlugin {
		name = "platypus"
	}
	if len(args) > 0 && args[0] == name {
		return pluginCall{args: args[1:], plugin: true}, false
	}
	if getenv(pluginEnv) == "" {
		return pluginCall{args: args}, false
	}
	call = pluginCall{plugin: true}
	debug := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		flag, value, hasValue := strings.Cut(a, "=")
		switch {
		case a == name:
			if debug {
				call.args = append(call.args, "--debug")
			}
			call.args = append(call.args, args[i+1:]...)
			return call, false
		case dockerValueFlags[flag]:
			if !hasValue && i+1 < len(args) {
				i++
				value = args[i]
			}
			if flag == "--config" {
				call.dockerConfig = value
			}
		case dockerBoolFlags[flag]:
			if flag == "-D" || flag == "--debug" {
				debug = !hasValue || value == "true"
			}
		default:
			// Not docker's: not a plugin call after all.
			return pluginCall{args: args}, false
		}
	}
	return pluginCall{args: args}, false
}
