fn main() {
    let text = std::env::args().nth(1).unwrap_or_default();
    let s = sim::Scenario::parse(&text.replace(';', "\n")).unwrap();
    let t = std::time::Instant::now();
    let r = sim::run(&s);
    let dt = t.elapsed().as_secs_f64();
    println!("{}", serde_json::to_string(&r).unwrap());
    println!("{:.3}s, {:.1} M events/s", dt, r.events as f64 / dt / 1e6);
}
