//! Usernames as read, kept. A username never changes and an account is never deleted, so a name
//! once read stays true for as long as the database does: a page that names the authors of thirty
//! records then asks the database for none of them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use domain::UserId;

/// More accounts than any program has staff; past it the names are read afresh.
const MAX: usize = 10_000;

/// The usernames read so far, shared by every transaction of one store.
#[derive(Debug, Clone, Default)]
pub(crate) struct Usernames(Arc<Mutex<HashMap<UserId, String>>>);

impl Usernames {
    /// The names of `users` already known, and the users whose names are not.
    pub(crate) fn known(&self, users: &[UserId]) -> (HashMap<UserId, String>, Vec<UserId>) {
        let names = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let mut missing = Vec::new();
        let mut known = HashMap::with_capacity(users.len());
        for user in users {
            match names.get(user) {
                Some(name) => {
                    known.insert(*user, name.clone());
                }
                None => missing.push(*user),
            }
        }
        (known, missing)
    }

    /// Keeps names just read (of accounts that exist, or that the reading transaction created:
    /// an account whose creation was undone names nothing, and its id is never used again).
    pub(crate) fn remember(&self, read: &HashMap<UserId, String>) {
        let mut names = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if names.len() + read.len() > MAX {
            names.clear();
        }
        names.extend(read.iter().map(|(user, name)| (*user, name.clone())));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_read_once_is_known_after_and_the_rest_are_asked_for() {
        let (ana, ben) = (UserId::from_random([1; 16]), UserId::from_random([2; 16]));
        let names = Usernames::default();
        assert_eq!(names.known(&[ana]), (HashMap::new(), vec![ana]));
        names.remember(&HashMap::from([(ana, "ana.m".to_owned())]));
        let (known, missing) = names.known(&[ana, ben]);
        assert_eq!(known, HashMap::from([(ana, "ana.m".to_owned())]));
        assert_eq!(missing, [ben]);
    }
}
