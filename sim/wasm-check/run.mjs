// Loads the wasm build and prints the same JSON as the native binary.
import { readFileSync } from "node:fs";

const bytes = readFileSync(process.argv[2]);
const { instance } = await WebAssembly.instantiate(bytes, {});
const len = instance.exports.compute();
const ptr = instance.exports.output_ptr();
const text = new TextDecoder().decode(new Uint8Array(instance.exports.memory.buffer, ptr, len));
console.log(text);
