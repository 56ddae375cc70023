package output

import "github.com/platypus-tui/platypus/model"

// Target is one target's verdict in `inspect -o json`'s "targets".
type Target struct {
	Name      string `json:"name"`
	Platform  string `json:"platform"`
	OSVersion string `json:"osVersion"`
	// Store is whose rules judge the target: docker or containerd.
	Store  string   `json:"store"`
	Source string   `json:"source"`
	Nodes  []string `json:"nodes,omitempty"`
	// Selected is the digest of the image the target pulls, nested
	// indexes followed; null when it pulls nothing it can run.
	Selected *string `json:"selected"`
	// DockerError is the puller's error line when nothing matches:
	// Docker's for docker targets, containerd's for containerd ones.
	DockerError string      `json:"dockerError,omitempty"`
	OtherStore  *OtherStore `json:"otherStore,omitempty"`
}

// EntryTarget is one target's verdict on one entry.
type EntryTarget struct {
	Match   string   `json:"match"`
	Rank    *int     `json:"rank,omitempty"`
	Reasons []string `json:"reasons"`
}

// targetPlatform is a target's platform without its os.version, which
// the documents give apart.
func targetPlatform(p model.Platform) string {
	return model.Platform{OS: p.OS, Architecture: p.Architecture, Variant: p.Variant}.String()
}

// AddFleet adds every target's verdict to rep: "targets" at the top, and
// "targets" by name on each entry.
func (rep *Inspect) AddFleet(tree *model.Tree, verdicts []model.FleetVerdict) {
	rep.Targets = []Target{}
	for i := range rep.Entries {
		rep.Entries[i].Targets = map[string]EntryTarget{}
	}
	for _, v := range verdicts {
		ft, a := v.Member, v.Analysis
		tr := Target{
			Name: ft.Name, Platform: targetPlatform(ft.Target.Platform),
			OSVersion: ft.Target.Platform.OSVersion, Store: string(ft.Store), Source: string(ft.Target.Source), Nodes: ft.Nodes,
			DockerError: a.NoMatch(),
		}
		if d := a.Pulls(); d != "" {
			tr.Selected = &d
		}
		tr.OtherStore = otherStore(a, tree.Root.Digest)
		rep.Targets = append(rep.Targets, tr)
		for i := range rep.Entries {
			em, ok := a.Entry(i)
			if !ok {
				continue
			}
			et := EntryTarget{Match: string(em.Verdict), Reasons: nonNil(em.Reasons)}
			if em.Rank > 0 {
				rk := em.Rank
				et.Rank = &rk
			}
			rep.Entries[i].Targets[ft.Name] = et
		}
	}
}

// otherStore is Docker's other store's answer where it differs.
func otherStore(a model.Analysis, root string) *OtherStore {
	switch {
	case a.Other != nil:
		o := OtherStore{Store: string(a.Other.Store)}
		if a.Other.Found() {
			d := a.Other.Image
			o.Selected = &d
		}
		return &o
	case a.SingleOther != nil:
		o := OtherStore{Store: string(model.StoreContainerd)}
		if a.SingleOther.Verdict == model.Selected {
			o.Selected = &root
		}
		return &o
	}
	return nil
}
