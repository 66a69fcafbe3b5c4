//! The whole pipeline: load a spaCy CNN pipeline directory once, then
//! analyze texts (tokenize → tok2vec → tagger → parser → attribute ruler →
//! lemmatizer → NER), returning byte-offset annotations.
//!
//! [`SpacyPipeline`] holds only immutable weights and tables, so it is
//! `Send + Sync`: share one instance (e.g. in an `Arc`) across threads and
//! call [`SpacyPipeline::analyze`] concurrently. Scratch buffers come from a
//! per-thread pool ([`crate::ops::scratch`]); nothing on the neural path
//! takes a lock.

pub mod parity;

use std::collections::HashMap;
use std::path::Path;

use crate::Error;
use crate::attribute_ruler::{AttributeRuler, RuledToken};
use crate::hash::string_id;
use crate::lemmatizer::Lemmatizer;
use crate::lex::{self, LexTables};
use crate::ner::EntityRecognizer;
use crate::parser::Parser;
use crate::tagger::Tagger;
use crate::tok2vec::{Tok2Vec, TokenFeatures};
use crate::tokenizer::Tokenizer;
use crate::weights::{Config, ModelTree};
use rustc_hash::FxBuildHasher;

/// Which components [`SpacyPipeline::analyze_with`] runs. Components the
/// loaded pipeline does not have are skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Components {
    /// Fine-grained tags (and the attribute ruler's POS).
    pub tagger: bool,
    /// Dependency parse and sentence boundaries.
    pub parser: bool,
    /// Lemmas (needs the tagger's POS).
    pub lemmatizer: bool,
    /// Named entities.
    pub ner: bool,
}

impl Components {
    /// Every component.
    pub const ALL: Components = Components {
        tagger: true,
        parser: true,
        lemmatizer: true,
        ner: true,
    };
    /// Only the entity recognizer (it has its own token encoder).
    pub const NER_ONLY: Components = Components {
        tagger: false,
        parser: false,
        lemmatizer: false,
        ner: true,
    };
}

impl Default for Components {
    fn default() -> Self {
        Self::ALL
    }
}

/// One analyzed token. Offsets are UTF-8 bytes into the analyzed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzedToken {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Fine-grained tag (Penn Treebank for English); "" without the tagger.
    pub tag: String,
    /// Universal POS; "" without the tagger.
    pub pos: String,
    /// Lemma; "" without the lemmatizer.
    pub lemma: String,
    /// Index of the syntactic head (the token itself for roots, and for
    /// every token without the parser).
    pub head: usize,
    /// Dependency label (`ROOT` for roots); "" without the parser.
    pub dep: String,
}

/// The analysis of one text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Analysis {
    /// The tokens, in order.
    pub tokens: Vec<AnalyzedToken>,
    /// Sentences as byte spans (first token start, last token end). Without
    /// the parser the whole document is one sentence.
    pub sentences: Vec<(usize, usize)>,
    /// Entities as byte spans with their label.
    pub entities: Vec<(usize, usize, String)>,
}

/// A loaded spaCy pipeline.
#[derive(Debug)]
pub struct SpacyPipeline {
    tokenizer: Tokenizer,
    lex: LexTables,
    tok2vec: Option<Tok2Vec>,
    tagger: Option<Tagger>,
    parser: Option<Parser>,
    attribute_ruler: Option<AttributeRuler>,
    lemmatizer: Option<Lemmatizer>,
    ner: Option<EntityRecognizer>,
}

