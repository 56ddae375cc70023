package registry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"

	"github.com/regclient/regclient/types/errs"

	"github.com/platypus-tui/platypus/model"
)

// Sentinels for what went wrong, checked with errors.Is. Each *Error wraps
// exactly one of them.
var (
	ErrNotFound     = errors.New("not found")
	ErrUnauthorized = errors.New("unauthorized")
	ErrUnreachable  = errors.New("unreachable")
	ErrTLS          = errors.New("TLS failure")
	ErrRateLimited  = errors.New("rate limited")
	ErrInvalid      = errors.New("invalid content")
	ErrNoCatalog    = errors.New("no catalog")
	ErrCanceled     = errors.New("canceled")
	ErrServer       = errors.New("registry error")
	ErrUnsupported  = errors.New("unsupported")
)

// Sentinels for what platypus itself refused or cut short, checked with
// errors.Is.
var (
	// ErrDemoJournal is returned for a demo change when the demo is not on.
	ErrDemoJournal = errors.New("a change of the demo registry")

	// ErrTruncated is returned, with what arrived, when a list was cut at a
	// limit: more pages, or more names, than platypus follows.
	ErrTruncated = errors.New("list truncated")

	// ErrStalled is returned when a registry stops sending mid-response.
	ErrStalled = errors.New("the registry stopped sending")

	// ErrBudget is returned when a scan would spend too much of a pull quota.
	ErrBudget = errors.New("over the pull budget")

	// ErrCannotDelete is returned when a tag cannot be deleted safely: the
	// registry deletes neither tags nor manifests, or deleting the manifest by
	// digest would take more than the tag with it.
	ErrCannotDelete = errors.New("the tag cannot be deleted")

	// ErrMoved is returned when a tag no longer holds what a change was based
	// on: someone else wrote it in between.
	ErrMoved = errors.New("the tag moved")

	// ErrNothingToUndo is returned when the journal holds no change to take back.
	ErrNothingToUndo = errors.New("nothing to undo")

	// ErrJournalDamaged is returned when undo will not trust a damaged journal.
	ErrJournalDamaged = errors.New("the journal is damaged")
)

// Error is a failed registry operation: what was asked of which target,
// which sentinel applies, and the underlying cause. Error() is one line that
// names the host and says what to do when there is something to do.
type Error struct {
	Op     string // "get manifest", "list tags" …
	Target string // host, host/repo or full reference
	Host   string
	Kind   error
	Err    error
	Status int // the HTTP status behind a server error, when known
	// Login is why no login was found for Host, when a helper failed.
	Login error
	// Withheld is the token realm Host's login was not sent to (plain
	// HTTP to another host:port), when one was.
	Withheld string
}

func (e *Error) Error() string {
	cause := ""
	if e.Err != nil {
		cause = model.Clean(e.Err.Error())
	}
	switch {
	case errors.Is(e.Kind, ErrUnauthorized):
		if e.Login != nil {
			return fmt.Sprintf("unauthorized for %s: no login was sent, because %s", e.Target, model.Clean(e.Login.Error()))
		}
		if e.Withheld != "" {
			return fmt.Sprintf("unauthorized for %s: your login for %s was not sent to its token service %s, which is plain HTTP on another host:port, and without it access was refused (a login goes in clear only to the host:port it is stored for: the token service must use HTTPS)",
				e.Target, e.Host, model.Clean(e.Withheld))
		}
		return fmt.Sprintf("unauthorized for %s: log in with `%s` (or check the credentials for it)", e.Target, loginCommand(e.Host))
	case errors.Is(e.Kind, ErrNotFound):
		return fmt.Sprintf("%s: %s not found", e.Op, e.Target)
	case errors.Is(e.Kind, ErrUnreachable):
		switch {
		case errors.Is(e.Err, io.ErrUnexpectedEOF), errors.Is(e.Err, io.EOF):
			return fmt.Sprintf("%s %s: the connection to %s broke mid-response (truncated)", e.Op, e.Target, e.Host)
		case errors.Is(e.Err, syscall.ECONNRESET):
			return fmt.Sprintf("%s %s: connection reset by %s", e.Op, e.Target, e.Host)
		case strings.Contains(cause, "timeout awaiting response headers"):
			return fmt.Sprintf("%s %s: %s did not start answering in time (limits.headerTimeout)", e.Op, e.Target, e.Host)
		case errors.Is(e.Err, ErrStalled):
			return fmt.Sprintf("%s %s: %s stopped sending mid-response (less than 1 KiB in %s; see limits.idleTimeout)", e.Op, e.Target, e.Host, stalledFor(e.Err))
		case errors.Is(e.Err, context.DeadlineExceeded):
			return fmt.Sprintf("%s %s: %s did not answer in time", e.Op, e.Target, e.Host)
		}
		return fmt.Sprintf("%s: cannot reach %s: %s", e.Op, e.Host, shortCause(cause))
	case errors.Is(e.Kind, ErrServer):
		if code := e.statusCode(cause); code != 0 {
			return fmt.Sprintf("%s %s: %s answered HTTP %d %s; try again later", e.Op, e.Target, e.Host, code, http.StatusText(code))
		}
	case errors.Is(e.Kind, ErrInvalid):
		return fmt.Sprintf("%s %s: invalid content from %s: %s", e.Op, e.Target, e.Host, shortCause(innermost(cause)))
	case errors.Is(e.Kind, ErrTLS):
		return fmt.Sprintf("%s: TLS with %s failed: %s", e.Op, e.Host, tlsHint(e.Host, cause))
	case errors.Is(e.Kind, ErrRateLimited):
		return fmt.Sprintf("%s %s: rate limited by %s (HTTP 429) after retries; wait and try again", e.Op, e.Target, e.Host)
	case errors.Is(e.Kind, ErrNoCatalog):
		return fmt.Sprintf("%s does not list its repositories (no catalog API): type a repository name instead", e.Host)
	case errors.Is(e.Kind, ErrCanceled):
		return fmt.Sprintf("%s %s: canceled", e.Op, e.Target)
	}
	return fmt.Sprintf("%s %s: %s", e.Op, e.Target, shortCause(cause))
}

