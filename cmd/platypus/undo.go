package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/state"
)

type undoOptions struct {
	out   outputFlag
	list  bool
	to    string
	force bool
}

func newUndoCmd(o *rootOptions) *cobra.Command {
	var uo undoOptions
	cmd := &cobra.Command{
		Use:   "undo [TARGET]",
		Short: "Step a tag back through the changes platypus made to it",
		Long: `Every change platypus makes to a tag (compose, copy, undo) is journaled in
platypus's state directory ($XDG_STATE_HOME/platypus on Linux): recorded as intended before the tag is written and as
completed once the registry confirms it. undo takes back the newest completed
change of TARGET not taken back yet, so each undo goes one step further back;
--to restores any digest the history shows; --list prints the history.

A change that created the tag is taken back by deleting it: the tag alone
where the registry can (OCI distribution 1.1, layouts), else its manifest by
digest, only when no other tag of the repository holds it or lists it;
children and blobs are never deleted. A deletion by digest is also refused
when the repository has more than 2,000 other tags (platypus checks no more)
or when referrers (signatures, attestations) point at the manifest, as they
would point at nothing after; --force deletes then, after checking the first
2,000 tags, and says what it left.

undo refuses when TARGET no longer holds what platypus left there (someone
else pushed since) or when the journal is damaged before its last record;
--force overrides both. Without TARGET, the newest change of any tag is undone.`,
		Example: `  platypus undo registry.example.com/app:1.2
  platypus undo registry.example.com/app:1.2 --list
  platypus undo registry.example.com/app:1.2 --to sha256:4e1f…
  platypus undo`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := uo.out.validate(); err != nil {
				return err
			}
			ref, host := "", ""
			if o.demo {
				// Before the client: it must know the demo to name its
				// tags in the journal, with or without TARGET.
				if _, err := o.startDemo(); err != nil {
					return err
				}
			}
			if len(args) == 1 {
				r, err := o.resolve(args[0])
				if err != nil {
					return err
				}
				if r.Tag == "" || r.Digest != "" {
					return usagef("undo needs a tag, such as %s:latest", r.RepoOnly())
				}
				ref, host = r.String(), r.Registry
			} else if uo.list || uo.to != "" {
				return usagef("--list and --to need the tag")
			}
			st, err := openState()
			if err != nil {
				return err
			}
			if uo.to != "" && !model.ValidDigest(uo.to) {
				return usagef("--to wants a digest such as sha256:…, got %q", uo.to)
			}
			c, err := o.registry(host)
			if err != nil {
				return err
			}
			if uo.list {
				return o.printHistory(st.Journal(), c, ref, &uo)
			}
			res, err := c.Undo(cmd.Context(), st.Journal(), ref, registry.UndoOptions{To: uo.to, Force: uo.force})
			if err != nil {
				return err
			}
			if uo.out.json() {
				return output.Write(o.stdout, output.Undo{Time: res.Time, Action: res.Action, Reference: res.Reference,
					Digest: res.Digest, PreviousDigest: res.PreviousDigest, Reverts: res.Reverts, Deleted: res.Deleted,
					UncheckedTags: res.UncheckedTags, OrphanedReferrers: res.OrphanedReferrers})
			}
			if res.Digest == "" {
				how := "the tag alone"
				if res.Deleted == registry.DeleteDigest {
					how = "its manifest by digest, which no other tag held; the children stay"
					if res.UncheckedTags > 0 {
						how = "its manifest by digest, which no other tag checked held; the children stay"
					}
				}
				fmt.Fprintf(o.stdout, "deleted %s (was %s), as before platypus created it: %s\n", res.Reference, res.PreviousDigest, how)
				if res.UncheckedTags > 0 {
					fmt.Fprintf(o.stderr, "warning: %s of the repository were not checked (--force): one may have held it and be gone too\n", model.Count(res.UncheckedTags, "other tag"))
				}
				if n := len(res.OrphanedReferrers); n > 0 {
					fmt.Fprintf(o.stderr, "warning: %s of %s now point at nothing (--force): %s\n", model.Count(n, "referrer"), model.ShortDigest(res.PreviousDigest), shortDigests(res.OrphanedReferrers))
				}
				return nil
			}
			fmt.Fprintf(o.stdout, "restored %s to %s (was %s)\n", res.Reference, res.Digest, orNone(res.PreviousDigest))
			return nil
		},
	}
	uo.out.register(cmd)
	f := cmd.Flags()
	f.BoolVar(&uo.list, "list", false, "print TARGET's history of changes instead of undoing")
	f.StringVar(&uo.to, "to", "", "restore `DIGEST`, any state the history shows")
	f.BoolVar(&uo.force, "force", false, "undo even if the tag moved since or the journal is damaged, or delete by digest past 2,000 tags or with referrers")
	return cmd
}

func (o *rootOptions) printHistory(j historyReader, c journalNamer, ref string, uo *undoOptions) error {
	if r, err := model.ParseReference(ref); err == nil {
		ref = c.JournalName(r) // the demo's tags are journaled by name
	}
	h, err := j.Read(ref)
	if err != nil {
		return err // names the journal
	}
	if uo.out.json() {
		rep := output.History{Reference: ref, Changes: make([]output.Change, len(h.Changes)), Damage: make([]output.Damage, len(h.Damage))}
		for i, c := range h.Changes {
			rep.Changes[i] = output.Change{ID: c.ID, Time: c.Time, Action: c.Action, Reference: c.Reference, PreviousDigest: c.PreviousDigest,
				Digest: c.Digest, State: c.State, Reverts: c.Reverts, RevertedBy: c.RevertedBy, Error: c.Error, CheckOverridden: c.CheckOverridden}
		}
		for i, d := range h.Damage {
			rep.Damage[i] = output.Damage{Line: d.Line, Offset: d.Offset, What: d.What}
		}
		return output.Write(o.stdout, rep)
	}
	for _, d := range h.Damage {
		fmt.Fprintf(o.stderr, "warning: journal %s is damaged at %s\n", j.Path(), d)
	}
	if len(h.Changes) == 0 {
		fmt.Fprintf(o.stdout, "platypus has not changed %s\n", ref)
		return nil
	}
	t := newTable(o.stdout, state.HistoryHeader[:]...)
	for i := len(h.Changes) - 1; i >= 0; i-- {
		row := h.Changes[i].Row()
		t.row(row[:]...)
	}
	return t.flush()
}

func shortDigests(ds []string) string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = model.ShortDigest(d)
	}
	return strings.Join(out, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "nothing"
	}
	return s
}
