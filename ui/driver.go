package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/themes"
)

// Driver runs the explorer without a terminal: every command the App
// returns runs at once and its message goes back in, so a sequence of keys
// ends in a settled screen. Tests and the screenshot generator use it.
type Driver struct {
	app     *explorer
	common  *common
	Copied  []string
	Timeout time.Duration // for one command; 10s by default
	hold    func(tea.Msg) bool
	held    []tea.Msg
	quit    bool
}

// Quit tells whether a command has asked to quit (the program would have
// ended there).
func (d *Driver) Quit() bool { return d.quit }

// Hold keeps the messages f matches instead of delivering them, so that a
// test can deliver replies late or out of order; nil delivers everything.
func (d *Driver) Hold(f func(tea.Msg) bool) { d.hold = f }

// Held returns the messages kept so far, oldest first.
func (d *Driver) Held() []tea.Msg { return d.held }

// Deliver sends the i-th held message now, and runs what follows from it.
func (d *Driver) Deliver(i int) error {
	msg := d.held[i]
	d.held = append(d.held[:i:i], d.held[i+1:]...)
	return d.Send(msg)
}

// NewDriver opens the explorer (or composer) of o at width×height.
func NewDriver(ctx context.Context, o Options, theme themes.Theme, width, height int) (*Driver, error) {
	d := &Driver{Timeout: 10 * time.Second}
	d.common = newCommon(o, theme)
	// As Run does: tests see the config's key bindings.
	if err := d.common.Keys.Override(o.Keys); err != nil {
		return nil, err
	}
	d.common.Clipboard = func(s string) tea.Cmd {
		d.Copied = append(d.Copied, s)
		return nil
	}
	d.app = newApp(ctx, d.common, o.Target, firstScreens(o)...)
	if err := d.Send(tea.WindowSizeMsg{Width: width, Height: height}); err != nil {
		return nil, err
	}
	return d, d.Run(d.app.Init())
}

// Send delivers msg and runs what follows from it.
func (d *Driver) Send(msg tea.Msg) error {
	_, cmd := d.app.Update(msg)
	return d.Run(cmd)
}

// Keys sends keys: single characters, or names (enter, esc, tab, up, down,
// backspace, space, left, right, home, end, pgup, pgdown, delete, f1…f12),
// either with ctrl+, alt+ or shift+ in front as a config file spells them.
func (d *Driver) Keys(keys ...string) error {
	for _, k := range keys {
		if err := d.Send(KeyMsg(k)); err != nil {
			return err
		}
	}
	return nil
}

// Type types text into what has focus, a rune at a time.
func (d *Driver) Type(text string) error {
	for _, r := range text {
		if err := d.Send(KeyMsg(string(r))); err != nil {
			return err
		}
	}
	return nil
}

// View is the current frame.
func (d *Driver) View() string { return d.app.View().Content }

// KeyMsg builds the key press a terminal sends for a key name or a
// character, as Bubble Tea reads it.
func KeyMsg(k string) tea.KeyPressMsg {
	var mod tea.KeyMod
	for {
		prefix, m := "", tea.KeyMod(0)
		switch {
		case strings.HasPrefix(k, "ctrl+"):
			prefix, m = "ctrl+", tea.ModCtrl
		case strings.HasPrefix(k, "alt+"):
			prefix, m = "alt+", tea.ModAlt
		case strings.HasPrefix(k, "shift+"):
			prefix, m = "shift+", tea.ModShift
		}
		if prefix == "" || len(k) == len(prefix) {
			break
		}
		k, mod = k[len(prefix):], mod|m
	}
	if k == "space" || k == " " {
		if mod != 0 {
			return tea.KeyPressMsg{Code: tea.KeySpace, Mod: mod}
		}
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	}
	if mod != 0 { // with a modifier, a key types nothing
		code, ok := keyNames[k]
		if !ok {
			code, _ = utf8.DecodeRuneInString(k)
		}
		return tea.KeyPressMsg{Code: code, Mod: mod}
	}
	if code, ok := keyNames[k]; ok {
		return tea.KeyPressMsg{Code: code}
	}
	r, n := utf8.DecodeRuneInString(k)
	if n != len(k) {
		return tea.KeyPressMsg{Code: tea.KeyExtended, Text: k}
	}
	if unicode.IsUpper(r) { // shift and the letter
		return tea.KeyPressMsg{Code: unicode.ToLower(r), ShiftedCode: r, Mod: tea.ModShift, Text: k}
	}
	return tea.KeyPressMsg{Code: r, Text: k}
}

var keyNames = map[string]rune{
	"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "backspace": tea.KeyBackspace,
	"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
	"home": tea.KeyHome, "end": tea.KeyEnd, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "delete": tea.KeyDelete,
	"f1": tea.KeyF1, "f2": tea.KeyF2, "f3": tea.KeyF3, "f4": tea.KeyF4, "f5": tea.KeyF5, "f6": tea.KeyF6,
	"f7": tea.KeyF7, "f8": tea.KeyF8, "f9": tea.KeyF9, "f10": tea.KeyF10, "f11": tea.KeyF11, "f12": tea.KeyF12,
}

// errSettle is returned when commands keep producing commands.
var errSettle = errors.New("commands never settle")

// Run executes cmd and everything it leads to. Spinner ticks and cursor
// blinks only animate and are dropped.
func (d *Driver) Run(cmd tea.Cmd) error {
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 100000 {
			return errSettle
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg, err := d.call(c)
		if err != nil {
			return err
		}
		switch m := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, m...)
		case spinner.TickMsg:
		case tea.QuitMsg:
			d.quit = true
		default:
			if d.hold != nil && d.hold(msg) {
				d.held = append(d.held, msg)
				continue
			}
			if name := strings.ToLower(fmt.Sprintf("%T", msg)); strings.Contains(name, "blink") || strings.Contains(name, "cursor") {
				continue
			}
			_, next := d.app.Update(msg)
			queue = append(queue, next)
		}
	}
	return nil
}

func (d *Driver) call(c tea.Cmd) (tea.Msg, error) {
	ch := make(chan tea.Msg, 1)
	go func() { ch <- c() }()
	select {
	case m := <-ch:
		return m, nil
	case <-time.After(d.Timeout):
		return nil, fmt.Errorf("a command blocked for %s", d.Timeout)
	}
}