// stalledFor pulls the idle time out of an ErrStalled message.
func stalledFor(err error) string {
	_, after, _ := strings.Cut(err.Error(), "less than 1 KiB in ")
	if f := strings.Fields(after); len(f) > 0 {
		return strings.TrimRight(f[0], ":;,)")
	}
	return "the idle timeout"
}

// Short is the message without the operation and target, for a place that
// already shows which reference failed (a row of a table).
func (e *Error) Short() string {
	switch {
	case errors.Is(e.Kind, ErrNotFound):
		return "not found in " + e.Host
	case errors.Is(e.Kind, ErrUnauthorized) && e.Withheld != "":
		return "unauthorized: your login was not sent to the plain-HTTP token service " + model.Clean(e.Withheld)
	case errors.Is(e.Kind, ErrUnauthorized):
		return "unauthorized: log in with `" + loginCommand(e.Host) + "`"
	}
	msg := e.Error()
	for _, prefix := range []string{e.Op + " " + e.Target + ": ", e.Op + ": "} {
		if rest, ok := strings.CutPrefix(msg, prefix); ok {
			return rest
		}
	}
	return msg
}

// ShortError returns err's Short form when it is an *Error.
func ShortError(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Short()
	}
	return err.Error()
}

func (e *Error) statusCode(cause string) int {
	if e.Status != 0 {
		return e.Status
	}
	if i := strings.Index(cause, "[http "); i >= 0 {
		var code int
		if _, err := fmt.Sscanf(cause[i:], "[http %d]", &code); err == nil {
			return code
		}
	}
	return 0
}

// innermost drops the "doing X: doing Y:" prefixes regclient stacks up.
func innermost(s string) string {
	for _, marker := range []string{"digest mismatch", "manifest too large", "is over the", "not valid JSON", "malformed", "unsupported media type", "invalid character", "unexpected end of JSON"} {
		if i := strings.Index(s, marker); i >= 0 {
			if j := strings.LastIndex(s[:i], ": "); j >= 0 {
				return s[j+2:]
			}
			return s[i:]
		}
	}
	return s
}

// Unwrap exposes both the sentinel and the cause to errors.Is and errors.As.
func (e *Error) Unwrap() []error { return []error{e.Kind, e.Err} }

func loginCommand(h string) string {
	if h == model.DockerHub {
		return "docker login"
	}
	return "docker login " + h
}

func tlsHint(host, cause string) string {
	switch {
	case strings.Contains(cause, "HTTP response to HTTPS client"), strings.Contains(cause, "does not look like a TLS handshake"):
		return fmt.Sprintf("the server speaks plain HTTP; if you trust the network, pass --insecure-host %s", host)
	case strings.Contains(cause, "certificate"):
		return fmt.Sprintf("%s (trust its CA with --ca-file FILE, in /etc/docker/certs.d/%s/ or SSL_CERT_FILE; or skip verification with --insecure-host %s)", shortCause(cause), host, host)
	}
	return shortCause(cause)
}

