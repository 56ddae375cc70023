package main

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
)

// TestNoBcryptAtStartup guards the patched olareg (third_party/olareg): v0.2.2
// hashes a password with bcrypt while its config package initialises, ~60 ms
// of every start-up. The hash allocates ~4 KB of cipher state, so the init
// trace of the config package tells whether it ran.
func TestNoBcryptAtStartup(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	m := regexp.MustCompile(`init github.com/olareg/olareg/config @\S+ ms, \S+ ms clock, (\d+) bytes`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no init trace for olareg/config:\n%s", out)
	}
	if n, _ := strconv.Atoi(string(m[1])); n > 1024 {
		t.Errorf("olareg/config allocates %d bytes at init: is the replace line for third_party/olareg gone from go.mod?", n)
	}
}
