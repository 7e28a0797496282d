//! `into = ".."`: your response types convert field by field into the generated ones, with
//! the same JSON on the wire.

use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

specguard::api!("specs/orders.yaml", module = orders);

/// A domain order: different field names, narrower integers, a set for the unique tags, its
/// own line type, and the generated `Status` enum as it is.
#[derive(Clone, Serialize, specguard::ApiResponse)]
#[specguard(spec = "specs/orders.yaml", schema = "Order", into = "crate::orders::Order")]
struct Order {
    id: u32,
    #[serde(rename = "lines")]
    items: Vec<Line>,
    status: orders::Status,
    /// Optional and nullable: `None` is left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    labels: HashMap<String, String>,
    tags: BTreeSet<String>,
    /// Internal state never reaches the wire.
    #[serde(skip)]
    internal_cost: f64,
}

#[derive(Clone, Serialize, specguard::ApiResponse)]
#[specguard(spec = "specs/orders.yaml", schema = "Line", into = "crate::orders::Line")]
struct Line {
    sku: &'static str,
    quantity: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    price: Option<f32>,
}

fn respond(order: Order) -> orders::CreateOrderResponse {
    orders::CreateOrderResponse::Created(order.into())
}

fn main() {
    let order = Order {
        id: 7,
        items: vec![Line {
            sku: "ABC-1234",
            quantity: 2,
            price: Some(1.5),
        }],
        status: orders::Status::Paid,
        note: None,
        labels: HashMap::from([("gift".to_string(), "yes".to_string())]),
        tags: BTreeSet::from(["b".to_string(), "a".to_string()]),
        internal_cost: 0.5,
    };
    let mine = specguard::serde_json::to_value(&order).unwrap_or_default();
    let generated: orders::Order = order.clone().into();
    let theirs = specguard::serde_json::to_value(&generated).unwrap_or_default();
    assert_eq!(mine, theirs);
    assert_eq!(generated.note, None);
    assert_eq!(generated.lines[0].quantity, 2i32);
    let with_note = orders::Order::from(Order {
        note: Some("ring twice".into()),
        ..order.clone()
    });
    assert_eq!(with_note.note, Some(Some("ring twice".to_string())));
    assert!(matches!(respond(order), orders::CreateOrderResponse::Created(o) if o.id == 7));
}
