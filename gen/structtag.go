package gen

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// checkStructTag reports what is wrong with a struct tag's syntax, which
// reflect.StructTag.Get (and so encoding/json, invopop and samplegen's own
// reading of the tag) would otherwise pass over in silence, dropping every
// key from the first mistake on: the conventional form is key:"value"
// pairs separated by spaces, each value a Go string literal, as go vet's
// structtag check has it.
func checkStructTag(tag string) error {
	for tag != "" {
		tag = strings.TrimLeft(tag, " ")
		if tag == "" {
			break
		}
		i := 0
		for i < len(tag) && tag[i] > ' ' && tag[i] != ':' && tag[i] != '"' && tag[i] != 0x7f {
			i++
		}
		key := tag[:i]
		switch {
		case i == 0:
			return errors.New("a key is missing before its value")
		case i == len(tag):
			return fmt.Errorf("key %q has no value: write %s:\"...\"", key, key)
		case tag[i] != ':':
			return fmt.Errorf("key %q is not followed by a colon", key)
		case i+1 >= len(tag) || tag[i+1] != '"':
			return fmt.Errorf("the value of %s is not quoted: write %s:\"...\"", key, key)
		}
		tag = tag[i+1:]
		// The value runs to the closing quote that is not escaped.
		j := 1
		for j < len(tag) && tag[j] != '"' {
			if tag[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(tag) {
			return fmt.Errorf("the value of %s has no closing quote", key)
		}
		if _, err := strconv.Unquote(tag[:j+1]); err != nil {
			return fmt.Errorf("the value of %s is not a Go string literal: %w", key, err)
		}
		tag = tag[j+1:]
		if tag != "" && tag[0] != ' ' {
			return fmt.Errorf("the value of %s is not followed by a space", key)
		}
	}
	return nil
}
