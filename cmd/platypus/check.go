package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/check"
	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry"
)

// exitCheckFailed is `platypus check`'s verdict: a finding at or above
// --fail-on (part of the CLI's contract, with exitOK, exitFailure and
// exitUsage).
const exitCheckFailed = 4

// checkFailed is a check that found what --fail-on fails on (exit 4).
type checkFailed struct{ msg string }

func (c checkFailed) Error() string { return c.msg }

// ExitCode is what report maps it to.
func (c checkFailed) ExitCode() int { return exitCheckFailed }

type checkOptions struct {
	out            outputFlag
	policy         string
	failOn         string
	yes            bool
	allowTruncated bool
}

func newCheckCmd(o *rootOptions) *cobra.Command {
	var co checkOptions
	cmd := &cobra.Command{
		Use:   "check REF...",
		Short: "Check that an index is fit to ship, on every platform (a release gate)",
		Long: `Check each REF (a tag, a digest, an ocidir:// path; a repository checks
every tag) against the built-in rules and the policy:

  platform-mismatch     [error]   an entry's config says another os/architecture/variant/os.version
  duplicate-platform    [error]   two entries a target ranks equally: the second is never pulled
  unreachable-entry     [warning] an entry no target can select (platform {}, unknown os …)
  dangling-attestation  [error]   an attestation whose subject is not in the index
  orphan                [warning] an image without attestation when others have one
  missing-blob          [error]   a manifest, config or layer the registry lacks or serves otherwise
  mixed-media-types     [warning] Docker and OCI media types in one index and its images
  windows-os-version    [error]   a Windows entry without os.version
  arm-variant           [warning] an arm entry without a variant

The policy is --policy FILE, else .platypus-check.yaml in the current
directory, else none. It turns on missing-platform and unexpected-platform
(platforms.require/only), missing-annotation and annotation-disagrees
(annotations.require/agree), missing-provenance and missing-sbom
(attestations), provenance-source (provenance.sameSource), missing-signature
(signatures), base-not-covered and base-moved (base.covered/fresh), too-large
(size.maxCompressed), low-efficiency and wasted-bytes (efficiency.lowest and
highestWasted, dive's thresholds: these read every layer). "rules: {NAME: off}"
turns a rule off, "rules: {NAME: warning}" changes its severity.

Exit codes: 0 passed; 4 a finding at or above --fail-on; 1 a reference could
not be checked; 2 a mistake in the command line or the policy.`,
		Example: `  platypus --demo check platypus/webapp:1.1-rc1
  platypus check registry.example.com/app:1.2 --policy release.yaml -o json
  platypus check registry.example.com/app --yes --fail-on warning    # every tag`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("expected at least one reference, e.g. library/alpine:3 or ocidir://./layout:v1")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.runCheck(cmd.Context(), args, &co, cmd.Flags().Changed("policy"))
		},
	}
	co.out.register(cmd)
	f := cmd.Flags()
	f.StringVar(&co.policy, "policy", "", "read the policy from `FILE` (default: "+check.PolicyFile+" in the current directory, if there is one)")
	f.StringVar(&co.failOn, "fail-on", "error", "exit 4 on a finding of this `SEVERITY` or worse: error or warning")
	f.BoolVar(&co.yes, "yes", false, "check every tag of a repository without asking, however many and whatever the pull quota")
	f.BoolVar(&co.allowTruncated, "allow-truncated", false, "check the tags that arrived when a repository's tag list is cut at a limit")
	_ = cmd.RegisterFlagCompletionFunc("fail-on", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"error", "warning"}, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func (o *rootOptions) runCheck(ctx context.Context, args []string, co *checkOptions, policyGiven bool) error {
	if err := co.out.validate(); err != nil {
		return err
	}
	failOn := model.Severity(co.failOn)
	if failOn != model.SevError && failOn != model.SevWarning {
		return usagef("--fail-on %q: use error or warning", co.failOn)
	}
	policy, err := loadPolicy(co.policy, policyGiven)
	if err != nil {
		return err
	}
	var refs []model.Reference
	var repos []bool
	var hosts []string
	for _, a := range args {
		r, err := o.resolve(a)
		if err != nil {
			return err
		}
		refs = append(refs, r)
		repos = append(repos, !r.HasTagOrDigest())
		hosts = append(hosts, r.Registry)
	}
	c, err := o.registry(hosts...)
	if err != nil {
		return err
	}
	var todo []model.Reference
	for i, r := range refs {
		if !repos[i] {
			todo = append(todo, r)
			continue
		}
		tags, err := o.checkTags(ctx, c, r, co)
		if err != nil {
			return err
		}
		for _, t := range tags {
			todo = append(todo, r.WithTag(t))
		}
	}
	k := c.NewChecker()
	k.Resolve = o.resolveBase
	results := o.checkAll(ctx, k, todo, policy, failOn, co.out.json())
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("check: %w", err)
	}
	if co.out.json() {
		var v any = results
		if len(results) == 1 && !slices.Contains(repos, true) {
			v = results[0]
		}
		if err := output.Write(o.stdout, v); err != nil {
			return err
		}
	} else if err := printCheck(o.stdout, results, failOn); err != nil {
		return err
	}
	failed, broken := 0, 0
	for _, r := range results {
		switch {
		case r.Error != "":
			broken++
		case !r.Passed:
			failed++
		}
	}
	noun, have := "reference", "has"
	if len(results) != 1 {
		noun, have = "references", "have"
	}
	switch {
	case broken > 0:
		return fmt.Errorf("could not check %s (%d of %d %s not checked)", firstError(results), broken, len(results), noun)
	case failed > 0:
		return checkFailed{msg: fmt.Sprintf("check failed: %d of %d %s %s findings at or above %s", failed, len(results), noun, have, failOn)}
	}
	return nil
}

