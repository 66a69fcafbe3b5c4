//! lemmatizer (to be written).
