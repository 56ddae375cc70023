package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry"
)

// defaultScanAsk is how many tags a scan judges without asking when the
// registry says nothing of a pull quota.
const defaultScanAsk = 1000

type scanOptions struct {
	out            outputFlag
	yes            bool
	allowTruncated bool
	fleet          fleetFlags
}

func newScanCmd(o *rootOptions) *cobra.Command {
	var so scanOptions
	cmd := &cobra.Command{
		Use:   "scan REPO",
		Short: "Check every tag of a repository for a target platform",
		Long: `Check, for every tag of REPO, whether the target platform can pull it and
which image docker pull would select, with bounded concurrency. Results are
written as they arrive (table rows, and the elements of the JSON "tags" array),
so memory stays bounded however many tags there are.

A scan asks first (or needs --yes) when it could spend more than --quota-share
of a pull quota the registry announces, or, when it announces none, before it
judges more than scanAsk tags (1000 unless the config file says otherwise).

With several targets (--platform repeated, --targets FILE, --nodes FILE, or the
config's targets) every tag is fetched once and judged for all of them: tags
down, targets across (✓ pulls an image, ✗ pulls nothing), the tags that fit
every target first, then by nearness to REPO's tag when it has one, else
newest first. Those rows are written once the scan ends.`,
		Example: `  platypus --demo scan library/mysql --platform linux/arm64/v8
  platypus scan docker.io/library/hello-world --platform windows/amd64 --os-version 10.0.14393 -o json
  kubectl get nodes -o json | platypus scan registry.example.com/app:1.2 --nodes -`,
		Args: exactArgs(1, "one repository"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.runScan(cmd.Context(), args[0], &so)
		},
	}
	so.out.register(cmd)
	cmd.Flags().BoolVar(&so.yes, "yes", false, "scan without asking, however many tags and whatever the pull quota")
	cmd.Flags().BoolVar(&so.allowTruncated, "allow-truncated", false, "scan what arrived when the tag list is cut at a limit (exit 0)")
	so.fleet.register(cmd)
	return cmd
}

func (o *rootOptions) runScan(ctx context.Context, arg string, so *scanOptions) error {
	if err := so.out.validate(); err != nil {
		return err
	}
	r, fleet, c, err := o.setupFleet(arg, &so.fleet)
	if err != nil {
		return err
	}
	tags, err := o.truncatedOK(c.AllTags(ctx, r))(so.allowTruncated)
	if err != nil {
		return err
	}
	tags = slices.DeleteFunc(tags, func(t string) bool { return strings.HasPrefix(t, "sha256-") })
	if !so.yes {
		if err := c.CheckScanBudget(ctx, r, tags, o.quotaShare, o.scanAsk); err != nil {
			if !isTerminal(o.stdin) {
				return fmt.Errorf("%w; pass --yes to scan all %d", err, len(tags))
			}
			if !o.confirm(fmt.Sprintf("%s.\nScan all %d tags? [y/N] ", registry.ShortError(err), len(tags))) {
				return errors.New("not scanned")
			}
		}
	}
	var w scanOutput = newScanWriter(o.stdout, so.out.json(), r.RepoOnly().String(), fleet, tags)
	if len(fleet) > 1 {
		w = newFleetScanWriter(o.stdout, so.out.json(), r.RepoOnly().String(), r.Tag, fleet)
	}
	if err := w.start(); err != nil {
		return err
	}
	c.ScanFleet(ctx, r.RepoOnly(), tags, fleet, w.add)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("scan: %w", err)
	}
	return w.end()
}

// truncatedOK lets a list cut at a limit through when allowed, with a
// warning; otherwise the cut is an error (exit 1).
func (o *rootOptions) truncatedOK(items []string, err error) func(allow bool) ([]string, error) {
	return func(allow bool) ([]string, error) {
		if allow && errors.Is(err, registry.ErrTruncated) {
			fmt.Fprintf(o.stderr, "warning: %s\n", model.Clean(err.Error()))
			return items, nil
		}
		if errors.Is(err, registry.ErrTruncated) {
			return nil, fmt.Errorf("%w (--allow-truncated goes on with the %d that arrived)", err, len(items))
		}
		return items, err
	}
}

// scanWriter writes each result as it arrives: a table row, or an element
// of the JSON "tags" array.
type scanWriter struct {
	mu     sync.Mutex
	w      io.Writer
	json   *output.ScanWriter // nil for the table
	repo   string
	fleet  model.Fleet
	tagCol int
	err    error
}

func newScanWriter(w io.Writer, asJSON bool, repo string, fleet model.Fleet, tags []string) *scanWriter {
	s := &scanWriter{w: w, repo: repo, fleet: fleet, tagCol: tagColumn(tags)}
	if asJSON {
		s.json = output.NewScanWriter(w)
	}
	return s
}

func tagColumn(tags []string) int {
	col := len("TAG")
	for _, t := range tags {
		col = max(col, ansi.StringWidth(t))
	}
	return min(col, 64)
}

func (s *scanWriter) start() error {
	if s.json != nil {
		return s.json.Head(s.repo, s.fleet)
	}
	_, err := fmt.Fprintf(s.w, "%-*s  %-9s  %-12s  %s\n", s.tagCol, "TAG", "SUPPORTED", "SELECTED", "DIGEST")
	return err //nolint:wrapcheck // as above
}

func (s *scanWriter) add(res registry.ScanResult) {
	row := scanRow(res, s.fleet)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return
	}
	if s.json != nil {
		s.err = s.json.Add(row)
	} else {
		sup, sel := "no", "-"
		if row.Supported {
			sup = "yes"
		}
		if row.Selected != nil {
			sel = model.ShortDigest(*row.Selected)
		}
		if row.Error != "" {
			sup = "error: " + row.Error
		}
		_, s.err = fmt.Fprintf(s.w, "%-*s  %-9s  %-12s  %s\n", s.tagCol, model.Clean(row.Tag), model.Clean(sup), sel, model.ShortDigest(row.Digest))
	}
}

func (s *scanWriter) end() error {
	if s.err != nil {
		return fmt.Errorf("writing the scan: %w", s.err)
	}
	if s.json != nil {
		if err := s.json.End(); err != nil {
			return fmt.Errorf("writing the scan: %w", err)
		}
	}
	return nil
}
