//! Reading a spaCy pipeline's files: thinc model trees (msgpack, with numpy
//! arrays in srsly's msgpack-numpy encoding), `config.cfg`, and the small JSON
//! / msgpack side files (`cfg`, `moves`).
//!
//! thinc's `Model.to_bytes` writes `{"nodes", "attrs", "params", "shims"}`:
//! four lists aligned with `model.walk()` (breadth-first). A node records its
//! name, dims and refs (by index); each attr value is itself msgpack-encoded;
//! params are numpy arrays. Child layer lists are not stored, so the
//! architecture code finds layers by name and order (see `tok2vec`,
//! `parser`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rmpv::Value;

use crate::Error;

/// A dense little-endian float32 array from a model file, row-major.
#[derive(Debug, Clone)]
pub struct Array {
    /// The numpy shape.
    pub shape: Vec<usize>,
    /// The values, row-major.
    pub data: Vec<f32>,
}

/// One layer of a thinc model tree.
#[derive(Debug, Clone)]
pub struct Node {
    /// The layer name, e.g. `maxout` or `hashembed`.
    pub name: String,
    /// Dimensions (`nO`, `nI`, `nP`, ...); `None` when unset.
    pub dims: BTreeMap<String, Option<i64>>,
    /// References to other nodes, by index into [`ModelTree::nodes`].
    pub refs: BTreeMap<String, Option<usize>>,
    /// Attributes, decoded from their msgpack bytes.
    pub attrs: BTreeMap<String, Value>,
    /// Parameters.
    pub params: BTreeMap<String, Array>,
}

impl Node {
    /// A dimension, if set.
    pub fn dim(&self, name: &str) -> Option<usize> {
        self.dims
            .get(name)
            .copied()
            .flatten()
            .and_then(|v| usize::try_from(v).ok())
    }

    /// An integer attribute, if present.
    pub fn attr_i64(&self, name: &str) -> Option<i64> {
        self.attrs.get(name).and_then(Value::as_i64)
    }

    /// A list-of-strings attribute, if present.
    pub fn attr_strings(&self, name: &str) -> Option<Vec<String>> {
        let arr = self.attrs.get(name)?.as_array()?;
        arr.iter()
            .map(|v| value_str(v).map(str::to_string))
            .collect()
    }
}

/// A deserialized thinc model (all nodes in `walk()` order).
#[derive(Debug, Clone)]
pub struct ModelTree {
    /// The file it came from (for error messages).
    pub path: PathBuf,
    /// The nodes, root first, breadth-first.
    pub nodes: Vec<Node>,
}

fn format_err(path: &Path, message: impl Into<String>) -> Error {
    Error::Format {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Reads a whole file, mapping errors to [`Error::Io`].
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Reads a UTF-8 text file.
pub fn read_text(path: &Path) -> Result<String, Error> {
    let bytes = read_bytes(path)?;
    String::from_utf8(bytes).map_err(|e| format_err(path, format!("not UTF-8: {e}")))
}

fn value_str(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => s.as_str(),
        Value::Binary(b) => std::str::from_utf8(b).ok(),
        _ => None,
    }
}

fn map_get<'a>(map: &'a [(Value, Value)], key: &str) -> Option<&'a Value> {
    map.iter()
        .find(|(k, _)| value_str(k) == Some(key))
        .map(|(_, v)| v)
}

/// Decodes one msgpack value from bytes.
pub fn decode_msgpack(bytes: &[u8], path: &Path) -> Result<Value, Error> {
    let mut cursor = bytes;
    rmpv::decode::read_value(&mut cursor).map_err(|e| format_err(path, format!("msgpack: {e}")))
}

fn decode_array(v: &Value, path: &Path) -> Result<Array, Error> {
    let map = v
        .as_map()
        .ok_or_else(|| format_err(path, "param is not a msgpack-numpy map"))?;
    let ty = map_get(map, "type")
        .and_then(value_str)
        .ok_or_else(|| format_err(path, "array without a type"))?;
    if ty != "<f4" {
        return Err(format_err(path, format!("unsupported array dtype {ty}")));
    }
    let shape: Vec<usize> = map_get(map, "shape")
        .and_then(Value::as_array)
        .ok_or_else(|| format_err(path, "array without a shape"))?
        .iter()
        .map(|d| d.as_u64().map(|d| d as usize))
        .collect::<Option<_>>()
        .ok_or_else(|| format_err(path, "bad array shape"))?;
    let data = match map_get(map, "data") {
        Some(Value::Binary(b)) => b.as_slice(),
        _ => return Err(format_err(path, "array without data")),
    };
    let n: usize = shape.iter().product();
    if data.len() != n * 4 {
        return Err(format_err(
            path,
            format!("array of shape {shape:?} has {} bytes", data.len()),
        ));
    }
    let data = data
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    Ok(Array { shape, data })
}

