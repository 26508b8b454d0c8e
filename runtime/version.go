package runtime

// SupportPackageIsVersion2 is referenced by generated code. When generated
// code and this package drift apart, the reference stops compiling, which
// says "run go generate" at build time rather than misbehaving at run time.
//
// Version 2: options are typed by scope (ToolOption, CallOption).
const SupportPackageIsVersion2 = true
