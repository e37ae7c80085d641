# Summarises an async-profiler profile in collapsed form, taken with "threads" (each stack starts with
# "[thread name tid=N]"): shares of all samples by thread group (digits folded), by the frame on top of the
# stack, and for each "label=regex" in the environment's PARTS="label=regex@@label=regex...", the samples
# of stacks with a frame matching regex (inclusive: one stack may count for several labels). PARTS comes
# from the environment because awk -v would take the regexes' backslashes as escapes.
BEGIN { nparts = split(ENVIRON["PARTS"], part, "@@") }
{
  count = $NF; stack = $0; sub(/ [0-9]+$/, "", stack); total += count
  thread = stack; sub(/;.*/, "", thread); gsub(/[0-9]+/, "#", thread); threads[thread] += count
  top = stack; sub(/.*;/, "", top); tops[top] += count
  for (i = 1; i <= nparts; i++) if (stack ~ substr(part[i], index(part[i], "=") + 1)) hits[i] += count
}
END {
  if (total == 0) { print "  no samples"; exit }
  printf "  %d samples\n  by thread (digits folded):\n", total
  for (t in threads) printf "%8d %5.1f%%  %s\n", threads[t], 100 * threads[t] / total, t | "sort -rn | head -n 12"
  close("sort -rn | head -n 12")
  print "  by frame on top of the stack:"
  for (t in tops) printf "%8d %5.1f%%  %s\n", tops[t], 100 * tops[t] / total, t | "sort -rn | head -n 15"
  close("sort -rn | head -n 15")
  if (nparts > 0) print "  stacks through (inclusive):"
  for (i = 1; i <= nparts; i++) printf "%8d %5.1f%%  %s\n", hits[i], 100 * hits[i] / total, substr(part[i], 1, index(part[i], "=") - 1)
}
