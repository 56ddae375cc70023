package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/platypus-tui/platypus/model"
)

// outputFlag is the -o flag of commands that print data.
type outputFlag struct{ format string }

func (f *outputFlag) register(cmd *cobra.Command) {
	cmd.Flags().StringVarP(&f.format, "output", "o", "table", "output format: table or json")
	_ = cmd.RegisterFlagCompletionFunc("output", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"table", "json"}, cobra.ShellCompDirectiveNoFileComp
	})
}

func (f *outputFlag) validate() error {
	switch f.format {
	case "table", "json":
		return nil
	}
	return usagef("unknown output format %q: use table or json", f.format)
}

func (f *outputFlag) json() bool { return f.format == "json" }

// writeJSON writes v with the raw values a registry sent; what JSON leaves
// as it is but a terminal would act on is written as \uXXXX escapes.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	if _, err := w.Write(append(model.EscapeJSON(b), '\n')); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}

// plainJSON tells whether s needs no escaping in JSON (nor in EscapeJSON).
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

// jsonString encodes s as a JSON string, escaped for a terminal.
func jsonString(s string) (string, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return "", fmt.Errorf("writing JSON: %w", err)
	}
	return string(model.EscapeJSON(b)), nil
}

// marshalIndented encodes v for a place indent deep in a document.
func marshalIndented(v any, indent string) ([]byte, error) {
	b, err := json.MarshalIndent(v, indent, "  ")
	if err != nil {
		return nil, fmt.Errorf("writing JSON: %w", err)
	}
	return model.EscapeJSON(b), nil
}

// progress reports long reads on standard error when it is a terminal
// (and the output is not JSON), at most ten times a second.
func (o *rootOptions) progress(quiet bool, what string) func(done, total int64) {
	if quiet || !isTerminal(o.stderr) {
		return nil
	}
	var mu sync.Mutex
	var last time.Time
	return func(done, total int64) {
		mu.Lock()
		defer mu.Unlock()
		if done < total && time.Since(last) < 100*time.Millisecond {
			return
		}
		last = time.Now()
		fmt.Fprintf(o.stderr, "\r%s: %s of %s ", what, model.HumanSize(done), model.HumanSize(total))
		if done >= total {
			fmt.Fprint(o.stderr, "\r\x1b[K")
		}
	}
}
