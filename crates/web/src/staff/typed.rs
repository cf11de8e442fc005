//! A form on a page as it was typed: what each box held, and the problem found, shown beside the
//! box it is about, so that nothing a person typed is lost when something is wrong.

use domain::InvalidInput;

pub(crate) struct Typed<F> {
    /// Where the form posts.
    pub action: String,
    /// What the boxes hold.
    pub form: F,
    problem: Option<InvalidInput>,
}

impl<F> Typed<F> {
    pub fn new(action: String, form: F, problem: Option<InvalidInput>) -> Self {
        Self {
            action,
            form,
            problem,
        }
    }

    /// The problem, if it is about `field` (shown beside that box).
    pub fn problem_for(&self, field: &str) -> Option<String> {
        self.problem
            .as_ref()
            .filter(|p| p.field == field)
            .map(|p| p.to_string())
    }

    /// Whether the form came back with a problem.
    pub fn has_problem(&self) -> bool {
        self.problem.is_some()
    }
}
