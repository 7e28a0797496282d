//! Serves the demo bank on `LISTEN_ADDR` (default 127.0.0.1:8080) with its static demo
//! credentials (see `service`), until Ctrl-C.

use specguard_example_bank::api;
use specguard_example_bank::service::{Bank, StaticAuth};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr = std::env::var("LISTEN_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".to_string());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    specguard::axum::serve(listener, api::router(Bank::demo(), StaticAuth))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
