package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Node is what a fleet needs of a Kubernetes Node: its name, the platform
// containerd's DefaultSpec() gives on it, and its node pool.
type Node struct {
	Name     string
	Platform Platform
	Pool     string
	// Runtime is status.nodeInfo.containerRuntimeVersion
	// ("containerd://1.7.22").
	Runtime string
	// Notes say where the node's own fields disagree.
	Notes []string
}

// Node pool labels, in the order they are looked for.
var poolLabels = []string{
	"eks.amazonaws.com/nodegroup",
	"cloud.google.com/gke-nodepool",
	"kubernetes.azure.com/agentpool",
	"karpenter.sh/nodepool",
}

// Labels kubelet sets from runtime.GOOS / GOARCH and the Windows build.
const (
	labelOS           = "kubernetes.io/os"
	labelArch         = "kubernetes.io/arch"
	labelWindowsBuild = "node.kubernetes.io/windows-build"
)

// ErrNodes is returned for a nodes document that cannot be read.
var ErrNodes = errors.New("not kubectl get nodes -o json")

// NodeError names the node and the field at fault.
type NodeError struct {
	Node  string // metadata.name, or items[N] when there is none
	Field string
	Msg   string
}

func (e *NodeError) Error() string {
	return fmt.Sprintf("node %s: %s: %s", e.Node, e.Field, e.Msg)
}

func (e *NodeError) Unwrap() error { return ErrNodes }

// maxNodes bounds the nodes read (Kubernetes supports 5,000 per cluster).
const maxNodes = 100_000

// k8sNode holds the fields of a Node that decide its platform and pool.
type k8sNode struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name   string            `json:"name"`
		Labels map[string]string `json:"labels"`
	} `json:"metadata"`
	Status struct {
		NodeInfo struct {
			OperatingSystem         string `json:"operatingSystem"`
			Architecture            string `json:"architecture"`
			KernelVersion           string `json:"kernelVersion"`
			ContainerRuntimeVersion string `json:"containerRuntimeVersion"`
		} `json:"nodeInfo"`
	} `json:"status"`
}

// ParseNodes reads the output of `kubectl get nodes -o json` (a v1 List
// or NodeList of Node; one Node as `kubectl get node NAME -o json` gives
// it) item by item, so memory holds one node's fields at a time.
func ParseNodes(r io.Reader) ([]Node, error) {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	var (
		kind, apiVersion string
		haveItems        bool
		nodes            []Node
		single           = map[string]json.RawMessage{}
	)
	for dec.More() {
		key, err := stringToken(dec)
		if err != nil {
			return nil, err
		}
		switch key {
		case "items":
			haveItems = true
			if nodes, err = parseItems(dec); err != nil {
				return nil, err
			}
		case "kind":
			if err := dec.Decode(&kind); err != nil {
				return nil, fieldError("kind", err)
			}
		case "apiVersion":
			if err := dec.Decode(&apiVersion); err != nil {
				return nil, fieldError("apiVersion", err)
			}
		case "metadata", "status":
			// A single Node's own fields (a List's metadata is its
			// resourceVersion, small).
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, syntaxError(err)
			}
			single[key] = raw
		default:
			if err := skipValue(dec); err != nil {
				return nil, err
			}
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: more after the document's end", ErrNodes)
	}
	if apiVersion != "" && apiVersion != "v1" {
		return nil, fmt.Errorf("%w: apiVersion is %s, not v1", ErrNodes, quoted(apiVersion))
	}
	switch {
	case kind == "Node" && !haveItems:
		doc, _ := json.Marshal(map[string]any{"kind": kind, "metadata": single["metadata"], "status": single["status"]})
		n, err := parseNode(doc, "(the document)")
		if err != nil {
			return nil, err
		}
		nodes = []Node{n}
	case kind != "" && kind != "List" && kind != "NodeList":
		return nil, fmt.Errorf("%w: kind is %s, expected List, NodeList or Node", ErrNodes, quoted(kind))
	case !haveItems:
		return nil, fmt.Errorf("%w: no items (the output of kubectl get nodes -o json is a List of Node)", ErrNodes)
	}
	if len(nodes) == 0 {
		return nil, fmt.Errorf("%w: the list holds no nodes", ErrNodes)
	}
	return nodes, nil
}

func parseItems(dec *json.Decoder) ([]Node, error) {
	if err := expectDelim(dec, '['); err != nil {
		return nil, fmt.Errorf("items: %w", err)
	}
	var nodes []Node
	seen := map[string]bool{}
	for i := 0; dec.More(); i++ {
		if i >= maxNodes {
			return nil, fmt.Errorf("%w: more than %d nodes", ErrNodes, maxNodes)
		}
		// One pass: a field of the wrong type leaves the others decoded
		// (encoding/json carries on and reports the first such error), so
		// the node can still be named.
		var k k8sNode
		err := dec.Decode(&k)
		var te *json.UnmarshalTypeError
		if err != nil && !errors.As(err, &te) {
			return nil, syntaxError(err)
		}
		n, err := nodeFrom(&k, err, fmt.Sprintf("items[%d]", i))
		if err != nil {
			return nil, err
		}
		if seen[n.Name] {
			return nil, &NodeError{Node: quoteName(n.Name, i), Field: "metadata.name", Msg: "a second node of that name"}
		}
		seen[n.Name] = true
		nodes = append(nodes, n)
	}
	if err := expectDelim(dec, ']'); err != nil {
		return nil, err
	}
	return nodes, nil
}

