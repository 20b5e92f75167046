"""igraph's multilevel (Louvain) community detection on an edge list, for bench/grouping.bench.js.

Reads `n` then `u v w` lines (0-based, undirected) from the file named by argv[1]; writes one
community id per node, then a final JSON line with modularity and seconds. Run with Debian's
/usr/bin/python3 (python3-igraph).
"""
import json
import sys
import time

import igraph

with open(sys.argv[1]) as f:
    n = int(f.readline())
    edges = []
    weights = []
    for line in f:
        u, v, w = line.split()
        edges.append((int(u), int(v)))
        weights.append(float(w))

g = igraph.Graph(n=n, edges=edges)
g.es["weight"] = weights
start = time.perf_counter()
parts = g.community_multilevel(weights="weight")
seconds = time.perf_counter() - start
out = sys.stdout
out.write("\n".join(str(m) for m in parts.membership))
out.write("\n")
out.write(json.dumps({"modularity": g.modularity(parts.membership, weights="weight"), "seconds": seconds, "igraph": igraph.__version__}))
out.write("\n")
