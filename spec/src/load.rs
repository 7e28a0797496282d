//! Loading: read the root file, walk the OpenAPI structure, resolve every `$ref` (loading each
//! referenced file once), check the structure, and hand back one positioned [`Document`].

use crate::build::{Builder, ReadLimits};
use crate::diag::{LoadError, LoadFailure};
use crate::pointer;
use crate::source::{FileId, SourceFile, Span, Text};
use crate::tree::{NodeId, Tree, Value, type_name};
use crate::walk::{Kind, Shape, child};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Component, Path, PathBuf};

/// The OpenAPI version family of a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Version {
    V30,
    V31,
}

/// What to load and with which limits.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Largest file accepted, in bytes.
    pub max_file_size: u64,
    /// Directories outside the root document's directory that `$ref`s may reach.
    pub allow_ref_dirs: Vec<PathBuf>,
    pub limits: ReadLimits,
    /// Check the root document against the official OpenAPI JSON Schema.
    pub validate: bool,
    /// Map regular files of [`MAP_MIN_SIZE`] bytes and more into memory read-only instead of
    /// reading them (off by default). Reading a 13 MB file costs ~7 ms of page zeroing and
    /// copying before parsing can start; a mapping costs ~0.5 ms. The trade: a file truncated
    /// by another process while it is mapped raises `SIGBUS` on the next access to a lost
    /// page (the CLI turns that signal into an error message and exit code 2), and bytes
    /// another process rewrites meanwhile are seen as they change. Library callers that
    /// cannot vouch for their files staying put leave it off.
    pub map_large_files: bool,
}

/// Files at least this large are mapped when [`LoadOptions::map_large_files`] is on.
pub const MAP_MIN_SIZE: u64 = 1024 * 1024;

pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            allow_ref_dirs: Vec::new(),
            limits: ReadLimits::default(),
            validate: true,
            map_large_files: false,
        }
    }
}

/// Where the root document comes from.
#[derive(Debug, Clone)]
pub enum Input {
    Path(PathBuf),
    /// Text read elsewhere (stdin): relative `$ref`s resolve against `base_dir`.
    Text {
        name: String,
        text: Vec<u8>,
        base_dir: PathBuf,
    },
}

/// A loaded OpenAPI document: the positioned tree of every file and what the walk found.
#[derive(Debug)]
pub struct Document {
    pub tree: Tree,
    pub root_file: FileId,
    pub root: NodeId,
    pub version: Version,
    /// The `openapi` field as written.
    pub openapi: String,
    /// For every object that is a `$ref`, the node the reference chain ends at.
    pub refs: HashMap<NodeId, NodeId>,
    /// Every OpenAPI object reached, with its kind, in walk order (refs resolved, each once).
    pub objects: Vec<(NodeId, Kind)>,
    /// Departures from the official schema that do not stop processing (an empty `responses`,
    /// an unknown field): shown as warnings; `--strict` turns them into errors.
    pub warnings: Vec<LoadError>,
}

impl Document {
    /// The node itself, or the end of its `$ref` chain.
    pub fn resolve(&self, id: NodeId) -> NodeId {
        self.refs.get(&id).copied().unwrap_or(id)
    }

    /// The `$ref` string of a node, if it is a reference.
    pub fn ref_of(&self, id: NodeId) -> Option<&str> {
        self.tree.get_str(id, "$ref")
    }

    /// `file:line:col` for a node.
    pub fn display_location(&self, id: NodeId) -> String {
        let (f, lc) = self.tree.location(id);
        format!("{}:{}:{}", self.tree.file(f).display, lc.line, lc.column)
    }
}

/// Load a document.
pub fn load(input: &Input, options: &LoadOptions) -> Result<Document, LoadFailure> {
    load_with(input, options, |_| ()).map(|(doc, ())| doc)
}

