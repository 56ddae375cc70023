package ui

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/check"
	"github.com/platypus-tui/platypus/registry"
)

// checkState is where a screen's release check stands: `platypus check`'s
// rules, run in the background on what the screen shows.
type checkState struct {
	running bool
	done    bool
	err     error // the check could not run (the registry, a login…)
	result  check.Result
	// owners are the root entries that hold what nested indexes list,
	// for the findings about it.
	owners map[string]nestedOwner
}

// checkJob runs the release check on tree, loaded already (no fetch
// twice), in the background; leaving the screen cancels it.
func (b *base) checkJob(ref model.Reference, tree *model.Tree) tea.Cmd {
	ctx, q := b.start(jobCheck, "")
	c := b.c
	return run(ctx, q, func(ctx context.Context) (checkedReply, error) {
		r, err := c.runCheck(ctx, nil, ref, registry.CheckOptions{Tree: tree})
		r.owners = nestedOwners(tree)
		return r, err
	})
}

// checkedReply is a finished check's result.
type checkedReply struct {
	result check.Result
	owners map[string]nestedOwner
	// tree is what was checked, for the composer's fleet verdicts.
	tree *model.Tree
}

// checkDone is where a check stands once its reply came.
func checkDone(r reply[checkedReply]) checkState {
	return checkState{done: r.err == nil, err: r.err, result: r.val.result, owners: r.val.owners}
}

// policy is the check's policy: Options.Policy, else the built-in rules.
func (c *common) policy() *check.Policy {
	if c.Policy != nil {
		return c.Policy
	}
	return check.DefaultPolicy()
}

// runCheck gathers what the policy needs about ref beyond o.Tree and runs
// the rules: the same facts and rules as `platypus check`. k may keep blob
// answers between checks of one draft; nil uses a fresh Checker.
func (c *common) runCheck(ctx context.Context, k *registry.Checker, ref model.Reference, o registry.CheckOptions) (checkedReply, error) {
	p := c.policy()
	o.Needs = p.Needs()
	facts := c.checkFacts
	if facts == nil {
		if k == nil {
			k = c.newChecker()
		}
		facts = k.Facts
	}
	f, err := facts(ctx, ref, o)
	if err != nil {
		return checkedReply{}, err
	}
	return checkedReply{result: check.Evaluate(f, p)}, nil
}

// newChecker is a Checker that finds base images as `platypus check` does.
func (c *common) newChecker() *registry.Checker {
	k := c.Client.NewChecker()
	k.Resolve = c.resolveBase
	return k
}

// resolveBase turns a base image's name into a reference; with --demo, a
// name without a registry host points into the demo registry, as the
// CLI's check has it.
func (c *common) resolveBase(name string) (model.Reference, error) {
	loc, err := model.ParseLocation(name, c.Demo)
	if err != nil {
		return model.Reference{}, err
	}
	if loc.Kind == model.LocHost {
		return model.Reference{}, fmt.Errorf("%q is a registry host, not an image", name)
	}
	return loc.Ref, nil
}

// failed tells whether the check found an error (the CLI's default
// --fail-on error).
func (c checkState) failed() bool {
	return c.done && !check.Passed(c.result.Findings, model.SevError)
}

// verdict is the check's one line: what it found, styled by how bad, and
// the key that lists the findings (if any); "" before it ran.
func (c checkState) verdict(st styles, findingsKey string) string {
	switch {
	case c.running:
		return st.Faint.Render("check: running…")
	case c.err != nil:
		return st.Error.Render("✗ check could not run: " + model.Clean(registry.ShortError(c.err)))
	case !c.done:
		return ""
	}
	errs, warns := check.Count(c.result.Findings)
	hint := ""
	if findingsKey != "" {
		hint = st.Faint.Render(" · " + findingsKey + " lists them")
	}
	switch {
	case errs > 0:
		text := "✗ check failed: " + plural(errs, "error")
		if warns > 0 {
			text += ", " + plural(warns, "warning")
		}
		return st.Error.Render(text) + hint
	case warns > 0:
		return st.Warning.Render("✓ check passed, "+plural(warns, "warning")) + hint
	}
	return st.Success.Render("✓ check passed")
}
