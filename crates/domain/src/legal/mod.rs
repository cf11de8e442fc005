//! Legal-element engine (in progress).
