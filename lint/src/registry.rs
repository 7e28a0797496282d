//! The one list of rules.

use crate::rule::Rule;
use crate::rules::*;

static RULES: &[&dyn Rule] = &[
    &operation_without_security::OperationWithoutSecurity,
    &api_key_in_query::ApiKeyInQuery,
    &plain_http_server::PlainHttpServer,
    &unbounded_string_input::UnboundedStringInput,
    &open_ended_response_object::OpenEndedResponseObject,
    &ignore_without_reason::IgnoreWithoutReason,
    // -- catalogue: API1 and API2 rules (append above this line) --
    // -- catalogue: API3 and API4 rules (append above this line) --
    // -- catalogue: API5 to API10 rules (append above this line) --
];

pub fn all() -> &'static [&'static dyn Rule] {
    RULES
}

/// A rule by name or code (case-insensitive code).
pub fn find(name_or_code: &str) -> Option<&'static dyn Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.meta().name == name_or_code || r.meta().code.eq_ignore_ascii_case(name_or_code))
}
