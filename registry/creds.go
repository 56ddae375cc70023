package registry

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/regclient/regclient/config"

	"github.com/platypus-tui/platypus/model"
)

// Docker config credentials, read as Docker and regclient read them
// (~/.docker/config.json or $DOCKER_CONFIG, and $DOCKER_AUTH_CONFIG): an
// auth entry, a per-registry credential helper, or the credentials store.
// platypus runs the helpers itself so that they are bounded: a helper that
// hangs is killed, with its process group, when its time is up or the
// command is cancelled (regclient runs them without a context).

// helperTimeout bounds one run of a credential helper.
const helperTimeout = 30 * time.Second

// maxDockerConfig bounds the Docker config file.
const maxDockerConfig = 1 << 20

type dockerConfig struct {
	Auths map[string]struct {
		Auth          string `json:"auth"`
		Username      string `json:"username"`
		Password      string `json:"password"` // a login, read to be used
		IdentityToken string `json:"identitytoken"`
	} `json:"auths"`
	CredsStore  string            `json:"credsStore"`
	CredHelpers map[string]string `json:"credHelpers"`
}

// login is what the Docker config gives for one registry.
type login struct {
	user, pass, token string
	// helper names the helper asked, for messages.
	helper string
}

// dockerLogin finds host's login in the Docker config, running a helper
// if that is where it lives. No login is not an error.
func dockerLogin(ctx context.Context, host string) (login, error) {
	var configs []dockerConfig
	if b, err := readDockerConfig(); err != nil {
		return login{}, err
	} else if b != nil {
		var dc dockerConfig
		if err := json.Unmarshal(b, &dc); err != nil {
			return login{}, fmt.Errorf("the Docker config is not JSON: %w", err)
		}
		configs = append(configs, dc)
	}
	if env := os.Getenv("DOCKER_AUTH_CONFIG"); env != "" {
		var dc dockerConfig
		if err := json.Unmarshal([]byte(env), &dc); err == nil {
			configs = append(configs, dc)
		}
	}
	want := config.HostNewName(host)
	same := func(name string) bool {
		h := config.HostNewName(name)
		return h.Name == want.Name
	}
	for _, dc := range configs {
		for name, helper := range dc.CredHelpers {
			if same(name) {
				return runHelperGet(ctx, "docker-credential-"+helper, credHost(want))
			}
		}
		for name, a := range dc.Auths {
			if !same(name) {
				continue
			}
			l := login{user: a.Username, pass: a.Password, token: a.IdentityToken}
			if a.Auth != "" {
				raw, err := base64.StdEncoding.DecodeString(a.Auth)
				if err != nil {
					return login{}, fmt.Errorf("the Docker config's login for %s is not base64", name)
				}
				l.user, l.pass, _ = strings.Cut(string(raw), ":")
				l.pass = strings.Trim(l.pass, "\x00")
			}
			if l.user != "" || l.token != "" {
				return l, nil
			}
		}
		if dc.CredsStore != "" {
			l, err := runHelperGet(ctx, "docker-credential-"+dc.CredsStore, credHost(want))
			if errors.Is(err, errNoCredentials) {
				continue
			}
			return l, err
		}
	}
	return login{}, nil
}

// credHost is the name a helper knows a registry by (Docker Hub's is a URL).
func credHost(h *config.Host) string {
	if h.CredHost != "" {
		return h.CredHost
	}
	return h.Hostname
}

func readDockerConfig() ([]byte, error) {
	dir := os.Getenv("DOCKER_CONFIG")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, nil
		}
		dir = filepath.Join(home, ".docker")
	}
	path := filepath.Join(dir, "config.json")
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("the Docker config %s is not a regular file", path)
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("the Docker config: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("the Docker config %s is not a regular file", path)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxDockerConfig+1))
	if err != nil {
		return nil, fmt.Errorf("the Docker config: %w", err)
	}
	if len(b) > maxDockerConfig {
		return nil, fmt.Errorf("the Docker config %s is over %d bytes", path, maxDockerConfig)
	}
	return b, nil
}

// errNoCredentials is a helper's "nothing stored for this registry".
var errNoCredentials = errors.New("no credentials")

// runHelperGet asks a credential helper for host's login, bounded by
// helperTimeout and ctx; the helper and anything it started are killed
// when either ends.
func runHelperGet(ctx context.Context, prog, host string) (login, error) {
	ctx, cancel := context.WithTimeout(ctx, helperTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, prog, "get")
	cmd.Stdin = strings.NewReader(host)
	var stdout, stderr limitedBuffer
	stdout.limit, stderr.limit = 1<<20, 4<<10
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	killGroup(cmd)
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	said := model.Clean(strings.TrimSpace(firstLine(stderr.String() + " " + stdout.String())))
	switch {
	case ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded):
		return login{helper: prog}, fmt.Errorf("credential helper %s did not answer for %s in %s", prog, host, helperTimeout)
	case ctx.Err() != nil:
		return login{helper: prog}, fmt.Errorf("credential helper %s: %w", prog, ctx.Err())
	case err != nil && strings.Contains(strings.ToLower(said), "credentials not found"):
		return login{helper: prog}, errNoCredentials
	case err != nil && said == "":
		return login{helper: prog}, fmt.Errorf("credential helper %s failed for %s: %w", prog, host, err)
	case err != nil:
		return login{helper: prog}, fmt.Errorf("credential helper %s failed for %s: %s (%w)", prog, host, said, err)
	}
	var out struct{ Username, Secret string }
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return login{helper: prog}, fmt.Errorf("credential helper %s answered for %s with something that is not its JSON", prog, host)
	}
	if out.Username == "<token>" {
		return login{token: out.Secret, helper: prog}, nil
	}
	return login{user: out.Username, pass: out.Secret, helper: prog}, nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// limitedBuffer keeps the first limit bytes written to it.
type limitedBuffer struct {
	bytes.Buffer
	limit int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.limit - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