/// Load a document and run `work` on it while the structural check against the official
/// schema runs beside it on the thread pool. When the check finds errors that stop processing, the
/// result of `work` is dropped and the failure returned, exactly as [`load`] would.
///
/// This is how `specguard lint` overlaps the check with the rules.
pub fn load_with<R: Send>(
    input: &Input,
    options: &LoadOptions,
    work: impl FnOnce(&Document) -> R + Send,
) -> Result<(Document, R), LoadFailure> {
    let mut l = Loader {
        tree: Tree::default(),
        options,
        by_path: HashMap::default(),
        allowed: Vec::new(),
        errors: Vec::new(),
        cycles: HashSet::default(),
        resolved: HashMap::default(),
    };
    let root_file = match l.load_root(input) {
        Ok(f) => f,
        Err(e) => return Err(l.fail(e)),
    };
    let Some(root) = l.tree.root(root_file) else {
        return Err(l.fail(LoadError::new("empty", "the document is empty")));
    };
    let (version, openapi) = match check_root(&l.tree, root_file, root) {
        Ok(v) => v,
        Err(e) => return Err(l.fail(e)),
    };
    // On the thread pool, not on threads of their own: each new thread would start a heap of
    // its own in the allocator (fresh pages to fault in and zero: ~6 MB a thread on GitHub's
    // spec), and the pool's threads are warm already.
    let ((), (refs, objects)) = rayon::join(
        || {
            if options.validate {
                crate::validate::prepare(version);
            }
        },
        || {
            let _ph = crate::timing::phase("walk");
            l.walk(root)
        },
    );
    let walk_errors = std::mem::take(&mut l.errors);
    let mut doc = Document {
        tree: l.tree,
        root_file,
        root,
        version,
        openapi,
        refs,
        objects,
        warnings: Vec::new(),
    };
    let check = |doc: &Document| {
        let _ph = crate::timing::phase("structural-check");
        crate::validate::check(&doc.tree, root, version, &doc.refs)
    };
    let (flat, result) = if !options.validate {
        (Ok(Vec::new()), walk_errors.is_empty().then(|| work(&doc)))
    } else if !walk_errors.is_empty() {
        // The document is broken already: report the structural problems too, run nothing.
        (check(&doc), None)
    } else {
        let (flat, result) = rayon::join(
            || {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&doc)))
                    .unwrap_or_else(|_| {
                        Err(LoadError::new(
                            "internal",
                            "the structural check stopped unexpectedly",
                        ))
                    })
            },
            || work(&doc),
        );
        (flat, Some(result))
    };
    let (mut errors, warnings) = if options.validate {
        crate::validate::place(&doc.tree, root, &doc.refs, flat)
    } else {
        (Vec::new(), Vec::new())
    };
    let mut all = walk_errors;
    all.append(&mut errors);
    match result {
        Some(r) if all.is_empty() => {
            doc.warnings = warnings;
            Ok((doc, r))
        }
        _ => Err(LoadFailure {
            files: doc.tree.files,
            errors: all,
        }),
    }
}

struct Loader<'o> {
    tree: Tree,
    options: &'o LoadOptions,
    /// Canonical path → file, so every file is read once.
    by_path: HashMap<PathBuf, FileId>,
    /// Canonical directories `$ref`s may reach.
    allowed: Vec<PathBuf>,
    errors: Vec<LoadError>,
    /// Members of `$ref` loops already reported.
    cycles: HashSet<NodeId>,
    /// `$ref` strings already resolved, by the file they appear in (a large spec repeats the
    /// same few thousand references, and a pointer walk scans `components` linearly).
    resolved: HashMap<FileId, HashMap<Box<str>, NodeId>>,
}

