package runtime

import (
	"errors"
	"strings"
	"testing"
)

type item struct {
	Name string `json:"name"`
}

func (i item) Validate() error {
	if i.Name == "" {
		return errors.New("a name is required")
	}
	return nil
}

type span struct{ From, To int }

func (s *span) Validate() error {
	if s.From > s.To {
		return errors.New("from is after to")
	}
	return nil
}

type Embedded struct {
	Span span `json:"span"`
}

type order struct {
	Items   []item          `json:"items"`
	ByKey   map[string]item `json:"by_key"`
	Maybe   *item           `json:"maybe,omitempty"`
	Skipped item            `json:"-"`
	Embedded
}

func (o order) Validate() error {
	if len(o.Items) == 0 {
		return errors.New("an order needs items")
	}
	return nil
}

func TestValidateAllReachesNestedValues(t *testing.T) {
	ok := order{Items: []item{{"a"}}, Embedded: Embedded{Span: span{1, 2}}}
	for _, tc := range []struct {
		name   string
		mutate func(*order)
		want   string
	}{
		{"valid", func(*order) {}, ""},
		{"slice element", func(o *order) { o.Items = append(o.Items, item{}) }, "/items/1: a name is required"},
		{"map value", func(o *order) { o.ByKey = map[string]item{"k": {}} }, "/by_key/k: a name is required"},
		{"pointer", func(o *order) { o.Maybe = &item{} }, "/maybe: a name is required"},
		{"pointer receiver in an embedded struct", func(o *order) { o.Span = span{3, 2} }, "/span: from is after to"},
		{"the outer value itself", func(o *order) { o.Items = nil }, "an order needs items"},
		{"json:\"-\" is not the model's", func(o *order) { o.Skipped = item{} }, ""},
	} {
		o := ok
		o.Items = append([]item(nil), ok.Items...)
		tc.mutate(&o)
		err := validateAll(&o, struct{}{})
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || err.Error() != tc.want) {
			t.Errorf("%s: validateAll = %v, want %q", tc.name, err, tc.want)
		}
	}
	if err := validateAll(&ok, struct{}{}); err != nil {
		t.Errorf("valid order: %v", err)
	}
}

// The errors in a map come in key order on every run: they become the
// re-ask, which a multi round-trip call must repeat exactly on replay.
func TestValidateAllIsDeterministicOverMaps(t *testing.T) {
	o := order{Items: []item{{"a"}}, ByKey: map[string]item{}}
	for _, k := range []string{"q", "c", "x", "a", "m", "z", "b"} {
		o.ByKey[k] = item{}
	}
	want := ""
	for i, k := range []string{"a", "b", "c", "m", "q", "x", "z"} {
		if i > 0 {
			want += "\n"
		}
		want += "/by_key/" + k + ": a name is required"
	}
	for range 50 {
		if err := validateAll(&o, struct{}{}); err == nil || err.Error() != want {
			t.Fatalf("validateAll = %v, want every key's error in key order", err)
		}
	}
}

// Every Validate error is named, with its path, so that one re-ask can fix
// them all; past maxValidateErrors only their number is.
func TestValidateAllNamesEveryErrorBounded(t *testing.T) {
	o := order{Items: make([]item, maxValidateErrors+3)}
	err := validateAll(&o, struct{}{})
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != maxValidateErrors+1 || lines[0] != "/items/0: a name is required" || lines[len(lines)-1] != "(and 3 more)" {
		t.Errorf("validateAll = %q, want %d errors with paths and then how many more", err, maxValidateErrors)
	}
}
