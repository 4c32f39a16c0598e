//! The trace: every change in a request's life, kept when a widget asks for it, for
//! the timeline of who did what when and for one request's whole story. Off by default:
//! a run without a trace pays one untaken branch per change.

use std::collections::VecDeque;

use super::state::Phase;
use super::Simulation;
use crate::{RequestPhase, TraceEvent, TraceKind};

/// Changes kept, at most, whatever the rate: bounds the trace's memory.
const MAX_EVENTS: usize = 400_000;

#[derive(Debug, Clone, Default)]
pub(crate) struct Trace {
    events: VecDeque<TraceEvent>,
}

/// A request's phase as widgets see it; `None` for a free slot.
pub(crate) fn view_phase(phase: Phase, w: u32) -> Option<RequestPhase> {
    Some(match phase {
        Phase::Free => return None,
        Phase::Queued => RequestPhase::Queued,
        Phase::WaitingGil => RequestPhase::WaitingGil { worker: w },
        Phase::Ready => RequestPhase::Ready { worker: w },
        Phase::OnCpu => RequestPhase::OnCpu { worker: w },
        Phase::Io => RequestPhase::WaitingIo { worker: w },
        Phase::BlockingIo => RequestPhase::BlockingIo { worker: w },
        Phase::DbPool => RequestPhase::WaitingPool { worker: w },
        Phase::DbQueue => RequestPhase::WaitingDb { worker: w },
        Phase::Db => RequestPhase::Querying { worker: w },
    })
}

impl Simulation {
    /// Starts keeping the trace (or keeps on): see [`Simulation::drain_trace`].
    pub fn keep_trace(&mut self) {
        if self.trace.is_none() {
            self.trace = Some(Box::default());
        }
    }

    /// The changes since the last call, oldest first. A caller that falls behind by
    /// more than a few hundred thousand changes loses the oldest.
    pub fn drain_trace(&mut self) -> impl Iterator<Item = TraceEvent> + '_ {
        self.trace.iter_mut().flat_map(|t| t.events.drain(..))
    }

    /// A request's change of phase, as widgets see it.
    #[cold]
    #[inline(never)]
    pub(super) fn trace_phase(&mut self, request: u64, worker: u32, phase: Phase) {
        if let Some(view) = view_phase(phase, worker) {
            self.record(request, TraceKind::Phase(view));
        }
    }

    #[inline]
    pub(super) fn traced(&mut self, request: u64, kind: TraceKind) {
        if self.trace.is_some() {
            self.record(request, kind);
        }
    }

    /// Out of line: few runs keep a trace, and inlined here it costs every event
    /// path registers to save.
    #[cold]
    #[inline(never)]
    fn record(&mut self, request: u64, kind: TraceKind) {
        if let Some(trace) = &mut self.trace {
            if trace.events.len() == MAX_EVENTS {
                trace.events.pop_front();
            }
            trace.events.push_back(TraceEvent {
                t: self.now,
                request,
                kind,
            });
        }
    }
}
