package main

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry"
)

// wouldCopyOf is what a dry run found missing, as the document gives it.
func wouldCopyOf(needs []registry.Needed, from string) []output.WouldCopy {
	out := make([]output.WouldCopy, 0, len(needs))
	for _, n := range needs {
		out = append(out, output.WouldCopy{Digest: n.Digest, From: from, Kind: n.Kind, MediaType: n.MediaType, Size: n.Size, Referrer: n.Referrer})
	}
	return out
}

// sameRegistry tells a copy within one registry, whose blobs regclient
// mounts from the source repository rather than sends.
func sameRegistry(src, dst string) bool {
	a, errA := model.ParseReference(src)
	b, errB := model.ParseReference(dst)
	return errA == nil && errB == nil && !a.IsOCIDir() && !b.IsOCIDir() && a.Registry == b.Registry
}

// printWouldCopy lists what a dry run would copy, one line each (kind,
// digest, size, media type; the registry's strings escaped), under a line
// that counts them by kind with their total size; tag tells whether the
// tag would still be written.
func printWouldCopy(w io.Writer, items []output.WouldCopy, mount, tag bool) {
	switch {
	case len(items) == 0 && tag:
		fmt.Fprintln(w, "the target has everything: nothing to copy but the tag")
		return
	case len(items) == 0:
		fmt.Fprintln(w, "the target has everything: nothing to copy")
		return
	}
	counts := map[string]int{}
	var total, blobs int64
	for _, it := range items {
		counts[it.Kind]++
		total = addSize(total, it.Size)
		if it.Kind == "config" || it.Kind == "layer" {
			blobs = addSize(blobs, it.Size)
		}
	}
	var parts []string
	for _, k := range []string{"index", "manifest", "config", "layer"} {
		switch n := counts[k]; {
		case n == 0:
		case k == "index" && n > 1:
			parts = append(parts, model.Thousands(n)+" indexes")
		default:
			parts = append(parts, model.Count(n, k))
		}
	}
	fmt.Fprintf(w, "would copy %s: %s in all\n", joinAnd(parts), model.HumanSize(total))
	if mount && blobs > 0 {
		fmt.Fprintf(w, "within one registry the blobs (%s) are mounted, not sent, where it allows\n", model.HumanSize(blobs))
	}
	for _, it := range items {
		ref := ""
		if it.Referrer {
			ref = "  (referrer)"
		}
		fmt.Fprintf(w, "  %-8s  %s  %9s  %s%s\n", it.Kind, model.Clean(it.Digest), model.HumanSize(it.Size), model.Clean(it.MediaType), ref)
	}
}

// addSize adds sizes a registry claims, stopping at the largest rather
// than wrapping to a negative total.
func addSize(a, b int64) int64 {
	if b > math.MaxInt64-a {
		return math.MaxInt64
	}
	return a + b
}

// joinAnd joins "a", "b" and "c" as "a, b and c".
func joinAnd(parts []string) string {
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
