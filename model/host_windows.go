//go:build windows

package model

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// windowsHost returns the build as Docker compares it (major.minor.build,
// no revision) and whether this is a server edition.
func windowsHost() (string, bool) {
	v := windows.RtlGetVersion()
	const workstation = 1 // VER_NT_WORKSTATION
	return fmt.Sprintf("%d.%d.%d", v.MajorVersion, v.MinorVersion, v.BuildNumber), v.ProductType != workstation
}
