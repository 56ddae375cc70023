package model

import (
	"strconv"
	"strings"
	"time"
)

var sizeUnits = [...]string{"B", "kB", "MB", "GB", "TB", "PB"}

// ApproxSize is HumanSize, marked "~" when the size is an estimate (a
// layer's, worked out from its table of contents).
func ApproxSize(n int64, estimated bool) string {
	if estimated {
		return "~" + HumanSize(n)
	}
	return HumanSize(n)
}

// HumanSize formats a byte count the way `docker images` does, in decimal
// units with three significant digits: "526B", "2.18kB", "75.4MB".
func HumanSize(n int64) string {
	if n < 0 {
		return "-"
	}
	f := float64(n)
	i := 0
	for f >= 1000 && i < len(sizeUnits)-1 {
		f /= 1000
		i++
	}
	// strconv, not fmt: a listing of millions of files writes one each.
	if i == 0 {
		return strconv.FormatInt(n, 10) + "B"
	}
	prec := 2
	switch {
	case f >= 100:
		prec = 0
	case f >= 10:
		prec = 1
	}
	return strconv.FormatFloat(f, 'f', prec, 64) + sizeUnits[i]
}

// FormatTime formats a registry time for tables: UTC, to the second.
func FormatTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05")
}

// Count writes n and a noun, plural when n is not 1: "1 layer", "3
// entries", "2 children", "1,998,000 files".
func Count(n int, noun string) string {
	num := Thousands(n)
	switch {
	case n == 1:
		return num + " " + noun
	case noun == "child":
		return num + " children"
	case strings.HasSuffix(noun, "y"):
		return num + " " + noun[:len(noun)-1] + "ies"
	}
	return num + " " + noun + "s"
}

// Thousands writes n with its digits in groups of three: "1,998,000".
func Thousands(n int) string {
	s := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	if len(s) <= 3 {
		return sign + s
	}
	b := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return sign + string(b)
}
