package ui

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
)

// copyStage is where a copy from the explorer stands.
type copyStage int

const (
	copyIdle copyStage = iota
	copyAsking
	copyPlanning
	copyConfirming
	copyRunning
)

// copyTask copies what a screen shows to a target the user types, the way
// `platypus copy` does: plan, confirm an overwrite, copy with progress,
// esc cancels. Index and image screens hold one.
type copyTask struct {
	stage     copyStage
	src       model.Reference
	input     textinput.Model
	plan      *registry.CopyPlan
	step      string
	done, tot int
	keys      copyKeys
}

type copyProgress struct {
	step        string
	done, total int
}

type copyDone struct {
	out registry.CopyOutcome
	err error
}

func newCopyTask(km copyKeys) copyTask {
	ti := newTextInput()
	ti.Prompt = "copy to: "
	ti.Placeholder = "host/repo:tag, repo (keeps the tag) or ocidir://path:tag"
	ti.CharLimit = 512
	return copyTask{input: ti, keys: km}
}

// Capturing is true while the task wants every key.
func (t copyTask) Capturing() bool { return t.stage == copyAsking || t.stage == copyConfirming }

// busy is true while the copy is planned or runs.
func (t copyTask) busy() bool { return t.stage == copyPlanning || t.stage == copyRunning }

// start asks where to copy src.
func (t *copyTask) start(src model.Reference) tea.Cmd {
	t.stage, t.src = copyAsking, src
	t.input.SetValue("")
	return t.input.Focus()
}

// cancel stops the task; it reports whether there was one.
func (t *copyTask) cancel(b *base) bool {
	if t.stage == copyIdle {
		return false
	}
	b.reqs.stop(jobCopyPlan, "")
	b.reqs.stop(jobCopy, "")
	t.stage = copyIdle
	t.input.Blur()
	return true
}

// key handles a key while the task is asking or confirming.
func (t *copyTask) key(b *base, msg tea.KeyPressMsg) tea.Cmd {
	km := t.keys
	if t.stage == copyConfirming {
		if key.Matches(msg, km.Yes) {
			return t.run(b)
		}
		t.stage = copyIdle
		return status("not copied", false)
	}
	in := km.input
	switch {
	case key.Matches(msg, in.Cancel):
		t.cancel(b)
		return nil
	case key.Matches(msg, in.Accept):
		dst, err := t.target(b, strings.TrimSpace(t.input.Value()))
		t.input.Blur()
		if err != "" {
			t.stage = copyIdle
			return status(err, true)
		}
		t.stage = copyPlanning
		ctx, q := b.start(jobCopyPlan, "")
		client, src := b.c.Client, t.src
		return run(ctx, q, func(ctx context.Context) (*registry.CopyPlan, error) {
			return client.PlanCopy(ctx, src, dst, nil)
		})
	}
	var cmd tea.Cmd
	t.input, cmd = t.input.Update(msg)
	return cmd
}

// paste takes pasted text while the task asks where to copy.
func (t *copyTask) paste(msg tea.PasteMsg) tea.Cmd {
	if t.stage != copyAsking {
		return nil
	}
	var cmd tea.Cmd
	t.input, cmd = t.input.Update(msg)
	return cmd
}

// target reads what was typed; a repository alone takes the source's tag.
func (t *copyTask) target(b *base, v string) (model.Reference, string) {
	loc, err := model.ParseLocation(v, b.c.Demo)
	switch {
	case err != nil:
		return model.Reference{}, err.Error()
	case loc.Kind == model.LocHost:
		return model.Reference{}, "copy to a repository or tag, not a whole registry: " + v
	case loc.Ref.Digest != "":
		return model.Reference{}, "copy to a tag, not a digest: " + v
	}
	dst := loc.Ref
	if dst.Tag == "" {
		if t.src.Tag == "" {
			return model.Reference{}, "this was opened by digest: give the target a tag"
		}
		dst = dst.WithTag(t.src.Tag)
	}
	return dst, ""
}

// reply takes the task's replies.
func (t *copyTask) reply(b *base, a answer) tea.Cmd {
	switch r := a.(type) {
	case reply[*registry.CopyPlan]:
		if r.err == nil && r.val == nil {
			r.err = errWrongReply // nil without an error: a bug, not a panic
		}
		if r.err != nil {
			t.stage = copyIdle
			return status(registry.ShortError(r.err), true)
		}
		t.plan = r.val
		if p := t.plan; p.Previous != "" && p.Previous != p.Digest() {
			t.stage = copyConfirming
			return nil
		}
		return t.run(b)
	case reply[copyEvent]:
		if r.err != nil {
			b.reqs.stop(jobCopy, "")
			t.stage = copyIdle
			return status("copy: "+r.err.Error(), true)
		}
		switch v := r.val.(type) {
		case copyProgress:
			t.step, t.done, t.tot = v.step, v.done, v.total
			return r.next
		case copyDone:
			b.reqs.stop(jobCopy, "")
			t.stage = copyIdle
			if v.err != nil {
				return status("copy failed, "+t.plan.Target.String()+" is unchanged: "+registry.ShortError(v.err), true)
			}
			return status(t.summary(v.out), false)
		}
		return r.next
	}
	return nil
}

func (t *copyTask) summary(out registry.CopyOutcome) string {
	p := t.plan
	text := "copied to " + p.Target.String()
	if out.Unchanged {
		text = p.Target.String() + " already held it"
	}
	if p.Identical() {
		text += " (same digest " + model.ShortDigest(p.Digest()) + ")"
	}
	text += ", " + plural(len(out.Copied), "manifest") + " written, " + plural(out.Referrers, "referrer")
	if out.Previous != "" && !out.Unchanged {
		text += "; was " + model.ShortDigest(out.Previous) + ", platypus undo restores it"
	}
	return text
}

func (t *copyTask) run(b *base) tea.Cmd {
	if b.c.State == nil {
		t.stage = copyIdle
		return status("not copied: platypus has no private state directory to journal the change in (set XDG_STATE_HOME or HOME)", true)
	}
	t.stage, t.step, t.done, t.tot = copyRunning, "starting", 0, 1
	ctx, q := b.start(jobCopy, "")
	client, plan, journal := b.c.Client, t.plan, b.c.State.Journal()
	return func() tea.Msg {
		ch := make(chan copyEvent, 16)
		go func() {
			defer close(ch)
			out, err := client.RunCopy(ctx, plan, true, journal, func(step string, done, total int) {
				select {
				case ch <- copyProgress{step: step, done: done, total: total}:
				default:
				}
			})
			select {
			case ch <- copyDone{out: out, err: err}:
			case <-ctx.Done():
			}
		}()
		return streamed(q, ch)()
	}
}

// View is the task's line under the screen's header, "" when idle.
func (t copyTask) View(st styles, spin string, w int) string {
	km := t.keys
	switch t.stage {
	case copyAsking:
		return inputView(t.input)
	case copyPlanning:
		return spin + " " + st.Faint.Render(fitLine("reading "+t.src.String()+" and the target…", w-3))
	case copyConfirming:
		p := t.plan
		return st.Warning.Render(fitLine(p.Target.String()+" holds "+model.ShortDigest(p.Previous)+": "+keyHint(km.Yes)+" overwrites it with "+
			model.ShortDigest(p.Digest())+" (journaled; platypus undo restores it), any other key cancels", w))
	case copyRunning:
		return spin + " " + st.Accent.Render(fitLine(progressBar(t.done, t.tot)+" "+t.step+" ("+keyHint(km.Stop)+" cancels)", w-3))
	default:
	}
	return ""
}
