//! What a run reports: the JSON object of DESIGN.md, and the sliding-window metrics that
//! widgets draw each frame.

/// Latency percentiles of completed requests, ms.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LatencySummary {
    pub mean: f64,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

/// Time replies spent waiting for the database (a pool connection, then a database
/// connection), ms.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DbSummary {
    pub mean: f64,
    pub p99: f64,
}

/// Time requests spent waiting (for a worker, the GIL or the event loop), ms.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct QueueWait {
    pub mean: f64,
}

/// The metrics of a run, over the measured part (after warmup), except `events` and
/// `sim_time_s` which describe the whole run including warmup.
///
/// Field order and names are DESIGN.md's JSON, which `simulate --json` prints as is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Requests the server completed after warmup: the replies, and those it served
    /// after their client gave up (`wasted`).
    pub completed: u64,
    /// Completions per simulated second after warmup.
    pub throughput_rps: f64,
    /// Replies per simulated second: requests answered before their client gave up.
    pub goodput_rps: f64,
    /// Response time of replies, arrival to reply.
    pub latency_ms: LatencySummary,
    /// The 99th percentile latency of the replies to requests that were not heavy
    /// (`heavy_share`); the p99 of all replies when none are.
    pub light_p99_ms: f64,
    /// Waiting time of completed requests (backlog, GIL, ready queue).
    pub queue_wait_ms: QueueWait,
    /// Time-averaged number of requests waiting (backlog, GIL, ready queues).
    pub queue_len_mean: f64,
    /// Time-averaged share of all cores busy, 0 to 1.
    pub cpu_utilization: f64,
    /// Requests refused because the backlog was full.
    pub dropped: u64,
    /// Requests answered at once with a 503 past `limit_concurrency`.
    pub rejected: u64,
    /// Requests whose client gave up after `timeout_ms`.
    pub timed_out: u64,
    /// Requests the server served after their client gave up.
    pub wasted: u64,
    /// Time replies waited for the database.
    pub db_wait_ms: DbSummary,
    /// Time-averaged share of the database's connections in use (0 with no limit).
    pub db_utilization: f64,
    /// Time-averaged number of queries running in the database.
    pub db_queries_mean: f64,
    /// `db_pool_queue = "barging"`: the share of woken requests that found their pool
    /// connection taken by a task their loop ran first, and went back to the end of the
    /// line (0 when none was woken).
    pub db_pool_lost_share: f64,
    /// Peak memory of the server, MB (MiB), over the whole run.
    pub memory_mb_peak: f64,
    /// Context switches after warmup.
    pub context_switches: u64,
    /// Events processed over the whole run, warmup included.
    pub events: u64,
    /// Simulated time of the whole run, warmup included, s.
    pub sim_time_s: f64,
}

/// Metrics over the last simulated seconds, plus a few totals, for live charts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WindowMetrics {
    /// Length of the window these metrics cover, s (shorter at the start of a run).
    pub window_s: f64,
    /// Completions per second in the window (replies and wasted work).
    pub throughput_rps: f64,
    /// Replies per second in the window.
    pub goodput_rps: f64,
    /// Latency percentiles of replies in the window, ms (0 when none).
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    /// The 99th percentile of replies to requests that were not heavy, ms.
    pub light_p99_ms: f64,
    /// Share of all cores busy in the window, 0 to 1.
    pub cpu_utilization: f64,
    /// Requests waiting now (backlog, GIL, ready queues).
    pub queue_len: u32,
    /// Requests whose client is waiting for a reply now.
    pub in_flight: u32,
    /// Workers holding a request now; for event loops, the tasks they hold.
    pub busy_workers: u32,
    /// Server memory now, MB.
    pub memory_mb: f64,
    /// Requests waiting for the database now (for a pool connection, or for the
    /// database), and queries running in it.
    pub db_waiting: u32,
    pub db_running: u32,
    /// Totals since the start of the simulation (warmup included).
    pub completed: u64,
    pub dropped: u64,
    pub rejected: u64,
    pub timed_out: u64,
    pub wasted: u64,
}

