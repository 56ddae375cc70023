package main

import (
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/platypus-tui/platypus/registry/demo"
)

func newDemoCmd(o *rootOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "The built-in demo registry",
		Example: `  platypus demo serve --addr 127.0.0.1:5000
  platypus --demo                      # the explorer on an in-process demo registry`,
		Args: exactArgs(0, "a subcommand: serve"),
		RunE: func(cmd *cobra.Command, _ []string) error { return usagef("demo needs a subcommand: serve") },
	}
	var addr string
	var bench bool
	var latency time.Duration
	var bandwidth float64
	var manyTags, manyRepos, manyFiles int
	serve := &cobra.Command{
		Use:   "serve",
		Short: "Serve the demo registry in the foreground for any OCI client",
		Long: `Serve the demo registry on a loopback address until interrupted, so that
regctl, crane, skopeo or docker can list and pull from it. Pushes are accepted
and kept in memory; tags and manifests can be deleted (not blobs). A repository
it does not have is answered 404, as a real registry answers it.`,
		Example: `  platypus demo serve --addr 127.0.0.1:5000
  regctl tag ls --host reg=127.0.0.1:5000,tls=disabled 127.0.0.1:5000/library/centos`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts := demo.Options{Addr: addr, Warm: true}
			var seeds []func(string) error
			if bench {
				seeds = append(seeds, demo.SeedBench)
			}
			if manyTags > 0 {
				seeds = append(seeds, demo.SeedManyTags(manyTags))
			}
			if manyRepos > 0 {
				seeds = append(seeds, demo.SeedManyRepos(manyRepos))
			}
			if manyFiles > 0 {
				seeds = append(seeds, demo.SeedManyFiles(manyFiles))
			}
			if len(seeds) > 0 {
				// Made here, not by Start, so that a second Ctrl-C during a
				// long seed removes it too.
				dir, err := os.MkdirTemp("", "platypus-demo-")
				if err != nil {
					return fmt.Errorf("demo registry: %w", err)
				}
				forget := atForcedExit(func() { _ = os.RemoveAll(dir) })
				defer forget()
				defer func() { _ = os.RemoveAll(dir) }()
				opts.Dir = dir
				opts.Extra = func(root string) error {
					for _, seed := range seeds {
						if err := seed(root); err != nil {
							return err
						}
					}
					return nil
				}
			}
			if bandwidth < 0 {
				return usagef("--bandwidth %g: a rate in megabits a second, above 0", bandwidth)
			}
			opts.Wrap = func(h http.Handler) http.Handler {
				if bandwidth > 0 {
					h = demo.WithBandwidth(h, bandwidth)
				}
				if latency > 0 {
					h = demo.WithLatency(h, latency)
				}
				return h
			}
			s, err := demo.Start(opts)
			if err != nil {
				return err
			}
			defer func() { _ = s.Close() }()
			fmt.Fprintf(o.stdout, "demo registry serving on %s (plain HTTP)\n", s.Host)
			for _, r := range demo.Repositories {
				fmt.Fprintf(o.stdout, "  %s/%s\n", s.Host, r)
			}
			fmt.Fprintln(o.stderr, "press Ctrl-C to stop")
			<-cmd.Context().Done()
			return nil
		},
	}
	serve.Flags().StringVar(&addr, "addr", "127.0.0.1:5000", "loopback `ADDRESS:PORT` to listen on")
	serve.Flags().BoolVar(&bench, "bench", false, "also seed the benchmark repositories (bench/…)")
	serve.Flags().DurationVar(&latency, "latency", 0, "delay every request by `DURATION`, like a registry 40ms away")
	serve.Flags().IntVar(&manyTags, "bench-tags", 0, "also seed "+demo.ManyTagsRepository+" with `N` tags (lists at scale)")
	serve.Flags().IntVar(&manyRepos, "bench-repos", 0, "also seed `N` repositories "+demo.ManyReposPrefix+"000000… of one tag each (catalogs at scale)")
	serve.Flags().IntVar(&manyFiles, "bench-files", 0, "also seed "+demo.ManyFilesRepository+":latest, one layer of `N` entries (layers at scale)")
	serve.Flags().Float64Var(&bandwidth, "bandwidth", 0, "cap each response at `MBIT` megabits a second (0: no cap)")
	cmd.AddCommand(serve)
	return cmd
}
