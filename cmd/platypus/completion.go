package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/themes"
)

// Shell completion of values: --platform, --theme, and references (the
// recent ones, and the tags of the repository typed so far).
const (
	// completionTags bounds the tags asked for (one page), completionWait
	// how long a completion may wait for the registry.
	completionTags = 1000
	completionWait = 3 * time.Second
	// completionTTL is how long a repository's tags are kept for completion.
	completionTTL = 10 * time.Minute
)

// commonPlatforms are the platforms multi-platform images mostly offer,
// as --platform spells them.
var commonPlatforms = []string{
	"linux/amd64", "linux/arm64/v8", "linux/arm/v7", "linux/arm/v6", "linux/386",
	"linux/ppc64le", "linux/s390x", "linux/riscv64", "windows/amd64",
}

// refArgs says which positional arguments of each command are references
// (by command name; the root's own is the explorer's REF).
var refArgs = map[string][]int{
	"platypus": {0}, "inspect": {0}, "files": {0}, "cat": {0}, "diff": {0, 1},
	"copy": {0, 1}, "compose": {0}, "tags": {0}, "scan": {0}, "undo": {0},
}

// registerCompletions adds the value completions to root and its commands.
func (o *rootOptions) registerCompletions(root *cobra.Command) {
	_ = root.RegisterFlagCompletionFunc("platform", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		host := model.HostTarget().Platform.String()
		return append([]string{host}, slices.DeleteFunc(slices.Clone(commonPlatforms), func(p string) bool { return p == host })...), cobra.ShellCompDirectiveNoFileComp
	})
	_ = root.RegisterFlagCompletionFunc("theme", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return themes.Names(), cobra.ShellCompDirectiveNoFileComp
	})
	visit(root, func(c *cobra.Command) {
		name := c.Name()
		if c == root {
			name = "platypus"
		}
		positions, ok := refArgs[name]
		if !ok || c.ValidArgsFunction != nil {
			return
		}
		c.ValidArgsFunction = func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			if !slices.Contains(positions, len(args)) {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return o.completeRef(cmd.Context(), toComplete), cobra.ShellCompDirectiveNoFileComp
		}
	})
}

func visit(c *cobra.Command, f func(*cobra.Command)) {
	f(c)
	for _, sub := range c.Commands() {
		visit(sub, f)
	}
}

// completeRef offers, for what is typed so far, the recent references it
// begins, and after "REPO:" the tags of REPO that it begins.
func (o *rootOptions) completeRef(ctx context.Context, typed string) []string {
	var out []string
	if st, err := openState(); err == nil {
		recent, _ := st.Recent(o.demo)
		for _, r := range recent {
			if strings.HasPrefix(r, typed) && r != typed {
				out = append(out, r)
			}
		}
	}
	repo, partial, ok := cutTag(typed)
	if !ok {
		return out
	}
	for _, tag := range o.completionTags(ctx, repo) {
		if strings.HasPrefix(tag, partial) {
			if s := repo + ":" + tag; !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// cutTag splits "REPO:PARTIAL" (the colon after the last slash: a port is
// not a tag); ok is false when no tag is being typed.
func cutTag(typed string) (repo, partial string, ok bool) {
	i := strings.LastIndex(typed, ":")
	if i <= strings.LastIndex(typed, "/") || strings.Contains(typed, "@") || strings.HasPrefix(typed, "ocidir://") || model.LooksLikeHost(typed[:i]) {
		return "", "", false
	}
	return typed[:i], typed[i+1:], true
}

// completionTags is the first page of repo's tags, from a cache kept
// completionTTL under the cache directory, else asked of the registry for
// at most completionWait. Errors give no tags: completion says nothing.
func (o *rootOptions) completionTags(ctx context.Context, repo string) []string {
	cache := ""
	if d := cacheDir(); d != "" && !o.demo {
		sum := sha256.Sum256([]byte(repo))
		cache = filepath.Join(d, "completion", hex.EncodeToString(sum[:16])+".json")
		if tags, ok := readTagCache(cache); ok {
			return tags
		}
	}
	r, err := o.resolve(repo)
	if err != nil {
		return nil
	}
	c, err := o.registry(r.Registry)
	if err != nil {
		return nil
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, completionWait)
	defer cancel()
	page, err := c.Tags(ctx, r.RepoOnly(), "", completionTags)
	if err != nil {
		return nil
	}
	if cache != "" {
		writeTagCache(cache, page.Items)
	}
	return page.Items
}

type tagCache struct {
	At   time.Time `json:"at"`
	Tags []string  `json:"tags"`
}

func readTagCache(path string) ([]string, bool) {
	b, err := readConfig(path) // a regular file, bounded
	if err != nil {
		return nil, false
	}
	var tc tagCache
	if json.Unmarshal(b, &tc) != nil || time.Since(tc.At) > completionTTL || time.Since(tc.At) < 0 {
		return nil, false
	}
	return tc.Tags, true
}

// writeTagCache keeps tags for path's repository and drops the entries
// of other repositories that have expired, so the directory stays small.
func writeTagCache(path string, tags []string) {
	dir := filepath.Dir(path)
	if os.MkdirAll(dir, 0o700) != nil {
		return
	}
	if old, err := filepath.Glob(filepath.Join(dir, "*.json")); err == nil {
		for _, f := range old {
			if fi, err := os.Stat(f); err == nil && time.Since(fi.ModTime()) > completionTTL {
				_ = os.Remove(f)
			}
		}
	}
	b, err := json.Marshal(tagCache{At: time.Now(), Tags: tags})
	if err != nil {
		return
	}
	tmp := path + ".tmp"
	if os.WriteFile(tmp, b, 0o600) == nil {
		_ = os.Rename(tmp, path)
	}
}
