//! meantime (to be written).
