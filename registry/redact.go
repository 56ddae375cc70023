package registry

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
)

// redactingHandler keeps secrets out of debug logs: attributes whose key
// names a credential are replaced, and so is any value containing one of
// the secrets it was told about.
type redactingHandler struct {
	next    slog.Handler
	secrets []string
}

// NewRedactingHandler wraps next so no credential reaches it. secrets are
// values (such as a password read from stdin) to blank wherever they appear.
func NewRedactingHandler(next slog.Handler, secrets ...string) slog.Handler {
	var s []string
	for _, v := range secrets {
		if v != "" {
			s = append(s, v)
		}
	}
	return &redactingHandler{next: next, secrets: s}
}

func (h *redactingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *redactingHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, h.scrub(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out) //nolint:wrapcheck // a log handler passes errors through
}

func (h *redactingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = h.attr(a)
	}
	return &redactingHandler{next: h.next.WithAttrs(clean), secrets: h.secrets}
}

func (h *redactingHandler) WithGroup(name string) slog.Handler {
	return &redactingHandler{next: h.next.WithGroup(name), secrets: h.secrets}
}

func (h *redactingHandler) attr(a slog.Attr) slog.Attr {
	if sensitiveKey(a.Key) {
		return slog.String(a.Key, "[redacted]")
	}
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindGroup:
		g := v.Group()
		clean := make([]any, len(g))
		for i, ga := range g {
			clean[i] = h.attr(ga)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindString:
		return slog.String(a.Key, h.scrub(v.String()))
	default:
		return slog.String(a.Key, h.scrub(v.String()))
	}
}

// headerSecret matches credentials inside logged header maps and URLs.
var headerSecret = regexp.MustCompile(`(?i)((?:authorization|proxy-authorization|cookie|set-cookie)[:=]\s*\[?)[^\]\n]*`)

func (h *redactingHandler) scrub(s string) string {
	s = headerSecret.ReplaceAllString(s, "${1}[redacted]")
	for _, sec := range h.secrets {
		s = strings.ReplaceAll(s, sec, "[redacted]")
	}
	return s
}

func sensitiveKey(k string) bool {
	k = strings.ToLower(k)
	for _, w := range []string{"pass", "token", "authorization", "secret", "cred", "auth", "cookie"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}
