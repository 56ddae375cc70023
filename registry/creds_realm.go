package registry

import (
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Over plain HTTP a login goes only to the host:port it is stored for. A
// token realm anywhere else (another port of the same host included: a
// different server, perhaps another user's) gets an anonymous request;
// over HTTPS a realm is trusted as Docker trusts it. regclient sends the
// registry's login to whatever realm the registry names, and its token
// requests carry no context, so the transport tells whose login a request
// carries by the login itself.

// setLogin notes the login stored for host (host:port, exactly).
func (t *transport) setLogin(host string, l login) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.logins[host] = login{user: l.user, pass: l.pass, token: l.token}
}

// ownerOf is a host whose stored login l is, or "".
func (t *transport) ownerOf(l login) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	for h, s := range t.logins {
		if l.same(s) {
			return h
		}
	}
	return ""
}

// storedFor tells whether l is the login stored for host.
func (t *transport) storedFor(host string, l login) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, ok := t.logins[host]
	return ok && l.same(s)
}

func (l login) same(o login) bool {
	if l.token != "" {
		return l.token == o.token
	}
	return l.user != "" && l.user == o.user && l.pass == o.pass
}

// withhold notes that owner's login was not sent to realm, for the message
// if the registry then refuses.
func (t *transport) withhold(owner string, realm *url.URL) {
	if owner == "" {
		return
	}
	u := *realm
	u.RawQuery, u.User = "", nil
	t.mu.Lock()
	defer t.mu.Unlock()
	t.withheld[owner] = u.String()
}

// withheldFrom is the realm host's login was kept from, or "".
func (t *transport) withheldFrom(host string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.withheld[host]
}

// maxTokenForm bounds the token request body read to see what it carries.
const maxTokenForm = 64 << 10

// plainLogin keeps a plain-HTTP request from carrying a login to a host it
// is not stored for: a Basic header or a bearer token is removed, and a
// token POST carrying a password or an identity token is answered 401
// here, so regclient falls back to an anonymous GET.
func (t *transport) plainLogin(req *http.Request) (*http.Request, *http.Response) {
	if req.URL.Scheme != "http" {
		return req, nil
	}
	host := req.URL.Host
	if req.Header.Get("Authorization") != "" {
		keep := false
		owner := ""
		if u, p, ok := req.BasicAuth(); ok {
			l := login{user: u, pass: p}
			keep, owner = t.storedFor(host, l), t.ownerOf(l)
		} else {
			// A bearer token goes back only to the registry that asked for it.
			keep = t.isRegistry(host)
		}
		if !keep {
			t.o.logger.Debug("not sending a login over plain HTTP to a host it is not stored for", "host", host)
			t.withhold(owner, req.URL)
			req = req.Clone(req.Context())
			req.Header.Del("Authorization")
		}
	}
	if req.Method == http.MethodPost && req.GetBody != nil && strings.HasPrefix(req.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		l, ok := tokenFormLogin(req)
		if !ok {
			return req, nil
		}
		owner := t.ownerOf(l)
		// A refresh token no registry's login holds was issued by this
		// realm: sending it back gives away nothing.
		if (l.token != "" && owner == "") || t.storedFor(host, l) {
			return req, nil
		}
		t.o.logger.Debug("not posting a login over plain HTTP to a host it is not stored for", "host", host)
		t.withhold(owner, req.URL)
		return nil, &http.Response{
			Status: "401 Unauthorized", StatusCode: http.StatusUnauthorized,
			Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{}, Body: http.NoBody, Request: req,
		}
	}
	return req, nil
}

// tokenFormLogin is the login an OAuth2 token request's form carries.
func tokenFormLogin(req *http.Request) (login, bool) {
	body, err := req.GetBody()
	if err != nil {
		return login{}, false
	}
	defer body.Close()
	b, err := io.ReadAll(io.LimitReader(body, maxTokenForm))
	if err != nil {
		return login{}, false
	}
	form, err := url.ParseQuery(string(b))
	if err != nil {
		return login{}, false
	}
	switch form.Get("grant_type") {
	case "password":
		return login{user: form.Get("username"), pass: form.Get("password")}, form.Get("password") != ""
	case "refresh_token":
		return login{token: form.Get("refresh_token")}, form.Get("refresh_token") != ""
	}
	return login{}, false
}
