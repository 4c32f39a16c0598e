//! The social preview image (`preview.png`, 1200 x 630, the size link previews ask
//! for), drawn at build time: throughput against the number of clients for a pool of
//! four sync workers and for one asyncio loop, from the simulation. No text is drawn:
//! the page title travels beside the image in the card, and plotters would need a font.

use std::sync::OnceLock;

use plotters::prelude::*;

pub const PATH: &str = "preview.png";
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
pub const ALT: &str = "Throughput as clients are added: four sync workers level off at \
                       four clients, one asyncio event loop climbs until its CPU is busy.";

/// Client counts swept: dense where the curves bend.
const CLIENTS: [u32; 14] = [1, 2, 3, 4, 6, 8, 12, 16, 20, 24, 32, 40, 48, 64];

const BACKGROUND: RGBColor = RGBColor(24, 26, 27);
const AXIS: RGBColor = RGBColor(110, 116, 122);
const SYNC: RGBColor = RGBColor(255, 159, 67);
const ASYNC: RGBColor = RGBColor(102, 178, 255);

/// The PNG's bytes. The runs are deterministic: computed once per process.
pub fn png() -> &'static [u8] {
    static PNG: OnceLock<Vec<u8>> = OnceLock::new();
    PNG.get_or_init(|| encode(&draw()))
}

/// Throughput (requests/s) at each client count for one server kind.
fn sweep(server: &str) -> Vec<(f64, f64)> {
    CLIENTS
        .iter()
        .map(|&clients| {
            let toml = format!(
                "server = \"{server}\"\nclients = {clients}\ncpu_ms = 5\nio_ms = 100\n\
                 requests = 4000\nwarmup = 400\nseed = 1\n"
            );
            let table: toml::Table = toml::from_str(&toml).expect("valid TOML");
            let scenario = sim::Scenario::from_table(&table).expect("a valid scenario");
            (f64::from(clients), sim::run(&scenario).throughput_rps)
        })
        .collect()
}

/// RGB pixels, row by row.
fn draw() -> Vec<u8> {
    let (sync, asynchronous) = std::thread::scope(|scope| {
        let sync = scope.spawn(|| sweep("processes"));
        (sync.join().expect("the sweep runs"), sweep("asyncio"))
    });
    let top = asynchronous
        .iter()
        .chain(&sync)
        .map(|&(_, y)| y)
        .fold(1.0, f64::max)
        * 1.1;
    let mut pixels = vec![0; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&BACKGROUND).expect("drawing into memory");
        let mut chart = ChartBuilder::on(&root)
            .margin(80)
            .build_cartesian_2d(0.0..66.0, 0.0..top)
            .expect("drawing into memory");
        let axis = ShapeStyle::from(&AXIS).stroke_width(4);
        chart
            .draw_series(LineSeries::new(
                [(0.0, top), (0.0, 0.0), (125.0, 0.0)],
                axis,
            ))
            .expect("drawing into memory");
        for (points, colour) in [(&sync, SYNC), (&asynchronous, ASYNC)] {
            let line = ShapeStyle::from(&colour).stroke_width(10);
            chart
                .draw_series(LineSeries::new(points.iter().copied(), line))
                .expect("drawing into memory");
            chart
                .draw_series(
                    points
                        .iter()
                        .map(|&p| Circle::new(p, 12, ShapeStyle::from(&colour).filled())),
                )
                .expect("drawing into memory");
        }
        root.present().expect("drawing into memory");
    }
    pixels
}

fn encode(pixels: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().expect("writing to memory");
    writer.write_image_data(pixels).expect("writing to memory");
    writer.finish().expect("writing to memory");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_a_png_of_the_announced_size() {
        let bytes = png();
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let reader = decoder.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (WIDTH, HEIGHT));
    }
}
