package main

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/spf13/cobra"

	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry/demo"
)

// jsonCommands are the commands of the cobra tree that take -o json, by
// their path after "platypus".
func jsonCommands() []string {
	root, _ := newRootCmd(nil, nil, nil)
	var out []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if f := c.Flags().Lookup("output"); f != nil {
			out = append(out, strings.TrimPrefix(c.CommandPath(), "platypus "))
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return out
}

// Every command that writes JSON has its documents in the contract
// (model/output.Documents, a schema each in docs/json), and every document
// is a command's.
func TestEveryJSONCommandHasASchema(t *testing.T) {
	cmds := jsonCommands()
	if len(cmds) < 10 {
		t.Fatalf("only %v take -o json", cmds)
	}
	for _, c := range cmds {
		if !slices.ContainsFunc(output.Documents(), func(d output.Document) bool { return d.Command == c }) {
			t.Errorf("platypus %s takes -o json but writes no document of output.Documents: add it (and its schema, go test ./model/output -update)", c)
		}
	}
	for _, d := range output.Documents() {
		if !slices.Contains(cmds, d.Command) {
			t.Errorf("document %s: platypus %s takes no -o json", d.Name, d.Command)
		}
	}
}

// jsonRuns are, per document, command lines that write it, between them
// giving every optional field; {H} is the registry.
var jsonRuns = map[string][][]string{
	"repos": {{"repos", "{H}"}},
	"tags":  {{"tags", "{H}/library/mysql"}, {"tags", "{H}/" + demo.HostileRepository}},
	"inspect": {
		{"inspect", "{H}/library/centos:7", "--platform", "linux/arm64/v8", "--all"},
		{"inspect", "{H}/library/mysql:5.7", "--platform", "linux/arm64/v8"},
		{"inspect", "{H}/artiomchi/helloworld:latest", "--platform", "windows/amd64:10.0.17763"},
		{"inspect", "{H}/library/hello-world:latest", "--platform", "linux/arm64", "--platform", "windows/amd64:10.0.17763", "--all"},
		{"inspect", "{H}/library/hello-world:latest", "--nodes", "{NODES}"},
		{"inspect", "{H}/platypus/nested:1.0", "--platform", "linux/amd64", "--all"},
		{"inspect", "{H}/platypus/charts:0.1.0", "--all"},
		{"inspect", "{H}/" + demo.HostileRepository + ":1.0", "--all"},
	},
	"scan": {
		{"scan", "{H}/library/mysql", "--platform", "linux/arm64/v8", "--yes"},
		{"scan", "{H}/library/mysql:8", "--platform", "linux/arm64", "--platform", "linux/amd64", "--yes"},
		{"scan", "{H}/library/hello-world", "--nodes", "{NODES}", "--yes"},
	},
	"diff": {
		{"diff", "{H}/library/mysql:5.7", "{H}/library/mysql:8"},
		{"diff", "{H}/platypus/webapp:1.0", "{H}/platypus/webapp:1.0", "--platform", "linux/amd64", "--platform-b", "linux/arm64", "--files", "--file", "/bin/busybox"},
		{"diff", "{H}/platypus/webapp:1.0", "{H}/library/mysql:8", "--platform", "linux/amd64", "--files"},
		{"diff", "{H}/library/mysql:8", "{H}/platypus/webapp:1.0", "--platform", "linux/amd64", "--files"},
		{"diff", "{H}/platypus/webapp:1.0", "{H}/platypus/webapp:1.1-rc1", "--platform", "linux/amd64", "--file", "/etc/alpine-release", "--file", "/usr/share/platypus-demo/filler.bin", "--referrers"},
		{"diff", "{H}/platypus/webapp:1.1-rc1", "{H}/platypus/webapp:1.0", "--referrers"},
	},
	"files": {
		{"files", "{H}/platypus/webapp:1.0", "--platform", "linux/arm64"},
		{"files", "{H}/platypus/webapp:1.0", "--platform", "linux/arm64", "--layer", "1"},
	},
	"check": {
		{"check", "{H}/platypus/webapp:1.1-rc1"},
		{"check", "{H}/" + demo.CheckRepository + ":mismatch", "--policy", "{POLICY}"},
		{"check", "{H}/platypus/webapp:1.0", "{H}/nothing/here:1"},
	},
	"compose": {
		{"compose", "{H}/yorek/multiarch-hello-world:latest", "--add", "{H}/yorek/multiarch-hello-world:linux", "--add", "{H}/yorek/multiarch-hello-world:windows", "--dry-run"},
		{"compose", "{H}/yorek/multiarch-hello-world:latest", "--add", "{H}/yorek/multiarch-hello-world:linux", "--add", "{H}/yorek/multiarch-hello-world:windows", "--yes"},
		{"compose", "{H}/mine/hello-world:1", "--add", "{H}/library/hello-world:latest", "--yes"},
		{"compose", "{H}/mine/charts:1", "--add", "{H}/platypus/charts:0.1.0", "--dry-run"},
		{"compose", "{H}/library/centos:7", "--amend", "--remove", "linux/386", "--annotation", "v=1", "--yes"},
		{"compose", "{H}/mine/spec:1", "--spec", "{SPEC}", "--dry-run"},
	},
	"copy": {
		{"copy", "{H}/platypus/webapp:1.0", "{H}/mirror/webapp:1.0", "--dry-run"},
		{"copy", "{H}/platypus/webapp:1.0", "{H}/mirror/webapp:1.0", "--yes"},
		{"copy", "{H}/platypus/webapp:1.0", "{H}/mirror/webapp:arm", "--platform", "linux/arm64", "--yes"},
	},
	// After the composes and copies above, which they undo.
	"undo":      {{"undo", "{H}/library/centos:7"}, {"undo", "{H}/mine/hello-world:1"}},
	"undo-list": {{"undo", "{H}/library/centos:7", "--list"}},
}

// The JSON every command writes fits its schema: field names, types,
// nesting, null only where allowed, nothing the schema lacks, nothing it
// requires missing. The streaming writers (tags, repos, scan, files)
// write theirs by hand: this holds them to the contract too.
func TestJSONOutputsFitTheirSchemas(t *testing.T) {
	schemas, err := filepath.Abs(filepath.Join("..", "..", "docs", "json"))
	if err != nil {
		t.Fatal(err)
	}
	nodes, err := filepath.Abs(filepath.Join("..", "..", "model", "testdata", "nodes", "aks.json"))
	if err != nil {
		t.Fatal(err)
	}
	dir := isolate(t)
	policy := filepath.Join(dir, "policy.yaml")
	if err := os.WriteFile(policy, []byte("efficiency: {lowest: 0.5}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	spec := filepath.Join(dir, "spec.yaml")
	specText := "manifests:\n  - image: HOST/library/centos:7\n    annotations: {org.example.note: demo}\n"
	addr := freeAddr(t)
	if err := os.WriteFile(spec, []byte(strings.ReplaceAll(specText, "HOST", addr)), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := demo.Start(demo.Options{Addr: addr, Extra: func(root string) error {
		if _, err := demo.SeedCheck(root, demo.CheckOptions{BaseHost: addr}); err != nil {
			return err
		}
		return demo.SeedHostile(root)
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	// In the order of output.Documents: the undos come after what they undo.
	for _, d := range output.Documents() {
		runs := jsonRuns[d.Name]
		if len(runs) == 0 {
			t.Errorf("document %s: no command line in jsonRuns writes it", d.Name)
			continue
		}
		schema := compileSchema(t, schemas, d.Name)
		tree := schemaTree(t, schemas, d.Name)
		seen := map[string]bool{}
		for _, args := range runs {
			args = slices.Clone(args)
			for i, a := range args {
				args[i] = strings.NewReplacer("{H}", srv.Host, "{POLICY}", policy, "{SPEC}", spec, "{NODES}", nodes).Replace(a)
			}
			// Some runs fail on purpose (a check finding, a reference
			// that cannot be checked): the JSON is written all the same.
			out, stderr, code := cli(t, "", append(args, "-o", "json")...)
			if out == "" {
				t.Errorf("%v: exit %d and no JSON: %s", args, code, stderr)
				continue
			}
			doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
			if err != nil {
				t.Errorf("%v: not JSON: %v\n%.500s", args, err, out)
				continue
			}
			if err := schema.Validate(doc); err != nil {
				t.Errorf("%v: its JSON does not fit docs/json/%s.schema.json (a change to the contract?): %v", args, d.Name, err)
			}
			if many, ok := doc.([]any); ok && d.OneOrMany {
				for _, one := range many {
					walkFields(tree, tree, one, d.Name, seen)
				}
			} else {
				walkFields(tree, tree, doc, d.Name, seen)
			}
		}
		// Every field of the schema was written by one of the runs, or is
		// known not to be: a field the runs never give is not checked.
		for _, p := range schemaFields(tree, tree, d.Name) {
			why, known := unexercised[p]
			switch {
			case !seen[p] && !known:
				t.Errorf("%s: no command line in jsonRuns writes it: add one that does, or say why in unexercised", p)
			case seen[p] && known:
				t.Errorf("%s is written now: take it out of unexercised (%s)", p, why)
			}
		}
	}
}

// unexercised are the fields of the schemas that the demo registry cannot
// make a command write, and why.
var unexercised = map[string]string{
	"inspect.entries[].error":                  "an entry that cannot be loaded: TestInspectTableShowsEntryErrors serves one broken",
	"scan.tags[].error":                        "a tag that cannot be judged: TestFaultsGiveOneLineAndExit1 injects faults",
	"diff.fileDiffs[].truncated":               "a file over 8 MiB: none in the demo",
	"diff.files.added[].implied":               "a directory only implied by its paths: TestDiffFilesImpliedDirectories pushes one",
	"diff.files.added[].tarPath":               "a record written through its layer's own link: TestFilesThroughLinks",
	"diff.files.removed[].implied":             "as for added",
	"diff.files.removed[].tarPath":             "as for added",
	"diff.files.modified[].implied":            "as for added",
	"diff.files.modified[].linkTarget":         "a link whose target changed: TestFilesThroughLinks",
	"diff.files.modified[].tarPath":            "as for added",
	"diff.image.sizes.aEstimated":              "eStargz layers listed from their tables of contents: TestDiffOfTOCImages",
	"diff.image.sizes.bEstimated":              "as aEstimated",
	"files.files[].implied":                    "TestFilesFidelity pushes one",
	"files.files[].tarPath":                    "TestFilesThroughLinks",
	"files.layers[].tocRejected":               "a table of contents that lies: TestLyingTOCs",
	"files.layers[].tocVerified":               "files --verify of an eStargz layer: TestFilesMarksTOCListings",
	"files.layers[].uncompressedSizeEstimated": "an eStargz layer: TestFilesMarksTOCListings",
	"undo.uncheckedTags":                       "a forced deletion by digest past the tags checked (the demo deletes tags): registry's TestUndoByDigestSaysWhatItDidNotCheck",
	"undo.orphanedReferrers":                   "a forced deletion by digest, on distribution: TestUndoNamesTheReferrersItWouldOrphan checks it against the schema",
	"undo-list.changes[].error":                "a push that failed: TestFailedPushLeavesTagUnchanged",
	"undo-list.changes[].checkOverridden":      "a push past a failing check, made in the composer: registry/state's TestJournalKeepsACheckOverride, ui's TestComposerCheckBlocksPush",
	"undo-list.damage[].line":                  "a damaged journal: registry/state's tests",
	"undo-list.damage[].offset":                "as line",
	"undo-list.damage[].what":                  "as line",
}

// schemaTree is a schema as JSON.
func schemaTree(t *testing.T, dir, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name+".schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// schemaFor follows a schema's $ref into its root's $defs, and a oneOf to the
// branch for v (an object, or an array of them); v nil takes the object.
func schemaFor(root, s map[string]any, v any) map[string]any {
	if of, ok := s["oneOf"].([]any); ok {
		s = of[0].(map[string]any)
		if _, isArray := v.([]any); isArray {
			s = of[1].(map[string]any)
		}
	}
	if ref, ok := s["$ref"].(string); ok {
		return root["$defs"].(map[string]any)[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any)
	}
	return s
}

// walkFields marks the path of every field doc has: NAME.field.sub,
// [] for an array's elements, * for an object's values by name.
func walkFields(root, s map[string]any, v any, path string, seen map[string]bool) {
	s = schemaFor(root, s, v)
	switch x := v.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		extra, _ := s["additionalProperties"].(map[string]any)
		for k, kv := range x {
			switch {
			case props[k] != nil:
				seen[path+"."+k] = true
				walkFields(root, props[k].(map[string]any), kv, path+"."+k, seen)
			case extra != nil:
				seen[path+".*"] = true
				walkFields(root, extra, kv, path+".*", seen)
			}
		}
	case []any:
		if items, ok := s["items"].(map[string]any); ok {
			for _, e := range x {
				walkFields(root, schemaFor(root, items, e), e, path+"[]", seen)
			}
		}
	}
}

// schemaFields are the paths of every field a schema names.
func schemaFields(root, s map[string]any, path string) []string {
	s = schemaFor(root, s, nil)
	var out []string
	if props, ok := s["properties"].(map[string]any); ok {
		for _, k := range slices.Sorted(maps.Keys(props)) {
			out = append(out, path+"."+k)
			out = append(out, schemaFields(root, props[k].(map[string]any), path+"."+k)...)
		}
	}
	if extra, ok := s["additionalProperties"].(map[string]any); ok {
		out = append(out, path+".*")
		out = append(out, schemaFields(root, extra, path+".*")...)
	}
	if items, ok := s["items"].(map[string]any); ok {
		out = append(out, schemaFields(root, items, path+"[]")...)
	}
	return out
}

func compileSchema(t *testing.T, dir, name string) *jsonschema.Schema {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name+".schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	url := "mem:///" + name + ".schema.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
