//! Reading-level checks for the shipped public pages (issue 5: a 6th–8th grade reading level).
//! English is scored with the Flesch–Kincaid grade level (Kincaid et al. 1975, Naval Technical
//! Training Command Research Branch Report 8-75); Spanish with the Szigriszt-Pazos perspicuity
//! index (Szigriszt Pazos 1993, doctoral thesis, Universidad Complutense de Madrid), read on the
//! INFLESZ scale (Barrio-Cantalejo et al. 2008, Anales del Sistema Sanitario de Navarra
//! 31(2):135-152), where 65 and above is "fairly easy" or easier. Syllables are counted by rule, which
//! is approximate; the scores are a guard against pages drifting into dense prose, not a grade.
//! Each list item and heading counts as a sentence, as a reader meets it; the "Sources" section
//! (citations) is left out.

use super::content::SHIPPED;

/// The text a reader reads: no front matter, no sources, no link targets or Markdown marks.
fn prose(markdown: &str) -> String {
    let body = markdown.splitn(3, "+++").nth(2).unwrap_or(markdown);
    let body = body
        .split("\n## Sources")
        .next()
        .and_then(|b| b.split("\n## Fuentes").next())
        .unwrap_or(body);
    let mut text = String::new();
    let mut skipping_target = false;
    let mut previous = ' ';
    for c in body.chars() {
        match c {
            '(' if previous == ']' => skipping_target = true,
            ')' if skipping_target => skipping_target = false,
            _ if skipping_target => {}
            '#' | '*' | '>' | '`' | '|' | '_' | '[' | ']' => text.push(' '),
            _ => text.push(c),
        }
        previous = c;
    }
    // A line that is a heading or a list item ends where it ends.
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let l = l.trim_start_matches(['-', ' ']);
            if l.ends_with(['.', '!', '?', ':']) {
                l.to_owned()
            } else {
                format!("{l}.")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphabetic() || c == '\'' || c == '’'))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .map(str::to_lowercase)
        .collect()
}

fn sentences(text: &str) -> usize {
    text.split(['.', '!', '?', ':', ';'])
        .filter(|s| s.chars().any(char::is_alphabetic))
        .count()
        .max(1)
}

/// Vowel groups, less a silent final "e" (and "es"/"ed" after a consonant).
fn english_syllables(word: &str) -> usize {
    let w: String = word.chars().filter(char::is_ascii_alphabetic).collect();
    if w.len() <= 3 {
        return 1;
    }
    let mut stem = w.as_str();
    for (ending, keeps) in [
        ("es", "aeiouylcgsxz"),
        ("ed", "aeiouyltd"),
        ("e", "aeiouyl"),
    ] {
        if let Some(s) = stem.strip_suffix(ending)
            && s.ends_with(|c: char| !keeps.contains(c))
        {
            stem = s;
            break;
        }
    }
    let mut groups = 0;
    let mut in_vowels = false;
    for c in stem.chars() {
        let vowel = "aeiouy".contains(c);
        if vowel && !in_vowels {
            groups += 1;
        }
        in_vowels = vowel;
    }
    groups.max(1)
}

/// Vowel nuclei: a strong or accented vowel with any unaccented i/u beside it is one syllable,
/// as are weak vowels on their own.
fn spanish_syllables(word: &str) -> usize {
    let mut groups = 0;
    let mut previous_strong = false;
    let mut in_vowels = false;
    for c in word.chars() {
        let strong = "aeoáéíóú".contains(c);
        let weak = "iuü".contains(c);
        // Two strong vowels side by side are two syllables (hiatus); anything else joins.
        if (strong && (!in_vowels || previous_strong)) || (weak && !in_vowels) {
            groups += 1;
        }
        in_vowels = strong || weak;
        previous_strong = strong;
    }
    groups.max(1)
}

fn ratio(a: usize, b: usize) -> f64 {
    f64::from(u32::try_from(a).unwrap_or(u32::MAX))
        / f64::from(u32::try_from(b.max(1)).unwrap_or(u32::MAX))
}

/// Flesch–Kincaid grade level.
fn english_grade(text: &str) -> f64 {
    let words = words(text);
    let syllables: usize = words.iter().map(|w| english_syllables(w)).sum();
    0.39 * ratio(words.len(), sentences(text)) + 11.8 * ratio(syllables, words.len()) - 15.59
}

/// Szigriszt-Pazos perspicuity.
fn spanish_ease(text: &str) -> f64 {
    let words = words(text);
    let syllables: usize = words.iter().map(|w| spanish_syllables(w)).sum();
    206.835 - 62.3 * ratio(syllables, words.len()) - ratio(words.len(), sentences(text))
}

#[test]
fn syllables_are_counted_close_enough() {
    for (word, n) in [
        ("cat", 1),
        ("water", 2),
        ("trafficking", 3),
        ("safe", 1),
        ("places", 2),
    ] {
        assert_eq!(english_syllables(word), n, "{word}");
    }
    for (word, n) in [
        ("casa", 2),
        ("ayuda", 3),
        ("cuidado", 3),
        ("país", 2),
        ("línea", 3),
    ] {
        assert_eq!(spanish_syllables(word), n, "{word}");
    }
}

#[test]
fn dense_legal_prose_fails_the_check() {
    // 22 U.S.C. 7102(11)(A), as the statute puts it: far above an 8th grade level.
    let statute = "+++\n+++\nSex trafficking in which a commercial sex act is induced by force, fraud, \
                   or coercion, or in which the person induced to perform such act has not attained \
                   18 years of age.";
    assert!(english_grade(&prose(statute)) > 8.0);
    let estatuto = "+++\n+++\nLa captación, el transporte, el traslado, la acogida o la recepción de \
                    personas, recurriendo a la amenaza o al uso de la fuerza u otras formas de \
                    coacción, al rapto, al fraude, al engaño, al abuso de poder.";
    assert!(spanish_ease(&prose(estatuto)) < 65.0);
}

#[test]
fn every_shipped_page_reads_at_or_below_an_eighth_grade_level() {
    let mut too_hard = Vec::new();
    for (path, markdown) in SHIPPED {
        let text = prose(markdown);
        if path.starts_with("en/") {
            let grade = english_grade(&text);
            if grade > 8.0 {
                too_hard.push(format!("{path}: Flesch-Kincaid grade {grade:.1}"));
            }
        } else if path.starts_with("es/") {
            let ease = spanish_ease(&text);
            if ease < 65.0 {
                too_hard.push(format!("{path}: Szigriszt-Pazos {ease:.1}"));
            }
        }
    }
    assert!(
        too_hard.is_empty(),
        "pages too hard to read:\n{}",
        too_hard.join("\n")
    );
}