impl Report {
    /// The JSON object of DESIGN.md, fields in its order: what `simulate --json` prints
    /// and what the widgets' `simulate` returns, written here so that both print the
    /// same text for the same report.
    pub fn to_json(&self) -> String {
        let l = &self.latency_ms;
        format!(
            "{{\"completed\":{},\"throughput_rps\":{},\"latency_ms\":{{\"mean\":{},\"p50\":{},\"p95\":{},\"p99\":{},\"max\":{}}},\
             \"queue_wait_ms\":{{\"mean\":{}}},\"queue_len_mean\":{},\"cpu_utilization\":{},\"dropped\":{},\"timed_out\":{},\
             \"goodput_rps\":{},\"light_p99_ms\":{},\"rejected\":{},\"wasted\":{},\
             \"db_wait_ms\":{{\"mean\":{},\"p99\":{}}},\"db_utilization\":{},\"db_queries_mean\":{},\
             \"db_pool_lost_share\":{},\"memory_mb_peak\":{},\"context_switches\":{},\"events\":{},\"sim_time_s\":{}}}",
            self.completed,
            number(self.throughput_rps),
            number(l.mean),
            number(l.p50),
            number(l.p95),
            number(l.p99),
            number(l.max),
            number(self.queue_wait_ms.mean),
            number(self.queue_len_mean),
            number(self.cpu_utilization),
            self.dropped,
            self.timed_out,
            number(self.goodput_rps),
            number(self.light_p99_ms),
            self.rejected,
            self.wasted,
            number(self.db_wait_ms.mean),
            number(self.db_wait_ms.p99),
            number(self.db_utilization),
            number(self.db_queries_mean),
            number(self.db_pool_lost_share),
            number(self.memory_mb_peak),
            self.context_switches,
            self.events,
            number(self.sim_time_s),
        )
    }
}

/// A JSON number: the shortest text that reads back as the same f64 (`0.0`, `59.8`,
/// `1e-7`); `null` for what JSON cannot hold, which a finite run never produces.
fn number(x: f64) -> String {
    if x.is_finite() {
        format!("{x:?}")
    } else {
        "null".to_string()
    }
}

/// A readable table, for `simulate` without `--json`.
impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let l = &self.latency_ms;
        writeln!(f, "completed          {}", self.completed)?;
        writeln!(
            f,
            "throughput         {:.1} requests/s",
            self.throughput_rps
        )?;
        writeln!(
            f,
            "latency            mean {:.2} ms, p50 {:.2}, p95 {:.2}, p99 {:.2}, max {:.2}",
            l.mean, l.p50, l.p95, l.p99, l.max
        )?;
        writeln!(
            f,
            "queue wait         mean {:.2} ms",
            self.queue_wait_ms.mean
        )?;
        writeln!(f, "queue length       mean {:.2}", self.queue_len_mean)?;
        writeln!(f, "CPU utilisation    {:.1}%", self.cpu_utilization * 100.0)?;
        writeln!(f, "goodput            {:.1} requests/s", self.goodput_rps)?;
        writeln!(f, "light p99          {:.2} ms", self.light_p99_ms)?;
        writeln!(f, "refused            {}", self.dropped)?;
        writeln!(f, "rejected (503)     {}", self.rejected)?;
        writeln!(f, "timed out          {}", self.timed_out)?;
        writeln!(f, "wasted             {}", self.wasted)?;
        writeln!(
            f,
            "database wait      mean {:.2} ms, p99 {:.2}; {:.1} queries running, {:.0}% of connections",
            self.db_wait_ms.mean,
            self.db_wait_ms.p99,
            self.db_queries_mean,
            self.db_utilization * 100.0
        )?;
        writeln!(
            f,
            "pool wake-ups lost {:.1}%",
            self.db_pool_lost_share * 100.0
        )?;
        writeln!(f, "peak memory        {:.1} MB", self.memory_mb_peak)?;
        writeln!(f, "context switches   {}", self.context_switches)?;
        writeln!(f, "events             {}", self.events)?;
        write!(f, "simulated time     {:.3} s", self.sim_time_s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_has_the_design_fields_in_order_then_the_second_wave() {
        let json = Report::default().to_json();
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["latency_ms"]["p99"], 0.0);
        assert_eq!(parsed["db_wait_ms"]["p99"], 0.0);
        let keys: Vec<&str> = parsed
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys.len(), 20, "{keys:?}");
        assert_eq!(
            json,
            "{\"completed\":0,\"throughput_rps\":0.0,\"latency_ms\":{\"mean\":0.0,\"p50\":0.0,\
             \"p95\":0.0,\"p99\":0.0,\"max\":0.0},\"queue_wait_ms\":{\"mean\":0.0},\
             \"queue_len_mean\":0.0,\"cpu_utilization\":0.0,\"dropped\":0,\"timed_out\":0,\
             \"goodput_rps\":0.0,\"light_p99_ms\":0.0,\"rejected\":0,\"wasted\":0,\
             \"db_wait_ms\":{\"mean\":0.0,\"p99\":0.0},\"db_utilization\":0.0,\"db_queries_mean\":0.0,\
             \"db_pool_lost_share\":0.0,\"memory_mb_peak\":0.0,\"context_switches\":0,\"events\":0,\"sim_time_s\":0.0}"
        );
    }

    #[test]
    fn the_table_names_every_metric() {
        let text = Report::default().to_string();
        for word in [
            "throughput",
            "p99",
            "queue wait",
            "CPU",
            "refused",
            "memory",
            "events",
        ] {
            assert!(text.contains(word), "{word} missing from\n{text}");
        }
    }
}
