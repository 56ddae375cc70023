package main

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
)

// memTags is a tagScanner in memory.
type memTags struct {
	tags    []string
	listErr error
	budget  error
	asked   []string // the tags the budget was asked about
}

func (m *memTags) AllTags(context.Context, model.Reference) ([]string, error) {
	return slices.Clone(m.tags), m.listErr
}

func (m *memTags) CheckScanBudget(_ context.Context, _ model.Reference, tags []string, _ float64, _ int) error {
	m.asked = slices.Clone(tags)
	return m.budget
}

// check's list of tags, given from memory: the referrers tag schema's
// tags are not checked; a list cut short stops unless allowed; a budget
// refused stops a run that cannot ask (stdin is no terminal) and says
// how to go on; --yes does not ask.
func TestCheckTagsFromMemory(t *testing.T) {
	r, err := model.ParseReference("registry.test/app")
	if err != nil {
		t.Fatal(err)
	}
	sig := "sha256-" + strings.Repeat("a", 64) + ".sig"
	overBudget := fmt.Errorf("%w: too many", registry.ErrBudget)
	cut := fmt.Errorf("%w: 2 pages", registry.ErrTruncated)
	for _, tc := range []struct {
		name    string
		c       memTags
		co      checkOptions
		want    []string
		asked   []string
		wantErr string
		stderr  string
	}{
		{name: "referrer tags dropped", c: memTags{tags: []string{"1.0", sig, "2.0"}}, want: []string{"1.0", "2.0"}, asked: []string{"1.0", "2.0"}},
		{name: "over the budget, no terminal", c: memTags{tags: []string{"1.0", "2.0"}, budget: overBudget}, asked: []string{"1.0", "2.0"}, wantErr: "pass --yes to check all 2"},
		{name: "--yes asks nothing", c: memTags{tags: []string{"1.0", "2.0"}, budget: overBudget}, co: checkOptions{yes: true}, want: []string{"1.0", "2.0"}},
		{name: "cut short", c: memTags{tags: []string{"1.0"}, listErr: cut}, wantErr: "--allow-truncated goes on with the 1 that arrived"},
		{name: "cut short, allowed", c: memTags{tags: []string{"1.0"}, listErr: cut}, co: checkOptions{allowTruncated: true}, want: []string{"1.0"}, asked: []string{"1.0"}, stderr: "warning: " + cut.Error()},
		{name: "only referrer tags", c: memTags{tags: []string{sig}}, wantErr: "registry.test/app has no tags to check"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			o := &rootOptions{stdin: strings.NewReader(""), stderr: &stderr}
			got, err := o.checkTags(context.Background(), &tc.c, r, &tc.co)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
			} else if err != nil || !slices.Equal(got, tc.want) {
				t.Fatalf("%q, %v; want %q", got, err, tc.want)
			}
			if !slices.Equal(tc.c.asked, tc.asked) {
				t.Errorf("the budget was asked about %q, want %q", tc.c.asked, tc.asked)
			}
			if !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("stderr %q, want %q", stderr.String(), tc.stderr)
			}
		})
	}
}
