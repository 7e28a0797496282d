//! An in-memory implementation of the generated `BankApi`, with static demo credentials.
//!
//! Callers (OAuth2 access tokens as `Authorization: Bearer …`, or the partner key header):
//!
//! | credential              | principal      | scopes                            |
//! |-------------------------|----------------|-----------------------------------|
//! | `alice-token`           | `alice`        | `accounts:read transfers:write`   |
//! | `bob-token`             | `bob`          | `accounts:read transfers:write`   |
//! | `carol-readonly-token`  | `carol`        | `accounts:read`                   |
//! | `X-Partner-Key: acme-partner-key` | `partner:acme` | none (the contract lists no scopes for it) |
//!
//! Accounts belong to one customer and may be shared, read-only, with partners. The
//! object-level hooks (`authorize_account`, `authorize_transfer`) are where ownership is decided:
//! a customer reaches only their own accounts and the transfers from them; a partner only reads
//! the accounts shared with it. Unknown ids pass the hooks, and the handlers answer 404.

use crate::api::{
    Account, BankApi, CreateTransferCreatedHeaders, CreateTransferParams, CreateTransferResponse,
    Currency, GetAccountOkCacheControl, GetAccountOkHeaders, GetAccountParams, GetAccountResponse,
    GetTransferParams, GetTransferResponse, Health, HealthResponse, HealthStatus,
    ListAccountsParams, ListAccountsResponse, ListTransfersParams, ListTransfersResponse,
    Problem as ProblemBody, Transfer, TransferInput, TransferStatus,
};
use specguard::Problem;
use specguard::ServerError;
use specguard::auth::{
    ApiKeyAuth, AuthError, Authenticator, OAuth2Auth, Principal, Subject, constant_time_eq,
};
use specguard::authz::Access;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// Alice's EUR account, shared with the partner `acme` (the contract's example id).
pub const ALICE_EUR: &str = "0b5a1f8e-7c1d-4d8e-9a55-2f3c1e0a9b01";
/// Alice's USD account, not shared.
pub const ALICE_USD: &str = "1c6b2a9f-8d2e-4e9f-8b66-3a4d2f1b0c02";
/// Bob's EUR account.
pub const BOB_EUR: &str = "2d7c3b0a-9e3f-4fa0-9c77-4b5e3a2c1d03";
/// A completed transfer from `ALICE_EUR` (the contract's example id).
pub const ALICE_TRANSFER: &str = "7d6f0a38-3c4b-4c2a-9e59-5f0a3e3e0b11";

const PARTNER_PREFIX: &str = "partner:";

struct AccountRow {
    owner: String,
    /// Partner principals that may read this account.
    shared_with: Vec<String>,
    account: Account,
}

struct TransferRow {
    account_id: String,
    transfer: Transfer,
}

#[derive(Default)]
struct Ledger {
    accounts: BTreeMap<String, AccountRow>,
    /// In creation order (newest last).
    transfers: Vec<TransferRow>,
    next_id: u64,
}

impl Ledger {
    fn add_account(&mut self, id: &str, owner: &str, name: &str, currency: Currency, balance: i64) {
        let iban = format!(
            "DE{:02}370400440532{:06}",
            self.accounts.len() + 10,
            balance % 1_000_000
        );
        self.accounts.insert(
            id.to_string(),
            AccountRow {
                owner: owner.to_string(),
                shared_with: Vec::new(),
                account: Account {
                    id: id.to_string(),
                    iban,
                    name: name.to_string(),
                    currency,
                    balance,
                    opened_on: "2021-03-14".to_string(),
                },
            },
        );
    }

    /// A fresh UUID-shaped id (version 4 layout; unique within this process, not random).
    fn new_id(&mut self) -> String {
        self.next_id += 1;
        let n = self.next_id;
        format!(
            "9f1e2d3c-4b5a-4{:03x}-8{:03x}-{:012x}",
            (n >> 24) & 0xfff,
            (n >> 12) & 0xfff,
            n
        )
    }
}

/// The bank: accounts and transfers in memory.
pub struct Bank {
    ledger: Mutex<Ledger>,
}

