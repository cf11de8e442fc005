//! Screening instruments (in progress).
