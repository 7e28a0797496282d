//! What a rule sees: the document, the pre-digested views and its options.

use specguard_spec::sensitive::SensitiveWords;
use specguard_spec::view::{Operation, Views};
use specguard_spec::{Document, NodeId, Tree};

pub struct Context<'a> {
    pub doc: &'a Document,
    pub views: &'a Views,
    pub sensitive: &'a SensitiveWords,
    /// Rule options from `specguard.toml` (`[options.<rule-name>]`).
    pub options: &'a toml::Table,
    /// The schemas describing client input, computed once for the several rules that ask
    /// (see `rules::input_schemas`).
    pub input_schemas: std::sync::OnceLock<Vec<NodeId>>,
}

impl<'a> Context<'a> {
    pub fn tree(&self) -> &'a Tree {
        &self.doc.tree
    }

    pub fn operations(&self) -> &'a [Operation] {
        &self.views.operations
    }

    /// An integer option of the running rule, or a default.
    pub fn option_int(&self, rule: &str, key: &str, default: i64) -> i64 {
        self.options
            .get(rule)
            .and_then(|t| t.get(key))
            .and_then(toml::Value::as_integer)
            .unwrap_or(default)
    }

    pub fn option_bool(&self, rule: &str, key: &str, default: bool) -> bool {
        self.options
            .get(rule)
            .and_then(|t| t.get(key))
            .and_then(toml::Value::as_bool)
            .unwrap_or(default)
    }

    /// The node itself, or the end of its `$ref` chain.
    pub fn resolve(&self, id: NodeId) -> NodeId {
        self.doc.resolve(id)
    }

    /// The security schemes declared in `components/securitySchemes` (name → resolved node).
    pub fn security_schemes(&self) -> Vec<(String, NodeId)> {
        let t = self.tree();
        t.get(self.doc.root, "components")
            .and_then(|c| t.get(c, "securitySchemes"))
            .map(|s| {
                t.members(s)
                    .iter()
                    .map(|m| (m.key.to_string(), self.doc.resolve(m.value)))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Each declared security scheme once (a scheme that is a `$ref` to another one counts
    /// once), named by the key of the object the reference chain ends at.
    pub fn distinct_security_schemes(&self) -> Vec<(String, NodeId)> {
        let t = self.tree();
        let mut seen = std::collections::HashSet::new();
        self.security_schemes()
            .into_iter()
            .filter(|(_, node)| seen.insert(*node))
            .map(|(name, node)| (t.key_of(node).map(str::to_string).unwrap_or(name), node))
            .collect()
    }
}
