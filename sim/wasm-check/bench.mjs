// Times the M/M/4 benchmark (1M requests) in wasm under Node's V8, the engine of
// Chromium: `node bench.mjs path/to/sim_wasm_check.wasm`, or `./run.sh bench`.
import { readFileSync } from "node:fs";

const bytes = readFileSync(process.argv[2]);
const { instance } = await WebAssembly.instantiate(bytes, {});
for (let i = 0; i < 3; i++) {
  const start = performance.now();
  const events = instance.exports.mm4_events();
  const seconds = (performance.now() - start) / 1000;
  console.log(`wasm: M/M/4 1M requests in ${seconds.toFixed(3)} s, ${(events / seconds / 1e6).toFixed(1)} M events/s`);
}
