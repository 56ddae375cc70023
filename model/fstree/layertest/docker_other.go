//go:build !linux

package layertest

import "io/fs"

// Docker needs Linux.
func Docker(string, [][]byte) ([]Tree, error) { return nil, ErrUnsupported }

// Overlay needs Linux.
func Overlay(string, [][]byte) (Tree, error) { return nil, ErrUnsupported }

func links(fs.FileInfo) int { return 1 }

// Containerd needs Linux.
func Containerd(string, [][]byte) (Tree, error) { return nil, ErrUnsupported }
