package output

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var update = flag.Bool("update", false, "rewrite docs/json from the document types")

// schemaDir holds the contract's schemas, one per document.
const schemaDir = "../../docs/json"

// Each document's schema in docs/json is what its type says: a field added,
// removed, renamed, retyped or made optional in a document type is a diff
// there (go test ./model/output -update writes it).
func TestSchemasAreCheckedIn(t *testing.T) {
	want := map[string]bool{}
	if *update {
		if err := os.MkdirAll(schemaDir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range Documents() {
		want[d.Name+".schema.json"] = true
		got, err := d.Schema()
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(schemaDir, d.Name+".schema.json")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		have, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v (go test ./model/output -update writes it)", d.Name, err)
			continue
		}
		if !bytes.Equal(have, got) {
			t.Errorf("%s: the %s JSON no longer matches %s: a change to the contract? Run go test ./model/output -update and review the diff.\n%s",
				d.Name, d.Command, path, firstDifference(string(have), string(got)))
		}
	}
	files, _ := filepath.Glob(filepath.Join(schemaDir, "*.schema.json"))
	for _, f := range files {
		if !want[filepath.Base(f)] {
			t.Errorf("%s: no document has this schema: remove it", f)
		}
	}
}

func firstDifference(have, want string) string {
	hl, wl := strings.Split(have, "\n"), strings.Split(want, "\n")
	for i := range min(len(hl), len(wl)) {
		if hl[i] != wl[i] {
			return "line " + itoa(i+1) + ":\n in the file: " + hl[i] + "\n from the type: " + wl[i]
		}
	}
	return "file has " + itoa(len(hl)) + " lines, the type " + itoa(len(wl))
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// The schemas are JSON Schema as a validator reads it, and documents built
// here fit them; a document that gains a field its schema lacks does not.
func TestSchemasValidate(t *testing.T) {
	for _, d := range Documents() {
		v := compile(t, d)
		doc := filled(reflect.TypeOf(d.Value))
		if err := v.Validate(roundTrip(t, doc)); err != nil {
			t.Errorf("%s: a full document does not fit its schema: %v", d.Name, err)
		}
		if d.OneOrMany {
			if err := v.Validate(roundTrip(t, []any{doc, doc})); err != nil {
				t.Errorf("%s: an array of documents does not fit its schema: %v", d.Name, err)
			}
		}
		extra := roundTrip(t, doc).(map[string]any)
		extra["surprise"] = true
		if v.Validate(extra) == nil {
			t.Errorf("%s: a field its schema lacks passes", d.Name)
		}
		for k := range roundTrip(t, doc).(map[string]any) {
			less := roundTrip(t, doc).(map[string]any)
			delete(less, k)
			if err := v.Validate(less); err == nil && slices.Contains(requiredOf(t, d), k) {
				t.Errorf("%s: without %q it still passes", d.Name, k)
			}
		}
	}
}

func compile(t *testing.T, d Document) *jsonschema.Schema {
	t.Helper()
	b, err := d.Schema()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	url := "mem:///" + d.Name + ".schema.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatalf("%s: not a valid schema: %v", d.Name, err)
	}
	return s
}

func requiredOf(t *testing.T, d Document) []string {
	b, _ := d.Schema()
	var s struct {
		Required []string
		Defs     map[string]struct{ Required []string } `json:"$defs"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if d.OneOrMany {
		return s.Defs[d.Name].Required
	}
	return s.Required
}

// roundTrip is v as a JSON decoder hands it to a validator.
func roundTrip(t *testing.T, v any) any {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, v); err != nil {
		t.Fatal(err)
	}
	out, err := jsonschema.UnmarshalJSON(&b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// filled is a value of t with every field set, every list and map holding
// one element: every optional field present.
func filled(t reflect.Type) any { return fill(t).Interface() }

func fill(t reflect.Type) reflect.Value {
	v := reflect.New(t).Elem()
	switch {
	case t == reflect.TypeFor[time.Time]():
		v.Set(reflect.ValueOf(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)))
		return v
	case t == reflect.TypeFor[json.RawMessage]():
		v.SetBytes([]byte(`{"schemaVersion": 2}`))
		return v
	case t == reflect.TypeFor[Null]():
		return v
	case t == reflect.TypeFor[FileDigest]():
		v.Index(0).SetUint(1)
		return v
	}
	switch t.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(0.5)
	case reflect.Pointer:
		p := reflect.New(t.Elem())
		p.Elem().Set(fill(t.Elem()))
		v.Set(p)
	case reflect.Slice:
		v.Set(reflect.Append(reflect.MakeSlice(t, 0, 1), fill(t.Elem())))
	case reflect.Map:
		v.Set(reflect.MakeMap(t))
		v.SetMapIndex(reflect.ValueOf("k").Convert(t.Key()), fill(t.Elem()))
	case reflect.Struct:
		for i := range t.NumField() {
			v.Field(i).Set(fill(t.Field(i).Type))
		}
	default:
		panic(t.String())
	}
	return v
}

// The documents are made of this package's types alone (and time.Time,
// json.RawMessage): a model or registry type in a document would make its
// field names part of the contract again.
func TestDocumentsUseOwnTypes(t *testing.T) {
	pkg := reflect.TypeFor[Document]().PkgPath()
	seen := map[reflect.Type]bool{}
	var walk func(path string, typ reflect.Type)
	walk = func(path string, typ reflect.Type) {
		if seen[typ] {
			return
		}
		seen[typ] = true
		if typ == reflect.TypeFor[time.Time]() || typ == reflect.TypeFor[json.RawMessage]() {
			return
		}
		if typ.Name() != "" && typ.PkgPath() != "" && typ.PkgPath() != pkg {
			t.Errorf("%s is %s, from %s", path, typ, typ.PkgPath())
			return
		}
		switch typ.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			walk(path+"[]", typ.Elem())
		case reflect.Map:
			walk(path+"{}", typ.Elem())
		case reflect.Struct:
			for f := range typ.Fields() {
				if f.Tag.Get("json") == "" {
					t.Errorf("%s.%s has no json tag", path, f.Name)
				}
				walk(path+"."+f.Name, f.Type)
			}
		default:
		}
	}
	for _, d := range Documents() {
		walk(d.Name, reflect.TypeOf(d.Value))
	}
}
