//! Loading errors name the file at fault; edge-case inputs embed.

use embed::{EmbedError, Embedder};
use std::path::PathBuf;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("eventline-embed-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("1_Pooling")).unwrap();
    dir
}

#[test]
fn missing_directory_names_the_file() {
    let err = Embedder::load(&PathBuf::from("/nonexistent/model"))
        .err()
        .unwrap();
    assert!(matches!(err, EmbedError::Io { .. }), "{err}");
    assert!(
        err.to_string().contains("/nonexistent/model/modules.json"),
        "{err}"
    );
}

#[test]
fn other_poolings_are_refused() {
    let bundled = embed::model_dir().expect("the bundled model");
    let dir = temp_dir("cls");
    std::fs::copy(bundled.join("modules.json"), dir.join("modules.json")).unwrap();
    let pooling = std::fs::read_to_string(bundled.join("1_Pooling/config.json"))
        .unwrap()
        .replace(
            "\"pooling_mode_cls_token\": false",
            "\"pooling_mode_cls_token\": true",
        );
    std::fs::write(dir.join("1_Pooling/config.json"), pooling).unwrap();
    let err = Embedder::load(&dir).err().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(matches!(err, EmbedError::Config { .. }), "{err}");
    assert!(err.to_string().contains("only mean pooling"), "{err}");
}

#[test]
fn edge_inputs() {
    let embedder = Embedder::load_default().expect("the bundled model");
    assert!(embedder.embed(&[]).unwrap().is_empty());
    // Nothing but [CLS] and [SEP]: still a unit vector, as in sentence-transformers.
    for text in ["", "   ", "\u{0}\u{7}"] {
        assert_eq!(embedder.token_ids(text).unwrap(), [101, 102], "{text:?}");
        let v = embedder.embed_one(text).unwrap();
        let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5, "{text:?}: norm {norm}");
    }
    let long = "word ".repeat(1000);
    assert_eq!(
        embedder.token_ids(&long).unwrap().len(),
        embedder.max_seq_length()
    );
    assert_eq!(embedder.max_seq_length(), 256);
}
