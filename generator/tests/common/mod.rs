//! Shared helpers: load a document from text and generate.
#![allow(dead_code, clippy::panic)]

use specguard_generator::{GenError, Generated, Generator, Settings};
use specguard_spec::{Document, Input, LoadOptions};

pub fn load(text: &str) -> Document {
    let input = Input::Text {
        name: "openapi.yaml".into(),
        text: text.as_bytes().to_vec(),
        base_dir: std::env::temp_dir(),
    };
    match specguard_spec::load(&input, &LoadOptions::default()) {
        Ok(d) => d,
        Err(e) => panic!("the test document does not load:\n{e}"),
    }
}

pub fn generate_with(text: &str, settings: Settings) -> Result<Generated, GenError> {
    Generator::new(settings).generate(&load(text))
}

pub fn generate(text: &str) -> Generated {
    match generate_with(text, Settings::default()) {
        Ok(g) => g,
        Err(e) => panic!("generation failed:\n{e}"),
    }
}
