//! A posted form read as its fields in order, for forms whose boxes share a name (a list of
//! checkboxes, a row per goal): read strictly, as every other form is.

/// A posted form as its fields in order: a list's boxes share a name.
pub(crate) type Fields = Vec<(String, String)>;

/// The first value of `name` (blank if not sent).
pub(crate) fn one(fields: &Fields, name: &str) -> String {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Every value of `name`, in order.
pub(crate) fn all(fields: &Fields, name: &str) -> Vec<String> {
    fields
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// Whether every field is one of `known` (a form is read strictly, as every other is).
pub(crate) fn only(fields: &Fields, known: &[&str]) -> bool {
    fields.iter().all(|(n, _)| known.contains(&n.as_str()))
}
