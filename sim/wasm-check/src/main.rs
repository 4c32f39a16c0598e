//! Prints the native JSON, to compare with the wasm one.
fn main() {
    println!("{}", sim_wasm_check::reports_json());
}
