//go:build !windows

package model

func windowsHost() (string, bool) { return "", false }
