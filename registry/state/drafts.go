package state

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/platypus-tui/platypus/model"
)

// maxDraft bounds a draft file: an index of model.MaxEntries entries with
// their annotations stays far below it.
const maxDraft = 16 << 20

// Drafts survive a crash or Ctrl-C: the composer saves one file per target
// on every edit and offers it again when the target is opened next time.

func (d *Dir) draftPath(target model.Reference) string {
	sum := sha256.Sum256([]byte(target.String()))
	return filepath.Join(d.path, "drafts", hex.EncodeToString(sum[:16])+".json")
}

// EncodeDraft is what SaveDraft writes, taken on the caller's goroutine so
// the draft can change while the write runs.
func EncodeDraft(dr *model.Draft) ([]byte, error) {
	b, err := json.MarshalIndent(dr, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("draft: %w", err)
	}
	return b, nil
}

// Revision returns a number larger than every one before, to order the
// saves of drafts.
func (d *Dir) Revision() int64 { return d.rev.Add(1) }

// SaveDraft writes an encoded draft for target. rev (from Revision) orders
// the saves of one target: a save no newer than one already written, or
// than a drop, is skipped, so saves that finish out of order never bring
// back an older draft.
func (d *Dir) SaveDraft(target model.Reference, rev int64, b []byte) error {
	p := d.draftPath(target)
	d.mu.Lock()
	defer d.mu.Unlock()
	if last, ok := d.written[p]; ok && last >= rev {
		return nil
	}
	if err := writeAtomic(p, b); err != nil {
		return err
	}
	d.written[p] = rev
	return nil
}

// LoadDraft returns the draft saved for target: nil when there is none, and
// an ErrDamaged error when the file cannot be read back (it is kept, moved
// aside, and the error names where).
func (d *Dir) LoadDraft(target model.Reference) (*model.Draft, error) {
	p := d.draftPath(target)
	b, err := readBounded(p, maxDraft)
	if err != nil || b == nil {
		return nil, err
	}
	var dr model.Draft
	if err := json.Unmarshal(b, &dr); err != nil || dr.Target.String() != target.String() {
		aside := p + ".damaged"
		_ = os.Rename(p, aside)
		what := "it is for another tag"
		if err != nil {
			what = err.Error()
		}
		return nil, fmt.Errorf("the saved draft for %s is %w (%s); it was moved to %s", target, ErrDamaged, what, aside)
	}
	return &dr, nil
}

// DropDraft forgets the draft for target once revision rev of it was
// pushed; a save of rev or older still in flight will not bring it back.
func (d *Dir) DropDraft(target model.Reference, rev int64) error {
	p := d.draftPath(target)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.written[p] = max(d.written[p], rev)
	if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("state: %w", err)
	}
	return nil
}
