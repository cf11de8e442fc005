//! The rows reports read: coded facts and counts, never a sealed field.

/// The report dimensions of a client (`classification::Sensitivity::ReportDimension`), as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhoRow {
    pub gender: Option<String>,
    pub age_band: Option<String>,
    pub trafficking_type: Option<String>,
    pub citizenship: Option<String>,
    pub referral_source: Option<String>,
    pub age_at_intake: Option<String>,
}

/// A combination of report dimensions some client has, under its number
/// (`Reads::report_profiles`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileRow {
    pub id: i64,
    pub who: WhoRow,
}

/// A person served in a report's period, as a report counts them (`Reads::served`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedRow {
    /// Their report dimensions' number (`ProfileRow`).
    pub profile: i64,
    /// Whether their first service ever was in the period: they became a client in it.
    pub new_client: bool,
    /// Whether their first service in the federal fiscal year the period starts in was in the
    /// period.
    pub new_this_year: bool,
    /// The types of service they received in the period, as a sum of distinct bits.
    pub mask: i64,
}

/// Entries into a program in a period, alike (`Reads::entered`): cases opened, or re-opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnteredRow {
    pub profile: i64,
    pub reopened: bool,
    pub count: i64,
}

/// A code and how many records hold it (`Reads::screened`, `Reads::referred`); `None` for a
/// code erased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeCount {
    pub code: Option<String>,
    pub count: i64,
}

/// People whose latest determination of a period met the legal definition `rule` (`None`: met
/// none of them) (`Reads::determined`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetCount {
    pub rule: Option<String>,
    pub people: i64,
}

/// Referrals by whole days from sent to accepted (`Reads::days_to_accept`); `None`: not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaysCount {
    pub days: Option<i64>,
    pub count: i64,
}

/// People whose outcome score of `domain` moved from `first` to `latest`
/// (`Reads::score_changes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreChangeRow {
    pub domain: String,
    pub first: String,
    pub latest: String,
    pub people: i64,
}

/// People first served `days` whole days (UTC) after their first contact
/// (`Reads::first_services`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstServiceRow {
    pub days: i64,
    pub people: i64,
}

/// People served whose latest answer in a need domain was `level` (`Reads::needs_of_served`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedLevelRow {
    pub domain: String,
    pub level: String,
    pub people: i64,
}

/// Cases closed in a period, alike (`Reads::exited`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExitedRow {
    pub profile: i64,
    pub reason: String,
    pub count: i64,
}
