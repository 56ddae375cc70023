package main

import (
	"io"
	"maps"
	"slices"
)

type ioWriter = io.Writer

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
