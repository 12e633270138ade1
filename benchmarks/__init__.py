"""Benchmarks: each prints launchwire's figure beside a bare baseline from the same run."""
