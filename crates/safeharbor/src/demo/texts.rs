//! What the demo's records say: made-up notes, contacts, services, needs and outcome scores,
//! enough of each that a client with a year of work does not read the same line twice in a row.

use domain::needs::NeedDomain;
use domain::note::NoteKind;

/// Made-up notes, each of its kind. The first is an intake's.
pub(super) const NOTES: &[(NoteKind, &str)] = &[
    (
        NoteKind::General,
        "Met at the drop-in centre. Talked about what she needs this week: a phone only she uses, and food.",
    ),
    (
        NoteKind::Health,
        "Called at the agreed safe time. Confirmed the appointment at the clinic on Thursday.",
    ),
    (
        NoteKind::General,
        "Accompanied to the benefits office. Paperwork started; next step is an ID document.",
    ),
    (
        NoteKind::Housing,
        "Check-in by text using the code word. Reports feeling safer since moving to the shelter.",
    ),
    (
        NoteKind::Safety,
        "Discussed the safety plan again and updated the safe contact times.",
    ),
    (
        NoteKind::Health,
        "Referral to counselling made with consent. First session booked.",
    ),
    (
        NoteKind::Legal,
        "Went through the letter from the immigration attorney together; questions written down for next week.",
    ),
    (
        NoteKind::Housing,
        "Viewed a room in a shared house. Liked the landlady; waiting to hear about the deposit.",
    ),
    (
        NoteKind::General,
        "Quiet week. Came by for the English class and stayed for lunch.",
    ),
    (
        NoteKind::Safety,
        "Someone from before sent a message through a friend. Did not answer it; changed the route to work.",
    ),
    (
        NoteKind::Health,
        "Dental appointment kept. Says the pain is gone and she is sleeping better.",
    ),
    (
        NoteKind::General,
        "Opened a bank account with the new ID. First wages paid into it.",
    ),
    (
        NoteKind::Legal,
        "Court date moved to next month. Explained what will happen and who will be there.",
    ),
    (
        NoteKind::Supervision,
        "Talked the case through in supervision: keep the contact times, no home visits.",
    ),
    (
        NoteKind::Housing,
        "Keys to the flat collected. Helped carry the boxes; the locks were changed the same day.",
    ),
    (
        NoteKind::General,
        "Asked about evening classes for a care-work certificate. Brought the course list.",
    ),
];

/// A made-up contact: how, whether the person was reached, minutes, who else was there, a note.
pub(super) type DemoContact = (
    &'static str,
    bool,
    Option<i64>,
    Option<&'static str>,
    Option<&'static str>,
);

/// Made-up contacts. The first four are a first week's, in order: attempts come first, and a
/// failed try is logged like any other contact.
pub(super) const CONTACTS: &[DemoContact] = &[
    (
        "phone",
        false,
        None,
        None,
        Some("No answer at the safe time. Left no message, as agreed."),
    ),
    (
        "text",
        false,
        None,
        None,
        Some("Sent the agreed check-in text; no reply yet."),
    ),
    (
        "in-person",
        true,
        Some(40),
        Some("An interpreter (Spanish)"),
        Some("Met at the drop-in centre. She chose the next date."),
    ),
    ("outreach", true, Some(15), None, None),
    (
        "phone",
        true,
        Some(20),
        None,
        Some("Checked in at the safe time; all well, next visit agreed."),
    ),
    (
        "text",
        true,
        None,
        None,
        Some("Replied to the check-in with the code word."),
    ),
    (
        "video",
        true,
        Some(30),
        None,
        Some("Went through the week's appointments."),
    ),
    (
        "in-person",
        true,
        Some(60),
        None,
        Some("Coffee near the college after class."),
    ),
];

/// How many of `CONTACTS` are attempts that did not reach the person: the first two.
pub(super) const ATTEMPTS: usize = 2;

/// A made-up service: its type's code, how it was given, minutes, units, a note.
pub(super) type DemoService = (
    &'static str,
    &'static str,
    Option<i64>,
    Option<i64>,
    Option<&'static str>,
);

