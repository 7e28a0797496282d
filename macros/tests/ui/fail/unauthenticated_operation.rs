//! Operations without security fail generation unless `allow_unauthenticated = true`.

specguard::api!("specs/open.yaml", module = open);

fn main() {}
