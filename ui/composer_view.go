package ui

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/check"
)

func (s *composerScreen) headerView() string {
	st := s.c.styles
	d := s.draft
	kind := model.MediaTypeName(d.MediaType)
	lines := []string{st.Header.Render("compose " + s.dest.String())}
	now := "a new tag"
	if s.current != nil {
		now = "replaces " + model.ShortDigest(s.current.Digest)
	}
	lines = append(lines, st.Faint.Render(fitLine(kind+" · "+plural(len(d.Entries), "entry")+" · "+now+" · digest "+model.ShortDigest(d.Digest()), s.w)))
	if len(d.Annotations) > 0 {
		lines = append(lines, st.Faint.Render(fitLine("annotations: "+joinMap(d.Annotations), s.w)))
	}
	if s.moved != nil || s.underneath != "" {
		text := s.underneath
		if s.moved != nil {
			text = s.dest.Tag + " moved: it holds " + describe(*s.moved) + " now, not what this draft is based on; " + keyHint(s.keys.Refresh) + " reloads it (your edits stay on top)"
		}
		lines = append(lines, st.Warning.Render(fitLine(text, s.w)))
	}
	switch {
	case s.mode == modeRestore:
		lines = append(lines, st.Warning.Render(fitLine("A saved draft from "+s.saved.Updated.Local().Format("2006-01-02 15:04")+" has "+plural(len(s.saved.Entries), "entry")+": "+keyHint(s.keys.Enter)+" restores it, any other key starts over", s.w)))
	case s.mode == modeOverride:
		lines = append(lines, s.overrideLine())
	case s.mode == modeConfirm && s.verify.overridden != "":
		errs, _ := check.Count(s.verify.result.Findings)
		lines = append(lines, st.Error.Render(fitLine(keyHint(s.keys.Yes)+" pushes "+s.dest.Tag+" past the check's "+plural(errs, "error")+" (journaled as overriding it; "+keyHint(s.keys.DraftUndo)+" undoes), any other key cancels", s.w)))
	case s.mode == modeConfirm && s.current != nil:
		lines = append(lines, st.Warning.Render(fitLine(s.dest.String()+" exists ("+model.ShortDigest(s.current.Digest)+"): "+keyHint(s.keys.Yes)+" overwrites it (its digest is journaled; "+keyHint(s.keys.DraftUndo)+" undoes), any other key cancels", s.w)))
	case s.mode == modeConfirm:
		lines = append(lines, st.Warning.Render(fitLine(s.dest.String()+" does not exist: "+keyHint(s.keys.Yes)+" creates it with this index (journaled; "+keyHint(s.keys.DraftUndo)+" undoes), any other key cancels", s.w)))
	case s.mode != modeNone:
		lines = append(lines, s.input.View())
	case s.pushing():
		lines = append(lines, s.spin.View()+" "+st.Accent.Render(fitLine(progressBar(s.done, s.tot)+" "+s.step, s.w-3)))
	case s.checking:
		lines = append(lines, s.spin.View()+" "+st.Faint.Render(fitLine("asking "+s.dest.Host()+" what "+s.dest.Tag+" holds…", s.w-3)))
	}
	return strings.Join(lines, "\n")
}

func progressBar(done, total int) string {
	const width = 20
	total = max(total, 1)
	fill := min(done*width/total, width)
	return "[" + strings.Repeat("#", fill) + strings.Repeat(".", width-fill) + "] " + itoa(done) + "/" + itoa(total)
}

// unchanged tells whether the tag already holds the draft, byte for byte.
func (s *composerScreen) unchanged() bool {
	return s.current != nil && s.draft != nil && s.current.Digest == s.draft.Digest()
}

// footerView lists the validation issues (errors block the push), then
// the release check's verdict and first findings.
func (s *composerScreen) footerView() string {
	st := s.c.styles
	var lines []string
	switch {
	case len(s.issues) == 0 && s.unchanged():
		lines = append(lines, st.Success.Render("✓ "+s.dest.Tag+" holds exactly this index: nothing to push"))
	case len(s.issues) == 0:
		lines = append(lines, st.Success.Render("✓ valid: "+keyHint(s.keys.DraftPush)+" pushes"))
	}
	maxShown := 6
	if s.short() {
		maxShown = 2
	}
	for i, is := range s.issues {
		if i == maxShown {
			lines = append(lines, st.Faint.Render("  … "+itoa(len(s.issues)-maxShown)+" more"))
			break
		}
		where := "index"
		if is.Entry >= 0 {
			where = "#" + itoa(is.Entry+1)
		}
		if is.Severity == model.SevError {
			lines = append(lines, st.Error.Render(fitLine("✗ "+where+": "+is.Message, s.w)))
		} else {
			lines = append(lines, st.Warning.Render(fitLine("! "+where+": "+is.Message, s.w)))
		}
	}
	return strings.Join(append(lines, s.checkFooter()...), "\n")
}

// short tells a terminal too short for the footer's details: the draft
// keeps the rows, the check's findings are left to F.
func (s *composerScreen) short() bool {
	return s.h < compactBelow
}

func (s *composerScreen) View() string {
	st := s.c.styles
	switch s.state {
	case loading:
		return loadingView(st, s.spin, "draft for "+s.dest.String())
	case failed:
		return errorView(st, s.c.Keys, s.err, s.w)
	default: // the draft, below
	}
	body := st.Faint.Render("  no entries yet: " + keyHint(s.keys.DraftAdd) + " adds an image or index from any registry")
	if len(s.draft.Entries) > 0 {
		body = s.table.View()
	}
	return s.header + "\n" + body + "\n" + s.footer
}

func (s *composerScreen) cell(row, col int) (string, lipgloss.Style) {
	st := s.c.styles
	e := s.draft.Entries[row]
	base := st.Text
	if e.Kind == model.KindAttestation {
		base = st.Faint
	}
	switch col {
	case 0:
		return itoa(row + 1), st.Faint
	case 1:
		if e.Kind == model.KindAttestation {
			return "→ attestation", st.Faint
		}
		if e.Platform == nil {
			return "(none)", st.Error
		}
		return e.Platform.String(), base
	case 2:
		if e.Platform != nil {
			return e.Platform.OSVersion, base
		}
	case 3:
		return string(e.Kind), kindStyle(st, e.Kind)
	case 4:
		return model.HumanSize(e.Size), st.Faint
	case 5:
		return model.ShortDigest(e.Digest), st.Faint
	case 6:
		if e.Source.SameRepository(s.dest) {
			return "(this repo)", st.Faint
		}
		return e.Source.RepoOnly().String(), st.Accent
	case 7:
		return joinMap(e.Annotations), st.Faint
	}
	return "", base
}
