//! One rule per file. Each file holds the rule's metadata, documentation and check.

pub mod api_key_in_query;
pub mod ignore_without_reason;
pub mod open_ended_response_object;
pub mod operation_without_security;
pub mod plain_http_server;
pub mod unbounded_string_input;
