package model

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrOSVersion is returned for a target os.version Docker cannot read.
var ErrOSVersion = errors.New("not a Windows os.version")

// CheckTargetOSVersion reads a target's Windows os.version as containerd's
// platforms matcher does (Docker's containerd store; getWindowsOSVersion):
// MAJOR.MINOR.BUILD with MAJOR and MINOR at most 255 and BUILD at most
// 65535; whatever follows the build (the revision) is not read. Anything
// else, and 0.0.0, reads as no version at all, so the build would silently
// not be compared: a mistake the user should hear of instead.
func CheckTargetOSVersion(v string) error {
	if strings.Count(v, ".") < 2 {
		return fmt.Errorf("%w %q: expected MAJOR.MINOR.BUILD[.REVISION], e.g. 10.0.17763 (Windows Server 2019) or 10.0.20348 (2022)", ErrOSVersion, v)
	}
	major, rest, _ := strings.Cut(v, ".")
	minor, rest, _ := strings.Cut(rest, ".")
	build, _, _ := strings.Cut(rest, ".")
	parts := []struct {
		name, text string
		bits       int
	}{{"major", major, 8}, {"minor", minor, 8}, {"build", build, 16}}
	zero := true
	for _, p := range parts {
		n, err := strconv.ParseUint(p.text, 10, p.bits)
		if err != nil {
			return fmt.Errorf("%w %q: the %s %q is not a number from 0 to %d", ErrOSVersion, v, p.name, p.text, uint64(1)<<p.bits-1)
		}
		zero = zero && n == 0
	}
	if zero {
		return fmt.Errorf("%w %q: 0.0.0 means no version; give the host's build, e.g. 10.0.17763", ErrOSVersion, v)
	}
	return nil
}
