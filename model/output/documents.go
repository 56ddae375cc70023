package output

// Document is one JSON document a command writes with -o json.
type Document struct {
	// Name is its schema's name: docs/json/NAME.schema.json.
	Name string
	// Command is the command that writes it, as typed after "platypus";
	// Flags, what else chooses this document over the command's other.
	Command, Flags string
	// Value is a value of its type.
	Value any
	// OneOrMany says the command writes one Value, or an array of them
	// (check, for several references).
	OneOrMany bool
}

// Documents are every document platypus writes: the JSON contract.
func Documents() []Document {
	return []Document{
		{Name: "repos", Command: "repos", Value: Repos{}},
		{Name: "tags", Command: "tags", Value: Tags{}},
		{Name: "inspect", Command: "inspect", Value: Inspect{}},
		{Name: "scan", Command: "scan", Value: Scan{}},
		{Name: "diff", Command: "diff", Value: Diff{}},
		{Name: "files", Command: "files", Value: Files{}},
		{Name: "check", Command: "check", Value: Check{}, OneOrMany: true},
		{Name: "compose", Command: "compose", Value: Compose{}},
		{Name: "copy", Command: "copy", Value: Copy{}},
		{Name: "undo", Command: "undo", Value: Undo{}},
		{Name: "undo-list", Command: "undo", Flags: "--list", Value: History{}},
	}
}