impl Loader<'_> {
    fn fail(mut self, e: LoadError) -> LoadFailure {
        self.errors.push(e);
        LoadFailure {
            files: self.tree.files,
            errors: self.errors,
        }
    }

    fn load_root(&mut self, input: &Input) -> Result<FileId, LoadError> {
        let (display, path, bytes, dir) = match input {
            Input::Path(p) => {
                let bytes = read_capped(p, self.options)?;
                let canon = p.canonicalize().unwrap_or_else(|_| p.clone());
                let dir = canon.parent().map(Path::to_path_buf).unwrap_or_default();
                (p.display().to_string(), canon, bytes, dir)
            }
            Input::Text {
                name,
                text,
                base_dir,
            } => {
                if text.len() as u64 > self.options.max_file_size {
                    return Err(too_large(
                        name,
                        text.len() as u64,
                        self.options.max_file_size,
                    ));
                }
                let dir = base_dir.canonicalize().unwrap_or_else(|_| base_dir.clone());
                (
                    name.clone(),
                    dir.join(name),
                    Bytes::Owned(text.clone()),
                    dir,
                )
            }
        };
        self.allowed.push(dir);
        for d in &self.options.allow_ref_dirs {
            self.allowed
                .push(d.canonicalize().unwrap_or_else(|_| d.clone()));
        }
        self.add_file(path, display, bytes)
    }

    /// Parse one file's bytes into the tree.
    fn add_file(
        &mut self,
        path: PathBuf,
        display: String,
        bytes: Bytes,
    ) -> Result<FileId, LoadError> {
        let id = FileId(self.tree.files.len() as u32);
        self.by_path.insert(path.clone(), id);
        let text = match bytes.into_text() {
            Ok(t) => t,
            Err((bytes, at)) => {
                let lossy = String::from_utf8_lossy(&bytes).into_owned();
                self.tree.files.push(SourceFile::new(path, display, lossy));
                self.tree.roots.push(NodeId(u32::MAX));
                return Err(LoadError::new(
                    "invalid-utf8",
                    format!("the file is not valid UTF-8 (byte {at})"),
                )
                .at(id, Span::new(at, at + 1), "invalid byte here")
                .help("OpenAPI documents must be UTF-8 encoded"));
            }
        };
        self.tree.files.push(SourceFile::new(path, display, text));
        self.tree.roots.push(NodeId(u32::MAX));
        let text = &self.tree.files[id.0 as usize].text;
        let first = text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .chars()
            .next();
        if first.is_none() {
            return Err(LoadError::new("empty", "the file is empty")
                .at(id, Span::new(0, 0), "nothing here")
                .help(
                    "an OpenAPI document is an object with at least `openapi`, `info` and `paths`",
                ));
        }
        // Choose the syntax by content: JSON documents start with `{` or `[`.
        let is_json = matches!(first, Some('{' | '['));
        let text = std::mem::take(&mut self.tree.files[id.0 as usize].text);
        let _t = crate::timing::phase("parse");
        // Real documents hold about one node per 50 bytes (GitHub's: 258 000 nodes in 13 MB);
        // reserving up front spares the arena its regrowing copies.
        self.tree
            .nodes
            .reserve((text.len() / 48).min(self.options.limits.max_nodes));
        let mut b = Builder::new(&mut self.tree, id, self.options.limits);
        let r = if is_json {
            crate::json::read(&text, &mut b)
        } else {
            crate::yaml::read(&text, &mut b)
        };
        let root = b.root;
        self.tree.files[id.0 as usize].text = text;
        r?;
        match root {
            Some(r) => {
                self.tree.roots[id.0 as usize] = r;
                Ok(id)
            }
            None => Err(LoadError::new("empty", "the file holds no value").at(
                id,
                Span::new(0, 0),
                "nothing here",
            )),
        }
    }

    /// Walk the OpenAPI structure from the root, resolving refs as they are met.
    fn walk(&mut self, root: NodeId) -> (HashMap<NodeId, NodeId>, Vec<(NodeId, Kind)>) {
        let mut refs = HashMap::default();
        let mut objects = Vec::new();
        // Per node, a bit for each kind it was visited as.
        const _: () = assert!((Kind::Components as u32) < 32, "a kind per bit of a u32");
        let mut seen: Vec<u32> = vec![0; self.tree.nodes.len()];
        // Depth first, in document order, shared `components` before the paths that use them:
        // a rule that reports a shared problem once reports it at the first place in this
        // order. Depth first also reads the tree in the order it lies in memory (breadth first
        // jumped across the whole document at every level: a cache miss per object).
        let mut queue: Vec<(NodeId, Kind)> = vec![(root, Kind::Document)];
        // What the last object pushed: reversed before the next pop, so that its children
        // are visited in document order (and a `$ref` target before its siblings).
        let mut pushed: Option<(usize, Kind)> = None;
        let root_file = self.tree.node(root).file;
        loop {
            if let Some((mark, parent)) = pushed.take()
                && let Some(children) = queue.get_mut(mark..)
            {
                children.reverse();
                if parent == Kind::Document
                    && let Some(i) = children.iter().position(|(_, k)| *k == Kind::Components)
                {
                    let components = queue.remove(mark + i);
                    queue.push(components);
                }
            }
            let Some((id, kind)) = queue.pop() else { break };
            pushed = Some((queue.len(), kind));
            // Files loaded by `$ref`s add nodes as the walk goes.
            if seen.len() <= id.0 as usize {
                seen.resize(self.tree.nodes.len().max(id.0 as usize + 1), 0);
            }
            let bit = 1u32 << (kind as u32);
            match seen.get_mut(id.0 as usize) {
                Some(s) if *s & bit == 0 => *s |= bit,
                _ => continue,
            }
            let is_object = self.tree.is_object(id);
            if !is_object {
                // Schemas may be booleans in 3.1; anything else that is not an object is reported
                // by the JSON Schema check for the root file and here for referenced files.
                let boolean_schema = kind == Kind::Schema && self.tree.bool(id).is_some();
                if !boolean_schema && self.tree.node(id).file != root_file {
                    self.errors.push(self.shape_error(id, kind, "an object"));
                }
                continue;
            }
            if kind.allows_ref()
                && let Some(r) = self.tree.get(id, "$ref")
            {
                if let Some(target) = self.resolve_chain(id, kind) {
                    refs.insert(id, target);
                    queue.push((target, kind));
                }
                if kind != Kind::Schema {
                    continue;
                }
                let _ = r;
            }
            objects.push((id, kind));
            for i in 0..self.tree.members(id).len() {
                let Some((shape, value)) = self
                    .tree
                    .members(id)
                    .get(i)
                    .and_then(|m| Some((child(kind, &m.key)?, m.value)))
                else {
                    continue;
                };
                // A whole map or list given by `$ref` (`properties: {$ref: common.yaml#/props}`):
                // not in the specification, but common in split documents and accepted by
                // bundlers, so follow it.
                let value = match shape {
                    Shape::Map(_) | Shape::List(_)
                        if self
                            .tree
                            .get(value, "$ref")
                            .is_some_and(|r| self.tree.str(r).is_some()) =>
                    {
                        match self.tree.get(value, "$ref").map(|r| self.resolve_one(r)) {
                            Some(Ok(t)) => {
                                refs.insert(value, t);
                                t
                            }
                            Some(Err(e)) => {
                                self.errors.push(e);
                                continue;
                            }
                            None => continue,
                        }
                    }
                    _ => value,
                };
                match shape {
                    Shape::One(k) => queue.push((value, k)),
                    Shape::Map(k) => {
                        if !self.tree.is_object(value) {
                            if self.tree.node(value).file != root_file {
                                self.errors
                                    .push(self.shape_error(value, k, "a map of them"));
                            }
                            continue;
                        }
                        // Keys of these maps are names (`x-request-id` is a header), not extensions.
                        for m in self.tree.members(value) {
                            queue.push((m.value, k));
                        }
                    }
                    Shape::List(k) => {
                        for &item in self.tree.items(value) {
                            queue.push((item, k));
                        }
                    }
                    Shape::OneOrList(k) => match self.tree.value(value) {
                        Value::Array(items) => {
                            for &item in items {
                                queue.push((item, k));
                            }
                        }
                        _ => queue.push((value, k)),
                    },
                }
            }
        }
        (refs, objects)
    }

    fn shape_error(&self, id: NodeId, kind: Kind, what: &str) -> LoadError {
        let n = self.tree.node(id);
        LoadError::new(
            "structure",
            format!(
                "expected {what} ({}), found {}",
                kind.object_name(),
                type_name(&n.value)
            ),
        )
        .at(n.file, self.tree.report_span(id), format!("must be {what}"))
        .pointer(self.tree.pointer(id))
    }

    /// Follow a `$ref` chain from `start` to a node that is not itself a reference.
    fn resolve_chain(&mut self, start: NodeId, kind: Kind) -> Option<NodeId> {
        let mut chain: Vec<NodeId> = vec![start];
        let mut cur = start;
        loop {
            let ref_node = self.tree.get(cur, "$ref")?;
            let target = match self.resolve_one(ref_node) {
                Ok(t) => t,
                Err(e) => {
                    self.errors.push(e);
                    return None;
                }
            };
            if !(kind.allows_ref()
                && self.tree.is_object(target)
                && self.tree.get(target, "$ref").is_some())
            {
                return Some(target);
            }
            if let Some(loop_at) = chain.iter().position(|&c| c == target) {
                // Report each loop once, from the first member the walk reached.
                let members = &chain[loop_at..];
                if members.iter().any(|m| self.cycles.contains(m)) {
                    return None;
                }
                self.cycles.extend(members.iter().copied());
                let names: Vec<String> = chain
                    .iter()
                    .chain(std::iter::once(&target))
                    .map(|&n| self.ref_name(n))
                    .collect();
                // The chain's first `$ref` (`ref_node` is the last one, the one closing the loop).
                let first = self.tree.get(start, "$ref").unwrap_or(ref_node);
                let n = self.tree.node(first);
                let mut e = LoadError::new(
                    "ref-cycle",
                    format!("`$ref` chain never reaches a value: {}", names.join(" → ")),
                )
                .at(n.file, n.span, "this reference starts the loop")
                .pointer(self.tree.pointer(start))
                .help("make one link of the chain a real object instead of another `$ref`");
                for &c in chain.iter().skip(1) {
                    if let Some(r) = self.tree.get(c, "$ref") {
                        let rn = self.tree.node(r);
                        e = e.also(rn.file, rn.span, "which refers on here");
                    }
                }
                self.errors.push(e);
                return None;
            }
            if chain.len() > 64 {
                let n = self.tree.node(ref_node);
                self.errors.push(
                    LoadError::new("ref-chain-too-long", "`$ref` chain longer than 64 links").at(
                        n.file,
                        n.span,
                        "starting here",
                    ),
                );
                return None;
            }
            chain.push(target);
            cur = target;
        }
    }

    fn ref_name(&self, n: NodeId) -> String {
        let f = self.tree.node(n).file;
        let file = if f.0 == 0 {
            String::new()
        } else {
            self.tree.file(f).display.clone()
        };
        format!("{file}#{}", self.tree.pointer(n))
    }

    /// Resolve the single `$ref` string node `ref_node` to its target node.
    fn resolve_one(&mut self, ref_node: NodeId) -> Result<NodeId, LoadError> {
        let n = self.tree.node(ref_node);
        if let Value::String(r) = &n.value
            && let Some(&target) = self.resolved.get(&n.file).and_then(|m| m.get(r.as_str()))
        {
            return Ok(target);
        }
        let target = self.resolve_uncached(ref_node)?;
        let n = self.tree.node(ref_node);
        if let Value::String(r) = &n.value {
            self.resolved
                .entry(n.file)
                .or_default()
                .insert(r.as_str().into(), target);
        }
        Ok(target)
    }

    fn resolve_uncached(&mut self, ref_node: NodeId) -> Result<NodeId, LoadError> {
        let n = self.tree.node(ref_node);
        let (file, span) = (n.file, n.span);
        let err = |code: &'static str, msg: String| {
            LoadError::new(code, msg).at(file, span, "this reference")
        };
        let Some(r) = self.tree.str(ref_node).map(str::to_owned) else {
            return Err(err("ref-not-string", "`$ref` must be a string".into())
                .pointer(self.tree.pointer(ref_node)));
        };
        let (uri, fragment) = match r.split_once('#') {
            Some((u, f)) => (u, f),
            None => (r.as_str(), ""),
        };
        let lower = uri.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
        {
            return Err(err(
                "ref-remote",
                format!("`{r}` points to the network; specguard never fetches remote references"),
            )
            .help("download the file next to the document and refer to it with a relative path"));
        }
        if let Some((scheme, _)) = uri.split_once(':')
            && scheme.len() > 1
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        {
            return Err(err(
                "ref-unsupported",
                format!(
                    "`{r}` uses the `{scheme}:` scheme; only relative file references are supported"
                ),
            ));
        }
        let target_file = if uri.is_empty() {
            file
        } else {
            self.load_referenced(file, uri, &r).map_err(|e| {
                if e.primary.is_none() {
                    let mut e = e;
                    e.primary = Some(crate::diag::Label {
                        file,
                        span,
                        message: "this reference".into(),
                    });
                    e
                } else {
                    e
                }
            })?
        };
        if !fragment.is_empty() && !fragment.starts_with('/') {
            return Err(err(
                "ref-unsupported",
                format!(
                    "`#{fragment}` is a plain-name fragment ($anchor); use a JSON pointer such as `#/components/schemas/Name`"
                ),
            ));
        }
        let segments = pointer::parse_fragment(fragment)
            .map_err(|e| err("ref-bad-pointer", format!("`{r}`: {e}")))?;
        let Some(root) = self.tree.root(target_file).filter(|r| r.0 != u32::MAX) else {
            return Err(err(
                "ref-not-found",
                format!("`{r}`: the file could not be read"),
            ));
        };
        self.tree
            .walk_pointer(root, segments.iter().map(String::as_str))
            .ok_or_else(|| {
                err(
                    "ref-not-found",
                    format!("`{r}` does not resolve: no value at `#{fragment}`"),
                )
                .pointer(self.tree.pointer(ref_node))
                .help("check the spelling; `~1` stands for `/` and `~0` for `~` in a pointer")
            })
    }

    fn load_referenced(
        &mut self,
        from: FileId,
        uri: &str,
        full: &str,
    ) -> Result<FileId, LoadError> {
        let decoded = percent_encoding::percent_decode_str(uri)
            .decode_utf8()
            .map_err(|_| {
                LoadError::new(
                    "ref-bad-pointer",
                    format!("`{full}` is not valid percent-encoded UTF-8"),
                )
            })?;
        let base = self
            .tree
            .file(from)
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let joined = normalize(&base.join(&*decoded));
        let canon = match joined.canonicalize() {
            Ok(c) => c,
            Err(e) => {
                return Err(LoadError::new(
                    "ref-not-found",
                    format!("`{full}`: cannot read {}: {e}", joined.display()),
                ));
            }
        };
        if !self.allowed.iter().any(|d| canon.starts_with(d)) {
            return Err(LoadError::new(
                "ref-outside-root",
                format!(
                    "`{full}` resolves to {}, outside the document's directory",
                    canon.display()
                ),
            )
            .help("references may not leave the root document's directory; allow a directory with --allow-ref-dir DIR"));
        }
        if let Some(&f) = self.by_path.get(&canon) {
            return Ok(f);
        }
        let bytes = read_capped(&canon, self.options)?;
        let display = display_path(
            &self.tree.file(FileId(0)).display,
            &self.tree.file(FileId(0)).path,
            &canon,
        );
        match self.add_file(canon, display, bytes) {
            Ok(f) => Ok(f),
            Err(e) => {
                // The file's own error has its own position; report it and a failed ref.
                self.errors.push(e);
                Err(LoadError::new(
                    "ref-not-found",
                    format!("`{full}`: the referenced file could not be loaded"),
                ))
            }
        }
    }
}

