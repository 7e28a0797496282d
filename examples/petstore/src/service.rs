//! An in-memory implementation of the generated `PetstoreApi`, with static credentials.
//!
//! Callers: bearer `alice-token` (scopes `pets:read pets:write`), bearer `bob-token` (scope
//! `pets:read`), API key `alice-key` (principal `alice`, no scopes). Pets belong to whoever
//! created them; `authorize_pet` lets only the owner touch a pet.
//!
//! The store keeps its own domain type, [`PetRecord`], not the generated `api::Pet`: the derive
//! checks it against the contract's `Pet` and converts it into the generated response type, so
//! handlers answer `ShowPetByIdResponse::Ok(record.into())`.

use crate::api::{
    CreatePetResponse, DeletePetParams, DeletePetResponse, HealthResponse, Kind, ListPetsParams,
    ListPetsResponse, PetInput, PetstoreApi, ShowPetByIdParams, ShowPetByIdResponse,
};
use specguard::Problem;
use specguard::ServerError;
use specguard::auth::{
    ApiKeyAuth, AuthError, Authenticator, BearerAuth, OAuth2Auth, Principal, Subject,
    constant_time_eq,
};
use specguard::authz::Access;
use specguard::serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// A pet as the store keeps it. Checked at compile time against the contract's `Pet` (every
/// serialised field is listed, none is writeOnly, types and presence fit) and converted field by
/// field into the generated `api::Pet` (`From<PetRecord>`); its owner never reaches the wire.
#[derive(Debug, Clone, Serialize, specguard::ApiResponse)]
#[serde(crate = "specguard::serde", rename_all = "camelCase")]
#[specguard(spec = "openapi.yaml", schema = "Pet", into = "crate::api::Pet")]
pub struct PetRecord {
    pub id: i64,
    pub name: String,
    /// The generated enum, held as it is.
    pub kind: Kind,
    /// Nullable in the contract; the store forgets an explicit null (left out of responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub microchip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_kg: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Who created it (the object-level authorization check reads it); never serialised.
    #[serde(skip)]
    pub owner: String,
}

impl PetRecord {
    /// A new pet from a validated request body. The request type has no `id` (readOnly) and
    /// the record no `adoptionSecret` (writeOnly): neither can cross.
    fn new(id: i64, owner: String, body: PetInput) -> PetRecord {
        PetRecord {
            id,
            name: body.name,
            kind: body.kind,
            nickname: body.nickname.flatten(),
            microchip: body.microchip,
            weight_kg: body.weight_kg,
            tags: body.tags,
            owner,
        }
    }
}

/// Pets by id.
type Pets = BTreeMap<i64, PetRecord>;

/// The pets, by id, with their owner.
#[derive(Debug, Default)]
pub struct Store {
    pets: Mutex<Pets>,
}

impl Store {
    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Pets>, ServerError> {
        self.pets
            .lock()
            .map_err(|_| ServerError::Internal("store lock poisoned".into()))
    }
}

impl PetstoreApi for Store {
    type Principal = Subject;

    async fn health(&self) -> Result<HealthResponse, ServerError> {
        Ok(HealthResponse::Ok("ok".into()))
    }

    async fn list_pets(
        &self,
        principal: Subject,
        params: ListPetsParams,
    ) -> Result<ListPetsResponse, ServerError> {
        let limit = params.limit.unwrap_or(100) as usize;
        let pets = self
            .lock()?
            .values()
            .filter(|p| p.owner == principal.id)
            .take(limit)
            .map(|p| p.clone().into())
            .collect();
        Ok(ListPetsResponse::Ok(pets))
    }

    async fn create_pet(
        &self,
        principal: Subject,
        body: PetInput,
    ) -> Result<CreatePetResponse, ServerError> {
        let mut pets = self.lock()?;
        let id = pets.keys().next_back().copied().unwrap_or(0) + 1;
        let record = PetRecord::new(id, principal.id, body);
        pets.insert(id, record.clone());
        Ok(CreatePetResponse::Created(record.into()))
    }

    async fn show_pet_by_id(
        &self,
        _principal: Subject,
        params: ShowPetByIdParams,
    ) -> Result<ShowPetByIdResponse, ServerError> {
        Ok(match self.lock()?.get(&params.pet_id) {
            Some(p) => ShowPetByIdResponse::Ok(p.clone().into()),
            None => ShowPetByIdResponse::NotFound,
        })
    }

    async fn delete_pet(
        &self,
        // `oauth` AND `apiKey`: both principals (`DeletePetPrincipals::OauthAndApiKey`).
        _principal: crate::api::DeletePetPrincipals<Subject>,
        params: DeletePetParams,
    ) -> Result<DeletePetResponse, ServerError> {
        self.lock()?.remove(&params.pet_id);
        Ok(DeletePetResponse::NoContent)
    }

    /// Only the owner may read or delete a pet; unknown ids pass (the handler answers 404).
    async fn authorize_pet(
        &self,
        principal: Option<&Subject>,
        id: &i64,
        _access: Access,
    ) -> Result<(), Problem> {
        let Some(principal) = principal else {
            return Err(Problem::forbidden());
        };
        let pets = self.pets.lock().map_err(|_| Problem::internal())?;
        match pets.get(id) {
            Some(p) if p.owner != principal.id() => Err(Problem::forbidden()),
            _ => Ok(()),
        }
    }
}

/// Static credentials (a real service verifies JWTs or looks up hashed keys).
#[derive(Debug, Default, Clone)]
pub struct StaticAuth;

impl StaticAuth {
    fn token(token: &str) -> Result<Subject, AuthError> {
        if constant_time_eq(token.as_bytes(), b"alice-token") {
            Ok(Subject::new("alice").with_scopes(["pets:read", "pets:write"]))
        } else if constant_time_eq(token.as_bytes(), b"bob-token") {
            Ok(Subject::new("bob").with_scopes(["pets:read"]))
        } else {
            Err(AuthError::Invalid)
        }
    }
}

impl Authenticator for StaticAuth {
    type Principal = Subject;
}

impl BearerAuth for StaticAuth {
    async fn verify_bearer(&self, _scheme: &str, token: &str) -> Result<Subject, AuthError> {
        Self::token(token)
    }
}

impl OAuth2Auth for StaticAuth {
    async fn verify_oauth2(&self, _scheme: &str, token: &str) -> Result<Subject, AuthError> {
        Self::token(token)
    }
}

impl ApiKeyAuth for StaticAuth {
    async fn verify_api_key(&self, _scheme: &str, key: &str) -> Result<Subject, AuthError> {
        if constant_time_eq(key.as_bytes(), b"alice-key") {
            Ok(Subject::new("alice"))
        } else {
            Err(AuthError::Invalid)
        }
    }
}
