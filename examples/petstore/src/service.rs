//! An in-memory implementation of the generated `PetstoreApi`, with static credentials.
//!
//! Callers: bearer `alice-token` (scopes `pets:read pets:write`), bearer `bob-token` (scope
//! `pets:read`), API key `alice-key` (principal `alice`, no scopes). Pets belong to whoever
//! created them; `authorize_pet` lets only the owner touch a pet.

use crate::api::{
    CreatePetResponse, DeletePetParams, DeletePetResponse, HealthResponse, ListPetsParams,
    ListPetsResponse, Pet, PetInput, PetstoreApi, ShowPetByIdParams, ShowPetByIdResponse,
};
use specguard::Problem;
use specguard::ServerError;
use specguard::auth::{
    ApiKeyAuth, AuthError, Authenticator, BearerAuth, OAuth2Auth, Principal, Subject,
    constant_time_eq,
};
use specguard::authz::Access;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// Pets by id, with their owner.
type Pets = BTreeMap<i64, (String, Pet)>;

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
            .filter(|(owner, _)| *owner == principal.id)
            .map(|(_, p)| p.clone())
            .take(limit)
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
        // The response type has no `adoptionSecret` (writeOnly): it cannot be sent back.
        let pet = Pet {
            id,
            name: body.name,
            kind: body.kind,
            nickname: body.nickname,
            microchip: body.microchip,
            weight_kg: body.weight_kg,
            tags: body.tags,
            owner_email: None,
        };
        pets.insert(id, (principal.id, pet.clone()));
        Ok(CreatePetResponse::Created(pet))
    }

    async fn show_pet_by_id(
        &self,
        _principal: Subject,
        params: ShowPetByIdParams,
    ) -> Result<ShowPetByIdResponse, ServerError> {
        Ok(match self.lock()?.get(&params.pet_id) {
            Some((_, p)) => ShowPetByIdResponse::Ok(p.clone()),
            None => ShowPetByIdResponse::NotFound,
        })
    }

    async fn delete_pet(
        &self,
        _principal: Subject,
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
            Some((owner, _)) if *owner != principal.id() => Err(Problem::forbidden()),
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
