package model

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// humanSizeFmt is HumanSize as first written, with fmt: the oracle.
func humanSizeFmt(n int64) string {
	if n < 0 {
		return "-"
	}
	units := []string{"B", "kB", "MB", "GB", "TB", "PB"}
	f := float64(n)
	i := 0
	for f >= 1000 && i < len(units)-1 {
		f /= 1000
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%dB", n)
	}
	switch {
	case f >= 100:
		return fmt.Sprintf("%.0f%s", f, units[i])
	case f >= 10:
		return fmt.Sprintf("%.1f%s", f, units[i])
	}
	return fmt.Sprintf("%.2f%s", f, units[i])
}

func TestHumanSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0B", 526: "526B", 1000: "1.00kB", 2180: "2.18kB", 75_400_000: "75.4MB", 2_046_977_024: "2.05GB", -1: "-"} {
		if got := HumanSize(n); got != want {
			t.Errorf("HumanSize(%d) = %q, want %q", n, got, want)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100_000 {
		n := r.Int64N(1 << uint(r.IntN(62)+1))
		if got, want := HumanSize(n), humanSizeFmt(n); got != want {
			t.Fatalf("HumanSize(%d) = %q, the fmt version %q", n, got, want)
		}
	}
}
