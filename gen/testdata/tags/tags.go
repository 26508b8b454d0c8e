// Package tags is a samplegen test case: the json tag's options and every
// key of invopop/jsonschema's tags.
package tags

// Search finds documents.
//
//samplegen:tool search
//samplegen:prompt const=prompt
//samplegen:output Hits
type Search struct {
	Query    string   `json:"q" jsonschema:"title=Query,description=What to look for\\, in words,minLength=1,maxLength=200,pattern=^[^<>]*$,example=golang,example=mcp sampling"`
	Limit    int      `json:"limit,omitempty" jsonschema:"minimum=1,maximum=100,default=10,example=20"`
	Page     uint16   `json:"page,omitzero" jsonschema:"minimum=1"`
	Score    float64  `json:"score" jsonschema:"exclusiveMinimum=0,exclusiveMaximum=1,multipleOf=0.05"`
	Weight   float32  `json:"weight" jsonschema:"enum=0.5,enum=1,enum=2"`
	Sort     string   `json:"sort" jsonschema:"enum=relevance,enum=date,default=relevance"`
	Lang     string   `json:"lang" jsonschema:"format=bcp47,readOnly=true"`
	Secret   string   `json:"secret" jsonschema:"writeOnly=true"`
	Strict   bool     `json:"strict" jsonschema:"default=true"`
	Tags     []string `json:"tags" jsonschema:"minItems=1,maxItems=5,uniqueItems=true,minLength=2,pattern=^[a-z]+$,default=go,default=ai"`
	Dates    []string `json:"dates" jsonschema:"format=date"`
	Ranks    []int8   `json:"ranks" jsonschema:"minimum=0,enum=1,enum=2"`
	Kind     string   `json:"kind" jsonschema:"const=document"`
	Version  int      `json:"version" jsonschema:"const=2"`
	Flags    []bool   `json:"flags" jsonschema:"const=true"`
	ID       int64    `json:"id,string"`
	Small    int8     `json:"small,string"`
	Ok       bool     `json:"ok,string"`
	Optional string   `json:"optional,omitempty" jsonschema:"required"`
	Nullable string   `json:"nullable" jsonschema:"nullable,description=May be null"`
	Either   any      `json:"either" jsonschema:"oneof_type=string;integer"`
	Anything any      `json:"anything" jsonschema:"anyof_type=boolean;array"`
	Email    string   `json:"email,omitempty" jsonschema:"oneof_required=contact"`
	Phone    string   `json:"phone,omitempty" jsonschema:"oneof_required=contact,anyof_required=reach"`
	Typed    int      `json:"typed" jsonschema:"type=number"`
	Doc      string   `json:"doc" jsonschema_description:"Described apart" jsonschema:"minLength=3"`
	Extra    string   `json:"extra" jsonschema_extras:"x-order=1,x-flag=true,x-list=a,x-list=b"`
	Anchored string   `json:"anchored" jsonschema:"anchor=here"`
	Regex    string   `json:"regex" jsonschema:"pattern=^a{1\\,3}$"`
}

// Hits are what the model found.
type Hits struct {
	Titles []string `json:"titles" jsonschema:"maxItems=10"`
	Total  uint32   `json:"total" jsonschema:"maximum=1000"`
}

const prompt = `Find {{.Query}}{{if .Limit}} (at most {{.Limit}}){{end}}.`
