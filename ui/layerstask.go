package ui

import (
	"runtime/debug"
	"sync/atomic"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry"
)

// layersTask reads an image's layers from the registry with progress and
// builds its filesystem; esc cancels it. Its key tells two tasks of one
// screen apart (a diff reads two images); what names its layers in
// messages ("layers", "A's layers").
type layersTask struct {
	key, what   string
	busy        bool
	done, total int64
	fs          *fstree.FS
	err         error
}

type layersProgress struct{ done, total int64 }

type layersDone struct {
	fs  *fstree.FS
	err error
}

// layersReadMsg tells every screen that layers were read, so those showing
// sizes can fill in what is now known.
type layersReadMsg struct{}

// progressEvery spaces progress messages: a layer is read in 32 KiB
// reads, and the screen needs a few updates a second, not thousands.
const progressEvery = 80 * time.Millisecond

// start reads img's layers, unless they are read or being read.
func (t *layersTask) start(b *base, img *registry.Image) tea.Cmd {
	if t.busy || t.fs != nil {
		return nil
	}
	t.busy, t.err, t.done, t.total = true, nil, 0, 0
	for _, l := range img.Manifest.Layers {
		t.total += l.Size
	}
	ctx, q := b.start(jobLayers, t.key)
	client := b.c.Client
	return func() tea.Msg {
		ch := make(chan readEvent, 4)
		go func() {
			defer close(ch)
			layers, err := client.ImageLayers(ctx, img, registry.LayerOptions{Progress: progressTo(ch)})
			var fs *fstree.FS
			if err == nil {
				fs = fstree.Load(layers)
				releaseAfter(fs.View.Len())
			}
			select {
			case ch <- layersDone{fs: fs, err: err}:
			case <-ctx.Done():
			}
		}()
		return streamed(q, ch)()
	}
}

// progressTo sends a read's progress to ch, a few times a second at most
// and never waiting: a message dropped is made up by the next.
func progressTo(ch chan<- readEvent) func(done, total int64) {
	var last atomic.Int64
	return func(done, total int64) {
		now := time.Now().UnixNano()
		prev := last.Load()
		if now-prev < int64(progressEvery) || !last.CompareAndSwap(prev, now) {
			return
		}
		select {
		case ch <- layersProgress{done, total}:
		default:
		}
	}
}

// bigFilesystem is the entry count past which a read gives its garbage
// back to the system at once, and the image screen keeps one layer's
// changes instead of every layer's (a variable for tests).
var bigFilesystem = 200_000

// releaseAfter gives memory back after work on entries entries: reading
// and merging millions leaves as much garbage as the result, which the
// runtime would otherwise keep for a while.
func releaseAfter(entries int) {
	if entries >= bigFilesystem {
		debug.FreeOSMemory()
	}
}

// cancel stops a read; it reports whether one was running.
func (t *layersTask) cancel(b *base) bool {
	if !t.busy {
		return false
	}
	b.reqs.stop(jobLayers, t.key)
	t.busy = false
	return true
}

// reply takes the task's replies; finished is true on the last one.
func (t *layersTask) reply(r reply[readEvent]) (cmd tea.Cmd, finished bool) {
	switch v := r.val.(type) {
	case layersProgress:
		t.done, t.total = v.done, v.total
	case layersDone:
		t.busy = false
		t.fs, t.err = v.fs, v.err
		return func() tea.Msg { return layersReadMsg{} }, true
	}
	if r.err != nil {
		t.err = r.err
	}
	if r.last() {
		t.busy = false
	}
	return r.next, r.last()
}

// View is the task's progress line, "" when it is not reading; stop is
// the key that stops it.
func (t layersTask) View(st styles, stop key.Binding, spin string, w int) string {
	if !t.busy {
		return ""
	}
	text := "reading layers " + model.HumanSize(t.done) + " of " + model.HumanSize(t.total)
	if t.total > 0 {
		text += " (" + itoa(int(t.done*100/t.total)) + "%)"
	}
	return spin + " " + st.Faint.Render(fitLine(text+" · "+keyHint(stop)+" cancels", w-3))
}
