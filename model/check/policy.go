package check

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/platypus-tui/platypus/model"
)

// PolicyFile is the policy read from the current directory when --policy
// is not given.
const PolicyFile = ".platypus-check.yaml"

// Level is what a policy says of a rule: off, or on at a severity ("" for
// the rule's default).
type Level struct {
	On       bool
	Severity model.Severity
}

// Required is one platform platforms.require names, as written and as
// Docker normalises it.
type Required struct {
	Text     string
	Platform model.Platform
}

// Policy is .platypus-check.yaml: which rules beyond the built-in ones run,
// their thresholds, and severity overrides. The zero Policy runs the
// built-in rules at their default severities.
type Policy struct {
	// Rules overrides severities by rule name; Level.On false turns it off.
	Rules map[string]Level

	RequirePlatforms []Required
	OnlyPlatforms    Level
	RequireAnnots    []string
	AgreeAnnots      Level
	Provenance       Level
	SBOM             Level
	SameSource       Level
	Signatures       Level
	BaseCovered      Level
	BaseFresh        Level
	// MaxCompressed is the largest compressed size of one platform (0: none).
	MaxCompressed int64
	// LowestEfficiency is dive's lowestEfficiency (0: none).
	LowestEfficiency float64
	// HighestWasted is dive's highestWastedBytes (-1: none).
	HighestWasted int64
}

// DefaultPolicy is the built-in rules alone.
func DefaultPolicy() *Policy { return &Policy{HighestWasted: -1} }

// Severity is the severity rule runs at, or false when it does not run.
func (p *Policy) Severity(rule string) (model.Severity, bool) {
	on, sev := BuiltIn(rule), model.Severity("")
	switch rule {
	case RuleMissingPlatform:
		on = len(p.RequirePlatforms) > 0
	case RuleUnexpectedPlatform:
		on, sev = p.OnlyPlatforms.On && len(p.RequirePlatforms) > 0, p.OnlyPlatforms.Severity
	case RuleMissingAnnotation:
		on = len(p.RequireAnnots) > 0
	case RuleAnnotationDisagrees:
		on, sev = p.AgreeAnnots.On, p.AgreeAnnots.Severity
	case RuleMissingProvenance:
		on, sev = p.Provenance.On, p.Provenance.Severity
	case RuleMissingSBOM:
		on, sev = p.SBOM.On, p.SBOM.Severity
	case RuleProvenanceSource:
		on, sev = p.SameSource.On, p.SameSource.Severity
	case RuleMissingSignature:
		on, sev = p.Signatures.On, p.Signatures.Severity
	case RuleBaseNotCovered:
		on, sev = p.BaseCovered.On, p.BaseCovered.Severity
	case RuleBaseMoved:
		on, sev = p.BaseFresh.On, p.BaseFresh.Severity
	case RuleTooLarge:
		on = p.MaxCompressed > 0
	case RuleLowEfficiency:
		on = p.LowestEfficiency > 0
	case RuleWastedBytes:
		on = p.HighestWasted >= 0
	}
	if l, ok := p.Rules[rule]; ok {
		if !l.On {
			return "", false
		}
		sev = l.Severity
	}
	if sev == "" {
		sev = defaults[rule]
	}
	return sev, on
}

// Needs says which facts beyond the index's manifests and configs the
// policy's rules need fetched.
type Needs struct {
	Blobs      bool // HEAD every layer blob (missing-blob)
	Referrers  bool // list the referrers of the index and every image
	Signatures bool // look for cosign's sha256-<hex>.sig tag as well
	Provenance bool // read every platform's provenance statement
	Base       bool // read the base image each platform names
	Layers     bool // read every layer (dive's efficiency)
}

// Needs is what the rules that run need.
func (p *Policy) Needs() Needs {
	on := func(rule string) bool { _, ok := p.Severity(rule); return ok }
	return Needs{
		Blobs:      on(RuleMissingBlob),
		Referrers:  on(RuleMissingProvenance) || on(RuleMissingSBOM) || on(RuleMissingSignature) || on(RuleProvenanceSource),
		Signatures: on(RuleMissingSignature),
		Provenance: on(RuleProvenanceSource),
		Base:       on(RuleBaseNotCovered) || on(RuleBaseMoved),
		Layers:     on(RuleLowEfficiency) || on(RuleWastedBytes),
	}
}

// PolicyError lists every problem of a policy file.
type PolicyError struct{ Problems []string }

func (e *PolicyError) Error() string { return strings.Join(e.Problems, "\n") }