func quoteName(name string, i int) string {
	return quoted(name) + fmt.Sprintf(" (items[%d])", i)
}

// parseNode reads one Node; where names the item when it has no name.
func parseNode(raw []byte, where string) (Node, error) {
	var k k8sNode
	err := json.Unmarshal(raw, &k)
	var te *json.UnmarshalTypeError
	if err != nil && !errors.As(err, &te) {
		return Node{}, syntaxError(err)
	}
	return nodeFrom(&k, err, where)
}

// nodeFrom makes a Node of a decoded one; decodeErr is the type error
// decoding met, if any, reported with the node's name when it has one.
func nodeFrom(k *k8sNode, decodeErr error, where string) (Node, error) {
	who := where
	if s := k.Metadata.Name; s != "" {
		who = quoted(s)
		if where != "(the document)" {
			who += " (" + where + ")"
		}
	}
	fail := func(field, format string, a ...any) (Node, error) {
		return Node{}, &NodeError{Node: who, Field: field, Msg: fmt.Sprintf(format, a...)}
	}
	var te *json.UnmarshalTypeError
	if errors.As(decodeErr, &te) {
		return fail(te.Field, "a JSON %s where a %s belongs", te.Value, te.Type.String())
	}
	if k.Kind != "" && k.Kind != "Node" {
		return fail("kind", "%s, not Node", quoted(k.Kind))
	}
	name := k.Metadata.Name
	switch {
	case name == "":
		return fail("metadata.name", "missing")
	case len(name) > 253 || Clean(name) != name:
		return fail("metadata.name", "not a node name")
	}
	info, labels := k.Status.NodeInfo, k.Metadata.Labels
	n := Node{Name: name, Runtime: info.ContainerRuntimeVersion}
	pick := func(field, status, label string) (string, error) {
		v, from := status, "status.nodeInfo."+field
		if v == "" {
			v, from = labels[label], "metadata.labels."+label
		}
		if v == "" {
			return "", &NodeError{Node: who, Field: "status.nodeInfo." + field, Msg: "missing, and no " + label + " label"}
		}
		if !isPlatformWord(v) || len(v) > 32 {
			return "", &NodeError{Node: who, Field: from, Msg: quoted(v) + " is not a platform word"}
		}
		if l := labels[label]; status != "" && l != "" && l != status {
			n.Notes = append(n.Notes, fmt.Sprintf("label %s=%s disagrees with status.nodeInfo.%s=%s; the status wins", label, Clean(l), field, status))
		}
		return strings.ToLower(v), nil
	}
	var err error
	if n.Platform.OS, err = pick("operatingSystem", info.OperatingSystem, labelOS); err != nil {
		return Node{}, err
	}
	if n.Platform.Architecture, err = pick("architecture", info.Architecture, labelArch); err != nil {
		return Node{}, err
	}
	// containerd's DefaultSpec(): the arm variant from /proc/cpuinfo
	// (every AArch64 CPU says 8; a 32-bit arm board almost always 7), no
	// amd64 level.
	switch n.Platform.Architecture {
	case "arm64":
		n.Platform.Variant = "v8"
	case "arm":
		n.Platform.Variant = "v7"
	}
	if n.Platform.OS == "windows" {
		if n.Platform.OSVersion, err = windowsNodeBuild(who, info.KernelVersion, labels[labelWindowsBuild], &n); err != nil {
			return Node{}, err
		}
	}
	for _, l := range poolLabels {
		if v := labels[l]; v != "" {
			if !isLabelValue(v) {
				return fail("metadata.labels."+l, "%s is not a label value", quoted(v))
			}
			n.Pool = v
			break
		}
	}
	return n, nil
}

// isLabelValue is Kubernetes' syntax for a label value: at most 63
// characters, alphanumerics with -, _ and . inside.
func isLabelValue(v string) bool {
	if len(v) > 63 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		alnum := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !alnum && (i == 0 || i == len(v)-1 || (c != '-' && c != '_' && c != '.')) {
			return false
		}
	}
	return true
}

