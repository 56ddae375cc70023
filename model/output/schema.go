package output

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"
)

// Schema is the document's JSON Schema (draft 2020-12), made from its Go
// type: field names, types, nesting, which fields may be absent (omitempty)
// and which may be null (a pointer that is not omitted). Objects allow no
// other fields, so a field added to the output without its schema fails
// validation.
func (d Document) Schema() ([]byte, error) {
	s, err := schemaOf(reflect.TypeOf(d.Value))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.Name, err)
	}
	title := "platypus " + d.Command + " -o json"
	if d.Flags != "" {
		title = "platypus " + d.Command + " " + d.Flags + " -o json"
	}
	root := &schema{Schema: "https://json-schema.org/draft/2020-12/schema", Title: title}
	if d.OneOrMany {
		ref := "#/$defs/" + d.Name
		root.OneOf = []*schema{{Ref: ref}, {Type: "array", Items: &schema{Ref: ref}}}
		root.Defs = map[string]*schema{d.Name: s}
	} else {
		s.Schema, s.Title = root.Schema, root.Title
		root = s
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("%s: %w", d.Name, err)
	}
	return b.Bytes(), nil
}

// schema is the part of JSON Schema the documents need, its keywords in
// the order a reader wants them.
type schema struct {
	Schema      string `json:"$schema,omitempty"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	Ref         string `json:"$ref,omitempty"`
	// Type is a type's name, or [name, "null"].
	Type                 any                `json:"type,omitempty"`
	Format               string             `json:"format,omitempty"`
	Properties           properties         `json:"properties,omitempty"`
	Required             []string           `json:"required,omitempty"`
	AdditionalProperties any                `json:"additionalProperties,omitempty"` // false, or a schema
	Items                *schema            `json:"items,omitempty"`
	OneOf                []*schema          `json:"oneOf,omitempty"`
	Defs                 map[string]*schema `json:"$defs,omitempty"`
}

type property struct {
	name string
	s    *schema
}

// properties keep the fields in the order the output writes them.
type properties []property

// MarshalJSON writes the properties as one object, in order.
func (ps properties) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(p.name)
		v, err := json.Marshal(p.s)
		if err != nil {
			return nil, err //nolint:wrapcheck // Schema names the document
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	rawType       = reflect.TypeFor[json.RawMessage]()
	nullType      = reflect.TypeFor[Null]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// schemaOf is the schema of t as encoding/json writes it.
func schemaOf(t reflect.Type) (*schema, error) {
	switch {
	case t == timeType:
		return &schema{Type: "string", Format: "date-time"}, nil
	case t == nullType:
		return &schema{Type: "null"}, nil
	case t == rawType:
		// The one raw document is the index a compose dry run would push.
		return &schema{Type: "object"}, nil
	case t.Implements(textMarshaler):
		return &schema{Type: "string"}, nil
	}
	switch t.Kind() {
	case reflect.String:
		return &schema{Type: "string"}, nil
	case reflect.Bool:
		return &schema{Type: "boolean"}, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return &schema{Type: "integer"}, nil
	case reflect.Float32, reflect.Float64:
		return &schema{Type: "number"}, nil
	case reflect.Pointer:
		s, err := schemaOf(t.Elem())
		if err != nil {
			return nil, err
		}
		return nullable(s), nil
	case reflect.Slice:
		items, err := schemaOf(t.Elem())
		if err != nil {
			return nil, err
		}
		return &schema{Type: "array", Items: items}, nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return nil, fmt.Errorf("%s: only maps by string are objects", t)
		}
		v, err := schemaOf(t.Elem())
		if err != nil {
			return nil, err
		}
		return &schema{Type: "object", AdditionalProperties: v}, nil
	case reflect.Struct:
		return structSchema(t)
	default:
		return nil, fmt.Errorf("%s: no JSON type for %s", t, t.Kind())
	}
}

func structSchema(t reflect.Type) (*schema, error) {
	s := &schema{Type: "object", Properties: properties{}, AdditionalProperties: false}
	for f := range t.Fields() {
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" && opts == "" {
			continue
		}
		if !f.IsExported() || f.Anonymous || name == "" {
			return nil, fmt.Errorf("%s.%s: a document's field is exported, not embedded, and named by its json tag", t, f.Name)
		}
		optional := slices.ContainsFunc(strings.Split(opts, ","), func(o string) bool { return o == "omitempty" || o == "omitzero" })
		fs, err := schemaOf(f.Type)
		if err != nil {
			return nil, err
		}
		if optional && f.Type.Kind() == reflect.Pointer {
			// An omitted nil pointer is absent, never null.
			fs.Type = fs.Type.([]string)[0]
		}
		s.Properties = append(s.Properties, property{name, fs})
		if !optional {
			s.Required = append(s.Required, name)
		}
	}
	return s, nil
}

// nullable lets s be null too.
func nullable(s *schema) *schema {
	n := *s
	n.Type = []string{s.Type.(string), "null"}
	return &n
}
