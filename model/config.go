package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Config is the part of an image config a person reads: how the image runs,
// where it runs and how it was built.
type Config struct {
	Digest       string            `json:"digest"`
	Created      *time.Time        `json:"created,omitempty"`
	Author       string            `json:"author,omitempty"`
	Platform     Platform          `json:"platform"`
	Entrypoint   []string          `json:"entrypoint,omitempty"`
	Cmd          []string          `json:"cmd,omitempty"`
	Env          []string          `json:"env,omitempty"`
	WorkingDir   string            `json:"workingDir,omitempty"`
	User         string            `json:"user,omitempty"`
	ExposedPorts []string          `json:"exposedPorts,omitempty"`
	Volumes      []string          `json:"volumes,omitempty"`
	StopSignal   string            `json:"stopSignal,omitempty"`
	Labels       map[string]string `json:"labels,omitempty"`
	History      []History         `json:"history,omitempty"`
	DiffIDs      []string          `json:"diffIDs,omitempty"`
	Raw          []byte            `json:"-"`
}

// History is one line of an image's build history.
type History struct {
	Created    *time.Time `json:"created,omitempty"`
	CreatedBy  string     `json:"createdBy,omitempty"`
	Author     string     `json:"author,omitempty"`
	Comment    string     `json:"comment,omitempty"`
	EmptyLayer bool       `json:"emptyLayer,omitempty"`
}

type rawConfig struct {
	Created      string   `json:"created"`
	Author       string   `json:"author"`
	Architecture string   `json:"architecture"`
	OS           string   `json:"os"`
	OSVersion    string   `json:"os.version"`
	OSFeatures   []string `json:"os.features"`
	Variant      string   `json:"variant"`
	Config       struct {
		User         string              `json:"User"`
		ExposedPorts map[string]struct{} `json:"ExposedPorts"`
		Env          []string            `json:"Env"`
		Entrypoint   []string            `json:"Entrypoint"`
		Cmd          []string            `json:"Cmd"`
		Volumes      map[string]struct{} `json:"Volumes"`
		WorkingDir   string              `json:"WorkingDir"`
		Labels       map[string]string   `json:"Labels"`
		StopSignal   string              `json:"StopSignal"`
	} `json:"config"`
	RootFS struct {
		DiffIDs []string `json:"diff_ids"`
	} `json:"rootfs"`
	History []struct {
		Created    string `json:"created"`
		CreatedBy  string `json:"created_by"`
		Author     string `json:"author"`
		Comment    string `json:"comment"`
		EmptyLayer bool   `json:"empty_layer"`
	} `json:"history"`
}

// DecodeConfig decodes an OCI or Docker image config, keeping every string
// as the registry sent it.
// Times that do not parse are left out rather than failing the config.
func DecodeConfig(raw []byte) (*Config, error) {
	if len(raw) > MaxConfigSize {
		return nil, fmt.Errorf("%w: config of %d bytes is over the %d-byte limit", ErrMalformed, len(raw), MaxConfigSize)
	}
	var rc rawConfig
	if err := json.NewDecoder(bytes.NewReader(raw)).Decode(&rc); err != nil {
		return nil, fmt.Errorf("%w: config is not valid JSON: %s", ErrMalformed, Clean(err.Error()))
	}
	if len(rc.History) > MaxEntries || len(rc.RootFS.DiffIDs) > MaxEntries {
		return nil, fmt.Errorf("%w: config has more than %d history lines or layers", ErrMalformed, MaxEntries)
	}
	c := &Config{
		Digest:  DigestOf(raw),
		Created: parseTime(rc.Created),
		Author:  rc.Author,
		Platform: Platform{
			OS: rc.OS, Architecture: rc.Architecture, Variant: rc.Variant,
			OSVersion: rc.OSVersion,
		},
		Entrypoint: rc.Config.Entrypoint,
		Cmd:        rc.Config.Cmd,
		Env:        rc.Config.Env,
		WorkingDir: rc.Config.WorkingDir,
		User:       rc.Config.User,
		StopSignal: rc.Config.StopSignal,
		Labels:     nonEmpty(rc.Config.Labels),
		DiffIDs:    rc.RootFS.DiffIDs,
		Raw:        raw,
	}
	if len(rc.OSFeatures) > 0 {
		c.Platform.OSFeatures = rc.OSFeatures
	}
	c.ExposedPorts = keysOf(rc.Config.ExposedPorts)
	c.Volumes = keysOf(rc.Config.Volumes)
	for _, h := range rc.History {
		c.History = append(c.History, History{
			Created:    parseTime(h.Created),
			CreatedBy:  h.CreatedBy,
			Author:     h.Author,
			Comment:    h.Comment,
			EmptyLayer: h.EmptyLayer,
		})
	}
	return c, nil
}

func keysOf(m map[string]struct{}) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func parseTime(s string) *time.Time {
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil
	}
	return &t
}
