package p

// A has bad params.
//
//samplegen:tool a
//samplegen:title
//samplegen:prompt const=prompt
//samplegen:output Out
//samplegen:params max_tokens=500 truncated_max_tokens=400 cost_priority=2 speed_priority=-0.1 intelligence_priority=x
//samplegen:params stop="unterminated
type A struct{}

// B has more bad params.
//
//samplegen:tool b
//samplegen:prompt const=prompt
//samplegen:output Out
//samplegen:params truncated_max_tokens=1024 stop=a,,b model= stop="x"y
type B struct{}

// Out is an output.
type Out struct{}

const prompt = "x"
