"""Where the widgets' wasm bytes go, by crate (issue 15): sums `twiggy top` over the
items of a wasm built with its names kept, grouping each function by the first path
segment of its name (`<alloc::vec::Vec<T> as core::fmt::Debug>::fmt` counts for alloc)
and leaving out what wasm-bindgen and wasm-opt strip anyway (custom sections, names,
the `__wbindgen_describe` functions and their exports and imports). Sizes are before `wasm-opt -Oz` and gzip.

    CARGO_PROFILE_WASM_RELEASE_STRIP=false cargo build -p widgets --lib \\
        --target wasm32-unknown-unknown --profile wasm-release --target-dir target/twiggy
    python3 bench/twiggy_crates.py [WASM]
"""
import collections
import csv
import io
import re
import subprocess
import sys

WASM = sys.argv[1] if len(sys.argv) > 1 else "target/twiggy/wasm32-unknown-unknown/wasm-release/widgets.wasm"
PRIMITIVES = {"str", "char", "bool", "f32", "f64", "u8", "u16", "u32", "u64", "u128", "usize",
              "i8", "i16", "i32", "i64", "i128", "isize"}
STRIPPED = ("custom section", '"function names"', "export \"__wbindgen_describe", "__wbindgen_describe",
            "import __wbindgen_placeholder")

out = subprocess.run(["twiggy", "top", "-n", "100000", "--format", "csv", WASM],
                     check=True, capture_output=True, text=True).stdout
by_crate = collections.Counter()
for row in csv.DictReader(io.StringIO(out)):
    name, size = row["Name"], int(row["ShallowSize"])
    if name.startswith(STRIPPED) or name.startswith("Σ"):
        continue
    match = re.match(r"^[<&]*(?:dyn |mut )?([A-Za-z_][A-Za-z0-9_]*)(?:\[[0-9a-f]+\])?(?:>| as |::)", name)
    if name.startswith("data segment"):
        crate = "data segments"
    elif match:
        crate = match.group(1)
        # Methods of the language's own types (`<str>::to_lowercase`) are core's.
        if crate in PRIMITIVES:
            crate = "core"
    else:
        crate = "other (unnamed functions, tables, types)"
    by_crate[crate] += size
total = sum(by_crate.values())
print(f"{total / 1000:.0f} KB of code and data in {WASM}")
for crate, size in by_crate.most_common(14):
    print(f"  {crate:42} {size / 1000:6.1f} KB")
