//! An indexed binary min-heap of at most one entry per process, keyed by `f64`.
//!
//! The CPU needs to remove a running burst from the middle when the GIL preempts it;
//! an index of positions makes that O(log n) without leaving stale entries behind
//! (stale entries would pile up when a long burst is preempted many times).

const NONE: u32 = u32::MAX;

#[derive(Debug, Clone)]
pub(crate) struct IndexedHeap {
    /// (key, id), a binary heap ordered by key then id (ties break by id so that the
    /// order is deterministic).
    items: Vec<(f64, u32)>,
    /// Position of each id in `items`, or `NONE`.
    pos: Vec<u32>,
}

impl IndexedHeap {
    pub(crate) fn new(ids: usize) -> Self {
        IndexedHeap {
            items: Vec::with_capacity(ids),
            pos: vec![NONE; ids],
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    pub(crate) fn peek(&self) -> Option<(f64, u32)> {
        self.items.first().copied()
    }

    pub(crate) fn key(&self, id: u32) -> Option<f64> {
        let p = self.pos[id as usize];
        (p != NONE).then(|| self.items[p as usize].0)
    }

    /// Inserts `id`, which must not be present.
    pub(crate) fn push(&mut self, key: f64, id: u32) {
        debug_assert_eq!(self.pos[id as usize], NONE);
        self.items.push((key, id));
        self.sift_up(self.items.len() - 1);
    }

    pub(crate) fn pop(&mut self) -> Option<(f64, u32)> {
        let top = self.peek()?;
        self.remove(top.1);
        Some(top)
    }

    /// Removes `id` if present and returns its key.
    pub(crate) fn remove(&mut self, id: u32) -> Option<f64> {
        let p = self.pos[id as usize];
        if p == NONE {
            return None;
        }
        let p = p as usize;
        self.pos[id as usize] = NONE;
        let removed = self.items.swap_remove(p);
        if p < self.items.len() {
            // The former last item fills the hole: it moves up or down from there.
            let item = self.items[p];
            if p > 0 && Self::less(item, self.items[(p - 1) / 2]) {
                self.sift_up(p);
            } else {
                self.sift_down(p);
            }
        }
        Some(removed.0)
    }

    fn less(a: (f64, u32), b: (f64, u32)) -> bool {
        a.0 < b.0 || (a.0 == b.0 && a.1 < b.1)
    }

    /// Moves the item at `i` up to its place, shifting parents down into the hole
    /// (one write per level instead of a swap).
    fn sift_up(&mut self, mut i: usize) {
        let item = self.items[i];
        while i > 0 {
            let parent = (i - 1) / 2;
            let above = self.items[parent];
            if !Self::less(item, above) {
                break;
            }
            self.items[i] = above;
            self.pos[above.1 as usize] = i as u32;
            i = parent;
        }
        self.items[i] = item;
        self.pos[item.1 as usize] = i as u32;
    }

    fn sift_down(&mut self, mut i: usize) {
        let item = self.items[i];
        let n = self.items.len();
        loop {
            let l = 2 * i + 1;
            if l >= n {
                break;
            }
            let r = l + 1;
            let c = if r < n && Self::less(self.items[r], self.items[l]) {
                r
            } else {
                l
            };
            let child = self.items[c];
            if !Self::less(child, item) {
                break;
            }
            self.items[i] = child;
            self.pos[child.1 as usize] = i as u32;
            i = c;
        }
        self.items[i] = item;
        self.pos[item.1 as usize] = i as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_key_order_and_removes_from_the_middle() {
        let mut h = IndexedHeap::new(8);
        for (id, key) in [(0, 5.0), (1, 1.0), (2, 3.0), (3, 3.0), (4, 9.0), (5, 0.5)] {
            h.push(key, id);
        }
        assert_eq!(h.remove(2), Some(3.0));
        assert_eq!(h.remove(2), None);
        let order: Vec<u32> = std::iter::from_fn(|| h.pop().map(|(_, id)| id)).collect();
        assert_eq!(order, [5, 1, 3, 0, 4]);
        assert_eq!(h.len(), 0);
    }
}