// ParsePolicy reads a policy file. Every problem (unknown keys, wrong
// types, bad values) is reported at once, in a *PolicyError.
func ParsePolicy(b []byte) (*Policy, error) {
	p := DefaultPolicy()
	var doc any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, &PolicyError{Problems: []string{yaml.FormatError(err, false, true)}}
	}
	v := &validator{}
	top := v.mapping("", doc)
	v.keys("", top, "platforms", "annotations", "attestations", "provenance", "signatures", "base", "size", "efficiency", "rules")
	if m := v.mapping("platforms", top["platforms"]); m != nil {
		v.keys("platforms", m, "require", "only")
		reqs := v.strings("platforms.require", m["require"])
		for i, s := range reqs {
			r, err := ParseRequired(s)
			if err != nil {
				v.add("platforms.require[%d]: %s", i, err.Error())
				continue
			}
			p.RequirePlatforms = append(p.RequirePlatforms, r)
		}
		p.OnlyPlatforms = v.level("platforms.only", m["only"])
		if p.OnlyPlatforms.On && len(reqs) == 0 {
			v.add("platforms.only: needs platforms.require (the platforms allowed)")
		}
	}
	if m := v.mapping("annotations", top["annotations"]); m != nil {
		v.keys("annotations", m, "require", "agree")
		p.RequireAnnots = v.strings("annotations.require", m["require"])
		p.AgreeAnnots = v.level("annotations.agree", m["agree"])
	}
	if m := v.mapping("attestations", top["attestations"]); m != nil {
		v.keys("attestations", m, "provenance", "sbom")
		p.Provenance = v.level("attestations.provenance", m["provenance"])
		p.SBOM = v.level("attestations.sbom", m["sbom"])
	}
	if m := v.mapping("provenance", top["provenance"]); m != nil {
		v.keys("provenance", m, "sameSource")
		p.SameSource = v.level("provenance.sameSource", m["sameSource"])
	}
	p.Signatures = v.level("signatures", top["signatures"])
	if m := v.mapping("base", top["base"]); m != nil {
		v.keys("base", m, "covered", "fresh")
		p.BaseCovered = v.level("base.covered", m["covered"])
		p.BaseFresh = v.level("base.fresh", m["fresh"])
	}
	if m := v.mapping("size", top["size"]); m != nil {
		v.keys("size", m, "maxCompressed")
		if x, ok := m["maxCompressed"]; ok {
			p.MaxCompressed = v.size("size.maxCompressed", x, false)
		}
	}
	if m := v.mapping("efficiency", top["efficiency"]); m != nil {
		v.keys("efficiency", m, "lowest", "highestWasted")
		if x, ok := m["lowest"]; ok {
			p.LowestEfficiency = v.ratio("efficiency.lowest", x)
		}
		if x, ok := m["highestWasted"]; ok {
			p.HighestWasted = v.size("efficiency.highestWasted", x, true)
		}
	}
	if m := v.mapping("rules", top["rules"]); m != nil {
		p.Rules = map[string]Level{}
		for name, x := range m {
			if _, known := defaults[name]; !known {
				v.add("rules.%s: no such rule%s", name, suggest(name, Rules()))
				continue
			}
			l, ok := parseLevel(x)
			if !ok || (l.On && l.Severity == "") {
				v.add("rules.%s: %s is not off, warning or error", name, show(x))
				continue
			}
			p.Rules[name] = l
		}
	}
	if len(v.problems) > 0 {
		slices.Sort(v.problems)
		return nil, &PolicyError{Problems: v.problems}
	}
	return p, nil
}

// ParseRequired reads a platform as platforms.require writes it:
// "linux/arm/v7", "windows/amd64:10.0.17763" (or "windows/amd64
// 10.0.17763", or containerd's "windows(10.0.17763)/amd64").
func ParseRequired(s string) (Required, error) {
	line := s
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		line = s[:i] + " " + s[i+1:]
	}
	p, err := model.ParsePlatformLine(line)
	if err != nil {
		return Required{}, err // says what is wrong with s
	}
	if p.OSVersion != "" && p.OS != "windows" {
		return Required{}, fmt.Errorf("%q: only a windows platform has an os.version", s)
	}
	if p.OSVersion != "" && strings.Count(p.OSVersion, ".") < 2 {
		return Required{}, fmt.Errorf("%q: an os.version is major.minor.build, e.g. 10.0.17763", s)
	}
	return Required{Text: s, Platform: model.FlagTarget(p, model.SourceConfig).Platform}, nil
}

// validator collects a policy's problems.
type validator struct{ problems []string }

func (v *validator) add(format string, a ...any) {
	v.problems = append(v.problems, fmt.Sprintf(format, a...))
}

