//! A client's history on their page (`app::timeline`): one list, newest first, under a heading
//! for each day, of the kinds the reader chose (`?show=note&show=service`), a page at a time
//! (`?before=` the place the last page ended, which the link to older records carries).

use app::timeline::{Entry, Recorded, Timeline, TimelineQuery};
use domain::ClientId;
use domain::case::format_date;
use domain::note::NoteKind;
use domain::time::ProgramZone;
use domain::timeline::{Kind, Kinds, Place};

use super::{contacts, links, needs, records, referrals, services};

/// The history's part of a client page's address, if it is one: `None` for anything else.
pub(crate) fn query(raw: Option<&str>) -> Option<TimelineQuery> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or("")).ok()?;
    let mut shown = Vec::new();
    let mut before = None;
    for (key, value) in &pairs {
        match key.as_str() {
            "show" => shown.push(value.as_str()),
            "before" if before.is_none() => before = Some(Place::parse(value).ok()?),
            _ => return None,
        }
    }
    Some(TimelineQuery {
        kinds: Kinds::parse(shown).ok()?,
        before,
    })
}

/// One day of the history.
pub(crate) struct Day {
    pub day: String,
    pub lines: Vec<Line>,
}

/// One record of the history, as the page shows it.
pub(crate) struct Line {
    /// The kind's code, for the style of its mark.
    pub kind: &'static str,
    pub heading: String,
    /// The time of day of a record of a moment, and who recorded it.
    pub meta: String,
    /// What it says, a paragraph each (line breaks kept).
    pub text: Vec<String>,
    /// Where the record is read in full, with the link's words.
    pub link: Option<(String, &'static str)>,
    /// An attempt to reach the person that did not.
    pub attempt: bool,
}

/// A kind in the filter.
pub(crate) struct Filter {
    pub code: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

/// The history as the page shows it.
pub(crate) struct History {
    pub days: Vec<Day>,
    pub filters: Vec<Filter>,
    /// Whether only some kinds are shown.
    pub filtered: bool,
    /// The first page (with the same kinds), from a later page.
    pub newest_href: Option<String>,
    pub older_href: Option<String>,
    /// The page's own address, where the filter form is sent.
    pub action: String,
}

/// The page of `timeline` that `query` asked for, of the client `id` called `name`, its times in
/// `zone`.
pub(crate) fn history(
    id: ClientId,
    name: &str,
    zone: &ProgramZone,
    timeline: Timeline,
    query: &TimelineQuery,
) -> History {
    let mut days: Vec<Day> = Vec::new();
    for recorded in timeline.entries {
        let day = format_date(recorded.place.day);
        let line = line(id, name, zone, recorded);
        match days.last_mut() {
            Some(last) if last.day == day => last.lines.push(line),
            _ => days.push(Day {
                day,
                lines: vec![line],
            }),
        }
    }
    let action = links::of_client(links::CLIENT, id);
    let kinds = &query.kinds;
    // The kinds chosen go with every link of the history, so a page keeps the filter.
    let shown: Vec<String> = if kinds.is_all() {
        Vec::new()
    } else {
        kinds
            .iter()
            .map(|k| format!("show={}", k.as_str()))
            .collect()
    };
    let href = |from: Option<String>| {
        let query: Vec<String> = shown.iter().cloned().chain(from).collect();
        if query.is_empty() {
            format!("{action}#history")
        } else {
            format!("{action}?{}#history", query.join("&"))
        }
    };
    History {
        days,
        filters: Kind::ALL
            .iter()
            .map(|kind| Filter {
                code: kind.as_str(),
                label: kind.label(),
                checked: kinds.contains(*kind),
            })
            .collect(),
        filtered: !kinds.is_all(),
        newest_href: query.before.as_ref().map(|_| href(None)),
        older_href: timeline
            .next
            .map(|next| href(Some(format!("before={}", next.to_text())))),
        action,
    }
}

/// Who recorded a record, as a line's meta says it.
fn by(recorded: &Recorded) -> String {
    recorded
        .by
        .clone()
        .unwrap_or_else(|| "recorded by an administrator".to_owned())
}

fn line(id: ClientId, name: &str, zone: &ProgramZone, recorded: Recorded) -> Line {
    let kind = recorded.place.kind;
    // A record of a moment says its time; one of a day stands under its day alone.
    let meta = if kind.of_a_day() {
        by(&recorded)
    } else {
        let minute = zone.minute(recorded.place.at);
        let time = minute.split_once(' ').map_or(minute.as_str(), |(_, t)| t);
        format!("{time} · {}", by(&recorded))
    };
    let page = |pattern| Some((links::of_client(pattern, id), "Open"));
    let mut line = Line {
        kind: kind.as_str(),
        heading: String::new(),
        meta,
        text: Vec::new(),
        link: None,
        attempt: false,
    };
    match recorded.entry {
        Entry::Note(note) => {
            line.heading = match note.kind {
                NoteKind::General => note.kind.label().to_owned(),
                kind => format!("{} note", kind.label()),
            };
            line.text.push(note.text);
        }
        Entry::Contact(contact) => {
            line.heading = if contact.reached {
                "Contact"
            } else {
                "Attempt to reach"
            }
            .to_owned();
            line.attempt = !contact.reached;
            line.text.push(contacts::summary(name, &contact));
            line.text
                .extend(contact.present.map(|p| format!("Also there: {p}")));
            line.text.extend(contact.note);
        }
        Entry::Service(service) => {
            let code = service.code;
            line.heading = format!("Service: {} {}", code.as_str(), code.kind().label);
            line.text.push(services::how(&service));
            line.text.extend(service.note);
        }
        Entry::Referral(referral) => {
            let step = referrals::step_words(referral.step.status);
            line.heading = format!(
                "Referral to {}: {}",
                referral.partner_name,
                step.to_lowercase()
            );
            let service = referral.service.kind().label;
            line.text.push(format!("For {}.", service.to_lowercase()));
            line.text.extend(referral.step.note);
            line.link = page(links::REFERRALS);
        }
        Entry::Plan(review) => {
            line.heading = "Service plan reviewed".to_owned();
            line.text.extend(review.note);
            let next = format_date(review.next_review_on);
            line.text.push(format!("Next review by {next}."));
            line.link = page(links::PLAN);
        }
        Entry::Needs(assessment) => {
            line.heading = "Needs assessed".to_owned();
            line.text.extend(
                needs::groups(&assessment)
                    .into_iter()
                    .map(|g| format!("{}: {}.", g.level, g.domains)),
            );
            line.text.extend(assessment.note);
            line.link = page(links::NEEDS);
        }
        Entry::Outcomes(assessment) => {
            line.heading = format!("Outcomes scored: {}", assessment.point.label());
            line.text.extend(assessment.note);
            line.link = page(links::OUTCOMES);
        }
        Entry::Closure(closure) => {
            line.heading = format!("Case closed: {}", closure.reason.label());
            line.text.extend(closure.note);
            if let Some((on, _, _)) = closure.reopened {
                line.text.push(format!("Re-opened on {}.", format_date(on)));
            }
            line.link = page(links::CASES);
        }
        Entry::Screening(screening) => {
            line.heading = format!("Screening: {}", records::title(&screening.instrument));
            line.text.push(format!(
                "{}.",
                records::result_words(screening.result.as_deref())
            ));
            line.link = Some((links::screening(id, screening.id), "Open"));
        }
        Entry::Determination(determination) => {
            line.heading = "Determination recorded".to_owned();
            line.text.push(records::summary(&determination.worksheet));
            line.link = Some((links::determination(id, determination.id), "Open"));
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_chooses_kinds_and_a_place_or_is_not_one_of_ours() {
        let all = query(None).unwrap();
        assert!(all.kinds.is_all() && all.before.is_none());
        let some = query(Some("show=service&show=note")).unwrap();
        assert_eq!(some.kinds, Kinds::parse(["note", "service"]).unwrap());
        let from = query(Some("before=2026-03-31.1774958400000.note.0f3c")).unwrap();
        assert_eq!(from.before.unwrap().kind, Kind::Note);
        for bad in ["show=letters", "before=yesterday", "page=2"] {
            assert!(query(Some(bad)).is_none(), "{bad}");
        }
    }
}
