package demo

import "sync"

// lazyLayout is one of the demo's own repositories, built in memory when
// first asked for rather than all of them written to disk before the
// registry answers: that took 0.3–1.5 s of `platypus --demo`'s start on a
// 2-core machine (issue 28), and most sessions open two or three of them.
type lazyLayout struct {
	once  sync.Once
	repo  string
	fill  func(*layout)
	files map[string][]byte
}

func newLazyLayout(repo string, fill func(*layout)) *lazyLayout {
	return &lazyLayout{repo: repo, fill: fill}
}

// get builds the layout the first time and returns its files. A layout
// that fails to build (it cannot: it is only memory) is empty.
func (z *lazyLayout) get() map[string][]byte {
	z.once.Do(func() {
		l := newMemLayout(z.repo)
		z.fill(l)
		if l.write() == nil {
			z.files = l.mem
		} else {
			z.files = map[string][]byte{}
		}
	})
	return z.files
}

// build builds the named repository if it is one of the demo's own and
// not built yet, without holding the store's lock: a request for another
// repository, or the catalog, does not wait for it.
func (s *store) build(name string) {
	s.mu.Lock()
	var z *lazyLayout
	if r := s.repos[name]; r != nil && !r.loaded {
		z = r.build
	}
	s.mu.Unlock()
	if z != nil {
		z.get()
	}
}

// warm builds the demo's own repositories one after another, in catalog
// order (the order a person meets them), until stop is closed: the first
// one opened is then likely ready. A request builds its repository itself
// if warm has not come to it yet.
func (s *store) warm(stop <-chan struct{}) {
	for _, name := range Repositories {
		select {
		case <-stop:
			return
		default:
		}
		s.build(name)
	}
}
