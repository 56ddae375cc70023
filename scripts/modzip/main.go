// Command modzip lays out this checkout's HEAD as a Go module proxy
// serves a tagged version: DIR/MODULE/@v/VERSION.{zip,mod,info} and list.
// CI points a file:// GOPROXY at DIR to prove that `go install
// MODULE/cmd/platypus@VERSION` works as users run it, with no network.
//
//	go run ./scripts/modzip -version v0.0.0-ci DIR
package main

import (
	"archive/zip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

func main() {
	version := flag.String("version", "v0.0.0-ci", "the `VERSION` to publish HEAD as")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: modzip [-version VERSION] DIR")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *version); err != nil {
		fmt.Fprintln(os.Stderr, "modzip:", err)
		os.Exit(1)
	}
}

func run(dir, version string) error {
	gomod, err := git("show", "HEAD:go.mod")
	if err != nil {
		return err
	}
	path := modfile.ModulePath([]byte(gomod))
	m := module.Version{Path: path, Version: version}
	if err := module.Check(path, version); err != nil {
		return fmt.Errorf("module %s@%s: %w", path, version, err)
	}
	escaped, err := module.EscapePath(path)
	if err != nil {
		return fmt.Errorf("module %s: %w", path, err)
	}
	out := filepath.Join(dir, filepath.FromSlash(escaped), "@v")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("proxy directory: %w", err)
	}
	zipPath := filepath.Join(out, version+".zip")
	f, err := os.Create(zipPath)
	if err != nil {
		return fmt.Errorf("module zip: %w", err)
	}
	// From git archive, as the go command makes the zip of a tag:
	// committed files only, nested modules and vendor rules applied
	// (modzip.CreateFromVCS does the same but refuses a git worktree).
	files, err := committedFiles()
	if err != nil {
		_ = f.Close()
		return err
	}
	if err := modzip.Create(f, m, files); err != nil {
		_ = f.Close()
		return fmt.Errorf("module zip: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("module zip: %w", err)
	}
	checked, err := modzip.CheckZip(m, zipPath)
	if err != nil {
		return fmt.Errorf("checking the module zip: %w", err)
	}
	if err := checked.Err(); err != nil {
		return fmt.Errorf("checking the module zip: %w", err)
	}
	mod, err := fileInZip(zipPath, path+"@"+version+"/go.mod")
	if err != nil {
		return err
	}
	when, err := git("log", "-1", "--format=%cI", "HEAD")
	if err != nil {
		return err
	}
	info, _ := json.Marshal(map[string]string{"Version": version, "Time": strings.TrimSpace(when)})
	for name, data := range map[string][]byte{version + ".mod": mod, version + ".info": info, "list": []byte(version + "\n")} {
		if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
			return fmt.Errorf("proxy directory: %w", err)
		}
	}
	fmt.Printf("%s@%s: %d files, %d omitted\n", path, version, len(checked.Valid), len(checked.Omitted))
	return nil
}

// committedFiles lists HEAD's files as git archive writes them, with
// the line-ending settings the go command uses.
func committedFiles() ([]modzip.File, error) {
	archive, err := git("-c", "core.autocrlf=input", "-c", "core.eol=lf", "archive", "--format=zip", "HEAD")
	if err != nil {
		return nil, err
	}
	r, err := zip.NewReader(strings.NewReader(archive), int64(len(archive)))
	if err != nil {
		return nil, fmt.Errorf("git archive: %w", err)
	}
	var files []modzip.File
	for _, zf := range r.File {
		if !strings.HasSuffix(zf.Name, "/") {
			files = append(files, zipEntry{zf})
		}
	}
	return files, nil
}

type zipEntry struct{ f *zip.File }

func (e zipEntry) Path() string                { return e.f.Name }
func (e zipEntry) Lstat() (os.FileInfo, error) { return e.f.FileInfo(), nil }
func (e zipEntry) Open() (io.ReadCloser, error) {
	rc, err := e.f.Open()
	if err != nil {
		return nil, fmt.Errorf("git archive %s: %w", e.f.Name, err)
	}
	return rc, nil
}

func fileInZip(zipPath, name string) ([]byte, error) {
	r, err := zip.OpenReader(zipPath)
	if err != nil {
		return nil, fmt.Errorf("module zip: %w", err)
	}
	defer func() { _ = r.Close() }()
	f, err := r.Open(name)
	if err != nil {
		return nil, fmt.Errorf("module zip: %w", err)
	}
	defer func() { _ = f.Close() }()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("module zip %s: %w", name, err)
	}
	return b, nil
}

func git(args ...string) (string, error) {
	out, err := exec.Command("git", args...).Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
	}
	return string(out), nil
}
