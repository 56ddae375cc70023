package main

import (
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/mattn/go-isatty"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/ui"
)

// runExplorer opens the TUI where REF points, or prints what is there when
// standard output is not a terminal.
func (o *rootOptions) runExplorer(ctx context.Context, args []string) error {
	if o.demo && isTerminal(o.stdout) && !o.passwordStdin {
		return o.runDemoExplorer(ctx, args)
	}
	demoHost := ""
	if o.demo {
		srv, err := o.startDemo()
		if err != nil {
			return err
		}
		demoHost = srv.Host
	}
	var loc *model.Location
	remember := ""
	switch {
	case len(args) == 1:
		l, err := model.ParseLocation(args[0], demoHost)
		if err != nil {
			return usageError{err}
		}
		loc, remember = &l, args[0]
	case o.demo:
		loc = &model.Location{Kind: model.LocHost, Host: demoHost}
	}
	if !isTerminal(o.stdout) {
		if loc == nil {
			return usagef("expected a reference (or --demo) when standard output is not a terminal")
		}
		if o.explorerMany() && loc.Kind != model.LocHost && loc.Kind != model.LocRepo {
			return o.printLocation(ctx, *loc) // inspect reads the fleet once
		}
	}
	target, fleet, saved, err := o.explorerTargets()
	if err != nil {
		return err
	}
	policy, err := loadPolicy(o.policy, o.policyGiven)
	if err != nil {
		return err
	}
	host := ""
	if loc != nil {
		host = loc.Host + loc.Ref.Registry
	}
	o.tui = isTerminal(o.stdout)
	c, err := o.registry(host)
	if err != nil {
		return err
	}
	if !isTerminal(o.stdout) {
		if loc == nil {
			return usagef("expected a reference (or --demo) when standard output is not a terminal")
		}
		return o.printLocation(ctx, *loc)
	}
	// The explorer runs without a state directory (nothing remembered,
	// no pushes); the composer says so when asked to push.
	st, err := openState()
	if err != nil {
		fmt.Fprintf(o.stderr, "platypus: %s; continuing without it\n", err)
	}
	return ui.Run(ctx, ui.Options{
		Client: c, Target: target, Fleet: fleet, Fleets: saved, Theme: o.theme, ConfigTheme: o.configTheme, Location: loc, Demo: demoHost, State: st, QuotaShare: o.quotaShare, ScanAsk: o.scanAsk, Keys: o.keys, Remember: remember, Policy: policy,
	})
}

// runDemoExplorer opens the explorer at once on a screen saying the demo
// registry is starting, and starts it meanwhile (keys typed are kept):
// it used to start first, behind a blank terminal, and keys typed then
// were lost.
func (o *rootOptions) runDemoExplorer(ctx context.Context, args []string) error {
	if len(args) == 1 { // a mistake in REF is a usage error before anything starts
		if _, err := model.ParseLocation(args[0], "127.0.0.1:1"); err != nil {
			return usageError{err}
		}
	}
	target, fleet, saved, err := o.explorerTargets()
	if err != nil {
		return err
	}
	policy, err := loadPolicy(o.policy, o.policyGiven)
	if err != nil {
		return err
	}
	o.tui = true
	// Quitting while the demo starts waits for it, so that close removes
	// its directory; once the explorer is gone it is not started.
	var mu sync.Mutex
	stage := 0 // 0 not started, 1 starting, 2 the explorer is gone
	started := make(chan struct{})
	prepare := func(context.Context) (ui.Prepared, error) {
		mu.Lock()
		if stage == 2 {
			mu.Unlock()
			return ui.Prepared{}, context.Canceled
		}
		stage = 1
		mu.Unlock()
		defer close(started)
		srv, err := o.startDemo()
		if err != nil {
			return ui.Prepared{}, err
		}
		loc := model.Location{Kind: model.LocHost, Host: srv.Host}
		remember := ""
		if len(args) == 1 {
			if loc, err = model.ParseLocation(args[0], srv.Host); err != nil {
				return ui.Prepared{}, usageError{err}
			}
			remember = args[0]
		}
		c, err := o.registry(loc.Host + loc.Ref.Registry)
		if err != nil {
			return ui.Prepared{}, err
		}
		return ui.Prepared{Client: c, Demo: srv.Host, Location: &loc, Remember: remember}, nil
	}
	st, err := openState()
	if err != nil {
		fmt.Fprintf(o.stderr, "platypus: %s; continuing without it\n", err)
	}
	err = ui.Run(ctx, ui.Options{
		Target: target, Fleet: fleet, Fleets: saved, Theme: o.theme, ConfigTheme: o.configTheme, State: st, QuotaShare: o.quotaShare, ScanAsk: o.scanAsk, Keys: o.keys, Policy: policy,
		Prepare: prepare, Preparing: "starting the demo registry on loopback",
	})
	mu.Lock()
	was := stage
	stage = 2
	mu.Unlock()
	if was == 1 {
		<-started
	}
	return err
}

func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// printLocation prints, as plain text, what the explorer would open on.
func (o *rootOptions) printLocation(ctx context.Context, loc model.Location) error {
	c, err := o.registry()
	if err != nil {
		return err
	}
	switch loc.Kind {
	case model.LocHost:
		repos, err := c.AllRepositories(ctx, loc.Host)
		if err != nil {
			return err
		}
		fmt.Fprintf(o.stdout, "registry %s: %d repositories\n", loc.Host, len(repos))
		t := newTable(o.stdout, "REPOSITORY", "TAGS")
		for _, r := range repos {
			tags, err := c.AllTags(ctx, model.Reference{Registry: loc.Host, Repository: r})
			n := fmt.Sprint(len(tags))
			if err != nil {
				n = "error: " + err.Error()
			}
			t.row(r, n)
		}
		return t.flush()
	case model.LocRepo:
		tags, err := c.AllTags(ctx, loc.Ref)
		if err != nil {
			return err
		}
		t := newTable(o.stdout, "TAG")
		for _, tag := range tags {
			t.row(tag)
		}
		return t.flush()
	default: // a manifest: inspect below
	}
	return o.runInspect(ctx, loc.Ref.String(), &inspectOptions{out: outputFlag{format: "table"}, fleet: o.explorerFleet})
}
