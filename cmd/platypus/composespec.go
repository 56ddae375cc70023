package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
)

// composeSpec is the --spec file: manifest-tool's shape.
type composeSpec struct {
	Image       string            `yaml:"image"`
	MediaType   string            `yaml:"mediaType"`
	Annotations map[string]string `yaml:"annotations"`
	Manifests   []struct {
		Image       string            `yaml:"image"`
		Platform    *specPlatform     `yaml:"platform"`
		Annotations map[string]string `yaml:"annotations"`
	} `yaml:"manifests"`
}

type specPlatform struct {
	OS           string   `yaml:"os"`
	Architecture string   `yaml:"architecture"`
	Variant      string   `yaml:"variant"`
	OSVersion    string   `yaml:"os.version"`
	OSFeatures   []string `yaml:"os.features"`
}

// specKeys are the keys a --spec file may have, by where they sit.
var specKeys = map[string][]string{
	"":          {"image", "mediaType", "annotations", "manifests"},
	"manifests": {"image", "platform", "annotations"},
	"platform":  {"os", "architecture", "variant", "os.version", "os.features"},
}

// readSpec reads a --spec file. A key platypus does not know is an error,
// as in the config file: a misspelt platform key would otherwise be dropped
// and the platform taken from the image's config. Every one is named.
func readSpec(path string) (*composeSpec, error) {
	b, err := readConfig(path)
	if err != nil {
		return nil, usagef("--spec: %s", err.Error())
	}
	var generic any
	if err := yaml.Unmarshal(b, &generic); err != nil {
		return nil, usageError{multiLine{fmt.Errorf("--spec %s:\n%s", path, yaml.FormatError(err, false, true))}}
	}
	if unknown := unknownSpecKeys(generic, "", ""); len(unknown) > 0 {
		return nil, usagef("--spec %s: unknown %s %s (a spec has image, mediaType, annotations and manifests of image, platform and annotations; a platform has %s)",
			path, plural(len(unknown), "key", "keys"), strings.Join(unknown, ", "), strings.Join(specKeys["platform"], ", "))
	}
	spec := &composeSpec{}
	if err := yaml.UnmarshalWithOptions(b, spec, yaml.Strict()); err != nil {
		return nil, usageError{multiLine{fmt.Errorf("--spec %s:\n%s", path, yaml.FormatError(err, false, true))}}
	}
	return spec, nil
}

// unknownSpecKeys walks a decoded spec and returns the path of every key
// that is not one of specKeys, in the file's order of sections.
func unknownSpecKeys(v any, where, path string) []string {
	m, ok := v.(map[string]any)
	if !ok {
		return nil // not a mapping: the typed decoding says what is wrong
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out []string
	for _, k := range keys {
		at := k
		if path != "" {
			at = path + "." + k
		}
		if !slices.Contains(specKeys[where], k) {
			out = append(out, fmt.Sprintf("%q", at))
			continue
		}
		switch {
		case where == "" && k == "manifests":
			list, _ := m[k].([]any)
			for i, item := range list {
				out = append(out, unknownSpecKeys(item, "manifests", fmt.Sprintf("manifests[%d]", i))...)
			}
		case where == "manifests" && k == "platform":
			out = append(out, unknownSpecKeys(m[k], "platform", at)...)
		}
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