fn format_err(path: &Path, message: impl Into<String>) -> Error {
    Error::Format {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

impl SpacyPipeline {
    /// Loads a pipeline directory (as written by `nlp.to_disk`, e.g.
    /// `models/en_core_web_sm-3.8.0`). The enabled components come from
    /// `config.cfg`; supported factories are `tok2vec`, `tagger`, `parser`,
    /// `ner`, `attribute_ruler` and `lemmatizer`.
    pub fn load(model_dir: &Path) -> Result<Self, Error> {
        let cfg_path = model_dir.join("config.cfg");
        let cfg = Config::load(&cfg_path)?;
        let names = cfg
            .strings("nlp", "pipeline")
            .ok_or_else(|| format_err(&cfg_path, "no [nlp] pipeline"))?;
        let disabled = cfg.strings("nlp", "disabled").unwrap_or_default();
        let mut pipe = SpacyPipeline {
            tokenizer: Tokenizer::load(model_dir)?,
            lex: LexTables::load(model_dir)?,
            tok2vec: None,
            tagger: None,
            parser: None,
            attribute_ruler: None,
            lemmatizer: None,
            ner: None,
        };
        for name in names.iter().filter(|n| !disabled.contains(n)) {
            let section = format!("components.{name}");
            let factory = cfg
                .string(&section, "factory")
                .ok_or_else(|| format_err(&cfg_path, format!("component {name} has no factory")))?;
            let dir = model_dir.join(name);
            let model_section = format!("{section}.model");
            for sub in ["embed", "tok2vec.embed"] {
                let s = format!("{model_section}.{sub}");
                if cfg.raw(&s, "include_static_vectors") == Some("true") {
                    return Err(format_err(
                        &cfg_path,
                        format!(
                            "{name}: static vectors (include_static_vectors) are not supported"
                        ),
                    ));
                }
            }
            match factory.as_str() {
                "tok2vec" => {
                    let tree = ModelTree::load(&dir.join("model"))?;
                    pipe.tok2vec = Some(Tok2Vec::from_tree(&tree)?);
                }
                "tagger" => pipe.tagger = Some(Tagger::load(&dir)?),
                "parser" => pipe.parser = Some(Parser::load(&dir)?),
                "ner" => pipe.ner = Some(EntityRecognizer::load(&dir)?),
                "attribute_ruler" => pipe.attribute_ruler = Some(AttributeRuler::load(model_dir)?),
                "lemmatizer" => pipe.lemmatizer = Some(Lemmatizer::load(model_dir)?),
                other => {
                    return Err(format_err(
                        &cfg_path,
                        format!("component {name}: unsupported factory {other:?}"),
                    ));
                }
            }
        }
        let needs_t2v = pipe.tagger.as_ref().is_some_and(|t| !t.has_own_tok2vec())
            || pipe
                .parser
                .as_ref()
                .is_some_and(|p| p.model().own_tok2vec.is_none());
        if needs_t2v && pipe.tok2vec.is_none() {
            return Err(format_err(
                &cfg_path,
                "a component listens to a tok2vec component the pipeline does not have",
            ));
        }
        Ok(pipe)
    }

    /// Runs every component.
    pub fn analyze(&self, text: &str) -> Analysis {
        self.analyze_with(text, Components::ALL)
    }

    /// Runs the chosen components.
    pub fn analyze_with(&self, text: &str, opts: Components) -> Analysis {
        let raw = self.tokenizer.tokenize(text);
        let n = raw.len();
        let words: Vec<&str> = raw.iter().map(|t| &text[t.start..t.end]).collect();
        let is_space: Vec<bool> = words.iter().map(|w| lex::is_space(w)).collect();
        // Lexical ids depend only on the text and the special-case norm:
        // compute them once per distinct word of the document.
        let mut lexemes: HashMap<(&str, Option<&str>), TokenFeatures, FxBuildHasher> =
            HashMap::with_capacity_and_hasher(n, FxBuildHasher);
        let feats: Vec<TokenFeatures> = raw
            .iter()
            .zip(&words)
            .zip(&is_space)
            .map(|((t, w), &sp)| {
                let lexeme = *lexemes.entry((w, t.norm.as_deref())).or_insert_with(|| {
                    let a = self.lex.attrs(w, t.norm.as_deref());
                    TokenFeatures {
                        orth: string_id(w),
                        lower: string_id(&a.lower),
                        norm: string_id(&a.norm),
                        prefix: string_id(&a.prefix),
                        suffix: string_id(&a.suffix),
                        shape: string_id(&a.shape),
                        spacy: false,
                        is_space: false,
                    }
                });
                TokenFeatures {
                    spacy: t.space_after,
                    is_space: sp,
                    ..lexeme
                }
            })
            .collect();
        let mut tokens: Vec<AnalyzedToken> = raw
            .iter()
            .enumerate()
            .map(|(i, t)| AnalyzedToken {
                start: t.start,
                end: t.end,
                tag: String::new(),
                pos: String::new(),
                lemma: String::new(),
                head: i,
                dep: String::new(),
            })
            .collect();
        let run_tagger = opts.tagger || opts.lemmatizer;
        let shared =
            if (run_tagger && self.tagger.is_some()) || (opts.parser && self.parser.is_some()) {
                self.tok2vec.as_ref().map(|t| t.forward(&feats))
            } else {
                None
            };
        if run_tagger && let Some(tagger) = &self.tagger {
            let own;
            let vecs = match tagger.own_tokvecs(&feats) {
                Some(v) => {
                    own = v;
                    &own
                }
                None => shared.as_ref().expect("shared tok2vec checked at load"),
            };
            for (tok, c) in tokens.iter_mut().zip(tagger.predict(vecs)) {
                tok.tag.clone_from(&tagger.labels()[c]);
            }
        }
        // spaCy's token.sent_start: the first token starts a sentence; the
        // parser sets 1 / -1 for every token.
        let mut sent_start: Vec<i8> = vec![0; n];
        if n > 0 {
            sent_start[0] = 1;
        }
        let mut parsed = false;
        if opts.parser
            && n > 0
            && let Some(parser) = &self.parser
        {
            let own;
            let vecs = match parser.model().own_tokvecs(&feats) {
                Some(v) => {
                    own = v;
                    &own
                }
                None => shared.as_ref().expect("shared tok2vec checked at load"),
            };
            let parse = parser.parse(vecs, &is_space);
            for (i, tok) in tokens.iter_mut().enumerate() {
                tok.head = parse.heads[i];
                tok.dep.clone_from(&parse.deps[i]);
                sent_start[i] = if parse.sent_starts[i] { 1 } else { -1 };
            }
            parsed = true;
        }
        let mut ruled: Option<Vec<RuledToken>> = None;
        if (run_tagger || parsed)
            && let Some(ruler) = &self.attribute_ruler
        {
            let tags: Vec<&str> = tokens.iter().map(|t| t.tag.as_str()).collect();
            let deps: Vec<&str> = tokens.iter().map(|t| t.dep.as_str()).collect();
            let r = ruler.apply(&words, &tags, &deps);
            for (tok, r) in tokens.iter_mut().zip(&r) {
                tok.tag.clone_from(&r.tag);
                tok.pos.clone_from(&r.pos);
                tok.dep.clone_from(&r.dep);
                if let Some(l) = &r.lemma {
                    tok.lemma.clone_from(l);
                }
            }
            ruled = Some(r);
        }
        if opts.lemmatizer
            && let Some(lemmatizer) = &self.lemmatizer
        {
            let ruled = ruled.unwrap_or_else(|| {
                tokens
                    .iter()
                    .map(|t| RuledToken {
                        tag: t.tag.clone(),
                        pos: t.pos.clone(),
                        dep: t.dep.clone(),
                        ..RuledToken::default()
                    })
                    .collect()
            });
            for (tok, lemma) in tokens.iter_mut().zip(lemmatizer.lemmatize(&words, &ruled)) {
                tok.lemma = lemma;
            }
        }
        let mut entities = Vec::new();
        if opts.ner
            && n > 0
            && let Some(ner) = &self.ner
        {
            let own;
            let vecs = match ner.model().own_tokvecs(&feats) {
                Some(v) => {
                    own = v;
                    &own
                }
                None => match &shared {
                    Some(v) => v,
                    None => {
                        own = self
                            .tok2vec
                            .as_ref()
                            .map(|t| t.forward(&feats))
                            .unwrap_or_default();
                        &own
                    }
                },
            };
            for e in ner.recognize(vecs, &sent_start, &is_space) {
                entities.push((raw[e.start].start, raw[e.end - 1].end, e.label));
            }
        }
        let mut sentences = Vec::new();
        if n > 0 {
            let mut start = 0;
            for i in 1..n {
                if parsed && sent_start[i] == 1 {
                    sentences.push((raw[start].start, raw[i - 1].end));
                    start = i;
                }
            }
            sentences.push((raw[start].start, raw[n - 1].end));
        }
        Analysis {
            tokens,
            sentences,
            entities,
        }
    }
}
