//! What each OpenAPI object holds: the structure the walker follows to find every `$ref`,
//! every schema and every operation, knowing at each node which kind of object it is.

/// The kinds of OpenAPI objects the walker tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Kind {
    Document,
    Paths,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    MediaType,
    Encoding,
    Responses,
    Response,
    Header,
    Schema,
    Example,
    Link,
    Callback,
    SecurityScheme,
    Components,
}

impl Kind {
    /// The name of the object in the OpenAPI specification.
    pub fn object_name(self) -> &'static str {
        match self {
            Kind::Document => "OpenAPI Object",
            Kind::Paths => "Paths Object",
            Kind::PathItem => "Path Item Object",
            Kind::Operation => "Operation Object",
            Kind::Parameter => "Parameter Object",
            Kind::RequestBody => "Request Body Object",
            Kind::MediaType => "Media Type Object",
            Kind::Encoding => "Encoding Object",
            Kind::Responses => "Responses Object",
            Kind::Response => "Response Object",
            Kind::Header => "Header Object",
            Kind::Schema => "Schema Object",
            Kind::Example => "Example Object",
            Kind::Link => "Link Object",
            Kind::Callback => "Callback Object",
            Kind::SecurityScheme => "Security Scheme Object",
            Kind::Components => "Components Object",
        }
    }

    /// Whether a `$ref` may stand in place of this object. Operations are not referenceable in
    /// the OpenAPI specification, but split documents (DigitalOcean's, Redocly's layout) use
    /// `$ref` there and every bundler accepts it, so we resolve it too.
    pub fn allows_ref(self) -> bool {
        !matches!(
            self,
            Kind::Document
                | Kind::Paths
                | Kind::MediaType
                | Kind::Encoding
                | Kind::Responses
                | Kind::Components
        )
    }

    /// The `components` section that holds objects of this kind.
    pub fn components_section(self) -> Option<&'static str> {
        Some(match self {
            Kind::Schema => "schemas",
            Kind::Parameter => "parameters",
            Kind::Response => "responses",
            Kind::RequestBody => "requestBodies",
            Kind::Header => "headers",
            Kind::Example => "examples",
            Kind::Link => "links",
            Kind::Callback => "callbacks",
            Kind::SecurityScheme => "securitySchemes",
            Kind::PathItem => "pathItems",
            _ => return None,
        })
    }
}

/// How a member holds its children.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    One(Kind),
    /// An object whose every (non `x-`) member is of this kind.
    Map(Kind),
    List(Kind),
    /// `items` in old drafts may be a list of schemas.
    OneOrList(Kind),
}

pub const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The shape of the member `key` of an object of kind `kind`.
pub fn child(kind: Kind, key: &str) -> Option<Shape> {
    use Kind as K;
    use Shape::*;
    Some(match (kind, key) {
        (K::Document, "paths") => One(K::Paths),
        (K::Document, "webhooks") => Map(K::PathItem),
        (K::Document, "components") => One(K::Components),
        (K::Paths, k) if k.starts_with('/') => One(K::PathItem),
        (K::PathItem, m) if HTTP_METHODS.contains(&m) => One(K::Operation),
        (K::PathItem | K::Operation, "parameters") => List(K::Parameter),
        (K::Operation, "requestBody") => One(K::RequestBody),
        (K::Operation, "responses") => One(K::Responses),
        (K::Operation, "callbacks") => Map(K::Callback),
        (K::Callback, k) if !k.starts_with("x-") => One(K::PathItem),
        (K::Parameter | K::Header, "schema") => One(K::Schema),
        (K::Parameter | K::Header | K::RequestBody | K::Response, "content") => Map(K::MediaType),
        (K::Parameter | K::Header | K::MediaType, "examples") => Map(K::Example),
        (K::MediaType, "schema") => One(K::Schema),
        (K::MediaType, "encoding") => Map(K::Encoding),
        (K::Encoding | K::Response, "headers") => Map(K::Header),
        (K::Responses, k) if !k.starts_with("x-") => One(K::Response),
        (K::Response, "links") => Map(K::Link),
        (K::Components, "schemas") => Map(K::Schema),
        (K::Components, "responses") => Map(K::Response),
        (K::Components, "parameters") => Map(K::Parameter),
        (K::Components, "examples") => Map(K::Example),
        (K::Components, "requestBodies") => Map(K::RequestBody),
        (K::Components, "headers") => Map(K::Header),
        (K::Components, "securitySchemes") => Map(K::SecurityScheme),
        (K::Components, "links") => Map(K::Link),
        (K::Components, "callbacks") => Map(K::Callback),
        (K::Components, "pathItems") => Map(K::PathItem),
        (
            K::Schema,
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas",
        ) => Map(K::Schema),
        (K::Schema, "allOf" | "anyOf" | "oneOf" | "prefixItems") => List(K::Schema),
        (K::Schema, "items") => OneOrList(K::Schema),
        (
            K::Schema,
            "not"
            | "additionalProperties"
            | "additionalItems"
            | "contains"
            | "propertyNames"
            | "if"
            | "then"
            | "else"
            | "unevaluatedItems"
            | "unevaluatedProperties"
            | "contentSchema",
        ) => One(K::Schema),
        _ => return None,
    })
}
