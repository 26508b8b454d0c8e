package enums

// Team is an enum whose constants are in another file than the tool.
type Team string

// The teams.
const (
	Backend  Team = "backend"  // servers and data
	Frontend Team = "frontend" // what users see
)

// Backwards is a constant of another type in the same block.
const Backwards = "sdrawkcab"
