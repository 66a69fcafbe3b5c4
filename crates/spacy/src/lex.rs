//! lex (to be written).
