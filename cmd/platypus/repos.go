package main

import (
	"github.com/spf13/cobra"

	"github.com/platypus-tui/platypus/model/output"
)

func newReposCmd(o *rootOptions) *cobra.Command {
	var out outputFlag
	var allowTruncated bool
	cmd := &cobra.Command{
		Use:   "repos HOST",
		Short: "List the repositories of a registry (its catalog)",
		Long: `List every repository of a registry through its catalog API, page by page.
Registries without a catalog (Docker Hub among them) are reported as such.`,
		Example: `  platypus repos 127.0.0.1:5000
  platypus --demo repos -o json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 || (len(args) == 0 && !o.demo) {
				return usagef("expected one registry host (or --demo)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := out.validate(); err != nil {
				return err
			}
			arg := ""
			if len(args) == 1 {
				arg = args[0]
			}
			host, err := o.resolveHost(arg)
			if err != nil {
				return err
			}
			c, err := o.registry(host)
			if err != nil {
				return err
			}
			repos, err := o.truncatedOK(c.AllRepositories(cmd.Context(), host))(allowTruncated)
			if err != nil {
				return err
			}
			if out.json() {
				return output.WriteNames(o.stdout, "registry", host, "repositories", repos)
			}
			return printNames(o.stdout, "REPOSITORY", repos)
		},
	}
	out.register(cmd)
	cmd.Flags().BoolVar(&allowTruncated, "allow-truncated", false, "print what arrived when the catalog is cut at a limit (exit 0)")
	return cmd
}
