import type { Measurement } from "./measure";

export type Strategy = "season cache" | "one request per season" | "per-episode baseline";

export interface ResultRow {
  scenario: string;
  strategy: Strategy;
  /** What this row's run had to do, e.g. "100 shows, 500 seasons, 9,806 episodes". */
  workload: string;
  measurement: Measurement;
  /** Fewest TMDB requests this strategy needs; ÷ the rate limit = the lower bound on wall time. */
  minimumRequests: number;
  lowerBoundMs: number;
  /** This row ÷ the scenario's baseline row (absent on the baseline itself). */
  vsBaseline?: { tmdbRequests: number | null; wall: number | null };
  /** Set when a row is not a plain full run (reused or projected numbers, refusals, pending seasons). */
  note?: string;
}

const fmt = (n: number) => n.toLocaleString("en-US");
const seconds = (ms: number) => (ms >= 10_000 ? (ms / 1000).toFixed(0) : ms >= 1000 ? (ms / 1000).toFixed(1) : (ms / 1000).toFixed(2));
const ratio = (r: number | null | undefined) =>
  r === null || r === undefined ? "" : r === 0 ? "0" : r < 0.01 ? r.toFixed(4) : r.toFixed(3);

/** The results table, as Markdown (printed, and pasted into the README). */
export function markdownTable(rows: ResultRow[]): string {
  const header = [
    "scenario",
    "strategy",
    "TMDB requests",
    "Firestore reads",
    "Firestore writes",
    "wall (s)",
    "lower bound (s)",
    "peak RSS / heap (MB)",
    "requests vs baseline",
    "time vs baseline",
    "note",
  ];
  const lines = [
    `| ${header.join(" | ")} |`,
    `| ${header.map((h, i) => (i < 2 || i === header.length - 1 ? "---" : "---:")).join(" | ")} |`,
  ];
  for (const row of rows) {
    const m = row.measurement;
    lines.push(
      `| ${[
        row.scenario,
        row.strategy,
        fmt(m.tmdbRequests),
        fmt(m.firestoreReads),
        fmt(m.firestoreWrites),
        seconds(m.wallMs),
        seconds(row.lowerBoundMs),
        `${m.peakRssMb.toFixed(0)} / ${m.peakHeapMb.toFixed(0)}`,
        ratio(row.vsBaseline?.tmdbRequests),
        ratio(row.vsBaseline?.wall),
        row.note ?? "",
      ].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const COLORS: Record<Strategy, string> = {
  "season cache": "#1f77b4",
  "one request per season": "#9ecae1",
  "per-episode baseline": "#bbbbbb",
};

/**
 * Two panels of horizontal bars on a log scale (TMDB requests, wall time), one group per scenario.
 * Written by hand: a chart is output, and this is all it needs.
 */
export function svgChart(rows: ResultRow[], subtitle: string): string {
  const scenarios = [...new Set(rows.map((r) => r.scenario))];
  const barHeight = 14;
  const labelWidth = 150;
  const panelWidth = 340;
  const gap = 70;
  const top = 64;
  const groupHeights = scenarios.map((s) => rows.filter((r) => r.scenario === s).length * (barHeight + 3) + 14);
  const height = top + groupHeights.reduce((a, b) => a + b, 0) + 56;
  const width = labelWidth + 2 * panelWidth + gap + 100;
  const secondsLabel = (v: number) => (v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2));
  const panels: Array<{
    title: string;
    value: (r: ResultRow) => number;
    label: (v: number) => string;
    tick: (v: number) => string;
    bound?: (r: ResultRow) => number;
  }> = [
    {
      title: "TMDB requests (log scale)",
      value: (r) => r.measurement.tmdbRequests,
      label: fmt,
      tick: (v) => (v >= 1000 ? `${v / 1000}k` : String(v)),
    },
    {
      title: "wall time, seconds (log scale)",
      value: (r) => r.measurement.wallMs / 1000,
      label: secondsLabel,
      tick: (v) => String(v),
      bound: (r) => r.lowerBoundMs / 1000,
    },
  ];
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">Season cache vs per-episode baseline</text>`,
    `<text x="10" y="38" fill="#555">${escape(subtitle)} · * see the row's note (README, bench/results.json)</text>`,
  ];
  const px = (n: number) => n.toFixed(1);
  panels.forEach((panel, p) => {
    const x0 = labelWidth + p * (panelWidth + gap);
    const values = rows.flatMap((r) => [panel.value(r), panel.bound?.(r) ?? 0]).filter((v) => v > 0);
    const lo = Math.floor(Math.log10(Math.min(...values, 1)));
    const hi = Math.ceil(Math.log10(Math.max(...values, 10)));
    const scale = (v: number) => ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * panelWidth;
    out.push(`<text x="${x0}" y="${top - 12}" font-weight="bold">${panel.title}</text>`);
    for (let e = lo; e <= hi; e++) {
      const x = px(x0 + scale(10 ** e));
      out.push(`<line x1="${x}" y1="${top - 4}" x2="${x}" y2="${height - 44}" stroke="#e5e5e5"/>`);
      out.push(`<text x="${x}" y="${height - 32}" text-anchor="middle" fill="#777">${panel.tick(Number((10 ** e).toPrecision(1)))}</text>`);
    }
    let y = top;
    for (const scenario of scenarios) {
      if (p === 0) out.push(`<text x="10" y="${y + barHeight - 2}" font-weight="bold">${escape(scenario)}</text>`);
      for (const row of rows.filter((r) => r.scenario === scenario)) {
        const v = panel.value(row);
        const w = v > 0 ? Math.max(1, scale(v)) : 0;
        out.push(`<rect x="${x0}" y="${y}" width="${px(w)}" height="${barHeight}" fill="${COLORS[row.strategy]}"/>`);
        const bound = panel.bound?.(row) ?? 0;
        if (bound > 0)
          out.push(
            `<line x1="${px(x0 + scale(bound))}" y1="${y - 1}" x2="${px(x0 + scale(bound))}" y2="${y + barHeight + 1}" stroke="black" stroke-width="2"/>`,
          );
        out.push(
          `<text x="${px(x0 + Math.max(w, bound > 0 ? scale(bound) : 0) + 4)}" y="${y + barHeight - 3}">${panel.label(v)}${row.note ? " *" : ""}</text>`,
        );
        y += barHeight + 3;
      }
      y += 14;
    }
  });
  let lx = 10;
  for (const [strategy, color] of Object.entries(COLORS)) {
    if (!rows.some((r) => r.strategy === strategy)) continue;
    out.push(`<rect x="${lx}" y="${height - 18}" width="12" height="12" fill="${color}"/>`);
    out.push(`<text x="${lx + 16}" y="${height - 8}">${strategy}</text>`);
    lx += 24 + strategy.length * 6.5;
  }
  out.push(`<line x1="${lx}" y1="${height - 19}" x2="${lx}" y2="${height - 5}" stroke="black" stroke-width="2"/>`);
  out.push(`<text x="${lx + 6}" y="${height - 8}">lower bound: TMDB requests needed ÷ the rate limit</text>`);
  out.push("</svg>");
  return out.join("\n") + "\n";
}
