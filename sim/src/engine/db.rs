//! The database station: each query needs one of its process's pool connections
//! (`db_pool`, when limited) and one of the database's connections (`db_connections`,
//! when limited) for its whole time, and waits for each in order of arrival. Queries
//! take their time whatever else runs (a `pg_sleep`, or a database with cores to spare):
//! the limits, not the database's speed, are what the model adds.
//!
//! A request waiting for the database holds its worker (a sync process or thread); an
//! event-loop task waiting for it costs its loop nothing, unless the call blocks.

use super::events::Event;
use super::state::Phase;
use super::Simulation;

impl Simulation {
    /// The request's next wait is a query: a pool connection first.
    pub(super) fn query(&mut self, slot: u32) {
        if self.pool_limit > 0 {
            let p = self.process_of(slot) as usize;
            if self.processes[p].pool_free == 0 {
                self.set_phase(slot, Phase::DbPool);
                self.processes[p].pool_waiters.push_back(slot);
                return;
            }
            self.processes[p].pool_free -= 1;
            self.req(slot).holds_pool = true;
        }
        self.ask_database(slot);
    }

    /// The request has its pool connection: the database takes the query, or it waits.
    fn ask_database(&mut self, slot: u32) {
        if self.db_limit > 0 {
            if self.db_free == 0 {
                self.set_phase(slot, Phase::DbQueue);
                self.db_waiters.push_back(slot);
                return;
            }
            self.db_free -= 1;
        }
        self.run_query(slot);
    }

    fn run_query(&mut self, slot: u32) {
        self.set_phase(slot, Phase::Db);
        self.db_running += 1;
        let done = self.now + self.req(slot).plan.db_s;
        self.queue.push(done, Event::DbDone(slot));
    }

    /// The query is done: its database connection goes to the next query waiting, its
    /// pool connection to the next request of its process waiting, and the request goes
    /// on with its next burst.
    pub(super) fn query_done(&mut self, slot: u32) {
        self.db_running -= 1;
        if self.db_limit > 0 {
            match self.db_waiters.pop_front() {
                Some(next) => self.run_query(next),
                None => self.db_free += 1,
            }
        }
        if std::mem::take(&mut self.req(slot).holds_pool) {
            let p = self.process_of(slot) as usize;
            match self.processes[p].pool_waiters.pop_front() {
                Some(next) => {
                    self.req(next).holds_pool = true;
                    self.ask_database(next);
                }
                None => self.processes[p].pool_free += 1,
            }
        }
        self.wait_done(slot);
    }
}
