//! spaCy's `attribute_ruler` component: token patterns (over TAG, LOWER,
//! DEP, IS_SPACE, ...) that set POS, MORPH, LEMMA, TAG and DEP. In
//! `en_core_web_sm` this is the tag map (fine-grained TAG -> POS and
//! morphology) plus exceptions that look at the word and its dependency.
//!
//! As in spaCy, every pattern is matched against the annotations the tagger
//! and parser produced, and then the matches are applied in pattern order, a
//! later pattern overwriting what an earlier one set.

use std::path::Path;

use rmpv::Value;

use crate::Error;
use crate::lex;

/// A token attribute a pattern can test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attr {
    Orth,
    Lower,
    Tag,
    Dep,
    IsSpace,
}

/// A test on one attribute.
#[derive(Debug, Clone)]
enum Cond {
    Eq(String),
    In(Vec<String>),
    NotIn(Vec<String>),
    Regex(regex::Regex),
    Bool(bool),
}

/// One token of a pattern: all its tests must hold.
type TokenSpec = Vec<(Attr, Cond)>;

/// What a rule sets on the target token.
#[derive(Debug, Clone, Default)]
struct SetAttrs {
    pos: Option<String>,
    morph: Option<String>,
    lemma: Option<String>,
    tag: Option<String>,
    dep: Option<String>,
}

/// One `AttributeRuler.add` call: patterns, attributes, target index.
#[derive(Debug, Clone)]
struct Rule {
    patterns: Vec<Vec<TokenSpec>>,
    attrs: SetAttrs,
    index: i64,
}

/// The annotations of one token after the attribute ruler.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RuledToken {
    /// Fine-grained tag (the tagger's, or "_SP" set for whitespace tokens).
    pub tag: String,
    /// Universal POS ("" when no rule set one).
    pub pos: String,
    /// Morphological features in UD form ("Number=Sing|PronType=Prs"; "" for none).
    pub morph: String,
    /// A lemma a rule fixed (the lemmatizer keeps it), if any.
    pub lemma: Option<String>,
    /// Dependency label (the parser's, or "dep" set for whitespace tokens).
    pub dep: String,
}

/// The attribute ruler of one pipeline.
#[derive(Debug, Clone)]
pub struct AttributeRuler {
    rules: Vec<Rule>,
}

fn fmt_err(path: &Path, message: impl Into<String>) -> Error {
    Error::Format {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

impl AttributeRuler {
    /// Loads `attribute_ruler/patterns` of the pipeline in `model_dir`.
    pub fn load(model_dir: &Path) -> Result<Self, Error> {
        let path = model_dir.join("attribute_ruler").join("patterns");
        let bytes = std::fs::read(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let root =
            rmpv::decode::read_value(&mut &bytes[..]).map_err(|e| fmt_err(&path, e.to_string()))?;
        let list = root
            .as_array()
            .ok_or_else(|| fmt_err(&path, "patterns are not a list"))?;
        let rules = list
            .iter()
            .enumerate()
            .map(|(i, v)| parse_rule(v).map_err(|m| fmt_err(&path, format!("rule {i}: {m}"))))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { rules })
    }

    /// Applies the rules to a tagged and parsed sentence or document: `words`
    /// are the token texts, `tags` the tagger's fine-grained tags and `deps`
    /// the parser's labels (all the same length).
    pub fn apply(&self, words: &[&str], tags: &[&str], deps: &[&str]) -> Vec<RuledToken> {
        let n = words.len();
        assert!(
            tags.len() == n && deps.len() == n,
            "words, tags and deps differ in length"
        );
        let lowers: Vec<String> = words.iter().map(|w| lex::lower(w)).collect();
        let spaces: Vec<bool> = words.iter().map(|w| lex::is_space(w)).collect();
        let value = |attr: Attr, i: usize| -> &str {
            match attr {
                Attr::Orth => words[i],
                Attr::Lower => &lowers[i],
                Attr::Tag => tags[i],
                Attr::Dep => deps[i],
                Attr::IsSpace => "",
            }
        };
        let holds = |spec: &TokenSpec, i: usize| -> bool {
            spec.iter().all(|(attr, cond)| match cond {
                Cond::Bool(b) => *attr == Attr::IsSpace && spaces[i] == *b,
                Cond::Eq(s) => value(*attr, i) == s,
                Cond::In(list) => list.iter().any(|s| s == value(*attr, i)),
                Cond::NotIn(list) => !list.iter().any(|s| s == value(*attr, i)),
                Cond::Regex(re) => re.is_match(value(*attr, i)),
            })
        };
        let mut out: Vec<RuledToken> = (0..n)
            .map(|i| RuledToken {
                tag: tags[i].to_string(),
                dep: deps[i].to_string(),
                ..RuledToken::default()
            })
            .collect();
        // Match everything on the incoming annotations first, then apply.
        let mut hits: Vec<(usize, usize)> = Vec::new(); // (rule, target token)
        for (r, rule) in self.rules.iter().enumerate() {
            let mut targets: Vec<usize> = Vec::new();
            for pat in &rule.patterns {
                let len = pat.len();
                if len == 0 || len > n {
                    continue;
                }
                for start in 0..=n - len {
                    if pat
                        .iter()
                        .enumerate()
                        .all(|(k, spec)| holds(spec, start + k))
                    {
                        let idx = if rule.index < 0 {
                            len as i64 + rule.index
                        } else {
                            rule.index
                        };
                        if (0..len as i64).contains(&idx) {
                            targets.push(start + idx as usize);
                        }
                    }
                }
            }
            targets.sort_unstable();
            targets.dedup();
            hits.extend(targets.into_iter().map(|t| (r, t)));
        }
        for (r, t) in hits {
            let a = &self.rules[r].attrs;
            let tok = &mut out[t];
            if let Some(v) = &a.tag {
                tok.tag.clone_from(v);
            }
            if let Some(v) = &a.pos {
                tok.pos.clone_from(v);
            }
            if let Some(v) = &a.morph {
                tok.morph = if v == "_" { String::new() } else { v.clone() };
            }
            if let Some(v) = &a.lemma {
                tok.lemma = Some(v.clone());
            }
            if let Some(v) = &a.dep {
                tok.dep.clone_from(v);
            }
        }
        out
    }

    /// Just the POS of each token (see [`AttributeRuler::apply`]).
    pub fn pos(&self, words: &[&str], tags: &[&str], deps: &[&str]) -> Vec<String> {
        self.apply(words, tags, deps)
            .into_iter()
            .map(|t| t.pos)
            .collect()
    }
}

fn get<'a>(map: &'a [(Value, Value)], key: &str) -> Option<&'a Value> {
    map.iter()
        .find(|(k, _)| k.as_str() == Some(key))
        .map(|(_, v)| v)
}

