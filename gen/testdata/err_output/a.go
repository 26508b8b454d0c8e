package p

// NoSuch names an output type that does not exist.
//
//samplegen:tool no_such
//samplegen:prompt const=prompt
//samplegen:output Missing
type NoSuch struct{}

// NotAType names a constant.
//
//samplegen:tool not_a_type
//samplegen:prompt const=prompt
//samplegen:output prompt
type NotAType struct{}

// Qualified names another package's type.
//
//samplegen:tool qualified
//samplegen:prompt const=prompt
//samplegen:output time.Time
type Qualified struct{}

const prompt = "Go."

// A Page is a generic page of results.
type Page[T any] struct {
	Items []T `json:"items"`
}

// PageOf is a generic alias, which has no schema until it is instantiated.
type PageOf[T any] = Page[T]

// GenericAlias names the generic alias.
//
//samplegen:tool generic_alias
//samplegen:prompt const=prompt
//samplegen:output PageOf
type GenericAlias struct{}

// Generic names the generic type itself.
//
//samplegen:tool generic
//samplegen:prompt const=prompt
//samplegen:output Page
type Generic struct{}