/// A path shown to users for a referenced file: relative to the root's shown directory.
fn display_path(root_display: &str, root_canon: &Path, target: &Path) -> String {
    let root_dir = root_canon.parent().unwrap_or(Path::new(""));
    let shown_dir = Path::new(root_display).parent().unwrap_or(Path::new(""));
    match target.strip_prefix(root_dir) {
        Ok(rel) => shown_dir.join(rel).display().to_string(),
        Err(_) => target.display().to_string(),
    }
}

/// Lexically remove `.` and `..` components.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c.as_os_str()),
        }
    }
    out
}

fn too_large(name: &str, size: u64, max: u64) -> LoadError {
    LoadError::new(
        "too-large",
        format!("{name} is {size} bytes, over the {max}-byte limit"),
    )
    .help("raise the limit with --max-file-size BYTES if the file is genuine")
}

/// A file's bytes: read into memory, or mapped.
enum Bytes {
    Owned(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl Bytes {
    /// The text, or the bytes back with the offset of the first byte that is not UTF-8.
    fn into_text(self) -> Result<Text, (Bytes, usize)> {
        match self {
            Bytes::Owned(v) => String::from_utf8(v).map(Text::from).map_err(|e| {
                let at = e.utf8_error().valid_up_to();
                (Bytes::Owned(e.into_bytes()), at)
            }),
            Bytes::Mapped(m) => {
                Text::mapped(m).map_err(|(m, e)| (Bytes::Mapped(m), e.valid_up_to()))
            }
        }
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Owned(v) => v,
            Bytes::Mapped(m) => m,
        }
    }
}

/// Map `f` read-only (see [`LoadOptions::map_large_files`] for the trade); `None` when the
/// system refuses, and the caller reads instead.
#[allow(unsafe_code)]
fn map_file(f: &std::fs::File) -> Option<memmap2::Mmap> {
    // SAFETY: the mapping is read-only and private and lives as long as the `Text` that owns
    // it. What memmap2 cannot rule out is another process truncating or rewriting the file
    // meanwhile; callers opt in to that (`map_large_files`).
    unsafe { memmap2::Mmap::map(f) }.ok()
}

fn read_capped(p: &Path, options: &LoadOptions) -> Result<Bytes, LoadError> {
    use std::io::Read;
    let max = options.max_file_size;
    let f = std::fs::File::open(p)
        .map_err(|e| LoadError::new("io", format!("cannot read {}: {e}", p.display())))?;
    let meta = f.metadata().ok();
    if options.map_large_files
        && let Some(m) = &meta
        && m.is_file()
        && (MAP_MIN_SIZE..=max).contains(&m.len())
        && let Some(map) = map_file(&f)
    {
        return Ok(Bytes::Mapped(map));
    }
    // Sized from the file's length (capped), so a large document is read into one buffer
    // instead of a doubling series of copies.
    let hint = meta.map(|m| m.len().min(max) + 1).unwrap_or(0);
    let mut buf = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    f.take(max + 1)
        .read_to_end(&mut buf)
        .map_err(|e| LoadError::new("io", format!("cannot read {}: {e}", p.display())))?;
    if buf.len() as u64 > max {
        let size = std::fs::metadata(p)
            .map(|m| m.len())
            .unwrap_or(buf.len() as u64);
        return Err(too_large(&p.display().to_string(), size, max));
    }
    Ok(Bytes::Owned(buf))
}

/// The root must be an OpenAPI 3.0 or 3.1 object.
fn check_root(tree: &Tree, file: FileId, root: NodeId) -> Result<(Version, String), LoadError> {
    let n = tree.node(root);
    let Value::Object(members) = &n.value else {
        return Err(LoadError::new(
            "not-openapi",
            format!(
                "the document is {} {}, not an OpenAPI object",
                article(type_name(&n.value)),
                type_name(&n.value)
            ),
        )
        .at(
            file,
            Span::new(n.span.start as usize, n.span.start as usize + 1),
            "expected an object with `openapi`, `info` and `paths`",
        ));
    };
    if let Some(m) = tree.get_member(root, "swagger") {
        let v = tree.str(m.value).unwrap_or("?");
        return Err(LoadError::new(
            "swagger-2",
            format!("this is a Swagger {v} document; specguard reads OpenAPI 3.0 and 3.1"),
        )
        .at(file, m.key_span, "Swagger 2.0 marker")
        .help("convert it first, e.g. `npx swagger2openapi in.yaml -o out.yaml`"));
    }
    let Some(m) = tree.get_member(root, "openapi") else {
        let keys: Vec<&str> = members.iter().take(5).map(|m| &*m.key).collect();
        return Err(LoadError::new(
            "not-openapi",
            format!(
                "not an OpenAPI document: no `openapi` field (top-level keys: {})",
                if keys.is_empty() {
                    "none".to_string()
                } else {
                    keys.join(", ")
                }
            ),
        )
        .at(
            file,
            Span::new(n.span.start as usize, n.span.start as usize + 1),
            "document starts here",
        )
        .help("an OpenAPI document starts with `openapi: 3.0.3` or `openapi: 3.1.0`"));
    };
    let v = match &tree.node(m.value).value {
        Value::String(s) => s.to_string(),
        Value::Number(s) => s.to_string(),
        other => type_name(other).to_string(),
    };
    let version = if v.starts_with("3.0") {
        Version::V30
    } else if v.starts_with("3.1") {
        Version::V31
    } else {
        return Err(LoadError::new(
            "unsupported-version",
            format!("OpenAPI version `{v}` is not supported; specguard reads 3.0.x and 3.1.x"),
        )
        .at(file, tree.node(m.value).span, "this version")
        .pointer("/openapi"));
    };
    if !matches!(tree.node(m.value).value, Value::String(_)) {
        return Err(
            LoadError::new("structure", "`openapi` must be a string such as \"3.0.3\"")
                .at(file, tree.node(m.value).span, "quote the version")
                .pointer("/openapi"),
        );
    }
    Ok((version, v))
}

fn article(t: &str) -> &'static str {
    if t.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}