// windowsNodeBuild is the node's major.minor.build, as containerd's
// DefaultSpec() reads it (RtlGetNtVersionNumbers: no revision), from
// status.nodeInfo.kernelVersion ("10.0.17763.5122"), else from the
// node.kubernetes.io/windows-build label ("10.0.17763").
func windowsNodeBuild(who, kernel, label string, n *Node) (string, error) {
	k, kerr := nodeBuild(kernel)
	l, lerr := nodeBuild(label)
	switch {
	case kerr == nil && lerr == nil && k != l:
		n.Notes = append(n.Notes, fmt.Sprintf("label %s=%s disagrees with status.nodeInfo.kernelVersion=%s; the status wins", labelWindowsBuild, Clean(label), Clean(kernel)))
		return k, nil
	case kerr == nil:
		return k, nil
	case lerr == nil:
		return l, nil
	case label != "":
		return "", &NodeError{Node: who, Field: "metadata.labels." + labelWindowsBuild, Msg: lerr.Error()}
	case kernel != "":
		return "", &NodeError{Node: who, Field: "status.nodeInfo.kernelVersion", Msg: kerr.Error()}
	}
	return "", &NodeError{Node: who, Field: "status.nodeInfo.kernelVersion", Msg: "missing, and no " + labelWindowsBuild + " label: a Windows node's build decides which images it runs"}
}

func nodeBuild(v string) (string, error) {
	if v == "" {
		return "", errors.New("empty")
	}
	if err := CheckTargetOSVersion(v); err != nil {
		return "", err
	}
	return windowsPrefix(v), nil
}

// NodeFleet groups nodes with the same platform into one target each,
// judged by containerd's rules, in platform order. A group is named by its
// node pools ("ng-arm64", "default+spot"), or by its nodes where they
// have no pool label ("kind-worker", "kind-worker +2"); names that would
// repeat (a Karpenter pool of amd64 and arm64 nodes) get their platform.
func NodeFleet(nodes []Node) Fleet {
	type group struct {
		p     Platform
		pools []string
		loose []string
		nodes []string
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, n := range nodes {
		key := n.Platform.Display()
		g := byKey[key]
		if g == nil {
			g = &group{p: n.Platform}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.nodes = append(g.nodes, n.Name)
		switch {
		case n.Pool == "":
			g.loose = append(g.loose, n.Name)
		case !slices.Contains(g.pools, n.Pool):
			g.pools = append(g.pools, n.Pool)
		}
	}
	slices.SortStableFunc(groups, func(a, b *group) int { return comparePlatforms(a.p, b.p) })
	names := make([]string, len(groups))
	count := map[string]int{}
	for i, g := range groups {
		slices.Sort(g.pools)
		parts := slices.Clone(g.pools)
		switch len(g.loose) {
		case 0:
		case 1:
			parts = append(parts, g.loose[0])
		default:
			parts = append(parts, fmt.Sprintf("%s +%d", g.loose[0], len(g.loose)-1))
		}
		if len(parts) > 3 {
			parts = append(parts[:2], fmt.Sprintf("%d more", len(parts)-2))
		}
		names[i] = strings.Join(parts, "+")
		if len(names[i]) > maxGroupName {
			names[i] = names[i][:maxGroupName] + "…"
		}
		count[names[i]]++
	}
	out := make(Fleet, len(groups))
	for i, g := range groups {
		name := names[i]
		if count[name] > 1 {
			name += " (" + g.p.Display() + ")"
		}
		slices.Sort(g.nodes)
		out[i] = FleetTarget{
			Name:   name,
			Target: Target{Platform: g.p, Source: SourceNodes},
			Store:  FleetContainerd,
			Nodes:  g.nodes,
		}
	}
	return out
}

// maxGroupName bounds a group's name before its platform is added.
const maxGroupName = 160

// comparePlatforms orders Linux before Windows, then by architecture,
// variant and build.
func comparePlatforms(a, b Platform) int {
	if c := strings.Compare(a.OS, b.OS); c != 0 {
		return c
	}
	if c := strings.Compare(a.Architecture, b.Architecture); c != 0 {
		return c
	}
	if c := strings.Compare(a.Variant, b.Variant); c != 0 {
		return c
	}
	return CompareVersions(a.OSVersion, b.OSVersion)
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return syntaxError(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("%w: expected %q, found %v", ErrNodes, string(want), tok)
	}
	return nil
}

func stringToken(dec *json.Decoder) (string, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", syntaxError(err)
	}
	s, ok := tok.(string)
	if !ok {
		return "", fmt.Errorf("%w: expected a key, found %v", ErrNodes, tok)
	}
	return s, nil
}

// skipValue reads past one value without keeping it.
func skipValue(dec *json.Decoder) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return syntaxError(err)
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

func fieldError(field string, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("%w: %s: a JSON %s where a string belongs", ErrNodes, field, te.Value)
	}
	return syntaxError(err)
}

func syntaxError(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("%w: not JSON at byte %d: %s", ErrNodes, se.Offset, se.Error())
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: the document ends early", ErrNodes)
	}
	return fmt.Errorf("%w: %s", ErrNodes, err.Error())
}

// quoted shows untrusted text in quotes, escaped once for a terminal.
func quoted(s string) string { return `"` + Clean(s) + `"` }
