// Package output is platypus's JSON contract: the documents `-o json`
// writes, their field names and shapes, built from model values, and the
// encoders that write them (whole, or element by element for lists of a
// million names or files).
//
// It lives under model, not in cmd, so that any front-end can write the
// same documents: the CLI now, the explorer or a watch mode later (the
// house reads cmd -> ui -> registry -> model, and cmd/internal would be out
// of ui's reach). It depends on model values only; the few results that
// come from registry (copies, undo, scans, the journal) are copied field by
// field into this package's types where the command holds them.
//
// The types here are the only ones the JSON is made of: no model or
// registry type is marshalled, so renaming a model field cannot change the
// output. docs/json holds each document's JSON Schema, generated from these
// types by Schema; the tests fail when a type and its schema disagree, and
// when a command's real output does not fit its schema.
package output
