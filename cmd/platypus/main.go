// Command platypus explores and builds multi-platform container image
// indexes: a terminal UI, and headless commands for scripts.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/platypus-tui/platypus/model"
)

// Exit codes, part of the CLI's contract.
const (
	exitOK      = 0
	exitFailure = 1 // operational error: not found, unauthorized, unreachable …
	exitUsage   = 2 // the command line was wrong
	exitNoMatch = 3 // --fail-on-no-match and the target cannot pull the reference
)

func main() {
	call, handled := pluginArgs(os.Args[0], os.Args[1:], os.Getenv, os.Stdout)
	if handled {
		os.Exit(exitOK)
	}
	if call.dockerConfig != "" {
		// docker --config DIR: where regclient and platypus look for
		// credentials.
		_ = os.Setenv("DOCKER_CONFIG", call.dockerConfig)
	}
	tuneGC()
	ctx, stop := interruptible()
	code := runCall(ctx, call, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// interruptible is a context cancelled by the first Ctrl-C, SIGTERM or
// SIGHUP (the terminal closed), so every request, helper and write stops
// cleanly and temporary directories are removed; a second one exits at
// once, whatever is still running, after the atForcedExit cleanups.
func interruptible() (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, stopSignals()...)
	go func() {
		<-sigs
		cancel()
		<-sigs
		fmt.Fprintln(os.Stderr, "platypus: interrupted twice: stopping now")
		forcedExitCleanups()
		os.Exit(130)
	}()
	return ctx, func() { signal.Stop(sigs); cancel() }
}

// stopSignals are those that stop platypus cleanly. SIGHUP killed it
// outright, leaving the demo's directory behind; it is not caught when
// ignored (nohup), as Notify would stop ignoring it.
func stopSignals() []os.Signal {
	sigs := []os.Signal{os.Interrupt, syscall.SIGTERM}
	if !signal.Ignored(syscall.SIGHUP) {
		sigs = append(sigs, syscall.SIGHUP)
	}
	return sigs
}

// run executes one command line and returns the exit code; tests call it
// with buffers.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runCall(ctx, pluginCall{args: args}, stdin, stdout, stderr)
}

// runCall runs a command line; as a Docker CLI plugin, platypus is a
// subcommand of docker, so that help and errors say `docker platypus`.
func runCall(ctx context.Context, call pluginCall, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd, opts := newRootCmd(stdin, stdout, stderr)
	defer opts.close()
	top, args, name := cmd, call.args, "platypus"
	if call.plugin {
		top = &cobra.Command{Use: "docker", SilenceUsage: true, SilenceErrors: true}
		top.CompletionOptions.DisableDefaultCmd = true
		top.AddCommand(cmd)
		args, name = append([]string{cmd.Name()}, args...), "docker platypus"
	}
	top.SetArgs(args)
	err := top.ExecuteContext(ctx)
	return reportAs(err, stderr, name)
}

// multiLine marks an error whose every line is worth printing (a YAML
// error with its caret); others are cut to their first line.
type multiLine struct{ err error }

func (m multiLine) Error() string { return m.err.Error() }
func (m multiLine) Unwrap() error { return m.err }

// usageError marks a mistake in the command line (exit 2).
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// noMatchError is --fail-on-no-match's verdict (exit 3).
type noMatchError struct{ msg string }

func (n noMatchError) Error() string { return n.msg }

// report prints err once, on one line, and maps it to an exit code.
func report(err error, stderr io.Writer) int { return reportAs(err, stderr, "platypus") }

// reportAs is report, with name the way the user called platypus (for the
// usage hint: docker platypus as a plugin).
func reportAs(err error, stderr io.Writer, name string) int {
	if err == nil {
		return exitOK
	}
	var ue usageError
	var nm noMatchError
	var ec interface{ ExitCode() int } // a verdict with its own code (check: 4)
	switch {
	case errors.As(err, &ue):
		msg := oneLine(err.Error())
		if errors.As(err, new(multiLine)) {
			msg = err.Error()
		}
		for i, l := range strings.Split(msg, "\n") {
			if i == 0 {
				fmt.Fprintf(stderr, "platypus: %s\n", model.Clean(l))
			} else {
				fmt.Fprintf(stderr, "%s\n", model.Clean(l))
			}
		}
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", name)
		return exitUsage
	case errors.As(err, &nm):
		fmt.Fprintf(stderr, "platypus: %s\n", model.Clean(oneLine(err.Error())))
		return exitNoMatch
	case errors.As(err, &ec):
		fmt.Fprintf(stderr, "platypus: %s\n", model.Clean(oneLine(err.Error())))
		return ec.ExitCode()
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "platypus: interrupted")
		return exitFailure
	}
	fmt.Fprintf(stderr, "platypus: %s\n", model.Clean(oneLine(err.Error())))
	return exitFailure
}

func oneLine(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' || s[i] == '\r' {
			return s[:i]
		}
	}
	return s
}