impl ModelTree {
    /// Loads a thinc model file (e.g. `tok2vec/model`).
    pub fn load(path: &Path) -> Result<Self, Error> {
        let bytes = read_bytes(path)?;
        Self::from_bytes(&bytes, path)
    }

    /// Parses the bytes of a thinc model file; `path` is for messages.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Self, Error> {
        let root = decode_msgpack(bytes, path)?;
        let map = root
            .as_map()
            .ok_or_else(|| format_err(path, "model file is not a msgpack map"))?;
        let list = |key: &str| -> Result<&Vec<Value>, Error> {
            map_get(map, key)
                .and_then(Value::as_array)
                .ok_or_else(|| format_err(path, format!("model file has no {key:?} list")))
        };
        let nodes_v = list("nodes")?;
        let attrs_v = list("attrs")?;
        let params_v = list("params")?;
        if nodes_v.len() != attrs_v.len() || nodes_v.len() != params_v.len() {
            return Err(format_err(path, "nodes, attrs and params differ in length"));
        }
        let mut nodes = Vec::with_capacity(nodes_v.len());
        for ((node, attrs), params) in nodes_v.iter().zip(attrs_v).zip(params_v) {
            let node_map = node
                .as_map()
                .ok_or_else(|| format_err(path, "node is not a map"))?;
            let name = map_get(node_map, "name")
                .and_then(value_str)
                .unwrap_or_default()
                .to_string();
            let mut dims = BTreeMap::new();
            if let Some(Value::Map(m)) = map_get(node_map, "dims") {
                for (k, v) in m {
                    if let Some(k) = value_str(k) {
                        dims.insert(k.to_string(), v.as_i64());
                    }
                }
            }
            let mut refs = BTreeMap::new();
            if let Some(Value::Map(m)) = map_get(node_map, "refs") {
                for (k, v) in m {
                    if let Some(k) = value_str(k) {
                        refs.insert(k.to_string(), v.as_u64().map(|v| v as usize));
                    }
                }
            }
            let mut attr_map = BTreeMap::new();
            if let Value::Map(m) = attrs {
                for (k, v) in m {
                    let Some(k) = value_str(k) else { continue };
                    let decoded = match v {
                        Value::Binary(b) => decode_msgpack(b, path)?,
                        other => other.clone(),
                    };
                    attr_map.insert(k.to_string(), decoded);
                }
            }
            let mut param_map = BTreeMap::new();
            if let Value::Map(m) = params {
                for (k, v) in m {
                    let Some(k) = value_str(k) else { continue };
                    if v.is_nil() {
                        continue;
                    }
                    param_map.insert(k.to_string(), decode_array(v, path)?);
                }
            }
            nodes.push(Node {
                name,
                dims,
                refs,
                attrs: attr_map,
                params: param_map,
            });
        }
        Ok(ModelTree {
            path: path.to_path_buf(),
            nodes,
        })
    }

    /// Indices of the nodes named `name`, in walk order.
    pub fn find(&self, name: &str) -> Vec<usize> {
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.name == name)
            .map(|(i, _)| i)
            .collect()
    }

    /// The node a ref of the root node points to.
    pub fn root_ref(&self, name: &str) -> Result<usize, Error> {
        self.nodes
            .first()
            .and_then(|n| n.refs.get(name).copied().flatten())
            .ok_or_else(|| self.err(format!("root node has no ref {name:?}")))
    }

    /// A parameter of node `idx`, checked to have `ndim` dimensions.
    pub fn param(&self, idx: usize, name: &str, ndim: usize) -> Result<&Array, Error> {
        let node = &self.nodes[idx];
        let arr = node
            .params
            .get(name)
            .ok_or_else(|| self.err(format!("node {idx} ({}) has no param {name}", node.name)))?;
        if arr.shape.len() != ndim {
            return Err(self.err(format!(
                "param {name} of node {idx} ({}) has shape {:?}, expected {ndim} dims",
                node.name, arr.shape
            )));
        }
        Ok(arr)
    }

    /// A format error about this file.
    pub fn err(&self, message: impl Into<String>) -> Error {
        format_err(&self.path, message)
    }
}

