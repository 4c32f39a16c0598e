//! The scenario readers on any text: TOML, and the query string widgets keep in the URL.
//! They accept or refuse with an error naming the key; a scenario they accept is valid
//! and survives the round trip through both forms.
#![no_main]

use contract::Scenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for parsed in [Scenario::parse(text), Scenario::from_query(text)] {
        let Ok(scenario) = parsed else { continue };
        scenario.validate().expect("an accepted scenario is valid");
        let query = scenario.to_query();
        assert_eq!(Scenario::from_query(&query).as_ref(), Ok(&scenario), "{query}");
        let toml = scenario.to_toml();
        assert_eq!(Scenario::parse(&toml).as_ref(), Ok(&scenario), "{toml}");
    }
});
