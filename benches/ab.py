#!/usr/bin/env python3
"""Interleaved A/B runs of several specguard binaries on one command: the median wall time,
CPU time, peak RSS and minor page faults of each (machine noise hits all binaries alike).

    benches/ab.py 30 /tmp/specguard-old target/release/specguard -- lint github.json --format json

Never compare against another tool this way on this VM: a process started right after one that
freed a lot of memory pays for fresh pages (see the README's measured figures).
"""
import os, sys, time, statistics as st, subprocess
n = int(sys.argv[1]); i = sys.argv.index('--'); bins = sys.argv[2:i]; args = sys.argv[i+1:]
res = [[] for _ in bins]
devnull = os.open(os.devnull, os.O_WRONLY)
for _ in range(n):
    for k, b in enumerate(bins):
        t = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            os.dup2(devnull, 1); os.dup2(devnull, 2)
            os.execv(b, [b] + args)
        _, status, ru = os.wait4(pid, 0)
        w = time.perf_counter() - t
        res[k].append((w, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, ru.ru_minflt))
for b, v in zip(bins, res):
    m = lambda k: st.median(x[k] for x in v)
    print(f"{b}: wall med {m(0)*1000:.1f} ms (min {min(x[0] for x in v)*1000:.1f})  cpu med {m(1)*1000:.1f} ms  rss med {m(2):.1f} MiB  faults med {m(3):.0f}")