// shortCause keeps the end of a long wrapped error, which is where Go puts
// the root cause, and one line of it.
func shortCause(s string) string {
	if i := strings.LastIndex(s, ": dial "); i >= 0 {
		s = s[i+2:]
	}
	if len(s) > 240 {
		s = "…" + s[len(s)-240:]
	}
	return s
}

// wrap classifies err from an operation on target (see remote.wrap).
func (c *Client) wrap(op string, r model.Reference, target string, err error) error {
	return c.remote.wrap(op, r, target, err)
}

// wrap classifies err from an operation on target. regclient reports
// exhausted retries without the status that caused them, so the last status
// the transport saw from the host decides between rate limiting and a
// server error.
func (s *remote) wrap(op string, r model.Reference, target string, err error) error {
	if err == nil {
		return nil
	}
	var pe *Error
	if errors.As(err, &pe) {
		return err
	}
	if target == "" {
		target = r.String()
	}
	kind := classify(err)
	if errors.Is(kind, ErrTLS) && r.Registry != "" {
		// TLS was guessed because resets kept the probe from deciding:
		// the resets are the cause, and no TLS setting would help.
		if perr := s.probeFailure(r.Registry); perr != nil {
			kind, err = ErrUnreachable, perr
		}
	}
	e := &Error{Op: op, Target: target, Host: r.Host(), Kind: kind, Err: err}
	if errors.Is(kind, ErrUnauthorized) && r.Registry != "" {
		e.Login = s.loginError(r.Registry)
		e.Withheld = s.transport.withheldFrom(r.Registry)
	}
	if errors.Is(err, errs.ErrRetryLimitExceeded) || errors.Is(err, errs.ErrBackoffLimit) || errors.Is(kind, ErrServer) {
		if code := s.transport.lastStatus(r.Registry); code != 0 {
			e.Status = code
			switch {
			case code == 429:
				e.Kind = ErrRateLimited
			case code >= 500:
				e.Kind = ErrServer
			}
		}
	}
	return e
}

func classify(err error) error {
	var (
		dnsErr  *net.DNSError
		opErr   *net.OpError
		uaErr   x509.UnknownAuthorityError
		hostErr x509.HostnameError
		certErr x509.CertificateInvalidError
		recErr  tls.RecordHeaderError
		verErr  *tls.CertificateVerificationError
	)
	msg := err.Error()
	var synErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.Is(err, ErrTruncated):
		return ErrTruncated
	case errors.Is(err, ErrStalled), strings.Contains(msg, "timeout awaiting response headers"):
		return ErrUnreachable
	case errors.Is(err, context.Canceled), errors.Is(err, errs.ErrCanceled):
		return ErrCanceled
	case errors.Is(err, model.ErrMalformed), errors.Is(err, errs.ErrDigestMismatch), errors.Is(err, errs.ErrSizeLimitExceeded),
		errors.Is(err, errs.ErrShortRead), errors.Is(err, errs.ErrParsingFailed), errors.Is(err, ErrInvalid),
		errors.Is(err, errs.ErrUnsupportedMediaType), errors.As(err, &synErr), errors.As(err, &typeErr), strings.Contains(msg, "unmarshal"):
		return ErrInvalid
	case errors.Is(err, errs.ErrHTTPUnauthorized), errors.Is(err, ErrUnauthorized):
		return ErrUnauthorized
	case errors.Is(err, errs.ErrHTTPRateLimit), errors.Is(err, ErrRateLimited):
		return ErrRateLimited
	case errors.Is(err, errs.ErrNotFound), errors.Is(err, ErrNotFound), errors.Is(err, errs.ErrFileNotFound):
		return ErrNotFound
	case errors.As(err, &uaErr), errors.As(err, &hostErr), errors.As(err, &certErr), errors.As(err, &recErr), errors.As(err, &verErr),
		strings.Contains(msg, "HTTP response to HTTPS client"), strings.Contains(msg, "tls: "):
		return ErrTLS
	case errors.As(err, &dnsErr), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, context.DeadlineExceeded), errors.As(err, &opErr), errors.Is(err, errs.ErrAllRequestsFailed):
		return ErrUnreachable
	case errors.Is(err, errs.ErrUnsupportedAPI), errors.Is(err, errs.ErrUnsupported), errors.Is(err, errs.ErrNotImplemented):
		return ErrUnsupported
	case errors.Is(err, errs.ErrHTTPStatus):
		return ErrServer
	}
	return ErrServer
}
