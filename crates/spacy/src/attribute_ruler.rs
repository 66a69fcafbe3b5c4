//! attribute_ruler (to be written).
