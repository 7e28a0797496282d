//! The intermediate representation: everything `emit` prints, already decided.
//!
//! Identifiers here are final (from [`crate::naming`]); spec text is kept as plain strings and
//! only ever printed as string literals or through [`crate::docs`].

/// A Rust type expression.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    String,
    Bool,
    I32,
    I64,
    /// `type: string, format: binary`: any octets (`specguard::Binary`).
    Binary,
    /// `type: number`, any format (`float` included: see `lower::schema`).
    F64,
    /// Any JSON value.
    Json,
    /// A raw body.
    Bytes,
    /// A generated struct or enum, by index into [`Api::types`].
    Named(usize),
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
    /// A free-form response object: `AllowlistedMap<Value>`.
    Allowlisted,
    Option(Box<Ty>),
    Boxed(Box<Ty>),
}

impl Ty {
    pub fn option(self) -> Ty {
        Ty::Option(Box::new(self))
    }
}

/// A checked string format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Uuid,
    DateTime,
    Date,
    Byte,
    Email,
    Ipv4,
    Ipv6,
}

/// A `pattern` in the `regex` crate's syntax, as parts that each run in linear time: a value
/// matches when `main` matches, every `require` matches and no `forbid` does. The lists hold
/// the leading lookaheads of a pattern anchored at the start (`^(?!aws:)[a-z:]+$` is `main`
/// `^(?:[a-z:]+$)` and `forbid` `^(?:aws:)`); they are empty for a pattern without any.
/// Lookaround that cannot be split that way is in `lookaround` instead (the other fields are
/// then empty): patterns for the `resharp` automaton, also linear-time; the value matches
/// when it matches any of them (one, unless the automaton refused the pattern as one union of
/// its alternatives and runs it as several smaller unions).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Pattern {
    pub main: String,
    pub require: Vec<String>,
    pub forbid: Vec<String>,
    pub lookaround: Vec<String>,
    /// Fewest and most characters (code points), for `^C{m,n}$` patterns whose repetition is
    /// too large for the engine: `main` is then `^C*$`.
    pub length: Option<(u64, Option<u64>)>,
}

/// Contract bounds on one value (below any `Option`/`Box` layers of its type).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Checks {
    pub min_len: Option<u64>,
    pub max_len: Option<u64>,
    /// Index into [`Api::patterns`].
    pub pattern: Option<usize>,
    pub format: Option<Format>,
    pub int_min: Option<i64>,
    pub int_max: Option<i64>,
    pub int_multiple: Option<i64>,
    /// (bound, exclusive)
    pub num_min: Option<(f64, bool)>,
    pub num_max: Option<(f64, bool)>,
    pub num_multiple: Option<f64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique: bool,
    pub min_props: Option<u64>,
    pub max_props: Option<u64>,
    /// Allowed values as JSON text (for enums that are not generated as Rust enums).
    pub enum_json: Option<Vec<String>>,
    /// Checks of each item (arrays).
    pub items: Option<Box<Checks>>,
    /// Checks of each value (maps).
    pub values: Option<Box<Checks>>,
}

