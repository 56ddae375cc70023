package registry

// SetInMemory sets how much of a file is kept in memory, for a test; it
// returns the value to put back.
func SetInMemory(n int) int {
	old := inMemory
	inMemory = n
	return old
}
