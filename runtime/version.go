package runtime

// SupportPackageIsVersion1 is referenced by generated code. When generated
// code and this package drift apart, the reference stops compiling, which
// says "run go generate" at build time rather than misbehaving at run time.
const SupportPackageIsVersion1 = true