impl Checks {
    pub fn is_empty(&self) -> bool {
        *self == Checks::default()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    Required,
    RequiredNullable,
    Optional,
    OptionalNullable,
}

#[derive(Clone, Debug)]
pub struct Field {
    pub name: String,
    pub wire: String,
    /// The full field type (with the `Option` layers of its presence).
    pub ty: Ty,
    pub presence: Presence,
    pub checks: Checks,
    pub doc: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Variant {
    pub name: String,
    pub ty: Ty,
    pub checks: Checks,
    /// Discriminator values that select this variant.
    pub tags: Vec<String>,
    /// The variant's struct does not declare the discriminator property: remove it before
    /// reading the variant, add it when writing.
    pub strip_tag: bool,
}

#[derive(Clone, Debug)]
pub enum TypeKind {
    Struct {
        fields: Vec<Field>,
        deny_unknown: bool,
        /// `#[serde(flatten)]` map of additional properties: (field name, map type, checks of
        /// the map).
        additional: Option<Box<(String, Ty, Checks)>>,
    },
    StringEnum {
        /// (variant, wire value)
        variants: Vec<(String, String)>,
    },
    OneOf {
        variants: Vec<Variant>,
        /// The discriminator property; `None` for untagged.
        discriminator: Option<String>,
    },
}

#[derive(Clone, Debug)]
pub struct TypeDef {
    pub name: String,
    pub doc: Vec<String>,
    pub kind: TypeKind,
    /// Read from requests: `Deserialize` and `Validate` are generated.
    pub request: bool,
    /// Written in responses: `Serialize` is generated.
    pub response: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiKeyIn {
    Header,
    Query,
    Cookie,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SchemeKind {
    ApiKey {
        location: ApiKeyIn,
        name: String,
    },
    Basic,
    Bearer,
    OAuth2,
    OpenIdConnect,
    /// `type: http` with another scheme (its name, an HTTP token): the credentials after it in
    /// `Authorization` go to the user's `HttpAuth` unparsed.
    Http(String),
}

#[derive(Clone, Debug)]
pub struct SchemeDef {
    /// The name in `components.securitySchemes`.
    pub name: String,
    /// Constant name in `security_schemes`.
    pub const_name: String,
    pub kind: SchemeKind,
}

/// How an operation authenticates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    /// Explicitly public (or allowed unauthenticated by settings): no principal.
    Public,
    /// OR of AND lists of (scheme index, scopes).
    Required(Vec<Vec<(usize, Vec<String>)>>),
    /// Like `Required` with an anonymous alternative: `Option<Principal>`.
    Optional(Vec<Vec<(usize, Vec<String>)>>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamIn {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParamIn {
    /// The contract's name for the location (`in:`).
    pub fn as_str(self) -> &'static str {
        match self {
            ParamIn::Path => "path",
            ParamIn::Query => "query",
            ParamIn::Header => "header",
            ParamIn::Cookie => "cookie",
        }
    }
}

/// How a parameter's value is read from the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Read {
    /// One value, parsed as the scalar type.
    Scalar,
    /// An array of scalars: repeated query keys when `explode`, otherwise one value split at
    /// `delimiter` (`,` for `form`/`simple`, ` ` for `spaceDelimited`, `|` for
    /// `pipeDelimited`; header lines are joined with `,`).
    List { explode: bool, delimiter: char },
    /// Query keys in brackets as a form tree (`style: deepObject`, and structured values that
    /// OpenAPI gives no query serialization, such as arrays of objects).
    Deep,
    /// An object in query with `style: form, explode: true`: its properties are query keys of
    /// their own; the type is read from every key no other parameter claims.
    Exploded,
    /// A parameter described with `content: {application/json: …}`: one value, JSON text.
    Json,
    /// An object in path or header (`style: simple`): `k1,v1,k2,v2`, or `k1=v1,k2=v2` when
    /// `explode`; each value read as the property's type.
    SimpleObject { explode: bool },
}

#[derive(Clone, Debug)]
pub struct Param {
    pub field: String,
    pub name: String,
    pub location: ParamIn,
    /// Route capture name (path parameters).
    pub capture: String,
    pub required: bool,
    /// The element type (a scalar; for `Read::List` the items'; for `Read::Deep`,
    /// `Read::Exploded` and `Read::Json` the parameter's whole type).
    pub scalar: Ty,
    /// How the value is read from the request.
    pub read: Read,
    pub checks: Checks,
    /// `oneOf`/`anyOf` parameters: the value is read as text (`scalar` is `String`) and must
    /// parse as, and satisfy, at least one of these (a scalar or `Vec` of scalars, with its
    /// checks). Empty for ordinary parameters.
    pub alternatives: Vec<ParamAlt>,
    pub doc: Vec<String>,
}

/// One alternative of a `oneOf`/`anyOf` parameter.
#[derive(Clone, Debug)]
pub struct ParamAlt {
    pub ty: Ty,
    pub checks: Checks,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    /// `application/x-www-form-urlencoded`: the schema's type, read from the form's pairs
    /// (requests only).
    Form,
    /// `multipart/form-data`: the schema's type, read from the parts (requests only).
    Multipart,
    Text,
    Bytes,
}

#[derive(Clone, Debug)]
pub struct Body {
    pub kind: BodyKind,
    pub ty: Ty,
    pub required: bool,
    pub media_types: Vec<String>,
    pub limit: u64,
}

#[derive(Clone, Debug)]
pub struct Response {
    pub variant: String,
    /// `Some(code)` for a fixed status; `None` for `default` and ranges.
    pub status: Option<u16>,
    /// `Some(class)` for `4XX`-style ranges.
    pub range: Option<u16>,
    pub body: Option<(BodyKind, Ty, String)>,
    /// The contract's bounds on the body (checked in debug builds before it is sent).
    pub body_checks: Checks,
    /// The struct of the documented headers (`None` when the response documents none).
    pub headers_type: Option<String>,
    pub headers: Vec<ResponseHeader>,
    pub doc: Vec<String>,
}

/// A header documented on a response: a field of the response's headers struct.
#[derive(Clone, Debug)]
pub struct ResponseHeader {
    pub field: String,
    /// The header name as the contract spells it.
    pub name: String,
    /// Lower case, checked to be a valid header name.
    pub wire: String,
    pub required: bool,
    /// The element type (scalar).
    pub scalar: Ty,
    /// A comma-separated list (`style: simple` array).
    pub list: bool,
    /// Bounds of the value (of the `Vec` for lists, items in `checks.items`).
    pub checks: Checks,
    pub doc: Vec<String>,
}

/// The principals an operation whose security requirement ANDs schemes receives: a generic
/// enum `type_name<P>` with one variant per alternative, each holding one principal per scheme.
#[derive(Clone, Debug)]
pub struct Principals {
    pub type_name: String,
    pub variants: Vec<PrincipalsVariant>,
}

#[derive(Clone, Debug)]
pub struct PrincipalsVariant {
    pub name: String,
    /// One field per scheme of the alternative, in requirement order: (field, scheme index).
    pub fields: Vec<(String, usize)>,
}

/// A call of an object-level authorization hook before the handler.
#[derive(Clone, Debug)]
pub struct HookCall {
    pub hook: usize,
    /// The parameter field holding the id.
    pub field: String,
}

#[derive(Clone, Debug)]
pub struct Hook {
    pub method: String,
    pub resource: String,
    pub id_ty: Ty,
}

#[derive(Clone, Debug)]
pub struct Operation {
    pub method_name: String,
    pub operation_id: String,
    pub http_method: String,
    pub path: String,
    pub auth: Auth,
    /// `Some` when an alternative of `auth` ANDs several schemes.
    pub principals: Option<Principals>,
    pub params: Vec<Param>,
    pub params_type: Option<String>,
    pub body: Option<Body>,
    pub response_type: String,
    pub responses: Vec<Response>,
    pub produces: Vec<String>,
    pub hooks: Vec<HookCall>,
    pub doc: Vec<String>,
    /// Suffix of the generated private items (`__E_<key>`, `__OP_<KEY>`), unique.
    pub key: String,
    /// Path segments that mix text and parameters, split before parameters are read.
    pub splits: Vec<SegmentSplit>,
}

/// A path segment captured whole (`{p2}`) and split by its template
/// (`{base}...{head}` → literals `["", "...", ""]`, parts `["p2_0", "p2_1"]`).
#[derive(Clone, Debug)]
pub struct SegmentSplit {
    pub capture: String,
    pub literals: Vec<String>,
    pub parts: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Route {
    /// axum path (`/pets/{p0}`).
    pub path: String,
    /// (HTTP method lower case, operation index), in spec order.
    pub methods: Vec<(String, usize)>,
}

#[derive(Clone, Debug)]
pub struct Api {
    pub trait_name: String,
    pub auth_trait_name: String,
    pub doc: Vec<String>,
    pub types: Vec<TypeDef>,
    pub schemes: Vec<SchemeDef>,
    pub operations: Vec<Operation>,
    pub hooks: Vec<Hook>,
    pub routes: Vec<Route>,
    /// Translated `pattern`s (regex crate syntax).
    pub patterns: Vec<Pattern>,
    /// Every property name in the contract (sorted).
    pub known_names: Vec<String>,
    /// Per type: whether its value has anything to check (a bound of its own, or of a type it
    /// contains). Checks of a type without any are not emitted, and response-only types
    /// without any get no (debug-build) `Validate`.
    pub checked: Vec<bool>,
}
