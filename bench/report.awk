# Prints bench/run.sh's comparison table from a results.tsv (see run.sh for the columns).
# Used by run.sh and by bench/median.sh.
BEGIN { FS = "\t" }
function ms(u) { return (u == "NA") ? "NA" : sprintf("%.2f", u / 1000) }
function errs(i) { return (rp[i] == "NA") ? "NA" : non[i] + mis[i] + sock[i] }
function per(i, what) {
  if (!(i in rp) || rp[i] == "NA" || rq[i] + 0 == 0) return "-"
  if (what == "cpu") return sprintf("%.0f", cpu[i] / 100 * secs[i] * 1e6 / rq[i])
  if (what == "fs") return (fs[i] == "NA") ? "NA" : sprintf("%.2f", fs[i] / rq[i])
  return (csw[i] == "NA") ? "NA" : sprintf("%.1f", csw[i] / rq[i])
}
/^#/ || NF < 5 { next }
{
  k = $1 SUBSEP $3 SUBSEP $4
  if (!(k in seen)) { seen[k] = 1; order[++n] = k }
  i = k SUBSEP $2
  conns[i] = $5; rp[i] = $6; p50[i] = $7; p99[i] = $8; non[i] = $9; mis[i] = $10; sock[i] = $11; cpu[i] = $12; oth[i] = $14
  rq[i] = $16; secs[i] = $17; fs[i] = $18; csw[i] = $19
}
END {
  printf "%-5s %-16s %7s | %8s %7s %7s %4s %4s %4s | %8s %7s %7s %4s %4s %4s | %5s\n",
    "nodes", "operation", "clients", "Roster/s", "p50 ms", "p99 ms", "err", "CPU", "oth", "etcd/s", "p50 ms", "p99 ms", "err", "CPU", "oth", "ratio"
  for (j = 1; j <= n; j++) {
    split(order[j], f, SUBSEP); r = order[j] SUBSEP "roster"; e = order[j] SUBSEP "etcd"
    ratio = (r in rp && e in rp && rp[r] != "NA" && rp[e] != "NA" && rp[e] > 0) ? sprintf("%.2f", rp[r] / rp[e]) : "-"
    flag = ((r in rp && errs(r) != 0) || (e in rp && errs(e) != 0)) ? "  <-- ERRORS" : ""
    cl = f[3]; if ((r in conns && conns[r] != f[3]) || (e in conns && conns[e] != f[3])) cl = f[3] "(" ((r in conns) ? conns[r] : conns[e]) ")"
    printf "%-5s %-16s %7s | %8s %7s %7s %4s %4s %4s | %8s %7s %7s %4s %4s %4s | %5s%s\n", f[1], f[2], cl,
      (r in rp) ? rp[r] : "-", (r in rp) ? ms(p50[r]) : "-", (r in rp) ? ms(p99[r]) : "-", (r in rp) ? errs(r) : "-", (r in rp) ? cpu[r] : "-", (r in rp) ? oth[r] : "-",
      (e in rp) ? rp[e] : "-", (e in rp) ? ms(p50[e]) : "-", (e in rp) ? ms(p99[e]) : "-", (e in rp) ? errs(e) : "-", (e in rp) ? cpu[e] : "-", (e in rp) ? oth[e] : "-",
      ratio, flag
  }
  print ""
  print "Cost per request (servers only, all nodes): CPU microseconds, fsync+fdatasync calls, context switches"
  printf "%-5s %-16s %7s | %8s %7s %7s | %8s %7s %7s\n", "nodes", "operation", "clients", "R cpu us", "R fsync", "R ctxsw", "E cpu us", "E fsync", "E ctxsw"
  for (j = 1; j <= n; j++) {
    split(order[j], f, SUBSEP); r = order[j] SUBSEP "roster"; e = order[j] SUBSEP "etcd"
    printf "%-5s %-16s %7s | %8s %7s %7s | %8s %7s %7s\n", f[1], f[2], f[3], per(r, "cpu"), per(r, "fs"), per(r, "cs"), per(e, "cpu"), per(e, "fs"), per(e, "cs")
  }
  print ""
  for (j = 1; j <= n; j++) {
    split(order[j], f, SUBSEP)
    if (f[2] != "put" || f[3] != 64) continue
    r = order[j] SUBSEP "roster"; e = order[j] SUBSEP "etcd"
    if (!(r in rp) || !(e in rp) || rp[r] == "NA" || rp[e] == "NA") continue
    ratio = rp[r] / rp[e]
    met = (ratio >= 1.5 && p99[r] + 0 <= p99[e] + 0 && errs(r) == 0)
    printf "Goal (%s node(s), 64 clients, PUT: >= 1.5x etcd req/s, p99 <= etcd p99, no errors): %s  (%.2fx, p99 %s vs %s ms)\n",
      f[1], met ? "MET" : "NOT MET", ratio, ms(p99[r]), ms(p99[e])
  }
}
