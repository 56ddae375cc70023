package main

import (
	"strings"
	"testing"
)

// A mistyped command is a usage error naming the command meant, not a
// lookup of a Docker Hub image; real image names and references are not
// taken for typos.
func TestMistypedCommandSuggestsTheCommand(t *testing.T) {
	for _, c := range []struct{ args, want string }{
		{"tgas", `unknown command "tgas"; did you mean "platypus tags"? (the repository is library/tgas)`},
		{"inpsect library/centos:7", `unknown command "inpsect"; did you mean "platypus inspect"?`}, //nolint:misspell // the typo is the test
		{"dmeo serve", `unknown command "dmeo"; did you mean "platypus demo"?`},
		{"caat x /etc/os-release", `did you mean "platypus cat"?`},
		{"fiels x", `did you mean "platypus files"?`}, //nolint:misspell // the typo is the test
		{"foo bar", `unknown command "foo" for "platypus"`},
		{"mysql:5.7 x", "expected at most 1 argument(s), got 2"},
	} {
		_, stderr, code := cli(t, "", strings.Fields(c.args)...)
		if code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("platypus %s: exit %d, %q; want %q", c.args, code, stderr, c.want)
		}
	}
	// Images of Docker Hub's library, and references of any shape, are
	// not typos, even near a command (redis is two edits from repos).
	for _, word := range []string{"redis", "node", "nginx", "httpd", "caddy", "ghost", "rust", "php", "docker", "registry", "busybox", "alpine", "library/tgas", "tgas:1", "tgas@sha256:" + strings.Repeat("0", 64), "reg.example/tgas"} {
		root, _ := newRootCmd(strings.NewReader(""), nil, nil)
		root.InitDefaultHelpCmd()
		root.InitDefaultCompletionCmd()
		if err := rootArgs(root, []string{word}); err != nil {
			t.Errorf("%s: %v", word, err)
		}
	}
}
