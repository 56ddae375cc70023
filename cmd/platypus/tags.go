package main

import (
	"github.com/spf13/cobra"
)

func newTagsCmd(o *rootOptions) *cobra.Command {
	var out outputFlag
	var allowTruncated bool
	cmd := &cobra.Command{
		Use:   "tags REPO",
		Short: "List the tags of a repository",
		Example: `  platypus tags docker.io/library/mysql
  platypus --demo tags library/hello-world -o json
  platypus tags ocidir://./layout`,
		Args: exactArgs(1, "one repository, e.g. library/alpine or host/repo"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := out.validate(); err != nil {
				return err
			}
			r, err := o.resolve(args[0])
			if err != nil {
				return err
			}
			c, err := o.registry(r.Registry)
			if err != nil {
				return err
			}
			// Names are written as they arrive: a million tags in one
			// response take seconds to come. After an error (exit 1) what
			// was written is incomplete, and JSON is left unclosed.
			w := newNamesWriter(o.stdout, out.json(), "TAG", "repository", r.RepoOnly().String(), "tags")
			_, err = o.truncatedOK(c.AllTagsStream(cmd.Context(), r, func(names []string, _ int) { w.Add(names) }))(allowTruncated)
			if err != nil {
				return err
			}
			return w.End()
		},
	}
	out.register(cmd)
	cmd.Flags().BoolVar(&allowTruncated, "allow-truncated", false, "print what arrived when the list is cut at a limit (exit 0)")
	return cmd
}
