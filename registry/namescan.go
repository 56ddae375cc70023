package registry

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// nameScanner picks the strings of one array member of a JSON object
// ("tags" of a tag list, "repositories" of a catalog) out of a body chunk
// by chunk, as it arrives: regclient decodes a list only once all of it
// is in, and a million tags in one response take a while to arrive.
//
// It follows the structure only as far as it needs (depth, keys of the
// outer object, strings); regclient's decode of the whole body stays the
// judge of whether it is valid JSON.
type nameScanner struct {
	key      string
	depth    int
	inStr    bool
	esc      bool
	escaped  bool   // the current string holds an escape
	str      []byte // the current string so far, without its quotes
	lastStr  string // the last string closed at depth 1 (a key, once ':' follows)
	member   string // the member whose value is being read
	inArr    bool   // inside the member's array
	keyCount int    // members named key seen
	out      []string
	count    int
	err      error
	// objects counts the elements of the array (an index's descriptors)
	// instead of picking its strings; expect is set where one may start.
	objects bool
	expect  bool
}

// errNames is a list body whose names cannot be read.
var errNames = errors.New("the list's names do not decode")

func newNameScanner(key string) *nameScanner { return &nameScanner{key: key} }

// write reads a chunk; the names it completed are taken with take.
func (s *nameScanner) write(p []byte) {
	if s.err != nil {
		return
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if s.inStr {
			// Fast path: copy up to the next quote or backslash at once.
			j := i
			for j < len(p) && p[j] != '"' && p[j] != '\\' && !s.esc {
				j++
			}
			if j > i && s.collecting() {
				s.str = append(s.str, p[i:j]...)
			}
			if j == len(p) {
				return
			}
			i, c = j, p[j]
			switch {
			case s.esc:
				s.esc = false
				s.keep(c)
			case c == '\\':
				s.esc, s.escaped = true, true
				s.keep(c)
			default: // the closing quote
				s.inStr = false
				s.closeString()
			}
			continue
		}
		if s.expect && s.depth == 2 && c != ']' && c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			// Any element counts, not only objects: regclient keeps a
			// null as a descriptor too.
			s.count++
			s.expect = false
		}
		switch c {
		case '"':
			s.inStr, s.escaped, s.str = true, false, s.str[:0]
		case '{', '[':
			if c == '[' && s.depth == 1 && strings.EqualFold(s.member, s.key) {
				s.inArr = true
				s.expect = s.objects
			}
			s.depth++
		case '}', ']':
			s.depth--
			if s.depth == 1 {
				s.inArr, s.expect = false, false
			}
		case ':':
			if s.depth == 1 {
				s.member = s.lastStr
				if strings.EqualFold(s.member, s.key) {
					s.keyCount++
					if s.keyCount > 1 {
						s.err = fmt.Errorf("%w: %q appears twice", errNames, s.key)
						return
					}
				}
			}
		case ',':
			if s.depth == 1 {
				s.member = ""
			}
			if s.depth == 2 && s.inArr && s.objects {
				s.expect = true
			}
		}
	}
}

// collecting tells whether the current string's bytes are wanted: a name,
// or a key of the outer object.
func (s *nameScanner) collecting() bool {
	return (s.inArr && s.depth == 2) || s.depth == 1
}

func (s *nameScanner) keep(c byte) {
	if s.collecting() {
		s.str = append(s.str, c)
	}
}

func (s *nameScanner) closeString() {
	switch {
	case s.depth == 1:
		s.lastStr = s.decode()
	case s.inArr && s.depth == 2 && !s.objects:
		s.out = append(s.out, s.decode())
		s.count++
	}
}

// decode is the current string's value: as it is when plain, through
// encoding/json with escapes or invalid UTF-8 (what regclient's decode
// gives).
func (s *nameScanner) decode() string {
	if !s.escaped && utf8.Valid(s.str) {
		return string(s.str)
	}
	var v string
	q := make([]byte, 0, len(s.str)+2)
	q = append(append(append(q, '"'), s.str...), '"')
	if err := json.Unmarshal(q, &v); err != nil {
		s.err = fmt.Errorf("%w: %w", errNames, err)
		return ""
	}
	return v
}

// take returns the names completed since the last take.
func (s *nameScanner) take() []string {
	out := s.out
	s.out = nil
	return out
}