func (v *validator) mapping(path string, x any) map[string]any {
	if x == nil {
		return nil
	}
	m, ok := x.(map[string]any)
	if !ok {
		where := path
		if where == "" {
			where = "the policy"
		}
		v.add("%s: expected a mapping of keys, got %s", where, show(x))
		return nil
	}
	return m
}

func (v *validator) keys(path string, m map[string]any, known ...string) {
	for k := range m {
		if !slices.Contains(known, k) {
			full := k
			if path != "" {
				full = path + "." + k
			}
			v.add("%s: unknown key%s", full, suggest(k, known))
		}
	}
}

func (v *validator) strings(path string, x any) []string {
	if x == nil {
		return nil
	}
	list, ok := x.([]any)
	if !ok {
		v.add("%s: expected a list, got %s", path, show(x))
		return nil
	}
	var out []string
	for i, e := range list {
		s, ok := e.(string)
		if !ok || s == "" {
			v.add("%s[%d]: expected a non-empty string, got %s", path, i, show(e))
			continue
		}
		out = append(out, s)
	}
	return out
}

func (v *validator) level(path string, x any) Level {
	if x == nil {
		return Level{}
	}
	l, ok := parseLevel(x)
	if !ok {
		v.add("%s: %s is not one of true, false, required, error, warning, off", path, show(x))
	}
	return l
}

// parseLevel reads what turns a policy rule on or off: true / required
// (on, default severity), error or warning, false / off / optional.
func parseLevel(x any) (Level, bool) {
	switch x := x.(type) {
	case bool:
		return Level{On: x}, true
	case string:
		switch strings.ToLower(x) {
		case "true", "required", "on", "yes":
			return Level{On: true}, true
		case "error":
			return Level{On: true, Severity: model.SevError}, true
		case "warning", "warn":
			return Level{On: true, Severity: model.SevWarning}, true
		case "false", "off", "optional", "no":
			return Level{}, true
		}
	}
	return Level{}, false
}

func (v *validator) ratio(path string, x any) float64 {
	f, ok := number(x)
	if !ok || !(f > 0 && f <= 1) { // NaN too
		v.add("%s: %s is not a ratio above 0 and at most 1 (dive's lowestEfficiency, e.g. 0.9)", path, show(x))
		return 0
	}
	return f
}

func (v *validator) size(path string, x any, zeroOK bool) int64 {
	n, err := ParseSize(x)
	if err == nil && (n > 0 || zeroOK) {
		return n
	}
	v.add("%s: %s is not a size such as 500MB, 1.5GiB or a number of bytes", path, show(x))
	if zeroOK {
		return -1
	}
	return 0
}

// ParseSize reads a size as dive and Docker write one: a number of bytes,
// or a number with a unit, decimal (kB, MB, GB, TB) or binary (KiB, MiB,
// GiB, TiB).
func ParseSize(x any) (int64, error) {
	if f, ok := number(x); ok {
		if f < 0 || f > math.MaxInt64/2 || f != math.Trunc(f) {
			return 0, fmt.Errorf("%v is not a number of bytes", x)
		}
		return int64(f), nil
	}
	s, ok := x.(string)
	if !ok {
		return 0, fmt.Errorf("%s is not a size", show(x))
	}
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i < 0 {
		i = len(s)
	}
	num, unit := s[:i], strings.ToLower(strings.TrimSpace(s[i:]))
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("%q is not a size", s)
	}
	mult := map[string]float64{
		"": 1, "b": 1, "k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9, "t": 1e12, "tb": 1e12,
		"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
	}[unit]
	if mult == 0 {
		return 0, fmt.Errorf("%q: unknown unit %q", s, unit)
	}
	n := f * mult
	if n > math.MaxInt64/2 {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return int64(n), nil
}

func number(x any) (float64, bool) {
	switch x := x.(type) {
	case uint64:
		return float64(x), true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// show is a value as a problem quotes it.
func show(x any) string {
	switch x := x.(type) {
	case nil:
		return "nothing"
	case string:
		return strconv.Quote(x)
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	}
	return fmt.Sprint(x)
}

// suggest names the known word closest to a misspelt one.
func suggest(got string, known []string) string {
	best, dist := "", 3
	for _, k := range known {
		if strings.EqualFold(k, got) {
			return " (did you mean " + k + "?)"
		}
		if d := model.EditDistance(strings.ToLower(got), strings.ToLower(k)); d < dist {
			best, dist = k, d
		}
	}
	if best != "" {
		return " (did you mean " + best + "?)"
	}
	return " (known: " + strings.Join(known, ", ") + ")"
}
