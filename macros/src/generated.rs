//! The generator's IR of a document, for the derives: the fields (identifiers, presence, types)
//! of the generated type a struct converts into, and the bounds (`Checks`) the generated
//! request type enforces, so that a derived `Validate` checks exactly what generated code does.

use specguard_generator::ir::{Api, TypeDef, TypeKind};
use specguard_generator::naming::{Case, base};
use specguard_generator::{Generator, Settings};
use specguard_spec::Document;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// The IR, or why the document does not generate.
pub type Generated = Rc<Result<Api, String>>;

thread_local! {
    /// Per compiler process, per loaded document (the spec cache hands out the same `Rc` while
    /// the files are unchanged); the `Rc<Document>` is kept so the key stays valid.
    static CACHE: RefCell<HashMap<usize, (Rc<Document>, Generated)>> = RefCell::new(HashMap::new());
}

/// The generator's IR of `doc` (operations without security are let through: the derives
/// only need the types).
pub fn api(doc: &Rc<Document>) -> Generated {
    let key = Rc::as_ptr(doc) as usize;
    if let Some(hit) = CACHE.with(|c| c.borrow().get(&key).map(|(_, g)| Rc::clone(g))) {
        return hit;
    }
    let settings = Settings {
        allow_unauthenticated: true,
        parallel: false,
        ..Settings::default()
    };
    let result = match Generator::new(settings).generate(doc) {
        Ok(g) => Ok(g.api),
        Err(e) => {
            let n = e.problems.len();
            let first: Vec<String> = e.problems.iter().take(3).map(|p| p.to_string()).collect();
            Err(format!(
                "{n} problem{}: {}{}",
                if n == 1 { "" } else { "s" },
                first.join("; "),
                if n > 3 { "; ..." } else { "" }
            ))
        }
    };
    let g = Rc::new(result);
    CACHE.with(|c| {
        c.borrow_mut().insert(key, (Rc::clone(doc), Rc::clone(&g)));
    });
    g
}

/// The generated struct named `name`.
pub fn struct_named<'a>(api: &'a Api, name: &str) -> Option<&'a TypeDef> {
    api.types
        .iter()
        .find(|t| t.name == name && matches!(t.kind, TypeKind::Struct { .. }))
}

/// The generated request struct of `components/schemas/<schema>`: `<Schema>Input` when the
/// schema is split by side (readOnly/writeOnly properties), else `<Schema>`.
pub fn request_struct<'a>(api: &'a Api, schema: &str) -> Option<&'a TypeDef> {
    let split = base(&format!("{schema} Input"), Case::Type, "Type");
    let plain = base(schema, Case::Type, "Type");
    [split, plain].iter().find_map(|n| {
        api.types
            .iter()
            .find(|t| t.request && t.name == *n && matches!(t.kind, TypeKind::Struct { .. }))
    })
}

/// Names of the generated structs, for messages.
pub fn struct_names(api: &Api) -> String {
    let mut names: Vec<&str> = api
        .types
        .iter()
        .filter(|t| matches!(t.kind, TypeKind::Struct { .. }))
        .map(|t| t.name.as_str())
        .collect();
    names.sort_unstable();
    let shown = names
        .iter()
        .take(40)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    format!("{shown}{}", if names.len() > 40 { ", ..." } else { "" })
}
