package main

import (
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
)

// The Docker CLI finds plugins as ~/.docker/cli-plugins/docker-NAME: it
// asks each for its metadata, then runs `docker-NAME NAME ARGS…` for
// `docker NAME ARGS…` (docker/cli cli-plugins/manager).
const pluginMetadataArg = "docker-cli-plugin-metadata"

type pluginMetadata struct {
	SchemaVersion    string `json:"SchemaVersion"`
	Vendor           string `json:"Vendor"`
	Version          string `json:"Version"`
	ShortDescription string `json:"ShortDescription"`
}

// pluginArgs turns a Docker CLI plugin call into platypus's own command
// line; handled is true when the call was the metadata question, already
// answered on stdout.
func pluginArgs(argv0 string, args []string, stdout io.Writer) (out []string, handled bool) {
	if len(args) > 0 && args[0] == pluginMetadataArg {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(pluginMetadata{
			SchemaVersion: "0.1.0", Vendor: "platypus", Version: versionString(),
			ShortDescription: "Explore, diagnose and build multi-platform image indexes",
		})
		return nil, true
	}
	name := strings.TrimSuffix(filepath.Base(argv0), ".exe")
	if plugin, ok := strings.CutPrefix(name, "docker-"); ok && len(args) > 0 && args[0] == plugin {
		return args[1:], false
	}
	return args, false
}
