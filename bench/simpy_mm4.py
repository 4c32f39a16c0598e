"""The M/M/4 scenario of sim/benches/mm4.toml in SimPy, for bench/table.sh: Poisson
arrivals at 320/s, four servers, exponential service of 10 ms mean, a million requests.
Prints the wall time and the mean latency (to check it is the same system)."""
import random
import sys
import time

import simpy

RATE, SERVERS, SERVICE_S = 320.0, 4, 0.010
REQUESTS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000


def main() -> None:
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=SERVERS)
    rng = random.Random(1)
    latencies = []

    def request(env):
        arrived = env.now
        with servers.request() as slot:
            yield slot
            yield env.timeout(rng.expovariate(1.0 / SERVICE_S))
        latencies.append(env.now - arrived)

    def arrivals(env):
        for _ in range(REQUESTS):
            yield env.timeout(rng.expovariate(RATE))
            env.process(request(env))

    started = time.perf_counter()
    env.process(arrivals(env))
    env.run()
    elapsed = time.perf_counter() - started
    mean_ms = 1000 * sum(latencies) / len(latencies)
    print(f"simpy {simpy.__version__}: {len(latencies)} requests in {elapsed:.2f} s, mean latency {mean_ms:.1f} ms")


if __name__ == "__main__":
    main()
