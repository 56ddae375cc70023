package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"platypus/model"
	"platypus/registry"
)

type scanTagJSON struct {
	Tag       string  `json:"tag"`
	Digest    string  `json:"digest"`
	Supported bool    `json:"supported"`
	Selected  *string `json:"selected"`
	Error     string  `json:"error,omitempty"`
}

type scanJSON struct {
	Repository string        `json:"repository"`
	Platform   string        `json:"platform"`
	Tags       []scanTagJSON `json:"tags"`
}

func newScanCmd(o *rootOptions) *cobra.Command {
	var out outputFlag
	var yes bool
	cmd := &cobra.Command{
		Use:   "scan REPO",
		Short: "Check every tag of a repository for a target platform",
		Long: `Check, for every tag of REPO, whether the target platform can pull it and
which image docker pull would select, with bounded concurrency.`,
		Example: `  platypus --demo scan library/mysql --platform linux/arm64/v8
  platypus scan docker.io/library/hello-world --platform windows/amd64 --os-version 10.0.14393 -o json`,
		Args: exactArgs(1, "one repository"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := out.validate(); err != nil {
				return err
			}
			r, target, c, err := o.setup(args[0])
			if err != nil {
				return err
			}
			tags, err := c.AllTags(cmd.Context(), r)
			if err != nil {
				return err
			}
			tags = slices.DeleteFunc(tags, func(t string) bool { return strings.HasPrefix(t, "sha256-") })
			if !yes {
				if err := c.CheckScanBudget(cmd.Context(), r, tags, o.quotaShare); err != nil {
					return fmt.Errorf("%w (pass --yes)", err)
				}
			}
			results := map[string]registry.ScanResult{}
			c.Scan(cmd.Context(), r.RepoOnly(), tags, target, func(res registry.ScanResult) { results[res.Tag] = res })
			if err := cmd.Context().Err(); err != nil {
				return fmt.Errorf("scan: %w", err)
			}
			rep := scanJSON{Repository: r.RepoOnly().String(), Platform: target.Platform.Display(), Tags: []scanTagJSON{}}
			for _, t := range tags {
				res := results[t]
				row := scanTagJSON{Tag: t, Digest: res.Digest, Supported: res.Supported}
				if res.Selected != "" {
					sel := res.Selected
					row.Selected = &sel
				}
				if res.Err != nil {
					row.Error = res.Err.Error()
				}
				rep.Tags = append(rep.Tags, row)
			}
			if out.json() {
				return writeJSON(o.stdout, rep)
			}
			tw := newTable(o.stdout, "TAG", "SUPPORTED", "SELECTED", "DIGEST")
			for _, row := range rep.Tags {
				sup, sel := "no", ""
				if row.Supported {
					sup = "yes"
				}
				if row.Selected != nil {
					sel = model.ShortDigest(*row.Selected)
				}
				if row.Error != "" {
					sup = "error: " + row.Error
				}
				tw.row(row.Tag, sup, sel, model.ShortDigest(row.Digest))
			}
			return tw.flush()
		},
	}
	out.register(cmd)
	cmd.Flags().BoolVar(&yes, "yes", false, "scan even if it could spend more than --quota-share of the registry's remaining pulls")
	return cmd
}
