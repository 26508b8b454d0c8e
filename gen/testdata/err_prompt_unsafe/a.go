package p

// Escape names a file outside the module.
//
//samplegen:tool escape
//samplegen:prompt ../../../../../../../../../../etc/hostname
//samplegen:output Out
type Escape struct{}

// Device names a device by a path that leaves the module.
//
//samplegen:tool device
//samplegen:prompt ../../../../../../../../../../dev/zero
//samplegen:output Out
type Device struct{}

// Folder names a directory.
//
//samplegen:tool folder
//samplegen:prompt .
//samplegen:output Out
type Folder struct{}

// Inside names a file in the module by a path through its parent, which
// is fine.
//
//samplegen:tool inside
//samplegen:prompt ../err_prompt_unsafe/ok.tmpl
//samplegen:output Out
type Inside struct{}

// Out is an output.
type Out struct{}