fn strings(v: &Value) -> Result<Vec<String>, String> {
    v.as_array()
        .ok_or("expected a list")?
        .iter()
        .map(|s| {
            s.as_str()
                .map(str::to_string)
                .ok_or_else(|| "expected strings".to_string())
        })
        .collect()
}

fn parse_rule(v: &Value) -> Result<Rule, String> {
    let map = v.as_map().ok_or("not a map")?;
    let patterns = get(map, "patterns")
        .and_then(Value::as_array)
        .ok_or("no patterns")?
        .iter()
        .map(|p| {
            p.as_array()
                .ok_or("pattern is not a list")?
                .iter()
                .map(parse_token_spec)
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut attrs = SetAttrs::default();
    for (k, v) in get(map, "attrs")
        .and_then(Value::as_map)
        .ok_or("no attrs")?
    {
        let k = k.as_str().ok_or("attribute name is not a string")?;
        let v = v
            .as_str()
            .ok_or("attribute value is not a string")?
            .to_string();
        match k {
            "POS" => attrs.pos = Some(v),
            "MORPH" => attrs.morph = Some(v),
            "LEMMA" => attrs.lemma = Some(v),
            "TAG" => attrs.tag = Some(v),
            "DEP" => attrs.dep = Some(v),
            other => return Err(format!("unsupported attribute {other}")),
        }
    }
    let index = get(map, "index").and_then(Value::as_i64).unwrap_or(0);
    Ok(Rule {
        patterns,
        attrs,
        index,
    })
}

fn parse_token_spec(v: &Value) -> Result<TokenSpec, String> {
    let map = v.as_map().ok_or("token pattern is not a map")?;
    let mut spec = Vec::new();
    for (k, v) in map {
        let attr = match k.as_str().ok_or("token attribute is not a string")? {
            "ORTH" | "TEXT" => Attr::Orth,
            "LOWER" => Attr::Lower,
            "TAG" => Attr::Tag,
            "DEP" => Attr::Dep,
            "IS_SPACE" => Attr::IsSpace,
            other => return Err(format!("unsupported token attribute {other}")),
        };
        let cond = match v {
            Value::Boolean(b) if attr == Attr::IsSpace => Cond::Bool(*b),
            Value::String(s) => Cond::Eq(s.as_str().ok_or("not UTF-8")?.to_string()),
            Value::Map(ops) => {
                if ops.len() != 1 {
                    return Err("only one operator per attribute is supported".into());
                }
                let (op, arg) = &ops[0];
                match op.as_str() {
                    Some("IN") => Cond::In(strings(arg)?),
                    Some("NOT_IN") => Cond::NotIn(strings(arg)?),
                    Some("REGEX") => Cond::Regex(
                        regex::Regex::new(arg.as_str().ok_or("regex is not a string")?)
                            .map_err(|e| e.to_string())?,
                    ),
                    _ => return Err(format!("unsupported operator {op}")),
                }
            }
            _ => return Err(format!("unsupported value for {attr:?}")),
        };
        spec.push((attr, cond));
    }
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ruler() -> AttributeRuler {
        AttributeRuler::load(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/en_core_web_sm-3.8.0"),
        )
        .unwrap()
    }

    #[test]
    fn tag_map_and_exceptions() {
        let r = ruler();
        let out = r.apply(
            &["I", "did", "n't", "go", "\n"],
            &["PRP", "VBD", "RB", "VB", "_SP"],
            &["nsubj", "aux", "neg", "ROOT", "dep"],
        );
        let pos: Vec<&str> = out.iter().map(|t| t.pos.as_str()).collect();
        assert_eq!(pos, ["PRON", "AUX", "PART", "VERB", "SPACE"]);
        assert_eq!(out[0].lemma.as_deref(), Some("I"));
        assert_eq!(out[1].lemma.as_deref(), Some("do"));
        assert_eq!(out[2].lemma.as_deref(), Some("not"));
        assert_eq!(out[3].morph, "VerbForm=Inf");
    }
}
