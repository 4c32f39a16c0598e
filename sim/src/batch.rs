//! Many scenarios run to completion in slices: each call runs at most a budget of
//! events, so a widget can spread a sweep over frames and never hold up the page.

use crate::{Report, Scenario, Simulation};

pub struct Batch {
    scenarios: Vec<Scenario>,
    next: usize,
    running: Option<Simulation>,
    /// One report per scenario, in order, as each finishes.
    pub reports: Vec<Option<Report>>,
}

impl Batch {
    pub fn new(scenarios: Vec<Scenario>) -> Batch {
        let reports = vec![None; scenarios.len()];
        Batch {
            scenarios,
            next: 0,
            running: None,
            reports,
        }
    }

    pub fn is_done(&self) -> bool {
        self.running.is_none() && self.next == self.scenarios.len()
    }

    /// Share of the scenarios finished, 0 to 1.
    pub fn progress(&self) -> f64 {
        let finished = self.next - usize::from(self.running.is_some());
        finished as f64 / self.scenarios.len().max(1) as f64
    }

    /// Runs at most `budget` events; returns the events run.
    pub fn run(&mut self, budget: u64) -> u64 {
        let mut spent = 0;
        while spent < budget {
            let sim = match self.running.as_mut() {
                Some(sim) => sim,
                None => {
                    let Some(scenario) = self.scenarios.get(self.next) else {
                        break;
                    };
                    self.next += 1;
                    self.running.insert(Simulation::new(scenario))
                }
            };
            let before = sim.events();
            while !sim.is_done() && sim.events() - before < budget - spent {
                sim.step();
            }
            spent += sim.events() - before;
            if sim.is_done() {
                self.reports[self.next - 1] = Some(sim.report());
                self.running = None;
            }
        }
        spent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_every_scenario_to_the_same_report_as_run() {
        let scenarios: Vec<Scenario> = [1, 5, 20]
            .iter()
            .map(|c| {
                Scenario::parse(&format!("clients = {c}\nrequests = 500\nwarmup = 50\n")).unwrap()
            })
            .collect();
        let mut batch = Batch::new(scenarios.clone());
        while !batch.is_done() {
            assert!(batch.run(777) <= 777);
        }
        for (scenario, report) in scenarios.iter().zip(&batch.reports) {
            assert_eq!(report.as_ref().unwrap(), &crate::run(scenario));
        }
    }
}
