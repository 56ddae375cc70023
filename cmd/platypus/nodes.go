package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/platypus-tui/platypus/model"
)

// maxNodesDoc bounds a --nodes document: kubectl's JSON for 5,000 nodes,
// images lists and managed fields included, is well under it.
const maxNodesDoc = 512 << 20

// readNodes reads `kubectl get nodes -o json` from path ("-": standard
// input) into a fleet of node groups, judged by containerd's rules. A
// malformed document is a usage error (exit 2) naming the node and field.
func (o *rootOptions) readNodes(path string) (model.Fleet, error) {
	var r io.Reader
	name := path
	if path == "-" {
		if o.passwordStdin {
			return nil, usagef("--nodes - and --password-stdin both read standard input: give --nodes a file")
		}
		r, name = o.stdin, "standard input"
	} else {
		f, err := openInput("--nodes", path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	lr := &io.LimitedReader{R: r, N: maxNodesDoc + 1}
	nodes, err := model.ParseNodes(lr)
	if lr.N <= 0 {
		return nil, usagef("--nodes %s: over %d MiB: not the output of kubectl get nodes -o json", name, maxNodesDoc>>20)
	}
	if err != nil {
		if errors.Is(err, model.ErrNodes) {
			return nil, usagef("--nodes %s: %s", name, err.Error())
		}
		return nil, fmt.Errorf("--nodes %s: %w", name, err)
	}
	o.nodeNotes(nodes)
	return model.NodeFleet(nodes), nil
}

// nodeNotes says on standard error where a node's fields disagree, and
// which nodes run a runtime other than containerd (judged by containerd's
// rules all the same).
func (o *rootOptions) nodeNotes(nodes []model.Node) {
	others := map[string][]string{}
	for _, n := range nodes {
		for _, note := range n.Notes {
			fmt.Fprintf(o.stderr, "note: node %s: %s\n", model.Clean(n.Name), model.Clean(note))
		}
		rt, _, _ := strings.Cut(n.Runtime, "://")
		if rt != "containerd" {
			others[rt] = append(others[rt], n.Name)
		}
	}
	runtimes := make([]string, 0, len(others))
	for rt := range others {
		runtimes = append(runtimes, rt)
	}
	sort.Strings(runtimes)
	for _, rt := range runtimes {
		names := others[rt]
		what := "an unknown runtime"
		if rt != "" {
			what = rt
		}
		fmt.Fprintf(o.stderr, "note: %d node(s) run %s, not containerd (%s…): judged by containerd's rules all the same\n", len(names), model.Clean(what), model.Clean(names[0]))
	}
}

// openInput opens a file the user named for a flag. A FIFO is fine
// (--nodes <(kubectl get nodes -o json)): the user named it; a directory
// is not. The caller bounds what it reads.
func openInput(flag, path string) (*os.File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, usagef("%s: %s", flag, err.Error())
	}
	if fi.IsDir() {
		return nil, usagef("%s %s is a directory", flag, path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, usagef("%s: %s", flag, err.Error())
	}
	return f, nil
}