/// Made-up services. The first is a crisis met; the rest come in any order over the months.
pub(super) const SERVICES: &[DemoService] = &[
    (
        "C1",
        "in-person",
        Some(60),
        None,
        Some("Safety plan made together."),
    ),
    ("D1", "in-person", None, Some(3), None),
    (
        "B9",
        "in-person",
        None,
        Some(1),
        Some("Taxi to the clinic."),
    ),
    ("X1", "phone", Some(30), None, None),
    (
        "B6",
        "in-person",
        Some(90),
        None,
        Some("Went through the options with the attorney."),
    ),
    ("C4", "video", Some(50), None, None),
    (
        "X7",
        "in-person",
        None,
        Some(1),
        Some("A phone only she uses, and a bag of clothes."),
    ),
    (
        "B4",
        "in-person",
        Some(120),
        None,
        Some("Benefits application, start to finish."),
    ),
    ("C5", "in-person", Some(90), None, None),
    (
        "X2",
        "in-person",
        Some(120),
        None,
        Some("English class at the library."),
    ),
    (
        "X3",
        "phone",
        Some(45),
        None,
        Some("Practised for the job interview."),
    ),
    (
        "B10",
        "phone",
        Some(30),
        None,
        Some("Interpreted a call with the landlord."),
    ),
    ("D2", "in-person", None, Some(30), None),
];

/// A made-up needs assessment: each answer as (domain, level, note).
pub(super) type DemoNeeds = &'static [(NeedDomain, &'static str, Option<&'static str>)];

/// Made-up assessments, the first and a reassessment: housing was urgent and is now met in
/// part, the documents were found, and the person still prefers not to talk about substance use.
pub(super) const NEEDS: [(DemoNeeds, Option<&str>); 2] = [
    (
        &[
            (
                NeedDomain::Safety,
                "some",
                Some("Feels safe at the shelter, not on the bus."),
            ),
            (
                NeedDomain::Housing,
                "urgent",
                Some("Staying with a friend until the end of the week."),
            ),
            (NeedDomain::MentalHealth, "some", None),
            (NeedDomain::SubstanceUse, "prefers-not-to-say", None),
            (
                NeedDomain::IdentityDocuments,
                "urgent",
                Some("Passport kept by the person she worked for."),
            ),
        ],
        Some("First talk about needs, at the drop-in centre, with an interpreter."),
    ),
    (
        &[
            (
                NeedDomain::Safety,
                "some",
                Some("Feels safe at the shelter, not on the bus."),
            ),
            (
                NeedDomain::Housing,
                "some",
                Some("A room at the shelter for 90 days."),
            ),
            (
                NeedDomain::MentalHealth,
                "some",
                Some("Would like a counsellor who speaks Spanish."),
            ),
            (NeedDomain::SubstanceUse, "prefers-not-to-say", None),
            (
                NeedDomain::Legal,
                "some",
                Some("Asked about clearing an old charge."),
            ),
            (
                NeedDomain::IdentityDocuments,
                "none",
                Some("Birth certificate ordered."),
            ),
        ],
        None,
    ),
];

/// The outcome assessments' points, in `OUTCOMES`' order.
pub(super) const INTAKE: usize = 0;
pub(super) const SIX_MONTH: usize = 1;
pub(super) const EXIT: usize = 2;

/// Made-up outcome scores at intake, at the six-month review and at exit (safety, housing
/// stability, legal status, physical and mental well-being, income and education, social
/// support), a blank where the person was not asked; each notes where it was taken.
pub(super) const OUTCOMES: [(&str, [&str; 7], &str); 3] = [
    (
        "intake",
        ["2", "1", "prefers-not-to-say", "3", "2", "1", "2"],
        "At the drop-in centre.",
    ),
    (
        "six-month",
        ["3", "3", "2", "3", "3", "2", "3"],
        "Review with her worker.",
    ),
    (
        "exit",
        ["4", "4", "", "4", "3", "3", "4"],
        "Before moving on.",
    ),
];
