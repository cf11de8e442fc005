//! Who the synthetic clients are, drawn in the proportions of real cases: the Counter Trafficking
//! Data Collaborative's public data (Source: Counter Trafficking Data Collaborative (CTDC)),
//! reduced by `scripts/ctdc-profiles` to counts of each combination of gender, age and kind of
//! exploitation, and the share who were citizens of the country they were exploited in.

use std::ops::RangeInclusive;

use domain::client::Gender;
use domain::profile::TraffickingType;
use rand::Rng;
use rand::distributions::{Distribution, WeightedIndex};

/// The derived counts, compiled in: the generator needs nothing beside the binary.
const PROFILES: &str = include_str!("ctdc_profiles.csv");

/// One combination as CTDC records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CtdcProfile {
    pub gender: Gender,
    /// Age when their case was registered, in CTDC's band; `None` when not known.
    pub age: Option<RangeInclusive<i32>>,
    /// `None` when neither kind of exploitation is recorded.
    pub trafficking: Option<TraffickingType>,
}

/// The profiles and how often each occurs, and the citizens' share.
pub struct Ctdc {
    profiles: Vec<CtdcProfile>,
    weights: WeightedIndex<u32>,
    citizens: (u32, u32),
}

impl Ctdc {
    pub fn load() -> anyhow::Result<Self> {
        Self::parse(PROFILES)
    }

    fn parse(text: &str) -> anyhow::Result<Self> {
        let mut profiles = Vec::new();
        let mut counts = Vec::new();
        let mut citizens = None;
        for line in text.lines() {
            if let Some(comment) = line.strip_prefix("# ") {
                if let ["citizens", of, "of", all] = comment.split(',').collect::<Vec<_>>()[..] {
                    citizens = Some((of.parse()?, all.parse()?));
                }
                continue;
            }
            let fields: Vec<&str> = line.split(',').collect();
            let [gender, age, labour, sex, people] = fields[..] else {
                anyhow::bail!("a CTDC profile line has {} fields: {line}", fields.len());
            };
            if gender == "gender" {
                continue;
            }
            profiles.push(CtdcProfile {
                gender: match gender {
                    "Female" => Gender::Woman,
                    "Male" => Gender::Man,
                    other => anyhow::bail!("a CTDC gender we do not know: {other}"),
                },
                age: age_band(age)?,
                trafficking: match (labour == "1", sex == "1") {
                    (true, true) => Some(TraffickingType::SexAndLabor),
                    (true, false) => Some(TraffickingType::Labor),
                    (false, true) => Some(TraffickingType::Sex),
                    (false, false) => None,
                },
            });
            counts.push(people.parse::<u32>()?);
        }
        let Some(citizens) = citizens.filter(|(of, all)| of <= all && *all > 0) else {
            anyhow::bail!("the CTDC profiles do not say how many were citizens");
        };
        Ok(Self {
            weights: WeightedIndex::new(&counts)?,
            profiles,
            citizens,
        })
    }

    /// A profile, drawn as often as CTDC's records hold it.
    pub fn profile(&self, rng: &mut impl Rng) -> &CtdcProfile {
        &self.profiles[self.weights.sample(rng)]
    }

    /// Whether a person is a citizen of the country they were exploited in, as often as CTDC's
    /// records say.
    pub fn citizen(&self, rng: &mut impl Rng) -> bool {
        let (of, all) = self.citizens;
        rng.gen_ratio(of, all)
    }
}

/// CTDC's age bands ("0--8" ... "48+"); blank is unknown. "48+" is taken to end at 70.
fn age_band(raw: &str) -> anyhow::Result<Option<RangeInclusive<i32>>> {
    if raw.is_empty() {
        return Ok(None);
    }
    if let Some(from) = raw.strip_suffix('+') {
        return Ok(Some(from.parse()?..=70));
    }
    let Some((from, to)) = raw.split_once("--") else {
        anyhow::bail!("a CTDC age band we do not know: {raw}");
    };
    Ok(Some(from.parse()?..=to.parse()?))
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn the_compiled_counts_load_and_hold_every_record() {
        let ctdc = Ctdc::load().unwrap();
        assert_eq!(ctdc.profiles.len(), 82);
        assert_eq!(ctdc.citizens, (10_304, 91_043));
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let women = (0..10_000)
            .filter(|_| ctdc.profile(&mut rng).gender == Gender::Woman)
            .count();
        // 35,506 of CTDC's 48,773 records are of women: 72.8%.
        assert!((7_000..7_600).contains(&women), "{women} of 10,000");
    }

    #[test]
    fn lines_are_read_by_their_fields() {
        let ctdc = Ctdc::parse(
            "# citizens,1,of,4\ngender,age,forced_labour,sexual_exploit,people\n\
             Male,48+,1,1,3\nFemale,9--17,0,1,1\nFemale,,,,0\n",
        )
        .unwrap();
        assert_eq!(
            ctdc.profiles[0],
            CtdcProfile {
                gender: Gender::Man,
                age: Some(48..=70),
                trafficking: Some(TraffickingType::SexAndLabor),
            }
        );
        assert_eq!(ctdc.profiles[1].age, Some(9..=17));
        assert_eq!(ctdc.profiles[1].trafficking, Some(TraffickingType::Sex));
        assert_eq!(ctdc.profiles[2].trafficking, None);
        assert!(Ctdc::parse("gender,age,forced_labour,sexual_exploit,people\n").is_err());
        assert!(Ctdc::parse("# citizens,1,of,4\nOther,,,,1\n").is_err());
    }
}