impl Bank {
    /// Alice (two accounts, one shared with the partner `acme`, one past transfer) and Bob.
    pub fn demo() -> Bank {
        let mut l = Ledger::default();
        l.add_account(ALICE_EUR, "alice", "Everyday", Currency::Eur, 250_000);
        l.add_account(ALICE_USD, "alice", "Travel", Currency::Usd, 5_000);
        l.add_account(BOB_EUR, "bob", "Main", Currency::Eur, 100_000);
        if let Some(a) = l.accounts.get_mut(ALICE_EUR) {
            a.shared_with.push(format!("{PARTNER_PREFIX}acme"));
        }
        l.transfers.push(TransferRow {
            account_id: ALICE_EUR.to_string(),
            transfer: Transfer {
                id: ALICE_TRANSFER.to_string(),
                status: TransferStatus::Completed,
                created_at: "2024-05-02T09:30:00Z".to_string(),
                to_iban: "FR1420041010050500013M02606".to_string(),
                amount: 4_200,
                currency: Currency::Eur,
                reference: Some("Rent May".to_string()),
                execute_on: Some("2024-05-02".to_string()),
                labels: Some(vec!["home".to_string()]),
            },
        });
        Bank {
            ledger: Mutex::new(l),
        }
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Ledger>, ServerError> {
        self.ledger
            .lock()
            .map_err(|_| ServerError::Internal("ledger lock poisoned".into()))
    }

    /// Whether `principal` may perform `access` on the account `id` (unknown ids pass: the
    /// handler answers 404).
    fn may_access(
        &self,
        principal: Option<&Subject>,
        id: &str,
        access: Access,
    ) -> Result<(), Problem> {
        let Some(principal) = principal else {
            return Err(Problem::forbidden());
        };
        let ledger = self.ledger.lock().map_err(|_| Problem::internal())?;
        match ledger.accounts.get(id) {
            None => Ok(()),
            Some(row) if row.owner == principal.id() => Ok(()),
            Some(row)
                if principal.id().starts_with(PARTNER_PREFIX)
                    && !access.write
                    && row.shared_with.iter().any(|p| p == principal.id()) =>
            {
                Ok(())
            }
            Some(_) => Err(Problem::forbidden()),
        }
    }
}

fn problem(status: u16, title: &str, detail: &str) -> ProblemBody {
    ProblemBody {
        r#type: "about:blank".into(),
        title: title.into(),
        status: i32::from(status),
        detail: Some(detail.into()),
        errors: None,
    }
}

fn not_found() -> ProblemBody {
    problem(404, "Not Found", "no such object")
}

/// Now as an RFC 3339 date-time (UTC, whole seconds).
fn now_rfc3339() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60
    )
}

impl BankApi for Bank {
    type Principal = Subject;

    async fn health(&self) -> Result<HealthResponse, ServerError> {
        Ok(HealthResponse::Ok(Health {
            status: HealthStatus::Ok,
        }))
    }

    async fn list_accounts(
        &self,
        principal: Subject,
        params: ListAccountsParams,
    ) -> Result<ListAccountsResponse, ServerError> {
        let limit = usize::try_from(params.limit.unwrap_or(20)).unwrap_or(20);
        let ledger = self.lock()?;
        let accounts = ledger
            .accounts
            .values()
            .filter(|row| row.owner == principal.id || row.shared_with.contains(&principal.id))
            .filter(|row| params.currency.is_none_or(|c| row.account.currency == c))
            .map(|row| row.account.clone())
            .take(limit)
            .collect();
        Ok(ListAccountsResponse::Ok(accounts))
    }

    async fn get_account(
        &self,
        _principal: Subject,
        params: GetAccountParams,
    ) -> Result<GetAccountResponse, ServerError> {
        // `authorize_account` already decided that the caller may read it.
        Ok(match self.lock()?.accounts.get(&params.account_id) {
            Some(row) => GetAccountResponse::Ok(
                row.account.clone(),
                GetAccountOkHeaders {
                    cache_control: GetAccountOkCacheControl::NoStore,
                },
            ),
            None => GetAccountResponse::NotFound(not_found()),
        })
    }

    async fn list_transfers(
        &self,
        _principal: Subject,
        params: ListTransfersParams,
    ) -> Result<ListTransfersResponse, ServerError> {
        let ledger = self.lock()?;
        if !ledger.accounts.contains_key(&params.account_id) {
            return Ok(ListTransfersResponse::NotFound(not_found()));
        }
        let limit = usize::try_from(params.limit.unwrap_or(20)).unwrap_or(20);
        let transfers = ledger
            .transfers
            .iter()
            .rev()
            .filter(|t| t.account_id == params.account_id)
            .filter(|t| params.status.is_none_or(|s| t.transfer.status == s))
            .map(|t| t.transfer.clone())
            .take(limit)
            .collect();
        Ok(ListTransfersResponse::Ok(transfers))
    }

