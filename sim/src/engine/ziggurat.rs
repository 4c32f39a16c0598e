//! Exponential draws by the ziggurat method (Marsaglia and Tsang, "The Ziggurat Method
//! for Generating Random Variables", 2000): the density is covered by 256 layers of equal
//! area, and a draw picks a layer and a point in it; nearly always (99%) the point lies
//! under the curve at once and the draw costs one multiplication and one comparison.
//! Only the rare draws near a layer's edge need `exp`, and the tail beyond the widest
//! layer a `log`, both from `libm`. The layers are computed once with `libm`, so the
//! same bits give the same draw on every platform.

use std::sync::OnceLock;

use rand::Rng;
use rand_pcg::Pcg64Mcg;

use super::dist::{inverted_exponential, uniform};

/// Layers, the right edge of the widest, and the area of each, for 256 layers (from
/// Marsaglia and Tsang).
const LAYERS: usize = 256;
const R: f64 = 7.697_117_470_131_05;
const V: f64 = 3.949_659_822_581_572e-3;

/// `x[i]`: the right edge of layer `i` (layer 0 is the base strip, tail included);
/// `x[LAYERS] = 0`. `f[i] = exp(-x[i])`.
struct Layers {
    x: [f64; LAYERS + 1],
    f: [f64; LAYERS + 1],
}

fn layers() -> &'static Layers {
    static LAYERS_: OnceLock<Layers> = OnceLock::new();
    LAYERS_.get_or_init(|| {
        let mut x = [0.0; LAYERS + 1];
        x[0] = V / libm::exp(-R);
        x[1] = R;
        for i in 1..LAYERS - 1 {
            x[i + 1] = -libm::log(V / x[i] + libm::exp(-x[i]));
        }
        x[LAYERS] = 0.0;
        let mut f = [0.0; LAYERS + 1];
        for i in 0..=LAYERS {
            f[i] = libm::exp(-x[i]);
        }
        Layers { x, f }
    })
}

/// An exponential draw of mean 1.
#[inline]
pub(crate) fn exponential(rng: &mut Pcg64Mcg) -> f64 {
    let t = layers();
    loop {
        let bits: u64 = rng.random();
        let i = (bits & 0xff) as usize;
        let u = (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        let x = u * t.x[i];
        if x < t.x[i + 1] {
            return x;
        }
        if i == 0 {
            return R + inverted_exponential(rng);
        }
        let y = t.f[i] + uniform(rng) * (t.f[i + 1] - t.f[i]);
        if y < libm::exp(-x) {
            return x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dist::stream;

    #[test]
    fn the_layers_close_at_zero_with_equal_areas() {
        let t = layers();
        // Every layer has the area V, the top one too (from x[255] to 0 under f = 1),
        // which says the constants and the recursion agree.
        for i in 1..LAYERS {
            let area = t.x[i] * (t.f[i + 1] - t.f[i]);
            assert!((area - V).abs() < 1e-9, "layer {i}: {area}");
        }
        // The base strip holds the rectangle under f(R) and the tail beyond R.
        assert!((t.x[0] * t.f[1] - V).abs() < 1e-15);
    }

    #[test]
    fn draws_are_exponential_in_the_body_and_the_tail() {
        let n = 2_000_000;
        let mut rng = stream(3, 4);
        let draws: Vec<f64> = (0..n).map(|_| exponential(&mut rng)).collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(
            (mean - 1.0).abs() < 0.002 && (var - 1.0).abs() < 0.005,
            "{mean} {var}"
        );
        for (t, tolerance) in [(0.5, 0.001), (2.0, 0.0005), (5.0, 0.0001), (8.0, 0.00003)] {
            let share = draws.iter().filter(|x| **x > t).count() as f64 / n as f64;
            let expected = (-t).exp();
            assert!(
                (share - expected).abs() < tolerance,
                "P(X > {t}) = {share}, not {expected}"
            );
        }
    }
}
