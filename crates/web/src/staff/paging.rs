//! Lists shown a page at a time: `?page=N` (the first page when absent), fetched one row beyond
//! the page to know whether an older page follows, with links to the newer and older pages.

use serde::Deserialize;

/// Which page to show.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PageQuery {
    page: Option<u32>,
}

/// One page of a list at `base`, of `size` rows.
pub(crate) struct Paging {
    page: u32,
    size: i64,
    base: &'static str,
    /// More of the address's query (`sort=name&case=open`), kept from page to page.
    keep: String,
}

impl Paging {
    pub(crate) fn new(query: &PageQuery, size: i64, base: &'static str) -> Self {
        Self::at(query.page, size, base)
    }

    /// Page `page` (the first when `None`).
    pub(crate) fn at(page: Option<u32>, size: i64, base: &'static str) -> Self {
        Self {
            page: page.unwrap_or(1).max(1),
            size,
            base,
            keep: String::new(),
        }
    }

    /// Keeps `query` (already encoded, possibly empty) in the links to other pages.
    pub(crate) fn keeping(self, query: String) -> Self {
        Self {
            keep: query,
            ..self
        }
    }

    /// How many rows to ask for: one more than a page.
    pub(crate) fn limit(&self) -> i64 {
        self.size + 1
    }

    pub(crate) fn offset(&self) -> i64 {
        i64::from(self.page - 1) * self.size
    }

    /// Keeps one page of `rows` (fetched with `limit`) and gives the links to the newer and the
    /// older page, where there are such pages.
    pub(crate) fn links<T>(&self, rows: &mut Vec<T>) -> (Option<String>, Option<String>) {
        let size = usize::try_from(self.size).unwrap_or(usize::MAX);
        let more = rows.len() > size;
        rows.truncate(size);
        (
            (self.page > 1).then(|| self.href(self.page - 1)),
            more.then(|| self.href(self.page + 1)),
        )
    }

    fn href(&self, page: u32) -> String {
        let page = (page > 1).then(|| format!("page={page}"));
        let keep = (!self.keep.is_empty()).then_some(self.keep.as_str());
        let query: Vec<&str> = keep.into_iter().chain(page.as_deref()).collect();
        if query.is_empty() {
            self.base.to_owned()
        } else {
            format!("{}?{}", self.base, query.join("&"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_follow_the_rows_found() {
        let second = Paging::new(&PageQuery { page: Some(2) }, 3, "/app/team");
        assert_eq!((second.limit(), second.offset()), (4, 3));
        let mut full = vec![1, 2, 3, 4];
        assert_eq!(
            second.links(&mut full),
            (
                Some("/app/team".to_owned()),
                Some("/app/team?page=3".to_owned())
            )
        );
        assert_eq!(full, [1, 2, 3]);
        let first = Paging::new(&PageQuery { page: None }, 3, "/app/");
        assert_eq!(first.links(&mut vec![1, 2]), (None, None));
        let sorted = Paging::at(Some(2), 1, "/app/").keeping("sort=name".to_owned());
        assert_eq!(
            sorted.links(&mut vec![1, 2]),
            (
                Some("/app/?sort=name".to_owned()),
                Some("/app/?sort=name&page=3".to_owned())
            )
        );
    }
}
