package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// object is a JSON object that keeps its members in order and their values
// as they were written, so a document can be changed in one field and
// written back with every other field (unknown ones included) intact.
type object []member

type member struct {
	key string
	val json.RawMessage
}

var errNotObject = errors.New("not a JSON object")

// parseObject reads a JSON object, keeping member order and raw values.
func parseObject(b []byte) (object, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errNotObject, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errNotObject
	}
	var o object
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%w: %w", errNotObject, err)
		}
		k, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("%w: %w", errNotObject, err)
		}
		o = append(o, member{key: k, val: v})
	}
	// More stops at the end of the input too: the object must be closed,
	// with nothing after it.
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil, fmt.Errorf("%w: unterminated", errNotObject)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: data after the object", errNotObject)
	}
	return o, nil
}

// set replaces k's value where it stands, or adds it at the end.
func (o *object) set(k string, v json.RawMessage) {
	for i, m := range *o {
		if m.key == k {
			(*o)[i].val = v
			return
		}
	}
	*o = append(*o, member{key: k, val: v})
}

func (o *object) del(k string) {
	out := (*o)[:0]
	for _, m := range *o {
		if m.key != k {
			out = append(out, m)
		}
	}
	*o = out
}

// compact writes the object on one line; values are kept as written.
func (o object) compact() []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(marshalRaw(m.key))
		b.WriteByte(':')
		b.Write(m.val)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// marshalRaw encodes v as JSON without HTML escaping (so "<" stays "<").
func marshalRaw(v any) json.RawMessage {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // strings, maps of strings and platforms always encode
	return bytes.TrimRight(b.Bytes(), "\n")
}

// FilterIndex returns index m with only the entries keep accepts, in their
// order and exactly as m wrote them; every other field of m is kept.
func FilterIndex(m *Manifest, keep func(i int, e Entry) bool) ([]byte, error) {
	o, err := parseObject(m.Raw)
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", ShortDigest(m.Digest), err)
	}
	entries := make([]json.RawMessage, 0, len(m.Entries))
	for i, e := range m.Entries {
		if keep(i, e) {
			entries = append(entries, e.Raw)
		}
	}
	o.set("manifests", marshalRaw(entries))
	var buf bytes.Buffer
	if err := json.Indent(&buf, o.compact(), "", "  "); err != nil {
		return nil, fmt.Errorf("index %s: %w", ShortDigest(m.Digest), err)
	}
	return buf.Bytes(), nil
}
