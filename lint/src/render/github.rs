//! Placeholder replaced by the github renderer.

use super::RunReport;

pub fn render(_r: &RunReport<'_>) -> String {
    String::new()
}
