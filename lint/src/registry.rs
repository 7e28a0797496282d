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
    &numeric_id_path_parameter::NumericIdPathParameter,
    &unbounded_id_parameter::UnboundedIdParameter,
    &anonymous_object_access::AnonymousObjectAccess,
    &public_object_access::PublicObjectAccess,
    &no_security_schemes::NoSecuritySchemes,
    &public_write_operation::PublicWriteOperation,
    &undefined_security_scheme::UndefinedSecurityScheme,
    &undeclared_oauth_scope::UndeclaredOauthScope,
    &http_basic_auth::HttpBasicAuth,
    &insecure_http_auth_scheme::InsecureHttpAuthScheme,
    &api_key_in_cookie::ApiKeyInCookie,
    &credential_in_url::CredentialInUrl,
    &deprecated_oauth_flow::DeprecatedOauthFlow,
    &plain_http_auth_url::PlainHttpAuthUrl,
    &bearer_without_format::BearerWithoutFormat,
    &jwt_without_best_practices::JwtWithoutBestPractices,
    &oauth_flow_without_refresh_url::OauthFlowWithoutRefreshUrl,
    &credential_header_parameter::CredentialHeaderParameter,
    &auth_endpoint_without_rate_limit::AuthEndpointWithoutRateLimit,
    // -- catalogue: API1 and API2 rules (append above this line) --
    &json_response_without_schema::JsonResponseWithoutSchema,
    &password_in_response::PasswordInResponse,
    &password_not_write_only::PasswordNotWriteOnly,
    &secret_field_in_response::SecretFieldInResponse,
    &personal_field_in_response::PersonalFieldInResponse,
    &server_owned_field_writable::ServerOwnedFieldWritable,
    &request_accepts_unknown_properties::RequestAcceptsUnknownProperties,
    &unbounded_array_input::UnboundedArrayInput,
    &unbounded_number_input::UnboundedNumberInput,
    &integer_input_without_format::IntegerInputWithoutFormat,
    &collection_without_page_limit::CollectionWithoutPageLimit,
    &upload_without_size_limit::UploadWithoutSizeLimit,
    &rate_limit_undocumented::RateLimitUndocumented,
    &rate_limit_response_without_retry_after::RateLimitResponseWithoutRetryAfter,
    &rate_limit_response_missing::RateLimitResponseMissing,
    // -- catalogue: API3 and API4 rules (append above this line) --
    &admin_operation_shares_user_security::AdminOperationSharesUserSecurity,
    &write_operation_shares_read_scopes::WriteOperationSharesReadScopes,
    &business_flow_without_rate_limit::BusinessFlowWithoutRateLimit,
    &unrestricted_url_input::UnrestrictedUrlInput,
    &missing_servers::MissingServers,
    &missing_auth_error_responses::MissingAuthErrorResponses,
    &missing_validation_error_response::MissingValidationErrorResponse,
    &missing_server_error_response::MissingServerErrorResponse,
    &error_response_exposes_internals::ErrorResponseExposesInternals,
    &cors_wildcard_with_credentials::CorsWildcardWithCredentials,
    &unsafe_markup_in_description::UnsafeMarkupInDescription,
    &deprecated_without_sunset::DeprecatedWithoutSunset,
    &superseded_operation_version::SupersededOperationVersion,
    &non_production_server::NonProductionServer,
    &server_audience_undeclared::ServerAudienceUndeclared,
    &missing_operation_id::MissingOperationId,
    &duplicate_operation_id::DuplicateOperationId,
    &missing_api_version::MissingApiVersion,
    &unsatisfiable_all_of::UnsatisfiableAllOf,
    &ambiguous_one_of::AmbiguousOneOf,
    &secret_in_example::SecretInExample,
    &invalid_pattern::InvalidPattern,
    &unanchored_request_pattern::UnanchoredRequestPattern,
    &redos_prone_pattern::RedosPronePattern,
    &inline_constraint_dropped_by_generators::InlineConstraintDroppedByGenerators,
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