    async fn create_transfer(
        &self,
        _principal: Subject,
        params: CreateTransferParams,
        body: TransferInput,
    ) -> Result<CreateTransferResponse, ServerError> {
        // The demo accepts any well-formed confirmation code (the contract checked its shape);
        // a real bank verifies it against the customer's authenticator.
        let TransferInput {
            to_iban,
            amount,
            currency,
            reference,
            execute_on,
            labels,
            confirmation_code: _,
        } = body;
        let mut ledger = self.lock()?;
        let id = ledger.new_id();
        let Some(row) = ledger.accounts.get_mut(&params.account_id) else {
            return Ok(CreateTransferResponse::NotFound(not_found()));
        };
        if row.account.currency != currency {
            return Ok(CreateTransferResponse::Conflict(problem(
                409,
                "Conflict",
                "the transfer's currency is not the account's",
            )));
        }
        if amount > row.account.balance {
            return Ok(CreateTransferResponse::Conflict(problem(
                409,
                "Conflict",
                "the balance does not cover the amount",
            )));
        }
        row.account.balance -= amount;
        // The response type has no `confirmationCode` (writeOnly): it cannot be sent back.
        let transfer = Transfer {
            id,
            status: TransferStatus::Pending,
            created_at: now_rfc3339(),
            to_iban,
            amount,
            currency,
            reference,
            execute_on,
            labels,
        };
        let location = format!("/accounts/{}/transfers/{}", params.account_id, transfer.id);
        ledger.transfers.push(TransferRow {
            account_id: params.account_id,
            transfer: transfer.clone(),
        });
        Ok(CreateTransferResponse::Created(
            transfer,
            CreateTransferCreatedHeaders { location },
        ))
    }

    async fn get_transfer(
        &self,
        _principal: Subject,
        params: GetTransferParams,
    ) -> Result<GetTransferResponse, ServerError> {
        let ledger = self.lock()?;
        Ok(
            match ledger
                .transfers
                .iter()
                .find(|t| t.transfer.id == params.transfer_id && t.account_id == params.account_id)
            {
                Some(t) => GetTransferResponse::Ok(t.transfer.clone()),
                None => GetTransferResponse::NotFound(not_found()),
            },
        )
    }

    /// Customers reach their own accounts; partners read the accounts shared with them.
    async fn authorize_account(
        &self,
        principal: Option<&Subject>,
        id: &str,
        access: Access,
    ) -> Result<(), Problem> {
        self.may_access(principal, id, access)
    }

    /// A transfer is reachable by whoever may reach the account it was sent from.
    async fn authorize_transfer(
        &self,
        principal: Option<&Subject>,
        id: &str,
        access: Access,
    ) -> Result<(), Problem> {
        let account = {
            let ledger = self.ledger.lock().map_err(|_| Problem::internal())?;
            ledger
                .transfers
                .iter()
                .find(|t| t.transfer.id == id)
                .map(|t| t.account_id.clone())
        };
        match account {
            Some(account) => self.may_access(principal, &account, access),
            None if principal.is_some() => Ok(()),
            None => Err(Problem::forbidden()),
        }
    }
}

/// Static credentials (a real service validates JWT access tokens — issuer, audience, expiry,
/// signature — and looks up hashed partner keys).
#[derive(Debug, Default, Clone)]
pub struct StaticAuth;

impl Authenticator for StaticAuth {
    type Principal = Subject;
}

impl OAuth2Auth for StaticAuth {
    async fn verify_oauth2(&self, _scheme: &str, token: &str) -> Result<Subject, AuthError> {
        let t = token.as_bytes();
        if constant_time_eq(t, b"alice-token") {
            Ok(Subject::new("alice").with_scopes(["accounts:read", "transfers:write"]))
        } else if constant_time_eq(t, b"bob-token") {
            Ok(Subject::new("bob").with_scopes(["accounts:read", "transfers:write"]))
        } else if constant_time_eq(t, b"carol-readonly-token") {
            Ok(Subject::new("carol").with_scopes(["accounts:read"]))
        } else {
            Err(AuthError::Invalid)
        }
    }
}

impl ApiKeyAuth for StaticAuth {
    async fn verify_api_key(&self, _scheme: &str, key: &str) -> Result<Subject, AuthError> {
        if constant_time_eq(key.as_bytes(), b"acme-partner-key") {
            Ok(Subject::new(format!("{PARTNER_PREFIX}acme")))
        } else {
            Err(AuthError::Invalid)
        }
    }
}
