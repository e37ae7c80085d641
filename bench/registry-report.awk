# Prints bench/registry.sh's comparison table from its results.tsv (columns: see registry.sh's report()).
#   awk -f bench/registry-report.awk -v target=30000 results.tsv
# The etcd-only "register-full" rows (grant + put per registration) are compared with Roster's "register".
BEGIN { FS = "\t"; if (target == "") target = 30000 }
function ms(u) { return (u == "NA" || u == "") ? "NA" : sprintf("%.2f", u / 1000) }
function cost(i) { return (!(i in rp) || rp[i] == "NA" || rp[i] + 0 == 0 || cpu[i] == "NA") ? "-" : sprintf("%.0f", cpu[i] / 100 * 1e6 / rp[i]) }
function errs(i) { return (rp[i] == "NA") ? "NA" : non[i] + mis[i] + sock[i] }
/^#/ || NF < 5 { next }
{
  k = $2 SUBSEP $3
  if (!(k in seen)) { seen[k] = 1; order[++n] = k }
  i = k SUBSEP $1
  conns[i] = $4; rp[i] = $5; p50[i] = $6; p99[i] = $7; non[i] = $8; mis[i] = $9; sock[i] = $10; cpu[i] = $11; oth[i] = $13
  codes[i] = $14; nodecpu[i] = $18
}
END {
  printf "%-20s %7s | %8s %7s %7s %4s %4s %4s | %8s %7s %7s %4s %4s %4s | %5s\n",
    "operation", "clients", "Roster/s", "p50 ms", "p99 ms", "err", "CPU", "oth", "etcd/s", "p50 ms", "p99 ms", "err", "CPU", "oth", "ratio"
  for (j = 1; j <= n; j++) {
    split(order[j], f, SUBSEP); r = order[j] SUBSEP "roster"; e = order[j] SUBSEP "etcd"
    rr = r; if (f[1] == "register-full" && !(r in rp)) rr = "register" SUBSEP f[2] SUBSEP "roster"
    ratio = (rr in rp && e in rp && rp[rr] != "NA" && rp[e] != "NA" && rp[e] > 0) ? sprintf("%.2f", rp[rr] / rp[e]) : "-"
    flag = ((r in rp && errs(r) != 0) || (e in rp && errs(e) != 0)) ? "  <-- ERRORS" : ""
    cl = f[2]; if ((r in conns && conns[r] != f[2]) || (e in conns && conns[e] != f[2])) cl = f[2] "(" ((r in conns) ? conns[r] : conns[e]) ")"
    printf "%-20s %7s | %8s %7s %7s %4s %4s %4s | %8s %7s %7s %4s %4s %4s | %5s%s\n", f[1], cl,
      (r in rp) ? rp[r] : "-", (r in rp) ? ms(p50[r]) : "-", (r in rp) ? ms(p99[r]) : "-", (r in rp) ? errs(r) : "-", (r in rp) ? cpu[r] : "-", (r in rp) ? oth[r] : "-",
      (e in rp) ? rp[e] : "-", (e in rp) ? ms(p50[e]) : "-", (e in rp) ? ms(p99[e]) : "-", (e in rp) ? errs(e) : "-", (e in rp) ? cpu[e] : "-", (e in rp) ? oth[e] : "-",
      ratio, flag
  }
  print "register-full: etcd does lease grant + put (2 requests, 2 log entries) per registration, its p50/p99 are"
  print "per request; its ratio is Roster's register row over it. Roster's register is 1 request, 1 log entry."
  print ""
  print "Server CPU per operation, all nodes together, microseconds (CPU % / ops per second):"
  printf "%-20s %7s | %8s | %8s\n", "operation", "clients", "Roster", "etcd"
  for (j = 1; j <= n; j++) {
    split(order[j], f, SUBSEP); r = order[j] SUBSEP "roster"; e = order[j] SUBSEP "etcd"
    printf "%-20s %7s | %8s | %8s\n", f[1], f[2], cost(r), cost(e)
  }
  print ""
  print "Server CPU per node, % of one core (* = leader):"
  for (j = 1; j <= n; j++) {
    split(order[j], f, SUBSEP); r = order[j] SUBSEP "roster"; e = order[j] SUBSEP "etcd"
    printf "%-20s %7s | Roster %-24s | etcd %-24s\n", f[1], f[2], (r in nodecpu) ? nodecpu[r] : "-", (e in nodecpu) ? nodecpu[e] : "-"
  }
  for (j = 1; j <= n; j++) {
    split(order[j], f, SUBSEP); r = order[j] SUBSEP "roster"; e = order[j] SUBSEP "etcd"
    if (f[1] != "heartbeat" || f[2] != 64 || !(r in rp)) continue
    print ""
    met = (rp[r] != "NA" && rp[r] + 0 >= target && errs(r) == 0)
    printf "Target (heartbeats, 64 clients, 3 nodes: >= %d/s, no errors): %s  (%s/s, p99 %s ms, errors %s)\n",
      target, met ? "MET" : "NOT MET", rp[r], ms(p99[r]), errs(r)
  }
}