func firstError(results []output.Check) string {
	for _, r := range results {
		if r.Error != "" {
			return r.Reference + ": " + r.Error
		}
	}
	return ""
}

// policyFlag is the explorer's --policy: the policy of the release check
// it runs on an index and on a draft in its composer.
func (o *rootOptions) policyFlag(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.policy, "policy", "", "the release check's policy, as check reads it, from `FILE` (default: "+check.PolicyFile+" in the current directory, if there is one)")
}

// loadPolicy reads --policy FILE, else .platypus-check.yaml if the current
// directory has one, else the built-in rules alone. Every problem of the
// file is a usage error (exit 2), all in one message.
func loadPolicy(path string, given bool) (*check.Policy, error) {
	if !given {
		path = check.PolicyFile
	} else if path == "" {
		return nil, usagef("--policy needs a file")
	}
	b, err := readConfig(path)
	if errors.Is(err, os.ErrNotExist) && !given {
		return check.DefaultPolicy(), nil
	}
	if err != nil {
		return nil, usagef("policy: %s", err.Error())
	}
	p, err := check.ParsePolicy(b)
	var pe *check.PolicyError
	if errors.As(err, &pe) {
		return nil, usageError{multiLine{fmt.Errorf("policy %s:\n  %s", path, strings.Join(pe.Problems, "\n  "))}}
	}
	return p, err // ParsePolicy's only error is a PolicyError
}

// checkTags lists the tags of a repository to check, as scan does: the
// referrers tag schema's sha256-… tags left out, and a quota or a large
// count asking first (or --yes).
func (o *rootOptions) checkTags(ctx context.Context, c *registry.Client, r model.Reference, co *checkOptions) ([]string, error) {
	tags, err := o.truncatedOK(c.AllTags(ctx, r))(co.allowTruncated)
	if err != nil {
		return nil, err
	}
	tags = slices.DeleteFunc(tags, func(t string) bool { return strings.HasPrefix(t, "sha256-") })
	if len(tags) == 0 {
		return nil, fmt.Errorf("%s has no tags to check", r.RepoOnly())
	}
	if co.yes {
		return tags, nil
	}
	if err := c.CheckScanBudget(ctx, r, tags, o.quotaShare, o.scanAsk); err != nil {
		if !isTerminal(o.stdin) {
			return nil, fmt.Errorf("%w; pass --yes to check all %d", err, len(tags))
		}
		if !o.confirm(fmt.Sprintf("%s.\nCheck all %d tags? [y/N] ", registry.ShortError(err), len(tags))) {
			return nil, errors.New("not checked")
		}
	}
	return tags, nil
}

