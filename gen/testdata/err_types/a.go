package p

// Types has fields JSON cannot carry.
//
//samplegen:tool types
//samplegen:prompt const=prompt
//samplegen:output Out
type Types struct {
	Events chan string       `json:"events"`
	F      func()            `json:"f"`
	C      complex128        `json:"c"`
	M      map[int]string    `json:"m"`
	U      uintptr           `json:"u"`
	Broken UndefinedType     `json:"broken"`
	Nested Nested            `json:"nested"`
	OK     map[string]string `json:"ok"`
	Same   string            `json:"ok"`
	L      List[int]         `json:"l"`
}

// List is a recursive generic type.
type List[T any] struct {
	Next *List[T] `json:"next"`
	V    T        `json:"v"`
}

// Nested holds a bad field deeper down.
type Nested struct {
	Deeper []chan int `json:"deeper"`
}

// Out is recursive.
type Out struct {
	Next *Out `json:"next"`
}

const prompt = "Go."
