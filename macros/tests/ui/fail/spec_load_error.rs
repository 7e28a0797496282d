//! A document that does not load: every problem is reported at the macro call with its
//! file:line:col and the fix.

specguard::api!("specs/broken.yaml");

fn main() {}