// resolveBase turns a base image's name into a reference; with --demo, a
// name without a registry host points into the demo registry, as a
// reference on the command line does.
func (o *rootOptions) resolveBase(name string) (model.Reference, error) {
	loc, err := model.ParseLocation(name, o.demoHost())
	if err != nil {
		return model.Reference{}, err // says what is wrong with name
	}
	if loc.Kind == model.LocHost {
		return model.Reference{}, fmt.Errorf("%q is a registry host, not an image", name)
	}
	return loc.Ref, nil
}

// maxChecksAtOnce bounds the references checked at once; each one's
// requests are bounded by the client's concurrency too.
const maxChecksAtOnce = 4

// checkAll checks every reference, a few at a time, in order.
func (o *rootOptions) checkAll(ctx context.Context, k *registry.Checker, refs []model.Reference, p *check.Policy, failOn model.Severity, quiet bool) []output.Check {
	out := make([]output.Check, len(refs))
	sem := make(chan struct{}, maxChecksAtOnce)
	var wg sync.WaitGroup
	show := o.progress(quiet, "checking")
	var mu sync.Mutex
	var done, total int64
	for i, r := range refs {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return out[:i]
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			var last [2]int64
			opts := registry.CheckOptions{Needs: p.Needs()}
			if show != nil {
				opts.Progress = func(d, t int) {
					mu.Lock()
					done += int64(d) - last[0]
					total += int64(t) - last[1]
					last = [2]int64{int64(d), int64(t)}
					dd, tt := done, total
					mu.Unlock()
					show(dd, tt)
				}
			}
			out[i] = checkOne(ctx, k, r, p, failOn, opts)
		}()
	}
	wg.Wait()
	return out
}

func checkOne(ctx context.Context, k *registry.Checker, r model.Reference, p *check.Policy, failOn model.Severity, opts registry.CheckOptions) output.Check {
	f, err := k.Facts(ctx, r, opts)
	if err != nil {
		return output.CheckError(r.String(), registry.ShortError(err))
	}
	ev := check.Evaluate(f, p)
	return output.BuildCheck(r.String(), f.Tree.Root.Digest, ev, check.Passed(ev.Findings, failOn))
}

// printCheck writes, per reference, one line per finding grouped by
// platform, then a verdict line.
func printCheck(w io.Writer, results []output.Check, failOn model.Severity) error {
	ruleW := len("RULE")
	for _, r := range results {
		for _, f := range r.Findings {
			ruleW = max(ruleW, len(f.Rule))
		}
	}
	var b strings.Builder
	for i, r := range results {
		if i > 0 {
			b.WriteString("\n")
		}
		head := r.Reference
		if r.Digest != "" && !strings.Contains(head, "@") {
			head += "@" + r.Digest
		}
		b.WriteString(model.Clean(head) + "\n")
		if r.Error != "" {
			b.WriteString("  error: " + model.Clean(r.Error) + "\nNOT CHECKED\n")
			continue
		}
		groups := []string{""} // the index's own findings first
		for _, f := range r.Findings {
			if !slices.Contains(groups, f.Platform) {
				groups = append(groups, f.Platform)
			}
		}
		for _, g := range groups {
			if !slices.ContainsFunc(r.Findings, func(f output.Finding) bool { return f.Platform == g }) {
				continue
			}
			name := g
			if name == "" {
				name = "index"
			}
			b.WriteString("  " + model.Clean(name) + "\n")
			for _, f := range r.Findings {
				if f.Platform == g {
					fmt.Fprintf(&b, "    %-7s  %-*s  %s\n", f.Severity, ruleW, f.Rule, model.Clean(f.Message))
				}
			}
		}
		errs, warns := 0, 0
		for _, f := range r.Findings {
			if f.Severity == string(model.SevError) {
				errs++
			} else {
				warns++
			}
		}
		verdict := "PASSED"
		if !r.Passed {
			verdict = "FAILED"
		}
		fmt.Fprintf(&b, "%s: %s, %s (--fail-on %s)\n", verdict, model.Count(errs, "error"), model.Count(warns, "warning"), failOn)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("writing the check: %w", err)
	}
	return nil
}