/// A parsed `config.cfg`: section name -> key -> raw value text.
#[derive(Debug, Clone, Default)]
pub struct Config {
    sections: BTreeMap<String, BTreeMap<String, String>>,
}

impl Config {
    /// Loads and parses `config.cfg` (INI with JSON-ish values).
    pub fn load(path: &Path) -> Result<Self, Error> {
        Ok(Self::parse(&read_text(path)?))
    }

    /// Parses config text. Multi-line values are not used by the values we
    /// read and are kept as their first line.
    pub fn parse(text: &str) -> Self {
        let mut sections: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        let mut current = String::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            if line.starts_with('[') && line.ends_with(']') {
                current = line[1..line.len() - 1].trim().to_string();
                sections.entry(current.clone()).or_default();
                continue;
            }
            if let Some((k, v)) = line.split_once('=') {
                sections
                    .entry(current.clone())
                    .or_default()
                    .insert(k.trim().to_string(), v.trim().to_string());
            }
        }
        Config { sections }
    }

    /// The raw value text of `key` in `section`.
    pub fn raw(&self, section: &str, key: &str) -> Option<&str> {
        self.sections.get(section)?.get(key).map(String::as_str)
    }

    /// A value parsed as JSON (`"x"`, `[..]`, `1`, `true`, `null`).
    pub fn json(&self, section: &str, key: &str) -> Option<serde_json::Value> {
        serde_json::from_str(self.raw(section, key)?).ok()
    }

    /// A string value.
    pub fn string(&self, section: &str, key: &str) -> Option<String> {
        match self.json(section, key)? {
            serde_json::Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A list-of-strings value.
    pub fn strings(&self, section: &str, key: &str) -> Option<Vec<String>> {
        match self.json(section, key)? {
            serde_json::Value::Array(a) => a
                .into_iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => None,
        }
    }

    /// Whether the section exists.
    pub fn has_section(&self, section: &str) -> bool {
        self.sections.contains_key(section)
    }
}

/// Reads a transition system's `moves` file: the labels per action id, as
/// `action -> [(label, freq)]` in file order.
pub fn read_moves(path: &Path) -> Result<BTreeMap<i64, Vec<(String, i64)>>, Error> {
    let bytes = read_bytes(path)?;
    let root = decode_msgpack(&bytes, path)?;
    let map = root
        .as_map()
        .ok_or_else(|| format_err(path, "moves file is not a map"))?;
    let json = map_get(map, "moves")
        .and_then(value_str)
        .ok_or_else(|| format_err(path, "moves file has no moves"))?;
    let parsed: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(json).map_err(|e| format_err(path, format!("moves JSON: {e}")))?;
    let mut out = BTreeMap::new();
    for (action, labels) in parsed {
        let action: i64 = action
            .parse()
            .map_err(|_| format_err(path, format!("bad action id {action:?}")))?;
        let mut list = Vec::new();
        if let serde_json::Value::Object(labels) = labels {
            for (label, freq) in labels {
                list.push((label, freq.as_i64().unwrap_or(0)));
            }
        }
        out.insert(action, list);
    }
    Ok(out)
}

/// Reads a component's JSON `cfg` file.
pub fn read_json(path: &Path) -> Result<serde_json::Value, Error> {
    let text = read_text(path)?;
    serde_json::from_str(&text).map_err(|e| format_err(path, format!("JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_values() {
        let cfg = Config::parse(
            "[nlp]\nlang = \"en\"\npipeline = [\"tok2vec\",\"ner\"]\n\n[components.ner.model]\nhidden_width = 64\n",
        );
        assert_eq!(cfg.string("nlp", "lang").as_deref(), Some("en"));
        assert_eq!(
            cfg.strings("nlp", "pipeline"),
            Some(vec!["tok2vec".to_string(), "ner".to_string()])
        );
        assert_eq!(cfg.raw("components.ner.model", "hidden_width"), Some("64"));
    }
}
