//! Staff roles, as named in DESIGN.md.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Administrator,
    Supervisor,
    CaseManager,
    Outreach,
    DataAnalyst,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Administrator,
        Role::Supervisor,
        Role::CaseManager,
        Role::Outreach,
        Role::DataAnalyst,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Supervisor => "supervisor",
            Role::CaseManager => "case-manager",
            Role::Outreach => "outreach",
            Role::DataAnalyst => "data-analyst",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = crate::InvalidInput;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or(crate::InvalidInput::new(
                "role",
                "must be one of administrator, supervisor, case-manager, outreach, data-analyst",
            ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_parses_from_its_name() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("admin".parse::<Role>().is_err());
    }
}
