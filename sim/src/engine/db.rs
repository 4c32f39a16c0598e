//! The database station: each query needs one of its process's pool connections
//! (`db_pool`, when limited) and one of the database's connections (`db_connections`,
//! when limited) for its whole time, and waits for each in order of arrival. Queries
//! take their time whatever else runs (a `pg_sleep`, or a database with cores to spare):
//! the limits, not the database's speed, are what the model adds.
//!
//! A freed pool connection goes to the request of its process that waited longest
//! (`db_pool_queue = "fifo"`). With `"barging"` (an event loop's asyncio queue, as in
//! asyncpg) it only wakes that request, which needs a turn on its loop to take it; a
//! task that runs before it and asks for a connection takes it first, and the woken
//! request goes back to the end of the line, as `asyncio.Queue.get` does.
//!
//! Where the driver makes a round trip to give a connection back (`db_release_ms`),
//! that trip follows the burst after the query and needs a database connection too.
//!
//! A request waiting for the database holds its worker (a sync process or thread); an
//! event-loop task waiting for it costs its loop nothing, unless the call blocks.

use super::events::Event;
use super::state::{Phase, Release, Turn};
use super::Simulation;

impl Simulation {
    /// The request's next wait is a query: a pool connection first.
    pub(super) fn query(&mut self, slot: u32) {
        if self.pool_limit > 0 {
            self.take_pool_connection(slot);
        } else {
            self.ask_database(slot);
        }
    }

    /// Takes a free connection of the request's pool and asks the database, or waits
    /// at the end of the pool's line.
    pub(super) fn take_pool_connection(&mut self, slot: u32) {
        let p = self.process_of(slot) as usize;
        if self.processes[p].pool_free == 0 {
            self.set_phase(slot, Phase::DbPool);
            self.processes[p].pool_waiters.push_back(slot);
            return;
        }
        self.processes[p].pool_free -= 1;
        self.req(slot).holds_pool = true;
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
        let release_s = self.release_s;
        let r = self.req(slot);
        let duration = if r.release == Release::Trip {
            release_s
        } else {
            r.plan.db_s
        };
        let done = self.now + duration;
        self.queue.push(done, Event::DbDone(slot));
    }

    /// The query is done: its database connection goes to the next query waiting, and
    /// the request goes on with its next burst, still holding its pool connection. A
    /// round trip that gave a connection back is done: the connection goes back to its
    /// pool, and the request needs a turn on its CPU to go on. (asyncpg releases in a
    /// task of its own, `asyncio.shield(holder.release())`, whose one short turn after
    /// the reply the model leaves out; the request's task resumes after it.)
    pub(super) fn query_done(&mut self, slot: u32) {
        self.db_running -= 1;
        if self.db_limit > 0 {
            match self.db_waiters.pop_front() {
                Some(next) => self.run_query(next),
                None => self.db_free += 1,
            }
        }
        if self.req(slot).release == Release::Trip {
            self.release_pool(slot);
            let r = self.req(slot);
            r.release = Release::None;
            r.turn = Turn::AfterRelease;
            r.work_left = 0.0;
            self.want_cpu(slot);
            return;
        }
        if self.release_s > 0.0 {
            self.req(slot).release = Release::Due;
        }
        self.wait_done(slot);
    }

    /// The burst after a query is done, and the driver gives the connection back with a
    /// round trip (`db_release_ms`, asyncpg's reset): a transaction of its own, so it
    /// waits for a database connection as a query does (behind pgbouncer, at the end of
    /// its line), and the request keeps its pool connection until it is back.
    pub(super) fn give_back(&mut self, slot: u32) {
        let release_s = self.release_s;
        let r = self.req(slot);
        r.release = Release::Trip;
        r.demand += release_s;
        self.ask_database(slot);
    }

    /// The burst after a query is done: the request gives its pool connection back, to
    /// the next request of its process waiting. Not before: the code that returns a
    /// connection (the end of a `with pool.connection()` block, asyncpg's `release`)
    /// runs in that burst, so a request that waits for its CPU, GIL or loop after its
    /// query keeps the connection meanwhile.
    #[inline]
    pub(super) fn release_pool(&mut self, slot: u32) {
        if self.req(slot).holds_pool {
            self.give_pool_connection_back(slot);
        }
    }

    /// Out of line: most bursts end without a pool connection to give back.
    fn give_pool_connection_back(&mut self, slot: u32) {
        self.req(slot).holds_pool = false;
        let p = self.process_of(slot) as usize;
        match self.processes[p].pool_waiters.pop_front() {
            Some(next) if !self.pool_barging => {
                self.req(next).holds_pool = true;
                self.ask_database(next);
            }
            Some(next) => {
                self.processes[p].pool_free += 1;
                self.wake_for_pool(next, p as u32);
            }
            None => self.processes[p].pool_free += 1,
        }
    }

    /// Barging: the woken request joins the end of its loop's ready queue for a step of
    /// no work beyond the switch, in which it tries to take a connection; every task
    /// ahead of it that asks for one first takes it. The loop is busy (the releasing
    /// burst just ended on it), so the caller hands it on.
    fn wake_for_pool(&mut self, slot: u32, p: u32) {
        let r = self.req(slot);
        r.turn = Turn::PoolWakeup;
        r.work_left = 0.0;
        self.set_phase(slot, Phase::Ready);
        self.processes[p as usize].ready.push_back(slot);
    }
}
