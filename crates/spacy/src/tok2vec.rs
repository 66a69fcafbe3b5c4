//! tok2vec (to be written).
